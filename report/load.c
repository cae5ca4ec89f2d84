/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "columns.h"
#include "file.h"
#include "load.h"
#include "log.h"
#include "results.h"
#include "samples.h"

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

/* What rpt_csv_split's error means. */
static const char *split_error(int ret)
{
	return ret == -E2BIG ? "more fields than any header holds" :
			       "a quoted field not closed, or text after "
			       "its closing quote";
}

/*
 * Whether row R, read whole, holds together: a mesh row names both its
 * ranks, each within RPT_MESH_MAX_RANKS. NULL, or what is wrong.
 */
static const char *row_invalid(const struct vfb_result *r)
{
	if ((r->src_rank >= 0) != (r->dst_rank >= 0))
		return "src_rank and dst_rank: one without the other";
	if (r->src_rank >= RPT_MESH_MAX_RANKS ||
	    r->dst_rank >= RPT_MESH_MAX_RANKS)
		return "src_rank or dst_rank beyond the largest mesh";
	return NULL;
}

/*
 * Fields of one record into R. A field that is not of its column's type
 * refuses the file (-EINVAL, ERR said); a figure no measurement gives
 * (nan, inf, negative) or ranks that do not hold together refuse the
 * row only: 1, said on stderr naming FILE:LINE and the column.
 */
static int row_parse(const struct rpt_col *const *cols, char **fields, int n,
		     struct vfb_result *r, const char *file, size_t lineno,
		     char *err, size_t errlen)
{
	const char *why;
	int k, ret;

	vfb_result_init(r);
	for (k = 0; k < n; k++) {
		if (!cols[k])
			continue;
		ret = rpt_col_parse(cols[k], r, fields[k]);
		if (ret == -ERANGE) {
			vfb_warn("%s:%zu: %s '%.32s' is not a finite figure "
				 ">= 0: row refused",
				 file, lineno, cols[k]->name, fields[k]);
			return 1;
		}
		if (ret) {
			snprintf(err, errlen, "line %zu: bad %s '%.64s'",
				 lineno, cols[k]->name, fields[k]);
			return -EINVAL;
		}
	}
	why = row_invalid(r);
	if (why) {
		vfb_warn("%s:%zu: %s: row refused", file, lineno, why);
		return 1;
	}
	return 0;
}

static int rows_grow(struct rpt_run *run, size_t *alloc)
{
	struct vfb_result *r;

	if (run->nrows < *alloc)
		return 0;
	*alloc = *alloc ? 2 * *alloc : 64;
	r = realloc(run->rows, *alloc * sizeof(*r));
	if (!r)
		return -ENOMEM;
	run->rows = r;
	return 0;
}

int rpt_rows_each(FILE *f, const char *file,
		  int (*row)(void *ctx, struct vfb_result *r), void *ctx,
		  size_t *nrefused, char *err, size_t errlen)
{
	char *line = NULL, *hdr = NULL, *fields[MAX_COLS];
	const struct rpt_col *cols[MAX_COLS];
	size_t cap = 0, lines = 0, lineno;
	struct vfb_result *r = malloc(sizeof(*r));
	int ncols = 0, n, ret = 0;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (read_record(f, &hdr, &cap, &lines) <= 0) {
		snprintf(err, errlen, "%s",
			 ferror(f) ? strerror(errno) : "empty file");
		ret = -EINVAL;
		goto out;
	}
	ret = parse_header(hdr, cols, &ncols, err, errlen);
	cap = 0;
	while (!ret &&
	       (lineno = lines + 1, read_record(f, &line, &cap, &lines) >= 0)) {
		if (!line[0])
			continue;
		n = rpt_csv_split(line, fields, MAX_COLS);
		if (n < 0 || n != ncols) {
			if (n < 0)
				snprintf(err, errlen, "line %zu: %s", lineno,
					 split_error(n));
			else
				snprintf(err, errlen,
					 "line %zu: %d fields, header has %d",
					 lineno, n, ncols);
			ret = -EINVAL;
			break;
		}
		ret = row_parse(cols, fields, n, r, file, lineno, err, errlen);
		if (ret == 1)
			(*nrefused)++, ret = 0;
		else if (!ret && (ret = row(ctx, r)))
			snprintf(err, errlen, "line %zu: %s", lineno,
				 strerror(-ret));
	}
out:
	free(r);
	free(line);
	free(hdr);
	return ret;
}

struct rows_into {
	struct rpt_run *run;
	size_t alloc;
};

static int row_into(void *ctx, struct vfb_result *r)
{
	struct rows_into *x = ctx;
	int ret = rows_grow(x->run, &x->alloc);

	if (!ret)
		x->run->rows[x->run->nrows++] = *r;
	return ret;
}

