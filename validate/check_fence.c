/* SPDX-License-Identifier: MIT */
/* Whether a VF's tenant is fenced in on the wire: the settings its PF
 * keeps for it (rtnetlink's IFLA_VF_INFO, as 'ip link show PF' prints
 * them). A VF whose PF does not check its source MAC can send as any
 * other function; a trusted VF may turn promiscuous and take any MAC.
 * The positive control is the PF's own report: a setting it does not
 * report is a skip, never a pass. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "valcheck.h"

/* One setting: its word in 'ip link', its field, the value that
 * fences, and what the other value allows. */
struct fence {
	const char *word;
	size_t off; /* in struct val_vf_state */
	int want;
	const char *risk;
};

static const char *on_off(int v)
{
	return v ? "on" : "off";
}

static void fence_run(const struct val_ctx *c, const void *arg,
		      struct val_result *r)
{
	const struct fence *f = arg;
	const struct val_path *p = c->path;
	struct val_vf_state st = { -1, -1, -1 };
	char expected[64];
	int ret, v;

	snprintf(expected, sizeof(expected), "%s %s", f->word, on_off(f->want));
	if (p->vf < 0 || !p->pf_netdev[0]) {
		val_set(r, VAL_SKIP, expected, "-",
			"%s is not a VF (or its PF has no netdev): no PF "
			"keeps a %s setting for it",
			p->dev, f->word);
		return;
	}
	ret = c->ops.vf_state(c->cfg->ops_arg, p->pf_netdev,
			      (unsigned int)p->vf, &st);
	if (val_not_tried(r, ret, "the PF's VF settings not read"))
		return;
	if (ret) {
		val_set(r, VAL_SKIP, expected, "not read",
			"%s vf %d: the PF's settings not read: %s",
			p->pf_netdev, p->vf, strerror(-ret));
		return;
	}
	memcpy(&v, (const char *)&st + f->off, sizeof(v));
	if (v < 0) {
		val_set(r, VAL_SKIP, expected, "not reported",
			"%s vf %d: the PF's driver does not report %s",
			p->pf_netdev, p->vf, f->word);
		return;
	}
	if (v == f->want) {
		val_set(r, VAL_PASS, expected, on_off(v),
			"%s vf %d: %s %s, as 'ip link show %s' reports it",
			p->pf_netdev, p->vf, f->word, on_off(v), p->pf_netdev);
		return;
	}
	val_set(r, VAL_FAIL, expected, on_off(v),
		"%s vf %d: %s %s: %s; fix: ip link set %s vf %d %s %s",
		p->pf_netdev, p->vf, f->word, on_off(v), f->risk, p->pf_netdev,
		p->vf, f->word, on_off(f->want));
}

static const struct fence spoofchk = {
	"spoofchk", offsetof(struct val_vf_state, spoofchk), 1,
	"its frames may carry any source MAC (another tenant's)"
};
static const struct fence trust = { "trust",
				    offsetof(struct val_vf_state, trust), 0,
				    "it may turn promiscuous and set any MAC" };

static const struct val_check fence_spoofchk = {
	.id = "fence.spoofchk",
	.group = "fence",
	.help = "a VF's PF checks its source MAC (spoofchk on)",
	.run = fence_run,
	.arg = &spoofchk,
};
static const struct val_check fence_trust = {
	.id = "fence.trust",
	.group = "fence",
	.help = "a VF is not trusted by its PF (no promiscuous mode, no "
		"MAC of its own choosing)",
	.run = fence_run,
	.arg = &trust,
};

const struct val_check *const val_checks_fence[] = {
	&fence_spoofchk,
	&fence_trust,
	NULL,
};
