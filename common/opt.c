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

static size_t opt_count(const struct vfb_opt *tab)
{
	size_t n = 0;

	while (tab[n].name)
		n++;
	return n;
}

void vfb_opt_usage(FILE *f, const struct vfb_opt *tab, const char *cmd,
		   const char *synopsis)
{
	char left[64];

	fprintf(f, "usage: vfbench %s %s\n\noptions:\n", cmd, synopsis);
	for (; tab->name; tab++) {
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
			 tab->key ? "-" : "", tab->key ? tab->key : ' ',
			 tab->key ? ", " : " ", tab->name,
			 tab->metavar ? " " : "",
			 tab->metavar ? tab->metavar : "");
		fprintf(f, "  %-28s %s\n", tab->key ? left : left + 2,
			tab->help);
	}
	fprintf(f, "  %-28s %s\n", "-h, --help", "show this help");
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

static void build_getopt(const struct vfb_opt *tab, struct option *lo, char *so)
{
	size_t i, n = opt_count(tab);

	*so++ = ':'; /* report a missing argument as ':' (operands may come
		      * before options: getopt_long moves them to the end) */
	for (i = 0; i < n; i++) {
		int has_arg = tab[i].type == VFB_OPT_FLAG ? no_argument :
							    required_argument;

		lo[i] = (struct option){ tab[i].name, has_arg, NULL,
					 OPT_LONG_BASE + (int)i };
		if (tab[i].key) {
			*so++ = tab[i].key;
			if (has_arg)
				*so++ = ':';
		}
	}
	lo[n] = (struct option){ "help", no_argument, NULL, OPT_HELP_KEY };
	lo[n + 1] = (struct option){ 0 };
	*so++ = 'h';
	*so = '\0';
}

static const struct vfb_opt *opt_find(const struct vfb_opt *tab, int c)
{
	size_t i, n = opt_count(tab);

	if (c >= OPT_LONG_BASE && c < OPT_LONG_BASE + (int)n)
		return &tab[c - OPT_LONG_BASE];
	for (i = 0; i < n; i++)
		if (tab[i].key && tab[i].key == c)
			return &tab[i];
	return NULL;
}

int vfb_opt_parse(const struct vfb_opt *tab, const char *cmd,
		  const char *synopsis, int argc, char **argv, void *cfg)
{
	struct option lo[OPT_MAX + 2];
	char so[3 * OPT_MAX + 4];
	const struct vfb_opt *o;
	int c;

	if (opt_count(tab) > OPT_MAX)
		return -E2BIG;
	build_getopt(tab, lo, so);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP_KEY) {
			vfb_opt_usage(stdout, tab, cmd, synopsis);
			return 0;
		}
		if (c == '?' || c == ':') {
			vfb_err("%s: %s '%s' (see 'vfbench %s --help')", cmd,
				c == '?' ? "unknown option" :
					   "missing argument for",
				argv[optind - 1], cmd);
			return -EINVAL;
		}
		o = opt_find(tab, c);
		if (!o || opt_store(o, cmd, optarg, cfg))
			return -EINVAL;
	}
	return optind;
}
