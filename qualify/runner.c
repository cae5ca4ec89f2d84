/* SPDX-License-Identifier: MIT */
/* The stages run in the table's order, each a child process. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "rundir.h"
#include "stage.h"

const char *qfy_status_name(enum qfy_status s)
{
	static const char *const names[] = {
		[QFY_PENDING] = "pending", [QFY_PASS] = "pass",
		[QFY_WARN] = "warn",	   [QFY_FAIL] = "fail",
		[QFY_ERROR] = "error",	   [QFY_SKIPPED] = "skipped",
		[QFY_BLOCKED] = "blocked", [QFY_INTERRUPTED] = "interrupted",
	};

	return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* Step I of stage SR: its command line after R's binary. */
static int build_step(struct qfy_run *r, struct qfy_stage_run *sr, int i)
{
	struct qfy_step *st = &sr->steps[i];
	struct qfy_args a = { st, 0 };
	int ret;

	snprintf(st->name, sizeof(st->name), "%s", sr->s->name);
	snprintf(st->log, sizeof(st->log), "%s/%s/%s.log", r->out, sr->s->name,
		 sr->s->name);
	st->exit = -1;
	if ((ret = qfy_arg(&a, "%s", r->exe)))
		return ret;
	return sr->s->build(r, i, &a);
}

int qfy_prepare(struct qfy_run *r)
{
	size_t n, k;
	const struct qfy_stage *s = qfy_stages(&n);

	snprintf(r->topology, sizeof(r->topology),
		 "%s/setup-apply/topology.ini", r->out);
	r->stages = calloc(n, sizeof(*r->stages));
	if (!r->stages)
		return -ENOMEM;
	r->nstages = (int)n;
	for (k = 0; k < n; k++) {
		struct qfy_stage_run *sr = &r->stages[k];

		sr->s = &s[k];
		sr->st = s[k].asked(r->plan) ? QFY_PENDING : QFY_SKIPPED;
		if (sr->st == QFY_SKIPPED)
			snprintf(sr->why, sizeof(sr->why),
				 "the plan does not ask for it");
		sr->nsteps = s[k].nsteps ? s[k].nsteps(r->plan) : 1;
		sr->steps = calloc((size_t)sr->nsteps, sizeof(*sr->steps));
		if (!sr->steps)
			return -ENOMEM;
		/* the command lines as a dry run prints them */
		for (int i = 0; i < sr->nsteps; i++) {
			sr->steps[i].exit = -1;
			if (sr->st == QFY_PENDING)
				build_step(r, sr, i);
		}
	}
	return 0;
}

void qfy_free(struct qfy_run *r)
{
	int i;

	for (i = 0; i < r->nstages; i++)
		free(r->stages[i].steps);
	free(r->stages);
	r->stages = NULL;
	r->nstages = 0;
}

static struct qfy_stage_run *find(struct qfy_run *r, const char *name)
{
	int i;

