/* SPDX-License-Identifier: MIT */
/* A cluster pair by pair (scenario.h, vfbench mesh): an N x N heatmap
 * per (path, test, size), the worst pairs and the suspect hosts. The
 * figures are the rows' (flags and suspects were decided by rank 0). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "gnuplot.h"
#include "scn.h"

#define MESH_CASES 32
#define MESH_HOSTS 64 /* a heatmap's side; more hosts: the table only */

struct mesh_case {
	const struct vfb_result *key;
};

/* The cases of the mesh, each once, in the rows' order. */
static size_t cases(const struct rpt_run *run, struct mesh_case *out)
{
	size_t n = 0;

	for (size_t i = 0; i < run->nmesh; i++) {
		const struct vfb_result *r = &run->mesh[i];
		size_t k;

		if (r->status != VFB_STATUS_OK || r->retest == 1)
			continue;
		for (k = 0; k < n; k++)
			if (!strcmp(out[k].key->path, r->path) &&
			    !strcmp(out[k].key->test, r->test) &&
			    out[k].key->msg_bytes == r->msg_bytes)
				break;
		if (k == n && n < MESH_CASES)
			out[n++].key = r;
	}
	return n;
}

static bool same(const struct vfb_result *a, const struct vfb_result *b)
{
	return !strcmp(a->path, b->path) && !strcmp(a->test, b->test) &&
	       a->msg_bytes == b->msg_bytes && b->retest != 1 &&
	       b->status == VFB_STATUS_OK;
}

static double value(const struct vfb_result *r)
{
	return r->has_lat ? r->lat.p50 : r->bw_avg_gbps;
}

static int nranks(const struct rpt_run *run)
{
	int n = 0;

	for (size_t i = 0; i < run->nmesh; i++) {
		n = run->mesh[i].src_rank >= n ? run->mesh[i].src_rank + 1 : n;
		n = run->mesh[i].dst_rank >= n ? run->mesh[i].dst_rank + 1 : n;
	}
	return n;
}

/* The host name of RANK, as the rows give it. */
static const char *host_of(const struct rpt_run *run, int rank)
{
	for (size_t i = 0; i < run->nmesh; i++) {
		if (run->mesh[i].src_rank == rank)
			return run->mesh[i].src_host;
		if (run->mesh[i].dst_rank == rank)
			return run->mesh[i].dst_host;
	}
	return "?";
}

static void plot_name(const struct vfb_result *k, char *buf, size_t len)
{
	char p[RPT_SLUG_MAX], t[RPT_SLUG_MAX];

	snprintf(buf, len, "mesh_%s_%s_%llu", rpt_slug(p, sizeof(p), k->path),
		 rpt_slug(t, sizeof(t), k->test),
		 (unsigned long long)k->msg_bytes);
}

/* The tics of an axis: each rank's host name, as gnuplot text. */
static void host_tics(FILE *g, const char *axis, const struct rpt_run *run,
		      int n)
{
	char q[160];

	fprintf(g, "set %s (", axis);
	for (int a = 0; a < n; a++)
		fprintf(g, "%s'%s' %d", a ? ", " : "",
			rpt_esc_gnuplot(q, sizeof(q), host_of(run, a)), a);
	fprintf(g, ")\n");
}

/* A walk's state: the run's cases and ranks (its first instance finds
 * them). */
struct mesh_state {
	struct mesh_case c[MESH_CASES];
	size_t nc;
	int n;
};

static bool each_case(struct rpt_view *v, size_t *at)
{
	struct mesh_state *m = v->state;

	if (!*at) {
		m->nc = cases(v->run, m->c);
		m->n = nranks(v->run);
	}
	if (*at >= m->nc)
		return false;
	v->key = m->c[(*at)++].key;
	return true;
}

static int ranks(const struct rpt_view *v)
{
	return ((const struct mesh_state *)v->state)->n;
}

static bool drawn(const struct rpt_view *v)
{
	return ranks(v) >= 2 && ranks(v) <= MESH_HOSTS;
}

/* One heatmap: cell (x = server, y = client), both directions of an
 * unordered pair drawn when only one was measured. */
