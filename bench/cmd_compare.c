/* SPDX-License-Identifier: MIT */
/*
 * vfbench compare A B: whether B differs from A, with the same method as
 * the report and the gate (common/compare), for numbers that come from
 * elsewhere: one value a line in each file, e.g. perftest's per-round
 * t_typical against vfbench's (scripts/bench-perftest).
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "compare.h"
#include "exitcode.h"
#include "file.h"
#include "log.h"
#include "opt.h"

struct compare_cfg {
	const char *stat, *threshold, *label_a, *label_b;
	bool series, lower_better, higher_better;
};

#define O(f) offsetof(struct compare_cfg, f)
static const struct vfb_opt compare_opts[] = {
	{ .name = "stat",
	  .type = VFB_OPT_STR,
	  .offset = O(stat),
	  .metavar = "median|p99|mean",
	  .help = "with --series: the statistic of the series (default median)" },
	{ .name = "series",
	  .type = VFB_OPT_FLAG,
	  .offset = O(series),
	  .help = "the values are consecutive samples of one run (batch means), not independent rounds" },
	{ .name = "threshold",
	  .type = VFB_OPT_STR,
	  .offset = O(threshold),
	  .metavar = "FRAC",
	  .help = "smallest difference that counts (default 0.02)" },
	{ .name = "lower-is-better",
	  .type = VFB_OPT_FLAG,
	  .offset = O(lower_better),
	  .help = "say faster/slower for a time (B below A: faster)" },
	{ .name = "higher-is-better",
	  .type = VFB_OPT_FLAG,
	  .offset = O(higher_better),
	  .help = "say faster/slower for a rate (B above A: faster)" },
	{ .name = "label-a",
	  .type = VFB_OPT_STR,
	  .offset = O(label_a),
	  .metavar = "NAME",
	  .help = "what A is, in the verdict (default A)" },
	{ .name = "label-b",
	  .type = VFB_OPT_STR,
	  .offset = O(label_b),
	  .metavar = "NAME",
	  .help = "what B is (default B)" },
	VFB_OPT_END,
};
#undef O

/* One number a line (of any length); blank lines are skipped. Only a
 * regular file: a directory or a FIFO is said to be one. */
static int read_values(const char *path, double **v, size_t *n)
{
	char *line = NULL, *end;
	size_t cap = 0, lcap = 0, lineno = 0;
	double x, *g;
	ssize_t len;
	FILE *f = vfb_file_fopen(path);
	int ret = 0;

	*v = NULL;
	*n = 0;
	if (!f) {
		vfb_err("compare: %s: %s", path, vfb_file_strerror(-errno));
		return -ENOENT;
	}
	while (!ret && (len = getline(&line, &lcap, f)) > 0) {
		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		x = strtod(line, &end);
		if ((size_t)len != strlen(line) || end == line ||
		    end[strspn(end, " \t\r\n")] != '\0' || !isfinite(x)) {
			vfb_err("compare: %s line %zu: not a number", path,
				lineno);
			ret = -EINVAL;
		} else if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			g = realloc(*v, cap * sizeof(*g));
			if (!g)
				ret = -ENOMEM;
			else
				*v = g;
		}
		if (!ret)
			(*v)[(*n)++] = x;
	}
	free(line);
	fclose(f);
	if (ret) {
		free(*v);
		*v = NULL;
	}
	return ret;
}

