/* SPDX-License-Identifier: MIT */
/* vfbench mesh, the outliers: rank 0 flags a row against the fleet's
 * reference for its case, lists the flagged pairs to be measured again
 * alone, and names as suspects the hosts that most of them share. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "mesh.h"

static bool same_case(const struct msh_kept *a, const struct msh_kept *b)
{
	return !strcmp(a->path, b->path) && !strcmp(a->test, b->test) &&
	       a->msg_bytes == b->msg_bytes;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The fleet's reference for R's case: median latency p50, best bandwidth. */
static double reference(const struct msh *m, const struct msh_kept *r)
{
	size_t i;
	double *v = malloc(m->nall * sizeof(*v)), ref = NAN;
	size_t n = 0;

	for (i = 0; v && i < m->nall; i++) {
		const struct msh_kept *o = &m->all[i];

		if (o->status != VFB_STATUS_OK || o->retest == 1 ||
		    !same_case(o, r))
			continue;
		v[n++] = r->has_lat ? o->lat.p50 : o->bw_avg_gbps;
	}
	if (n) {
		qsort(v, n, sizeof(*v), cmp_double);
		ref = r->has_lat ? (n & 1 ? v[n / 2] :
					    (v[n / 2 - 1] + v[n / 2]) / 2) :
				   v[n - 1];
	}
	free(v);
	return ref;
}

/* Rank 0: flag the measured rows from FROM on against the fleet, each
 * case's reference computed once. */
void msh_flag_rows(struct msh *m, size_t from)
{
	size_t i;
	const struct msh_kept **key = malloc(m->nall * sizeof(*key));
	double *ref = malloc(m->nall * sizeof(*ref));
	size_t ncases = 0;

	for (i = from; key && ref && i < m->nall; i++) {
		struct msh_kept *r = &m->all[i];
		size_t k = 0;

		if (r->status != VFB_STATUS_OK)
			continue;
		while (k < ncases && !same_case(key[k], r))
			k++;
		if (k == ncases) {
			key[ncases] = r;
			ref[ncases++] = reference(m, r);
		}
		if (r->has_lat && r->lat.p50 > m->flag_lat * ref[k])
			snprintf(r->flag, sizeof(r->flag), "latency");
		else if (r->has_bw && !r->has_lat &&
			 r->bw_avg_gbps < m->flag_bw * ref[k])
			snprintf(r->flag, sizeof(r->flag), "bandwidth");
	}
	free(ref);
	free(key);
}

/* Whether LIST already holds R's pair: [src, dst, path, round]. */
static bool listed(json_object *list, const struct msh_kept *r)
{
	size_t j;

	for (j = 0; j < json_object_array_length(list); j++) {
		json_object *e = json_object_array_get_idx(list, j);

		if (json_object_get_int(json_object_array_get_idx(e, 0)) ==
			    r->src_rank &&
		    json_object_get_int(json_object_array_get_idx(e, 1)) ==
			    r->dst_rank &&
		    !strcmp(json_object_get_string(
				    json_object_array_get_idx(e, 2)),
			    r->path))
			return true;
	}
	return false;
}

json_object *msh_flagged_pairs(const struct msh *m)
{
	json_object *list = json_object_new_array(), *e;
	size_t i;

	for (i = 0; i < m->nall; i++) {
		const struct msh_kept *r = &m->all[i];

		if (!r->flag[0] || r->retest == 1 || listed(list, r))
			continue;
		e = json_object_new_array();
		json_object_array_add(e, json_object_new_int(r->src_rank));
		json_object_array_add(e, json_object_new_int(r->dst_rank));
		json_object_array_add(e, json_object_new_string(r->path));
		json_object_array_add(e, json_object_new_int(r->mesh_round));
		json_object_array_add(list, e);
	}
	return list;
}

/* A pair's state over its rows: 1 flagged in its round, 2 measured again
 * alone, 4 flagged again. */
struct pair_state {
	uint64_t key; /* lo << 32 | hi */
	uint8_t v;
};

static int cmp_state(const void *a, const void *b)
{
	uint64_t x = ((const struct pair_state *)a)->key,
		 y = ((const struct pair_state *)b)->key;

	return (x > y) - (x < y);
}

/* The pairs with a flagged or retested row, sorted, once each: room for
 * those rows only, not for N x N pairs. */
static struct pair_state *pair_states(const struct msh *m, size_t *n)
{
	size_t i, k = 0;
	struct pair_state *st = malloc((m->nall + 1) * sizeof(*st));

