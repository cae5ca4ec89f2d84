/* SPDX-License-Identifier: MIT */
/* vfbench drill (scenario.h): the recovery table (the target's streams,
 * an event each), the neighbours' penalties, and a timeline an event
 * (each stream's bandwidth and latency against time, the event at 0,
 * the time until recovery shaded). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "gnuplot.h"
#include "scn.h"

#define DRL_EVENTS_MAX 32

static bool is_summary(const struct vfb_result *r, const char *role)
{
	return !strcmp(r->phase, "summary") && !strcmp(r->role, role);
}

static long summary_rows(struct rpt_view *v, const char *role)
{
	const struct rpt_run *run = v->run;
	long n = 0;
	size_t i;

	if (!(v->sel = malloc((run->ndrill + 1) * sizeof(*v->sel))))
		return -1;
	for (i = 0; i < run->ndrill; i++)
		if (is_summary(&run->drill[i], role))
			v->sel[n++] = &run->drill[i];
	return n;
}

static long target_rows(struct rpt_view *v)
{
	return summary_rows(v, "target");
}

static long neighbour_rows(struct rpt_view *v)
{
	return summary_rows(v, "neighbour");
}

#define STR_CELL(name, field)                                                  \
	static const char *cell_##name(const struct rpt_view *v, size_t row,   \
				       int path, char *buf, size_t len)        \
	{                                                                      \
		(void)path, (void)buf, (void)len;                              \
		return v->sel[row]->field;                                     \
	}
STR_CELL(event, event)
STR_CELL(device, device)
STR_CELL(test, test)
STR_CELL(verdict, verdict)
STR_CELL(qp_end, qp_end)
STR_CELL(config, config)
STR_CELL(proof, proof)
STR_CELL(evidence, evidence)
STR_CELL(error, error)

static const char *ms(double v, char *buf, size_t len)
{
	if (isnan(v))
		return "-";
	snprintf(buf, len, "%.0f", v);
	return buf;
}

static const char *cell_stop(const struct rpt_view *v, size_t row, int path,
			     char *buf, size_t len)
{
	(void)path;
	return ms(v->sel[row]->stop_ms, buf, len);
}

static const char *cell_recovery(const struct rpt_view *v, size_t row, int path,
				 char *buf, size_t len)
{
	(void)path;
	return ms(v->sel[row]->recovery_ms, buf, len);
}

static const char *cell_penalty(const struct rpt_view *v, size_t row, int path,
				char *buf, size_t len)
{
	const struct vfb_ratio *p = &v->sel[row]->penalty;

	(void)path;
	if (isnan(p->est))
		return "-";
	if (isnan(p->lo))
		snprintf(buf, len, "%.3g (no interval)", p->est);
	else
		snprintf(buf, len, "%.3g [%.3g, %.3g]", p->est, p->lo, p->hi);
	return buf;
}

static const struct rpt_column target_cols[] = {
	{ .header = "event", .cell = cell_event },
	{ .header = "device", .cell = cell_device },
	{ .header = "test", .cell = cell_test },
	{ .header = "verdict", .cell = cell_verdict },
	{ .header = "QPs ended", .cell = cell_qp_end },
	{ .header = "stopped [ms]", .cell = cell_stop },
	{ .header = "recovery [ms]", .cell = cell_recovery },
	{ .header = "configuration after", .cell = cell_config },
	{ .header = "path after", .cell = cell_proof },
	{ .header = "what the host did", .cell = cell_evidence },
	{ .header = "error", .cell = cell_error },
};

static const struct rpt_table target_table = {
	.rows = target_rows,
	.cols = target_cols,
	.ncols = RPT_LEN(target_cols),
	.empty = "No event ran.",
};

static const struct rpt_column neighbour_cols[] = {
	{ .header = "event", .cell = cell_event },
	{ .header = "device", .cell = cell_device },
	{ .header = "test", .cell = cell_test },
	{ .header = "during/before", .cell = cell_penalty },
	{ .header = "verdict", .cell = cell_verdict },
	{ .header = "QPs ended", .cell = cell_qp_end },
};

static const struct rpt_table neighbour_table = {
	.rows = neighbour_rows,
	.cols = neighbour_cols,
	.ncols = RPT_LEN(neighbour_cols),
	.empty = "No neighbour measured.",
};

/* The events in their order: the target's bandwidth summary of each. */
struct drl_state {
	const struct vfb_result *ev[DRL_EVENTS_MAX];
	size_t n;
};

static bool each_event(struct rpt_view *v, size_t *at)
{
	struct drl_state *s = v->state;
	const struct rpt_run *run = v->run;
	size_t i;

	if (!*at)
		for (i = 0, s->n = 0; i < run->ndrill && s->n < DRL_EVENTS_MAX;
		     i++)
			if (is_summary(&run->drill[i], "target") &&
			    !strcmp(run->drill[i].test, "write_bw"))
				s->ev[s->n++] = &run->drill[i];
	if (*at >= s->n)
		return false;
	v->key = s->ev[(*at)++];
	return true;
}

static void plot_name(const struct vfb_result *k, char *buf, size_t len)
{
	char e[RPT_SLUG_MAX];

	snprintf(buf, len, "drill_%s", rpt_slug(e, sizeof(e), k->event));
}

/* Each stream's intervals of the event, a block a stream (gnuplot's
 * index): t (s), Mb/s or us; the streams' names in the header. */