int rpt_rows_read(FILE *f, struct rpt_run *run, char *err, size_t errlen)
{
	struct rows_into x = { run, 0 };
	char file[600];
	int ret;

	snprintf(file, sizeof(file), "%s%sresults.csv", run->dir,
		 run->dir[0] ? "/" : "");
	ret = rpt_rows_each(f, file, row_into, &x, &run->nrefused, err, errlen);
	if (!ret && run->nrows == 0) {
		snprintf(err, errlen, "no rows%s",
			 run->nrefused ? " (every one refused)" : "");
		ret = -EINVAL;
	}
	return ret;
}

/*
 * run.json's keys that vfbench reads, with the type each must have when
 * present (null: not known, as a missing key). Any other key is read
 * past. A key of another type refuses the file: nothing downstream is
 * left to meet a number where a string was expected.
 */
enum meta_type {
	META_STR,	 /* a string (or a number: shown as written) */
	META_LIST_STR,	 /* a list of strings */
	META_LIST_PATHS, /* a list of objects whose keys are META_STR */
};

static const struct meta_key {
	const char *key;
	enum meta_type type;
} meta_keys[] = {
	{ "run_id", META_STR },	      { "host", META_STR },
	{ "kernel", META_STR },	      { "rdma_core", META_STR },
	{ "cpu_model", META_STR },    { "cpu_governor", META_STR },
	{ "git_describe", META_STR }, { "started", META_STR },
	{ "ended", META_STR },	      { "status", META_STR },
	{ "paths", META_LIST_PATHS }, { "suspects", META_LIST_STR },
};

static const char *const path_keys[] = { "path", "device", "peer", "locality" };

static bool meta_scalar(json_object *v)
{
	return !v || json_object_is_type(v, json_type_string) ||
	       json_object_is_type(v, json_type_int) ||
	       json_object_is_type(v, json_type_double);
}

static bool meta_path_ok(json_object *p)
{
	json_object *v;
	size_t i;

	if (!json_object_is_type(p, json_type_object))
		return false;
	for (i = 0; i < sizeof(path_keys) / sizeof(path_keys[0]); i++)
		if (json_object_object_get_ex(p, path_keys[i], &v) &&
		    !meta_scalar(v))
			return false;
	return true;
}

static bool meta_ok(json_object *v, enum meta_type t)
{
	size_t i, n;

	if (!v)
		return true;
	if (t == META_STR)
		return meta_scalar(v);
	if (!json_object_is_type(v, json_type_array))
		return false;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(v, i);

		if (t == META_LIST_STR ?
			    !json_object_is_type(e, json_type_string) :
			    !meta_path_ok(e))
			return false;
	}
	return true;
}

static const char *const meta_want[] = {
	[META_STR] = "a string",
	[META_LIST_STR] = "a list of strings",
	[META_LIST_PATHS] = "a list of objects of strings",
};

static int check_meta(json_object *meta, const char *path, char *err,
		      size_t errlen)
{
	json_object *schema = NULL, *v;
	size_t i;
	bool str;

	json_object_object_get_ex(meta, "schema", &schema);
	str = json_object_is_type(schema, json_type_string);
	if (!str || strcmp(json_object_get_string(schema), RUN_SCHEMA)) {
		snprintf(err, errlen,
			 "%s: schema %s%.64s%s, this vfbench reads '%s'", path,
			 str ? "'" : "",
			 str	 ? json_object_get_string(schema) :
			 !schema ? "none" :
				   "not a string",
			 str ? "'" : "", RUN_SCHEMA);
		return -EINVAL;
	}
	for (i = 0; i < sizeof(meta_keys) / sizeof(meta_keys[0]); i++) {
		if (json_object_object_get_ex(meta, meta_keys[i].key, &v) &&
		    !meta_ok(v, meta_keys[i].type)) {
			snprintf(err, errlen, "%s: '%s' is not %s", path,
				 meta_keys[i].key,
				 meta_want[meta_keys[i].type]);
			return -EINVAL;
		}
	}
	return 0;
}

static int load_meta(const char *dir, struct rpt_run *run, char *err,
		     size_t errlen)
{
	char path[600];
	int fd;

	snprintf(path, sizeof(path), "%s/run.json", dir);
	fd = vfb_file_open(path);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, vfb_file_strerror(fd));
		return -EINVAL;
	}
	run->meta = json_object_from_fd(fd);
	close(fd);
	if (!run->meta || !json_object_is_type(run->meta, json_type_object)) {
		snprintf(err, errlen, "%s: not a JSON object", path);
		return -EINVAL;
	}
	return check_meta(run->meta, path, err, errlen);
}

