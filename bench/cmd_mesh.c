/* SPDX-License-Identifier: MIT */
/* vfbench mesh: every host pair of a cluster, one rank per host, started
 * by the cluster's launcher (srun --mpi=pmix, mpirun). PMIx is the
 * rendezvous: each rank publishes what it offers, rank 0 publishes the
 * schedule, every rank measures its pairs with the usual engine, and the
 * rows come to rank 0 round by round (mesh/). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcode.h"
#include "log.h"
#include "mesh.h"
#include "opt.h"
#include "pathkind.h"
#include "paths.h"
#include "rundir.h"
#include "test.h"

#define O(f) offsetof(struct msh_cfg, f)
static const struct vfb_opt mesh_opts[] = {
	{ .name = "schedule",
	  .type = VFB_OPT_STR,
	  .offset = O(schedule),
	  .metavar = "KIND",
	  .help = "who measures whom, round by round (default pairs; file: "
		  "--schedule-file)",
	  .choices = msh_sched_kind_names },
	{ .name = "schedule-file",
	  .type = VFB_OPT_STR,
	  .offset = O(schedule_file),
	  .metavar = "FILE",
	  .help = "rounds of SRC:DST pairs (ranks or host names), a line a "
		  "round" },
	{ .name = "rounds",
	  .type = VFB_OPT_LONG,
	  .offset = O(rounds),
	  .metavar = "K",
	  .help = "rounds of a seeded schedule (random; default 10)",
	  .min = 1,
	  .max = 100000 },
	{ .name = "seed",
	  .type = VFB_OPT_LONG,
	  .offset = O(seed),
	  .metavar = "S",
	  .help = "the seed a seeded schedule draws its rounds from "
		  "(default: from the job's name; run.json has it)",
	  .min = 0,
	  .max = 4294967295 },
	{ .name = "fabric",
	  .type = VFB_OPT_STR,
	  .offset = O(fabric),
	  .metavar = "FILE",
	  .help = "Slurm's topology.conf (read on every host): random "
		  "rounds within each leaf switch every other round, and "
		  "a switch slow across but good within named" },
	{ .name = "paths",
	  .type = VFB_OPT_LIST,
	  .max = 127,
	  .offset = O(paths),
	  .metavar = "KIND,...",
	  .help = "path kinds to pair (default: every kind both ends have)",
	  .choices = host_path_kinds },
	{ .name = "port",
	  .key = 'p',
	  .type = VFB_OPT_PORT,
	  .offset = O(port),
	  .metavar = "PORT",
	  .help = "the job's servers: the k-th rank of a host listens on "
		  "PORT+k (default 18515)" },
	{ .name = "flag-latency",
	  .type = VFB_OPT_STR,
	  .offset = O(flag_lat),
	  .metavar = "K",
	  .help = "flag a pair whose latency p50 exceeds K x the fleet's "
		  "median for its case (default 1.5)" },
	{ .name = "flag-bandwidth",
	  .type = VFB_OPT_STR,
	  .offset = O(flag_bw),
	  .metavar = "F",
	  .help = "flag a pair below F x the fleet's best bandwidth for its "
		  "case (default 0.5)" },
	{ .name = "no-retest",
	  .type = VFB_OPT_FLAG,
	  .offset = O(no_retest),
	  .help = "do not measure flagged pairs again, alone" },
	{ .name = "round-timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(round_timeout),
	  .metavar = "SEC",
	  .help = "give up on a rank that has not finished a round after "
		  "SEC (default: from the tests, sizes and -D)",
	  .min = 5,
	  .max = 86400 },
	VFB_OPT_END,
};
#undef O

static const char synopsis[] =
	"[--schedule KIND] [-t TESTS] [-s SIZES] [-D SEC]\n"
	"one rank per host: srun -N HOSTS --mpi=pmix vfbench mesh ...\n"
	"               or: mpirun -np HOSTS --map-by node vfbench mesh ...";

static int positive(const char *opt, const char *s, double def, double *out)
{
	*out = def;
	if (!s)
		return 0;
	if (vfb_num_parse(s, out) || !(*out > 0) || *out > 1e6) {
		vfb_err("mesh: %s wants a number > 0, not '%s'", opt, s);
		return -EINVAL;
	}
	return 0;
}

/* What the measurement options are for mesh. */
static const struct vfb_opt_note mesh_notes[] = {
	{ "tests", "tests per pair (default write_lat,write_bw)" },
	{ "size", "message sizes (default 2 for latency tests, 65536 for "
		  "bandwidth)" },
	{ "duration", "seconds per size (default 2)" },
	{ "tx-depth",
	  "work requests in flight in a bandwidth test (default 128)" },
	{ "events", "wait for completions on a channel instead of spinning" },
	{ NULL, NULL },
};

static const struct vfb_opt_note mesh_out_notes[] = {
	{ "out", "rank 0's results directory (default results/<run id>)" },
	{ NULL, NULL },
};

