/* SPDX-License-Identifier: MIT */
/* Slurm's topology.conf (fabric.h): the switches, each host's leaf. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fabric.h"

struct expand {
	int (*fn)(void *, const char *);
	void *ctx;
	size_t count;
	char *err;
	size_t len;
};

static int expand(struct expand *x, char *out, size_t olen, const char *s,
		  size_t n);

/* One range of a bracket, LO or LO-HI: each number, padded to LO's
 * width, then the rest of the item after the bracket. */
static int expand_range(struct expand *x, char *out, size_t olen,
			const char *tok, size_t tl, const char *rest, size_t rn)
{
	const char *dash = memchr(tok, '-', tl);
	size_t wl = dash ? (size_t)(dash - tok) : tl, i;
	unsigned long lo = 0, hi = 0, v;
	int ret = 0;

	for (i = 0; i < tl; i++)
		if (!isdigit((unsigned char)tok[i]) && tok + i != dash)
			break;
	if (!tl || !wl || i < tl || (dash && dash + 1 == tok + tl) || wl > 9 ||
	    tl - wl > 10) {
		snprintf(x->err, x->len, "'[%.*s]': a range is N or N-M",
			 (int)tl, tok);
		return -EINVAL;
	}
	lo = strtoul(tok, NULL, 10);
	hi = dash ? strtoul(dash + 1, NULL, 10) : lo;
	if (hi < lo || hi - lo >= MSH_FABRIC_MAX_NAMES) {
		snprintf(x->err, x->len,
			 "'[%.*s]': %lu-%lu runs backwards or "
			 "past %d names",
			 (int)tl, tok, lo, hi, MSH_FABRIC_MAX_NAMES);
		return -EINVAL;
	}
	for (v = lo; !ret && v <= hi; v++) {
		int w = snprintf(out + olen, MSH_FABRIC_NAME - olen, "%0*lu",
				 (int)wl, v);

		if (w < 0 || olen + (size_t)w >= MSH_FABRIC_NAME) {
			snprintf(x->err, x->len, "a name past %d characters",
				 MSH_FABRIC_NAME - 1);
			return -EINVAL;
		}
		ret = expand(x, out, olen + (size_t)w, rest, rn);
	}
	return ret;
}

/* OUT (OLEN long so far) followed by S[0 .. N): a name, or a bracket of
 * ranges to expand. */
static int expand(struct expand *x, char *out, size_t olen, const char *s,
		  size_t n)
{
	const char *lb = memchr(s, '[', n), *rb, *t, *end;
	size_t pl = lb ? (size_t)(lb - s) : n;
	int ret = 0;

	if (olen + pl >= MSH_FABRIC_NAME) {
		snprintf(x->err, x->len, "a name past %d characters",
			 MSH_FABRIC_NAME - 1);
		return -EINVAL;
	}
	memcpy(out + olen, s, pl);
	out[olen + pl] = '\0';
	if (!lb) {
		if (!out[0] || memchr(out, ']', olen + pl)) {
			snprintf(x->err, x->len, "'%s': not a host name", out);
			return -EINVAL;
		}
		if (++x->count > MSH_FABRIC_MAX_NAMES) {
			snprintf(x->err, x->len, "more than %d names",
				 MSH_FABRIC_MAX_NAMES);
			return -EINVAL;
		}
		return x->fn(x->ctx, out);
	}
	rb = memchr(lb, ']', n - pl);
	if (!rb) {
		snprintf(x->err, x->len, "'%.*s': '[' without ']'", (int)n, s);
		return -EINVAL;
	}
	for (t = lb + 1; !ret && t < rb; t = end + 1) {
		end = memchr(t, ',', (size_t)(rb - t));
		end = end ? end : rb;
		ret = expand_range(x, out, olen + pl, t, (size_t)(end - t),
				   rb + 1, n - (size_t)(rb + 1 - s));
	}
	return ret;
}

