/* SPDX-License-Identifier: MIT */
/* vfbench validate's scenario: the input decided, the paths planned,
 * each validated, the rows and run.json written (drive.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drive.h"
#include "env.h"
#include "exitcode.h"
#include "fsroot.h"
#include "log.h"
#include "plan.h"

int val_request_check(const struct val_request *rq)
{
	char buf[512], *tok, *save = NULL;

	if (host_devsel_check("validate", &rq->sel, true))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", rq->checks ? rq->checks : "");
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (!val_check_known(tok)) {
			vfb_err("validate: --checks: '%s' names no check "
				"('vfbench help valchecks')",
				tok);
			return -EINVAL;
		}
	return host_outs_check("validate", &rq->outs);
}

static volatile int val_abort;

static void on_signal(int sig)
{
	val_abort = sig;
}

struct drive {
	struct host_rundir rd;
	const struct host_path_sel *sel;
	int n[VAL_NSTATUS];
};

void val_row(const struct val_result *r, const struct host_path_sel *sel,
	     struct vfb_result *row)
{
	vfb_result_init(row);
	snprintf(row->scenario, sizeof(row->scenario), "validate");
	snprintf(row->path, sizeof(row->path), "%s", r->path);
	snprintf(row->device, sizeof(row->device), "%s", r->device);
	snprintf(row->provider, sizeof(row->provider), "%s", sel->dc.provider);
	snprintf(row->pci, sizeof(row->pci), "%s", sel->dc.pci);
	snprintf(row->netdev, sizeof(row->netdev), "%s", sel->dc.netdev);
	snprintf(row->check, sizeof(row->check), "%s", r->id);
	snprintf(row->verdict, sizeof(row->verdict), "%s",
		 val_status_name(r->status));
	snprintf(row->expected, sizeof(row->expected), "%s", r->expected);
	snprintf(row->observed, sizeof(row->observed), "%s", r->observed);
	snprintf(row->evidence, sizeof(row->evidence), "%s", r->evidence);
	row->status = VFB_STATUS_OK;
}

static void emit(const struct val_result *r, void *arg)
{
	struct drive *dr = arg;
	struct vfb_result row;

	dr->n[r->status]++;
	printf("%-4s %-26s %-4s %-8s %s\n", val_status_name(r->status), r->id,
	       r->path, r->device[0] ? r->device : "-", r->evidence);
	fflush(stdout);
	val_row(r, dr->sel, &row);
	snprintf(row.run_id, sizeof(row.run_id), "%s", dr->rd.run_id);
	snprintf(row.host, sizeof(row.host), "%s", dr->rd.host);
	host_rundir_row(&dr->rd, &row);
}

/* The paths: 0, or the exit code after one line. */
static int plan(const struct val_request *rq, struct host_path_sel *sel, int *n)
{
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	struct host_cand *cands = NULL;
	char err[256];
	int k;

	k = root ? host_candidates(root, &cands) : -errno;
	vfb_fsroot_close(root);
	if (k < 0) {
		vfb_err("validate: listing RDMA devices: %s", strerror(-k));
		return VFB_EXIT_ENV;
	}
	k = host_paths_plan(rq->sel.paths, rq->sel.dev, cands, k, sel, err,
			    sizeof(err));
	free(cands);
	if (k < 0) {
		vfb_err("validate: %s", err);
		return k == -EINVAL ? VFB_EXIT_USAGE : VFB_EXIT_ENV;
	}
	*n = k;
	return 0;
}

static json_object *meta_of(const struct val_request *rq, int argc, char **argv)
{
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	json_object *meta = host_env_json(root, argc, argv), *par;

	vfb_fsroot_close(root);
	par = json_object_new_object();
	json_object_object_add(
		par, "checks",
		json_object_new_string(rq->checks ? rq->checks : "all"));
	json_object_object_add(par, "ib_port",
			       json_object_new_int(rq->sel.port));
	json_object_object_add(par, "gid_index",
			       json_object_new_int(rq->sel.gid));
	json_object_object_add(par, "timeout_ms",
			       json_object_new_int(rq->timeout_ms));
	json_object_object_add(meta, "params", par);
	json_object_object_add(meta, "scenario",
			       json_object_new_string("validate"));
	return meta;
}

