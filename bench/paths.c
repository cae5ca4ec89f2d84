/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "paths.h"

static const struct bench_cand *best_of(const struct bench_cand *c, size_t n,
					enum bench_path kind)
{
	size_t i;

	/* candidates come sorted by name: the first active one wins */
	for (i = 0; i < n; i++)
		if (c[i].dc.path == kind && c[i].port_active)
			return &c[i];
	return NULL;
}

static void set_dev(struct bench_path_sel *p, const struct bench_cand *c)
{
	snprintf(p->dev, sizeof(p->dev), "%s", c->name);
	p->dc = c->dc;
	p->kind = c->dc.path;
}

static int plan_classes(const char *spec, const struct bench_cand *c, size_t n,
			struct bench_path_sel *out, char *err, size_t errlen)
{
	static const enum bench_path order[] = { BENCH_PATH_PF, BENCH_PATH_VF,
						 BENCH_PATH_PV };
	char buf[128], *tok, *save = NULL;
	const struct bench_cand *best;
	int k = 0;
	size_t i;

	if (!strcmp(spec, "auto")) {
		for (i = 0; i < 3; i++)
			if ((best = best_of(c, n, order[i])))
				set_dev(&out[k++], best);
		if (k == 0)
			snprintf(err, errlen, "--paths auto: no RDMA device with an active port");
		return k ? k : -ENODEV;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		enum bench_path kind;

		for (kind = BENCH_PATH_PF; kind < BENCH_PATH_UNKNOWN; kind++)
			if (!strcmp(tok, bench_path_name(kind)))
				break;
		if (kind == BENCH_PATH_UNKNOWN || k == BENCH_MAX_PATHS) {
			snprintf(err, errlen, "--paths: '%s' is not pf, vf, pv or auto", tok);
			return -EINVAL;
		}
		memset(&out[k], 0, sizeof(out[k]));
		out[k].kind = kind;
		best = best_of(c, n, kind);
		if (best)
			set_dev(&out[k], best);
		else
			snprintf(out[k].why, sizeof(out[k].why),
				 "no %s device with an active port", tok);
		k++;
	}
	return k;
}

int bench_paths_plan(const char *spec, const char *devs,
		     const struct bench_cand *c, size_t n,
		     struct bench_path_sel *out, char *err, size_t errlen)
{
	char buf[512], *tok, *save = NULL;
	size_t i;
	int k = 0;

	if (spec)
		return plan_classes(spec, c, n, out, err, errlen);
	snprintf(buf, sizeof(buf), "%s", devs);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < n && strcmp(c[i].name, tok); i++)
			;
		if (i == n || k == BENCH_MAX_PATHS) {
			snprintf(err, errlen, "unknown RDMA device '%s'", tok);
			return -ENODEV;
		}
		memset(&out[k], 0, sizeof(out[k]));
		set_dev(&out[k], &c[i]);
		if (!c[i].port_active)
			snprintf(out[k].why, sizeof(out[k].why),
				 "%s: port 1 is not ACTIVE", tok);
		k++;
	}
	return k;
}
