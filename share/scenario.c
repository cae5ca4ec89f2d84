/* SPDX-License-Identifier: MIT */
/* vfbench share's scenario: each member resolved to its peer, checked,
 * placed on a core of its own; the outputs; then the modes, each a list
 * of phases (phases.c). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hwloc.h>
#include <hwloc/openfabrics-verbs.h>
#include <infiniband/verbs.h>
#include <json-c/json.h>

#include "classify.h"
#include "csv.h"
#include "ctrl.h"
#include "env.h"
#include "exitcode.h"
#include "live.h"
#include "locality.h"
#include "log.h"
#include "opt.h"
#include "pathkind.h"
#include "results.h"
#include "rundir.h"
#include "session.h"
#include "stop.h"
#include "sharemem.h"

static const volatile int no_stop, *share_abort = &no_stop;

static const struct shr_mode modes[] = {
	{ "fairness", shr_fairness, false },
	{ "isolation", shr_isolation, true },
	{ "scaling", shr_scaling, false },
};

#define NMODES (sizeof(modes) / sizeof(modes[0]))

const struct shr_mode *shr_mode_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < NMODES; i++)
		if (!strcmp(modes[i].name, name))
			return &modes[i];
	return NULL;
}

/* Each member: known to libibverbs, classified, its peer by its kind. */
static int resolve(struct shr *s, const struct shr_cfg *c)
{
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	const char *peer;
	int i;

	if (!root)
		return VFB_EXIT_ENV;
	for (i = 0; i < s->n; i++) {
		struct shr_member *m = &s->m[i];

		if (host_classify(root, m->dev, &m->dc)) {
			vfb_err("share: %s", m->dc.error);
			vfb_fsroot_close(root);
			return VFB_EXIT_ENV;
		}
		peer = host_peer_of(&c->peers, m->dc.path);
		if (!peer) {
			vfb_err("share: %s (%s path): no peer (--peer-%s or "
				"--peer)",
				m->dev, m->dc.path->name, m->dc.path->name);
			vfb_fsroot_close(root);
			return VFB_EXIT_USAGE;
		}
		snprintf(m->peer, sizeof(m->peer), "%s", peer);
		if (vfb_peer_split(peer, VT_DEFAULT_PORT, m->host,
				   sizeof(m->host), m->svc, sizeof(m->svc)))
			snprintf(m->svc, sizeof(m->svc), VT_DEFAULT_PORT);
		m->cap_mbps = shr_vf_cap(root, &m->dc);
	}
	vfb_fsroot_close(root);
	return VFB_EXIT_OK;
}

/* The readiness checks that concern a run, on the devices measured. */
static int ready(const struct shr *s)
{
	const char *devs[SHR_MAX];
	int i;

	for (i = 0; i < s->n; i++)
		devs[i] = s->m[i].dev;
	return dr_live_ready("share", devs, s->n);
}

/* The PU for a member: the first free one local to its device, else any
 * free one, else (more members than PUs) round robin over those not
 * RESERVED (the victim's: it never shares its core). */
static int pick_pu(struct shr *s, struct ibv_device **list, int n,
		   const char *dev, hwloc_bitmap_t used,
		   hwloc_const_bitmap_t reserved, int i)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int j, pu, k;

	hwloc_bitmap_zero(set);
	for (j = 0; list && j < n; j++)
		if (!strcmp(ibv_get_device_name(list[j]), dev))
			hwloc_ibv_get_device_cpuset(s->topo, list[j], set);
	hwloc_bitmap_andnot(set, set, used);
	pu = hwloc_bitmap_first(set);
	if (pu < 0) {
		hwloc_bitmap_not(set, used);
		hwloc_bitmap_and(set, set,
				 hwloc_topology_get_topology_cpuset(s->topo));
		pu = hwloc_bitmap_first(set);
	}
	if (pu < 0) {
		hwloc_bitmap_andnot(set,
				    hwloc_topology_get_topology_cpuset(s->topo),
				    reserved);
		if (hwloc_bitmap_iszero(set))
			hwloc_bitmap_copy(
				set,
				hwloc_topology_get_topology_cpuset(s->topo));
		k = i % hwloc_bitmap_weight(set);
		for (pu = hwloc_bitmap_first(set); k-- > 0;
		     pu = hwloc_bitmap_next(set, pu))
			;
	}
	hwloc_bitmap_free(set);
	return pu;
}

/* Distinct cores for the devices that run at once: the -d members, and
 * apart from them the victim with its aggressors. With fewer PUs than
 * devices at once they share, which is said. */
