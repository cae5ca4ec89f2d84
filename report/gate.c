/* SPDX-License-Identifier: MIT */
/* The gate: a candidate's rows matched to a baseline's, each rule's
 * checks and their verdicts (gate.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "gate.h"
#include "index.h"
#include "pathkind.h"
#include "ratio.h"
#include "rowindex.h"

/* A row the gate judges: measured, and for a mesh not a lone retest. */
static bool measured(const struct vfb_result *r)
{
	return r->status == VFB_STATUS_OK;
}

static bool not_retest(const struct vfb_result *r)
{
	return r->retest != 1;
}

/*
 * Each baseline row's candidate, matched once for every rule: the
 * candidate's rows (the first of each case, any status) and mesh pairs
 * (not retests) hashed by case, the baseline's looked up in them, and
 * whether a baseline row is the first measured one of its case (one
 * check per case: the first of its repetitions stands for them all, the
 * comparison takes every one). Matched per rule, each rule was another
 * pass of hash probes missing the cache (four a row on a mesh): the gate
 * on 200,000 mesh rows cost 12 to 20 times what 20,000 did.
 */
struct gate_index {
	const struct vfb_result **row_cand, **mesh_cand; /* NULL: none */
	bool *row_first;
};

static void index_free(struct gate_index *x)
{
	free(x->row_cand);
	free(x->mesh_cand);
	free(x->row_first);
}

static void index_match(struct gate_index *x, const struct rpt_run *base,
			const struct rpt_rowindex *cand,
			const struct rpt_rowindex *pairs,
			const struct rpt_rowindex *base_first)
{
	size_t i;

	for (i = 0; i < base->nrows; i++) {
		x->row_cand[i] = rpt_rowindex_find(cand, &base->rows[i]);
		x->row_first[i] =
			rpt_rowindex_find(base_first, &base->rows[i]) ==
			&base->rows[i];
	}
	for (i = 0; i < base->nmesh; i++)
		x->mesh_cand[i] = rpt_rowindex_find(pairs, &base->mesh[i]);
}

static int index_build(struct gate_index *x, const struct rpt_run *base,
		       const struct rpt_run *cand)
{
	struct rpt_rowindex c = { 0 }, p = { 0 }, f = { 0 };
	int ret = -ENOMEM;

	x->row_cand = malloc((base->nrows + 1) * sizeof(*x->row_cand));
	x->mesh_cand = malloc((base->nmesh + 1) * sizeof(*x->mesh_cand));
	x->row_first = malloc((base->nrows + 1) * sizeof(*x->row_first));
	if (x->row_cand && x->mesh_cand && x->row_first &&
	    !rpt_rowindex_build(&c, cand->rows, cand->nrows, false, NULL) &&
	    !rpt_rowindex_build(&p, cand->mesh, cand->nmesh, true,
				not_retest) &&
	    !rpt_rowindex_build(&f, base->rows, base->nrows, false, measured)) {
		index_match(x, base, &c, &p, &f);
		ret = 0;
	}
	rpt_rowindex_free(&c);
	rpt_rowindex_free(&p);
	rpt_rowindex_free(&f);
	if (ret)
		index_free(x);
	return ret;
}

static bool applies(const struct rpt_rule *ru, const struct vfb_result *r)
{
	return (!ru->test[0] || !strcmp(ru->test, r->test)) &&
	       (!ru->path[0] || !strcmp(ru->path, r->path));
}

static void row_names(struct rpt_check *k, const struct vfb_result *r,
		      const struct rpt_rule *ru)
{
	char pair[140] = "";

	if (r->src_rank >= 0) /* a mesh's host pair */
		snprintf(pair, sizeof(pair), "%.64s->%.64s ", r->src_host,
			 r->dst_host);
	snprintf(k->classname, sizeof(k->classname), "%s%s.%s",
		 r->src_rank >= 0 ? "mesh." : "", r->path, r->test);
	snprintf(k->name, sizeof(k->name), "%s%s %s %llu B: %s", pair, r->path,
		 r->test, (unsigned long long)r->msg_bytes, ru->text);
}

