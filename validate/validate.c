/* SPDX-License-Identifier: MIT */
/* The check registry and the run over one path (validate.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "valcheck.h"

/* The checks in the order they run: what the function claims, then
 * whether its memory is fenced in; each group's file holds its table. */
static const struct val_check *const *const groups[] = {
	val_checks_claims,
	val_checks_protect,
	val_checks_fence,
};

#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

static const struct val_check *check_at(size_t i)
{
	size_t k, n;

	for (k = 0; k < NGROUPS; k++) {
		for (n = 0; groups[k][n]; n++)
			;
		if (i < n)
			return groups[k][i];
		i -= n;
	}
	return NULL;
}

static const char *const need_names[] = {
	[VAL_NEEDS_NOTHING] = "",
	[VAL_NEEDS_ATOMIC] = "atomic_cap not NONE",
};

int val_check_info(size_t i, struct val_check_info *info)
{
	const struct val_check *k = check_at(i);

	if (!k)
		return -ENOENT;
	info->id = k->id;
	info->group = k->group;
	info->needs = need_names[k->needs];
	info->help = k->help;
	return 0;
}

/* WORD names K, its group or a prefix of its id up to a dot
 * ("protect.write", "claims.count"). */
static bool selects(const char *word, const struct val_check *k)
{
	size_t n = strlen(word);

	return !strcmp(word, k->group) ||
	       (!strncmp(word, k->id, n) && (!k->id[n] || k->id[n] == '.'));
}

bool val_check_known(const char *word)
{
	const struct val_check *k;
	size_t i;

	for (i = 0; (k = check_at(i)); i++)
		if (selects(word, k))
			return true;
	return false;
}

/* Whether LIST (a comma list of ids and groups, NULL: all) takes K. */
static bool selected(const char *list, const struct val_check *k)
{
	char buf[512], *tok, *save = NULL;

	if (!list)
		return true;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (selects(tok, k))
			return true;
	return false;
}

static const char *const status_names[] = {
	[VAL_UNSET] = "unset",
	[VAL_PASS] = "pass",
	[VAL_FAIL] = "fail",
	[VAL_SKIP] = "skip",
};

const char *val_status_name(enum val_status s)
{
	return (unsigned)s < VAL_NSTATUS ? status_names[s] : "?";
}

void val_set(struct val_result *r, enum val_status status, const char *expected,
	     const char *observed, const char *fmt, ...)
{
	va_list ap;

	r->status = status;
	snprintf(r->expected, sizeof(r->expected), "%s", expected);
	snprintf(r->observed, sizeof(r->observed), "%s", observed);
	va_start(ap, fmt);
	vsnprintf(r->evidence, sizeof(r->evidence), fmt, ap);
	va_end(ap);
}

bool val_not_tried(struct val_result *r, int ret, const char *why)
{
	if (ret != -VAL_NOT_TRIED)
		return false;
	val_set(r, VAL_SKIP, "", "", "not tried: %s", why);
	return true;
}

/* Whether the device claims what K needs; else WHY. */
static bool has_needs(const struct val_check *k, const struct val_caps *caps,
		      char *why, size_t len)
{
	if (k->needs == VAL_NEEDS_ATOMIC &&
	    caps->v[VAL_ATOMIC_CAP] == VAL_ATOMIC_NONE) {
		snprintf(
			why, len,
			"atomic_cap is NONE: no atomic to fence in (claims.atomic.* "
			"tries whether atomics work unclaimed)");
		return false;
	}
	return true;
}

static void result_init(struct val_result *r, const struct val_check *k,
			const struct val_path *p)
{
	memset(r, 0, sizeof(*r));
	r->id = k->id;
	r->path = p->path;
	r->device = p->dev;
}

/* Every selected check of P skipped for WHY. */
static void skip_all(const struct val_config *cfg, const struct val_path *p,
		     const char *why, val_emit_fn emit, void *arg)
{
	const struct val_check *k;
	struct val_result r;
	size_t i;

	for (i = 0; (k = check_at(i)); i++) {
		if (!selected(cfg->checks, k))
			continue;
		result_init(&r, k, p);
		val_set(&r, VAL_SKIP, "", "", "%s", why);
		emit(&r, arg);
	}
}