static int timeline_data(const struct rpt_view *v, const struct rpt_dir *dir,
			 char *err, size_t len)
{
	const struct rpt_run *run = v->run;
	char name[160], file[180], dev[160];
	struct rpt_out o;
	size_t i, j, n = 0;
	int ret;

	plot_name(v->key, name, sizeof(name));
	snprintf(file, sizeof(file), "%s.dat", name);
	if ((ret = rpt_plot_open(&o, dir, file, err, len)))
		return ret;
	for (i = 0; i < run->ndrill; i++) {
		const struct vfb_result *s = &run->drill[i];

		if (!is_summary(s, s->role) || strcmp(s->event, v->key->event))
			continue;
		fprintf(o.f, "%s# %s %s %s\n", n++ ? "\n\n" : "", s->role,
			rpt_esc_datafield(dev, sizeof(dev), s->device),
			s->test);
		for (j = 0; j < run->ndrill; j++) {
			const struct vfb_result *r = &run->drill[j];

			if (strcmp(r->event, s->event) ||
			    strcmp(r->role, s->role) ||
			    strcmp(r->device, s->device) ||
			    strcmp(r->test, s->test) || isnan(r->t_ms) ||
			    isnan(r->event_ms) || !strcmp(r->phase, "summary"))
				continue;
			rpt_plot_num(o.f, (r->t_ms - r->event_ms) / 1e3, "\t");
			rpt_plot_num(o.f,
				     r->has_lat ? r->lat.p50 :
						  r->bw_avg_gbps * 1e3,
				     "\n");
		}
	}
	ret = rpt_plot_close(&o, dir, err, len);
	return ret ? ret : 1;
}

static void timeline_script(FILE *g, const struct rpt_view *v, const char *term)
{
	const struct rpt_run *run = v->run;
	const struct vfb_result *k = v->key;
	char name[160], qe[64], qd[160];
	size_t i, n = 0;

	plot_name(k, name, sizeof(name));
	rpt_plot_terminal(g, term, name);
	fprintf(g,
		"set title '%s: the event at 0, until recovery shaded'\n"
		"unset logscale\nset format x \"%%g\"\nset xlabel \"time [s]\"\n"
		"set ylabel \"bandwidth [Mb/s]\"\nset y2label \"latency p50 [us]\"\n"
		"set ytics nomirror\nset y2tics\nset yrange [0:*]\n"
		"set y2range [0:*]\nset arrow 1 from 0, graph 0 to 0, graph 1 nohead lw 2\n",
		rpt_esc_gnuplot(qe, sizeof(qe), k->event));
	if (!isnan(k->recovery_ms) && k->recovery_ms > 0)
		fprintf(g,
			"set object 1 rect from 0, graph 0 to %.9g, graph 1 "
			"fc rgb \"grey\" fs transparent solid 0.2 noborder\n",
			k->recovery_ms / 1e3);
	fprintf(g, "plot ");
	for (i = 0; i < run->ndrill; i++) {
		const struct vfb_result *s = &run->drill[i];
		bool lat;

		if (!is_summary(s, s->role) || strcmp(s->event, k->event))
			continue;
		lat = !strcmp(s->test, "write_lat");
		fprintf(g,
			"%s\"%s.dat\" index %zu using 1:2 axes %s with "
			"linespoints title '%s %s %s'",
			n ? ", " : "", name, n, lat ? "x1y2" : "x1y1", s->role,
			rpt_esc_gnuplot(qd, sizeof(qd), s->device),
			lat ? "latency" : "bandwidth");
		n++;
	}
	fprintf(g, "\nunset arrow 1\nunset object 1\nunset y2tics\n"
		   "unset y2label\nset ytics mirror\nunset yrange\n"
		   "unset y2range\n");
}

static bool timeline_name(const struct rpt_view *v, size_t *at, char *buf,
			  size_t len)
{
	if ((*at)++)
		return false;
	plot_name(v->key, buf, len < 160 ? len : 160);
	return true;
}

static const struct rpt_block head_blocks[] = {
	{ .kind = RPT_HEADING, .text = "Disruption drills (vfbench drill)" },
	{ .kind = RPT_PARA,
	  .text = "Each event performed while the target VF and its "
		  "neighbours carried traffic. Recovery: from the event's "
		  "start until a new session on the target (its device found "
		  "again) measured an interval; the configuration after is "
		  "setup's verify against what 'setup apply' recorded, the "
		  "path after the counters of the first interval after "
		  "recovery. A skip is an event this host could not perform, "
		  "with its reason: never a pass." },
	{ .kind = RPT_HEADING, .text = "Recovery" },
	{ .kind = RPT_TABLE, .table = &target_table },
	{ .kind = RPT_HEADING, .text = "Neighbours" },
	{ .kind = RPT_PARA,
	  .text = "A neighbour's figure during the event over before it "
		  "(bandwidth before/during, latency during/before: above 1 "
		  "worse), each interval one value, with its 95% interval; "
		  "fail: a significant penalty over 1.1, or its traffic "
		  "stopped too." },
	{ .kind = RPT_TABLE, .table = &neighbour_table },
};

static const struct rpt_block per_event[] = {
	{ .kind = RPT_FIGURE, .say = timeline_name },
};

static const struct rpt_section sections[] = {
	{ .blocks = head_blocks, .nblocks = RPT_LEN(head_blocks) },
	{ .each = each_event,
	  .blocks = per_event,
	  .nblocks = RPT_LEN(per_event) },
};

static const struct rpt_figure figures[] = {
	{ .data = timeline_data, .script = timeline_script },
};

static bool present(const struct rpt_run *run)
{
	return run->ndrill > 0;
}

const struct rpt_scenario rpt_scn_drill = {
	.name = "drill",
	.present = present,
	.sections = sections,
	.nsections = RPT_LEN(sections),
	.fig_each = each_event,
	.figures = figures,
	.nfigures = RPT_LEN(figures),
	.state = sizeof(struct drl_state),
};
