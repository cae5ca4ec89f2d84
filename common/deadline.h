/* SPDX-License-Identifier: MIT */
#ifndef VFB_DEADLINE_H
#define VFB_DEADLINE_H

#include <time.h>

/* T moved on by NS nanoseconds (0 or more), kept normalised. */
void vfb_ts_add_ns(struct timespec *t, long long ns);
/* CLOCK_REALTIME's now plus MS milliseconds: the absolute time that
 * pthread_cond_timedwait() and pthread_timedjoin_np() take. */
struct timespec vfb_deadline_ms(long ms);

#endif
