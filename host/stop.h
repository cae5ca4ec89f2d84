/* SPDX-License-Identifier: MIT */
#ifndef HOST_STOP_H
#define HOST_STOP_H

/* A scenario's stop request: SIGINT and SIGTERM set it to the signal's
 * number (no SA_RESTART, so a wait returns EINTR and looks at it); SIGPIPE
 * is ignored (a peer that vanished is an error of the write, not a death).
 * Installs the handlers and returns the flag, 0 until a signal came. One
 * flag a process: a command runs one scenario. */
const volatile int *host_stop_install(void);

#endif
