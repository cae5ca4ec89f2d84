/* SPDX-License-Identifier: MIT */
#ifndef RPT_COLUMNS_H
#define RPT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "result.h"

/*
 * The results model as one table: each column of results.csv is one
 * entry (name, type, unit, where it lives in struct vfb_result, which
 * rows carry it, what it means). The CSV header and rows, the JSON rows,
 * the results reader, the gate's metric lookup and 'vfbench help
 * columns' (so docs/results.md) all walk this table; adding a column is
 * adding an entry. A column a row does not carry is empty in
 * CSV and null in JSON, never 0.
 */
enum rpt_col_type {
	RPT_COL_STR,	/* char[] */
	RPT_COL_COUNT,	/* uint64_t, exactly */
	RPT_COL_U32,	/* uint32_t, 0: not known */
	RPT_COL_INDEX,	/* int, -1: none */
	RPT_COL_NUM,	/* double, %.9g */
	RPT_COL_YESNO,	/* int, 1 yes, 0 no, -1 not known */
	RPT_COL_STATUS, /* enum vfb_status: ok, error */
	RPT_COL_DELTA,	/* int64_t, a counter's change, -1: not read */
	RPT_COL_MAP,	/* char[], "name=N name=N": in JSON an object */
};

/* Which rows carry a column. */
enum {
	RPT_ROWS_ALL = 0,      /* every row */
	RPT_ROWS_OK = 1 << 0,  /* measured rows (not error rows) */
	RPT_ROWS_LAT = 1 << 1, /* ... of a latency test */
	RPT_ROWS_BW = 1 << 2,  /* ... of a bandwidth test */
};

struct rpt_col {
	const char *name; /* CSV header, JSON key, gate metric */
	enum rpt_col_type type;
	const char *unit; /* "us", "Gb/s", ...; "-" when none */
	size_t off, len;  /* offset in struct vfb_result; len of strings */
	unsigned int rows;
	bool metric;	     /* a figure the gate may compare */
	const char *meaning; /* for people: what the figure is, exactly */
};

const struct rpt_col *rpt_cols(size_t *n);
const struct rpt_col *rpt_col_find(const char *name);
/* Whether row R carries column C. */
bool rpt_col_carried(const struct rpt_col *c, const struct vfb_result *r);
/* C's field of R as CSV text into BUF ("" when not carried). */
const char *rpt_col_text(const struct rpt_col *c, const struct vfb_result *r,
			 char *buf, size_t len);
/* C's field of R as JSON (NULL when not carried). */
json_object *rpt_col_json(const struct rpt_col *c, const struct vfb_result *r);
/* Parse TEXT into C's field of R. 0, -EINVAL (not of C's type) or
 * -ERANGE (a figure that is not finite, or negative). */
int rpt_col_parse(const struct rpt_col *c, struct vfb_result *r,
		  const char *text);
/* A metric's value in R (NAN when unset or not a metric). */
double rpt_col_value(const struct rpt_col *c, const struct vfb_result *r);

#endif
