/* SPDX-License-Identifier: MIT */
/* vfbench run's scenario: the paths planned from the devices there are,
 * the readiness checks, the outputs, then the matrix (matrix.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "classify.h"
#include "env.h"
#include "exitcode.h"
#include "live.h"
#include "log.h"
#include "matrix.h"
#include "perftest.h"
#include "prom.h"
#include "results.h"
#include "stop.h"
#include "test.h"

static const volatile int no_stop, *run_abort = &no_stop;

static const char *peer_for(const struct mtx_cfg *c,
			    const struct vfb_path_kind *k)
{
	const char *p = host_peer_of(&c->peers, k);

	return p ? p : "";
}

/* The readiness checks that concern a run, on the devices it uses. */
static int ready(const struct mtx *m)
{
	const char *devs[HOST_MAX_PATHS];
	int i, n = 0;

	for (i = 0; i < m->npaths; i++)
		if (m->paths[i].sel.dev[0])
			devs[n++] = m->paths[i].sel.dev;
	return dr_live_ready("run", devs, n);
}

static int plan(const struct mtx_cfg *c, struct mtx *m)
{
	struct host_path_sel sel[HOST_MAX_PATHS];
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	struct host_cand *cands = NULL;
	char err[256], names[512];
	int n, k, i;

	n = root ? host_candidates(root, &cands) : -errno;
	vfb_fsroot_close(root);
	if (n < 0) {
		vfb_err("run: listing RDMA devices: %s", strerror(-n));
		return VFB_EXIT_ENV;
	}
	k = host_paths_plan(c->sel.paths, c->sel.dev, cands, n, sel, err,
			    sizeof(err));
	free(cands);
	if (k == -EINVAL) {
		vfb_err("run: %s", err);
		return VFB_EXIT_USAGE;
	}
	if (k < 0) {
		vt_device_names(names, sizeof(names));
		vfb_err("run: %s (devices: %s)", err, names);
		return VFB_EXIT_ENV;
	}
	for (i = 0; i < k; i++) {
		m->paths[i].sel = sel[i];
		m->paths[i].loc.cpu = m->paths[i].loc.numa = -1;
		snprintf(m->paths[i].peer, sizeof(m->paths[i].peer), "%s",
			 peer_for(c, sel[i].kind));
	}
	m->npaths = k;
	return ready(m);
}

static json_object *run_meta(struct mtx *m, int argc, char **argv)
{
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	json_object *meta = host_env_json(root, argc, argv);
	json_object *par = vt_params_to_json(&m->params), *ck;

	vfb_fsroot_close(root);
	json_object_object_del(par, "type");
	json_object_object_del(par, "test");
	json_object_object_add(par, "tests", json_object_new_string(m->tests));
	json_object_object_add(par, "repeat", json_object_new_int(m->repeat));
	json_object_object_add(
		par, "until_stable",
		m->client.stable_rel > 0 ?
			json_object_new_double(m->client.stable_rel) :
			NULL);
	json_object_object_add(meta, "params", par);
	ck = json_object_new_object();
	json_object_object_add(ck, "source",
			       json_object_new_string(m->clk->source));
	json_object_object_add(ck, "ns_per_tick",
			       json_object_new_double(m->clk->ns_per_tick));
	json_object_object_add(ck, "overhead_ns",
			       json_object_new_double(m->clk->overhead_ns));
	json_object_object_add(meta, "clock", ck);
	json_object_object_add(
		meta, "latency",
		json_object_new_string(
			"as perftest reports it: half of each measured round trip of a "
			"ping-pong (lat_basis half_rtt), the whole round trip of a READ "
			"or an atomic (lat_basis rtt)"));
	json_object_object_add(meta, "paths", mtx_paths_json(m));
	/* the VFs vfbench setup configured, if it did (null: not vfbench) */
	json_object_object_add(meta, "setup",
			       host_setup_state_json("/run/vfbench"));
	return meta;
}

static int open_outputs(const struct mtx_cfg *c, struct mtx *m,
			struct host_rundir *rd, int argc, char **argv)
{
	char err[512];
	json_object *meta;