/* Whether a row of this kind carries METRIC (latency rows no bandwidth),
 * as the column table says. */
static bool carries(const struct vfb_result *r, const char *metric)
{
	const struct rpt_col *c = rpt_col_find(metric);

	return !c || ((!(c->rows & RPT_ROWS_LAT) || r->has_lat) &&
		      (!(c->rows & RPT_ROWS_BW) || r->has_bw));
}

static void check_row(const struct rpt_rule *ru, const struct rpt_run *base,
		      const struct rpt_run *cand, const struct vfb_result *b,
		      const struct vfb_result *c, struct rpt_check *k)
{
	double vb = rpt_metric(b, ru->metric), vc = rpt_metric(c, ru->metric);
	bool paths =
		ru->kind == RPT_RULE_PATH_UP || ru->kind == RPT_RULE_PATH_DOWN;
	char vs[48] = "";
	struct vfb_cmp cmp;
	double change;
	bool up;
	int ret;

	row_names(k, c, ru);
	if (ru->kind == RPT_RULE_ABS_MAX || ru->kind == RPT_RULE_ABS_MIN) {
		k->pass = ru->kind == RPT_RULE_ABS_MAX ? vc <= ru->limit :
							 vc >= ru->limit;
		snprintf(k->detail, sizeof(k->detail), "%s = %.4g (limit %.4g)",
			 ru->metric, vc, ru->limit);
		return;
	}
	if (!(vb > 0)) {
		k->pass = k->skipped = true;
		snprintf(
			k->detail, sizeof(k->detail),
			"%s baseline is %.9g: no ratio to judge (candidate %.9g)",
			ru->metric, vb, vc);
		return;
	}
	change = (vc - vb) / vb;
	up = ru->kind == RPT_RULE_REL_UP || ru->kind == RPT_RULE_PATH_UP;
	/* a regression is a worsening beyond the rule's limit that is
	 * significant: its 95% interval excludes no change */
	if (paths) {
		snprintf(vs, sizeof(vs), "%s against %s: ", c->path, b->path);
		ret = rpt_compare_paths(cand, c, ru->metric, up, ru->limit,
					&cmp);
	} else if (c->src_rank >= 0) {
		ret = rpt_compare_rows(b, c, ru->metric, up, ru->limit, &cmp);
	} else {
		ret = rpt_compare_runs(base, cand, c, ru->metric, up, ru->limit,
				       &cmp);
	}
	if (ret || isnan(cmp.lo)) {
		char why[128] = "no samples or repetitions to compare";

		if (!isnan(cmp.est))
			vfb_cmp_why(&cmp, why, sizeof(why));
		k->pass = up ? change <= ru->limit : change >= -ru->limit;
		snprintf(k->detail, sizeof(k->detail),
			 "%s%s %.4g -> %.4g (%+.1f%%, allowed %s%.1f%%; no "
			 "verdict: %s: the change itself judged)",
			 vs, ru->metric, vb, vc, change * 100, up ? "+" : "-",
			 ru->limit * 100, why);
		return;
	}
	k->pass = !(cmp.significant && cmp.verdict > 0);
	snprintf(k->detail, sizeof(k->detail),
		 "%s%s %.4g -> %.4g (%+.1f%%; worse by %+.1f%% [%+.1f, %+.1f], "
		 "%s over %zu and %zu repetitions; allowed %s%.1f%%)",
		 vs, ru->metric, vb, vc, change * 100, (cmp.est - 1) * 100,
		 (cmp.lo - 1) * 100, (cmp.hi - 1) * 100,
		 cmp.significant ? "significant" : "not significant", cmp.na,
		 cmp.nb, up ? "+" : "-", ru->limit * 100);
}

static struct rpt_check *grow(struct rpt_check **c, int *cap, int n)
{
	struct rpt_check *g;

