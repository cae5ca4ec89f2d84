/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "opt.h"

#define OPT_HELP_KEY  0x100
#define OPT_LONG_BASE 0x200
#define OPT_MAX	      64

/* One option of the command, wherever its set puts it. */
struct opt_ent {
	const struct vfb_opt *o;
	size_t base;
	const char *help;
};

static const char *note_of(const struct vfb_optset *set, const char *name)
{
	const struct vfb_opt_note *n;

	for (n = set->notes; n && n->name; n++)
		if (!strcmp(n->name, name))
			return n->help;
	return NULL;
}

/* Flatten SETS into ENT (at most OPT_MAX): the number of options, -E2BIG,
 * or -EEXIST when two share a long name or a key. */
static int opt_flatten(const struct vfb_optset *sets, size_t n, const char *cmd,
		       struct opt_ent *ent)
{
	const struct vfb_opt *o;
	size_t i, j, k = 0;

	for (i = 0; i < n; i++)
		for (o = sets[i].tab; o->name; o++) {
			if (sets[i].mask && o->cat && !(o->cat & sets[i].mask))
				continue;
			if (k == OPT_MAX)
				return -E2BIG;
			for (j = 0; j < k; j++)
				if (!strcmp(ent[j].o->name, o->name) ||
				    (o->key && ent[j].o->key == o->key)) {
					vfb_err("%s: option --%s clashes with --%s "
						"in its tables",
						cmd, o->name, ent[j].o->name);
					return -EEXIST;
				}
			ent[k].o = o;
			ent[k].base = sets[i].base;
			ent[k].help = note_of(&sets[i], o->name);
			if (!ent[k].help)
				ent[k].help = o->help;
			k++;
		}
	return (int)k;
}

/* Where --help goes instead of text, when set (vfb_opt_set_renderer). */
static struct {
	vfb_usage_fn *fn;
	void *ctx;
} renderer;

void vfb_opt_set_renderer(vfb_usage_fn *fn, void *ctx)
{
	renderer.fn = fn;
	renderer.ctx = ctx;
}

static void opt_render(const struct opt_ent *ent, int n, const char *cmd,
		       const char *synopsis)
{
	struct vfb_opt_item item[OPT_MAX];
	struct vfb_usage u = { .cmd = cmd, .synopsis = synopsis, .opts = item };
	int i;

	for (i = 0; i < n; i++)
		item[i] = (struct vfb_opt_item){ ent[i].o, ent[i].help };
	u.n = (size_t)n;
	renderer.fn(renderer.ctx, &u);
}

static void opt_usage(FILE *f, const struct opt_ent *ent, int n,
		      const char *cmd, const char *synopsis)
{
	const struct vfb_opt *o;
	char left[64];
	int i;

	if (renderer.fn) {
		opt_render(ent, n, cmd, synopsis);
		return;
	}
	fprintf(f, "usage: vfbench %s %s\n\noptions:\n", cmd, synopsis);
	for (i = 0; i < n; i++) {
		o = ent[i].o;
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
			 o->key ? "-" : "", o->key ? o->key : ' ',
			 o->key ? ", " : " ", o->name, o->metavar ? " " : "",
			 o->metavar ? o->metavar : "");
		fprintf(f, "  %-28s %s\n", o->key ? left : left + 2,
			ent[i].help);
		if (o->choices)
			fprintf(f, "  %-28s one of: %s\n", "", o->choices());
	}
	fprintf(f, "  %-28s %s\n", "-h, --help", "show this help");
}

void vfb_opt_usage_sets(FILE *f, const struct vfb_optset *sets, size_t n,
			const char *cmd, const char *synopsis)
{
	struct opt_ent ent[OPT_MAX];
	int k = opt_flatten(sets, n, cmd, ent);

	opt_usage(f, ent, k < 0 ? 0 : k, cmd, synopsis);
}

void vfb_opt_usage(FILE *f, const struct vfb_opt *tab, const char *cmd,
		   const char *synopsis)
{
	const struct vfb_optset set = { .tab = tab };

	vfb_opt_usage_sets(f, &set, 1, cmd, synopsis);
}

int vfb_long_parse(const char *s, long *v)
{
	const char *d = s + (*s == '-' || *s == '+');
	bool hex = d[0] == '0' && (d[1] == 'x' || d[1] == 'X');
	char *end;

	if (hex ? !isxdigit((unsigned char)d[2]) : !isdigit((unsigned char)*d))
		return -EINVAL;
	errno = 0;
	*v = strtol(s, &end, hex ? 16 : 10);
	return errno || *end ? -EINVAL : 0;
}

int vfb_num_parse(const char *s, double *v)
{
	const char *d = s + (*s == '-' || *s == '+');
	char *end;

	/* strtod takes nan, inf and hex floats: a number here is decimal */
	if (!isdigit((unsigned char)*d) &&
	    !(*d == '.' && isdigit((unsigned char)d[1])))
		return -EINVAL;
	if (strspn(d, "0123456789.eE+-") != strlen(d))
		return -EINVAL;
	errno = 0;
	*v = strtod(s, &end);
	return errno || *end || !isfinite(*v) ? -EINVAL : 0;
}

int vfb_list_check(const char *s)
{
	size_t n = strlen(s);

	return !n || s[0] == ',' || s[n - 1] == ',' || strstr(s, ",,") ?
		       -EINVAL :
		       0;
}

int vfb_port_check(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v < 1 || v > 65535 ? -EINVAL : 0;
}

