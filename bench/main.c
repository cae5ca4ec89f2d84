/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "help.h"
#include "exitcode.h"
#include "log.h"

static const struct bench_cmd commands[] = {
	{ "doctor", bench_cmd_doctor,
	  "readiness: IOMMU, SR-IOV, firmware, drivers, RDMA stack, host" },
	{ "devices", bench_cmd_devices,
	  "list RDMA devices and classify each by its path kind" },
	{ "setup", bench_cmd_setup,
	  "plan, apply, verify and tear down SR-IOV VFs" },
	{ "run", bench_cmd_run,
	  "measure RC latency and bandwidth against a peer" },
	{ "serve", bench_cmd_serve, "the passive side of 'vfbench run'" },
	{ "share", bench_cmd_share,
	  "many functions of one port at once: fairness, isolation, scaling" },
	{ "mesh", bench_cmd_mesh,
	  "every host pair of a cluster, one rank per host (srun, mpirun)" },
	{ "validate", bench_cmd_validate,
	  "what a function can do beside the PF; whether its memory is fenced" },
	{ "drill", bench_cmd_drill,
	  "disruptions under traffic: a VF reset, rebound, flapped, removed" },
	{ "health", bench_cmd_health,
	  "a bounded local check for Slurm and NHC; drains a failing node" },
	{ "qualify", bench_cmd_qualify,
	  "a plan file to one verdict: doctor, setup, run, ..., gate" },
	{ "report", bench_cmd_report,
	  "plots and a summary from a results directory" },
	{ "gate", bench_cmd_gate,
	  "compare a run with a baseline; exit 1 on regression" },
	{ "compare", bench_cmd_compare,
	  "whether two sets of numbers differ: ratio, 95% interval, verdict" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

enum { GOPT_VERSION, GOPT_VERBOSE, GOPT_HELP };

static const struct bench_gopt gopts[] = {
	{ "version", 0, "print the version and exit", GOPT_VERSION },
	{ "verbose", 'v', "log debug messages to stderr", GOPT_VERBOSE },
	{ "help", 'h', "list the commands and the help topics", GOPT_HELP },
};

#define NGOPTS (sizeof(gopts) / sizeof(gopts[0]))

static const struct bench_prog prog = {
	.version = VFB_VERSION,
	.cmds = commands,
	.ncmds = NCOMMANDS,
	.gopts = gopts,
	.ngopts = NGOPTS,
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: vfbench [--version] [-v] COMMAND [ARGS]\n\n"
		   "commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s%s\n", commands[i].name,
			commands[i].summary,
			commands[i].fn ? "" : " (not built yet)");
	fprintf(f, "  %-9s %s\n", "help", "'vfbench help COMMAND|TOPIC'");
	bench_help_topics(f);
}

static void valid_names(char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < NCOMMANDS && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 commands[i].name);
}

static const struct bench_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int dispatch(const char *name, int argc, char **argv)
{
	const struct bench_cmd *cmd = find_cmd(name);
	char names[128];

	if (!cmd) {
		valid_names(names, sizeof(names));
		vfb_err("unknown command '%s' (commands: %s, help)", name,
			names);
		return VFB_EXIT_USAGE;
	}
	if (!cmd->fn) {
		vfb_err("%s: not built yet in this version", name);
		return VFB_EXIT_USAGE;
	}
	return cmd->fn(argc, argv);
}

/* The option ARG of vfbench itself ("--version", "-v"), or NULL. */
static const struct bench_gopt *find_gopt(const char *arg)
{
	size_t i;

	for (i = 0; i < NGOPTS; i++)
		if ((arg[1] == '-' && !strcmp(arg + 2, gopts[i].name)) ||
		    (gopts[i].key && arg[1] == gopts[i].key && !arg[2]))
			return &gopts[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct bench_gopt *g;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		g = find_gopt(argv[i]);
		if (!g) {
			vfb_err("unknown option '%s'", argv[i]);
			usage(stderr);
			return VFB_EXIT_USAGE;
		}
		if (g->id == GOPT_VERSION) {
			printf("vfbench %s (%s)\n", VFB_VERSION,
			       VFB_GIT_DESCRIBE);
			return VFB_EXIT_OK;
		}
		if (g->id == GOPT_HELP) {
			usage(stdout);
			return VFB_EXIT_OK;
		}
		vfb_log_set_level(VFB_LOG_DEBUG);
	}
	if (i == argc) {
		usage(stderr);
		return VFB_EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		if (i + 1 == argc) {
			usage(stdout);
			return VFB_EXIT_OK;
		}
		if (!find_cmd(argv[i + 1])) /* a topic, --man, or neither */
			return bench_cmd_help(&prog, argc - i, argv + i);
		char *help_argv[] = { argv[i + 1], "--help", NULL };

		return dispatch(argv[i + 1], 2, help_argv);
	}
	return dispatch(argv[i], argc - i, argv + i);
}
