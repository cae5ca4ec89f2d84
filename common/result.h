/* SPDX-License-Identifier: MIT */
#ifndef VFB_RESULT_H
#define VFB_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "stats.h"

/*
 * The result model: one row per (path, test, message size). Producers
 * (the verbs engine) fill it, renderers (report/) only read it.
 * Latencies are in microseconds, half the round trip, as perftest reports.
 */
enum vfb_status {
	VFB_STATUS_OK,
	VFB_STATUS_ERROR,
};

struct vfb_result {
	char device[64];
	char path[16];      /* pf, vf, pv, unknown */
	char test[16];      /* write_lat, send_lat, write_bw, send_bw */
	uint64_t msg_bytes;
	uint64_t iters;     /* measured iterations (warm-up excluded) */
	double seconds;     /* wall time of the measured iterations */
	bool has_lat;
	struct vfb_lat_stats lat; /* microseconds */
	bool has_bw;
	double bw_avg_gbps, bw_peak_gbps, msg_rate_mpps;
	enum vfb_status status;
	char error[256];    /* why, when status is VFB_STATUS_ERROR */
};

static inline const char *vfb_status_name(enum vfb_status s)
{
	return s == VFB_STATUS_OK ? "ok" : "error";
}

#endif
