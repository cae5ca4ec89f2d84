/* SPDX-License-Identifier: MIT */
#ifndef RPT_INDEX_H
#define RPT_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "load.h"

/*
 * The ok rows of a run by case (test, path, size), each case's
 * repetitions in row order: built once on first use (a sort, n log n)
 * so that finding a case costs log n, not a pass over every row.
 */
struct rpt_case {
	const struct vfb_result *const *rows; /* its repetitions */
	size_t n;
};

/* Case (TEST, PATH, SIZE) of RUN: 0, or -ENOENT (no ok row), -ENOMEM. */
int rpt_case_find(const struct rpt_run *run, const char *test, const char *path,
		  uint64_t size, struct rpt_case *out);
/* The cases of (TEST, PATH) by ascending size into OUT (MAX at most):
 * their count (negative errno). */
int rpt_cases_of(const struct rpt_run *run, const char *test, const char *path,
		 struct rpt_case *out, size_t max);

/* Free RUN's index, if built (it is built again on next use). */
void rpt_index_drop(struct rpt_run *run);

#endif
