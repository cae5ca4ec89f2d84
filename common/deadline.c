/* SPDX-License-Identifier: MIT */
#include "deadline.h"

void vfb_ts_add_ns(struct timespec *t, long long ns)
{
	ns += t->tv_nsec;
	t->tv_sec += (time_t)(ns / 1000000000LL);
	t->tv_nsec = (long)(ns % 1000000000LL);
}

struct timespec vfb_deadline_ms(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	vfb_ts_add_ns(&t, (long long)ms * 1000000LL);
	return t;
}