	if (n >= *cap) {
		*cap = *cap ? 2 * *cap : 64;
		g = realloc(*c, *cap * sizeof(**c));
		if (!g)
			return NULL;
		*c = g;
	}
	/* each check starts cleared: a flag left from realloc's memory
	 * made a failing check print as a skip */
	memset(&(*c)[n], 0, sizeof(**c));
	return &(*c)[n];
}

static int error_checks(const struct rpt_rule *ru, const struct rpt_run *cand,
			struct rpt_check **out, int *cap, int n)
{
	struct rpt_check *k;
	size_t i, matched = 0;
	int errors = 0;

	for (i = 0; i < cand->nrows; i++) {
		const struct vfb_result *c = &cand->rows[i];

		if (!applies(ru, c))
			continue;
		matched++;
		if (c->status == VFB_STATUS_OK)
			continue;
		if (!(k = grow(out, cap, n)))
			return -ENOMEM;
		memset(k, 0, sizeof(*k)); /* grow() does not clear */
		snprintf(k->classname, sizeof(k->classname), "%s.%s", c->path,
			 c->test);
		snprintf(k->name, sizeof(k->name),
			 "%s %s %llu B: no-error-rows", c->path, c->test,
			 (unsigned long long)c->msg_bytes);
		k->pass = false;
		snprintf(k->detail, sizeof(k->detail), "error: %.240s",
			 c->error);
		n++, errors++;
	}
	for (i = 0; i < cand->nmesh; i++)
		matched += applies(ru, &cand->mesh[i]);
	for (i = 0; i < cand->nshare; i++)
		matched += applies(ru, &cand->share[i]);
	if (!errors && matched) { /* a filter that matches nothing: none */
		if (!(k = grow(out, cap, n)))
			return -ENOMEM;
		memset(k, 0, sizeof(*k));
		snprintf(k->classname, sizeof(k->classname), "run");
		snprintf(k->name, sizeof(k->name), "%s", ru->text);
		snprintf(k->detail, sizeof(k->detail), "no error rows");
		k->pass = true;
		n++;
	}
	return n;
}

/* A validate row's check: pass, a skip said as one (never counted as a
 * pass), anything else a failure naming what was observed. */
static void validate_check(const struct vfb_result *c, struct rpt_check *k)
{
	bool pass = !strcmp(c->verdict, "pass");

	snprintf(k->classname, sizeof(k->classname), "validate.%s", c->path);
	snprintf(k->name, sizeof(k->name), "%s", c->check);
	k->pass = pass || !strcmp(c->verdict, "skip");
	k->skipped = !pass && k->pass;
	if (k->skipped)
		snprintf(k->detail, sizeof(k->detail), "%s: skipped: %s",
			 c->path, c->evidence[0] ? c->evidence : c->observed);
	else if (k->pass || !strcmp(c->verdict, "fail"))
		snprintf(k->detail, sizeof(k->detail),
			 "%s: observed %s (expected %s): %s", c->path,
			 c->observed, c->expected, c->evidence);
	else /* a verdict this vfbench does not know never passes */
		snprintf(k->detail, sizeof(k->detail),
			 "%s: verdict '%s' is not pass, fail or skip: "
			 "observed %s",
			 c->path, c->verdict, c->observed);
}

/* no-validate-failures: a check for each of the candidate's validate
 * rows its filters match (path=), judged on its own: no baseline. */
static int validate_checks(const struct rpt_rule *ru,
			   const struct rpt_run *cand, struct rpt_check **out,
			   int *cap, int n)
{
	struct rpt_check *k;
	size_t i;

	for (i = 0; i < cand->nvalidate; i++) {
		if (!applies(ru, &cand->validate[i]))
			continue;
		if (!(k = grow(out, cap, n)))
			return -ENOMEM;
		validate_check(&cand->validate[i], k);
		n++;
	}
	return n;
}

