/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"
#include "qualify.h"
#include "rundir.h"
#include "stop.h"

struct qualify_cfg {
	const char *out, *junit;
	bool dry_run;
};

#define O(f) offsetof(struct qualify_cfg, f)
static const struct vfb_opt qualify_opts[] = {
	{ .name = "out",
	  .key = 'o',
	  .type = VFB_OPT_STR,
	  .offset = O(out),
	  .metavar = "DIR",
	  .help = "the results directory, a folder a stage (default "
		  "results/qualify-TIME)" },
	{ .name = "junit",
	  .type = VFB_OPT_STR,
	  .offset = O(junit),
	  .metavar = "FILE",
	  .help = "JUnit XML, a testcase a stage and a rule (default "
		  "DIR/junit.xml)" },
	{ .name = "dry-run",
	  .key = 'n',
	  .type = VFB_OPT_FLAG,
	  .offset = O(dry_run),
	  .help = "print every stage's command line and what it changes; "
		  "touch nothing" },
	VFB_OPT_END,
};
#undef O

/* The vfbench the stages run: $VFB_QUALIFY_EXE (tests), else this one. */
static int self_exe(char *buf, size_t len)
{
	const char *env = getenv("VFB_QUALIFY_EXE");
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int out_dir(const struct qualify_cfg *c, struct qfy_run *r)
{
	char stamp[32], done[PATH_MAX + 32];
	time_t t = time(NULL);
	struct tm tm;

	if (c->out) {
		if (strlen(c->out) >= sizeof(r->out) - 64) {
			vfb_err("qualify: --out %.64s...: too long", c->out);
			return -EINVAL;
		}
		snprintf(r->out, sizeof(r->out), "%s", c->out);
	} else {
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		snprintf(r->out, sizeof(r->out), "results/qualify-%s-%d", stamp,
			 (int)getpid());
	}
	if (host_out_dir_check("qualify", "--out", r->out))
		return -EINVAL;
	snprintf(done, sizeof(done), "%s/qualify.json", r->out);
	if (!access(done, F_OK)) {
		vfb_err("qualify: --out %s holds a qualification already",
			r->out);
		return -EINVAL;
	}
	return 0;
}

/* mkdir -p DIR (results/ and the directory itself). */
static int make_out(const char *dir)
{
	char path[PATH_MAX];
	char *s;

	snprintf(path, sizeof(path), "%s", dir);
	for (s = path + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(path, 0755) && errno != EEXIST)
				goto fail;
			*s = '/';
		}
	if (mkdir(path, 0755) && errno != EEXIST)
		goto fail;
	return 0;
fail:
	vfb_err("qualify: mkdir %s: %s", path, strerror(errno));
	return -errno;
}

static int qualify(struct qfy_run *r, const struct qualify_cfg *c)
{
	int ret;

	if (qfy_prepare(r)) {
		vfb_err("qualify: %s", strerror(ENOMEM));
		return VFB_EXIT_ENV;
	}
	if (c->dry_run) {
		qfy_print_plan(stdout, r);
		return VFB_EXIT_OK;
	}
	if (make_out(r->out) || qfy_write_inputs(r))
		return VFB_EXIT_ENV;
	r->ex = qfy_exec_live();
	r->stop = host_stop_install();
	qfy_execute(r);
	ret = qfy_write_record(r, c->junit);
	qfy_print_summary(stdout, r);
	return ret && !r->sig ? VFB_EXIT_ENV : qfy_exit_code(r);
}

int bench_cmd_qualify(int argc, char **argv)
{
	struct qualify_cfg c = { 0 };
	static struct qfy_plan plan;
	char exe[PATH_MAX];
	struct qfy_run r = { .plan = &plan, .exe = exe };
	int ret;

	ret = vfb_opt_parse(qualify_opts, "qualify",
			    "PLAN [--out DIR] [--junit FILE] [--dry-run]", argc,
			    argv, &c);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret != argc - 1) {
		vfb_err("qualify: one PLAN file ('vfbench help plan' lists its "
			"keys)");
		return VFB_EXIT_USAGE;
	}
	if (c.junit && host_out_file_check("qualify", "--junit", c.junit))
		return VFB_EXIT_USAGE;
	if (qfy_plan_read(argv[ret], NULL, &plan) || out_dir(&c, &r))
		return VFB_EXIT_USAGE;
	r.dry_run = c.dry_run;
	if (self_exe(exe, sizeof(exe))) {
		vfb_err("qualify: /proc/self/exe: %s", strerror(errno));
		return VFB_EXIT_ENV;
	}
	ret = qualify(&r, &c);
	qfy_free(&r);
	return ret;
}
