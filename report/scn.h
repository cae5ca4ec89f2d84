/* SPDX-License-Identifier: MIT */
#ifndef RPT_SCN_H
#define RPT_SCN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/* What the scenarios' files (scn_*.c) share, and the registry's entries
 * (scenario.c lists them); the renderers see only scenario.h. */
extern const struct rpt_scenario rpt_scn_run, rpt_scn_matrix, rpt_scn_share,
	rpt_scn_mesh, rpt_scn_validate, rpt_scn_drill;

/* The tests the report shows, one instance each (V->test). */
bool rpt_each_test(struct rpt_view *v, size_t *at);

/* The path matrix's figures (scn_matrixfig.c): a test's latency or
 * bandwidth, its overhead, its latency percentiles. */
#define RPT_MATRIX_FIGURES 3
extern const struct rpt_figure rpt_matrix_figures[RPT_MATRIX_FIGURES];

/* Sharing's figures (scn_sharefig.c) and its rows' look-up: the row
 * of DEVICE in SCENARIO for TEST and SIZE (the first one), or NULL. */
#define RPT_SHARE_FIGURES 3
extern const struct rpt_figure rpt_share_figures[RPT_SHARE_FIGURES];
const struct vfb_result *rpt_share_find(const struct rpt_run *run,
					const char *scenario,
					const char *device, const char *test,
					uint64_t size);

#endif
