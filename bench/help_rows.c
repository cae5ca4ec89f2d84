/* SPDX-License-Identifier: MIT */
/* The rows of the help topics of the commands that run other commands'
 * tables (qualify's plan, drill's events); see help.c. */
#include <stdio.h>

#include "drill.h"
#include "help_rows.h"
#include "qplan.h"
#include "qualify.h"

/* plan: qualify/plan.c's keys, then the stages of qualify/stages.c */
size_t help_plan_count(void)
{
	size_t n;

	qfy_plan_keys(&n);
	return n + 1 + qfy_nstages();
}

void help_plan_row(size_t i, struct help_row *r)
{
	size_t n;
	const struct qfy_key *k = qfy_plan_keys(&n);

	if (i < n) {
		snprintf(r->buf, sizeof(r->buf), "%s = %s", k[i].name,
			 k[i].form);
		r->cell[0] = r->buf;
		r->cell[1] = "[qualify]";
		r->cell[2] = k[i].stage;
		r->cell[3] = k[i].help;
		return;
	}
	if (i == n) {
		r->cell[0] = "[BDF|NETDEV]";
		r->cell[1] = "[PF]";
		r->cell[2] = "setup-apply";
		r->cell[3] = "a PF and its VFs: the keys of setup's --topology "
			     "('vfbench help setup')";
		return;
	}
	r->cell[0] = qfy_stage_info(i - n - 1, &r->cell[3]);
	r->cell[1] = "stage";
}

/* events: drill/events.c */
size_t help_events_count(void)
{
	size_t n;

	drl_events(&n);
	return n;
}

void help_events_row(size_t i, struct help_row *r)
{
	size_t n;
	const struct drl_event *e = &drl_events(&n)[i];

	r->cell[0] = e->name;
	r->cell[1] = e->help;
	r->cell[2] = e->how;
	r->cell[3] = e->undo;
	r->cell[4] = e->recovery;
}
