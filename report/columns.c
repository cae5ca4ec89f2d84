/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "escape.h"

#define F(field) offsetof(struct vfb_result, field)
#define S(field) F(field), sizeof(((struct vfb_result *)0)->field)
#define LAT	 (RPT_ROWS_OK | RPT_ROWS_LAT)
#define BW	 (RPT_ROWS_OK | RPT_ROWS_BW)

static const struct rpt_col cols[] = {
	{ "run_id", RPT_COL_STR, "-", S(run_id), RPT_ROWS_ALL, false,
	  "the run: its start in UTC and the host, YYYYMMDDTHHMMSSZ-HOST" },
	{ "host", RPT_COL_STR, "-", S(host), RPT_ROWS_ALL, false,
	  "the measuring host's name (gethostname)" },
	{ "path", RPT_COL_STR, "-", S(path), RPT_ROWS_ALL, false,
	  "the device's path kind ('vfbench help paths'), or 'all' for "
	  "share's aggregate rows" },
	{ "device", RPT_COL_STR, "-", S(device), RPT_ROWS_ALL, false,
	  "the RDMA device measured (mlx5_0, rxe0)" },
	{ "provider", RPT_COL_STR, "-", S(provider), RPT_ROWS_ALL, false,
	  "the provider: rxe or siw, else the PCI driver of the device's "
	  "function (mlx5_core); picks the path proof's counters" },
	{ "pci", RPT_COL_STR, "-", S(pci), RPT_ROWS_ALL, false,
	  "the PCI function behind the device (BDF), empty when none" },
	{ "netdev", RPT_COL_STR, "-", S(netdev), RPT_ROWS_ALL, false,
	  "the network interface of the device's port" },
	{ "peer", RPT_COL_STR, "-", S(peer), RPT_ROWS_ALL, false,
	  "the 'vfbench serve' measured against, HOST[:PORT] as given" },
	{ "gid_index", RPT_COL_INDEX, "-", F(gid_index), 0, RPT_ROWS_ALL, false,
	  "the GID table index the QPs used (-x, else the RoCE v2 GID of "
	  "the address the traffic leaves from); empty: none chosen" },
	{ "cpu", RPT_COL_INDEX, "-", F(cpu), 0, RPT_ROWS_ALL, false,
	  "the core the measuring thread was bound to; empty: unbound" },
	{ "numa", RPT_COL_INDEX, "-", F(numa), 0, RPT_ROWS_ALL, false,
	  "the memory node of the buffers; empty: unbound" },
	{ "test", RPT_COL_STR, "-", S(test), RPT_ROWS_ALL, false,
	  "the test engine ('vfbench help tests')" },
	{ "msg_bytes", RPT_COL_COUNT, "B", F(msg_bytes), 0, RPT_ROWS_ALL, false,
	  "the message size (atomics: always 8)" },
	{ "rep", RPT_COL_U32, "-", F(rep), 0, RPT_ROWS_ALL, false,
	  "the repetition (--repeat), 1-based; empty: not known" },
	{ "iters", RPT_COL_COUNT, "-", F(iters), 0, RPT_ROWS_OK, false,
	  "measured iterations, warm-up excluded: latency samples, or the "
	  "work requests a stream posted over all its QPs" },
	{ "lat_min_us", RPT_COL_NUM, "us", F(lat.min), 0, LAT, true,
	  "the smallest latency sample (exact)" },
	{ "lat_p50_us", RPT_COL_NUM, "us", F(lat.p50), 0, LAT, true,
	  "median latency, nearest rank (sorted[ceil(0.5 n) - 1]: the lower "
	  "middle of an even count, as perftest's t_typical)" },
	{ "lat_avg_us", RPT_COL_NUM, "us", F(lat.mean), 0, LAT, true,
	  "the mean of every latency sample (exact, also in duration mode)" },
	{ "lat_stdev_us", RPT_COL_NUM, "us", F(lat.stdev), 0, LAT, true,
	  "the samples' standard deviation (n - 1), in floating point" },
	{ "lat_p99_us", RPT_COL_NUM, "us", F(lat.p99), 0, LAT, true,
	  "99th percentile, nearest rank; empty below 100 samples" },
	{ "lat_p999_us", RPT_COL_NUM, "us", F(lat.p999), 0, LAT, true,
	  "99.9th percentile, nearest rank; empty below 10,000 samples" },
	{ "lat_p9999_us", RPT_COL_NUM, "us", F(lat.p9999), 0, LAT, true,
	  "99.99th percentile, nearest rank; empty below 100,000 samples" },
	{ "lat_max_us", RPT_COL_NUM, "us", F(lat.max), 0, LAT, true,
	  "the largest latency sample (exact)" },
	{ "lat_err_bound", RPT_COL_NUM, "-", F(lat.err_bound), 0, LAT, true,
	  "the percentiles' largest relative error: 0 exact (every sample "
	  "kept), 0.0078125 from duration mode's log-linear histogram" },
	{ "bw_avg_gbps", RPT_COL_NUM, "Gb/s", F(bw_avg_gbps), 0, BW, true,
	  "payload bandwidth: iters x msg_bytes x 8 over the measured "
	  "interval (share aggregates: the members' sum)" },
	{ "bw_peak_gbps", RPT_COL_NUM, "Gb/s", F(bw_peak_gbps), 0, BW, true,
	  "the best rate over any window of at least max(tx_depth, 10% of "
	  "the run) completions, never below bw_avg_gbps" },
	{ "bw_avg_MBps", RPT_COL_NUM, "MB/s", F(bw_avg_mbps), 0, BW, true,
	  "bw_avg_gbps in 10^6 bytes a second, as perftest's BW average" },
	{ "bw_back_gbps", RPT_COL_NUM, "Gb/s", F(bw_back_gbps), 0, BW, true,
	  "-b: the peer's stream towards this side, as the peer measured it" },
	{ "bw_sum_gbps", RPT_COL_NUM, "Gb/s", F(bw_sum_gbps), 0, BW, true,
	  "-b: bw_avg_gbps + bw_back_gbps" },
	{ "msg_rate_mpps", RPT_COL_NUM, "Mpps", F(msg_rate_mpps), 0, BW, true,
	  "messages a second: iters over the measured interval, in millions" },
	{ "signaled_every", RPT_COL_U32, "-", F(signaled_every), 0, RPT_ROWS_OK,
	  false,
	  "one send in this many was signaled: --cq-mod (at most --tx-depth) "
	  "for streams, 16 (at most --tx-depth) for ping-pongs, 1 for READ "
	  "and atomic round trips" },
	{ "opcode", RPT_COL_STR, "-", S(opcode), RPT_ROWS_OK, false,
	  "the verb posted (the test's, 'vfbench help tests'; WRITE with "
	  "immediate under --verify or -e, compare-and-swap under --atomic "
	  "cmp_swap)" },
	{ "lat_basis", RPT_COL_STR, "-", S(lat_basis), LAT, false,
	  "half_rtt: a sample is half a ping-pong's round trip; rtt: the "
	  "whole round trip (READ, atomics), as perftest reports them" },
	{ "post_list", RPT_COL_U32, "-", F(post_list), 0, BW, false,
	  "work requests per ibv_post_send (-l)" },
	{ "qps", RPT_COL_U32, "-", F(qps), 0, BW, false,
	  "queue pairs the stream drove (-q)" },
	{ "events", RPT_COL_YESNO, "-", F(events), 0, RPT_ROWS_OK, false,
	  "yes: completions waited for on a completion channel (-e); no: "
	  "polled" },
	{ "tclass", RPT_COL_INDEX, "-", F(tclass), 0, RPT_ROWS_OK, false,
	  "the GRH traffic class the QP holds (ibv_query_qp)" },
	{ "sl", RPT_COL_INDEX, "-", F(sl), 0, RPT_ROWS_OK, false,
	  "the service level the QP holds (ibv_query_qp)" },
	{ "flow_label", RPT_COL_INDEX, "-", F(flow_label), 0, RPT_ROWS_OK,
	  false, "the GRH flow label the QP holds (ibv_query_qp)" },
	{ "inline", RPT_COL_YESNO, "-", F(inline_data), 0, RPT_ROWS_OK, false,
	  "yes: the sends carried their payload inline" },
	{ "inline_size", RPT_COL_INDEX, "B", F(inline_size), 0, RPT_ROWS_OK,
	  false,
	  "inline bytes the QP was given: -I or the test's default (220 "
	  "write_lat, 236 send_lat, else 0), capped by the device" },
	{ "grh", RPT_COL_YESNO, "-", F(grh), 0, RPT_ROWS_OK, false,
	  "yes: the address vector carries a GRH (RoCE always; InfiniBand "
	  "only with -x)" },
	{ "verify", RPT_COL_STR, "-", S(verify), RPT_ROWS_OK, false,
	  "how --verify checked the payloads (each test's method: 'vfbench "
	  "help tests'), or off" },
	{ "nd_tx_bytes", RPT_COL_DELTA, "B", F(nd_tx_bytes), 0, RPT_ROWS_ALL,
	  false,
	  "bytes the netdev sent during the case (statistics/tx_bytes, "
	  "after - before); empty: not read" },
	{ "nd_rx_bytes", RPT_COL_DELTA, "B", F(nd_rx_bytes), 0, RPT_ROWS_ALL,
	  false,
	  "bytes the netdev received during the case (statistics/rx_bytes, "
	  "after - before); empty: not read" },
	{ "nd_tx_packets", RPT_COL_DELTA, "packets", F(nd_tx_packets), 0,
	  RPT_ROWS_ALL, false,
	  "packets the netdev sent during the case; empty: not read" },
	{ "nd_rx_packets", RPT_COL_DELTA, "packets", F(nd_rx_packets), 0,
	  RPT_ROWS_ALL, false,
	  "packets the netdev received during the case; empty: not read" },
	{ "rdma_counters", RPT_COL_MAP, "-", S(rdma_counters), RPT_ROWS_ALL,
	  false,
	  "the RDMA port counters that moved, 'file=delta ...' in CSV (an "
	  "object in JSON), in the files' own units (port_*_data: 4-byte "
	  "words); the proof's counters first, moved or not" },
	{ "proof", RPT_COL_STR, "-", S(proof), RPT_ROWS_ALL, false,
	  "which counters proved the path carried the case and how much "
	  "('port counters: 103% of the payload bytes; 1.00 packets a "
	  "message'), 'failed: SOURCE' (an error row), or 'not made: WHY' "
	  "('vfbench help proofs')" },
	{ "scenario", RPT_COL_STR, "-", S(scenario), RPT_ROWS_ALL, false,
	  "share: solo, fairness, scaling or isolation; empty in run" },
	{ "role", RPT_COL_STR, "-", S(role), RPT_ROWS_ALL, false,
	  "share: member, aggregate, victim or aggressor; empty in run" },
	{ "active", RPT_COL_U32, "-", F(active), 0, RPT_ROWS_ALL, false,
	  "share: devices running at that moment" },
	{ "skew_us", RPT_COL_NUM, "us", F(skew_us), 0, RPT_ROWS_OK, false,
	  "share: how late this member started after the first member at "
	  "the common start; an aggregate row: the spread" },
	{ "jain", RPT_COL_NUM, "-", F(jain), 0, BW, true,
	  "share aggregate: Jain's index over the members' bandwidths, "
	  "(sum x)^2 / (n sum x^2): 1 fair, 1/n one takes all" },
	{ "share_min", RPT_COL_NUM, "-", F(share_min), 0, BW, true,
	  "share aggregate: the smallest member's fraction of the sum" },
	{ "share_max", RPT_COL_NUM, "-", F(share_max), 0, BW, true,
	  "share aggregate: the largest member's fraction of the sum" },
	{ "efficiency", RPT_COL_NUM, "-", F(efficiency), 0, BW, true,
	  "share aggregate: the sum over the PF alone when the PF is a "
	  "member, else over the best device alone" },
	{ "rate_cap_mbps", RPT_COL_NUM, "Mb/s", F(rate_cap_mbps), 0, BW, false,
	  "share: the VF's configured max_tx_rate (rtnetlink)" },
	{ "cap_verdict", RPT_COL_STR, "-", S(cap_verdict), BW, false,
	  "share: what the traffic did with the cap, judged on wire_mbps: "
	  "enforced (within 10%), exceeded, not_reached (under 90%), none" },
	{ "wire_mbps", RPT_COL_NUM, "Mb/s", F(wire_mbps), 0, BW, false,
	  "share: the bandwidth on the wire, the payload plus every "
	  "packet's headers at the path MTU (RoCE v2: 62 B and the "
	  "opcode's); preamble and IFG not counted" },
	{ "penalty_p50", RPT_COL_NUM, "-", F(penalty_p50.est), 0, LAT, true,
	  "isolation: the victim's p50 loaded over alone, the median over "
	  "the alternations (-r)" },
	{ "penalty_p50_lo", RPT_COL_NUM, "-", F(penalty_p50.lo), 0, LAT, false,
	  "isolation: penalty_p50's 95% interval, lower end (bootstrap over "
	  "the alternations)" },
	{ "penalty_p50_hi", RPT_COL_NUM, "-", F(penalty_p50.hi), 0, LAT, false,
	  "isolation: penalty_p50's 95% interval, upper end" },
	{ "penalty_p99", RPT_COL_NUM, "-", F(penalty_p99.est), 0, LAT, true,
	  "isolation: the victim's p99 loaded over alone, the median over "
	  "the alternations" },
	{ "penalty_p99_lo", RPT_COL_NUM, "-", F(penalty_p99.lo), 0, LAT, false,
	  "isolation: penalty_p99's 95% interval, lower end" },
	{ "penalty_p99_hi", RPT_COL_NUM, "-", F(penalty_p99.hi), 0, LAT, false,
	  "isolation: penalty_p99's 95% interval, upper end" },
	{ "penalty_p999", RPT_COL_NUM, "-", F(penalty_p999.est), 0, LAT, true,
	  "isolation: the victim's p99.9 loaded over alone, the median over "
	  "the alternations" },
	{ "penalty_p999_lo", RPT_COL_NUM, "-", F(penalty_p999.lo), 0, LAT,
	  false, "isolation: penalty_p999's 95% interval, lower end" },
	{ "penalty_p999_hi", RPT_COL_NUM, "-", F(penalty_p999.hi), 0, LAT,
	  false, "isolation: penalty_p999's 95% interval, upper end" },
	{ "src_host", RPT_COL_STR, "-", S(src_host), RPT_ROWS_ALL, false,
	  "mesh: the client host of the pair (it drives the test)" },
	{ "dst_host", RPT_COL_STR, "-", S(dst_host), RPT_ROWS_ALL, false,
	  "mesh: the server host of the pair" },
	{ "src_rank", RPT_COL_INDEX, "-", F(src_rank), 0, RPT_ROWS_ALL, false,
	  "mesh: the client's rank" },
	{ "dst_rank", RPT_COL_INDEX, "-", F(dst_rank), 0, RPT_ROWS_ALL, false,
	  "mesh: the server's rank" },
	{ "round", RPT_COL_INDEX, "-", F(mesh_round), 0, RPT_ROWS_ALL, false,
	  "mesh: the schedule's round, 0-based (a retest row: its pair's "
	  "round)" },
	{ "flag", RPT_COL_STR, "-", S(flag), RPT_ROWS_OK, false,
	  "mesh: latency (p50 over --flag-latency times the fleet's median "
	  "for the case), bandwidth (under --flag-bandwidth of the fleet's "
	  "best), or empty" },
	{ "retest", RPT_COL_YESNO, "-", F(retest), 0, RPT_ROWS_ALL, false,
	  "mesh: yes, the flagged pair measured again alone; no, in its "
	  "round" },
	{ "check", RPT_COL_STR, "-", S(check), RPT_ROWS_ALL, false,
	  "validate: the check ('vfbench help valchecks')" },
	{ "verdict", RPT_COL_STR, "-", S(verdict), RPT_ROWS_ALL, false,
	  "validate: pass, fail (a claim that does not hold, a protection "
	  "that lets through, or a positive control that failed) or skip "
	  "(not tried, the evidence says why)" },
	{ "expected", RPT_COL_STR, "-", S(expected), RPT_ROWS_ALL, false,
	  "validate: what the check expected of the function" },
	{ "observed", RPT_COL_STR, "-", S(observed), RPT_ROWS_ALL, false,
	  "validate: what the function did" },
	{ "evidence", RPT_COL_STR, "-", S(evidence), RPT_ROWS_ALL, false,
	  "validate: what was tried and seen (the completion's status, the "
	  "bytes, the positive control)" },
	{ "event", RPT_COL_STR, "-", S(event), RPT_ROWS_ALL, false,
	  "drill: the disruption ('vfbench help events')" },
	{ "phase", RPT_COL_STR, "-", S(phase), RPT_ROWS_ALL, false,
	  "drill: before, during or after the event (an interval's row), or "
	  "summary (a stream's outcome: the target's stop and recovery, a "
	  "neighbour's during/before penalty and verdict)" },
	{ "t_ms", RPT_COL_NUM, "ms", F(t_ms), 0, RPT_ROWS_ALL, false,
	  "drill: the interval's end, ms since the drill began" },
	{ "event_ms", RPT_COL_NUM, "ms", F(event_ms), 0, RPT_ROWS_ALL, false,
	  "drill: when the row's event started, on t_ms's clock (a timeline's "
	  "0); empty: it never started" },
	{ "stop_ms", RPT_COL_NUM, "ms", F(stop_ms), 0, RPT_ROWS_ALL, false,
	  "drill summary, target: when its traffic stopped after the event "
	  "started (its session's error); empty: it never stopped" },
	{ "recovery_ms", RPT_COL_NUM, "ms", F(recovery_ms), 0, RPT_ROWS_ALL,
	  true,
	  "drill summary, target: from the event's start until a new session "
	  "(the device found again) measured an interval; 0: traffic never "
	  "stopped; empty with an error: it did not come back" },
	{ "qp_end", RPT_COL_STR, "-", S(qp_end), RPT_ROWS_ALL, false,
	  "drill summary, target: how its QPs ended: error (a completion "
	  "error), flush (flushed work requests), hang (no completion until "
	  "--timeout), gone (the device vanished), survived" },
	{ "config", RPT_COL_STR, "-", S(config), RPT_ROWS_ALL, false,
	  "drill summary, target: setup verify of its PF after recovery "
	  "('verified', 'N mismatches: ...', or 'not checked: WHY')" },
	{ "penalty", RPT_COL_NUM, "-", F(penalty.est), 0, RPT_ROWS_ALL, true,
	  "drill summary, neighbour: its figure during the event over before "
	  "(bandwidth before/during, latency p50 during/before: above 1 "
	  "worse), each interval one value (common/compare.h, Welch on logs)" },
	{ "penalty_lo", RPT_COL_NUM, "-", F(penalty.lo), 0, RPT_ROWS_ALL, false,
	  "drill: penalty's 95% interval, lower end" },
	{ "penalty_hi", RPT_COL_NUM, "-", F(penalty.hi), 0, RPT_ROWS_ALL, false,
	  "drill: penalty's 95% interval, upper end" },
	{ "seconds", RPT_COL_NUM, "s", F(seconds), 0, RPT_ROWS_OK, true,
	  "wall time of the measured iterations (latency: summed over "
	  "--until-stable's batches; share aggregates: the common window)" },
	{ "stability", RPT_COL_STR, "-", S(stability), RPT_ROWS_OK, false,
	  "fixed (-n or -D), stable (--until-stable reached its target) or "
	  "cap (stopped by --max-iters or --max-time)" },
	{ "ci_rel", RPT_COL_NUM, "-", F(ci_rel), 0, RPT_ROWS_OK, true,
	  "latency by -n: the 95% interval's half-width of the median, "
	  "relative, by batch means (up to 20 contiguous batches of 10 "
	  "samples or more, t interval on logs); 1 under 50 samples; empty "
	  "in duration mode and for bandwidth" },
	{ "status", RPT_COL_STATUS, "-", F(status), 0, RPT_ROWS_ALL, false,
	  "ok: measured; error: not, the error column says why" },
	{ "error", RPT_COL_STR, "-", S(error), RPT_ROWS_ALL, false,
	  "why the row is an error row, empty when ok" },
};

