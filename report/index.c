/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"

struct rpt_index {
	const struct vfb_result **rows; /* ok rows, by case then row order */
	size_t nrows;
	size_t *first; /* each case's first row, in sorted order */
	size_t ncases;
};

static int key_cmp(const struct vfb_result *a, const char *test,
		   const char *path, uint64_t size)
{
	int c = strcmp(a->test, test);

	if (!c)
		c = strcmp(a->path, path);
	if (!c)
		c = a->msg_bytes < size ? -1 : a->msg_bytes > size;
	return c;
}

static int row_cmp(const void *x, const void *y)
{
	const struct vfb_result *a = *(const struct vfb_result *const *)x;
	const struct vfb_result *b = *(const struct vfb_result *const *)y;
	int c = key_cmp(a, b->test, b->path, b->msg_bytes);

	return c ? c : a < b ? -1 : a > b; /* one array: row order */
}

static struct rpt_index *index_build(const struct rpt_run *run)
{
	struct rpt_index *x = calloc(1, sizeof(*x));
	size_t i;

	if (!x || !(x->rows = malloc((run->nrows + 1) * sizeof(*x->rows))) ||
	    !(x->first = malloc((run->nrows + 1) * sizeof(*x->first)))) {
		rpt_index_free(x);
		return NULL;
	}
	for (i = 0; i < run->nrows; i++)
		if (run->rows[i].status == VFB_STATUS_OK)
			x->rows[x->nrows++] = &run->rows[i];
	qsort(x->rows, x->nrows, sizeof(*x->rows), row_cmp);
	for (i = 0; i < x->nrows; i++)
		if (!i ||
		    key_cmp(x->rows[i], x->rows[i - 1]->test,
			    x->rows[i - 1]->path, x->rows[i - 1]->msg_bytes))
			x->first[x->ncases++] = i;
	return x;
}

void rpt_index_free(struct rpt_index *x)
{
	if (!x)
		return;
	free(x->rows);
	free(x->first);
	free(x);
}

void rpt_index_drop(struct rpt_run *run)
{
	rpt_index_free(run->index);
	run->index = NULL;
}

/* The index of RUN, built on first use: a cache that does not change
 * what the run holds, hence the const cast. */
static const struct rpt_index *index_of(const struct rpt_run *run)
{
	struct rpt_run *w = (struct rpt_run *)run;

	if (!w->index)
		w->index = index_build(run);
	return w->index;
}

static struct rpt_case case_at(const struct rpt_index *x, size_t c)
{
	size_t end = c + 1 < x->ncases ? x->first[c + 1] : x->nrows;

	return (struct rpt_case){ .rows = x->rows + x->first[c],
				  .n = end - x->first[c] };
}

/* The first case not below (TEST, PATH, SIZE). */
static size_t lower_bound(const struct rpt_index *x, const char *test,
			  const char *path, uint64_t size)
{
	size_t lo = 0, hi = x->ncases, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (key_cmp(x->rows[x->first[mid]], test, path, size) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int rpt_case_find(const struct rpt_run *run, const char *test, const char *path,
		  uint64_t size, struct rpt_case *out)
{
	const struct rpt_index *x = index_of(run);
	size_t c;

	*out = (struct rpt_case){ 0 };
	if (!x)
		return -ENOMEM;
	c = lower_bound(x, test, path, size);
	if (c == x->ncases || key_cmp(x->rows[x->first[c]], test, path, size))
		return -ENOENT;
	*out = case_at(x, c);
	return 0;
}

int rpt_cases_of(const struct rpt_run *run, const char *test, const char *path,
		 struct rpt_case *out, size_t max)
{
	const struct rpt_index *x = index_of(run);
	size_t c, n = 0;

	if (!x)
		return -ENOMEM;
	for (c = lower_bound(x, test, path, 0); c < x->ncases && n < max; c++) {
		const struct vfb_result *r = x->rows[x->first[c]];

		if (strcmp(r->test, test) || strcmp(r->path, path))
			break;
		out[n++] = case_at(x, c);
	}
	return (int)n;
}
