/* SPDX-License-Identifier: MIT */
#ifndef QFY_STAGE_H
#define QFY_STAGE_H

#include "qualify.h"

/* A stage builds its command lines into a step. */
struct qfy_args {
	struct qfy_step *st;
	size_t used;
};
/* Append one word (printf-like); -E2BIG when the step is full. */
int qfy_arg(struct qfy_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define QFY_MAX_NEEDS 3

/*
 * A stage of qualify: one entry of the table in stages.c. NEEDS: stages
 * that must pass (or not be asked for) before it runs; RAN: stages that
 * must have run to their end, passed or failed (the gate judges a run
 * whose checks failed); AFTER: it runs whenever that stage was tried,
 * whatever came of it or of the others (teardown after apply).
 */
struct qfy_stage {
	const char *name, *what;
	const char *needs[QFY_MAX_NEEDS];
	const char *ran;
	const char *after;
	const char *changes; /* what it changes on the host, NULL nothing */
	bool (*asked)(const struct qfy_plan *p);
	int (*nsteps)(const struct qfy_plan *p); /* NULL: one */
	/* Step I's command line (after "vfbench"): 0, -ENODATA when there
	 * is nothing to run it on (it is then blocked, WHY said), -E2BIG. */
	int (*build)(const struct qfy_run *r, int i, struct qfy_args *a);
	enum qfy_status (*judge)(const struct qfy_run *r, int exit);
	/* NULL, or: its step is run again, a second apart, until SETTLED
	 * says what it printed into LOG is what the plan waits for, for
	 * the plan's settle seconds at most (then it fails). */
	bool (*settled)(const struct qfy_run *r, const char *log);
};

/* The stage table, in the order they run. */
const struct qfy_stage *qfy_stages(size_t *n);

/* OUT/report.md (summary.c): 0 or a negative errno. */
int qfy_write_summary(const struct qfy_run *r);

#endif