	for (i = 0; st && i < m->nall; i++) {
		const struct msh_kept *r = &m->all[i];
		uint64_t s = (uint64_t)r->src_rank, d = (uint64_t)r->dst_rank;

		if (r->src_rank < 0 || r->dst_rank < 0 || s >= m->px.size ||
		    d >= m->px.size || (!r->flag[0] && r->retest != 1))
			continue;
		st[k].key = s < d ? s << 32 | d : d << 32 | s;
		st[k++].v =
			(uint8_t)(r->retest == 1 ? 2 | (r->flag[0] ? 4 : 0) :
						   1);
	}
	if (st)
		qsort(st, k, sizeof(*st), cmp_state);
	for (*n = 0, i = 0; st && i < k; i++)
		if (*n && st[*n - 1].key == st[i].key)
			st[*n - 1].v |= st[i].v;
		else
			st[(*n)++] = st[i];
	return st;
}

/* Rank 0: a pair is flagged when a row of its round is and, where it was
 * measured again alone, a row of the retest is too (a bad link, not
 * contention). A host in at least 2 and in more than half of the flagged
 * pairs is a suspect. */
json_object *msh_suspects(struct msh *m)
{
	size_t i, n = 0;
	uint32_t h;
	json_object *arr = json_object_new_array();
	struct pair_state *st = pair_states(m, &n);
	uint32_t *in = calloc(m->px.size + 1, sizeof(*in)), pairs = 0;

	for (i = 0; st && in && i < n; i++) {
		uint8_t v = st[i].v;

		if ((v & 1) && (!(v & 2) || (v & 4))) {
			pairs++;
			in[st[i].key >> 32]++;
			in[(uint32_t)st[i].key]++;
		}
	}
	for (h = 0; st && in && h < m->px.size; h++)
		if (in[h] >= 2 && 2 * in[h] > pairs) {
			json_object_array_add(
				arr, json_object_new_string(m->hosts[h].host));
			printf("suspect: %s (rank %u), in %u of %u flagged "
			       "pairs\n",
			       m->hosts[h].host, h, in[h], pairs);
		}
	free(in);
	free(st);
	return arr;
}

/* The rows as the detector's observations: a case per (path, test,
 * size), a retest one observation more. */
static struct msh_obs *observations(const struct msh *m, size_t *n,
				    uint32_t *ncases)
{
	size_t i, k;
	struct msh_obs *o = calloc(m->nall + 1, sizeof(*o));
	const struct msh_kept **key = calloc(m->nall + 1, sizeof(*key));

	*n = 0;
	*ncases = 0;
	for (i = 0; o && key && i < m->nall; i++) {
		const struct msh_kept *r = &m->all[i];

		if (r->src_rank < 0 || r->dst_rank < 0 ||
		    (uint32_t)r->src_rank >= m->px.size ||
		    (uint32_t)r->dst_rank >= m->px.size ||
		    r->src_rank == r->dst_rank)
			continue;
		for (k = 0; k < *ncases && !same_case(key[k], r); k++)
			;
		if (k == *ncases)
			key[(*ncases)++] = r;
		o[*n] = (struct msh_obs){
			.a = (uint32_t)r->src_rank,
			.b = (uint32_t)r->dst_rank,
			.kase = (uint32_t)k,
			.value = r->has_lat ? r->lat.p50 : r->bw_avg_gbps,
		};
		if (r->status != VFB_STATUS_OK)
			o[*n].flags |= MSH_OBS_ERROR;
		else if (!r->has_lat)
			o[*n].flags |= MSH_OBS_LOWER_WORSE;
		(*n)++;
	}
	free(key);
	return o;
}