/* The options beyond their table: which statistic, the threshold. */
static int check_cfg(struct compare_cfg *c, enum vfb_stat *st, double *thr)
{
	if (c->stat && !c->series) {
		vfb_err("compare: --stat goes with --series (rounds are compared by their geometric mean)");
		return -EINVAL;
	}
	if (!c->stat)
		c->stat = "median";
	*st = !strcmp(c->stat, "median") ? VFB_STAT_MEDIAN :
	      !strcmp(c->stat, "p99")	 ? VFB_STAT_P99 :
	      !strcmp(c->stat, "mean")	 ? VFB_STAT_MEAN :
					   (enum vfb_stat) - 1;
	if ((int)*st < 0) {
		vfb_err("compare: --stat wants median, p99 or mean, not '%s'",
			c->stat);
		return -EINVAL;
	}
	if (c->threshold) {
		if (vfb_num_parse(c->threshold, thr) ||
		    !(*thr >= 0 && *thr < 1)) {
			vfb_err("compare: --threshold wants a fraction in [0, 1), not '%s'",
				c->threshold);
			return -EINVAL;
		}
	}
	if (c->lower_better && c->higher_better) {
		vfb_err("compare: --lower-is-better and --higher-is-better exclude each other");
		return -EINVAL;
	}
	return 0;
}

/* The verdict, one line. */
static void render(const struct compare_cfg *c, const struct vfb_cmp *r,
		   size_t na, size_t nb)
{
	char text[160], why[128];

	vfb_cmp_text(r, text, sizeof(text));
	vfb_cmp_why(r, why, sizeof(why));
	if (isnan(r->lo))
		printf("%s vs %s: no verdict: %s", c->label_b, c->label_a,
		       text);
	else if (!r->significant)
		printf("%s vs %s: no significant difference: %s", c->label_b,
		       c->label_a, text);
	else if (c->lower_better || c->higher_better) {
		/* B above A: more time (slower) or a higher rate (faster) */
		bool up = r->est > 1, faster = up == c->higher_better;
		double e = fabs(r->est - 1) * 100;
		double lo = (up ? r->lo - 1 : 1 - r->hi) * 100;
		double hi = (up ? r->hi - 1 : 1 - r->lo) * 100;

		printf("%s vs %s: %s by %.1f%% [%.1f, %.1f]", c->label_b,
		       c->label_a, faster ? "faster" : "slower", e, lo, hi);
	} else
		printf("%s vs %s: %s", c->label_b, c->label_a, text);
	if (c->series)
		printf(" (%s of a series, %zu and %zu values in %zu and %zu batches; %s)\n",
		       c->stat, na, nb, r->na, r->nb, why);
	else
		printf(" (geometric mean of rounds, %zu and %zu values%s)\n",
		       na, nb, isnan(r->lo) ? "" : ", Welch's t on their logs");
}

int bench_cmd_compare(int argc, char **argv)
{
	struct compare_cfg c = { .label_a = "A", .label_b = "B" };
	enum vfb_stat st;
	double thr = VFB_CMP_THRESHOLD, *a = NULL, *b = NULL;
	size_t na, nb;
	struct vfb_cmp r;
	int ret;

	ret = vfb_opt_parse(compare_opts, "compare", "A_FILE B_FILE [OPTIONS]",
			    argc, argv, &c);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (argc - ret != 2) {
		vfb_err("compare: give two files, A and B (one value a line)");
		return VFB_EXIT_USAGE;
	}
	if (check_cfg(&c, &st, &thr))
		return VFB_EXIT_USAGE;
	if (read_values(argv[ret], &a, &na) ||
	    read_values(argv[ret + 1], &b, &nb)) {
		free(a);
		return VFB_EXIT_USAGE;
	}
	ret = c.series ? vfb_cmp_series(a, na, b, nb, st, thr, &r) :
			 vfb_cmp_reps(a, na, b, nb, thr, &r);
	free(a);
	free(b);
	if (ret && c.series) {
		vfb_err("compare: a series wants %d values a side at least, all positive (%zu and %zu given)",
			5 * VFB_CMP_BATCH_MIN, na, nb);
		return VFB_EXIT_USAGE;
	}
	if (ret) {
		vfb_err("compare: rounds want one value a side at least, all positive (%zu and %zu given)",
			na, nb);
		return VFB_EXIT_USAGE;
	}
	render(&c, &r, na, nb);
	return VFB_EXIT_OK;
}