	for (i = 0; name && i < r->nstages; i++)
		if (!strcmp(r->stages[i].s->name, name))
			return &r->stages[i];
	return NULL;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* What became of a stage, for the why of another. */
static const char *said(enum qfy_status s)
{
	return s == QFY_FAIL	    ? "failed" :
	       s == QFY_ERROR	    ? "ended in an error" :
	       s == QFY_BLOCKED	    ? "could not run" :
	       s == QFY_INTERRUPTED ? "was interrupted" :
				      qfy_status_name(s);
}

/* Whether SR may run now; else why not in SR->why (it is blocked). */
static bool ready(struct qfy_run *r, struct qfy_stage_run *sr)
{
	const struct qfy_stage *s = sr->s;
	struct qfy_stage_run *d;
	int k;

	if (s->after) {
		d = find(r, s->after);
		if (d && d->st != QFY_SKIPPED && d->st != QFY_BLOCKED &&
		    d->st != QFY_PENDING)
			return true;
		snprintf(sr->why, sizeof(sr->why),
			 "%s did not run: nothing to put back", s->after);
		return false;
	}
	if (r->sig) {
		snprintf(sr->why, sizeof(sr->why),
			 "qualify was interrupted (%s)", strsignal(r->sig));
		return false;
	}
	for (k = 0; k < QFY_MAX_NEEDS && s->needs[k]; k++) {
		d = find(r, s->needs[k]);
		if (d && d->st != QFY_PASS && d->st != QFY_WARN &&
		    d->st != QFY_SKIPPED) {
			snprintf(sr->why, sizeof(sr->why), "needs %s, which %s",
				 d->s->name, said(d->st));
			return false;
		}
	}
	d = find(r, s->ran);
	if (d && d->st != QFY_PASS && d->st != QFY_FAIL && d->st != QFY_WARN) {
		snprintf(sr->why, sizeof(sr->why), "needs %s's results; it %s",
			 d->s->name, said(d->st));
		return false;
	}
	return true;
}

/* L with every run of blanks one blank (the tables' padding). */
static void squeeze(char *l)
{
	char *w = l, *start = l;

	for (; *l; l++) {
		char c = *l == '\t' ? ' ' : *l;

		if (c != ' ' || (w > start && w[-1] != ' '))
			*w++ = c;
	}
	*w = '\0';
}

#define WHY_FAILS 3 /* failed checks named in a why, then a count */

/* WHY from LOG: its lines of failed checks ("fail ID ...", the doctor's;
 * "FAIL NAME ...", the gate's), else its last error ("vfbench: ..."),
 * else its last line. */
static void log_why(const char *log, bool fails, char *why, size_t len)
{
	char *text, *l, *save = NULL, *last = NULL, *err = NULL;
	size_t used0 = strlen(why), used = used0;
	int n = 0;

	if (host_read_text(log, &text))
		return;
	for (l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		squeeze(l);
		if (!*l)
			continue;
		last = l;
		if (!strncmp(l, "vfbench: ", 9))
			err = l;
		if (!fails ||
		    (strncmp(l, "fail ", 5) && strncmp(l, "FAIL ", 5)))
			continue;
		if (++n <= WHY_FAILS && used < len)
			used += (size_t)snprintf(why + used, len - used, "%s%s",
						 n > 1 ? "; " : "", l);
	}
	if (n > WHY_FAILS && used < len)
		snprintf(why + used, len - used, "; %d more", n - WHY_FAILS);
	if (!n && (err || last))
		snprintf(why + used0, len - used0, "%s", err ? err : last);
	free(text);
}

static void run_step(struct qfy_run *r, struct qfy_stage_run *sr,
		     struct qfy_step *st)
{
	const volatile int *stop = sr->s->after ? NULL : r->stop;
	double t0 = now_s();
	int ret;