#define NCOLS (sizeof(cols) / sizeof(cols[0]))

const struct rpt_col *rpt_cols(size_t *n)
{
	*n = NCOLS;
	return cols;
}

const struct rpt_col *rpt_col_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOLS; i++)
		if (!strcmp(cols[i].name, name))
			return &cols[i];
	return NULL;
}

#define AT(type, r, c)	((type *)((char *)(r) + (c)->off))
#define CAT(type, r, c) ((const type *)((const char *)(r) + (c)->off))

/* Unset values are not carried either: no latency, no index, NAN. */
static bool has_value(const struct rpt_col *c, const struct vfb_result *r)
{
	switch (c->type) {
	case RPT_COL_INDEX:
	case RPT_COL_YESNO:
		return *CAT(int, r, c) >= 0;
	case RPT_COL_U32:
		return *CAT(uint32_t, r, c) != 0;
	case RPT_COL_DELTA:
		return *CAT(int64_t, r, c) >= 0;
	case RPT_COL_NUM:
		return !isnan(*CAT(double, r, c));
	default:
		return true;
	}
}

bool rpt_col_carried(const struct rpt_col *c, const struct vfb_result *r)
{
	bool ok = r->status == VFB_STATUS_OK;

	if ((c->rows & RPT_ROWS_OK) && !ok)
		return false;
	if ((c->rows & RPT_ROWS_LAT) && !(r->has_lat && r->lat.n))
		return false;
	if ((c->rows & RPT_ROWS_BW) && !r->has_bw)
		return false;
	return has_value(c, r);
}

