/* SPDX-License-Identifier: MIT */
#ifndef RPT_RESULTS_H
#define RPT_RESULTS_H

#include <stdio.h>

#include <json-c/json.h>

#include "result.h"

/*
 * Renderers of the result model; they never compute. Columns that do not
 * apply to a row (latency of a bandwidth test, anything of an error row)
 * are empty in CSV and null in JSON, never 0.
 */
/* results.csv: its header and rows, as the column table (columns.h) says. */
int rpt_csv_header(FILE *f);
int rpt_csv_result(FILE *f, const struct vfb_result *r);
json_object *rpt_result_json(const struct vfb_result *r);

/* perftest-like text: a header when the kind of test changes, then rows
 * (the text renderer, text.c). */
void rpt_text_result(FILE *f, const struct vfb_result *r, int *last_kind);

#endif
