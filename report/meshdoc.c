/* SPDX-License-Identifier: MIT */
/* The mesh section of a report (vfbench mesh): an N x N heatmap per
 * (path, test, size), the worst pairs and the suspect hosts. The figures
 * are the rows' (flags and suspects were decided by rank 0). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "escape.h"

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

/* One heatmap: cell (x = server, y = client), both directions of an
 * unordered pair drawn when only one was measured. */
static int heatmap(FILE *g, const struct rpt_run *run,
		   const struct rpt_dir *dir, const char *term,
		   const struct vfb_result *k, int n, char *err, size_t len)
{
	char name[160], file[180], qp[64], qt[64];
	struct rpt_out o;
	int ret;
	FILE *f;

	plot_name(k, name, sizeof(name));
	snprintf(file, sizeof(file), "%s.dat", name);
	if (!strcmp(term, "pngcairo")) {
		static double m[MESH_HOSTS][MESH_HOSTS];

		for (int a = 0; a < n; a++)
			for (int b = 0; b < n; b++)
				m[a][b] = NAN;
		for (size_t i = 0; i < run->nmesh; i++) {
			const struct vfb_result *r = &run->mesh[i];

			if (!same(k, r))
				continue;
			m[r->src_rank][r->dst_rank] = value(r);
			if (isnan(m[r->dst_rank][r->src_rank]))
				m[r->dst_rank][r->src_rank] = value(r);
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
				if (isnan(m[a][b]))
					fprintf(f, "NaN\n");
				else
					fprintf(f, "%.9g\n", m[a][b]);
			}
		if ((ret = rpt_plot_close(&o, dir, err, len)))
			return ret;
	}
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
	host_tics(g, "xtics", run, n);
	host_tics(g, "ytics", run, n);
	fprintf(g,
		"set xrange [-0.5:%d.5]\nset yrange [-0.5:%d.5] reverse\n"
		"plot '%s' using 1:2:3 with image notitle\n"
		"unset xtics\nunset ytics\nset xtics auto\nset ytics auto\n"
		"unset yrange\nunset xrange\nset yrange [*:*] noreverse\n"
		"unset cblabel\nunset palette\nset palette\n",
		n - 1, n - 1, file);
	return 1;
}

int rpt_mesh_plots(FILE *g, const struct rpt_run *run,
		   const struct rpt_dir *dir, const char *term, char *err,
		   size_t errlen)
{
	struct mesh_case c[MESH_CASES];
	size_t nc = cases(run, c);
	int n = nranks(run), ret, plots = 0;

	if (!nc || n < 2 || n > MESH_HOSTS)
		return 0;
	for (size_t i = 0; i < nc; i++) {
		ret = heatmap(g, run, dir, term, c[i].key, n, err, errlen);
		if (ret < 0)
			return ret;
		plots += ret;
	}
	fprintf(g, "set grid\n");
	return plots;
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

/* The 3 worst pairs of case K. */
static void worst(const struct doc_ops *d, FILE *f, const struct rpt_run *run,
		  const struct vfb_result *k)
{
	static const char *const head[] = { "client", "server", "round",
					    "value",  "flag",	"alone" };
	const struct vfb_result **v = malloc(run->nmesh * sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; v && i < run->nmesh; i++)
		if (same(k, &run->mesh[i]))
			v[n++] = &run->mesh[i];
	if (!v || !n) {
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), worse_first);
	d->row(f, head, 6, true);
	for (size_t i = 0; i < n && i < 3; i++) {
		const struct vfb_result *r = v[i], *again = NULL;
		char cells[6][96];
		const char *cp[6];

		for (size_t j = 0; j < run->nmesh; j++)
			if (run->mesh[j].retest == 1 &&
			    run->mesh[j].src_rank == r->src_rank &&
			    run->mesh[j].dst_rank == r->dst_rank &&
			    !strcmp(run->mesh[j].test, r->test) &&
			    run->mesh[j].msg_bytes == r->msg_bytes)
				again = &run->mesh[j];
		snprintf(cells[0], 96, "%s", r->src_host);
		snprintf(cells[1], 96, "%s", r->dst_host);
		snprintf(cells[2], 96, "%d", r->mesh_round);
		snprintf(cells[3], 96, r->has_lat ? "%.1f us" : "%.4f Gb/s",
			 value(r));
		snprintf(cells[4], 96, "%s", r->flag[0] ? r->flag : "-");
		if (again && again->status == VFB_STATUS_OK)
			snprintf(cells[5], 96,
				 r->has_lat ? "%.1f us%s" : "%.4f Gb/s%s",
				 value(again),
				 again->flag[0] ? " (again)" : "");
		else
			snprintf(cells[5], 96, "%s", again ? "error" : "-");
		for (int c = 0; c < 6; c++)
			cp[c] = cells[c];
		d->row(f, cp, 6, false);
	}
	d->table_end(f);
	free(v);
}

void rpt_mesh_doc(const struct doc_ops *d, FILE *f, const struct rpt_run *run,
		  const struct rpt_dir *plotdir, bool plots)
{
	struct mesh_case c[MESH_CASES];
	size_t nc = cases(run, c), errors = 0, pairs = 0;
	json_object *sus = NULL;
	char text[1024], name[160];
	int n = nranks(run);

	if (!run->nmesh)
		return;
	for (size_t i = 0; i < run->nmesh; i++) {
		errors += run->mesh[i].status != VFB_STATUS_OK;
		pairs += run->mesh[i].retest != 1;
	}
	d->heading(f, "A cluster, pair by pair (vfbench mesh)");
	snprintf(text, sizeof(text),
		 "%d hosts; %zu rows of host pairs in their rounds, %zu of "
		 "them errors (a rank that died or a pair that could not "
		 "connect). A pair is flagged when its latency p50 exceeds "
		 "the flag factor times the fleet's median for its case, or "
		 "its bandwidth falls below the flag fraction of the fleet's "
		 "best; flagged pairs were measured again alone (the 'alone' "
		 "column).",
		 n, pairs, errors);
	d->para(f, text);
	if (run->meta &&
	    json_object_object_get_ex(run->meta, "suspects", &sus) &&
	    json_object_is_type(sus, json_type_array) &&
	    json_object_array_length(sus)) {
		snprintf(text, sizeof(text),
			 "Suspect host%s (in most flagged "
			 "pairs, confirmed alone):",
			 json_object_array_length(sus) > 1 ? "s" : "");
		for (size_t i = 0; i < json_object_array_length(sus); i++)
			snprintf(text + strlen(text),
				 sizeof(text) - strlen(text), "%s %s",
				 i ? "," : "",
				 json_object_get_string(
					 json_object_array_get_idx(sus, i)));
		d->para(f, text);
	} else {
		d->para(f, "No host stands out.");
	}
	for (size_t i = 0; i < nc; i++) {
		snprintf(text, sizeof(text), "Worst pairs: %s %s %llu B",
			 c[i].key->path, c[i].key->test,
			 (unsigned long long)c[i].key->msg_bytes);
		d->para(f, text);
		worst(d, f, run, c[i].key);
		plot_name(c[i].key, name, sizeof(name));
		if (plots && n >= 2 && n <= MESH_HOSTS)
			d->image(f, plotdir, name);
	}
}