static int heatmap_data(const struct rpt_view *v, const struct rpt_dir *dir,
			char *err, size_t len)
{
	static double h[MESH_HOSTS][MESH_HOSTS];
	const struct rpt_run *run = v->run;
	char name[160], file[180];
	struct rpt_out o;
	int ret, n = ranks(v);
	FILE *f;

	if (!drawn(v))
		return 0;
	plot_name(v->key, name, sizeof(name));
	snprintf(file, sizeof(file), "%s.dat", name);
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++)
			h[a][b] = NAN;
	for (size_t i = 0; i < run->nmesh; i++) {
		const struct vfb_result *r = &run->mesh[i];

		if (!same(v->key, r))
			continue;
		h[r->src_rank][r->dst_rank] = value(r);
		if (isnan(h[r->dst_rank][r->src_rank]))
			h[r->dst_rank][r->src_rank] = value(r);
	}
	if ((ret = rpt_plot_open(&o, dir, file, err, len)))
		return ret;
	f = o.f;
	for (int a = 0; a < n; a++)
		for (int b = 0; b <= n; b++) {
			if (b == n) {
				fprintf(f, "\n");
				continue;
			}
			fprintf(f, "%d\t%d\t", b, a);
			if (isnan(h[a][b]))
				fprintf(f, "NaN\n");
			else
				fprintf(f, "%.9g\n", h[a][b]);
		}
	ret = rpt_plot_close(&o, dir, err, len);
	return ret ? ret : 1;
}

static void heatmap_script(FILE *g, const struct rpt_view *v, const char *term)
{
	const struct vfb_result *k = v->key;
	char name[160], file[180], qp[64], qt[64];
	int n = ranks(v);

	plot_name(k, name, sizeof(name));
	snprintf(file, sizeof(file), "%s.dat", name);
	rpt_plot_terminal(g, term, name);
	fprintf(g,
		"set title '%s %s %llu B: %s by host pair'\nunset logscale\n"
		"set xlabel \"server\"\nset ylabel \"client\"\n"
		"set cblabel \"%s\"\nset palette %s\n",
		rpt_esc_gnuplot(qp, sizeof(qp), k->path),
		rpt_esc_gnuplot(qt, sizeof(qt), k->test),
		(unsigned long long)k->msg_bytes,
		k->has_lat ? "latency p50" : "bandwidth",
		k->has_lat ? "latency p50 [us]" : "Gb/s",
		k->has_lat ?
			"defined (0 \"white\", 1 \"orange\", 2 \"dark-red\")" :
			"defined (0 \"dark-red\", 1 \"orange\", 2 \"white\")");
	host_tics(g, "xtics", v->run, n);
	host_tics(g, "ytics", v->run, n);
	fprintf(g,
		"set xrange [-0.5:%d.5]\nset yrange [-0.5:%d.5] reverse\n"
		"plot '%s' using 1:2:3 with image notitle\n"
		"unset xtics\nunset ytics\nset xtics auto\nset ytics auto\n"
		"unset yrange\nunset xrange\nset yrange [*:*] noreverse\n"
		"unset cblabel\nunset palette\nset palette\n",
		n - 1, n - 1, file);
}

static int worse_first(const void *x, const void *y)
{
	const struct vfb_result *a = *(const struct vfb_result *const *)x,
				*b = *(const struct vfb_result *const *)y;
	double va = value(a), vb = value(b);

	if (!a->has_lat) { /* bandwidth: the lowest first */
		va = -va;
		vb = -vb;
	}
	return (va < vb) - (va > vb);
}

/* The 3 worst pairs of the case. */
static long worst_rows(struct rpt_view *v)
{
	const struct rpt_run *run = v->run;
	size_t n = 0;

	if (!(v->sel = malloc((run->nmesh + 1) * sizeof(*v->sel))))
		return -1;
	for (size_t i = 0; i < run->nmesh; i++)
		if (same(v->key, &run->mesh[i]))
			v->sel[n++] = &run->mesh[i];
	qsort(v->sel, n, sizeof(*v->sel), worse_first);
	return (long)(n < 3 ? n : 3);
}

/* The same pair measured again alone, if it was. */
static const struct vfb_result *again_of(const struct rpt_run *run,
					 const struct vfb_result *r)
{
	const struct vfb_result *again = NULL;

	for (size_t j = 0; j < run->nmesh; j++)
		if (run->mesh[j].retest == 1 &&
		    run->mesh[j].src_rank == r->src_rank &&
		    run->mesh[j].dst_rank == r->dst_rank &&
		    !strcmp(run->mesh[j].test, r->test) &&
		    run->mesh[j].msg_bytes == r->msg_bytes)
			again = &run->mesh[j];
	return again;
}

static const char *worst_cell(const struct rpt_view *v, size_t row, int col,
			      char *buf, size_t len)
{
	const struct vfb_result *r = v->sel[row], *again;

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", r->src_host);
		return buf;
	case 1:
		snprintf(buf, len, "%s", r->dst_host);
		return buf;
	case 2:
		snprintf(buf, len, "%d", r->mesh_round);
		return buf;
	case 3:
		snprintf(buf, len, r->has_lat ? "%.1f us" : "%.4f Gb/s",
			 value(r));
		return buf;
	case 4:
		snprintf(buf, len, "%s", r->flag[0] ? r->flag : "-");
		return buf;
	}
	again = again_of(v->run, r);
	if (again && again->status == VFB_STATUS_OK)
		snprintf(buf, len, r->has_lat ? "%.1f us%s" : "%.4f Gb/s%s",
			 value(again), again->flag[0] ? " (again)" : "");
	else
		snprintf(buf, len, "%s", again ? "error" : "-");
	return buf;
}

