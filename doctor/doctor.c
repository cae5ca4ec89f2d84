/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"

/* The checklist, in the order a guide walks it: platform, device,
 * firmware, driver and stack, host; each group's checks run in the order
 * of its file's table, where a new check is one entry. */
static const struct dr_check *const *const groups[] = {
	dr_checks_platform, dr_checks_device, dr_checks_firmware,
	dr_checks_stack,    dr_checks_host,
};

#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

const struct dr_check *const *dr_group(size_t i)
{
	return i < NGROUPS ? groups[i] : NULL;
}

/* The run order's check I, NULL past the last. */
static const struct dr_check *check_at(size_t i)
{
	const struct dr_check *const *g;
	size_t k, n;

	for (k = 0; (g = dr_group(k)); k++) {
		for (n = 0; g[n]; n++)
			;
		if (i < n)
			return g[i];
		i -= n;
	}
	return NULL;
}

/* The probes a command did not give: not readable here. */
static int no_pci_caps(void *arg, const char *bdf, struct dr_pci_caps *caps)
{
	(void)arg;
	(void)bdf;
	(void)caps;
	return -ENOTSUP;
}

static int no_run(void *arg, char *const argv[], char *out, size_t len)
{
	(void)arg;
	(void)argv;
	if (len)
		out[0] = '\0';
	return -ENOTSUP;
}

static int no_port_mtu(void *arg, const char *ibdev, int port, int *mtu)
{
	(void)arg;
	(void)ibdev;
	(void)port;
	(void)mtu;
	return -ENOTSUP;
}

static const struct dr_probe_ops no_probes = {
	.pci_caps = no_pci_caps,
	.run = no_run,
	.port_mtu = no_port_mtu,
};

#define SET_PROBE(dst, src, op)                                                \
	do {                                                                   \
		if ((src)->op)                                                 \
			(dst)->op = (src)->op;                                 \
	} while (0)

void dr_probe_ops_set(struct dr_probe_ops *dst, const struct dr_probe_ops *src)
{
	*dst = no_probes;
	if (!src)
		return;
	SET_PROBE(dst, src, pci_caps);
	SET_PROBE(dst, src, run);
	SET_PROBE(dst, src, port_mtu);
}

static const char *const scope_names[] = {
	[DR_HOST] = "host",
	[DR_PF] = "each PF",
	[DR_VF] = "each VF",
	[DR_FN] = "each PF and VF",
	[DR_IBDEV] = "each RDMA device",
};

int dr_check_info(size_t i, struct dr_check_info *info)
{
	const struct dr_check *k = check_at(i);

	if (!k)
		return -ENOENT;
	info->id = k->id;
	info->help = k->help;
	info->scope = scope_names[k->scope];
	info->concerns = k->concerns;
	return 0;
}

static const char *const status_names[] = {
	[DR_PASS] = "pass",
	[DR_WARN] = "warn",
	[DR_FAIL] = "fail",
	[DR_SKIP] = "skip",
};

const char *dr_status_name(enum dr_status s)
{
	return (unsigned)s < 4 ? status_names[s] : "?";
}

void dr_set(struct dr_result *r, enum dr_status status, const char *fix,
	    const char *fmt, ...)
{
	va_list ap;

	r->status = status;
	snprintf(r->fix, sizeof(r->fix), "%s", fix);
	va_start(ap, fmt);
	vsnprintf(r->evidence, sizeof(r->evidence), fmt, ap);
	va_end(ap);
}

int dr_pci_read(const struct dr_ctx *c, const char *bdf, const char *attr,
		char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	return vfb_fs_read(c->root, path, buf, len);
}

int dr_pci_long(const struct dr_ctx *c, const char *bdf, const char *attr,
		long *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	return vfb_fs_read_long(c->root, path, val);
}

/* A module's name matches the file's base name with '-' as '_'. */
static bool module_line(const char *line, const char *name)
{
	const char *base, *end = strstr(line, ".ko");
	size_t i, n = strlen(name);

	if (!end)
		return false;
	for (base = end; base > line && base[-1] != '/'; base--)
		;
	if ((size_t)(end - base) != n)
		return false;
	for (i = 0; i < n; i++)
		if (base[i] != name[i] &&
		    !((base[i] == '-' || base[i] == '_') &&
		      (name[i] == '-' || name[i] == '_')))
			return false;
	return true;
}