static void caps_unknown(struct val_caps *caps)
{
	size_t i;

	for (i = 0; i < VAL_NATTRS; i++)
		caps->v[i] = -1;
}

/* P's device opened and queried into C; 0, or a negative errno with WHY. */
static int open_path(struct val_ctx *c, struct val_path *p, char *why,
		     size_t len)
{
	int ret = c->ops.open(c->cfg->ops_arg, p->dev, c->cfg->port,
			      c->cfg->gid, c->cfg->timeout_ms, &c->dev);

	if (ret) {
		snprintf(why, len, "%s: the loopback pair was not made: %s",
			 p->dev, strerror(-ret));
		return ret;
	}
	ret = c->ops.query(c->dev, &p->caps);
	if (ret) {
		snprintf(why, len, "%s: ibv_query_device_ex: %s", p->dev,
			 strerror(-ret));
		c->ops.close(c->dev);
		return ret;
	}
	p->queried = true;
	return 0;
}

/* The other function beside this one, for the cross-function checks:
 * opened only when one of them is selected; C->other_why says why not. */
static void open_other(struct val_ctx *c, const struct val_path *p)
{
	const struct val_check *k;
	bool wanted = false;
	size_t i;
	int ret;

	for (i = 0; (k = check_at(i)); i++)
		wanted |= k->other && selected(c->cfg->checks, k);
	c->other_dev = p->other_dev;
	if (!p->other_dev) {
		snprintf(c->other_why, sizeof(c->other_why),
			 "one function in this run: another (--paths with two "
			 "kinds, or -d A,B) is what its MR is aimed at");
		return;
	}
	if (!wanted)
		return;
	ret = c->ops.open(c->cfg->ops_arg, p->other_dev, c->cfg->port,
			  c->cfg->gid, c->cfg->timeout_ms, &c->other);
	if (ret) {
		c->other = NULL;
		snprintf(c->other_why, sizeof(c->other_why),
			 "%s, the other function: not opened: %s", p->other_dev,
			 strerror(-ret));
	}
}

void val_check_run(const struct val_check *k, const struct val_ctx *c,
		   struct val_result *r)
{
	char why[256];

	if (!has_needs(k, c->caps, why, sizeof(why))) {
		val_set(r, VAL_SKIP, "", "", "%s", why);
		return;
	}
	k->run(c, k->arg, r);
	if (r->status == VAL_UNSET) /* never a pass by default */
		val_set(r, VAL_FAIL, "a verdict", "none",
			"check set no verdict (%s)", k->id);
}

int val_run_path(const struct val_config *cfg, struct val_path *p,
		 val_emit_fn emit, void *arg)
{
	struct val_ctx c = { .cfg = cfg, .caps = &p->caps, .path = p };
	const struct val_check *k;
	struct val_result r;
	char why[256];
	int ret, fails = 0;
	size_t i;

	caps_unknown(&p->caps);
	p->queried = false;
	if (!p->dev || !p->dev[0]) {
		skip_all(cfg, p, p->why && p->why[0] ? p->why : "no device",
			 emit, arg);
		return 0;
	}
	val_ops_set(&c.ops, cfg->ops);
	ret = open_path(&c, p, why, sizeof(why));
	if (ret) {
		skip_all(cfg, p, why, emit, arg);
		return ret;
	}
	open_other(&c, p);
	for (i = 0; (k = check_at(i)); i++) {
		if (cfg->abort && *cfg->abort)
			break;
		if (!selected(cfg->checks, k))
			continue;
		result_init(&r, k, p);
		val_check_run(k, &c, &r);
		fails += r.status == VAL_FAIL;
		emit(&r, arg);
	}
	if (c.other)
		c.ops.close(c.other);
	c.ops.close(c.dev);
	return fails;
}