static int base_of(const struct host_path_sel *sel, int n)
{
	int k;

	for (k = 0; k < n; k++)
		if (sel[k].kind && sel[k].kind->baseline && sel[k].dev[0])
			return k;
	return n ? 0 : -1;
}

/* A VF's PF netdev and index, for the checks of what its PF keeps for
 * it ("" and -1: not a VF, or no PF netdev found). */
static void vf_of(const struct host_path_sel *s, struct val_path *p)
{
	struct vfb_fsroot *root;
	struct sup_pf pf;
	char err[256];

	p->pf_netdev[0] = '\0';
	p->vf = -1;
	if (s->dc.vf_index < 0 || !s->dc.pf_pci[0])
		return;
	root = vfb_fsroot_open("/");
	if (root &&
	    !sup_pf_resolve(root, s->dc.pf_pci, &pf, err, sizeof(err)) &&
	    pf.netdev[0]) {
		snprintf(p->pf_netdev, sizeof(p->pf_netdev), "%s", pf.netdev);
		p->vf = s->dc.vf_index;
	}
	vfb_fsroot_close(root);
}

/* Each path validated; how many could be. */
static int each_path(const struct val_request *rq, const struct val_ops *ops,
		     struct drive *dr, const struct host_path_sel *sel,
		     struct val_path *vp, int n)
{
	const struct val_config cfg = { .ops = ops ? ops : val_live_ops(),
					.checks = rq->checks,
					.port = (int)rq->sel.port,
					.gid = (int)rq->sel.gid,
					.timeout_ms = (int)rq->timeout_ms,
					.abort = &val_abort };
	int k, done = 0;
	size_t i;

	for (k = 0; k < n; k++) { /* all of them: a signal may stop the run */
		vp[k] = (struct val_path){
			.path = sel[k].kind ? sel[k].kind->name : "?",
			.dev = sel[k].why[0] ? "" : sel[k].dev,
			.why = sel[k].why
		};
		vf_of(&sel[k], &vp[k]);
		for (i = 0; i < VAL_NATTRS; i++)
			vp[k].caps.v[i] = -1;
	}
	/* each path's other function: the next one with a device */
	for (k = 0; k < n; k++)
		for (i = 1; i < (size_t)n && !vp[k].other_dev; i++)
			if (vp[(k + i) % n].dev[0])
				vp[k].other_dev = vp[(k + i) % n].dev;
	for (k = 0; k < n && !val_abort; k++) {
		dr->sel = &sel[k];
		done += val_run_path(&cfg, &vp[k], emit, dr) >= 0 &&
			vp[k].queried;
	}
	return done;
}

int val_main(const struct val_request *rq, const struct val_ops *ops, int argc,
	     char **argv)
{
	static struct drive dr;
	struct sigaction sa = { .sa_handler = on_signal };
	struct host_path_sel sel[HOST_MAX_PATHS];
	struct val_path vp[HOST_MAX_PATHS];
	char err[512], status[320] = "completed";
	json_object *meta;
	int n = 0, ret, done, base;

	memset(&dr, 0, sizeof(dr));
	ret = plan(rq, sel, &n);
	if (ret)
		return ret;
	meta = meta_of(rq, argc, argv);
	ret = host_rundir_open(&dr.rd, rq->outs.dir, meta, err, sizeof(err));
	json_object_put(meta);
	if (ret) {
		vfb_err("validate: %s", err);
		return VFB_EXIT_ENV;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	done = each_path(rq, ops, &dr, sel, vp, n);
	base = base_of(sel, n);
	printf("\n");
	val_caps_print(stdout, vp, n, base);
	json_object_object_add(dr.rd.meta, "capabilities",
			       val_caps_json(vp, n, base));
	if (val_abort)
		host_rundir_interrupted(val_abort, status, sizeof(status));
	host_rundir_close(&dr.rd, status);
	printf("%d pass, %d fail, %d skip\nresults: %s\n", dr.n[VAL_PASS],
	       dr.n[VAL_FAIL], dr.n[VAL_SKIP], dr.rd.dir);
	if (val_abort)
		return 128 + val_abort;
	if (dr.n[VAL_FAIL])
		return VFB_EXIT_FAIL;
	return done ? VFB_EXIT_OK : VFB_EXIT_ENV;
}
