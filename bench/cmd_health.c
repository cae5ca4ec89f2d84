/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "exitcode.h"
#include "health.h"
#include "health_live.h"
#include "log.h"
#include "opt.h"
#include "classify.h"
#include "paths.h"
#include "prom.h"
#include "rundir.h"
#include "pathkind.h"

struct health_cfg {
	struct host_devsel sel; /* -d or --paths, -i, -x */
	const char *style, *node, *state_dir, *fsroot;
	const char *ratio, *total, *step;
	long iters;
	bool drain;
	struct host_outs outs; /* --prom */
};

#define O(f) offsetof(struct health_cfg, f)
static const struct vfb_opt_note health_dev_notes[] = {
	{ "ib-dev", "RDMA devices to check" },
	{ "paths", "check one device per path kind instead (default auto); a "
		   "kind named without an active device fails" },
	{ "ib-port", "port of the devices (default 1)" },
	{ "gid-index", "GID index of the probe (default: the port's first "
		       "RoCE v2 GID, else 0)" },
	{ NULL, NULL },
};

static const struct vfb_opt health_opts[] = {
	{ .name = "exit-style",
	  .type = VFB_OPT_STR,
	  .offset = O(style),
	  .metavar = "STYLE",
	  .help = "nhc: exit 0 healthy, 1 not; nagios: 0/1/2/3 "
		  "OK/WARNING/CRITICAL/UNKNOWN (default nhc)",
	  .choices = hl_style_names },
	{ .name = "drain",
	  .type = VFB_OPT_FLAG,
	  .offset = O(drain),
	  .help = "drain this Slurm node when unhealthy (Reason=\"vfbench: "
		  "...\"); resume it when healthy, only if vfbench drained it" },
	{ .name = "node",
	  .type = VFB_OPT_STR,
	  .offset = O(node),
	  .metavar = "NAME",
	  .help = "the Slurm node (default $SLURMD_NODENAME, else the short "
		  "host name)" },
	{ .name = "state-dir",
	  .type = VFB_OPT_STR,
	  .offset = O(state_dir),
	  .metavar = "DIR",
	  .help = "where --drain remembers that it drained (default "
		  "/run/vfbench)" },
	{ .name = "timeout",
	  .type = VFB_OPT_STR,
	  .offset = O(total),
	  .metavar = "S",
	  .help = "the whole check's bound in seconds (default 30; Slurm "
		  "kills its HealthCheckProgram after 60)" },
	{ .name = "step-timeout",
	  .type = VFB_OPT_STR,
	  .offset = O(step),
	  .metavar = "S",
	  .help = "each unit's bound (readiness, ports, each probe; default "
		  "10): cut there, it is UNKNOWN" },
	{ .name = "max-ratio",
	  .type = VFB_OPT_STR,
	  .offset = O(ratio),
	  .metavar = "X",
	  .help = "a path fails when its loopback p50 exceeds X times the "
		  "PF's on this host (default 2)" },
	{ .name = "iters",
	  .key = 'n',
	  .type = VFB_OPT_LONG,
	  .offset = O(iters),
	  .metavar = "N",
	  .help = "round trips of each probe (default 200)",
	  .min = 10,
	  .max = 10000 },
	{ .name = "fsroot",
	  .type = VFB_OPT_STR,
	  .offset = O(fsroot),
	  .metavar = "DIR",
	  .help = "read sysfs and procfs under DIR (a captured tree: nothing "
		  "is probed)" },
	VFB_OPT_END,
};
#undef O

/* A positive number option: 0, or -EINVAL after one line naming it. */
static int num_opt(const char *name, const char *s, double def, double max,
		   double *v)
{
	*v = def;
	if (!s)
		return 0;
	if (vfb_num_parse(s, v) || *v <= 0 || *v > max) {
		vfb_err("health: --%s wants a number in (0, %g], not '%s'",
			name, max, s);
		return -EINVAL;
	}
	return 0;
}

static void add_target(struct hl_config *c, const struct host_path_sel *s)
{
	struct hl_target *t = &c->targets[c->ntargets++];

	snprintf(t->path, sizeof(t->path), "%s", s->kind->name);
	snprintf(t->dev, sizeof(t->dev), "%s", s->dev);
	snprintf(t->why, sizeof(t->why), "%s", s->why);
	t->baseline = s->kind->baseline;
}

