/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hwloc.h>

#include "classify.h"
#include "compare.h"
#include "counters.h"
#include "locality.h"
#include "paths.h"
#include "rundir.h"
#include "stats.h"
#include "suites.h"

static struct host_cand cand(const char *name, const char *k, bool up)
{
	struct host_cand c = { .port_active = up };

	snprintf(c.name, sizeof(c.name), "%s", name);
	c.dc.path = vfb_path_kind_find(k);
	return c;
}

static void test_paths(void)
{
	const struct host_cand c[] = {
		cand("mlx5_0", "pf", true),
		cand("mlx5_2", "vf", false),
		cand("mlx5_3", "vf", true),
		cand("rxe_pv", "pv", true),
	};
	static const struct {
		const char *spec, *devs;
		int ret;
		const char *
			want[4]; /* device, or "!" for a path that cannot run */
	} cases[] = {
		{ "auto", NULL, 3, { "mlx5_0", "mlx5_3", "rxe_pv" } },
		{ "vf,pf", NULL, 2, { "mlx5_3", "mlx5_0" } },
		{ "pv", NULL, 1, { "rxe_pv" } },
		{ NULL, "mlx5_2,rxe_pv", 2, { "!", "rxe_pv" } },
		{ NULL, "mlx5_9", -ENODEV, { NULL } },
	};
	struct host_path_sel out[HOST_MAX_PATHS];
	char err[256];
	size_t i;
	int k, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		k = host_paths_plan(cases[i].spec, cases[i].devs, c, 4, out,
				    err, sizeof(err));
		CU_ASSERT_EQUAL(k, cases[i].ret);
		for (j = 0; j < k; j++) {
			if (!strcmp(cases[i].want[j], "!")) {
				CU_ASSERT_NOT_EQUAL(out[j].why[0], '\0');
			} else {
				CU_ASSERT_STRING_EQUAL(out[j].dev,
						       cases[i].want[j]);
			}
		}
	}
	/* a kind no entry of the path-kind table can be */
	snprintf(err, sizeof(err), "pf,x-%s", host_path_kinds());
	CU_ASSERT_EQUAL(host_paths_plan(err, NULL, c, 4, out, err, sizeof(err)),
			-EINVAL);
	/* a class with no active device: a path that says why, not a skip */
	const struct host_cand only_pv[] = { cand("rxe_pv", "pv", true) };

	k = host_paths_plan("pf,pv", NULL, only_pv, 1, out, err, sizeof(err));
	CU_ASSERT_EQUAL(k, 2);
	CU_ASSERT_STRING_EQUAL(out[0].why, "no pf device with an active port");
	CU_ASSERT_EQUAL(host_paths_plan("auto", NULL, only_pv, 0, out, err,
					sizeof(err)),
			-ENODEV);
}

/* The device options every command shares: -d or --paths, one when
 * required, their words known, auto alone; decided with no device. */
