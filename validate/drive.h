/* SPDX-License-Identifier: MIT */
#ifndef VAL_DRIVE_H
#define VAL_DRIVE_H

#include <stdio.h>

#include <json-c/json.h>

#include "paths.h"
#include "result.h"
#include "rundir.h"
#include "validate.h"

/* What vfbench validate asks for, as its options say it. */
struct val_request {
	struct host_devsel sel; /* -d or --paths, -i, -x */
	const char *checks;
	struct host_outs outs;
	long timeout_ms;
};

/* The request's input, decided before any device is looked at: one of
 * -d and --paths, the --paths words, the --checks ids and groups, the
 * outputs. 0, or -EINVAL after one line naming the thing. */
int val_request_check(const struct val_request *rq);

/* Plan the paths, validate each with OPS (NULL: the live ones), write
 * the rows and run.json into the results directory, print the checks
 * and the capability table: the exit code (0 all pass or skip, 1 a
 * check failed, 3 no path could be validated). */
int val_main(const struct val_request *rq, const struct val_ops *ops, int argc,
	     char **argv);

/* A check's result as a results row of path SEL (scenario validate). */
void val_row(const struct val_result *r, const struct host_path_sel *sel,
	     struct vfb_result *row);

/* The capability table of the N paths into F: an attribute a line, a
 * column a path, '*' after a value that differs from the baseline's
 * (BASE, -1: none). */
void val_caps_print(FILE *f, const struct val_path *p, int n, int base);
/* Whether P's attribute I differs from BASE's (both known). */
bool val_caps_differ(const struct val_path *p, const struct val_path *base,
		     size_t i);
/* The capabilities for run.json: a list of {path, device, caps: {name:
 * text}, differs: [names]}. */
json_object *val_caps_json(const struct val_path *p, int n, int base);

#endif
