/* SPDX-License-Identifier: MIT */
#ifndef RPT_PERFTEST_H
#define RPT_PERFTEST_H

#include <json-c/json.h>

#include "result.h"

/*
 * perftest's --out_json shape, for the scripts written around perftest:
 *   { "test_info": { "test": "RDMA_Write_BW_Test", "Device": ..., ... },
 *     "results": [ { "MsgSize": 65536, "n_iterations": 1000,
 *                    "BW_peak": ..., "BW_average": ..., "MsgRate": ... },
 *                  { "MsgSize": 2, ..., "t_min": ..., "t_typical": ...,
 *                    "percentile_99.9": ... }, ... ] }
 * perftest writes one case, the last size, and "results" as an object;
 * here "results" holds every measured case, in the order measured, each
 * with perftest's keys and units (BW in MB/s of 10^6 bytes, MsgRate in
 * Mpps, times in usec) and, to say which case it is, "test", "Device",
 * "path" and "repeat". test_info is the first case's, as perftest's.
 * Error rows have no entry (perftest writes no failed case).
 */
json_object *rpt_perftest_new(void);
void rpt_perftest_add(json_object *doc, const struct vfb_result *r);

#endif
