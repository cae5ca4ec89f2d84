/* SPDX-License-Identifier: MIT */
/* The stages of a qualification, one table: what each runs, what it
 * needs, how its exit code reads. A stage added is one entry here. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "rundir.h"
#include "stage.h"

int qfy_arg(struct qfy_args *a, const char *fmt, ...)
{
	struct qfy_step *st = a->st;
	size_t room = sizeof(st->buf) - a->used;
	va_list ap;
	int n;

	if (st->argc == QFY_MAX_ARGS)
		return -E2BIG;
	va_start(ap, fmt);
	n = vsnprintf(st->buf + a->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return -E2BIG;
	st->argv[st->argc++] = st->buf + a->used;
	st->argv[st->argc] = NULL;
	a->used += (size_t)n + 1;
	return 0;
}

/* Option OPT with key ID's value, when the plan gives it. */
static int opt_key(struct qfy_args *a, const struct qfy_run *r, const char *opt,
		   enum qfy_key_id id)
{
	const char *v = qfy_plan_get(r->plan, id);

	if (!v)
		return 0;
	return qfy_arg(a, "%s", opt) ?: qfy_arg(a, "%s", v);
}

static int peers(struct qfy_args *a, const struct qfy_run *r)
{
	return opt_key(a, r, "--peer", QK_PEER)		      ?:
		       opt_key(a, r, "--peer-pf", QK_PEER_PF) ?:
		       opt_key(a, r, "--peer-vf", QK_PEER_VF) ?:
		       opt_key(a, r, "--peer-pv", QK_PEER_PV);
}

static int out_dir(struct qfy_args *a, const struct qfy_run *r,
		   const char *stage)
{
	return qfy_arg(a, "--out") ?: qfy_arg(a, "%s/%s", r->out, stage);
}

static bool always(const struct qfy_plan *p)
{
	(void)p;
	return true;
}

static bool has_pfs(const struct qfy_plan *p)
{
	return p->npf > 0;
}

static bool has_paths(const struct qfy_plan *p)
{
	return qfy_plan_get(p, QK_PATHS);
}

static bool has_share(const struct qfy_plan *p)
{
	return qfy_plan_get(p, QK_SHARE);
}

static bool has_validate(const struct qfy_plan *p)
{
	return qfy_plan_get(p, QK_VALIDATE);
}

static bool has_measures(const struct qfy_plan *p)
{
	return has_paths(p) || has_share(p) || has_validate(p);
}

static bool has_rules(const struct qfy_plan *p)
{
	return p->nrules > 0;
}

/* 0 pass, 1 fail, anything else: it could not judge. */
static enum qfy_status judge_exit(const struct qfy_run *r, int exit)
{
	(void)r;
	return exit == 0 ? QFY_PASS : exit == 1 ? QFY_FAIL : QFY_ERROR;
}

static enum qfy_status judge_doctor(const struct qfy_run *r, int exit)
{
	enum qfy_status s = judge_exit(r, exit);

	return s == QFY_FAIL && qfy_plan_doctor_advisory(r->plan) ? QFY_WARN :
								    s;
}

/* One PF: the doctor looks at it and the VFs asked; else at the host. */
static int build_doctor(const struct qfy_run *r, int i, struct qfy_args *a)
{
	const struct qfy_plan *p = r->plan;

	(void)i;
	if (qfy_arg(a, "doctor"))
		return -E2BIG;
	if (p->npf != 1)
		return 0;
	return qfy_arg(a, "--pf")		     ?:
		       qfy_arg(a, "%s", p->pf[0].pf) ?:
		       qfy_arg(a, "--vfs")	     ?:
		       qfy_arg(a, "%ld", p->pf[0].cfg.num_vfs);
}

static int build_apply(const struct qfy_run *r, int i, struct qfy_args *a)
{
	(void)i;
	return qfy_arg(a, "setup")		     ?:
		       qfy_arg(a, "apply")	     ?:
		       qfy_arg(a, "--topology")	     ?:
		       qfy_arg(a, "%s", r->topology) ?:
		       (qfy_plan_force(r->plan) ? qfy_arg(a, "--force") : 0);
}

/* Teardown puts back what apply changed, whoever uses the VFs now
 * (qualify's own run left addresses on them): always --force. */
static int build_teardown(const struct qfy_run *r, int i, struct qfy_args *a)
{
	(void)i;
	return qfy_arg(a, "setup")		     ?:
		       qfy_arg(a, "teardown")	     ?:
		       qfy_arg(a, "--topology")	     ?:
		       qfy_arg(a, "%s", r->topology) ?:
						       qfy_arg(a, "--force");
}