	ret = r->ex->run(r->ex->ctx, st->argv, st->log, stop);
	while (ret == 0 && sr->s->settled && !sr->s->settled(r, st->log) &&
	       !(stop && *stop)) {
		if (now_s() - t0 >= (double)qfy_plan_settle(r->plan)) {
			ret = 1;
			snprintf(st->why, sizeof(st->why),
				 "after %ld s, no device of each path kind "
				 "with an active port (its log: the last look)",
				 qfy_plan_settle(r->plan));
			break;
		}
		sleep(1);
		ret = r->ex->run(r->ex->ctx, st->argv, st->log, stop);
	}
	st->secs = now_s() - t0;
	if (ret < 0) {
		st->st = QFY_ERROR;
		snprintf(st->why, sizeof(st->why), "could not start %s: %s",
			 st->argv[0], strerror(-ret));
		return;
	}
	st->exit = ret;
	if (stop && *stop && !r->sig)
		r->sig = *stop;
	st->st = stop && *stop && ret > 128 ? QFY_INTERRUPTED :
					      sr->s->judge(r, ret);
	if (st->st == QFY_PASS || st->why[0])
		return;
	snprintf(st->why, sizeof(st->why), "exit %d: ", ret);
	log_why(st->log, st->st == QFY_FAIL || st->st == QFY_WARN, st->why,
		sizeof(st->why));
}

/* The worst of SR's steps, and why. */
static void stage_sum(struct qfy_stage_run *sr)
{
	static const int rank[] = {
		[QFY_PASS] = 0,	   [QFY_WARN] = 1,   [QFY_FAIL] = 2,
		[QFY_BLOCKED] = 3, [QFY_ERROR] = 4,  [QFY_INTERRUPTED] = 5,
		[QFY_PENDING] = 0, [QFY_SKIPPED] = 0
	};
	int i, bad = 0;

	sr->st = QFY_PASS;
	for (i = 0; i < sr->nsteps; i++) {
		struct qfy_step *st = &sr->steps[i];

		sr->secs += st->secs;
		if (rank[st->st] > rank[sr->st])
			sr->st = st->st;
		if (st->st != QFY_PASS)
			bad++;
	}
	for (i = 0; i < sr->nsteps && sr->steps[i].st == QFY_PASS; i++)
		;
	if (i == sr->nsteps)
		return;
	if (sr->nsteps > 1)
		snprintf(sr->why, sizeof(sr->why), "%d of %d: %s: %s", bad,
			 sr->nsteps, sr->steps[i].name, sr->steps[i].why);
	else
		snprintf(sr->why, sizeof(sr->why), "%s", sr->steps[i].why);
}

/* Every step of SR built again (what it runs on may have changed) and
 * run; a stop signal blocks the steps after it. */
static void run_stage(struct qfy_run *r, struct qfy_stage_run *sr)
{
	int i, ret;

	for (i = 0; i < sr->nsteps; i++) {
		struct qfy_step *st = &sr->steps[i];

		memset(st, 0, sizeof(*st));
		ret = build_step(r, sr, i);
		if (ret) {
			st->st = ret == -ENODATA ? QFY_BLOCKED : QFY_ERROR;
			if (ret != -ENODATA)
				snprintf(st->why, sizeof(st->why),
					 "its command line is too long");
			continue;
		}
		if (r->sig && !sr->s->after) {
			st->st = QFY_BLOCKED;
			snprintf(st->why, sizeof(st->why),
				 "qualify was interrupted");
			continue;
		}
		run_step(r, sr, st);
	}
	stage_sum(sr);
}

static void verdict(struct qfy_run *r)
{
	size_t used = 0;
	bool fail = false, incomplete = false;
	int i;

	r->why[0] = '\0';
	if (r->sig)
		used += (size_t)snprintf(r->why, sizeof(r->why),
					 "interrupted by %s; ",
					 sigabbrev_np(r->sig) ?: "a signal");
	for (i = 0; i < r->nstages; i++) {
		struct qfy_stage_run *sr = &r->stages[i];

		if (sr->st == QFY_PASS || sr->st == QFY_WARN ||
		    sr->st == QFY_SKIPPED)
			continue;
		fail |= sr->st == QFY_FAIL;
		incomplete |= sr->st != QFY_FAIL;
		/* the causes: what was blocked by them says no more */
		if (sr->st == QFY_BLOCKED && !strstr(sr->why, "no results"))
			continue;
		if (used < sizeof(r->why))
			used += (size_t)snprintf(
				r->why + used, sizeof(r->why) - used,
				"%s %s: %s; ", sr->s->name,
				qfy_status_name(sr->st), sr->why);
	}
	if (used >= 2 && used < sizeof(r->why))
		r->why[used - 2] = '\0';
	r->verdict = r->sig	? QFY_V_INCOMPLETE :
		     fail	? QFY_V_FAIL :
		     incomplete ? QFY_V_INCOMPLETE :
				  QFY_V_PASS;
}

void qfy_execute(struct qfy_run *r)
{
	int k;

	r->started = time(NULL);
	for (k = 0; k < r->nstages; k++) {
		struct qfy_stage_run *sr = &r->stages[k];

		if (sr->st == QFY_SKIPPED)
			continue;
		if (r->stop && *r->stop && !r->sig)
			r->sig = *r->stop;
		if (!ready(r, sr)) {
			/* an 'after' stage has nothing to undo */
			sr->st = sr->s->after ? QFY_SKIPPED : QFY_BLOCKED;
			continue;
		}
		run_stage(r, sr);
	}
	r->ended = time(NULL);
	verdict(r);
}

int qfy_exit_code(const struct qfy_run *r)
{
	if (r->sig)
		return 128 + r->sig;
	return r->verdict == QFY_V_PASS ? 0 : r->verdict == QFY_V_FAIL ? 1 : 3;
}

/* The live child: its own process group (a ^C reaches qualify alone,
 * which passes it on while a stage runs and lets teardown finish). */
static void child(char *const argv[], int fd)
{
	int nul = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	if (nul >= 0)
		dup2(nul, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	signal(SIGPIPE, SIG_DFL); /* ignored by host_stop_install */
	execv(argv[0], argv);
	dprintf(2, "qualify: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int live_run(void *ctx, char *const argv[], const char *log,
		    const volatile int *stop)
{
	const struct timespec tick = { 0, 50 * 1000 * 1000 };
	int fd, status, e;
	bool sent = false;
	pid_t pid, w;

	(void)ctx;
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		child(argv, fd);
	e = errno;
	close(fd);
	if (pid < 0)
		return -e;
	/* polled, so that a signal between a look and a wait is never
	 * missed */
	while ((w = waitpid(pid, &status, WNOHANG)) == 0) {
		if (stop && *stop && !sent) {
			kill(pid, *stop);
			sent = true;
		}
		nanosleep(&tick, NULL);
	}
	if (w < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

const struct qfy_exec *qfy_exec_live(void)
{
	static const struct qfy_exec live = { .run = live_run };

	return &live;
}
