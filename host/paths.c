/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devinfo.h"
#include "log.h"
#include "opt.h"
#include "paths.h"

static const struct host_cand *best_of(const struct host_cand *c, size_t n,
				       const struct vfb_path_kind *kind)
{
	size_t i;

	/* candidates come sorted by name: the first active one wins */
	for (i = 0; i < n; i++)
		if (c[i].dc.path == kind && c[i].port_active)
			return &c[i];
	return NULL;
}

static int by_rank(const void *a, const void *b)
{
	size_t ra =
		vfb_path_rank((*(const struct vfb_path_kind *const *)a)->name);
	size_t rb =
		vfb_path_rank((*(const struct vfb_path_kind *const *)b)->name);

	return ra < rb ? -1 : ra > rb;
}

static void set_dev(struct host_path_sel *p, const struct host_cand *c)
{
	snprintf(p->dev, sizeof(p->dev), "%s", c->name);
	p->dc = c->dc;
	p->kind = c->dc.path;
}

static int plan_classes(const char *spec, const struct host_cand *c, size_t n,
			struct host_path_sel *out, char *err, size_t errlen)
{
	const struct vfb_path_kind *order[16];
	char buf[128], *tok, *save = NULL;
	const struct host_cand *best;
	size_t i, nk, no = 0;
	const struct vfb_path_kind *all = vfb_path_kinds(&nk);
	int k = 0;