int msh_hostlist_each(const char *hostlist, int (*fn)(void *, const char *),
		      void *ctx, char *err, size_t len)
{
	struct expand x = { fn, ctx, 0, err, len };
	char out[MSH_FABRIC_NAME];
	const char *p = hostlist, *q;
	int depth = 0, ret = 0;

	for (q = p; !ret; q++) {
		depth += *q == '[' ? 1 : *q == ']' ? -1 : 0;
		if (*q && (*q != ',' || depth))
			continue;
		if (q == p) {
			snprintf(err, len, "'%s': an empty name", hostlist);
			return -EINVAL;
		}
		ret = expand(&x, out, 0, p, (size_t)(q - p));
		if (!*q)
			break;
		p = q + 1;
	}
	return ret;
}

struct parse {
	struct msh_fabric *f;
	uint32_t sw, line;
	size_t cap;
	/* the names under Switches=, checked once every switch is read */
	char (*child)[MSH_FABRIC_NAME];
	uint32_t *child_line;
	size_t nchild, capchild;
};

static int add_node(void *arg, const char *name)
{
	struct parse *p = arg;
	struct msh_fabric *f = p->f;

	if (f->nnodes == p->cap) {
		size_t c = p->cap ? 2 * p->cap : 64;
		void *n = realloc(f->node, c * sizeof(*f->node));

		if (!n)
			return -ENOMEM;
		f->node = n;
		p->cap = c;
	}
	snprintf(f->node[f->nnodes].name, MSH_FABRIC_NAME, "%s", name);
	f->node[f->nnodes].sw = p->sw;
	f->node[f->nnodes++].line = p->line;
	return 0;
}

static int add_child(void *arg, const char *name)
{
	struct parse *p = arg;

	if (p->nchild == p->capchild) {
		size_t c = p->capchild ? 2 * p->capchild : 16;
		void *n = realloc(p->child, c * sizeof(*p->child));
		void *l =
			n ? realloc(p->child_line, c * sizeof(uint32_t)) : NULL;

		if (n)
			p->child = n;
		if (!l)
			return -ENOMEM;
		p->child_line = l;
		p->capchild = c;
	}
	snprintf(p->child[p->nchild], MSH_FABRIC_NAME, "%s", name);
	p->child_line[p->nchild++] = p->line;
	return 0;
}

static int find_switch(const struct msh_fabric *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nswitches; i++)
		if (!strcmp(f->sw[i], name))
			return (int)i;
	return -1;
}

static int add_switch(struct parse *p, const char *name, size_t n, char *err,
		      size_t len)
{
	struct msh_fabric *f = p->f;
	char s[MSH_FABRIC_NAME];
	void *v;

	if (!n || n >= MSH_FABRIC_NAME) {
		snprintf(err, len, "SwitchName wants a name (1-%d characters)",
			 MSH_FABRIC_NAME - 1);
		return -EINVAL;
	}
	snprintf(s, sizeof(s), "%.*s", (int)n, name);
	if (find_switch(f, s) >= 0) {
		snprintf(err, len, "switch '%s' again", s);
		return -EINVAL;
	}
	v = realloc(f->sw, (f->nswitches + 1) * sizeof(*f->sw));
	if (!v)
		return -ENOMEM;
	f->sw = v;
	memcpy(f->sw[f->nswitches], s, sizeof(s));
	p->sw = (uint32_t)f->nswitches++;
	return 0;
}

/* One KEY=VALUE of a line; SwitchName comes first. */
static int parse_pair(struct parse *p, const char *tok, size_t n, bool first,
		      char *err, size_t len)
{
	const char *eq = memchr(tok, '=', n);
	size_t kl = eq ? (size_t)(eq - tok) : n;
	char val[4096];

	if (!eq ||
	    (first != (kl == 10 && !strncasecmp(tok, "SwitchName", 10)))) {
		snprintf(err, len,
			 "'%.*s': a line is SwitchName=NAME "
			 "[Nodes=HOSTS] [Switches=NAMES] [LinkSpeed=N]",
			 (int)(n > 64 ? 64 : n), tok);
		return -EINVAL;
	}
	if (first)
		return add_switch(p, eq + 1, n - kl - 1, err, len);
	if (n - kl - 1 >= sizeof(val)) {
		snprintf(err, len, "'%.*s': past %zu characters", (int)kl, tok,
			 sizeof(val) - 1);
		return -EINVAL;
	}
	snprintf(val, sizeof(val), "%.*s", (int)(n - kl - 1), eq + 1);
	if (kl == 5 && !strncasecmp(tok, "Nodes", 5))
		return msh_hostlist_each(val, add_node, p, err, len);
	if (kl == 8 && !strncasecmp(tok, "Switches", 8))
		return msh_hostlist_each(val, add_child, p, err, len);
	if (kl == 9 && !strncasecmp(tok, "LinkSpeed", 9))
		return 0;
	snprintf(err, len, "'%.*s': not Nodes, Switches or LinkSpeed", (int)kl,
		 tok);
	return -EINVAL;
}

