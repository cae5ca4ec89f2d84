/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rowindex.h"

/* FNV-1a, 64 bits, over the key's fields (each with its NUL). */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t hash(const struct vfb_result *r, bool pair)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv(h, r->path, strlen(r->path) + 1);
	h = fnv(h, r->test, strlen(r->test) + 1);
	h = fnv(h, &r->msg_bytes, sizeof(r->msg_bytes));
	if (pair) {
		h = fnv(h, r->src_host, strlen(r->src_host) + 1);
		h = fnv(h, r->dst_host, strlen(r->dst_host) + 1);
	}
	return h;
}

static bool same_key(const struct vfb_result *a, const struct vfb_result *b,
		     bool pair)
{
	return a->msg_bytes == b->msg_bytes && !strcmp(a->path, b->path) &&
	       !strcmp(a->test, b->test) &&
	       (!pair || (!strcmp(a->src_host, b->src_host) &&
			  !strcmp(a->dst_host, b->dst_host)));
}

/* KEY's slot: the row with its key, or the empty slot where it goes. */
static size_t probe(const struct rpt_rowindex *ix, const struct vfb_result *key)
{
	size_t i = (size_t)hash(key, ix->pair) & ix->mask;

	while (ix->slot[i] && !same_key(ix->slot[i], key, ix->pair))
		i = (i + 1) & ix->mask;
	return i;
}

int rpt_rowindex_build(struct rpt_rowindex *ix, const struct vfb_result *rows,
		       size_t n, bool pair,
		       bool (*keep)(const struct vfb_result *))
{
	size_t cap = 16, i, k;

	while (cap < 2 * n) /* at most half full */
		cap *= 2;
	ix->pair = pair;
	ix->mask = cap - 1;
	ix->slot = calloc(cap, sizeof(*ix->slot));
	if (!ix->slot)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (keep && !keep(&rows[i]))
			continue;
		k = probe(ix, &rows[i]);
		if (!ix->slot[k])
			ix->slot[k] = &rows[i];
	}
	return 0;
}

const struct vfb_result *rpt_rowindex_find(const struct rpt_rowindex *ix,
					   const struct vfb_result *key)
{
	return ix->slot[probe(ix, key)];
}

void rpt_rowindex_free(struct rpt_rowindex *ix)
{
	free(ix->slot);
	ix->slot = NULL;
}