/* One vt_params per test of -t. */
static int build_tests(struct msh *m, const struct msh_cfg *c)
{
	char list[256], *save = NULL, *t, names[256], more[32];

	snprintf(list, sizeof(list), "%s",
		 c->vo.tests ? c->vo.tests : "write_lat,write_bw");
	snprintf(more, sizeof(more), " (%d at most)", MSH_MAX_TESTS);
	for (t = strtok_r(list, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		const struct vt_test_ops *ops = vt_test_find(t);
		struct vt_opts_use use = { .cmd = "mesh",
					   .test = t,
					   .size_opt = "-s",
					   .duration_s = 2 };

		if (!ops || m->ntests == MSH_MAX_TESTS) {
			vt_test_names(names, sizeof(names));
			vfb_err("mesh: -t: '%s' is not one of %s%s", t, names,
				ops ? more : "");
			return -EINVAL;
		}
		use.sizes = c->vo.sizes	 ? c->vo.sizes :
			    ops->latency ? "2" :
					   "65536";
		if (vt_opts_params(&c->vo, &use, &m->params[m->ntests]))
			return -EINVAL;
		m->ntests++;
	}
	return m->ntests ? 0 : -EINVAL;
}

static int check_kinds(struct msh *m, const struct msh_cfg *c)
{
	static char list[128];
	char *save = NULL, *k;

	if (!c->paths)
		return 0;
	snprintf(list, sizeof(list), "%s", c->paths);
	for (k = strtok_r(list, ",", &save); k;
	     k = strtok_r(NULL, ",", &save)) {
		if (!vfb_path_kind_find(k) || m->nkinds == MSH_MAX_PATHS) {
			vfb_err("mesh: --paths: '%s' is not a path kind", k);
			return -EINVAL;
		}
		m->kinds[m->nkinds++] = k;
	}
	return 0;
}

/* --fabric FILE, parsed whole before anything: one line naming the file
 * and its line when it is not topology.conf. */
static int read_fabric(struct msh *m, const char *file)
{
	char *text = NULL, err[320];
	int ret = host_read_text(file, &text);

	if (ret) {
		vfb_err("mesh: --fabric %s: %s", file, host_read_strerror(ret));
		return ret;
	}
	ret = msh_fabric_parse(&m->fabric, text, err, sizeof(err));
	free(text);
	if (ret)
		vfb_err("mesh: --fabric %s: %s", file, err);
	return ret;
}

/* --schedule and what goes with it (--schedule-file read here). */
static int check_schedule(struct msh_cfg *c, struct msh *m)
{
	const struct msh_sched_kind *kind;
	int ret;

	if (!(kind = msh_sched_kind_find(c->schedule))) {
		vfb_err("mesh: --schedule '%s': not one of %s", c->schedule,
			msh_sched_kind_names());
		return -EINVAL;
	}
	if (kind->from_file != !!c->schedule_file) {
		vfb_err("mesh: --schedule-file goes with --schedule %s",
			msh_sched_file_kind_names());
		return -EINVAL;
	}
	if ((c->rounds || c->seed >= 0) && !kind->seeded) {
		vfb_err("mesh: --rounds and --seed go with a seeded schedule "
			"(%s), not %s",
			msh_sched_seeded_kind_names(), kind->name);
		return -EINVAL;
	}
	if (c->schedule_file &&
	    (ret = host_read_text(c->schedule_file, &m->file_text))) {
		vfb_err("mesh: --schedule-file %s: %s", c->schedule_file,
			host_read_strerror(ret));
		return -EINVAL;
	}

	return 0;
}

/* Everything about the request is decided here, before the launcher's
 * rendezvous and before any device is opened. */
static int parse(struct msh_cfg *c, struct msh *m, int argc, char **argv)
{
	const struct vfb_optset sets[] = {
		{ .tab = mesh_opts },
		{ .tab = vt_opt_table,
		  .base = offsetof(struct msh_cfg, vo),
		  .mask = VT_OPT_CORE,
		  .notes = mesh_notes },
		{ .tab = host_out_opts,
		  .base = offsetof(struct msh_cfg, outs),
		  .mask = HOST_OUT_DIR | HOST_OUT_PROM,
		  .notes = mesh_out_notes },
	};
	int ret = vfb_opt_parse_sets(sets, sizeof(sets) / sizeof(sets[0]),
				     "mesh", synopsis, argc, argv, c);

	if (ret <= 0)
		return ret == 0 ? -1 : VFB_EXIT_USAGE;
	if (ret < argc) {
		vfb_err("mesh: unexpected argument '%s'", argv[ret]);
		return VFB_EXIT_USAGE;
	}
	if (check_schedule(c, m))
		return VFB_EXIT_USAGE;
	if (c->fabric && read_fabric(m, c->fabric))
		return VFB_EXIT_USAGE;
	if (build_tests(m, c) || check_kinds(m, c) ||
	    positive("--flag-latency", c->flag_lat, 1.5, &m->flag_lat) ||
	    positive("--flag-bandwidth", c->flag_bw, 0.5, &m->flag_bw))
		return VFB_EXIT_USAGE;
	if (m->flag_bw >= 1) {
		vfb_err("mesh: --flag-bandwidth wants a fraction below 1, not "
			"'%s'",
			c->flag_bw);
		return VFB_EXIT_USAGE;
	}
	/* rank 0's directory: only rank 0 (or a command about to be
	 * refused for want of a launcher) can look at it */
	if ((!msh_pmix_launched() || msh_pmix_env_rank() == 0) &&
	    host_outs_check("mesh", &c->outs))
		return VFB_EXIT_USAGE;
	if (!msh_pmix_launched()) {
		vfb_err("mesh: not started by a launcher: run one rank per "
			"host with 'srun -N HOSTS --mpi=pmix vfbench mesh ...' "
			"or 'mpirun -np HOSTS --map-by node vfbench mesh ...'");
		return VFB_EXIT_USAGE;
	}
	return 0;
}

int bench_cmd_mesh(int argc, char **argv)
{
	struct msh_cfg c = { .schedule = "pairs",
			     .port = VT_DEFAULT_PORT,
			     .seed = -1,
			     .vo = VT_OPTS_INIT };
	static struct msh m;
	int ret;

	memset(&m, 0, sizeof(m));
	m.c = &c;
	ret = parse(&c, &m, argc, argv);
	if (ret) {
		free(m.file_text);
		msh_fabric_free(&m.fabric);
		return ret < 0 ? VFB_EXIT_OK : ret;
	}
	return msh_main(&m);
}
