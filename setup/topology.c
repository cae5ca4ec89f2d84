/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "file.h"
#include "log.h"
#include "opt.h"
#include "plan.h"
#include "topology.h"

_Static_assert(SUP_TOPO_GUIDS_MAX >= SUP_MAX_VFS * 24,
	       "a section's guids hold SUP_MAX_VFS GUIDs of 23 characters");

/* The keys of a [PF] section, each once; num_vfs is a number, the others
 * are kept as text for the same checks as the flags. */
static const char *const topo_keys[] = {
	"num_vfs", "mac_base", "trust",	      "link_state",  "guid_base",
	"guids",   "driver",   "max_tx_rate", "min_tx_rate", "vlan"
};
#define NKEYS (sizeof(topo_keys) / sizeof(topo_keys[0]))

/* 0, -ENOENT (no such key), -EEXIST (given twice), -E2BIG (the value is
 * longer than its field; *MAX says how long it may be), -EINVAL. */
static int topo_key(struct sup_topo_pf *t, const char *k, const char *v,
		    size_t *max)
{
	const char **fields[NKEYS] = { NULL,
				       &t->cfg.mac_base,
				       &t->cfg.trust,
				       &t->cfg.link_state,
				       &t->cfg.guid_base,
				       &t->cfg.guids,
				       &t->cfg.driver,
				       &t->cfg.max_tx_rate,
				       &t->cfg.min_tx_rate,
				       &t->cfg.vlan };
	size_t i;
	char *buf;
	long nv;

	for (i = 0; i < NKEYS && strcmp(k, topo_keys[i]); i++)
		;
	if (i == NKEYS)
		return -ENOENT;
	if (t->given & (1u << i))
		return -EEXIST;
	t->given |= 1u << i;
	if (i == 0) {
		if (vfb_long_parse(v, &nv) || nv < 0 || nv > SUP_MAX_VFS)
			return -EINVAL;
		t->cfg.num_vfs = nv;
		return 0;
	}
	if (fields[i] == &t->cfg.guids) {
		buf = t->guids;
		*max = sizeof(t->guids) - 1;
	} else if (fields[i] == &t->cfg.vlan) {
		buf = t->vlans;
		*max = sizeof(t->vlans) - 1;
	} else {
		buf = t->keys[i];
		*max = sizeof(t->keys[i]) - 1;
	}
	if (strlen(v) > *max)
		return -E2BIG;
	strcpy(buf, v);
	*fields[i] = buf;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = '\0';
	return s;
}

struct topo_reader {
	const char *file, *who;
	const struct sup_setup_cfg *base;
	struct sup_topo_pf *t;
	int *n, line;
	struct sup_topo_extra *extra; /* NULL: [PF] sections only */
	bool in_extra;		      /* the lines are the extra's */
};

/* A "[PF]" line: a new section, its name new, short enough, and room. */
static int topo_section(struct topo_reader *r, char *l)
{
	struct sup_topo_pf *s = &r->t[*r->n];
	char *name;
	int i;

	l[strlen(l) - 1] = '\0';
	name = trim(l + 1);
	r->in_extra = r->extra && !strcmp(name, r->extra->section);
	if (r->in_extra) {
		if (r->extra->seen) {
			vfb_err("%s: %s:%d: [%s] given twice (line %d)", r->who,
				r->file, r->line, name, r->extra->seen);
			return -EINVAL;
		}
		r->extra->seen = r->line;
		return 0;
	}
	if (!*name || strlen(name) >= sizeof(s->pf)) {
		vfb_err("%s: %s:%d: the [PF] name is %s", r->who, r->file,
			r->line, *name ? "longer than 63 characters" : "empty");
		return -EINVAL;
	}
	for (i = 0; i < *r->n; i++)
		if (!strcmp(r->t[i].pf, name)) {
			vfb_err("%s: %s:%d: [%s] given twice (line %d)", r->who,
				r->file, r->line, name, r->t[i].line);
			return -EINVAL;
		}
	if (*r->n == SUP_MAX_TOPO) {
		vfb_err("%s: %s:%d: more than %d [PF] sections (a topology "
			"takes %d PFs at most)",
			r->who, r->file, r->line, SUP_MAX_TOPO, SUP_MAX_TOPO);
		return -EINVAL;
	}
	memset(s, 0, sizeof(*s));
	s->cfg = *r->base;
	strcpy(s->pf, name);
	s->cfg.pf = s->pf;
	s->line = r->line;
	snprintf(s->where, sizeof(s->where), "%.*s: [%s] (line %d): ", PATH_MAX,
		 r->file, s->pf, r->line);
	s->cfg.where = s->where;
	(*r->n)++;
	return 0;
}