/* After setup-apply, before what measures the paths. */
static bool has_settle(const struct qfy_plan *p)
{
	return has_pfs(p) && (has_paths(p) || has_validate(p));
}

static int build_settle(const struct qfy_run *r, int i, struct qfy_args *a)
{
	(void)r;
	(void)i;
	return qfy_arg(a, "devices") ?: qfy_arg(a, "--json");
}

/* Whether DEVS (the "devices" array of `devices --json`: {"devices":
 * [{"path": KIND, "ports": [{"state": "active"}, ...]}, ...]}, the state
 * as ibv_port_state_str() words it) holds a device of KIND with an
 * active port ("auto": any device). */
static bool kind_active(json_object *devs, const char *kind)
{
	size_t i, k;

	for (i = 0; i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i), *v, *ports;

		if (!json_object_object_get_ex(d, "path", &v) ||
		    (strcmp(kind, "auto") &&
		     strcmp(json_object_get_string(v), kind)) ||
		    !json_object_object_get_ex(d, "ports", &ports) ||
		    !json_object_is_type(ports, json_type_array))
			continue;
		for (k = 0; k < json_object_array_length(ports); k++) {
			json_object *p = json_object_array_get_idx(ports, k);

			if (json_object_object_get_ex(p, "state", &v) &&
			    !strcmp(json_object_get_string(v), "active"))
				return true;
		}
	}
	return false;
}

static bool settled(const struct qfy_run *r, const char *log)
{
	const char *paths = qfy_plan_get(r->plan, QK_PATHS);
	char buf[QFY_VAL_MAX], *k, *save = NULL;
	json_object *top = json_object_from_file(log), *devs = NULL;
	bool ok = top && json_object_is_type(top, json_type_object) &&
		  json_object_object_get_ex(top, "devices", &devs) &&
		  json_object_is_type(devs, json_type_array);

	snprintf(buf, sizeof(buf), "%s", paths ? paths : "auto");
	for (k = strtok_r(buf, ",", &save); ok && k;
	     k = strtok_r(NULL, ",", &save))
		ok = kind_active(devs, k);
	json_object_put(top);
	return ok;
}

static int build_run(const struct qfy_run *r, int i, struct qfy_args *a)
{
	(void)i;
	return qfy_arg(a, "run")			  ?:
		       opt_key(a, r, "--paths", QK_PATHS) ?:
		       peers(a, r)			  ?:
		       opt_key(a, r, "-t", QK_TESTS)	  ?:
		       opt_key(a, r, "-s", QK_SIZES)	  ?:
		       opt_key(a, r, "-n", QK_ITERS)	  ?:
		       opt_key(a, r, "-r", QK_REPEAT)	  ?:
							    out_dir(a, r, "run");
}

static int build_share(const struct qfy_run *r, int i, struct qfy_args *a)
{
	(void)i;
	return qfy_arg(a, "share")					  ?:
		       qfy_arg(a, "%s", qfy_plan_get(r->plan, QK_SHARE))  ?:
		       opt_key(a, r, "-d", QK_SHARE_DEVICES)		  ?:
		       opt_key(a, r, "--victim", QK_SHARE_VICTIM)	  ?:
		       opt_key(a, r, "--aggressors", QK_SHARE_AGGRESSORS) ?:
		       peers(a, r)					  ?:
		       out_dir(a, r, "share");
}

static int build_validate(const struct qfy_run *r, int i, struct qfy_args *a)
{
	const char *c = qfy_plan_get(r->plan, QK_VALIDATE);
	const char *paths = qfy_plan_get(r->plan, QK_PATHS);

	(void)i;
	return qfy_arg(a, "validate")				?:
		       qfy_arg(a, "--paths")			?:
		       qfy_arg(a, "%s", paths ? paths : "auto") ?:
		       (strcmp(c, "all") ? qfy_arg(a, "--checks") ?: qfy_arg(a, "%s", c) : 0) ?:
		       out_dir(a, r, "validate");
}

/* The results directories measured so far (a dry run: those asked). */
static int build_report(const struct qfy_run *r, int i, struct qfy_args *a)
{
	static const struct {
		const char *dir;
		bool (*asked)(const struct qfy_plan *p);
	} dirs[] = { { "run", has_paths },
		     { "share", has_share },
		     { "validate", has_validate } };
	char path[PATH_MAX + 16];
	size_t k;
	int n = 0;

	(void)i;
	if (qfy_arg(a, "report"))
		return -E2BIG;
	for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s", r->out, dirs[k].dir);
		if (!(r->dry_run ? dirs[k].asked(r->plan) :
				   host_rundir_taken(path)))
			continue;
		if (qfy_arg(a, "%s", path))
			return -E2BIG;
		n++;
	}
	if (!n)
		snprintf(a->st->why, sizeof(a->st->why),
			 "no results: run, share and validate wrote none");
	return n ? 0 : -ENODATA;
}