static bool listed(const struct dr_ctx *c, const char *file, const char *name)
{
	char rel[128], path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	bool found = false;
	FILE *f;
	int fd;

	if (vfb_fs_read(c->root, "/proc/sys/kernel/osrelease", rel,
			sizeof(rel)) <= 0)
		return false;
	snprintf(path, sizeof(path), "/lib/modules/%s/%s", rel, file);
	fd = vfb_fs_open(c->root, path, O_RDONLY);
	if (fd < 0)
		return false;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return false;
	}
	while (!found && getline(&line, &cap, f) > 0)
		found = module_line(strtok(line, ":\n"), name);
	free(line);
	fclose(f);
	return found;
}

enum dr_module dr_module_state(const struct dr_ctx *c, const char *name)
{
	char path[PATH_MAX], alt[64];
	size_t i;

	snprintf(alt, sizeof(alt), "%s", name);
	for (i = 0; alt[i]; i++)
		if (alt[i] == '-')
			alt[i] = '_';
	snprintf(path, sizeof(path), "/sys/module/%s", alt);
	if (vfb_fs_exists(c->root, path) || listed(c, "modules.builtin", name))
		return DR_MOD_LOADED;
	return listed(c, "modules.dep", name) ? DR_MOD_INSTALLED :
						DR_MOD_ABSENT;
}

struct walk {
	struct dr_ctx *c;
	const char *dir;
};

static int add_pf(const char *name, void *arg)
{
	struct walk *w = arg;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/sriov_totalvfs", w->dir, name);
	if (w->c->npfs < DR_MAX_FN && vfb_fs_exists(w->c->root, path))
		snprintf(w->c->pfs[w->c->npfs++], DR_NAME, "%s", name);
	return 0;
}

static int add_vf(const char *name, void *arg)
{
	struct walk *w = arg;
	char path[PATH_MAX];

	if (strncmp(name, "virtfn", 6) || w->c->nvfs >= DR_MAX_FN)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", w->dir, name);
	if (!vfb_fs_link_name(w->c->root, path, w->c->vfs[w->c->nvfs], DR_NAME))
		w->c->nvfs++;
	return 0;
}

/* The PCI function behind RDMA device NAME: its own, or its netdev's. */
static void ibdev_function(const struct dr_ctx *c, const char *name, char *bdf,
			   size_t len)
{
	char path[PATH_MAX], ndev[64];

	bdf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/class/infiniband/%s/device", name);
	if (!vfb_fs_link_name(c->root, path, bdf, len))
		return;
	snprintf(path, sizeof(path), "/sys/class/infiniband/%s/parent", name);
	if (vfb_fs_read(c->root, path, ndev, sizeof(ndev)) <= 0)
		return;
	snprintf(path, sizeof(path), "/sys/class/net/%s/device", ndev);
	vfb_fs_link_name(c->root, path, bdf, len);
}

static bool in_scope(const struct dr_ctx *c, const char *bdf)
{
	int i;

	if (!c->cfg->pf)
		return true;
	for (i = 0; i < c->npfs; i++)
		if (!strcmp(c->pfs[i], bdf))
			return true;
	for (i = 0; i < c->nvfs; i++)
		if (!strcmp(c->vfs[i], bdf))
			return true;
	return false;
}

static bool wanted(const struct dr_ctx *c, const char *name)
{
	int i;

	for (i = 0; i < c->cfg->ndevices; i++)
		if (!strcmp(c->cfg->devices[i], name))
			return true;
	return !c->cfg->ndevices;
}

static int add_ibdev(const char *name, void *arg)
{
	struct dr_ctx *c = arg;
	char bdf[DR_NAME];

	ibdev_function(c, name, bdf, sizeof(bdf));
	if (c->nibdevs < DR_MAX_FN && in_scope(c, bdf) && wanted(c, name))
		snprintf(c->ibdevs[c->nibdevs++], DR_NAME, "%s", name);
	return 0;
}

