/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "classify.h"
#include "commands.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"
#include "res.h"
#include "results.h"
#include "session.h"
#include "test.h"

#define DEFAULT_SIZES "2,4096,65536"

struct run_cfg {
	const char *dev, *peer, *tests, *sizes, *csv, *json, *clock;
	long gid, ib_port, iters, warmup, timeout, tx_depth, cq_mod;
	const char *duration;
	bool all_sizes, rdma_cm, verify;
};

#define O(f) offsetof(struct run_cfg, f)
static const struct vfb_opt run_opts[] = {
	{ .name = "ib-dev", .key = 'd', .type = VFB_OPT_STR, .offset = O(dev),
	  .metavar = "DEV", .help = "RDMA device to measure (required)" },
	{ .name = "peer", .type = VFB_OPT_STR, .offset = O(peer),
	  .metavar = "HOST[:PORT]", .help = "where 'vfbench serve' runs (port 18515)" },
	{ .name = "gid-index", .key = 'x', .type = VFB_OPT_LONG, .offset = O(gid),
	  .metavar = "N", .help = "GID index (default: RoCE v2, IPv4-mapped)",
	  .min = 0, .max = 255 },
	{ .name = "ib-port", .key = 'i', .type = VFB_OPT_LONG, .offset = O(ib_port),
	  .metavar = "N", .help = "port of the device (default 1)", .min = 1,
	  .max = 255 },
	{ .name = "tests", .key = 't', .type = VFB_OPT_STR, .offset = O(tests),
	  .metavar = "LIST", .help = "tests to run (default: all)" },
	{ .name = "size", .key = 's', .type = VFB_OPT_STR, .offset = O(sizes),
	  .metavar = "SIZES", .help = "message sizes, e.g. 2,4K,64K (default " DEFAULT_SIZES ")" },
	{ .name = "all", .key = 'a', .type = VFB_OPT_FLAG, .offset = O(all_sizes),
	  .help = "sweep sizes 2 B .. 8 MiB by powers of two" },
	{ .name = "iters", .key = 'n', .type = VFB_OPT_LONG, .offset = O(iters),
	  .metavar = "N", .help = "iterations per size (default 1000)", .min = 1,
	  .max = 1000000000 },
	{ .name = "duration", .key = 'D', .type = VFB_OPT_STR, .offset = O(duration),
	  .metavar = "SEC", .help = "run each size this long instead of -n" },
	{ .name = "warmup", .type = VFB_OPT_LONG, .offset = O(warmup),
	  .metavar = "N", .help = "unmeasured iterations first (default n/10, at most 100)",
	  .min = 0, .max = 1000000 },
	{ .name = "rdma-cm", .key = 'R', .type = VFB_OPT_FLAG, .offset = O(rdma_cm),
	  .help = "connect the QP with rdma_cm instead of the TCP exchange" },
	{ .name = "verify", .type = VFB_OPT_FLAG, .offset = O(verify),
	  .help = "fill a pattern and check every received payload" },
	{ .name = "tx-depth", .type = VFB_OPT_LONG, .offset = O(tx_depth),
	  .metavar = "N", .help = "work requests in flight (bandwidth, default 128)",
	  .min = 2, .max = 8192 },
	{ .name = "cq-mod", .type = VFB_OPT_LONG, .offset = O(cq_mod),
	  .metavar = "N", .help = "signal one send in N (bandwidth, default 32)",
	  .min = 1, .max = 8192 },
	{ .name = "timeout", .type = VFB_OPT_LONG, .offset = O(timeout),
	  .metavar = "SEC", .help = "give up on a silent peer after SEC (default 10)",
	  .min = 1, .max = 3600 },
	{ .name = "clock", .type = VFB_OPT_STR, .offset = O(clock),
	  .metavar = "auto|raw", .help = "timestamps: TSC when invariant, or CLOCK_MONOTONIC_RAW" },
	{ .name = "csv", .type = VFB_OPT_STR, .offset = O(csv), .metavar = "FILE",
	  .help = "write one CSV row per (test, size), flushed as it comes" },
	{ .name = "json", .type = VFB_OPT_STR, .offset = O(json), .metavar = "FILE",
	  .help = "write the rows and the parameters as JSON" },
	VFB_OPT_END,
};
#undef O