/* A number, or null where there is none (JSON has no NaN). */
static json_object *num(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static const char *const why_names[] = {
	[MSH_WHY_NONE] = "",
	[MSH_WHY_SLOW] = "slow",
	[MSH_WHY_ERRORS] = "errors",
	[MSH_WHY_SWITCH] = "its switch",
};

static json_object *host_json(const struct msh *m, const struct msh_verdicts *v,
			      uint32_t h)
{
	const struct msh_host_verdict *hv = &v->host[h];
	json_object *o = json_object_new_object();

	json_object_object_add(o, "host",
			       json_object_new_string(m->hosts[h].host));
	json_object_object_add(o, "rank", json_object_new_int64(h));
	json_object_object_add(o, "score", num(hv->score));
	json_object_object_add(o, "pairs", json_object_new_int64(hv->pairs));
	json_object_object_add(o, "slow", json_object_new_int64(hv->slow));
	json_object_object_add(o, "errors", json_object_new_int64(hv->errors));
	json_object_object_add(o, "why",
			       json_object_new_string(why_names[hv->why]));
	printf("detector: %s (rank %u) suspect (%s): score %.3f over %u "
	       "pairs, %u slow, %u errors; threshold %.3f\n",
	       m->hosts[h].host, h, why_names[hv->why], hv->score, hv->pairs,
	       hv->slow, hv->errors, v->host_threshold);
	return o;
}

static json_object *link_json(const struct msh *m,
			      const struct msh_link_verdict *l)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "a",
			       json_object_new_string(m->hosts[l->a].host));
	json_object_object_add(o, "b",
			       json_object_new_string(m->hosts[l->b].host));
	json_object_object_add(o, "ratio", num(l->ratio));
	json_object_object_add(o, "seen", json_object_new_int64(l->seen));
	json_object_object_add(o, "slow", json_object_new_int64(l->slow));
	json_object_object_add(o, "confirmed",
			       json_object_new_boolean(l->confirmed));
	if (l->confirmed)
		printf("detector: link %s - %s slow: ratio %.3f, %u of %u "
		       "times\n",
		       m->hosts[l->a].host, m->hosts[l->b].host, l->ratio,
		       l->slow, l->seen);
	return o;
}

static json_object *switch_json(const struct msh *m,
				const struct msh_switch_verdict *s)
{
	json_object *o = json_object_new_object();
	const char *name = m->fabric.sw[s->leaf];

	json_object_object_add(o, "switch", json_object_new_string(name));
	json_object_object_add(o, "within", num(s->within));
	json_object_object_add(o, "across", num(s->across));
	json_object_object_add(o, "crossings", json_object_new_int64(s->cross));
	json_object_object_add(o, "slow", json_object_new_int64(s->slow));
	json_object_object_add(o, "expected", num(s->expected));
	printf("detector: switch %s (its uplink) slow: %u of %u crossings "
	       "slow (%.1f expected), ratio %.3f across it, %.3f within\n",
	       name, s->slow, s->cross, s->expected, s->across, s->within);
	return o;
}

static void verdicts_json(const struct msh *m, const struct msh_verdicts *v,
			  json_object *o)
{
	json_object *sw = json_object_new_array();
	size_t i;

	for (i = 0; i < v->nsw; i++)
		json_object_array_add(sw, switch_json(m, &v->sw[i]));
	json_object_object_add(o, "switches", sw);
	json_object *hosts = json_object_new_array(),
		    *links = json_object_new_array();
	uint32_t h;
	size_t l;

	json_object_object_add(o, "threshold", num(v->host_threshold));
	json_object_object_add(o, "pair_threshold", num(v->pair_threshold));
	json_object_object_add(o, "center", num(v->center));
	json_object_object_add(o, "scale", num(v->scale));
	for (h = 0; h < v->nhosts; h++)
		if (v->host[h].state == MSH_HOST_SUSPECT)
			json_object_array_add(hosts, host_json(m, v, h));
	for (l = 0; l < v->nlinks; l++)
		json_object_array_add(links, link_json(m, &v->link[l]));
	json_object_object_add(o, "suspects", hosts);
	json_object_object_add(o, "links", links);
}

int msh_verdicts_of(const struct msh *m, struct msh_verdicts *v)
{
	struct msh_detect_cfg cfg = MSH_DETECT_CFG_INIT;
	struct msh_leaves lv = { .nleaves = (uint32_t)m->fabric.nswitches,
				 .leaf = m->leaf };
	uint32_t ncases;
	size_t n;
	struct msh_obs *obs = observations(m, &n, &ncases);
	int ret;

	if (m->leaf)
		cfg.leaves = &lv;
	ret = obs ? msh_detect(obs, n, m->px.size, ncases ? ncases : 1, &cfg,
			       v) :
		    -ENOMEM;
	free(obs);
	return ret;
}

json_object *msh_detector(const struct msh *m)
{
	struct msh_verdicts v;
	json_object *o = json_object_new_object();

	json_object_object_add(
		o, "rule",
		json_object_new_string(
			"a host's score is the median over its pairs of the "
			"pair's ratio to its case's reference (the median "
			"over hosts of each host's median); suspect above "
			"exp(median + 6 x 1.4826 MAD) of the hosts' log "
			"scores (MAD at least 0.01) and 1.10 x exp(median), "
			"or when more than half of its pairs (2 or more) "
			"error; a link is a pair slow by the same rule over "
			"the pairs of hosts not suspect while both its ends "
			"are good, confirmed when slow 3 times and most "
			"times"));
	if (!msh_verdicts_of(m, &v)) {
		verdicts_json(m, &v, o);
		msh_verdicts_free(&v);
	}
	return o;
}
