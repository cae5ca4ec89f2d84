/* SPDX-License-Identifier: MIT */
/* A unit of the check in a child process, cut at its bound: whatever
 * the unit waits on (a device, a program, a hung sysfs read), the check
 * goes on when the bound is reached: the child and what it started (its
 * process group) are killed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "health.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The child: the count, then the results. Never returns. */
static void child(hl_unit_fn fn, const void *arg, int fd, struct hl_result *out,
		  int max)
{
	int n = fn(arg, out, max);

	if (n < 0 || n > max)
		n = 0;
	if (write_all(fd, &n, sizeof(n)) ||
	    write_all(fd, out, (size_t)n * sizeof(*out)))
		_exit(1);
	_exit(0);
}

/* Read what the child sends until EOF or END: bytes read, or -ETIMEDOUT. */
static ssize_t collect(int fd, char *buf, size_t len, double end)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t used = 0;
	ssize_t n;
	double left;

	for (;;) {
		left = end - now_s();
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue; /* EINTR or not yet: the deadline decides */
		n = read(fd, buf + used, len - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (ssize_t)used;
		used += (size_t)n;
		if (used == len)
			return (ssize_t)used;
	}
}

int hl_bounded(hl_unit_fn fn, const void *arg, double limit_s,
	       struct hl_result *out, int max)
{
	size_t len = sizeof(int) + (size_t)max * sizeof(*out);
	char buf[sizeof(int) + HL_MAX_RESULTS * sizeof(*out)];
	int fds[2], status, n;
	ssize_t got;
	pid_t pid;

	if (max > HL_MAX_RESULTS)
		return -EINVAL;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (!pid) {
		setpgid(0, 0); /* its own group: what it runs is cut with it */
		close(fds[0]);
		child(fn, arg, fds[1], out, max);
	}
	setpgid(pid, pid);
	close(fds[1]);
	got = collect(fds[0], buf, len, now_s() + limit_s);
	close(fds[0]);
	if (got == -ETIMEDOUT) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got < 0)
		return (int)got;
	if ((size_t)got < sizeof(int) || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -ECHILD;
	memcpy(&n, buf, sizeof(n));
	if (n < 0 || n > max ||
	    (size_t)got != sizeof(int) + (size_t)n * sizeof(*out))
		return -ECHILD;
	memcpy(out, buf + sizeof(int), (size_t)n * sizeof(*out));
	return n;
}