static void test_devsel(void)
{
	static const struct {
		const char *dev, *paths;
		bool required;
		int want;
	} cases[] = {
		{ NULL, NULL, true, -EINVAL },
		{ NULL, NULL, false, 0 },
		{ "rxe0", NULL, true, 0 },
		{ NULL, "auto", true, 0 },
		{ NULL, "pf,vf", true, 0 },
		{ "rxe0", "pf", false, -EINVAL },
		{ NULL, "pf,bogus", false, -EINVAL },
		{ NULL, "auto,vf", true, -EINVAL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct host_devsel s = HOST_DEVSEL_INIT;

		s.dev = cases[i].dev, s.paths = cases[i].paths;
		CU_ASSERT_EQUAL(host_devsel_check("t", &s, cases[i].required),
				cases[i].want);
		CU_ASSERT(s.port == 1 && s.gid == -1);
	}
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The stability rule's interval of the median: none for a flat series,
 * about the iid width for white noise, much wider for the same values
 * in a slow drift (consecutive samples that move together). */
static void test_stability(void)
{
	static double flat[100], noise[4000], drift[4000];
	uint64_t x = 12345;
	int i;

	for (i = 0; i < 100; i++)
		flat[i] = 10.0;
	CU_ASSERT_DOUBLE_EQUAL(vfb_median_ci_rel_series(flat, 100), 0, 1e-12);
	for (i = 0; i < 4000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		noise[i] = 100 + (double)(x % 2001) / 100 - 10; /* 90..110 */
	}
	/* the same values sorted into a ramp: the same iid interval,
	 * but one long stretch after another */
	for (i = 0; i < 4000; i++)
		drift[i] = noise[i];
	qsort(drift, 4000, sizeof(double), cmp_d);
	CU_ASSERT(vfb_median_ci_rel_series(noise, 4000) < 0.01);
	CU_ASSERT(vfb_median_ci_rel_series(drift, 4000) >
		  3 * vfb_median_ci_rel_series(noise, 4000));
	CU_ASSERT_DOUBLE_EQUAL(vfb_median_ci_rel_series(noise, 4), 1,
			       0); /* too few */
}

/* Two NUMA nodes of two PUs each, from a synthetic description. */
/* Write VAL into DIR/REL, making the directories on the way. */
static void put(const char *dir, const char *rel, unsigned long long val)
{
	char path[512], *sl;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (sl = strchr(path + strlen(dir) + 1, '/'); sl;
	     sl = strchr(sl + 1, '/')) {
		*sl = '\0';
		mkdir(path, 0755);
		*sl = '/';
	}
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "%llu\n", val);
	fclose(f);
}

static void nd_put(const char *dir, unsigned long long tx_b,
		   unsigned long long rx_b, unsigned long long tx_p,
		   unsigned long long rx_p)
{
	put(dir, "sys/class/net/vf0/statistics/tx_bytes", tx_b);
	put(dir, "sys/class/net/vf0/statistics/rx_bytes", rx_b);
	put(dir, "sys/class/net/vf0/statistics/tx_packets", tx_p);
	put(dir, "sys/class/net/vf0/statistics/rx_packets", rx_p);
}

/* Counters before and after a case: the deltas land in the row, the RDMA
 * counters that moved in its map; a netdev that did not carry the case
 * turns the row into an error, one that did leaves it alone. */
/* A row of 100 messages of BYTES on netdev vf0 (rxe). */
static void vf0_row(struct vfb_result *r, uint64_t bytes)
{
	vfb_result_init(r);
	snprintf(r->netdev, sizeof(r->netdev), "vf0");
	snprintf(r->provider, sizeof(r->provider), "rxe");
	r->iters = 100;
	r->msg_bytes = bytes;
}

static void test_counters(void)
{
	char dir[] = "/tmp/vfb-counters-XXXXXX", cmd[64];
	static struct host_counters a, b;
	struct vfb_fsroot *root;
	struct vfb_result r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	nd_put(dir, 1000, 2000, 10, 20);
	put(dir, "sys/class/infiniband/rxe_vf0/ports/1/hw_counters/sent_pkts",
	    5);
	put(dir, "sys/class/infiniband/rxe_vf0/ports/1/hw_counters/rcvd_pkts",
	    7);
	put(dir,
	    "sys/class/infiniband/rxe_vf0/ports/1/hw_counters/duplicate_request",
	    0);
	root = vfb_fsroot_open(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	host_counters_read(root, "vf0", "rxe_vf0", 1, &a);
	CU_ASSERT_TRUE(a.nd_ok);
	CU_ASSERT_EQUAL(a.n, 3);
	/* a write_bw case of 100 x 4 KiB: 409600 B out, acks back */
	nd_put(dir, 1000 + 420000, 2000 + 6400, 10 + 110, 20 + 100);
	put(dir, "sys/class/infiniband/rxe_vf0/ports/1/hw_counters/sent_pkts",
	    105);
	host_counters_read(root, "vf0", "rxe_vf0", 1, &b);
	vf0_row(&r, 4096);
	host_counters_delta(&a, &b, &r);
	CU_ASSERT_EQUAL(r.nd_tx_bytes, 420000);
	CU_ASSERT_EQUAL(r.nd_rx_bytes, 6400);
	CU_ASSERT_EQUAL(r.nd_tx_packets, 110);
	CU_ASSERT_EQUAL(r.nd_rx_packets, 100);
	CU_ASSERT_STRING_EQUAL(r.rdma_counters, "hw_counters/sent_pkts=100");
	CU_ASSERT_FALSE(host_counters_check(&r, 1));
	CU_ASSERT_EQUAL(r.status, VFB_STATUS_OK);
	CU_ASSERT_STRING_EQUAL(r.proof,
			       "netdev statistics: 104% of the "
			       "payload bytes; 2.10 packets a message");
	/* the same case as a ping-pong puts twice that on the wire */
	CU_ASSERT_TRUE(host_counters_check(&r, 2));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(r.error, "traffic did not take netdev vf0"));
	/* a case that ran elsewhere: the netdev saw only a few packets */
	vf0_row(&r, 2);
	host_counters_delta(&b, &b, &r);
	r.nd_tx_packets = r.nd_rx_packets = 5;
	CU_ASSERT_TRUE(host_counters_check(&r, 1));
	CU_ASSERT_EQUAL(r.status, VFB_STATUS_ERROR);
	/* no netdev statistics: nothing known, nothing claimed */
	host_counters_read(root, "nosuch0", "rxe_vf0", 1, &b);
	CU_ASSERT_FALSE(b.nd_ok);
	vfb_result_init(&r);
	snprintf(r.provider, sizeof(r.provider), "rxe");
	host_counters_delta(&a, &b, &r);
	CU_ASSERT_EQUAL(r.nd_tx_bytes, -1);
	CU_ASSERT_FALSE(host_counters_check(&r, 1));
	CU_ASSERT_EQUAL(r.status, VFB_STATUS_OK);
	CU_ASSERT_STRING_EQUAL(
		r.proof, "not made: statistics of netdev (none) not read");
	vfb_fsroot_close(root);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* A write_bw row of 100 x 64 KiB from PROVIDER, with nothing read yet. */
static void bw_row(struct vfb_result *r, const char *provider)
{
	vfb_result_init(r);
	snprintf(r->provider, sizeof(r->provider), "%s", provider);
	snprintf(r->device, sizeof(r->device), "dev0");
	snprintf(r->netdev, sizeof(r->netdev), "eth0");
	r->iters = 100;
	r->msg_bytes = 65536;
}

/*
 * The documented mlx5 VF in a guest (tests/data/sysfs/mlx5-vf-roce and
 * -after): its netdev's statistics do not move, its port counters do.
 * The proof follows the provider the tree names (the device's PCI
 * driver, mlx5_core) and reads the port counters, in 4-byte words.
 */
static void test_counters_mlx5(void)
{
	static struct host_counters a, b;
	struct vfb_fsroot *before = test_tree("mlx5-vf-roce"),
			  *after = test_tree("mlx5-vf-roce-after");
	struct host_devclass dc;
	struct vfb_result r;

	CU_ASSERT_EQUAL_FATAL(host_classify(before, "mlx5_0", &dc), 0);
	CU_ASSERT_STRING_EQUAL(dc.provider, "mlx5_core");
	CU_ASSERT_PTR_NOT_NULL(host_proof_find(dc.provider));
	host_counters_read(before, dc.netdev, "mlx5_0", 1, &a);
	host_counters_read(after, dc.netdev, "mlx5_0", 1, &b);
	CU_ASSERT_TRUE(a.nd_ok && b.nd_ok);
	bw_row(&r, dc.provider);
	snprintf(r.device, sizeof(r.device), "mlx5_0");
	snprintf(r.netdev, sizeof(r.netdev), "%s", dc.netdev);
	host_counters_delta(&a, &b, &r);
	CU_ASSERT_EQUAL(r.nd_tx_bytes, 0);
	CU_ASSERT_EQUAL(r.nd_tx_packets, 0);
	/* the proof's counters first, also those that did not move */
	CU_ASSERT_EQUAL(strncmp(r.rdma_counters, "counters/", 9), 0);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(r.rdma_counters, "counters/port_xmit_data=1661600"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(r.rdma_counters, "counters/port_rcv_packets=100"));
	CU_ASSERT_PTR_NULL(strstr(r.rdma_counters, "symbol_error"));
	CU_ASSERT_FALSE(host_counters_check(&r, 1));
	CU_ASSERT_EQUAL(r.status, VFB_STATUS_OK);
	CU_ASSERT_STRING_EQUAL(r.proof, "port counters: 102% of the payload "
					"bytes; 17.00 packets a message");
	/* the same VF's result while the traffic ran over the PF: its own
	 * vport counters did not move */
	bw_row(&r, dc.provider);
	snprintf(r.device, sizeof(r.device), "mlx5_0");
	host_counters_delta(&a, &a, &r);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(r.rdma_counters, "counters/port_xmit_data=0"));
	CU_ASSERT_TRUE(host_counters_check(&r, 1));
	CU_ASSERT_EQUAL(r.status, VFB_STATUS_ERROR);
	CU_ASSERT_STRING_EQUAL(r.proof, "failed: port counters");
	CU_ASSERT_PTR_NOT_NULL(strstr(
		r.error, "traffic did not take mlx5_0: its port counters "
			 "(mlx5_ib) carried 0 bytes"));
	vfb_fsroot_close(before);
	vfb_fsroot_close(after);
}

/* Every rule of the table: its source's counters, as its provider
 * updates them, carrying the case pass it; carrying a tenth fails it;
 * not read, the proof is not made and the row stays. */
static void test_proof_rules(void)
{
	static const double carry[] = { 1.05, 0.1 };
	const struct host_proof_rule *rules;
	struct vfb_result r;
	size_t n, i, c, k, used;

	rules = host_proof_rules(&n);
	CU_ASSERT_TRUE_FATAL(n >= 8);
	for (i = 0; i < n; i++)
		for (c = 0; c < 3; c++) {
			const struct host_ctr_source *src = rules[i].src;
			double want[HOST_CTR_N] = { 6553600 * carry[c & 1], 0,
						    100 * carry[c & 1], 0 };

			bw_row(&r, rules[i].provider);
			CU_ASSERT_PTR_EQUAL(host_proof_find(rules[i].provider),
					    &rules[i]);
			CU_ASSERT_TRUE(src->unit == 1 || src->unit == 4);
			if (src->netdev && c < 2) {
				r.nd_tx_bytes = (int64_t)want[0];
				r.nd_tx_packets = (int64_t)want[2];
				r.nd_rx_bytes = r.nd_rx_packets = 0;
			}
			for (k = used = 0;
			     !src->netdev && c < 2 && k < HOST_CTR_N; k++)
				used += (size_t)snprintf(
					r.rdma_counters + used,
					sizeof(r.rdma_counters) - used,
					"%s%s=%.0f", used ? " " : "",
					src->files[k][0],
					k < 2 ? want[k] / src->unit : want[k]);
			CU_ASSERT_EQUAL(host_counters_check(&r, 1), c == 1);
			CU_ASSERT_EQUAL(r.status, c == 1 ? VFB_STATUS_ERROR :
							   VFB_STATUS_OK);
			if (c == 0)
				CU_ASSERT_EQUAL(strncmp(r.proof, src->name,
							strlen(src->name)),
						0);
			if (c == 2)
				CU_ASSERT_EQUAL(
					strncmp(r.proof, "not made: ", 10), 0);
		}
}

/* A provider with no known source: its counters are recorded, the row
 * says the proof was not made, and it is neither an error nor "ok". */
static void test_proof_unknown(void)
{
	struct vfb_result r;

	CU_ASSERT_PTR_NULL(host_proof_find("qede"));
	CU_ASSERT_PTR_NULL(host_proof_find(""));
	bw_row(&r, "qede");
	r.nd_tx_bytes = r.nd_rx_bytes = r.nd_tx_packets = r.nd_rx_packets = 0;
	snprintf(r.rdma_counters, sizeof(r.rdma_counters),
		 "hw_counters/tx_bytes=9000");
	CU_ASSERT_FALSE(host_counters_check(&r, 1));
	CU_ASSERT_EQUAL(r.status, VFB_STATUS_OK);
	CU_ASSERT_STRING_EQUAL(
		r.proof, "not made: no counter source known for provider qede");
	CU_ASSERT_STRING_EQUAL(r.rdma_counters, "hw_counters/tx_bytes=9000");
	bw_row(&r, "");
	CU_ASSERT_FALSE(host_counters_check(&r, 1));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.proof, "provider (unknown)"));
	/* a known provider whose counters were not read */
	bw_row(&r, "mlx5_core");
	CU_ASSERT_FALSE(host_counters_check(&r, 1));
	CU_ASSERT_EQUAL(r.status, VFB_STATUS_OK);
	CU_ASSERT_STRING_EQUAL(r.proof,
			       "not made: counters/port_xmit_data not read");
}