/* --pf as a netdev: the BDF of the function under it. */
static void pf_bdf(const struct dr_ctx *c, char *bdf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/class/net/%s/device", c->cfg->pf);
	if (vfb_fs_link_name(c->root, path, bdf, len))
		snprintf(bdf, len, "%s", c->cfg->pf);
}

static int discover(struct dr_ctx *c)
{
	struct walk w = { c, "/sys/bus/pci/devices" };
	char dir[PATH_MAX], want[DR_NAME];
	int i, n;

	vfb_fs_list(c->root, w.dir, add_pf, &w);
	if (c->cfg->pf) {
		pf_bdf(c, want, sizeof(want));
		for (i = 0; i < c->npfs && strcmp(c->pfs[i], want); i++)
			;
		if (i == c->npfs)
			return -ENODEV;
		memmove(c->pfs[0], c->pfs[i], DR_NAME);
		c->npfs = 1;
	}
	for (i = 0, n = c->npfs; i < n; i++) {
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s",
			 c->pfs[i]);
		w.dir = dir;
		vfb_fs_list(c->root, dir, add_vf, &w);
	}
	vfb_fs_list(c->root, "/sys/class/infiniband", add_ibdev, c);
	return 0;
}

static int run_one(const struct dr_ctx *c, const struct dr_check *k,
		   const char *subject, dr_emit_fn emit, void *arg)
{
	struct dr_result r = { .id = k->id };

	snprintf(r.subject, sizeof(r.subject), "%s", subject ? subject : "");
	k->run(c, subject, &r);
	emit(&r, arg);
	return r.status == DR_FAIL;
}

/* A scope with no subject still answers, once: skip, saying why. */
static int run_none(const struct dr_check *k, const char *what, dr_emit_fn emit,
		    void *arg)
{
	struct dr_result r = { .id = k->id, .status = DR_SKIP };

	snprintf(r.evidence, sizeof(r.evidence), "no %s found", what);
	emit(&r, arg);
	return 0;
}

static int run_each(const struct dr_ctx *c, const struct dr_check *k,
		    char (*subjects)[DR_NAME], int n, dr_emit_fn emit,
		    void *arg)
{
	int fails = 0, i;

	for (i = 0; i < n; i++)
		fails += run_one(c, k, subjects[i], emit, arg);
	return fails;
}

static int run_scope(struct dr_ctx *c, const struct dr_check *k,
		     dr_emit_fn emit, void *arg)
{
	switch (k->scope) {
	case DR_HOST:
		return run_one(c, k, NULL, emit, arg);
	case DR_PF:
	case DR_FN:
		if (!c->npfs)
			return run_none(k, "SR-IOV physical function", emit,
					arg);
		return run_each(c, k, c->pfs, c->npfs, emit, arg) +
		       (k->scope == DR_FN ?
				run_each(c, k, c->vfs, c->nvfs, emit, arg) :
				0);
	case DR_VF:
		if (!c->nvfs)
			return run_none(k, "enabled VF", emit, arg);
		return run_each(c, k, c->vfs, c->nvfs, emit, arg);
	case DR_IBDEV:
		if (!c->nibdevs)
			return run_none(k, "RDMA device", emit, arg);
		return run_each(c, k, c->ibdevs, c->nibdevs, emit, arg);
	}
	return 0;
}

int dr_run(const struct dr_config *cfg, dr_emit_fn emit, void *arg)
{
	struct dr_ctx *c = calloc(1, sizeof(*c));
	const struct dr_check *k;
	int fails = 0, ret;
	size_t i;

	if (!c)
		return -ENOMEM;
	c->cfg = cfg;
	c->root = cfg->root;
	dr_probe_ops_set(&c->ops, cfg->ops);
	ret = discover(c);
	for (i = 0; !ret && (k = check_at(i)); i++)
		if (!cfg->concerns || (k->concerns & cfg->concerns))
			fails += run_scope(c, k, emit, arg);
	free(c);
	return ret ? ret : fails;
}