/* What RET of a key K says, once, naming the file and line. */
static void topo_key_err(const struct topo_reader *r, int ret, const char *k,
			 size_t max, const char *sect, const char *why)
{
	if (ret == -ENODATA)
		vfb_err("%s: %s:%d: no value for '%s'", r->who, r->file,
			r->line, k);
	else if (ret == -E2BIG)
		vfb_err("%s: %s:%d: the value of %s is longer than %zu "
			"characters",
			r->who, r->file, r->line, k, max);
	else if (ret == -EEXIST)
		vfb_err("%s: %s:%d: %s given twice in [%s]", r->who, r->file,
			r->line, k, sect);
	else if (ret == -ENOENT)
		vfb_err("%s: %s:%d: unknown key '%.60s' in [%s]", r->who,
			r->file, r->line, k, sect);
	else
		vfb_err("%s: %s:%d: bad value for '%.60s'%s%s", r->who, r->file,
			r->line, k, *why ? ": " : "", why);
}

/* KEY = VALUE of the section the lines are in. */
static int topo_kv(struct topo_reader *r, const char *k, const char *v)
{
	struct sup_topo_extra *x = r->extra;
	const char *sect = r->in_extra ? x->section : r->t[*r->n - 1].pf;
	char why[160] = "";
	size_t max = 0;
	int ret;

	if (!*v)
		ret = -ENODATA;
	else if (r->in_extra)
		ret = x->key(x->ctx, k, v, r->line, why, sizeof(why));
	else
		ret = topo_key(&r->t[*r->n - 1], k, v, &max);
	if (ret)
		topo_key_err(r, ret, k, max, sect, why);
	return ret ? -EINVAL : 0;
}

/* One whole line, LEN bytes as read. */
static int topo_line(struct topo_reader *r, char *line, size_t len)
{
	char *l, *eq;

	if (strlen(line) != len) {
		vfb_err("%s: %s:%d: a NUL byte", r->who, r->file, r->line);
		return -EINVAL;
	}
	line[strcspn(line, "#")] = '\0';
	l = trim(line);
	if (!*l)
		return 0;
	if (*l == '[' && l[strlen(l) - 1] == ']')
		return topo_section(r, l);
	eq = strchr(l, '=');
	if (!eq || (!*r->n && !r->in_extra)) {
		vfb_err("%s: %s:%d: expected [PF] or key = value%s: '%.60s'",
			r->who, r->file, r->line, eq ? " after a [PF]" : "", l);
		return -EINVAL;
	}
	*eq = '\0';
	return topo_kv(r, trim(l), trim(eq + 1));
}

/* Every section says how many VFs (or the command line does). */
static int topo_done(const struct topo_reader *r)
{
	int i;

	if (!*r->n && !r->extra) {
		vfb_err("setup: %s: no [PF] section", r->file);
		return -EINVAL;
	}
	for (i = 0; i < *r->n; i++)
		if (r->t[i].cfg.num_vfs < 0) {
			vfb_err("%s: %s:%d: [%s] has no num_vfs", r->who,
				r->file, r->t[i].line, r->t[i].pf);
			return -EINVAL;
		}
	return 0;
}

int sup_topo_read_ext(const char *file, const struct sup_setup_cfg *base,
		      struct sup_topo_pf *t, int *n,
		      struct sup_topo_extra *extra)
{
	struct topo_reader r = {
		file, extra ? extra->who : "setup", base, t, n, 0, extra, false
	};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;
	FILE *f = vfb_file_fopen(file); /* a regular file, never a FIFO */

	*n = 0;
	if (extra)
		extra->seen = 0;
	if (!f) {
		vfb_err("%s: %s%s: %s", r.who, extra ? "" : "--topology ", file,
			vfb_file_strerror(-errno));
		return -EINVAL;
	}
	/* whole lines, however long: a comment's tail is never a line */
	while (!ret && (len = getline(&line, &cap, f)) >= 0) {
		r.line++;
		ret = topo_line(&r, line, (size_t)len);
	}
	if (!ret && ferror(f)) {
		vfb_err("%s: %s: %s", r.who, file, strerror(errno));
		ret = -EINVAL;
	}
	free(line);
	fclose(f);
	return ret ? ret : topo_done(&r);
}

int sup_topo_read(const char *file, const struct sup_setup_cfg *base,
		  struct sup_topo_pf *t, int *n)
{
	return sup_topo_read_ext(file, base, t, n, NULL);
}