const char *rpt_col_text(const struct rpt_col *c, const struct vfb_result *r,
			 char *buf, size_t len)
{
	buf[0] = '\0';
	if (!rpt_col_carried(c, r))
		return buf;
	switch (c->type) {
	case RPT_COL_STR:
	case RPT_COL_MAP:
		return CAT(char, r, c);
	case RPT_COL_DELTA:
		snprintf(buf, len, "%" PRId64, *CAT(int64_t, r, c));
		break;
	case RPT_COL_COUNT:
		snprintf(buf, len, "%" PRIu64, *CAT(uint64_t, r, c));
		break;
	case RPT_COL_U32:
		snprintf(buf, len, "%" PRIu32, *CAT(uint32_t, r, c));
		break;
	case RPT_COL_INDEX:
		snprintf(buf, len, "%d", *CAT(int, r, c));
		break;
	case RPT_COL_NUM: /* 9 significant digits: reads back as written */
		snprintf(buf, len, "%.9g", *CAT(double, r, c));
		break;
	case RPT_COL_YESNO:
		snprintf(buf, len, "%s", *CAT(int, r, c) ? "yes" : "no");
		break;
	case RPT_COL_STATUS:
		snprintf(buf, len, "%s",
			 vfb_status_name(*CAT(enum vfb_status, r, c)));
		break;
	}
	return buf;
}

