/* SPDX-License-Identifier: MIT */
#ifndef RPT_ROWINDEX_H
#define RPT_ROWINDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "result.h"

/*
 * Rows by their case, hashed: (path, test, size), and for a mesh's host
 * pairs (src_host, dst_host) too. Built once in O(n), each look-up O(1)
 * on average, so that matching a candidate's rows to a baseline's is
 * linear (a scan per row was quadratic: 39,800 mesh rows took 103 s).
 * Only the first row of each key is kept, as a scan in order would find.
 *
 * The gate's, beside the case index (index.h), which cannot stand in for
 * it: that one holds only a run's ok plain rows, sorted (n log n), for
 * the sizes of a (test, path) in order; the gate looks up rows of any
 * status (an error row is "no measurement", not "row missing") and a
 * mesh's host pairs, each once, in O(1).
 */
struct rpt_rowindex {
	const struct vfb_result **slot;
	size_t mask; /* slots - 1, a power of two */
	bool pair;   /* the key holds the host pair */
};

/* Index the rows of ROWS[0..N) that KEEP picks (NULL: all). 0 or -ENOMEM. */
int rpt_rowindex_build(struct rpt_rowindex *ix, const struct vfb_result *rows,
		       size_t n, bool pair,
		       bool (*keep)(const struct vfb_result *));
/* The first indexed row with KEY's key, or NULL. */
const struct vfb_result *rpt_rowindex_find(const struct rpt_rowindex *ix,
					   const struct vfb_result *key);
void rpt_rowindex_free(struct rpt_rowindex *ix);

#endif