static int parse_line(struct parse *p, const char *s, size_t n, char *err,
		      size_t len)
{
	const char *end = s + n, *t;
	bool first = true;
	int ret = 0;

	while (s < end && !ret) {
		while (s < end && isspace((unsigned char)*s))
			s++;
		if (s == end || *s == '#')
			break;
		for (t = s;
		     t < end && !isspace((unsigned char)*t) && *t != '#';)
			t++;
		ret = parse_pair(p, s, (size_t)(t - s), first, err, len);
		first = false;
		s = t;
	}
	return ret;
}

static int cmp_node(const void *a, const void *b)
{
	return strcmp(((const struct msh_fabric_node *)a)->name,
		      ((const struct msh_fabric_node *)b)->name);
}

/* Every host once, every switch below another one that is listed. */
static int check(struct parse *p, char *err, size_t len)
{
	struct msh_fabric *f = p->f;
	size_t i;

	if (f->nnodes)
		qsort(f->node, f->nnodes, sizeof(*f->node), cmp_node);
	for (i = 1; i < f->nnodes; i++)
		if (!strcmp(f->node[i].name, f->node[i - 1].name)) {
			const struct msh_fabric_node *a = &f->node[i - 1],
						     *b = &f->node[i];

			snprintf(err, len,
				 "line %u: host '%s' is in switch "
				 "'%s' and (line %u) '%s'",
				 a->line > b->line ? a->line : b->line, a->name,
				 f->sw[a->sw],
				 a->line > b->line ? b->line : a->line,
				 f->sw[b->sw]);
			return -EINVAL;
		}
	for (i = 0; i < p->nchild; i++)
		if (find_switch(f, p->child[i]) < 0) {
			snprintf(err, len, "line %u: switch '%s' is not listed",
				 p->child_line[i], p->child[i]);
			return -EINVAL;
		}
	if (!f->nnodes) {
		snprintf(err, len, "no Nodes= in it");
		return -EINVAL;
	}
	return 0;
}

int msh_fabric_parse(struct msh_fabric *f, const char *text, char *err,
		     size_t len)
{
	struct parse p = { .f = f };
	char why[256];
	int ret = 0;

	memset(f, 0, sizeof(*f));
	while (*text && !ret) {
		size_t ll = strcspn(text, "\n");

		p.line++;
		ret = parse_line(&p, text, ll, why, sizeof(why));
		if (ret == -EINVAL)
			snprintf(err, len, "line %u: %s", p.line, why);
		text += ll + (text[ll] == '\n');
	}
	if (!ret)
		ret = check(&p, err, len);
	if (ret == -ENOMEM)
		snprintf(err, len, "%s", strerror(ENOMEM));
	free(p.child);
	free(p.child_line);
	if (ret)
		msh_fabric_free(f);
	return ret;
}

uint32_t msh_fabric_leaf(const struct msh_fabric *f, const char *host)
{
	struct msh_fabric_node key;
	const struct msh_fabric_node *n;
	size_t dot = strcspn(host, ".");

	if (!f->nnodes)
		return UINT32_MAX;

	snprintf(key.name, sizeof(key.name), "%s", host);
	n = bsearch(&key, f->node, f->nnodes, sizeof(*n), cmp_node);
	if (!n && host[dot]) {
		snprintf(key.name, sizeof(key.name), "%.*s", (int)dot, host);
		n = bsearch(&key, f->node, f->nnodes, sizeof(*n), cmp_node);
	}
	return n ? n->sw : UINT32_MAX;
}

void msh_fabric_free(struct msh_fabric *f)
{
	free(f->sw);
	free(f->node);
	memset(f, 0, sizeof(*f));
}