int vfb_peer_split(const char *peer, const char *defport, char *host, size_t hl,
		   char *port, size_t pl)
{
	const char *colon = strrchr(peer, ':'), *h = peer, *svc = defport;
	size_t n = strlen(peer);

	if (peer[0] == '[') { /* [IPv6] or [IPv6]:PORT */
		const char *close = strchr(peer, ']');

		if (!close || (close[1] && close[1] != ':'))
			return -EINVAL;
		h = peer + 1;
		n = (size_t)(close - h);
		if (close[1])
			svc = close + 2;
	} else if (colon && strchr(peer, ':') == colon) { /* HOST:PORT */
		n = (size_t)(colon - peer);
		svc = colon + 1;
	} /* else a bare name or IPv6 address */
	if (!n || vfb_port_check(svc) || n >= hl || strlen(svc) >= pl)
		return -EINVAL;
	snprintf(host, hl, "%.*s", (int)n, h);
	snprintf(port, pl, "%s", svc);
	return 0;
}

static int opt_store(const struct vfb_opt *o, const char *cmd, const char *arg,
		     void *cfg)
{
	char *field = (char *)cfg + o->offset;
	long v;

	if (o->type != VFB_OPT_FLAG && !*arg) {
		vfb_err("%s: --%s wants a value, not ''", cmd, o->name);
		return -EINVAL;
	}
	switch (o->type) {
	case VFB_OPT_FLAG:
		*(bool *)field = true;
		return 0;
	case VFB_OPT_LIST:
		if (o->max && strlen(arg) > (size_t)o->max) {
			vfb_err("%s: --%s takes a list of at most %ld "
				"characters, not %zu",
				cmd, o->name, o->max, strlen(arg));
			return -EINVAL;
		}
		if (vfb_list_check(arg)) {
			vfb_err("%s: --%s wants a comma list without empty "
				"items, not '%s'",
				cmd, o->name, arg);
			return -EINVAL;
		}
		*(const char **)field = arg;
		return 0;
	case VFB_OPT_STR:
		*(const char **)field = arg;
		return 0;
	case VFB_OPT_PORT:
		if (vfb_port_check(arg)) {
			vfb_err("%s: --%s wants a port in [1, 65535], not '%s'",
				cmd, o->name, arg);
			return -EINVAL;
		}
		*(const char **)field = arg;
		return 0;
	case VFB_OPT_PEER: {
		char h[256], p[8];

		if (vfb_peer_split(arg, "1", h, sizeof(h), p, sizeof(p))) {
			vfb_err("%s: --%s wants HOST, HOST:PORT or [IPv6]:PORT "
				"with a port in [1, 65535], not '%s'",
				cmd, o->name, arg);
			return -EINVAL;
		}
		*(const char **)field = arg;
		return 0;
	}
	case VFB_OPT_LONG:
		if (vfb_long_parse(arg, &v) || v < o->min || v > o->max) {
			vfb_err("%s: --%s wants an integer in [%ld, %ld], not '%s'",
				cmd, o->name, o->min, o->max, arg);
			return -EINVAL;
		}
		*(long *)field = v;
		return 0;
	}
	return -EINVAL;
}

static void build_getopt(const struct opt_ent *ent, int n, struct option *lo,
			 char *so)
{
	int i;

	*so++ = ':'; /* report a missing argument as ':' (operands may come
		      * before options: getopt_long moves them to the end) */
	for (i = 0; i < n; i++) {
		const struct vfb_opt *o = ent[i].o;
		int has_arg = o->type == VFB_OPT_FLAG ? no_argument :
							required_argument;

		lo[i] = (struct option){ o->name, has_arg, NULL,
					 OPT_LONG_BASE + i };
		if (o->key) {
			*so++ = o->key;
			if (has_arg)
				*so++ = ':';
		}
	}
	lo[n] = (struct option){ "help", no_argument, NULL, OPT_HELP_KEY };
	lo[n + 1] = (struct option){ 0 };
	*so++ = 'h';
	*so = '\0';
}

static const struct opt_ent *opt_find(const struct opt_ent *ent, int n, int c)
{
	int i;

	if (c >= OPT_LONG_BASE && c < OPT_LONG_BASE + n)
		return &ent[c - OPT_LONG_BASE];
	for (i = 0; i < n; i++)
		if (ent[i].o->key && ent[i].o->key == c)
			return &ent[i];
	return NULL;
}

int vfb_opt_parse_sets(const struct vfb_optset *sets, size_t nsets,
		       const char *cmd, const char *synopsis, int argc,
		       char **argv, void *cfg)
{
	struct opt_ent ent[OPT_MAX];
	struct option lo[OPT_MAX + 2];
	char so[3 * OPT_MAX + 4];
	const struct opt_ent *e;
	int c, n = opt_flatten(sets, nsets, cmd, ent);

	if (n < 0)
		return n;
	build_getopt(ent, n, lo, so);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP_KEY) {
			opt_usage(stdout, ent, n, cmd, synopsis);
			return 0;
		}
		if (c == '?' || c == ':') {
			vfb_err("%s: %s '%s' (see 'vfbench %s --help')", cmd,
				c == '?' ? "unknown option" :
					   "missing argument for",
				argv[optind - 1], cmd);
			return -EINVAL;
		}
		e = opt_find(ent, n, c);
		if (!e || opt_store(e->o, cmd, optarg, (char *)cfg + e->base))
			return -EINVAL;
	}
	return optind;
}

int vfb_opt_parse(const struct vfb_opt *tab, const char *cmd,
		  const char *synopsis, int argc, char **argv, void *cfg)
{
	const struct vfb_optset set = { .tab = tab };

	return vfb_opt_parse_sets(&set, 1, cmd, synopsis, argc, argv, cfg);
}