static void place(struct shr *s)
{
	static const char *const groups[][2] = { { "member", NULL },
						 { "victim", "aggressor" } };
	hwloc_bitmap_t used = hwloc_bitmap_alloc(), one = hwloc_bitmap_alloc();
	hwloc_bitmap_t victim = hwloc_bitmap_alloc();
	int npu = hwloc_get_nbobjs_by_type(s->topo, HWLOC_OBJ_PU);
	struct ibv_device **list;
	int n = 0, i, g, k, pu;

	list = ibv_get_device_list(&n);
	for (g = 0; g < 2; g++) {
		hwloc_bitmap_zero(used);
		for (i = k = 0; i < s->n; i++) {
			if (strcmp(s->m[i].role, groups[g][0]) &&
			    (!groups[g][1] ||
			     strcmp(s->m[i].role, groups[g][1])))
				continue;
			pu = pick_pu(s, list, n, s->m[i].dev, used, victim,
				     k++);
			hwloc_bitmap_set(used, (unsigned)pu);
			if (!strcmp(s->m[i].role, "victim"))
				hwloc_bitmap_set(victim, (unsigned)pu);
			hwloc_bitmap_only(one, (unsigned)pu);
			host_locality_choose(s->topo, one, "local", pu,
					     &s->m[i].loc);
		}
		if (k > npu)
			vfb_warn("share: %d devices at once on %d cores: "
				 "they share cores, and their measurements "
				 "disturb each other",
				 k, npu);
	}
	if (list)
		ibv_free_device_list(list);
	hwloc_bitmap_free(used);
	hwloc_bitmap_free(one);
	hwloc_bitmap_free(victim);
}

static int open_outputs(struct shr *s, const struct shr_cfg *c, int argc,
			char **argv)
{
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	json_object *meta = host_env_json(root, argc, argv), *list;
	char err[512];
	int i;

	vfb_fsroot_close(root);
	list = json_object_new_array();
	for (i = 0; i < s->nmodes; i++)
		json_object_array_add(
			list, json_object_new_string(s->modes[i]->name));
	json_object_object_add(meta, "scenarios", list);
	if (c->outs.csv) {
		s->csv = fopen(c->outs.csv, "w");
		if (!s->csv) {
			json_object_put(meta);
			vfb_err("share: --csv %s: %s", c->outs.csv,
				strerror(errno));
			return VFB_EXIT_USAGE;
		}
		rpt_csv_header(s->csv);
	}
	if (host_rundir_open(&s->rd, c->outs.dir, meta, err, sizeof(err))) {
		json_object_put(meta);
		vfb_err("share: %s", err);
		return VFB_EXIT_ENV;
	}
	if (host_rundir_prom(&s->rd, c->outs.prom)) {
		json_object_put(meta);
		vfb_err("share: --prom: out of memory");
		return VFB_EXIT_ENV;
	}
	json_object_put(meta);
	return VFB_EXIT_OK;
}

static void close_outputs(struct shr *s)
{
	json_object *arr = json_object_new_array();
	char status[320] = "completed";
	int i;

	for (i = 0; i < s->n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "device",
				       json_object_new_string(s->m[i].dev));
		json_object_object_add(
			o, "path",
			json_object_new_string(s->m[i].dc.path->name));
		json_object_object_add(o, "role",
				       json_object_new_string(s->m[i].role));
		json_object_object_add(o, "peer",
				       json_object_new_string(s->m[i].peer));
		json_object_object_add(o, "cpu",
				       json_object_new_int(s->m[i].loc.cpu));
		json_object_object_add(
			o, "rate_cap_mbps",
			isnan(s->m[i].cap_mbps) ?
				NULL :
				json_object_new_double(s->m[i].cap_mbps));
		json_object_array_add(arr, o);
	}
	json_object_object_add(s->rd.meta, "members", arr);
	if (s->csv)
		fclose(s->csv);
	if (*share_abort)
		host_rundir_interrupted(*share_abort, status, sizeof(status));
	host_rundir_close(&s->rd, status);
	printf("results: %s\n", s->rd.dir);
}

int shr_main(struct shr *s, const struct shr_cfg *c, int argc, char **argv)
{
	int ret, i;

	ret = resolve(s, c);
	if (!ret)
		ret = ready(s);
	if (ret)
		return ret;
	if (vt_clock_init(&s->clk, VT_CLOCK_AUTO) ||
	    hwloc_topology_init(&s->topo) || hwloc_topology_load(s->topo)) {
		vfb_err("share: no clock or no hwloc topology");
		return VFB_EXIT_ENV;
	}
	place(s);
	s->client =
		(struct vt_client_cfg){ .port = 1,
					.gid_index = -1,
					.timeout_ms = (int)c->vo.timeout * 1000,
					.abort = share_abort };
	ret = open_outputs(s, c, argc, argv);
	if (!ret) {
		share_abort = host_stop_install();
		s->client.abort = share_abort;
		s->abort = share_abort;
		s->progress = isatty(STDERR_FILENO);
		s->max_skew_us = NAN;
		for (i = 0; i < s->nmodes && !*share_abort; i++) {
			int r = s->modes[i]->run(s);

			ret = r > ret ? r : ret;
		}
		close_outputs(s);
		if (*share_abort)
			ret = 128 + *share_abort;
	}
	hwloc_topology_destroy(s->topo);
	return ret;
}