static hwloc_topology_t two_nodes(void)
{
	hwloc_topology_t t;

	CU_ASSERT_EQUAL_FATAL(hwloc_topology_init(&t), 0);
	CU_ASSERT_EQUAL_FATAL(
		hwloc_topology_set_synthetic(t, "pack:2 numa:1 core:2 pu:1"),
		0);
	CU_ASSERT_EQUAL_FATAL(hwloc_topology_load(t), 0);
	return t;
}

static void test_locality(void)
{
	static const struct {
		const char *devset; /* PUs local to the device, "" for none */
		const char *mode;
		int cpu;
		int ret, want_cpu, want_numa, dev_numa;
		bool local;
	} cases[] = {
		{ "2-3", NULL, -1, 0, 2, 1, 1, true },
		{ "2-3", "remote", -1, 0, 2, 0, 1, true },
		{ "0-1", "1", -1, 0, 0, 1, 0, true },
		{ "0-1", "local", 1, 0, 1, 0, 0, true },
		{ "", NULL, -1, 0, 0, 0, -1, false },	 /* no locality: a VM */
		{ "0-3", NULL, -1, 0, 0, 0, -1, false }, /* the whole machine */
		{ "2-3", "7", -1, -EINVAL, 0, 0, 0, true },
		{ "2-3", NULL, 9, -EINVAL, 0, 0, 0, true },
	};
	hwloc_topology_t t = two_nodes();
	struct host_locality loc;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hwloc_bitmap_t set = hwloc_bitmap_alloc();
		int ret;

		hwloc_bitmap_list_sscanf(set, cases[i].devset);
		ret = host_locality_choose(t, set, cases[i].mode, cases[i].cpu,
					   &loc);
		CU_ASSERT_EQUAL(ret, cases[i].ret);
		if (!ret) {
			CU_ASSERT_EQUAL(loc.cpu, cases[i].want_cpu);
			CU_ASSERT_EQUAL(loc.numa, cases[i].want_numa);
			CU_ASSERT_EQUAL(loc.device_numa, cases[i].dev_numa);
			CU_ASSERT_EQUAL(loc.device_local, cases[i].local);
			CU_ASSERT_EQUAL(loc.note[0] != '\0', !cases[i].local);
		}
		hwloc_bitmap_free(set);
	}
	hwloc_topology_destroy(t);
}

