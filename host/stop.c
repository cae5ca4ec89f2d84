/* SPDX-License-Identifier: MIT */
#include <signal.h>
#include <string.h>

#include "stop.h"

static volatile int stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

const volatile int *host_stop_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return &stop_sig;
}
