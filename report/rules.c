/* SPDX-License-Identifier: MIT */
/* The gate's rules file (gate.h): one rule a line, each whole or refused. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "opt.h"

static const char *const default_rules = "relative lat_p50_us +5%\n"
					 "relative lat_p99_us +10%\n"
					 "relative bw_avg_gbps -3%\n"
					 "no-error-rows\n";

/* Filters "test=NAME" and "path=NAME", each whole or refused. */
static int parse_filters(char **tok, int n, struct rpt_rule *r, char *why,
			 size_t len)
{
	for (int i = 0; i < n; i++) {
		char *dst = NULL;
		size_t cap = 0;

		if (!strncmp(tok[i], "test=", 5))
			dst = r->test, cap = sizeof(r->test);
		else if (!strncmp(tok[i], "path=", 5))
			dst = r->path, cap = sizeof(r->path);
		if (!dst) {
			snprintf(why, len,
				 "'%.32s' is not test=NAME or "
				 "path=NAME",
				 tok[i]);
			return -EINVAL;
		}
		if (!tok[i][5] || strlen(tok[i] + 5) >= cap) {
			snprintf(why, len,
				 "%.5s wants a name of 1 to %zu "
				 "characters",
				 tok[i], cap - 1);
			return -EINVAL;
		}
		snprintf(dst, cap, "%s", tok[i] + 5);
	}
	return 0;
}

/* A limit: a finite decimal number and UNIT ("nan", "inf" and hex
 * floats judge nothing). */
static int parse_limit(const char *s, const char *unit, double *v)
{
	size_t n = strlen(s), u = strlen(unit);
	char num[64];

	if (n <= u || n - u >= sizeof(num) || strcmp(s + n - u, unit))
		return -EINVAL;
	memcpy(num, s, n - u);
	num[n - u] = '\0';
	return vfb_num_parse(num, v);
}

/* relative METRIC +PCT% | -PCT% [filters] */
static int parse_relative(char **tok, int n, struct rpt_rule *r, char *why,
			  size_t len)
{
	double v;

	if (parse_limit(tok[2], "%", &v) || v == 0 || fabs(v) >= 1000) {
		snprintf(why, len,
			 "'%.32s' is not +PCT%% or -PCT%% "
			 "(0 < PCT < 1000)",
			 tok[2]);
		return -EINVAL;
	}
	r->kind = v > 0 ? RPT_RULE_REL_UP : RPT_RULE_REL_DOWN;
	r->limit = fabs(v) / 100;
	return parse_filters(tok + 3, n - 3, r, why, len);
}

/* path-relative METRIC +PCT% | -PCT% [filters] */
static int parse_path_relative(char **tok, int n, struct rpt_rule *r, char *why,
			       size_t len)
{
	int ret = parse_relative(tok, n, r, why, len);

	r->kind = r->kind == RPT_RULE_REL_UP ? RPT_RULE_PATH_UP :
					       RPT_RULE_PATH_DOWN;
	return ret;
}

/* absolute METRIC <=|>= VALUE [filters] */
static int parse_absolute(char **tok, int n, struct rpt_rule *r, char *why,
			  size_t len)
{
	double v;

	if ((strcmp(tok[2], "<=") && strcmp(tok[2], ">=")) || n < 4 ||
	    parse_limit(tok[3], "", &v)) {
		snprintf(why, len,
			 "not absolute METRIC <=|>= VALUE "
			 "(a finite number)");
		return -EINVAL;
	}
	r->kind = strcmp(tok[2], "<=") ? RPT_RULE_ABS_MIN : RPT_RULE_ABS_MAX;
	r->limit = v;
	return parse_filters(tok + 4, n - 4, r, why, len);
}

/*
 * The kinds of rule, by the word that starts one. A kind with a metric
 * has it checked before its parser runs; one without takes filters
 * only. A new kind is an entry here and its checks in gate.c.
 */
