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
	"num_vfs", "mac_base", "trust",	      "link_state", "guid_base",
	"guids",   "driver",   "max_tx_rate", "min_tx_rate"
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
				       &t->cfg.min_tx_rate };
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
	buf = fields[i] == &t->cfg.guids ? t->guids : t->keys[i];
	*max = (fields[i] == &t->cfg.guids ? sizeof(t->guids) :
					     sizeof(t->keys[i])) -
	       1;
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
	const char *file;
	const struct sup_setup_cfg *base;
	struct sup_topo_pf *t;
	int *n, line;
};

/* A "[PF]" line: a new section, its name new, short enough, and room. */
static int topo_section(struct topo_reader *r, char *l)
{
	struct sup_topo_pf *s = &r->t[*r->n];
	char *name;
	int i;

	l[strlen(l) - 1] = '\0';
	name = trim(l + 1);
	if (!*name || strlen(name) >= sizeof(s->pf)) {
		vfb_err("setup: %s:%d: the [PF] name is %s", r->file, r->line,
			*name ? "longer than 63 characters" : "empty");
		return -EINVAL;
	}
	for (i = 0; i < *r->n; i++)
		if (!strcmp(r->t[i].pf, name)) {
			vfb_err("setup: %s:%d: [%s] given twice (line %d)",
				r->file, r->line, name, r->t[i].line);
			return -EINVAL;
		}
	if (*r->n == SUP_MAX_TOPO) {
		vfb_err("setup: %s:%d: more than %d [PF] sections (a topology "
			"takes %d PFs at most)",
			r->file, r->line, SUP_MAX_TOPO, SUP_MAX_TOPO);
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

/* One whole line, LEN bytes as read. */
static int topo_line(struct topo_reader *r, char *line, size_t len)
{
	char *l, *eq, *k, *v;
	size_t max = 0;
	int ret;

	if (strlen(line) != len) {
		vfb_err("setup: %s:%d: a NUL byte", r->file, r->line);
		return -EINVAL;
	}
	line[strcspn(line, "#")] = '\0';
	l = trim(line);
	if (!*l)
		return 0;
	if (*l == '[' && l[strlen(l) - 1] == ']')
		return topo_section(r, l);
	eq = strchr(l, '=');
	if (!eq || !*r->n) {
		vfb_err("setup: %s:%d: expected [PF] or key = value%s: '%.60s'",
			r->file, r->line, eq ? " after a [PF]" : "", l);
		return -EINVAL;
	}
	*eq = '\0';
	k = trim(l);
	v = trim(eq + 1);
	ret = *v ? topo_key(&r->t[*r->n - 1], k, v, &max) : -ENODATA;
	if (ret == -ENODATA)
		vfb_err("setup: %s:%d: no value for '%s'", r->file, r->line, k);
	else if (ret == -E2BIG)
		vfb_err("setup: %s:%d: the value of %s is longer than %zu "
			"characters",
			r->file, r->line, k, max);
	else if (ret == -EEXIST)
		vfb_err("setup: %s:%d: %s given twice in [%s]", r->file,
			r->line, k, r->t[*r->n - 1].pf);
	else if (ret)
		vfb_err("setup: %s:%d: %s '%.60s'", r->file, r->line,
			ret == -ENOENT ? "unknown key" : "bad value for", k);
	return ret ? -EINVAL : 0;
}

/* Every section says how many VFs (or the command line does). */
static int topo_done(const struct topo_reader *r)
{
	int i;

	if (!*r->n) {
		vfb_err("setup: %s: no [PF] section", r->file);
		return -EINVAL;
	}
	for (i = 0; i < *r->n; i++)
		if (r->t[i].cfg.num_vfs < 0) {
			vfb_err("setup: %s:%d: [%s] has no num_vfs", r->file,
				r->t[i].line, r->t[i].pf);
			return -EINVAL;
		}
	return 0;
}

int sup_topo_read(const char *file, const struct sup_setup_cfg *base,
		  struct sup_topo_pf *t, int *n)
{
	struct topo_reader r = { file, base, t, n, 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;
	FILE *f = vfb_file_fopen(file); /* a regular file, never a FIFO */

	*n = 0;
	if (!f) {
		vfb_err("setup: --topology %s: %s", file,
			vfb_file_strerror(-errno));
		return -EINVAL;
	}
	/* whole lines, however long: a comment's tail is never a line */
	while (!ret && (len = getline(&line, &cap, f)) >= 0) {
		r.line++;
		ret = topo_line(&r, line, (size_t)len);
	}
	if (!ret && ferror(f)) {
		vfb_err("setup: --topology %s: %s", file, strerror(errno));
		ret = -EINVAL;
	}
	free(line);
	fclose(f);
	return ret ? ret : topo_done(&r);
}
