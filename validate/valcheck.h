/* SPDX-License-Identifier: MIT */
#ifndef VAL_VALCHECK_H
#define VAL_VALCHECK_H

#include "validate.h"

/* What a check runs with: the device, its capabilities, the ops (every
 * op the config lacks answering -VAL_NOT_TRIED). */
struct val_ctx {
	const struct val_config *cfg;
	struct val_ops ops;
	struct val_dev *dev;
	const struct val_caps *caps;
	const struct val_path *path;
	/* another function of the run, open beside this one (NULL: none,
	 * OTHER_WHY says why), and its name */
	struct val_dev *other;
	const char *other_dev;
	char other_why[200];
};

/* What a check needs claimed to run at all; without it the check is
 * skip, saying so. */
enum val_need {
	VAL_NEEDS_NOTHING,
	VAL_NEEDS_ATOMIC, /* atomic_cap is not NONE */
};

struct val_check {
	const char *id;	   /* "claims.srq", "protect.write.rkey" */
	const char *group; /* "claims", "protect" */
	const char *help;  /* one line, for help and docs */
	enum val_need needs;
	bool other; /* it needs another function open (val_ctx.other) */
	/* fills r->status, expected, observed and evidence */
	void (*run)(const struct val_ctx *c, const void *arg,
		    struct val_result *r);
	const void *arg; /* the entry's own data (an operation, ...) */
};

/* Set a result: STATUS, what was EXPECTED and OBSERVED, the evidence. */
void val_set(struct val_result *r, enum val_status status, const char *expected,
	     const char *observed, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Run check K on C into R (initialised, status VAL_UNSET): skip when
 * the device lacks what K needs; a check that set no verdict fails. */
void val_check_run(const struct val_check *k, const struct val_ctx *c,
		   struct val_result *r);

/* RET is -VAL_NOT_TRIED: R set to skip, saying WHY; true. */
bool val_not_tried(struct val_result *r, int ret, const char *why);

/* DST: SRC's ops, the default (-VAL_NOT_TRIED) for each it lacks. */
void val_ops_set(struct val_ops *dst, const struct val_ops *src);

/* The checks, by group: each check_GROUP.c holds its table, in the
 * order they run, NULL-terminated; a check is one entry there. */
extern const struct val_check *const val_checks_claims[],
	*const val_checks_protect[], *const val_checks_fence[];

#endif