static bool is_share(const struct vfb_result *r)
{
	return r->scenario[0] != '\0';
}

static bool is_validate(const struct vfb_result *r)
{
	return !strcmp(r->scenario, "validate");
}

static bool is_drill(const struct vfb_result *r)
{
	return !strcmp(r->scenario, "drill");
}

static bool is_mesh(const struct vfb_result *r)
{
	return r->src_rank >= 0;
}

/* Rows that IS picks go to *OUT, in order; the others stay (every row
 * picked: the array itself moves, no second copy of a large run). */
static int split(struct rpt_run *run, bool (*is)(const struct vfb_result *),
		 struct vfb_result **out, size_t *nout)
{
	size_t i, k = 0, n = 0;

	for (i = 0; i < run->nrows; i++)
		n += is(&run->rows[i]);
	if (!n)
		return 0;
	if (n == run->nrows) { /* all of them (a mesh's): moved, not copied */
		*out = run->rows, *nout = n;
		run->rows = NULL, run->nrows = 0;
		return 0;
	}
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

/* vfbench drill's rows, which stay among the sharing scenarios' rows
 * (the gate's absolute rules judge those: recovery_ms, penalty), also
 * in RUN->drill for its section. */
static int copy_drill(struct rpt_run *run)
{
	size_t i, n = 0;

	for (i = 0; i < run->nshare; i++)
		n += is_drill(&run->share[i]);
	if (!n)
		return 0;
	run->drill = malloc(n * sizeof(*run->drill));
	if (!run->drill)
		return -ENOMEM;
	for (i = 0; i < run->nshare; i++)
		if (is_drill(&run->share[i]))
			run->drill[run->ndrill++] = run->share[i];
	return 0;
}

/* Rows of vfbench validate go to RUN->validate, of a sharing scenario to
 * RUN->share and a mesh's host pairs to RUN->mesh (the plain run's
 * tables and plots never mix them in). */
static int split_share(struct rpt_run *run)
{
	int ret = split(run, is_validate, &run->validate, &run->nvalidate);

	if (!ret)
		ret = split(run, is_share, &run->share, &run->nshare);
	if (!ret)
		ret = split(run, is_mesh, &run->mesh, &run->nmesh);
	return ret ? ret : copy_drill(run);
}

/*
 * The samples of each measured latency row, read once here: a file that
 * is missing (where DIR/samples exists), not a regular file or corrupt
 * leaves its case compared without samples, said on stderr naming the
 * case and why, and counted in RUN->nsamples_bad.
 */
static void check_samples(struct rpt_run *run)
{
	char dir[600], why[320];
	struct stat st;
	double *v = NULL;
	size_t i, n;

	snprintf(dir, sizeof(dir), "%s/%s", run->dir, RPT_SAMPLES_DIR);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return; /* a run that kept none (before samples were kept) */
	for (i = 0; i < run->nrows; i++) {
		const struct vfb_result *r = &run->rows[i];

		if (r->status != VFB_STATUS_OK || !r->has_lat)
			continue;
		n = 0;
		if (!rpt_samples_load(run->dir, r->path, r->test, r->msg_bytes,
				      r->rep, &v, &n, why, sizeof(why)))
			continue;
		vfb_warn("%s: %s %s %llu B rep %u is compared without its "
			 "samples: %s",
			 dir, r->path, r->test,
			 (unsigned long long)r->msg_bytes, r->rep ? r->rep : 1,
			 why);
		run->nsamples_bad++;
	}
	free(v);
}

int rpt_run_load(const char *dir, struct rpt_run *run, char *err, size_t errlen)
{
	char path[600], why[256] = "";
	FILE *f;
	int ret;

	memset(run, 0, sizeof(*run));
	snprintf(run->dir, sizeof(run->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = vfb_file_fopen(path);
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, vfb_file_strerror(ret));
		return ret == -ENOENT ? -ENOENT : -EINVAL;
	}
	ret = rpt_rows_read(f, run, why, sizeof(why));
	fclose(f);
	if (!ret)
		ret = split_share(run);
	if (ret)
		snprintf(err, errlen, "%s: %s", path, why);
	else
		ret = load_meta(dir, run, err, errlen);
	if (!ret)
		check_samples(run);
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
	free(run->validate);
	free(run->drill);
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

const char *rpt_meta_str(json_object *m, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(m, k, &v) && v ?
		       json_object_get_string(v) :
		       "-";
}
