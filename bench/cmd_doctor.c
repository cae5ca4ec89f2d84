/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "commands.h"
#include "doctor.h"
#include "live.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"

struct doctor_cfg {
	const char *pf;
	const char *fsroot;
	long vfs;
	bool json;
};

static const struct vfb_opt doctor_opts[] = {
	{ .name = "pf",
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct doctor_cfg, pf),
	  .metavar = "BDF|NETDEV",
	  .help = "check only this SR-IOV PF, its VFs and their RDMA devices" },
	{ .name = "vfs",
	  .type = VFB_OPT_LONG,
	  .offset = offsetof(struct doctor_cfg, vfs),
	  .metavar = "N",
	  .help = "VFs you want (checks TotalVFs, firmware and ARI for them)",
	  .min = 1,
	  .max = 4096 },
	{ .name = "json",
	  .key = 'j',
	  .type = VFB_OPT_FLAG,
	  .offset = offsetof(struct doctor_cfg, json),
	  .help = "print a JSON list of {id, subject, status, evidence, fix}" },
	{ .name = "fsroot",
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct doctor_cfg, fsroot),
	  .metavar = "DIR",
	  .help = "read sysfs and procfs under DIR (a captured tree)" },
	VFB_OPT_END,
};

/* A captured tree holds no configuration space, runs no program and has
 * no live device: those checks say so and skip. */
static const struct dr_probe_ops tree_ops = { 0 };

struct tally {
	int n[4];
	json_object *arr;
};

static void emit_text(const struct dr_result *r, void *arg)
{
	struct tally *t = arg;

	t->n[r->status]++;
	printf("%-4s %-17s %-13s %s\n", dr_status_name(r->status), r->id,
	       r->subject[0] ? r->subject : "-", r->evidence);
	if (r->fix[0] && r->status != DR_PASS)
		printf("%-36s fix: %s\n", "", r->fix);
}

static void emit_json(const struct dr_result *r, void *arg)
{
	struct tally *t = arg;
	json_object *o = json_object_new_object();

	t->n[r->status]++;
	json_object_object_add(o, "id", json_object_new_string(r->id));
	json_object_object_add(
		o, "subject",
		r->subject[0] ? json_object_new_string(r->subject) : NULL);
	json_object_object_add(
		o, "status", json_object_new_string(dr_status_name(r->status)));
	json_object_object_add(o, "evidence",
			       json_object_new_string(r->evidence));
	json_object_object_add(o, "fix", json_object_new_string(r->fix));
	json_object_array_add(t->arr, o);
}

static int doctor_show(const struct doctor_cfg *cfg,
		       const struct vfb_fsroot *root)
{
	bool live = !strcmp(cfg->fsroot, "/");
	struct dr_config dc = { .root = root,
				.ops = live ? dr_live_ops() : &tree_ops,
				.pf = cfg->pf,
				.want_vfs = cfg->vfs };
	struct tally t = { .arr = cfg->json ? json_object_new_array() : NULL };
	int fails = dr_run(&dc, cfg->json ? emit_json : emit_text, &t);

	if (fails == -ENODEV) {
		json_object_put(t.arr);
		vfb_err("doctor: --pf %s: no SR-IOV physical function of that "
			"BDF or netdev",
			cfg->pf);
		return VFB_EXIT_ENV;
	}
	if (cfg->json)
		printf("%s\n",
		       json_object_to_json_string_ext(
			       t.arr, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		printf("%d pass, %d warn, %d fail, %d skip\n", t.n[DR_PASS],
		       t.n[DR_WARN], t.n[DR_FAIL], t.n[DR_SKIP]);
	json_object_put(t.arr);
	return fails > 0 ? VFB_EXIT_FAIL : VFB_EXIT_OK;
}

int bench_cmd_doctor(int argc, char **argv)
{
	struct doctor_cfg cfg = { .fsroot = "/" };
	struct vfb_fsroot *root;
	int ret;

	ret = vfb_opt_parse(
		doctor_opts, "doctor",
		"[--pf BDF|NETDEV] [--vfs N] [--json] [--fsroot DIR]", argc,
		argv, &cfg);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret < argc) {
		vfb_err("doctor: unexpected argument '%s'", argv[ret]);
		return VFB_EXIT_USAGE;
	}
	root = vfb_fsroot_open(cfg.fsroot);
	if (!root) {
		vfb_err("doctor: --fsroot %s: %s", cfg.fsroot, strerror(errno));
		return VFB_EXIT_USAGE;
	}
	ret = doctor_show(&cfg, root);
	vfb_fsroot_close(root);
	return ret;
}
