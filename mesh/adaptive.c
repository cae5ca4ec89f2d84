/* SPDX-License-Identifier: MIT */
/* The adaptive schedule's later rounds (adaptive.h): pure code over the
 * detector's verdicts, so that the fleet simulator and rank 0 of a mesh
 * decide the same rounds from the same rows. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "adaptive.h"

int msh_adapt_init(struct msh_adapt *a, uint32_t nhosts, uint64_t seed)
{
	memset(a, 0, sizeof(*a));
	a->probes = calloc(nhosts + 1, 1);
	if (!a->probes)
		return -ENOMEM;
	a->nhosts = nhosts;
	a->seed = seed;
	a->cursor = (uint32_t)(seed % nhosts);
	return 0;
}

void msh_adapt_free(struct msh_adapt *a)
{
	free(a->probes);
	a->probes = NULL;
}

/* Whether a link's pair is to be measured again: not yet confirmed,
 * and not yet seen fast twice (then it cannot be slow 3 times in 4). */
static bool retest_link(const struct msh_link_verdict *l)
{
	return !l->confirmed && l->seen - l->slow < 2 && l->seen < 5;
}

/* A good host that is free this round, the search going on from where
 * it stopped so that a suspect meets another partner each time. */
static int good_partner(struct msh_adapt *a, const struct msh_verdicts *v,
			const uint8_t *busy, uint32_t *out)
{
	uint32_t i, h;

	for (i = 0; i < a->nhosts; i++) {
		h = a->cursor;
		a->cursor = a->cursor + 1 == a->nhosts ? 0 : a->cursor + 1;
		if (!busy[h] && v->host[h].state == MSH_HOST_GOOD &&
		    v->host[h].why == MSH_WHY_NONE) {
			*out = h;
			return 0;
		}
	}
	return -ENOENT;
}

uint32_t msh_adapt_round(struct msh_adapt *a, const struct msh_verdicts *v,
			 struct msh_pair *out)
{
	uint32_t h, g, n = 0;
	size_t l;
	uint8_t *busy;

	if (a->rounds == MSH_ADAPT_MAX_ROUNDS || !(busy = calloc(a->nhosts, 1)))
		return 0;
	for (l = 0; l < v->nlinks; l++) {
		const struct msh_link_verdict *k = &v->link[l];

		if (!retest_link(k) || busy[k->a] || busy[k->b])
			continue;
		busy[k->a] = busy[k->b] = 1;
		out[n++] = (struct msh_pair){ k->a, k->b };
	}
	for (h = 0; h < a->nhosts; h++) {
		const struct msh_host_verdict *hv = &v->host[h];

		if (busy[h] || !((hv->state == MSH_HOST_SUSPECT ||
				  hv->state == MSH_HOST_UNJUDGED) &&
				 a->probes[h] < MSH_ADAPT_PROBES))
			continue;
		busy[h] = 1;
		if (good_partner(a, v, busy, &g)) {
			busy[h] = 0;
			break;
		}
		busy[g] = 1;
		a->probes[h]++;
		out[n++] = (struct msh_pair){ g, h };
	}
	free(busy);
	a->rounds += n > 0;
	return n;
}
