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

/* Run gnuplot on plots.gp in the folder STAGEFD, its messages into
 * gnuplot.log there (a new file); DIR names the plots folder they end in. */
static int run_gnuplot(const char *prog, int stagefd, const char *dir,
		       char *note, size_t len)
{
	posix_spawn_file_actions_t fa;
	char log[1100], *argv[] = { (char *)prog, "plots.gp", NULL };
	int status, ret;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/gnuplot.log", dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addfchdir_np(&fa, stagefd);
	posix_spawn_file_actions_addopen(
		&fa, 1, "gnuplot.log", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
		0644);
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

/* DIR/NAME, whole or not at all (rpt_out): 0 or a negative errno. */
static int write_doc(int dirfd, const char *dir, const char *name,
		     const struct rpt_run *runs, int n,
		     const struct rpt_dir *plotdir, const char *note)
{
	struct rpt_out o;
	int ret;

	if ((ret = rpt_out_open(&o, dirfd, name)))
		return ret;
	if (plotdir)
		ret = rpt_summary_html(o.f, runs, n, plotdir, note);
	else
		ret = rpt_summary_md(o.f, runs, n, note);
	if (ret) {
		rpt_out_discard(&o);
		return -EIO;
	}
	if ((ret = rpt_out_commit(&o)))
		return ret;
	printf("%s/%s\n", dir, name);
	return 0;
}

static int write_summary(int dirfd, const char *dir, const struct rpt_run *runs,
			 int n, const struct rpt_dir *plotdir, const char *note)
{
	int ret = write_doc(dirfd, dir, "report.md", runs, n, NULL, note);

	return ret ? ret :
		     write_doc(dirfd, dir, "report.html", runs, n, plotdir,
			       note);
}

/*
 * The plots: data files and plots.gp written into a new private folder
 * in the plots folder, gnuplot run there (nothing planted in the results
 * directory can be under a name it writes), then every file moved into
 * the plots folder. NOTE says why there are no plots; a negative errno
 * with ERR when the files cannot be written.
 */
static int make_plots(const struct report_cfg *c, const struct rpt_run *runs,
		      int n, const struct rpt_dir *plots, char *note,
		      size_t notelen, char *err, size_t errlen)
{
	char stage[64], path[1200];
	struct rpt_dir sd = { .path = path };
	int nplots, ret;

	sd.fd = rpt_stage_make(plots->fd, stage, sizeof(stage));
	if (sd.fd < 0) {
		snprintf(err, errlen, "%s: a new folder: %s", plots->path,
			 strerror(-sd.fd));
		return sd.fd;
	}
	snprintf(path, sizeof(path), "%s/%s", plots->path, stage);
	nplots = rpt_plots_write(runs, n, &sd,
				 rpt_ref_size(&runs[0], (uint64_t)c->ref_size),
				 err, errlen);
	if (nplots < 0) {
		rpt_stage_remove(plots->fd, stage, sd.fd);
		return nplots;
	}
	ret = run_gnuplot(c->gnuplot, sd.fd, plots->path, note, notelen);
	if (ret)
		vfb_warn("report: %s", note);
	ret = rpt_stage_publish(plots->fd, stage, sd.fd, plots->fd);
	if (ret) {
		snprintf(err, errlen, "%s: %s", plots->path, strerror(-ret));
		return ret;
	}
	if (!note[0])
		printf("%s: %d plots (PNG and SVG)\n", plots->path, nplots);
	return 0;
}

/* The results directory DIR and its plots folder (made when missing,
 * never through a link): 0, or the exit code. */
static int open_dirs(const char *dir, int *dirfd, struct rpt_dir *plots)
{
	*dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*dirfd < 0) {
		vfb_err("report: %s: %s", dir, strerror(errno));
		return VFB_EXIT_ENV;
	}
	plots->fd = rpt_subdir_open(*dirfd, "plots", true);
	if (plots->fd >= 0)
		return 0;
	close(*dirfd);
	if (plots->fd == -ELOOP || plots->fd == -ENOTDIR) {
		vfb_err("report: %s: %s, refusing to write through it",
			plots->path,
			plots->fd == -ELOOP ? "a symbolic link" :
					      "not a folder");
		return VFB_EXIT_USAGE;
	}
	vfb_err("report: %s: %s", plots->path, strerror(-plots->fd));
	return VFB_EXIT_ENV;
}

int bench_cmd_report(int argc, char **argv)
{
	struct report_cfg c = { .ref_size = 4096, .gnuplot = "gnuplot" };
	struct rpt_run runs[RPT_MAX_RUNS];
	char err[700], plotdir[1024], note[1200] = "";
	struct rpt_dir plots = { .fd = -1, .path = plotdir };
	int ret, n = 0, i, dirfd = -1;

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
	if ((ret = open_dirs(runs[0].dir, &dirfd, &plots)))
		goto out;
	if (make_plots(&c, runs, n, &plots, note, sizeof(note), err,
		       sizeof(err))) {
		vfb_err("report: %s", err);
		ret = VFB_EXIT_ENV;
		goto close;
	}
	if (write_summary(dirfd, runs[0].dir, runs, n, &plots, note)) {
		vfb_err("report: cannot write the summary in %s", runs[0].dir);
		ret = VFB_EXIT_ENV;
		goto close;
	}
	ret = note[0] && c.plots ? VFB_EXIT_ENV : VFB_EXIT_OK;
close:
	close(plots.fd);
	close(dirfd);
out:
	while (n--)
		rpt_run_free(&runs[n]);
	return ret;
}