	if (c->outs.csv) {
		m->csv = fopen(c->outs.csv, "w");
		if (!m->csv) {
			vfb_err("run: --csv %s: %s", c->outs.csv,
				strerror(errno));
			return VFB_EXIT_USAGE;
		}
		rpt_csv_header(m->csv);
	}
	if (!c->outs.dir && !c->sel.paths)
		return VFB_EXIT_OK;
	meta = run_meta(m, argc, argv);
	if (host_rundir_open(rd, c->outs.dir, meta, err, sizeof(err))) {
		json_object_put(meta);
		vfb_err("run: %s", err);
		return VFB_EXIT_ENV;
	}
	json_object_put(meta);
	m->rundir = rd;
	return VFB_EXIT_OK;
}

static void close_outputs(const struct mtx_cfg *c, struct mtx *m, int argc,
			  char **argv)
{
	json_object *top;
	char status[320] = "completed";

	if (m->csv)
		fclose(m->csv);
	if (m->rundir) {
		json_object_object_add(m->rundir->meta, "paths",
				       mtx_paths_json(m));
		if (*run_abort)
			host_rundir_interrupted(*run_abort, status,
						sizeof(status));
		host_rundir_close(m->rundir, status);
		printf("results: %s\n", m->rundir->dir);
	}
	if (m->prom && (errno = -rpt_prom_write(m->prom, c->outs.prom)))
		vfb_err("run: --prom %s: %s", c->outs.prom, strerror(errno));
	if (c->outs.perftest &&
	    host_json_write_atomic(c->outs.perftest, m->perftest))
		vfb_err("run: --perftest-json %s: %s", c->outs.perftest,
			strerror(errno));
	if (c->outs.json) {
		top = run_meta(m, argc, argv);
		json_object_object_add(top, "results",
				       json_object_get(m->rows));
		if (host_json_write_atomic(c->outs.json, top))
			vfb_err("run: --json %s: %s", c->outs.json,
				strerror(errno));
		json_object_put(top);
	}
}

int mtx_main(struct mtx *m, const struct mtx_cfg *c, int argc, char **argv)
{
	struct host_rundir rd;
	struct vt_clock clk;
	int ret;

	ret = plan(c, m);
	if (ret)
		return ret;
	if (vt_clock_init(&clk, vt_opts_clock(&c->vo))) {
		vfb_err("run: --clock tsc: the TSC does not calibrate consistently here");
		return VFB_EXIT_ENV;
	}
	if (c->vo.tests)
		snprintf(m->tests, sizeof(m->tests), "%s", c->vo.tests);
	else /* every engine there is */
		vt_test_names(m->tests, sizeof(m->tests));
	m->clk = &clk;
	m->numa_mode = c->numa;
	m->repeat = (int)c->repeat;
	m->cpu = (int)c->cpu;
	m->progress = isatty(STDERR_FILENO);
	m->rows = json_object_new_array();
	m->perftest = c->outs.perftest ? rpt_perftest_new() : NULL;
	m->prom = c->outs.prom ? rpt_prom_new() : NULL;
	m->client = (struct vt_client_cfg){
		.port = (uint8_t)c->vo.ib_port,
		.gid_index = (int)c->vo.gid,
		.timeout_ms = (int)c->vo.timeout * 1000,
		.stable_rel = m->client.stable_rel,
		.stable_max_iters = (uint64_t)c->max_iters,
		.stable_max_s = (double)c->max_time,
	};
	if (hwloc_topology_init(&m->topo) || hwloc_topology_load(m->topo)) {
		vfb_err("run: hwloc cannot load the topology");
		return VFB_EXIT_ENV;
	}
	ret = open_outputs(c, m, &rd, argc, argv);
	if (!ret) {
		run_abort = host_stop_install();
		ret = mtx_run(m, run_abort);
		close_outputs(c, m, argc, argv);
	}
	json_object_put(m->rows);
	json_object_put(m->perftest);
	rpt_prom_free(m->prom);
	hwloc_topology_destroy(m->topo);
	return ret;
}
