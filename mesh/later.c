/* SPDX-License-Identifier: MIT */
/* vfbench mesh, the rounds rank 0 decides once the schedule's own are
 * done: the adaptive schedule's later rounds (adaptive.h), then the
 * flagged pairs measured again alone. Rank 0 publishes each round's
 * pairs; the other ranks fetch them (rounds.c's msh_await_key) and drive
 * their own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adaptive.h"
#include "log.h"
#include "mesh.h"

/* Rank 0 publishes the flagged pairs (unique src, dst, path), then each
 * is driven alone, a round of its own. */
int msh_retest(struct msh *m)
{
	size_t i;
	json_object *list = NULL;
	char err[256], *text = NULL;
	int ret = 0;
	size_t n;

	if (!m->px.rank) {
		list = msh_flagged_pairs(m);
		ret = msh_pmix_put(&m->px, "vfb.mesh.retest",
				   json_object_to_json_string(list), err,
				   sizeof(err));
	}
	if (!ret && !m->px.rank)
		ret = msh_pmix_commit(&m->px, err, sizeof(err));
	if (!ret && m->px.rank) {
		ret = msh_await_key(m, 0, "vfb.mesh.retest", &text, err,
				    sizeof(err));
		list = text ? json_tokener_parse(text) : NULL;
		free(text);
		if (!ret && !json_object_is_type(list, json_type_array))
			ret = -EPROTO;
	}
	n = ret ? 0 : json_object_array_length(list);
	for (i = 0; i < n && !ret; i++) {
		json_object *e = json_object_array_get_idx(list, i);
		struct msh_pair p = {
			(uint32_t)json_object_get_int(
				json_object_array_get_idx(e, 0)),
			(uint32_t)json_object_get_int(
				json_object_array_get_idx(e, 1)),
		};
		int round =
			json_object_get_int(json_object_array_get_idx(e, 3));
		char key[64];

		if (p.src >= m->px.size || p.dst >= m->px.size)
			continue;
		if (p.src == m->px.rank)
			msh_drive(m, p.dst, round, 1,
				  json_object_get_string(
					  json_object_array_get_idx(e, 2)));
		snprintf(key, sizeof(key), "vfb.mesh.retest.%zu", i);
		ret = msh_gather(m, key, &p, 1, round, 1);
	}
	json_object_put(list);
	return ret;
}

/* Rank 0: the next adaptive round from the verdicts over every row so
 * far, into P; its pair count (0 ends the schedule). */
static uint32_t decide(struct msh *m, struct msh_adapt *ad, struct msh_pair *p)
{
	struct msh_verdicts v;
	uint32_t np = 0;

	if (!msh_verdicts_of(m, &v)) {
		np = msh_adapt_round(ad, &v, p);
		msh_verdicts_free(&v);
	}
	return np;
}

static int publish(struct msh *m, const char *key, const struct msh_pair *p,
		   uint32_t np)
{
	json_object *list = json_object_new_array();
	char err[256];
	uint32_t i;
	int ret;

	for (i = 0; i < np; i++) {
		json_object *e = json_object_new_array();

		json_object_array_add(e, json_object_new_int64(p[i].src));
		json_object_array_add(e, json_object_new_int64(p[i].dst));
		json_object_array_add(list, e);
	}
	ret = msh_pmix_put(&m->px, key, json_object_to_json_string(list), err,
			   sizeof(err));
	if (!ret)
		ret = msh_pmix_commit(&m->px, err, sizeof(err));
	if (ret)
		vfb_err("mesh: publishing %s: %s", key, err);
	json_object_put(list);
	return ret;
}

/* The pairs rank 0 published under KEY (disjoint, ranks of the job). */
static int fetch(struct msh *m, const char *key, struct msh_pair *p,
		 uint32_t *np)
{
	char *text = NULL, err[256];
	json_object *list;
	size_t i, n;
	int ret = msh_await_key(m, 0, key, &text, err, sizeof(err));

	*np = 0;
	if (ret) {
		vfb_err("mesh: rank %u, %s: %s", m->px.rank, key, err);
		return ret;
	}
	list = json_tokener_parse(text);
	free(text);
	n = json_object_is_type(list, json_type_array) ?
		    json_object_array_length(list) :
		    0;
	for (i = 0; i < n && *np < m->px.size; i++) {
		json_object *e = json_object_array_get_idx(list, i);
		int64_t a =
			json_object_get_int64(json_object_array_get_idx(e, 0));
		int64_t b =
			json_object_get_int64(json_object_array_get_idx(e, 1));

		if (a >= 0 && b >= 0 && a < m->px.size && b < m->px.size &&
		    a != b)
			p[(*np)++] =
				(struct msh_pair){ (uint32_t)a, (uint32_t)b };
	}
	json_object_put(list);
	return 0;
}

int msh_adaptive(struct msh *m, struct msh_pair *p)
{
	struct msh_adapt ad = { .probes = NULL };
	uint32_t r = msh_sched_rounds(&m->sched), i, np = 0;
	char key[64];
	int ret = 0;

	if (!m->sched.kind->adaptive)
		return 0;
	if (!m->px.rank)
		ret = msh_adapt_init(&ad, m->px.size, m->sched.seed);
	for (; !ret && !*m->abort; r++) {
		snprintf(key, sizeof(key), "vfb.mesh.adapt.%u", r);
		if (!m->px.rank) {
			np = decide(m, &ad, p);
			ret = publish(m, key, p, np);
		} else {
			ret = fetch(m, key, p, &np);
		}
		if (ret || !np)
			break;
		for (i = 0; i < np; i++)
			if (p[i].src == m->px.rank)
				msh_drive(m, p[i].dst, (int)r, 0, NULL);
		snprintf(key, sizeof(key), "vfb.mesh.rows.%u", r);
		ret = msh_gather(m, key, p, np, (int)r, 0);
	}
	m->rounds_used = r;
	msh_adapt_free(&ad);
	return ret;
}
