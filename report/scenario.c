/* SPDX-License-Identifier: MIT */
/* The scenarios a report shows, in its order (scenario.h). */
#include "scn.h"

static const struct rpt_scenario *const all[] = {
	&rpt_scn_run,  &rpt_scn_matrix,	  &rpt_scn_share,
	&rpt_scn_mesh, &rpt_scn_validate, &rpt_scn_drill,
};

const struct rpt_scenario *const *rpt_scenarios(size_t *n)
{
	*n = RPT_LEN(all);
	return all;
}