/* "a=1 b=2" as {"a": 1, "b": 2}; NULL when empty. */
static json_object *map_json(const char *text)
{
	char buf[1024], *tok, *save = NULL, *eq;
	json_object *o;

	if (!text[0])
		return NULL;
	o = json_object_new_object();
	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq = '\0';
		json_object_object_add(
			o, tok,
			json_object_new_int64(strtoll(eq + 1, NULL, 10)));
	}
	return o;
}

json_object *rpt_col_json(const struct rpt_col *c, const struct vfb_result *r)
{
	char buf[32], text[3 * 512 + 1]; /* a byte: at most U+FFFD */

	if (!rpt_col_carried(c, r))
		return NULL;
	switch (c->type) {
	case RPT_COL_STR: /* rows can come from another host: valid UTF-8 */
		return CAT(char, r, c)[0] ?
			       json_object_new_string(rpt_esc_utf8(
				       text, sizeof(text), CAT(char, r, c))) :
			       NULL;
	case RPT_COL_MAP:
		return map_json(CAT(char, r, c));
	case RPT_COL_DELTA:
		return json_object_new_int64(*CAT(int64_t, r, c));
	case RPT_COL_COUNT:
		return json_object_new_int64((int64_t)*CAT(uint64_t, r, c));
	case RPT_COL_U32:
		return json_object_new_int64(*CAT(uint32_t, r, c));
	case RPT_COL_INDEX:
		return json_object_new_int(*CAT(int, r, c));
	case RPT_COL_NUM:
		return json_object_new_double(*CAT(double, r, c));
	case RPT_COL_YESNO:
		return json_object_new_boolean(*CAT(int, r, c));
	case RPT_COL_STATUS:
		return json_object_new_string(
			rpt_col_text(c, r, buf, sizeof(buf)));
	}
	return NULL;
}