static int gate_steps(const struct qfy_plan *p)
{
	return p->nrules;
}

/* One gate a rule: a testcase, an exit code each. Absolute rules judge
 * the run alone (its own baseline); relative ones compare with the
 * plan's baseline. */
static int build_gate(const struct qfy_run *r, int i, struct qfy_args *a)
{
	const char *b = qfy_plan_get(r->plan, QK_BASELINE);

	snprintf(a->st->name, sizeof(a->st->name), "gate: %s",
		 r->plan->rules[i].text);
	snprintf(a->st->log, sizeof(a->st->log), "%s/gate/rule-%d.log", r->out,
		 i + 1);
	return qfy_arg(a, "gate")		?:
		       qfy_arg(a, "--baseline") ?:
		       (b ? qfy_arg(a, "%s", b) : qfy_arg(a, "%s/run", r->out)) ?:
		       qfy_arg(a, "--candidate")			?:
		       qfy_arg(a, "%s/run", r->out)			?:
		       qfy_arg(a, "--rules")				?:
		       qfy_arg(a, "%s/gate/rule-%d.txt", r->out, i + 1) ?:
		       qfy_arg(a, "--junit")				?:
		       qfy_arg(a, "%s/gate/rule-%d.xml", r->out, i + 1);
}

static const struct qfy_stage stages[] = {
	{ .name = "doctor",
	  .what = "readiness of the host (and the PF, when the plan has one)",
	  .asked = always,
	  .build = build_doctor,
	  .judge = judge_doctor },
	{ .name = "setup-apply",
	  .what = "the plan's [PF] sections: VFs, MACs, trust, ...",
	  .needs = { "doctor" },
	  .changes = "sets the VFs of each [PF] (setup records the state "
		     "before, which setup-teardown puts back)",
	  .asked = has_pfs,
	  .build = build_apply,
	  .judge = judge_exit },
	{ .name = "settle",
	  .what = "waits until each path kind has a device with an active "
		  "port (VFs' RDMA devices come after their driver)",
	  .needs = { "setup-apply" },
	  .asked = has_settle,
	  .build = build_settle,
	  .judge = judge_exit,
	  .settled = settled },
	{ .name = "run",
	  .what = "latency and bandwidth of each path against its peer",
	  .needs = { "doctor", "setup-apply", "settle" },
	  .asked = has_paths,
	  .build = build_run,
	  .judge = judge_exit },
	{ .name = "share",
	  .what = "functions of one port at once: fairness, isolation, "
		  "scaling",
	  .needs = { "doctor", "setup-apply" },
	  .asked = has_share,
	  .build = build_share,
	  .judge = judge_exit },
	{ .name = "validate",
	  .what = "what each path can do beside the PF; its memory fenced",
	  .needs = { "doctor", "setup-apply", "settle" },
	  .asked = has_validate,
	  .build = build_validate,
	  .judge = judge_exit },
	/* drill: 'vfbench drill' (written elsewhere) takes its entry here:
	 * .needs = { "doctor", "setup-apply" }, asked by a [qualify] key of
	 * plan.c's table, built as the others (--out OUT/drill). */
	{ .name = "report",
	  .what = "the summary and plots of each results directory",
	  .asked = has_measures,
	  .build = build_report,
	  .judge = judge_exit },
	{ .name = "gate",
	  .what = "each rule of the plan on the run's rows, one gate a rule",
	  .ran = "run",
	  .asked = has_rules,
	  .nsteps = gate_steps,
	  .build = build_gate,
	  .judge = judge_exit },
	{ .name = "setup-teardown",
	  .what = "the PFs as they were before setup-apply",
	  .after = "setup-apply",
	  .changes = "puts back each [PF]'s VFs as they were before",
	  .asked = has_pfs,
	  .build = build_teardown,
	  .judge = judge_exit },
};

const struct qfy_stage *qfy_stages(size_t *n)
{
	*n = sizeof(stages) / sizeof(stages[0]);
	return stages;
}

size_t qfy_nstages(void)
{
	return sizeof(stages) / sizeof(stages[0]);
}

const char *qfy_stage_info(size_t i, const char **what)
{
	if (i >= qfy_nstages())
		return NULL;
	*what = stages[i].what;
	return stages[i].name;
}
