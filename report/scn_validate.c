/* SPDX-License-Identifier: MIT */
/* vfbench validate (scenario.h): the capabilities side by side (run.json's
 * "capabilities", a column a path, '*' where a value differs from the
 * PF's) and the checks, failures first. run.json is read as untrusted:
 * every key's type is checked where it is read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"

#define VAL_PATHS 8
#define VAL_ATTRS 256 /* rows of the table at most (run.json is untrusted) */

struct val_state {
	const char *paths[VAL_PATHS];
	json_object *caps[VAL_PATHS];
	json_object *attrs; /* the first path's caps: the attributes' order */
};

static json_object *caps_list(const struct rpt_run *run)
{
	json_object *l;

	if (!json_object_object_get_ex(run->meta, "capabilities", &l) ||
	    !json_object_is_type(l, json_type_array))
		return NULL;
	return l;
}

/* Once, with the paths of the capabilities as the view's paths. */
static bool caps_each(struct rpt_view *v, size_t *at)
{
	struct val_state *s = v->state;
	json_object *l = caps_list(v->run), *e, *caps;
	size_t i, n = l ? json_object_array_length(l) : 0;
	int k = 0;

	if ((*at)++)
		return false;
	for (i = 0; i < n && k < VAL_PATHS; i++) {
		e = json_object_array_get_idx(l, i);
		if (!json_object_is_type(e, json_type_object) ||
		    !json_object_object_get_ex(e, "caps", &caps) ||
		    !json_object_is_type(caps, json_type_object))
			continue;
		s->paths[k] = rpt_meta_str(e, "path");
		s->caps[k++] = e;
		if (!s->attrs && json_object_object_length(caps))
			s->attrs = caps;
	}
	v->paths = s->paths;
	v->np = k;
	return k > 0;
}

static long caps_rows(struct rpt_view *v)
{
	struct val_state *s = v->state;

	int n = s->attrs ? json_object_object_length(s->attrs) : 0;

	return n < VAL_ATTRS ? n : VAL_ATTRS;
}

/* The name of the attribute of row ROW. */
static const char *attr_at(const struct val_state *s, size_t row)
{
	size_t i = 0;

	json_object_object_foreach(s->attrs, key, val)
	{
		(void)val;
		if (i++ == row)
			return key;
	}
	return "-";
}

static const char *caps_attr(const struct rpt_view *v, size_t row, int path,
			     char *buf, size_t len)
{
	(void)path, (void)buf, (void)len;
	return attr_at(v->state, row);
}

static bool differs(json_object *e, const char *name)
{
	json_object *d;
	size_t i, n;

	if (!json_object_object_get_ex(e, "differs", &d) ||
	    !json_object_is_type(d, json_type_array))
		return false;
	n = json_object_array_length(d);
	for (i = 0; i < n; i++)
		if (json_object_is_type(json_object_array_get_idx(d, i),
					json_type_string) &&
		    !strcmp(json_object_get_string(
				    json_object_array_get_idx(d, i)),
			    name))
			return true;
	return false;
}

static const char *caps_value(const struct rpt_view *v, size_t row, int path,
			      char *buf, size_t len)
{
	const struct val_state *s = v->state;
	const char *name = attr_at(s, row);
	json_object *caps;

	json_object_object_get_ex(s->caps[path], "caps", &caps);
	snprintf(buf, len, "%s%s", rpt_meta_str(caps, name),
		 differs(s->caps[path], name) ? " *" : "");
	return buf;
}

static const struct rpt_column caps_cols[] = {
	{ .header = "capability", .cell = caps_attr },
	{ .header = "", .each = RPT_PER_PATH, .cell = caps_value },
};

static const struct rpt_table caps_table = {
	.rows = caps_rows,
	.cols = caps_cols,
	.ncols = RPT_LEN(caps_cols),
};

/* The checks, the failures first, then in their order. */
static long check_rows(struct rpt_view *v)
{
	const struct rpt_run *run = v->run;
	long n = 0;
	size_t i;
	int pass;

	if (!(v->sel = malloc((run->nvalidate + 1) * sizeof(*v->sel))))
		return -1;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < run->nvalidate; i++)
			if (!strcmp(run->validate[i].verdict, "fail") == !pass)
				v->sel[n++] = &run->validate[i];
	return n;
}

#define CHECK_CELL(name, field)                                                \
	static const char *check_##name(const struct rpt_view *v, size_t row,  \
					int path, char *buf, size_t len)       \
	{                                                                      \
		(void)path, (void)buf, (void)len;                              \
		return v->sel[row]->field;                                     \
	}
CHECK_CELL(id, check)
CHECK_CELL(path, path)
CHECK_CELL(device, device)
CHECK_CELL(verdict, verdict)
CHECK_CELL(expected, expected)
CHECK_CELL(observed, observed)
CHECK_CELL(evidence, evidence)

static const struct rpt_column check_cols[] = {
	{ .header = "check", .cell = check_id },
	{ .header = "path", .cell = check_path },
	{ .header = "device", .cell = check_device },
	{ .header = "verdict", .cell = check_verdict },
	{ .header = "expected", .cell = check_expected },
	{ .header = "observed", .cell = check_observed },
	{ .header = "evidence", .cell = check_evidence },
};

static const struct rpt_table check_table = {
	.rows = check_rows,
	.cols = check_cols,
	.ncols = RPT_LEN(check_cols),
	.empty = "No check ran.",
};

static bool intro(const struct rpt_view *v, size_t *at, char *buf, size_t len)
{
	const struct rpt_run *run = v->run;
	size_t i, n[3] = { 0 };

	if ((*at)++)
		return false;
	for (i = 0; i < run->nvalidate; i++)
		n[!strcmp(run->validate[i].verdict, "fail") ? 1 :
		  !strcmp(run->validate[i].verdict, "skip") ? 2 :
							      0]++;
	snprintf(buf, len < 512 ? len : 512,
		 "%zu checks: %zu pass, %zu fail, %zu skip. A check passes "
		 "only when its positive control (the same operation done "
		 "legitimately) succeeded; a skip says why it was not tried.",
		 run->nvalidate, n[0], n[1], n[2]);
	return true;
}

static const struct rpt_block head_blocks[] = {
	{ .kind = RPT_HEADING, .text = "Validation" },
	{ .kind = RPT_PARA, .say = intro },
};

static const struct rpt_block caps_blocks[] = {
	{ .kind = RPT_HEADING, .text = "Capabilities" },
	{ .kind = RPT_PARA,
	  .text = "ibv_query_device_ex and the port's attributes, a column a "
		  "path; * marks a value that differs from the PF's." },
	{ .kind = RPT_TABLE, .table = &caps_table },
};

static const struct rpt_block check_blocks[] = {
	{ .kind = RPT_HEADING, .text = "Checks" },
	{ .kind = RPT_TABLE, .table = &check_table },
};

static const struct rpt_section sections[] = {
	{ .blocks = head_blocks, .nblocks = RPT_LEN(head_blocks) },
	{ .each = caps_each,
	  .blocks = caps_blocks,
	  .nblocks = RPT_LEN(caps_blocks) },
	{ .blocks = check_blocks, .nblocks = RPT_LEN(check_blocks) },
};

static bool present(const struct rpt_run *run)
{
	return run->nvalidate > 0 || caps_list(run);
}

const struct rpt_scenario rpt_scn_validate = {
	.name = "validate",
	.present = present,
	.sections = sections,
	.nsections = RPT_LEN(sections),
	.state = sizeof(struct val_state),
};
