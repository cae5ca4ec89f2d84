/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "gate.h"
#include "report.h"
#include "results.h"

static const char *const default_rules = "relative lat_p50_us +5%\n"
					 "relative lat_p99_us +10%\n"
					 "relative bw_avg_gbps -3%\n"
					 "no-error-rows\n";

static int parse_filters(char *rest, struct rpt_rule *r)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(rest, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (!strncmp(tok, "test=", 5))
			snprintf(r->test, sizeof(r->test), "%s", tok + 5);
		else if (!strncmp(tok, "path=", 5))
			snprintf(r->path, sizeof(r->path), "%s", tok + 5);
		else
			return -EINVAL;
	}
	return 0;
}

static int parse_line(char *line, struct rpt_rule *r)
{
	char kind[16], metric[32], op[8], rest[128] = "";
	double v;
	int n;

	memset(r, 0, sizeof(*r));
	snprintf(r->text, sizeof(r->text), "%s", line);
	if (sscanf(line, "%15s", kind) == 1 && !strcmp(kind, "no-error-rows")) {
		r->kind = RPT_RULE_NO_ERRORS;
		snprintf(rest, sizeof(rest), "%s",
			 line + strlen("no-error-rows"));
		return parse_filters(rest, r);
	}
	n = sscanf(line, "%15s %31s %7s %127[^\n]", kind, metric, op, rest);
	if (n < 3 || !rpt_metric_known(metric))
		return -EINVAL;
	snprintf(r->metric, sizeof(r->metric), "%s", metric);
	if (!strcmp(kind, "relative")) {
		char *end;

		v = strtod(op, &end);
		if (strcmp(end, "%") || v == 0 || fabs(v) >= 1000)
			return -EINVAL;
		r->kind = v > 0 ? RPT_RULE_REL_UP : RPT_RULE_REL_DOWN;
		r->limit = fabs(v) / 100;
		return parse_filters(rest, r);
	}
	if (strcmp(kind, "absolute") || (strcmp(op, "<=") && strcmp(op, ">=")))
		return -EINVAL;
	r->kind = strcmp(op, "<=") ? RPT_RULE_ABS_MIN : RPT_RULE_ABS_MAX;
	n = sscanf(rest, "%lf %127[^\n]", &v, rest);
	if (n < 1)
		return -EINVAL;
	if (n == 1)
		rest[0] = '\0';
	r->limit = v;
	return parse_filters(rest, r);
}

int rpt_rules_parse(const char *text, struct rpt_rule *rules, int max,
		    char *err, size_t errlen)
{
	char *copy = strdup(text), *line, *save = NULL;
	int n = 0, lineno = 0, ret = 0;

	if (!copy)
		return -ENOMEM;
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		line[strcspn(line, "#")] = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			continue;
		if (n == max || parse_line(line, &rules[n])) {
			snprintf(err, errlen, "rule %d: cannot read '%s'",
				 lineno, line);
			ret = -EINVAL;
			break;
		}
		n++;
	}
	free(copy);
	if (!ret && n == 0) {
		snprintf(err, errlen, "no rules");
		ret = -EINVAL;
	}
	return ret ? ret : n;
}

int rpt_rules_default(struct rpt_rule *rules, int max)
{
	char err[64];

	return rpt_rules_parse(default_rules, rules, max, err, sizeof(err));
}

static const struct vfb_result *find(const struct rpt_run *run,
				     const struct vfb_result *key)
{
	size_t i;

	for (i = 0; i < run->nrows; i++)
		if (!strcmp(run->rows[i].path, key->path) &&
		    !strcmp(run->rows[i].test, key->test) &&
		    run->rows[i].msg_bytes == key->msg_bytes)
			return &run->rows[i];
	return NULL;
}

/* One check per case: the first of its repetitions stands for them all
 * (the comparison takes every one). */
