/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"
#include "report.h"

extern char **environ;

struct report_cfg {
	bool plots;
	long ref_size;
	const char *gnuplot;
};

#define O(f) offsetof(struct report_cfg, f)
static const struct vfb_opt report_opts[] = {
	{ .name = "plots",
	  .type = VFB_OPT_FLAG,
	  .offset = O(plots),
	  .help = "fail (exit 3) when the plots cannot be drawn" },
	{ .name = "ref-size",
	  .type = VFB_OPT_LONG,
	  .offset = O(ref_size),
	  .metavar = "BYTES",
	  .help = "size of the percentile plot (default 4096)",
	  .min = 1,
	  .max = 1L << 31 },
	{ .name = "gnuplot",
	  .type = VFB_OPT_STR,
	  .offset = O(gnuplot),
	  .metavar = "PROGRAM",
	  .help = "gnuplot to run (default: gnuplot in PATH)" },
	VFB_OPT_END,
};
#undef O

/* Run gnuplot on plots.gp in DIR, its messages into DIR/gnuplot.log. */
static int run_gnuplot(const char *prog, const char *dir, char *note,
		       size_t len)
{
	posix_spawn_file_actions_t fa;
	char log[1100], *argv[] = { (char *)prog, "plots.gp", NULL };
	int status, ret;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/gnuplot.log", dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	posix_spawn_file_actions_addopen(&fa, 1, "gnuplot.log",
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	ret = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret) {
		snprintf(note, len, "Plots skipped: cannot run %s: %s.", prog,
			 strerror(ret));
		return -ret;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 127) {
		snprintf(note, len,
			 "Plots skipped: %s not found or killed (see %s).",
			 prog, log);
		return -ENOENT;
	}
	if (WEXITSTATUS(status)) {
		snprintf(note, len, "Plots failed: %s exited %d (see %s).",
			 prog, WEXITSTATUS(status), log);
		return -EIO;
	}
	return 0;
}

static int write_summary(const char *dir, const struct rpt_run *runs, int n,
			 const char *plotdir, const char *note)
{
	char path[1100];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/report.md", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	ret = rpt_summary_md(f, runs, n, note);
	if (fclose(f) || ret)
		return -EIO;
	printf("%s\n", path);
	snprintf(path, sizeof(path), "%s/report.html", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	ret = rpt_summary_html(f, runs, n, plotdir, note);
	if (fclose(f) || ret)
		return -EIO;
	printf("%s\n", path);
	return 0;
}

int bench_cmd_report(int argc, char **argv)
{
	struct report_cfg c = { .ref_size = 4096, .gnuplot = "gnuplot" };
	struct rpt_run runs[RPT_MAX_RUNS];
	char err[700], plotdir[1024], note[1200] = "";
	int ret, n = 0, i, nplots;

	ret = vfb_opt_parse(report_opts, "report", "DIR [DIR...] [--plots]",
			    argc, argv, &c);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret == argc || argc - ret > RPT_MAX_RUNS) {
		vfb_err("report: give 1 to %d results directories",
			RPT_MAX_RUNS);
		return VFB_EXIT_USAGE;
	}
	for (i = ret; i < argc; i++, n++)
		if (rpt_run_load(argv[i], &runs[n], err, sizeof(err))) {
			vfb_err("report: %s", err);
			ret = VFB_EXIT_USAGE;
			goto out;
		}
	snprintf(plotdir, sizeof(plotdir), "%s/plots", runs[0].dir);
	if (mkdir(plotdir, 0755) && errno != EEXIST) {
		vfb_err("report: %s: %s", plotdir, strerror(errno));
		ret = VFB_EXIT_ENV;
		goto out;
	}
	nplots = rpt_plots_write(runs, n, plotdir,
				 rpt_ref_size(&runs[0], (uint64_t)c.ref_size),
				 err, sizeof(err));
	if (nplots < 0) {
		vfb_err("report: %s", err);
		ret = VFB_EXIT_ENV;
		goto out;
	}
	if (run_gnuplot(c.gnuplot, plotdir, note, sizeof(note)))
		vfb_warn("report: %s", note);
	else
		printf("%s: %d plots (PNG and SVG)\n", plotdir, nplots);
	if (write_summary(runs[0].dir, runs, n, plotdir, note)) {
		vfb_err("report: cannot write the summary in %s", runs[0].dir);
		ret = VFB_EXIT_ENV;
		goto out;
	}
	ret = note[0] && c.plots ? VFB_EXIT_ENV : VFB_EXIT_OK;
out:
	while (n--)
		rpt_run_free(&runs[n]);
	return ret;
}