struct tree_walk {
	const struct vfb_fsroot *root;
	struct host_cand *c;
	int n, max;
};

static int tree_add(const char *name, void *arg)
{
	struct tree_walk *w = arg;
	struct host_cand *c = &w->c[w->n];
	char path[160], state[32] = "";

	if (w->n == w->max)
		return 0;
	snprintf(c->name, sizeof(c->name), "%s", name);
	host_classify(w->root, name, &c->dc);
	snprintf(path, sizeof(path), "/sys/class/infiniband/%s/ports/1/state",
		 name);
	vfb_fs_read(w->root, path, state, sizeof(state));
	c->port_active = strstr(state, "ACTIVE") != NULL;
	w->n++;
	return 0;
}

/* A captured tree's devices, as host_candidates finds the live ones. */
static int tree_candidates(const struct vfb_fsroot *root,
			   struct host_cand **out)
{
	struct tree_walk w = { root, calloc(64, sizeof(*w.c)), 0, 64 };

	*out = w.c;
	if (!w.c)
		return -ENOMEM;
	vfb_fs_list(root, "/sys/class/infiniband", tree_add, &w);
	return w.n;
}

static int check_input(const struct health_cfg *h, struct hl_config *c,
		       const struct hl_style **style)
{
	*style = hl_style_find(h->style ? h->style : "nhc");
	if (!*style) {
		vfb_err("health: --exit-style wants one of %s, not '%s'",
			hl_style_names(), h->style);
		return -EINVAL;
	}
	if (host_devsel_check("health", &h->sel, false))
		return -EINVAL;
	if (num_opt("timeout", h->total, 30, 3600, &c->total_s) ||
	    num_opt("step-timeout", h->step, 10, 3600, &c->step_s) ||
	    num_opt("max-ratio", h->ratio, 2, 1000, &c->max_ratio))
		return -EINVAL;
	c->port = (int)h->sel.port;
	c->gid = (int)h->sel.gid;
	c->probe_n = (int)h->iters;
	c->probe_bytes = 64;
	c->hang = getenv("VFBENCH_HEALTH_HANG"); /* the tests' hung unit */
	return 0;
}

/* The paths to check, and the PF's beside them when not among them (the
 * probes' baseline); none found: a path that fails, saying why. */
static void plan(const struct health_cfg *h, struct hl_config *c, bool live)
{
	const char *spec = h->sel.dev	? NULL :
			   h->sel.paths ? h->sel.paths :
					  "auto";
	struct host_path_sel sel[HOST_MAX_PATHS], pf;
	struct host_cand *cands = NULL;
	char err[256];
	int n, i, nc;
	bool base = false;

	nc = live ? host_candidates(c->root, &cands) :
		    tree_candidates(c->root, &cands);
	if (nc < 0)
		nc = 0;
	n = host_paths_plan(spec, h->sel.dev, cands, (size_t)nc, sel, err,
			    sizeof(err));
	if (n < 0) { /* the words were checked: no device is unhealthy */
		n = 1;
		sel[0] = (struct host_path_sel){ .kind = vfb_path_unknown() };
		snprintf(sel[0].why, sizeof(sel[0].why), "%.199s", err);
	}
	for (i = 0; i < n && c->ntargets < HL_MAX_TARGETS; i++) {
		add_target(c, &sel[i]);
		base |= sel[i].kind->baseline && sel[i].dev[0];
	}
	if (!base && c->ntargets < HL_MAX_TARGETS &&
	    host_paths_plan(vfb_path_baseline()->name, NULL, cands, (size_t)nc,
			    &pf, err, sizeof(err)) == 1 &&
	    pf.dev[0])
		add_target(c, &pf);
	free(cands);
}

static void node_name(const struct health_cfg *h, char *buf, size_t len)
{
	const char *env = getenv("SLURMD_NODENAME");

	if (h->node)
		snprintf(buf, len, "%s", h->node);
	else if (env && env[0])
		snprintf(buf, len, "%s", env);
	else if (gethostname(buf, len - 1) == 0)
		buf[strcspn(buf, ".")] = '\0';
	else
		snprintf(buf, len, "localhost");
}