static bool first_of_case(const struct rpt_run *run, size_t i)
{
	const struct vfb_result *r = &run->rows[i];
	size_t j;

	for (j = 0; j < i; j++)
		if (run->rows[j].status == VFB_STATUS_OK &&
		    run->rows[j].msg_bytes == r->msg_bytes &&
		    !strcmp(run->rows[j].path, r->path) &&
		    !strcmp(run->rows[j].test, r->test))
			return false;
	return true;
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

/* A mesh row of RUN for the same host pair and case as KEY. */
static const struct vfb_result *find_pair(const struct rpt_run *run,
					  const struct vfb_result *key)
{
	for (size_t i = 0; i < run->nmesh; i++) {
		const struct vfb_result *r = &run->mesh[i];

		if (r->retest != 1 && !strcmp(r->src_host, key->src_host) &&
		    !strcmp(r->dst_host, key->dst_host) &&
		    !strcmp(r->path, key->path) &&
		    !strcmp(r->test, key->test) &&
		    r->msg_bytes == key->msg_bytes)
			return r;
	}
	return NULL;
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
	struct vfb_cmp cmp;
	double change;
	bool up;

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
	up = ru->kind == RPT_RULE_REL_UP;
	/* a regression is a worsening beyond the rule's limit that is
	 * significant: its 95% interval excludes no change */
	if ((c->src_rank >= 0 ? rpt_compare_rows(base, b, cand, c, ru->metric,
						 up, ru->limit, &cmp) :
				rpt_compare_runs(base, cand, c, ru->metric, up,
						 ru->limit, &cmp)) ||
	    isnan(cmp.lo)) {
		k->pass = up ? change <= ru->limit : change >= -ru->limit;
		snprintf(k->detail, sizeof(k->detail),
			 "%s %.4g -> %.4g (%+.1f%%, allowed %s%.1f%%; no "
			 "interval: one run a side, no samples)",
			 ru->metric, vb, vc, change * 100, up ? "+" : "-",
			 ru->limit * 100);
		return;
	}
	k->pass = !(cmp.significant && cmp.verdict > 0);
	snprintf(k->detail, sizeof(k->detail),
		 "%s %.4g -> %.4g (%+.1f%%; worse by %+.1f%% [%+.1f, %+.1f]%s, "
		 "%s; allowed %s%.1f%%)",
		 ru->metric, vb, vc, change * 100, (cmp.est - 1) * 100,
		 (cmp.lo - 1) * 100, (cmp.hi - 1) * 100,
		 cmp.block == 0 ? " from the rows' median intervals" : "",
		 cmp.significant ? "significant" : "not significant",
		 up ? "+" : "-", ru->limit * 100);
}

static struct rpt_check *grow(struct rpt_check **c, int *cap, int n)
{
	struct rpt_check *g;

	if (n < *cap)
		return &(*c)[n];
	*cap = *cap ? 2 * *cap : 64;
	g = realloc(*c, *cap * sizeof(**c));
	if (!g)
		return NULL;
	*c = g;
	return &g[n];
}

static int error_checks(const struct rpt_rule *ru, const struct rpt_run *cand,
			struct rpt_check **out, int *cap, int n)
{
	struct rpt_check *k;
	size_t i;
	int errors = 0;

	for (i = 0; i < cand->nrows; i++) {
		const struct vfb_result *c = &cand->rows[i];

		if (c->status == VFB_STATUS_OK || !applies(ru, c))
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
	if (!errors) {
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
		memset(k, 0, sizeof(*k));
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
	memset(k, 0, sizeof(*k));
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

int rpt_gate(const struct rpt_run *base, const struct rpt_run *cand,
	     const struct rpt_rule *rules, int nrules, struct rpt_check **out,
	     char *err, size_t errlen)
{
	int n = 0, cap = 0, r, common = 0;
	size_t i;

	*out = NULL;
	for (i = 0; i < base->nrows; i++)
		common += find(cand, &base->rows[i]) != NULL;
	for (i = 0; i < base->nmesh; i++)
		common += find_pair(cand, &base->mesh[i]) != NULL;
	if (!common && !(base->nshare && cand->nshare)) {
		snprintf(err, errlen,
			 "%s and %s have no (path, test, size) in common",
			 base->dir, cand->dir);
		return -EINVAL;
	}
	for (r = 0; r < nrules; r++) {
		if (rules[r].kind == RPT_RULE_NO_ERRORS) {
			n = error_checks(&rules[r], cand, out, &cap, n);
			if (n < 0)
				return n;
			continue;
		}
		if (rules[r].kind == RPT_RULE_ABS_MAX ||
		    rules[r].kind == RPT_RULE_ABS_MIN) {
			n = share_checks(&rules[r], cand, out, &cap, n);
			if (n < 0)
				return n;
		}
		for (i = 0; i < base->nrows && n >= 0; i++)
			if (first_of_case(base, i))
				n = judge(&rules[r], base, cand, &base->rows[i],
					  find(cand, &base->rows[i]), out, &cap,
					  n);
		/* a mesh: each host pair against the same pair */
		for (i = 0; i < base->nmesh && n >= 0; i++)
			if (base->mesh[i].retest != 1)
				n = judge(&rules[r], base, cand, &base->mesh[i],
					  find_pair(cand, &base->mesh[i]), out,
					  &cap, n);
		if (n < 0)
			return n;
	}
	return n;
}

void rpt_gate_table(FILE *f, const struct rpt_check *c, int n)
{
	int i, fails = 0, skips = 0;

	for (i = 0; i < n; i++) {
		skips += c[i].skipped;
		fprintf(f, "%-4s  %-58s %s\n",
			c[i].skipped ? "skip" :
			c[i].pass    ? "ok" :
				       "FAIL",
			c[i].name, c[i].detail);
		fails += !c[i].pass;
	}
	fprintf(f,
		"gate: %d checks, %d passed, %d failed, %d without a baseline\n",
		n, n - fails - skips, fails, skips);
}

int rpt_gate_junit(const char *path, const struct rpt_check *c, int n)
{
	FILE *f = fopen(path, "w");
	int i, fails = 0;

	if (!f)
		return -errno;
	for (i = 0; i < n; i++)
		fails += !c[i].pass;
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites tests=\"%d\" failures=\"%d\">\n"
		"  <testsuite name=\"vfbench gate\" tests=\"%d\" failures=\"%d\">\n",
		n, fails, n, fails);
	for (i = 0; i < n; i++) {
		fputs("    <testcase classname=\"vfbench.", f);
		rpt_xml_text(f, c[i].classname);
		fputs("\" name=\"", f);
		rpt_xml_text(f, c[i].name);
		if (c[i].skipped) {
			fputs("\">\n      <skipped message=\"", f);
			rpt_xml_text(f, c[i].detail);
			fputs("\"/>\n    </testcase>\n", f);
			continue;
		}
		if (c[i].pass) {
			fputs("\"/>\n", f);
			continue;
		}
		fputs("\">\n      <failure message=\"", f);
		rpt_xml_text(f, c[i].detail);
		fputs("\">", f);
		rpt_xml_text(f, c[i].name);
		fputs(": ", f);
		rpt_xml_text(f, c[i].detail);
		fputs("</failure>\n    </testcase>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	return fclose(f) ? -errno : 0;
}
