/* SPDX-License-Identifier: MIT */
#ifndef QFY_QUALIFY_H
#define QFY_QUALIFY_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "qplan.h"

/*
 * 'vfbench qualify PLAN': the stages of a qualification (stages.c, one
 * table), each run as a 'vfbench' child process into its own folder of
 * one results directory, and one verdict.
 */
enum qfy_status {
	QFY_PENDING,
	QFY_PASS,
	QFY_WARN,	 /* failed, and the plan made it advisory */
	QFY_FAIL,	 /* a check or a rule failed (exit 1) */
	QFY_ERROR,	 /* it could not judge (exit 2, 3, a crash) */
	QFY_SKIPPED,	 /* the plan does not ask for it */
	QFY_BLOCKED,	 /* what it needs did not pass */
	QFY_INTERRUPTED, /* SIGINT or SIGTERM came while it ran */
};
const char *qfy_status_name(enum qfy_status s);

enum qfy_verdict { QFY_V_PASS, QFY_V_FAIL, QFY_V_INCOMPLETE };

#define QFY_MAX_ARGS 64
#define QFY_ARGS_LEN 8192

/* One command of a stage (the gate has one a rule). */
struct qfy_step {
	char name[128]; /* the stage, or "gate: RULE" */
	char buf[QFY_ARGS_LEN];
	char *argv[QFY_MAX_ARGS + 1];
	int argc;
	char log[PATH_MAX + 96];
	int exit; /* its exit code; 128 + N: signal N; -1 not run */
	double secs;
	enum qfy_status st;
	char why[512];
};

struct qfy_stage;

struct qfy_stage_run {
	const struct qfy_stage *s;
	enum qfy_status st;
	char why[1024];
	struct qfy_step *steps;
	int nsteps;
	double secs;
};

/*
 * How a child runs: ARGV (argv[0] the vfbench binary) with stdout and
 * stderr into LOG; its exit code, 128 + N when signal N ended it, or a
 * negative errno when it could not start. While it runs, a signal that
 * sets *STOP is passed on to it. The live one forks and execs; tests put
 * a fake in its place.
 */
struct qfy_exec {
	int (*run)(void *ctx, char *const argv[], const char *log,
		   const volatile int *stop);
	void *ctx;
};
const struct qfy_exec *qfy_exec_live(void);

struct qfy_run {
	const struct qfy_plan *plan;
	const char *exe; /* the vfbench binary the children run */
	char out[PATH_MAX];
	char topology[PATH_MAX + 32]; /* the [PF] sections for setup */
	const struct qfy_exec *ex;
	const volatile int *stop; /* NULL: never stopped */
	bool dry_run;
	struct qfy_stage_run *stages;
	int nstages;
	enum qfy_verdict verdict;
	char why[4096];
	int sig; /* the signal that stopped it, or 0 */
	time_t started, ended;
};

/* The stages, in the order they run: how many; stage I's name (NULL
 * past the last) and what it does. */
size_t qfy_nstages(void);
const char *qfy_stage_info(size_t i, const char **what);

/* Make R's stages from its plan (every command line built, nothing
 * run). 0 or -ENOMEM. */
int qfy_prepare(struct qfy_run *r);
/* Run the stages in order: a stage runs when the plan asks for it and
 * what it needs passed (or was not asked for); an 'after' stage runs
 * whenever its stage was tried, a signal or not. Sets the verdict. */
void qfy_execute(struct qfy_run *r);
/* The exit code of the verdict: 0, 1, 3, or 128 + the signal. */
int qfy_exit_code(const struct qfy_run *r);
void qfy_free(struct qfy_run *r);

/* --dry-run: every stage, its command line and what it changes. */
void qfy_print_plan(FILE *f, const struct qfy_run *r);
/* A line a stage and the verdict, as it goes. */
void qfy_print_summary(FILE *f, const struct qfy_run *r);

/* The plan's files in the results directory before any stage: the plan
 * copied, the [PF] sections for setup (the plan's line numbers kept),
 * the gate's rules one a file. 0 or a negative errno (logged). */
int qfy_write_inputs(const struct qfy_run *r);
/* After: qualify.json, the JUnit (JUNIT, or OUT/junit.xml) and
 * report.md. 0 or a negative errno (logged). */
int qfy_write_record(const struct qfy_run *r, const char *junit);

#endif