static int parse_count(const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	*v = 0;
	if (!*s)
		return 0;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *end || errno || *v > max ? -EINVAL : 0;
}

/* A figure: empty (not measured), else a finite number >= 0 (-ERANGE:
 * a number, but not one any measurement gives: nan, inf, negative). */
static int parse_num(const char *s, double *v)
{
	char *end;

	*v = NAN;
	if (!*s)
		return 0;
	*v = strtod(s, &end);
	if (*end || end == s)
		return -EINVAL;
	if (!isfinite(*v) || *v < 0) {
		*v = NAN;
		return -ERANGE;
	}
	return 0;
}

/* What a row that carries C is: latency, bandwidth, measured. */
static void mark_kind(const struct rpt_col *c, struct vfb_result *r)
{
	if (c->rows & RPT_ROWS_LAT)
		r->has_lat = true, r->lat.n = 1;
	if (c->rows & RPT_ROWS_BW)
		r->has_bw = true;
}

int rpt_col_parse(const struct rpt_col *c, struct vfb_result *r, const char *s)
{
	uint64_t u;
	double d;
	int ret;

	switch (c->type) {
	case RPT_COL_STR:
	case RPT_COL_MAP:
		snprintf(AT(char, r, c), c->len, "%s", s);
		return 0;
	case RPT_COL_DELTA:
		if (parse_count(s, INT64_MAX, &u))
			return -EINVAL;
		*AT(int64_t, r, c) = *s ? (int64_t)u : -1;
		return 0;
	case RPT_COL_COUNT:
		return parse_count(s, UINT64_MAX, AT(uint64_t, r, c));
	case RPT_COL_U32:
		if (parse_count(s, UINT32_MAX, &u))
			return -EINVAL;
		*AT(uint32_t, r, c) = (uint32_t)u;
		return 0;
	case RPT_COL_INDEX:
		if (parse_count(s, INT32_MAX, &u))
			return -EINVAL;
		*AT(int, r, c) = *s ? (int)u : -1;
		return 0;
	case RPT_COL_NUM:
		if ((ret = parse_num(s, &d)))
			return ret;
		*AT(double, r, c) = d;
		if (!isnan(d))
			mark_kind(c, r);
		return 0;
	case RPT_COL_YESNO:
		if (*s && strcmp(s, "yes") && strcmp(s, "no"))
			return -EINVAL;
		*AT(int, r, c) = !*s ? -1 : !strcmp(s, "yes");
		return 0;
	case RPT_COL_STATUS:
		if (strcmp(s, "ok") && strcmp(s, "error"))
			return -EINVAL;
		*AT(enum vfb_status, r, c) =
			strcmp(s, "ok") ? VFB_STATUS_ERROR : VFB_STATUS_OK;
		return 0;
	}
	return -EINVAL;
}

double rpt_col_value(const struct rpt_col *c, const struct vfb_result *r)
{
	return c && c->metric && c->type == RPT_COL_NUM ? *CAT(double, r, c) :
							  NAN;
}