struct run_out {
	FILE *csv;
	json_object *rows;
	const char *path;
	int last_kind;
	int errors;
};

static void on_row(void *arg, const struct vfb_result *row)
{
	struct run_out *o = arg;
	struct vfb_result r = *row;

	snprintf(r.path, sizeof(r.path), "%s", o->path);
	rpt_text_result(stdout, &r, &o->last_kind);
	fflush(stdout);
	if (o->csv) {
		rpt_csv_result(o->csv, &r);
		fflush(o->csv);
	}
	json_object_array_add(o->rows, rpt_result_json(&r));
	o->errors += r.status != VFB_STATUS_OK;
}

static int parse_peer(const char *peer, char *host, size_t hlen, char *svc,
		      size_t slen)
{
	const char *colon = strrchr(peer, ':');

	if (colon && !strchr(colon + 1, ']') && strchr(peer, ':') == colon) {
		snprintf(host, hlen, "%.*s", (int)(colon - peer), peer);
		snprintf(svc, slen, "%s", colon + 1);
	} else {
		snprintf(host, hlen, "%s", peer);
		snprintf(svc, slen, "%s", VT_DEFAULT_PORT);
	}
	return host[0] && svc[0] ? 0 : -EINVAL;
}

static int build_params(const struct run_cfg *c, struct vt_params *p)
{
	char err[128];
	char *end;

	memset(p, 0, sizeof(*p));
	if (c->all_sizes && c->sizes) {
		vfb_err("run: -a and -s exclude each other");
		return -EINVAL;
	}
	if (c->all_sizes)
		vfb_sizes_sweep(2, 8 << 20, &p->sizes);
	else if (vfb_sizes_parse(c->sizes ? c->sizes : DEFAULT_SIZES, &p->sizes,
				 err, sizeof(err))) {
		vfb_err("run: -s: %s", err);
		return -EINVAL;
	}
	if (c->duration) {
		p->duration_s = strtod(c->duration, &end);
		if (*end || p->duration_s <= 0 || p->duration_s > 3600 || c->iters) {
			vfb_err("run: -D wants seconds in (0, 3600] and no -n, not '%s'",
				c->duration);
			return -EINVAL;
		}
	} else {
		p->iters = c->iters ? (uint64_t)c->iters : 1000;
	}
	p->warmup = c->warmup >= 0 ? (uint64_t)c->warmup :
		    p->iters ? (p->iters / 10 < 100 ? p->iters / 10 : 100) : 100;
	p->rdma_cm = c->rdma_cm;
	p->verify = c->verify;
	p->tx_depth = (uint32_t)c->tx_depth;
	p->cq_mod = (uint32_t)(c->cq_mod < c->tx_depth ? c->cq_mod : c->tx_depth);
	return 0;
}

static int check_tests(const char *list)
{
	char buf[256], names[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!vt_test_find(tok)) {
			vt_test_names(names, sizeof(names));
			vfb_err("run: unknown test '%s' (tests: %s)", tok, names);
			return -EINVAL;
		}
	return 0;
}

static int check_device(const char *dev)
{
	char names[512], one[72];

	vt_device_names(names, sizeof(names));
	snprintf(one, sizeof(one), "%s", dev);
	/* exact match inside the comma separated list */
	for (char *t = strtok(names, ", "); t; t = strtok(NULL, ", "))
		if (!strcmp(t, one))
			return 0;
	vt_device_names(names, sizeof(names));
	vfb_err("run: unknown RDMA device '%s' (devices: %s)", dev, names);
	return -ENODEV;
}

static int exit_class(int err)
{
	switch (-err) {
	case ENODEV: case EHOSTUNREACH: case ECONNREFUSED: case ENETDOWN:
	case ENETUNREACH: case EPERM: case EACCES: case ENOMEM: case ENOENT:
		return VFB_EXIT_ENV;
	case EMSGSIZE: case EINVAL:
		return VFB_EXIT_USAGE;
	}
	return VFB_EXIT_FAIL;
}