static void drain(const struct health_cfg *h, const struct hl_config *c,
		  const struct hl_report *rep, bool healthy, double limit)
{
	char node[128], reason[300], said[320];
	struct hl_drain d = { .ops = c->ops,
			      .node = node,
			      .state_dir = h->state_dir ? h->state_dir :
							  "/run/vfbench" };

	node_name(h, node, sizeof(node));
	hl_reason(rep, reason, sizeof(reason));
	if (hl_drain_bounded(&d, healthy, reason, limit, said, sizeof(said)))
		vfb_err("health: --drain: %s", said);
	else if (said[0])
		vfb_info("health: %s", said);
}

static void show(const struct hl_report *rep)
{
	int i;

	for (i = 0; i < rep->n; i++)
		vfb_dbg("health: %-7s %-16s %-12s %s",
			hl_status_name(rep->r[i].status), rep->r[i].id,
			rep->r[i].subject[0] ? rep->r[i].subject : "-",
			rep->r[i].text);
}

/* --prom: the results as rows, in Prometheus' text format. */
static void write_prom(const char *path, const struct hl_report *rep)
{
	struct rpt_prom *p = rpt_prom_new();
	struct vfb_result row;
	int i, ret = p ? 0 : -ENOMEM;

	for (i = 0; !ret && i < rep->n; i++) {
		hl_row(&rep->r[i], &row);
		ret = rpt_prom_add(p, &row);
	}
	if (!ret)
		ret = rpt_prom_write(p, path);
	if (ret)
		vfb_err("health: --prom %s: %s", path, strerror(-ret));
	rpt_prom_free(p);
}

static int health_run(const struct health_cfg *h, struct hl_config *c,
		      const struct hl_style *style)
{
	static struct hl_report rep;
	double reserve =
		h->drain ? (c->total_s / 4 < 5 ? c->total_s / 4 : 5) : 0;
	char line[1024];
	enum hl_status w;
	int ret, i;

	c->total_s -= reserve;
	ret = hl_check(c, &rep);
	if (ret) { /* a unit could not be started: said, never healthy */
		i = rep.n < HL_MAX_RESULTS ? rep.n++ : rep.n - 1;
		memset(&rep.r[i], 0, sizeof(rep.r[i]));
		snprintf(rep.r[i].id, HL_ID, "health");
		snprintf(rep.r[i].text, HL_TEXT, "a unit could not start: %s",
			 strerror(-ret));
		rep.r[i].status = HL_UNKNOWN;
	}
	show(&rep);
	w = hl_worst(&rep);
	style->line(&rep, line, sizeof(line));
	printf("%s\n", line);
	fflush(stdout);
	if (h->outs.prom)
		write_prom(h->outs.prom, &rep);
	if (h->drain)
		drain(h, c, &rep, w == HL_OK || w == HL_WARN, reserve);
	return style->code(w);
}

int bench_cmd_health(int argc, char **argv)
{
	struct health_cfg h = { .sel = HOST_DEVSEL_INIT, .iters = 200 };
	static struct hl_config c;
	const struct hl_style *style;
	struct vfb_fsroot *root;
	bool live;
	int ret;

	memset(&c, 0, sizeof(c));
	const struct vfb_optset sets[] = {
		{ .tab = host_dev_opts,
		  .base = offsetof(struct health_cfg, sel),
		  .notes = health_dev_notes },
		{ .tab = health_opts },
		{ .tab = host_out_opts,
		  .base = offsetof(struct health_cfg, outs),
		  .mask = HOST_OUT_PROM },
	};

	ret = vfb_opt_parse_sets(sets, sizeof(sets) / sizeof(sets[0]), "health",
				 "[-d DEV | --paths auto|KIND,...] "
				 "[--exit-style nhc|nagios] [--drain] "
				 "[--timeout S] [--prom FILE]",
				 argc, argv, &h);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret < argc) {
		vfb_err("health: unexpected argument '%s'", argv[ret]);
		return VFB_EXIT_USAGE;
	}
	if (check_input(&h, &c, &style) || host_outs_check("health", &h.outs))
		return VFB_EXIT_USAGE;
	root = vfb_fsroot_open(h.fsroot ? h.fsroot : "/");
	if (!root) {
		vfb_err("health: --fsroot %s: %s", h.fsroot, strerror(errno));
		return VFB_EXIT_USAGE;
	}
	c.root = root;
	live = !h.fsroot || !strcmp(h.fsroot, "/");
	c.ops = hl_live_ops(live);
	plan(&h, &c, live);
	ret = health_run(&h, &c, style);
	vfb_fsroot_close(root);
	return ret;
}
