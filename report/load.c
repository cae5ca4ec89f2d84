/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "load.h"
#include "results.h"

#define RUN_SCHEMA "vfbench-run/1"
#define MAX_COLS   128

int rpt_csv_split(char *line, char **f, int max)
{
	char *r = line, *w = line;
	int n = 0;

	for (;;) {
		if (n == max)
			return -E2BIG;
		f[n++] = w;
		if (*r ==
		    '"') { /* quoted: "" is a quote, ends at a lone quote */
			for (r++;; r++) {
				if (!*r)
					return -EINVAL;
				if (*r == '"' && r[1] == '"')
					*w++ = *r++;
				else if (*r == '"')
					break;
				else
					*w++ = *r;
			}
			r++;
			if (*r && *r != ',')
				return -EINVAL;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (!*r) {
			*w = '\0';
			return n;
		}
		*w++ = '\0';
		r++;
	}
}

/*
 * The header: each name is a column of the table, or one this vfbench
 * does not know (a newer vfbench wrote it): read past, never an error.
 * COLS[k] is the table entry of field k, NULL when unknown.
 */
static int parse_header(char *line, const struct rpt_col **cols, int *n,
			char *err, size_t errlen)
{
	static const char *const need[] = { "path", "test", "msg_bytes",
					    "status" };
	char *names[MAX_COLS];
	size_t i;
	int k;

	*n = rpt_csv_split(line, names, MAX_COLS);
	if (*n < 0) {
		snprintf(err, errlen, "malformed header");
		return -EINVAL;
	}
	for (k = 0; k < *n; k++)
		cols[k] = rpt_col_find(names[k]);
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		for (k = 0; k < *n && strcmp(names[k], need[i]); k++)
			;
		if (k == *n) {
			snprintf(err, errlen, "no '%s' column", need[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * One CSV record (RFC 4180): a quoted field may hold line breaks, so a
 * record goes on while its quotes are unbalanced. The line break that
 * ends it (LF or CRLF) is removed. Returns its length, -1 at the end.
 */
static ssize_t read_record(FILE *f, char **rec, size_t *cap, size_t *lines)
{
	char *line = NULL;
	size_t lcap = 0, len = 0, quotes = 0, i;
	ssize_t n;

	while ((n = getline(&line, &lcap, f)) > 0) {
		char *grown;

		(*lines)++;
		if (len + (size_t)n + 1 > *cap) {
			grown = realloc(*rec, len + (size_t)n + 1);
			if (!grown) {
				free(line);
				return -1;
			}
			*rec = grown;
			*cap = len + (size_t)n + 1;
		}
		memcpy(*rec + len, line, (size_t)n + 1);
		for (i = len; i < len + (size_t)n; i++)
			quotes += (*rec)[i] == '"';
		len += (size_t)n;
		if (quotes % 2 == 0)
			break;
	}
	free(line);
	if (!len)
		return -1;
	if (len && (*rec)[len - 1] == '\n')
		(*rec)[--len] = '\0';
	if (len && (*rec)[len - 1] == '\r')
		(*rec)[--len] = '\0';
	return (ssize_t)len;
}

int rpt_rows_read(FILE *f, struct rpt_run *run, char *err, size_t errlen)
{
	char *line = NULL, *hdr = NULL, *fields[MAX_COLS];
	const struct rpt_col *cols[MAX_COLS];
	size_t cap = 0, lines = 0, lineno, alloc = 0;
	int ncols = 0, n, k, ret = 0;

	if (read_record(f, &hdr, &cap, &lines) <= 0) {
		snprintf(err, errlen, "empty file");
		ret = -EINVAL;
		goto out;
	}
	ret = parse_header(hdr, cols, &ncols, err, errlen);
	cap = 0;
	while (!ret &&
	       (lineno = lines + 1, read_record(f, &line, &cap, &lines) >= 0)) {
		struct vfb_result *r;

		if (!line[0])
			continue;
		n = rpt_csv_split(line, fields, MAX_COLS);
		if (n != ncols) {
			snprintf(err, errlen,
				 "line %zu: %d fields, header has %d", lineno,
				 n, ncols);
			ret = -EINVAL;
			break;
		}
		if (run->nrows == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			r = realloc(run->rows, alloc * sizeof(*r));
			if (!r) {
				ret = -ENOMEM;
				break;
			}
			run->rows = r;
		}
		r = &run->rows[run->nrows];
		vfb_result_init(r);
		for (k = 0; k < n && !ret; k++)
			if (cols[k] && rpt_col_parse(cols[k], r, fields[k])) {
				snprintf(err, errlen, "line %zu: bad %s '%s'",
					 lineno, cols[k]->name, fields[k]);
				ret = -EINVAL;
			}
		run->nrows++;
	}
	if (!ret && run->nrows == 0) {
		snprintf(err, errlen, "no rows");
		ret = -EINVAL;
	}
out:
	free(line);
	free(hdr);
	return ret;
}

static int load_meta(const char *dir, struct rpt_run *run, char *err,
		     size_t errlen)
{
	char path[600];
	json_object *schema;

	snprintf(path, sizeof(path), "%s/run.json", dir);
	run->meta = json_object_from_file(path);
	if (!run->meta || !json_object_is_type(run->meta, json_type_object)) {
		snprintf(err, errlen, "%s: missing or not JSON", path);
		return -EINVAL;
	}
	if (!json_object_object_get_ex(run->meta, "schema", &schema) ||
	    strcmp(json_object_get_string(schema), RUN_SCHEMA)) {
		snprintf(err, errlen,
			 "%s: schema '%s', this vfbench reads '%s'", path,
			 schema ? json_object_get_string(schema) : "none",
			 RUN_SCHEMA);
		return -EINVAL;
	}
	return 0;
}

static bool is_share(const struct vfb_result *r)
{
	return r->scenario[0] != '\0';
}

static bool is_mesh(const struct vfb_result *r)
{
	return r->src_rank >= 0;
}

/* Rows that IS picks go to *OUT, in order; the others stay. */
static int split(struct rpt_run *run, bool (*is)(const struct vfb_result *),
		 struct vfb_result **out, size_t *nout)
{
	size_t i, k = 0, n = 0;

	for (i = 0; i < run->nrows; i++)
		n += is(&run->rows[i]);
	if (!n)
		return 0;
	*out = malloc(n * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < run->nrows; i++)
		if (is(&run->rows[i]))
			(*out)[(*nout)++] = run->rows[i];
		else
			run->rows[k++] = run->rows[i];
	run->nrows = k;
	return 0;
}

/* Rows of a sharing scenario go to RUN->share and a mesh's host pairs to
 * RUN->mesh (the plain run's tables and plots never mix them in). */
static int split_share(struct rpt_run *run)
{
	int ret = split(run, is_share, &run->share, &run->nshare);

	return ret ? ret : split(run, is_mesh, &run->mesh, &run->nmesh);
}

int rpt_run_load(const char *dir, struct rpt_run *run, char *err, size_t errlen)
{
	char path[600], why[256] = "";
	FILE *f;
	int ret;

	memset(run, 0, sizeof(*run));
	snprintf(run->dir, sizeof(run->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -ENOENT;
	}
	ret = rpt_rows_read(f, run, why, sizeof(why));
	fclose(f);
	if (!ret)
		ret = split_share(run);
	if (ret)
		snprintf(err, errlen, "%s: %s", path, why);
	else
		ret = load_meta(dir, run, err, errlen);
	if (ret)
		rpt_run_free(
			run); /* nothing half-loaded to free for the caller */
	return ret;
}

void rpt_run_free(struct rpt_run *run)
{
	free(run->rows);
	free(run->share);
	free(run->mesh);
	json_object_put(run->meta);
	rpt_index_free(run->index);
	memset(run, 0, sizeof(*run));
}

bool rpt_metric_known(const char *name)
{
	const struct rpt_col *c = rpt_col_find(name);

	return c && c->metric;
}

double rpt_metric(const struct vfb_result *r, const char *name)
{
	return rpt_col_value(rpt_col_find(name), r);
}