static void write_json(const char *file, const struct run_cfg *c,
		       const struct vt_params *p, const struct vt_clock *clk,
		       json_object *rows)
{
	json_object *top = json_object_new_object(), *par = vt_params_to_json(p);
	json_object *ck = json_object_new_object();

	json_object_object_del(par, "type");
	json_object_object_add(par, "device", json_object_new_string(c->dev));
	json_object_object_add(par, "peer", json_object_new_string(c->peer));
	json_object_object_add(ck, "source", json_object_new_string(clk->source));
	json_object_object_add(ck, "ns_per_tick", json_object_new_double(clk->ns_per_tick));
	json_object_object_add(ck, "overhead_ns", json_object_new_double(clk->overhead_ns));
	json_object_object_add(top, "schema", json_object_new_string("vfbench-run/1"));
	json_object_object_add(top, "latency", json_object_new_string(
		"half of each measured round trip, as perftest reports it"));
	json_object_object_add(top, "params", par);
	json_object_object_add(top, "clock", ck);
	json_object_object_add(top, "results", json_object_get(rows));
	if (json_object_to_file_ext(file, top, JSON_C_TO_STRING_PRETTY))
		vfb_err("run: --json %s: %s", file, strerror(errno));
	json_object_put(top);
}

static int run_tests(struct run_cfg *c, struct vt_params *p,
		     struct vt_client_cfg *cc, struct run_out *o,
		     const struct vt_clock *clk)
{
	char list[256], err[512], *tok, *save = NULL;
	int ret, worst = VFB_EXIT_OK, cls;

	snprintf(list, sizeof(list), "%s", c->tests);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		snprintf(p->test, sizeof(p->test), "%s", tok);
		ret = vt_client_run(cc, p, clk, on_row, o, err, sizeof(err));
		if (!ret)
			continue;
		vfb_err("run: %s on %s: %s", tok, c->dev, err);
		cls = exit_class(ret);
		worst = cls > worst ? cls : worst;
	}
	return worst;
}

int bench_cmd_run(int argc, char **argv)
{
	struct run_cfg c = { .gid = -1, .ib_port = 1, .warmup = -1, .timeout = 10,
			     .tx_depth = 128, .cq_mod = 32,
			     .tests = "write_lat,send_lat,write_bw,send_bw" };
	struct vfb_fsroot *root;
	struct bench_devclass dc;
	struct vt_params p;
	struct vt_clock clk;
	char host[256], svc[32];
	struct run_out o = { .last_kind = 0 };
	int ret;

	ret = vfb_opt_parse(run_opts, "run",
			    "-d DEV --peer HOST[:PORT] [-s SIZES | -a] [-n N | -D SEC] [OPTIONS]",
			    argc, argv, &c);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret < argc || !c.dev || !c.peer) {
		vfb_err("run: %s", ret < argc ? "unexpected argument" :
			"-d DEV and --peer HOST are required");
		return VFB_EXIT_USAGE;
	}
	if (build_params(&c, &p) || check_tests(c.tests) ||
	    parse_peer(c.peer, host, sizeof(host), svc, sizeof(svc)))
		return VFB_EXIT_USAGE;
	if (check_device(c.dev))
		return VFB_EXIT_ENV;
	vt_clock_init(&clk, c.clock && !strcmp(c.clock, "raw"));
	root = vfb_fsroot_open("/");
	o.path = root && !bench_classify(root, c.dev, &dc) ?
			 bench_path_name(dc.path) : "unknown";
	vfb_fsroot_close(root);
	if (c.csv) {
		o.csv = fopen(c.csv, "w");
		if (!o.csv) {
			vfb_err("run: --csv %s: %s", c.csv, strerror(errno));
			return VFB_EXIT_USAGE;
		}
		rpt_csv_header(o.csv);
	}
	o.rows = json_object_new_array();
	struct vt_client_cfg cc = {
		.dev = c.dev, .port = (uint8_t)c.ib_port, .gid_index = (int)c.gid,
		.host = host, .svc = svc, .timeout_ms = (int)c.timeout * 1000,
	};
	ret = run_tests(&c, &p, &cc, &o, &clk);
	if (o.csv)
		fclose(o.csv);
	if (c.json)
		write_json(c.json, &c, &p, &clk, o.rows);
	json_object_put(o.rows);
	if (ret == VFB_EXIT_OK && o.errors)
		ret = VFB_EXIT_FAIL;
	return ret;
}
