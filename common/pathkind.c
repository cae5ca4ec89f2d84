/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "pathkind.h"

static bool is_vf(const struct vfb_fn_facts *f)
{
	return f->function && (f->physfn || f->vf_identity);
}

static bool is_pv(const struct vfb_fn_facts *f)
{
	/* pvrdma; rxe/siw over virtio-net; or over a netdev with no device
	 * under it at all (veth, bridge) */
	return f->pvrdma || f->virtio || (f->software && !f->function);
}

static bool is_pf(const struct vfb_fn_facts *f)
{
	return f->function;
}

static bool any(const struct vfb_fn_facts *f)
{
	(void)f;
	return true;
}

/* In recognition order: the first kind whose match is true is the
 * device's kind, so the more specific kinds come first. Plots and tables
 * show the baseline first, then the others in this order. */
static const struct vfb_path_kind kinds[] = {
	{ .name = "vf",
	  .label = "SR-IOV virtual function",
	  .color = "#ff7f0e",
	  .in_auto = true,
	  .match = is_vf },
	{ .name = "pv",
	  .label = "paravirtual",
	  .color = "#2ca02c",
	  .in_auto = true,
	  .match = is_pv },
	{ .name = "pf",
	  .label = "physical function",
	  .color = "#1f77b4",
	  .baseline = true,
	  .in_auto = true,
	  .match = is_pf },
	{ .name = "unknown",
	  .label = "not classified",
	  .color = "#7f7f7f",
	  .match = any },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

const struct vfb_path_kind *vfb_path_kinds(size_t *n)
{
	*n = NKINDS;
	return kinds;
}

const struct vfb_path_kind *vfb_path_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}

const struct vfb_path_kind *vfb_path_kind_of(const struct vfb_fn_facts *f)
{
	size_t i;

	for (i = 0; i < NKINDS - 1 && !kinds[i].match(f); i++)
		;
	return &kinds[i];
}

const struct vfb_path_kind *vfb_path_unknown(void)
{
	return &kinds[NKINDS - 1];
}

const struct vfb_path_kind *vfb_path_baseline(void)
{
	size_t i;

	for (i = 0; i < NKINDS && !kinds[i].baseline; i++)
		;
	return i < NKINDS ? &kinds[i] : NULL;
}

const char *vfb_path_color(const char *name)
{
	const struct vfb_path_kind *k = vfb_path_kind_find(name);

	return k ? k->color : "#7f7f7f";
}

size_t vfb_path_rank(const char *name)
{
	const struct vfb_path_kind *k = vfb_path_kind_find(name);

	if (!k)
		return NKINDS + 1; /* after every kind the table has */
	return k->baseline ? 0 : (size_t)(k - kinds) + 1;
}

void vfb_path_kind_names(char *buf, size_t len)
{
	size_t r, i, used = 0;

	buf[0] = '\0';
	for (r = 0; r <= NKINDS + 1; r++) /* by rank: the baseline first */
		for (i = 0; i + 1 < NKINDS; i++)
			if (vfb_path_rank(kinds[i].name) == r && used < len)
				used += (size_t)snprintf(
					buf + used, len - used, "%s%s",
					used ? ", " : "", kinds[i].name);
}
