/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "plan.h"
#include "topology.h"

static int topo_key(struct bench_topo_pf *t, const char *k, const char *v)
{
	static const char *const names[] = {
		"num_vfs", "mac_base", "trust",	      "link_state", "guid_base",
		"guids",   "driver",   "max_tx_rate", "min_tx_rate"
	};
	const char **fields[] = { NULL,
				  &t->cfg.mac_base,
				  &t->cfg.trust,
				  &t->cfg.link_state,
				  &t->cfg.guid_base,
				  &t->cfg.guids,
				  &t->cfg.driver,
				  &t->cfg.max_tx_rate,
				  &t->cfg.min_tx_rate };
	const int nkeys = sizeof(names) / sizeof(names[0]);
	char *end;
	int i;

	for (i = 0; i < nkeys && strcmp(k, names[i]); i++)
		;
	if (i == nkeys)
		return -ENOENT;
	if (i == 0) {
		t->cfg.num_vfs = strtol(v, &end, 10);
		return *end || t->cfg.num_vfs < 0 ||
				       t->cfg.num_vfs > SUP_MAX_VFS ?
			       -EINVAL :
			       0;
	}
	snprintf(t->keys[i], sizeof(t->keys[i]), "%s", v);
	*fields[i] = t->keys[i];
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

int bench_topo_read(const char *file, const struct bench_setup_cfg *base,
		    struct bench_topo_pf *t, int *n)
{
	char line[512], *l, *eq;
	int lineno = 0, ret = 0;
	FILE *f = fopen(file, "r");

	*n = 0;
	if (!f) {
		vfb_err("setup: --topology %s: %s", file, strerror(errno));
		return -EINVAL;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		lineno++;
		l = line;
		l[strcspn(l, "#")] = '\0';
		l = trim(l);
		if (!*l)
			continue;
		if (*l == '[' && l[strlen(l) - 1] == ']' &&
		    *n < BENCH_MAX_TOPO) {
			l[strlen(l) - 1] = '\0';
			t[*n].cfg = *base;
			snprintf(t[*n].pf, sizeof(t[*n].pf), "%s", trim(l + 1));
			t[*n].cfg.pf = t[*n].pf;
			(*n)++;
			continue;
		}
		eq = strchr(l, '=');
		if (!eq || !*n) {
			vfb_err("setup: %s:%d: expected [PF] or key = value: '%s'",
				file, lineno, l);
			ret = -EINVAL;
			break;
		}
		*eq = '\0';
		ret = topo_key(&t[*n - 1], trim(l), trim(eq + 1));
		if (ret)
			vfb_err("setup: %s:%d: %s '%s'", file, lineno,
				ret == -ENOENT ? "unknown key" :
						 "bad value for",
				trim(l));
	}
	fclose(f);
	if (!ret && !*n) {
		vfb_err("setup: %s: no [PF] section", file);
		ret = -EINVAL;
	}
	return ret;
}
