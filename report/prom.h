/* SPDX-License-Identifier: MIT */
#ifndef RPT_PROM_H
#define RPT_PROM_H

#include <stdio.h>

#include "result.h"

/*
 * Results in Prometheus' text exposition format (0.0.4), for
 * node_exporter's textfile collector: each metric family once, with its
 * HELP and TYPE lines, then its samples; names vfbench_*, in base units
 * (seconds, bytes per second); label values escaped as the format says
 * (\\, \", \n). The families are a table (prom.c): a metric is an entry.
 * A row adds what it holds (its latency quantiles, its bandwidth, its
 * check's verdict); a case measured again (--repeat, a mesh retest) is
 * told apart by its rep and retest labels.
 *
 * The rows are kept as their labels and figures only (a few hundred
 * bytes each), and written at the end.
 */
struct rpt_prom;

struct rpt_prom *rpt_prom_new(void);
/* Add row R: 0 or -ENOMEM. */
int rpt_prom_add(struct rpt_prom *p, const struct vfb_result *r);
/* Every family into F, NOW (seconds since the epoch) as the time of the
 * write (vfbench_write_timestamp_seconds): 0 or -EIO. */
int rpt_prom_render(FILE *f, const struct rpt_prom *p, double now);
/* Into PATH.tmp.PID, flushed and synced, renamed to PATH (the collector
 * never reads half a file): 0 or a negative errno. */
int rpt_prom_write(const struct rpt_prom *p, const char *path);
void rpt_prom_free(struct rpt_prom *p);

#endif