#define CELL(name, k)                                                          \
	static const char *worst_##name(const struct rpt_view *v, size_t row,  \
					int path, char *buf, size_t len)       \
	{                                                                      \
		(void)path;                                                    \
		return worst_cell(v, row, k, buf, len);                        \
	}
CELL(client, 0)
CELL(server, 1)
CELL(round, 2)
CELL(value, 3)
CELL(flag, 4)
CELL(alone, 5)

static const struct rpt_column worst_cols[] = {
	{ "client", RPT_ONCE, worst_client, 96 },
	{ "server", RPT_ONCE, worst_server, 96 },
	{ "round", RPT_ONCE, worst_round, 96 },
	{ "value", RPT_ONCE, worst_value, 96 },
	{ "flag", RPT_ONCE, worst_flag, 96 },
	{ "alone", RPT_ONCE, worst_alone, 96 },
};

static const struct rpt_table worst_table = {
	.rows = worst_rows,
	.cols = worst_cols,
	.ncols = RPT_LEN(worst_cols),
};

static bool intro(const struct rpt_view *v, size_t *at, char *buf, size_t len)
{
	const struct rpt_run *run = v->run;
	size_t errors = 0, pairs = 0;

	if ((*at)++)
		return false;
	for (size_t i = 0; i < run->nmesh; i++) {
		errors += run->mesh[i].status != VFB_STATUS_OK;
		pairs += run->mesh[i].retest != 1;
	}
	snprintf(buf, len,
		 "%d hosts; %zu rows of host pairs in their rounds, %zu of "
		 "them errors (a rank that died or a pair that could not "
		 "connect). A pair is flagged when its latency p50 exceeds "
		 "the flag factor times the fleet's median for its case, or "
		 "its bandwidth falls below the flag fraction of the fleet's "
		 "best; flagged pairs were measured again alone (the 'alone' "
		 "column).",
		 nranks(run), pairs, errors);
	return true;
}

static bool suspects(const struct rpt_view *v, size_t *at, char *buf,
		     size_t len)
{
	json_object *sus = NULL;

	if ((*at)++)
		return false;
	if (!v->run->meta ||
	    !json_object_object_get_ex(v->run->meta, "suspects", &sus) ||
	    !json_object_is_type(sus, json_type_array) ||
	    !json_object_array_length(sus)) {
		snprintf(buf, len, "No host stands out.");
		return true;
	}
	snprintf(buf, len,
		 "Suspect host%s (in most flagged "
		 "pairs, confirmed alone):",
		 json_object_array_length(sus) > 1 ? "s" : "");
	for (size_t i = 0; i < json_object_array_length(sus); i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s %s",
			 i ? "," : "",
			 json_object_get_string(
				 json_object_array_get_idx(sus, i)));
	return true;
}

static bool worst_title(const struct rpt_view *v, size_t *at, char *buf,
			size_t len)
{
	if ((*at)++)
		return false;
	snprintf(buf, len, "Worst pairs: %s %s %llu B", v->key->path,
		 v->key->test, (unsigned long long)v->key->msg_bytes);
	return true;
}

static bool heatmap_name(const struct rpt_view *v, size_t *at, char *buf,
			 size_t len)
{
	if ((*at)++ || !drawn(v))
		return false;
	plot_name(v->key, buf, len < 160 ? len : 160);
	return true;
}

static const struct rpt_block about[] = {
	{ .kind = RPT_HEADING,
	  .text = "A cluster, pair by pair (vfbench mesh)" },
	{ .kind = RPT_PARA, .say = intro },
	{ .kind = RPT_PARA, .say = suspects },
};

static const struct rpt_block per_case[] = {
	{ .kind = RPT_PARA, .say = worst_title },
	{ .kind = RPT_TABLE, .table = &worst_table },
	{ .kind = RPT_FIGURE, .say = heatmap_name },
};

static const struct rpt_section sections[] = {
	{ .blocks = about, .nblocks = RPT_LEN(about) },
	{ .each = each_case, .blocks = per_case, .nblocks = RPT_LEN(per_case) },
};

static const struct rpt_figure figures[] = {
	{ .data = heatmap_data, .script = heatmap_script },
};

static bool present(const struct rpt_run *run)
{
	return run->nmesh > 0;
}

const struct rpt_scenario rpt_scn_mesh = {
	.name = "mesh",
	.present = present,
	.sections = sections,
	.nsections = RPT_LEN(sections),
	.fig_each = each_case,
	.figures = figures,
	.nfigures = RPT_LEN(figures),
	.gp_after = "set grid\n",
	.state = sizeof(struct mesh_state),
};
