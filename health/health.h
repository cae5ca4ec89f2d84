/* SPDX-License-Identifier: MIT */
#ifndef HL_HEALTH_H
#define HL_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsroot.h"
#include "result.h"
#include "stats.h"

/*
 * vfbench health: a bounded local check for Slurm's HealthCheckProgram
 * and NHC. Its units run one after another, each in a child process cut
 * at its bound (SIGKILL), so a hung device or program never hangs the
 * check: the doctor's checks that concern a measurement, each device's
 * port, and a loopback probe of each path, judged against the probe of
 * the same host's PF (a ratio, not an absolute number per SKU).
 *
 * Error contract: functions return 0 or a negative errno and never log;
 * what they saw is in their results.
 */

/* Severity, in the order the worst wins; nagios' codes differ (see
 * hl_nagios_code). */
enum hl_status { HL_OK, HL_WARN, HL_UNKNOWN, HL_FAIL };
const char *hl_status_name(enum hl_status s);

#define HL_ID	   24
#define HL_SUBJECT 64
#define HL_TEXT	   240

struct hl_result {
	char id[HL_ID];		  /* "port.state", "stack.gid", "probe" */
	char subject[HL_SUBJECT]; /* the device (or "" for the host) */
	char path[16];		  /* the path kind, "" when none */
	enum hl_status status;
	char text[HL_TEXT]; /* what it saw, one line */
	/* a probe: its round trips, the ratio to the baseline (NAN) */
	bool has_lat;
	struct vfb_lat_stats lat; /* microseconds */
	uint32_t bytes;
	double ratio;
};

/* One path to probe: its kind, its device ("" with WHY: it fails). */
struct hl_target {
	char path[16];
	char dev[64];
	char why[200];
	bool baseline; /* the PF: the others are judged against it */
};

/* What the units reach the device and the system through (tests give
 * fakes). A NULL op: the unit says it cannot, as a skip. */
struct hl_ops {
	/* The doctor's checks for a measurement on DEVS: each result as an
	 * hl_result appended through ADD. */
	int (*ready)(void *arg, const struct vfb_fsroot *root,
		     const char *const *devs, int n,
		     void (*add)(void *sink, const struct hl_result *r),
		     void *sink);
	/* N loopback round trips of BYTES on DEV (port, GID index), in
	 * microseconds into US: 0, or a negative errno with WHY. */
	int (*pingpong)(void *arg, const char *dev, int port, int gid,
			uint32_t bytes, int n, double *us, char *why,
			size_t len);
	/* Run ARGV, its output into OUT: its exit status, -ENOENT when not
	 * installed (scontrol). */
	int (*run)(void *arg, char *const argv[], char *out, size_t len);
	void *arg;
};

#define HL_MAX_TARGETS 16
#define HL_MAX_RESULTS 128

struct hl_config {
	const struct vfb_fsroot *root;
	const struct hl_ops *ops;
	struct hl_target targets[HL_MAX_TARGETS];
	int ntargets;
	int port, gid;
	int probe_n; /* round trips a probe (default 200) */
	uint32_t probe_bytes;
	double max_ratio; /* a path's p50 over the PF's: above fails */
	double total_s;	  /* the whole check's bound */
	double step_s;	  /* each unit's bound (capped by what is left) */
	const char *hang; /* test hook: the unit id that hangs */
};

struct hl_report {
	struct hl_result r[HL_MAX_RESULTS];
	int n;
	double seconds; /* how long the check took */
};

/*
 * Run every unit of the check within its bounds into REP (cleared
 * first): a unit cut at its bound, or not run for lack of time, gives an
 * UNKNOWN result naming it. 0, or a negative errno (fork, pipe).
 */
int hl_check(const struct hl_config *cfg, struct hl_report *rep);

/* The worst status of REP. */
enum hl_status hl_worst(const struct hl_report *rep);

/*
 * Run FN(ARG, OUT) in a child process cut after LIMIT_S seconds; the
 * results it fills (at most MAX) come back into OUT: how many, or
 * -ETIMEDOUT when the child was killed at the bound, or another
 * negative errno (the child died: -ECHILD).
 */
typedef int (*hl_unit_fn)(const void *arg, struct hl_result *out, int max);
int hl_bounded(hl_unit_fn fn, const void *arg, double limit_s,
	       struct hl_result *out, int max);

/* The output of REP as NHC wants it (one line: "OK: ..." or "ERROR:
 * ..." naming the worst check and its device) and as nagios wants it (one line, the status first); the
 * nagios exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). */
void hl_line_nhc(const struct hl_report *rep, char *buf, size_t len);
void hl_line_nagios(const struct hl_report *rep, char *buf, size_t len);
int hl_nagios_code(enum hl_status s);
/* How the verdict is said and the exit code chosen (--exit-style): a
 * table of styles, the first the default. */
struct hl_style {
	const char *name;
	void (*line)(const struct hl_report *rep, char *buf, size_t len);
	int (*code)(enum hl_status worst);
};
const struct hl_style *hl_style_find(const char *name);
/* Their names, ", " between (for --help). */
const char *hl_style_names(void);

/* The drain reason of an unhealthy REP: "vfbench: ID SUBJECT: TEXT". */
void hl_reason(const struct hl_report *rep, char *buf, size_t len);

/* REP's result I as a results row (scenario "health"), for --prom. */
void hl_row(const struct hl_result *r, struct vfb_result *row);

/*
 * Slurm: drain NODE when unhealthy (the reason REASON, which starts with
 * "vfbench:"), unless someone else drained it; when healthy, resume it
 * only if vfbench drained it (STATE_DIR/health-drained says so) and its
 * reason still starts with "vfbench:". What it did or why not into SAID
 * (one line). 0, or a negative errno (scontrol failed: SAID says).
 */
struct hl_drain {
	const struct hl_ops *ops;
	const char *node;
	const char *state_dir;
};
int hl_drain_apply(const struct hl_drain *d, bool healthy, const char *reason,
		   char *said, size_t len);

/* The same in a child process cut after LIMIT_S (a hung scontrol). */
int hl_drain_bounded(const struct hl_drain *d, bool healthy, const char *reason,
		     double limit_s, char *said, size_t len);

/* Parse 'scontrol show node -o' output: whether it is drained (State
 * holds DRAIN) and its Reason (without the "[user@time]" suffix). */
void hl_node_parse(const char *out, bool *drained, char *reason, size_t len);

#endif