/*
 * An absolute rule on the candidate's sharing rows that carry its metric
 * (jain on a fairness aggregate, penalty_p99 on an isolation one): they
 * are judged on their own, a sharing scenario has no baseline row.
 */
static int share_checks(const struct rpt_rule *ru, const struct rpt_run *cand,
			struct rpt_check **out, int *cap, int n)
{
	struct rpt_check *k;
	size_t i;

	for (i = 0; i < cand->nshare; i++) {
		const struct vfb_result *c = &cand->share[i];
		double v = rpt_metric(c, ru->metric);

		if (c->status != VFB_STATUS_OK || isnan(v) || !applies(ru, c))
			continue;
		if (!(k = grow(out, cap, n)))
			return -ENOMEM;
		snprintf(k->classname, sizeof(k->classname), "share.%s",
			 c->scenario);
		snprintf(k->name, sizeof(k->name),
			 "%s %s %s (%u at once) %s %llu B: %s", c->scenario,
			 c->role, c->device[0] ? c->device : "all", c->active,
			 c->test, (unsigned long long)c->msg_bytes, ru->text);
		k->pass = ru->kind == RPT_RULE_ABS_MAX ? v <= ru->limit :
							 v >= ru->limit;
		snprintf(k->detail, sizeof(k->detail), "%s = %.4g (limit %.4g)",
			 ru->metric, v, ru->limit);
		n++;
	}
	return n;
}

/* Rule RU on baseline row B and its candidate C (NULL: missing). */
static int judge(const struct rpt_rule *ru, const struct rpt_run *base,
		 const struct rpt_run *cand, const struct vfb_result *b,
		 const struct vfb_result *c, struct rpt_check **out, int *cap,
		 int n)
{
	double vb = rpt_metric(b, ru->metric);
	struct rpt_check *k;

	if (!applies(ru, b) || b->status != VFB_STATUS_OK)
		return n;
	if (isnan(vb) && !carries(b, ru->metric))
		return n; /* a latency rule on a bandwidth row */
	if (!(k = grow(out, cap, n)))
		return -ENOMEM;
	if (isnan(vb)) {
		row_names(k, b, ru);
		k->pass = k->skipped = true;
		snprintf(k->detail, sizeof(k->detail),
			 "the baseline has no %s: nothing to judge",
			 ru->metric);
	} else if (!c || c->status != VFB_STATUS_OK ||
		   isnan(rpt_metric(c, ru->metric))) {
		row_names(k, b, ru);
		snprintf(k->detail, sizeof(k->detail), "%s in the candidate",
			 c ? "no measurement" : "row missing");
	} else {
		check_row(ru, base, cand, b, c, k);
	}
	return n + 1;
}

/*
 * A path-relative rule on the candidate alone: each measured case on a
 * path other than the baseline's (the first of its repetitions; the
 * comparison takes them all) against the baseline path's case of its
 * test and size in the same run; none there: a skip that says so.
 */
static int path_checks(const struct rpt_rule *ru, const struct rpt_run *cand,
		       struct rpt_check **out, int *cap, int n)
{
	const char *bp = vfb_path_baseline()->name;
	struct rpt_rowindex first = { 0 };
	struct rpt_check *k;
	struct rpt_case pf;
	size_t i;

	if (rpt_rowindex_build(&first, cand->rows, cand->nrows, false,
			       measured))
		return -ENOMEM;
	for (i = 0; i < cand->nrows && n >= 0; i++) {
		const struct vfb_result *c = &cand->rows[i];

		if (!strcmp(c->path, bp) || !applies(ru, c) ||
		    rpt_rowindex_find(&first, c) != c ||
		    (isnan(rpt_metric(c, ru->metric)) &&
		     !carries(c, ru->metric)))
			continue;
		if (!(k = grow(out, cap, n))) {
			n = -ENOMEM;
			break;
		}
		n++;
		if (rpt_case_find(cand, c->test, bp, c->msg_bytes, &pf)) {
			row_names(k, c, ru);
			k->pass = k->skipped = true;
			snprintf(k->detail, sizeof(k->detail),
				 "no %s row of %s %llu B in this run: nothing "
				 "to judge against",
				 bp, c->test, (unsigned long long)c->msg_bytes);
			continue;
		}
		check_row(ru, cand, cand, pf.rows[0], c, k);
	}
	rpt_rowindex_free(&first);
	return n;
}

