/* SPDX-License-Identifier: MIT */
/* The capabilities side by side: the text table and run.json's list
 * (drive.h). */
#include <stdio.h>
#include <string.h>

#include "drive.h"

bool val_caps_differ(const struct val_path *p, const struct val_path *base,
		     size_t i)
{
	return p != base && p->queried && base->queried && p->caps.v[i] >= 0 &&
	       base->caps.v[i] >= 0 && p->caps.v[i] != base->caps.v[i];
}

#define CELL 24

void val_caps_print(FILE *f, const struct val_path *p, int n, int base)
{
	const struct val_attr_info *a;
	char buf[CELL], cell[CELL + 2];
	size_t i;
	int k;

	fprintf(f, "%-20s", "capability");
	for (k = 0; k < n; k++)
		fprintf(f, " %-*s", k + 1 < n ? CELL : 0, p[k].path);
	fprintf(f, "\n%-20s", "device");
	for (k = 0; k < n; k++)
		fprintf(f, " %-*s", k + 1 < n ? CELL : 0,
			p[k].dev[0] ? p[k].dev : "-");
	fputc('\n', f);
	for (i = 0; (a = val_attr(i)); i++) {
		fprintf(f, "%-20s", a->name);
		for (k = 0; k < n; k++) {
			snprintf(cell, sizeof(cell), "%s%s",
				 val_attr_text(&p[k].caps, i, buf, sizeof(buf)),
				 base >= 0 && val_caps_differ(&p[k], &p[base],
							      i) ?
					 " *" :
					 "");
			fprintf(f, " %-*s", k + 1 < n ? CELL : 0, cell);
		}
		fputc('\n', f);
	}
	if (base >= 0)
		fprintf(f, "* differs from %s\n", p[base].path);
}

json_object *val_caps_json(const struct val_path *p, int n, int base)
{
	json_object *list = json_object_new_array(), *o, *caps, *diff;
	const struct val_attr_info *a;
	char buf[CELL];
	size_t i;
	int k;

	for (k = 0; k < n; k++) {
		o = json_object_new_object();
		caps = json_object_new_object();
		diff = json_object_new_array();
		json_object_object_add(o, "path",
				       json_object_new_string(p[k].path));
		json_object_object_add(o, "device",
				       json_object_new_string(p[k].dev));
		for (i = 0; p[k].queried && (a = val_attr(i)); i++) {
			json_object_object_add(
				caps, a->name,
				json_object_new_string(val_attr_text(
					&p[k].caps, i, buf, sizeof(buf))));
			if (base >= 0 && val_caps_differ(&p[k], &p[base], i))
				json_object_array_add(
					diff, json_object_new_string(a->name));
		}
		json_object_object_add(o, "caps", caps);
		json_object_object_add(o, "differs", diff);
		json_object_array_add(list, o);
	}
	return list;
}