static const struct rpt_rule_kind_info kinds[] = {
	{ .word = "relative",
	  .form = "relative METRIC +PCT% | -PCT%",
	  .meaning = "METRIC may grow (+) or drop (-) by at most PCT percent "
		     "over the baseline's",
	  .metric = true,
	  .needs_base = true,
	  .parse = parse_relative },
	{ .word = "path-relative",
	  .form = "path-relative METRIC +PCT% | -PCT%",
	  .meaning = "each path's METRIC may exceed (+) or fall short of (-) "
		     "the baseline path's in the same run (the PF measured "
		     "beside it) by at most PCT percent; no baseline run",
	  .metric = true,
	  .parse = parse_path_relative },
	{ .word = "absolute",
	  .form = "absolute METRIC <= VALUE | >= VALUE",
	  .meaning = "each row's METRIC is within VALUE (the rows the "
		     "baseline has; a sharing row on its own)",
	  .metric = true,
	  .needs_base = true,
	  .parse = parse_absolute },
	{ .word = "no-error-rows",
	  .form = "no-error-rows",
	  .meaning = "the candidate has no error row",
	  .kind = RPT_RULE_NO_ERRORS },
	{ .word = "no-validate-failures",
	  .form = "no-validate-failures",
	  .meaning = "every check of the candidate's vfbench validate rows "
		     "passed or was skipped (a skip is counted as such)",
	  .kind = RPT_RULE_NO_VAL_FAILS },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

const struct rpt_rule_kind_info *rpt_rule_kinds(size_t *n)
{
	*n = NKINDS;
	return kinds;
}

static const struct rpt_rule_kind_info *kind_find(const char *word)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].word, word))
			return &kinds[i];
	return NULL;
}

/* "relative, absolute, no-error-rows nor ..." from the table */
static void kinds_list(char *buf, size_t len)
{
	size_t i, at = 0;

	for (i = 0; i < NKINDS && at < len; i++)
		at += snprintf(buf + at, len - at, "%s%s",
			       !i	       ? "" :
			       i + 1 == NKINDS ? " nor " :
						 ", ",
			       kinds[i].word);
}

#define RULE_WORDS 8

static int parse_line(char *line, struct rpt_rule *r, char *why, size_t len)
{
	const struct rpt_rule_kind_info *k;
	char *tok[RULE_WORDS], *save = NULL, *t, names[128];
	int n = 0;

	memset(r, 0, sizeof(*r));
	snprintf(r->text, sizeof(r->text), "%s", line);
	for (t = strtok_r(line, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == RULE_WORDS) {
			snprintf(why, len, "more than %d words", RULE_WORDS);
			return -EINVAL;
		}
		tok[n++] = t;
	}
	if (!(k = kind_find(tok[0]))) {
		kinds_list(names, sizeof(names));
		snprintf(why, len, "not %s", names);
		return -EINVAL;
	}
	r->needs_base = k->needs_base;
	if (!k->metric) {
		r->kind = k->kind;
		return parse_filters(tok + 1, n - 1, r, why, len);
	}
	if (n < 3 || !rpt_metric_known(tok[1])) {
		snprintf(why, len,
			 "no metric (a results.csv figure: "
			 "lat_p50_us, bw_avg_gbps, ...)");
		return -EINVAL;
	}
	snprintf(r->metric, sizeof(r->metric), "%s", tok[1]);
	return k->parse(tok, n, r, why, len);
}

/* The next line of the text at *P (LF or CRLF), NUL-terminated in place. */
static char *next_line(char **p)
{
	char *line = *p, *nl;
	size_t n;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	*p = nl ? nl + 1 : line + strlen(line);
	if (nl)
		*nl = '\0';
	n = strlen(line);
	if (n && line[n - 1] == '\r')
		line[n - 1] = '\0';
	return line;
}

int rpt_rules_parse(const char *text, struct rpt_rule *rules, int max,
		    char *err, size_t errlen)
{
	char *copy = strdup(text), *p = copy, *line, why[160];
	int n = 0, lineno = 0, ret = 0;

	if (!copy)
		return -ENOMEM;
	while (!ret && (line = next_line(&p))) {
		lineno++;
		line[strcspn(line, "#")] = '\0';
		line += strspn(line, " \t");
		if (!*line)
			continue;
		if (n == max) {
			snprintf(err, errlen,
				 "line %d: more than %d rules, "
				 "the most a rules file holds",
				 lineno, max);
			ret = -EINVAL;
		} else if (parse_line(line, &rules[n], why, sizeof(why))) {
			snprintf(err, errlen, "line %d: %s: '%.60s%s'", lineno,
				 why, rules[n].text,
				 strlen(rules[n].text) > 60 ? "..." : "");
			ret = -EINVAL;
		} else {
			rules[n++].line = lineno;
		}
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