	if (!strcmp(spec, "auto")) {
		/* every kind auto takes, in plot order (the baseline first) */
		for (i = 0; i < nk && no < 16; i++)
			if (all[i].in_auto)
				order[no++] = &all[i];
		qsort(order, no, sizeof(order[0]), by_rank);
		for (i = 0; i < no && k < HOST_MAX_PATHS; i++)
			if ((best = best_of(c, n, order[i])))
				set_dev(&out[k++], best);
		if (k == 0)
			snprintf(
				err, errlen,
				"--paths auto: no RDMA device with an active port");
		return k ? k : -ENODEV;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		const struct vfb_path_kind *kind = vfb_path_kind_find(tok);

		if (!strcmp(tok, "auto")) {
			snprintf(err, errlen,
				 "--paths: auto stands alone, not in a list");
			return -EINVAL;
		}
		if (!kind || kind == vfb_path_unknown() ||
		    k == HOST_MAX_PATHS) {
			char names[128];

			vfb_path_kind_names(names, sizeof(names));
			snprintf(err, errlen,
				 "--paths: '%s' is not one of %s or auto", tok,
				 names);
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

int host_paths_plan(const char *spec, const char *devs,
		    const struct host_cand *c, size_t n,
		    struct host_path_sel *out, char *err, size_t errlen)
{
	char buf[512], *tok, *save = NULL;
	size_t i;
	int k = 0;

	if (spec)
		return plan_classes(spec, c, n, out, err, errlen);
	snprintf(buf, sizeof(buf), "%s", devs);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < n && strcmp(c[i].name, tok); i++)
			;
		if (i == n || k == HOST_MAX_PATHS) {
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

const char *host_path_kinds(void)
{
	static char names[128];

	if (!names[0])
		vfb_path_kind_names(names, sizeof(names));
	return names;
}

const char *host_paths_choices(void)
{
	static char names[136];

	if (!names[0])
		snprintf(names, sizeof(names), "auto, %s", host_path_kinds());
	return names;
}

static void peer_kind_opts(const struct vfb_opt *base, const char *after,
			   size_t off, struct vfb_opt *out, size_t max_kinds)
{
	static char names[HOST_MAX_PATHS][32], helps[HOST_MAX_PATHS][64];
	size_t i, k, r, o = 0, nk;
	const struct vfb_path_kind *all = vfb_path_kinds(&nk);

	for (i = 0; base[i].name; i++) {
		out[o++] = base[i];
		if (strcmp(base[i].name, after))
			continue;
		for (r = 0; r <= nk; r++) /* plot order: the baseline first */
			for (k = 0;
			     k < nk && k < max_kinds && k < HOST_MAX_PATHS;
			     k++) {
				if (&all[k] == vfb_path_unknown() ||
				    vfb_path_rank(all[k].name) != r)
					continue;
				snprintf(names[k], sizeof(names[k]), "peer-%s",
					 all[k].name);
				snprintf(helps[k], sizeof(helps[k]),
					 "peer of the %s path", all[k].name);
				out[o++] = (struct vfb_opt){
					.name = names[k],
					.type = VFB_OPT_PEER,
					.offset =
						off + k * sizeof(const char *),
					.metavar = "HOST[:PORT]",
					.help = helps[k]
				};
			}
	}
	out[o] = (struct vfb_opt)VFB_OPT_END;
}

static const struct vfb_opt peer_base[] = {
	{ .name = "peer",
	  .type = VFB_OPT_PEER,
	  .offset = offsetof(struct host_peers, peer),
	  .metavar = "HOST[:PORT]",
	  .help = "'vfbench serve' for every path (port 18515)" },
	VFB_OPT_END,
};

const struct vfb_opt *host_peer_opts(void)
{
	static struct vfb_opt opts[2 + HOST_KINDS_MAX];

	if (!opts[0].name)
		peer_kind_opts(peer_base, "peer",
			       offsetof(struct host_peers, of), opts,
			       HOST_KINDS_MAX);
	return opts;
}

const char *host_peer_of(const struct host_peers *p,
			 const struct vfb_path_kind *k)
{
	size_t n;
	const struct vfb_path_kind *all = vfb_path_kinds(&n);
	size_t i = (size_t)(k - all);

	return i < HOST_KINDS_MAX && p->of[i] ? p->of[i] : p->peer;
}

bool host_peers_any(const struct host_peers *p)
{
	size_t i;
	bool any = p->peer;

	for (i = 0; i < HOST_KINDS_MAX; i++)
		any |= p->of[i] != NULL;
	return any;
}

/* Every device, classified, with whether port 1 is ACTIVE. */
int host_candidates(const struct vfb_fsroot *root, struct host_cand **out)
{
	struct vt_devinfo *devs;
	struct host_cand *c;
	int n, i;

	n = vt_devinfo_list(&devs);
	if (n < 0)
		return n;
	c = calloc(n ? n : 1, sizeof(*c));
	for (i = 0; c && i < n; i++) {
		snprintf(c[i].name, sizeof(c[i].name), "%s", devs[i].name);
		host_classify(root, devs[i].name, &c[i].dc);
		c[i].port_active = devs[i].nports > 0 &&
				   !strcmp(devs[i].ports[0].state, "active");
	}
	vt_devinfo_free(devs, n);
	*out = c;
	return c ? n : -ENOMEM;
}

#define O(f) offsetof(struct host_devsel, f)
const struct vfb_opt host_dev_opts[] = {
	{ .name = "ib-dev",
	  .key = 'd',
	  .type = VFB_OPT_LIST,
	  .max = 511,
	  .offset = O(dev),
	  .metavar = "DEV[,DEV]",
	  .help = "RDMA devices",
	  .cat = HOST_DEV_LIST },
	{ .name = "paths",
	  .type = VFB_OPT_LIST,
	  .max = 127,
	  .offset = O(paths),
	  .metavar = "auto|KIND,...",
	  .help = "one device per path kind instead",
	  .cat = HOST_DEV_LIST,
	  .choices = host_paths_choices },
	{ .name = "ib-port",
	  .key = 'i',
	  .type = VFB_OPT_LONG,
	  .offset = O(port),
	  .metavar = "N",
	  .help = "port of the device (default 1)",
	  .min = 1,
	  .max = 255,
	  .cat = HOST_DEV_PORT },
	{ .name = "gid-index",
	  .key = 'x',
	  .type = VFB_OPT_LONG,
	  .offset = O(gid),
	  .metavar = "N",
	  .help = "GID index (default: the port's first RoCE v2 GID, else 0)",
	  .min = 0,
	  .max = 255,
	  .cat = HOST_DEV_PORT },
	VFB_OPT_END,
};
#undef O

int host_devsel_check(const char *cmd, const struct host_devsel *s,
		      bool required)
{
	struct host_path_sel sel[HOST_MAX_PATHS];
	char err[256];

	if (s->dev && s->paths) {
		vfb_err("%s: give one of -d DEV and --paths, not both", cmd);
		return -EINVAL;
	}
	if (required && !s->dev && !s->paths) {
		vfb_err("%s: give one of -d DEV and --paths", cmd);
		return -EINVAL;
	}
	/* the words alone: no device is listed yet */
	if (s->paths && strcmp(s->paths, "auto") &&
	    host_paths_plan(s->paths, NULL, NULL, 0, sel, err, sizeof(err)) ==
		    -EINVAL) {
		vfb_err("%s: %s", cmd, err);
		return -EINVAL;
	}
	return 0;
}