static void test_one_node_remote(void)
{
	hwloc_topology_t t;
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	struct host_locality loc;

	hwloc_topology_init(&t);
	hwloc_topology_set_synthetic(t, "core:4 pu:1");
	hwloc_topology_load(t);
	hwloc_bitmap_list_sscanf(set, "0-3");
	CU_ASSERT_EQUAL(host_locality_choose(t, set, "remote", -1, &loc),
			-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(loc.note, "one NUMA node"));
	hwloc_bitmap_free(set);
	hwloc_topology_destroy(t);
}

/* run.json of a stopped run says why: the signal, and the reason the
 * sender left in $VFB_STOP_REASON_FILE (the lab's idle limit). */
static void test_interrupted(void)
{
	char path[] = "/tmp/vfb-stop-XXXXXX", st[320];
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	CU_ASSERT_FATAL(f != NULL);
	fputs("lab: no progress for 300s (--idle)\nsecond line\n", f);
	fclose(f);
	unsetenv("VFB_STOP_REASON_FILE");
	host_rundir_interrupted(SIGINT, st, sizeof(st));
	CU_ASSERT_STRING_EQUAL(st, "interrupted: SIGINT");
	setenv("VFB_STOP_REASON_FILE", path, 1);
	host_rundir_interrupted(SIGTERM, st, sizeof(st));
	CU_ASSERT_STRING_EQUAL(
		st, "interrupted: SIGTERM: lab: no progress for 300s (--idle)");
	unlink(path);
	host_rundir_interrupted(SIGTERM, st, sizeof(st));
	CU_ASSERT_STRING_EQUAL(st, "interrupted: SIGTERM");
	host_rundir_interrupted(SIGHUP, st, sizeof(st));
	CU_ASSERT_STRING_EQUAL(st, "interrupted: signal 1");
	unsetenv("VFB_STOP_REASON_FILE");
}

int test_bench_register(void)
{
	CU_pSuite s = CU_add_suite("host: paths, counters, locality, rundir",
				   NULL, NULL);

	if (!s || !CU_add_test(s, "path planning", test_paths) ||
	    !CU_add_test(s, "device options", test_devsel) ||
	    !CU_add_test(s, "stability rule: CI of the median",
			 test_stability) ||
	    !CU_add_test(s, "locality from a 2-node topology", test_locality) ||
	    !CU_add_test(s, "remote on a 1-node machine",
			 test_one_node_remote) ||
	    !CU_add_test(
		    s, "counters: deltas, moved RDMA counters, the path check",
		    test_counters) ||
	    !CU_add_test(s, "counters: an mlx5 VF's port counters prove it",
			 test_counters_mlx5) ||
	    !CU_add_test(s, "counters: every provider rule",
			 test_proof_rules) ||
	    !CU_add_test(s, "counters: unknown provider, proof not made",
			 test_proof_unknown) ||
	    !CU_add_test(s, "run.json of a stopped run says why",
			 test_interrupted))
		return -1;
	return 0;
}
