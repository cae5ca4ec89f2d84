/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "columns.h"
#include "csv.h"
#include "results.h"

int rpt_csv_header(FILE *f)
{
	const struct rpt_col *c;
	size_t n, i;
	int ret = 0;

	c = rpt_cols(&n);
	for (i = 0; i < n && !ret; i++)
		ret = rpt_csv_field(f, c[i].name, i == 0);
	return ret ? ret : fputc('\n', f) == EOF ? -EIO : 0;
}

int rpt_csv_result(FILE *f, const struct vfb_result *r)
{
	const struct rpt_col *c;
	char buf[64];
	size_t n, i;
	int ret = 0;

	c = rpt_cols(&n);
	for (i = 0; i < n && !ret; i++)
		ret = rpt_csv_field(f, rpt_col_text(&c[i], r, buf, sizeof(buf)),
				    i == 0);
	return ret ? ret : fputc('\n', f) == EOF ? -EIO : 0;
}

json_object *rpt_result_json(const struct vfb_result *r)
{
	json_object *o = json_object_new_object();
	const struct rpt_col *c;
	size_t n, i;

	c = rpt_cols(&n);
	for (i = 0; i < n; i++)
		json_object_object_add(o, c[i].name, rpt_col_json(&c[i], r));
	return o;
}