/* The checks of rule RU, after the N there are. */
static int rule_checks(const struct rpt_rule *ru, const struct rpt_run *base,
		       const struct rpt_run *cand, const struct gate_index *x,
		       struct rpt_check **out, int *cap, int n)
{
	size_t i;

	if (ru->kind == RPT_RULE_NO_ERRORS)
		return error_checks(ru, cand, out, cap, n);
	if (ru->kind == RPT_RULE_NO_VAL_FAILS)
		return validate_checks(ru, cand, out, cap, n);
	if (ru->kind == RPT_RULE_PATH_UP || ru->kind == RPT_RULE_PATH_DOWN)
		return path_checks(ru, cand, out, cap, n);
	if (ru->kind == RPT_RULE_ABS_MAX || ru->kind == RPT_RULE_ABS_MIN)
		n = share_checks(ru, cand, out, cap, n);
	for (i = 0; i < base->nrows && n >= 0; i++)
		if (x->row_first[i])
			n = judge(ru, base, cand, &base->rows[i],
				  x->row_cand[i], out, cap, n);
	/* a mesh: each host pair against the same pair */
	for (i = 0; i < base->nmesh && n >= 0; i++)
		if (base->mesh[i].retest != 1)
			n = judge(ru, base, cand, &base->mesh[i],
				  x->mesh_cand[i], out, cap, n);
	return n;
}

static int gate(const struct rpt_run *base, const struct rpt_run *cand,
		const struct rpt_rule *rules, int nrules,
		struct rpt_check **out, char *err, size_t errlen)
{
	int n = 0, cap = 0, r, from, k;
	struct gate_index x;
	size_t i, common = 0;
	bool compares = false;

	*out = NULL;
	for (r = 0; r < nrules; r++)
		compares |= rules[r].needs_base;
	if (index_build(&x, base, cand))
		return -ENOMEM;
	for (i = 0; i < base->nrows; i++)
		common += x.row_cand[i] != NULL;
	for (i = 0; i < base->nmesh; i++)
		common += x.mesh_cand[i] != NULL;
	/* rules that judge the candidate alone need nothing in common */
	if (compares && !common && !(base->nshare && cand->nshare)) {
		snprintf(err, errlen,
			 "%s and %s have no (path, test, size) in common",
			 base->dir, cand->dir);
		index_free(&x);
		return -EINVAL;
	}
	for (r = 0; r < nrules && n >= 0; r++) {
		from = n;
		n = rule_checks(&rules[r], base, cand, &x, out, &cap, n);
		for (k = from; k < n; k++)
			(*out)[k].rule = r;
	}
	index_free(&x);
	return n;
}

/* The gate leaves the runs as it found them: a case index it built
 * (report/index.h) is dropped again, so a caller that owns its rows
 * (a test's) has nothing to free. */
int rpt_gate(const struct rpt_run *base, const struct rpt_run *cand,
	     const struct rpt_rule *rules, int nrules, struct rpt_check **out,
	     char *err, size_t errlen)
{
	bool had_b = base->index, had_c = cand->index;
	int n = gate(base, cand, rules, nrules, out, err, errlen);

	if (!had_b)
		rpt_index_drop((struct rpt_run *)base);
	if (!had_c && cand != base)
		rpt_index_drop((struct rpt_run *)cand);
	return n;
}

int rpt_gate_unmatched(int nrules, const struct rpt_check *checks, int n)
{
	int r, i;

	for (r = 0; r < nrules; r++) {
		for (i = 0; i < n && checks[i].rule != r; i++)
			;
		if (i == n)
			return r;
	}
	return -1;
}
