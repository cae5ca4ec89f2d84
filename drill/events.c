/* SPDX-License-Identifier: MIT */
/* The drill's events: one entry each (what, how, undo, recovery), the
 * host reached only through struct drl_sys. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drill.h"

#define IFF_UP_BIT 0x1L

static void dev_path(char *buf, size_t len, const char *bdf, const char *attr)
{
	snprintf(buf, len, "/sys/bus/pci/devices/%s/%s", bdf, attr);
}

static int put(const struct drl_sys *sys, const char *path, const char *val,
	       char *err, size_t errlen)
{
	int ret = sys->write(sys->ctx, path, val);

	if (ret)
		snprintf(err, errlen, "writing %s to %s: %s", val, path,
			 strerror(-ret));
	return ret;
}

/* vf-flr: the function's reset attribute (a function-level reset where
 * the device has one; the kernel picks the method). */
static int flr_perform(const struct drl_sys *sys, const struct drl_target *t,
		       struct drl_undo *u, char *out, size_t len)
{
	char path[128];
	int ret;

	(void)u;
	dev_path(path, sizeof(path), t->vf_bdf, "reset");
	if (!sys->exists(sys->ctx, path)) {
		snprintf(out, len,
			 "%s has no reset attribute: the kernel knows no "
			 "reset method for it",
			 t->vf_bdf);
		return -EOPNOTSUPP;
	}
	ret = put(sys, path, "1", out, len);
	if (ret)
		return ret;
	snprintf(out, len, "reset written: the kernel reset %s", t->vf_bdf);
	return 0;
}

static int nothing_restore(const struct drl_sys *sys,
			   const struct drl_target *t, struct drl_undo *u,
			   char *err, size_t errlen)
{
	(void)sys, (void)t, (void)u, (void)err, (void)errlen;
	return 0;
}

static void drv_path(char *buf, size_t len, const char *drv, const char *op)
{
	snprintf(buf, len, "/sys/bus/pci/drivers/%s/%s", drv, op);
}

static int bind(const struct drl_sys *sys, const struct drl_target *t,
		struct drl_undo *u, char *err, size_t errlen)
{
	char path[128];
	int ret;

	drv_path(path, sizeof(path), t->driver, "bind");
	ret = put(sys, path, t->vf_bdf, err, errlen);
	if (!ret)
		u->unbound = false;
	return ret;
}

/* vf-rebind: unbind from its driver, bind again. */
static int rebind_perform(const struct drl_sys *sys, const struct drl_target *t,
			  struct drl_undo *u, char *out, size_t len)
{
	char path[128];
	int ret;

	if (!t->driver[0]) {
		snprintf(out, len, "%s has no driver bound", t->vf_bdf);
		return -EOPNOTSUPP;
	}
	drv_path(path, sizeof(path), t->driver, "unbind");
	ret = put(sys, path, t->vf_bdf, out, len);
	if (ret)
		return ret;
	u->unbound = true;
	ret = bind(sys, t, u, out, len);
	if (!ret)
		snprintf(out, len, "%s unbound from %s and bound again",
			 t->vf_bdf, t->driver);
	return ret;
}

static int rebind_restore(const struct drl_sys *sys, const struct drl_target *t,
			  struct drl_undo *u, char *err, size_t errlen)
{
	return u->unbound ? bind(sys, t, u, err, errlen) : 0;
}

static int link_back(const struct drl_sys *sys, const struct drl_target *t,
		     struct drl_undo *u, char *err, size_t errlen)
{
	int ret = sys->vf_link_set(sys->ctx, t->pf_netdev, t->vf, u->link_was);

	if (ret)
		snprintf(err, errlen, "%s vf %u link_state %d: %s",
			 t->pf_netdev, t->vf, u->link_was, strerror(-ret));
	else
		u->link_down = false;
	return ret;
}

/* vf-link-flap: link_state disable, then what it was (auto). */
static int vflink_perform(const struct drl_sys *sys, const struct drl_target *t,
			  struct drl_undo *u, char *out, size_t len)
{
	int was = sys->vf_link_get(sys->ctx, t->pf_netdev, t->vf), ret;

	u->link_was = was < 0 ? 0 : was;
	ret = sys->vf_link_set(sys->ctx, t->pf_netdev, t->vf, 2);
	if (ret) {
		snprintf(out, len, "%s vf %u link_state disable: %s",
			 t->pf_netdev, t->vf, strerror(-ret));
		return ret;
	}
	u->link_down = true;
	sys->sleep_ms(sys->ctx, t->hold_ms);
	ret = link_back(sys, t, u, out, len);
	if (!ret)
		snprintf(out, len,
			 "%s vf %u link_state disable for %u ms then %s",
			 t->pf_netdev, t->vf, t->hold_ms,
			 u->link_was == 1 ? "enable" : "auto");
	return ret;
}

static int vflink_restore(const struct drl_sys *sys, const struct drl_target *t,
			  struct drl_undo *u, char *err, size_t errlen)
{
	return u->link_down ? link_back(sys, t, u, err, errlen) : 0;
}

/* The VF's function is on the bus again after a rescan; if it is not,
 * the PF's VFs are created again (sriov_numvfs 0, then N). */
static int rescan(const struct drl_sys *sys, const struct drl_target *t,
		  struct drl_undo *u, char *err, size_t errlen)
{
	char path[128], n[24];
	int ret;

	ret = put(sys, "/sys/bus/pci/rescan", "1", err, errlen);
	if (ret)
		return ret;
	dev_path(path, sizeof(path), t->vf_bdf, "vendor");
	if (sys->exists(sys->ctx, path)) {
		u->removed = false;
		return 0;
	}
	dev_path(path, sizeof(path), t->pf_bdf, "sriov_numvfs");
	snprintf(n, sizeof(n), "%ld", t->num_vfs);
	ret = put(sys, path, "0", err, errlen);
	if (!ret)
		ret = put(sys, path, n, err, errlen);
	if (!ret) {
		u->removed = false;
		u->reconfigure = true;
	}
	return ret;
}

/* vf-remove: PCI remove, then a rescan of the bus. */
static int remove_perform(const struct drl_sys *sys, const struct drl_target *t,
			  struct drl_undo *u, char *out, size_t len)
{
	char path[128];
	int ret;

	dev_path(path, sizeof(path), t->vf_bdf, "remove");
	if (!sys->exists(sys->ctx, path)) {
		/* 6.1 hides remove/rescan on VFs (is_virtfn) */
		snprintf(out, len,
			 "%s has no remove attribute: this kernel does not "
			 "remove a VF through sysfs",
			 t->vf_bdf);
		return -EOPNOTSUPP;
	}
	ret = put(sys, path, "1", out, len);
	if (ret)
		return ret;
	u->removed = true;
	sys->sleep_ms(sys->ctx, t->hold_ms);
	ret = rescan(sys, t, u, out, len);
	if (!ret)
		snprintf(out, len, "%s removed; %s", t->vf_bdf,
			 u->reconfigure ?
				 "a rescan did not bring it back: the PF's "
				 "VFs created again (sriov_numvfs 0 then N)" :
				 "a rescan brought it back");
	return ret;
}

static int remove_restore(const struct drl_sys *sys, const struct drl_target *t,
			  struct drl_undo *u, char *err, size_t errlen)
{
	return u->removed ? rescan(sys, t, u, err, errlen) : 0;
}

static int pf_flags(const struct drl_sys *sys, const struct drl_target *t,
		    long flags, char *err, size_t errlen)
{
	char path[96], val[24];

	snprintf(path, sizeof(path), "/sys/class/net/%s/flags", t->pf_netdev);
	snprintf(val, sizeof(val), "0x%lx", flags);
	return put(sys, path, val, err, errlen);
}

/* pf-link-flap: the PF's netdev down (IFF_UP cleared), then up. */
static int pflink_perform(const struct drl_sys *sys, const struct drl_target *t,
			  struct drl_undo *u, char *out, size_t len)
{
	char path[96], buf[32];
	int ret;

	snprintf(path, sizeof(path), "/sys/class/net/%s/flags", t->pf_netdev);
	ret = sys->read(sys->ctx, path, buf, sizeof(buf));
	if (ret <= 0) {
		snprintf(out, len, "reading %s: %s", path,
			 strerror(ret ? -ret : EINVAL));
		return ret ? ret : -EINVAL;
	}
	u->flags_was = strtol(buf, NULL, 0);
	ret = pf_flags(sys, t, u->flags_was & ~IFF_UP_BIT, out, len);
	if (ret)
		return ret;
	u->pf_down = true;
	sys->sleep_ms(sys->ctx, t->hold_ms);
	ret = pf_flags(sys, t, u->flags_was | IFF_UP_BIT, out, len);
	if (ret)
		return ret;
	u->pf_down = false;
	snprintf(out, len, "%s down for %u ms then up", t->pf_netdev,
		 t->hold_ms);
	return 0;
}

static int pflink_restore(const struct drl_sys *sys, const struct drl_target *t,
			  struct drl_undo *u, char *err, size_t errlen)
{
	int ret;

	if (!u->pf_down)
		return 0;
	ret = pf_flags(sys, t, u->flags_was | IFF_UP_BIT, err, errlen);
	if (!ret)
		u->pf_down = false;
	return ret;
}

/* numvfs-in-use: another VF count while VFs carry traffic. The kernel
 * refuses a change between two non-zero counts (EBUSY); a driver that
 * took it has its count put back (0, then N) and setup's settings. */
static int numvfs_perform(const struct drl_sys *sys, const struct drl_target *t,
			  struct drl_undo *u, char *out, size_t len)
{
	long want = t->num_vfs < t->total_vfs ? t->num_vfs + 1 : t->num_vfs - 1;
	char path[128], n[24];
	int ret;

	if (want < 1) {
		snprintf(out, len,
			 "%s: no other non-zero VF count (%ld of %ld)",
			 t->pf_bdf, t->num_vfs, t->total_vfs);
		return -EOPNOTSUPP;
	}
	dev_path(path, sizeof(path), t->pf_bdf, "sriov_numvfs");
	snprintf(n, sizeof(n), "%ld", want);
	ret = sys->write(sys->ctx, path, n);
	if (ret) {
		snprintf(out, len, "sriov_numvfs %ld -> %ld refused: %s",
			 t->num_vfs, want, strerror(-ret));
		return 0; /* a refusal is the expected outcome */
	}
	u->numvfs = true;
	u->numvfs_now = want;
	snprintf(out, len,
		 "sriov_numvfs %ld -> %ld accepted while in use: put back",
		 t->num_vfs, want);
	return 0;
}

static int numvfs_restore(const struct drl_sys *sys, const struct drl_target *t,
			  struct drl_undo *u, char *err, size_t errlen)
{
	char path[128], n[24];
	int ret;

	if (!u->numvfs)
		return 0;
	dev_path(path, sizeof(path), t->pf_bdf, "sriov_numvfs");
	snprintf(n, sizeof(n), "%ld", t->num_vfs);
	ret = put(sys, path, "0", err, errlen);
	if (!ret)
		ret = put(sys, path, n, err, errlen);
	if (!ret) {
		u->numvfs = false;
		u->reconfigure = true;
	}
	return ret;
}

int drl_repair(const struct drl_sys *sys, const struct drl_target *t, char *out,
	       size_t len)
{
	struct drl_undo u = { 0 };
	int ret = rebind_perform(sys, t, &u, out, len);

	if (u.unbound && rebind_restore(sys, t, &u, out, len))
		return ret ? ret : -EIO;
	return ret;
}

static const struct drl_event events[] = {
	{ .name = "vf-flr",
	  .help = "a function-level reset of the target VF",
	  .how = "write 1 to /sys/bus/pci/devices/VF/reset",
	  .undo = "nothing: the reset ends by itself",
	  .recovery = "its driver re-initialises it and its RDMA device "
		      "(rxe: the link on its netdev) serves a new session",
	  .target_down = true,
	  .perform = flr_perform,
	  .restore = nothing_restore },
	{ .name = "vf-rebind",
	  .help = "the target VF's driver unbound and bound again",
	  .how = "write VF to /sys/bus/pci/drivers/DRV/unbind, then bind",
	  .undo = "bind it to DRV again if it is left unbound",
	  .recovery = "its netdev and RDMA device are created again (rxe: "
		      "'rdma link add' on the new netdev, the lab's watcher "
		      "does it) and a new session measures",
	  .target_down = true,
	  .perform = rebind_perform,
	  .restore = rebind_restore },
	{ .name = "vf-link-flap",
	  .help = "the target VF's link disabled by its PF, then back",
	  .how = "rtnetlink IFLA_VF_LINK_STATE disable, --hold ms, then "
		 "what it was (auto)",
	  .undo = "IFLA_VF_LINK_STATE as it was before",
	  .recovery = "the VF's carrier back and a new session measures",
	  .target_down = true,
	  .perform = vflink_perform,
	  .restore = vflink_restore },
	{ .name = "vf-remove",
	  .help = "the target VF hot-unplugged, then the bus rescanned",
	  .how = "write 1 to /sys/bus/pci/devices/VF/remove, --hold ms, write "
		 "1 to /sys/bus/pci/rescan (no VF: sriov_numvfs 0, then N)",
	  .undo = "a rescan; the VFs created again when that does not bring "
		  "it back, setup's settings put back from the snapshot",
	  .recovery = "the function, its netdev and its RDMA device found "
		      "again by its PCI address, and a new session measures",
	  .target_down = true,
	  .perform = remove_perform,
	  .restore = remove_restore },
	{ .name = "pf-link-flap",
	  .help = "the PF's netdev down, then up",
	  .how = "clear IFF_UP in /sys/class/net/PF/flags, --hold ms, set it",
	  .undo = "set IFF_UP again",
	  .recovery = "the PF's and its VFs' links back; the target measures "
		      "in a session (a new one if its traffic stopped)",
	  .target_down = false,
	  .perform = pflink_perform,
	  .restore = pflink_restore },
	{ .name = "numvfs-in-use",
	  .help = "the PF's VF count changed while its VFs carry traffic",
	  .how = "write N+1 (N-1 at the maximum) to the PF's sriov_numvfs: "
		 "the kernel refuses (EBUSY), which is what is expected",
	  .undo = "if it was taken: sriov_numvfs 0, then N, and setup's "
		  "settings put back from the snapshot",
	  .recovery = "nothing to recover when refused; else the VFs as "
		      "setup left them and a new session measures",
	  .target_down = false,
	  .perform = numvfs_perform,
	  .restore = numvfs_restore },
};

#define NEVENTS (sizeof(events) / sizeof(events[0]))

const struct drl_event *drl_events(size_t *n)
{
	*n = NEVENTS;
	return events;
}

const struct drl_event *drl_event_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < NEVENTS; i++)
		if (!strcmp(events[i].name, name))
			return &events[i];
	return NULL;
}

void drl_event_names(char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < NEVENTS && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", events[i].name);
}

int drl_events_parse(const char *list, const struct drl_event **out, size_t max,
		     char *err, size_t errlen)
{
	char buf[256], names[160], *tok, *save = NULL;
	size_t n = 0, i;

	if (!list || !*list || strlen(list) >= sizeof(buf) ||
	    strstr(list, ",,") || list[0] == ',' ||
	    list[strlen(list) - 1] == ',') {
		snprintf(err, errlen,
			 "say the events as a comma list without empty items");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	drl_event_names(names, sizeof(names));
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		const struct drl_event *e = drl_event_find(tok);

		for (i = 0; e && i < n && out[i] != e; i++)
			;
		if (!e || i < n || n == max) {
			snprintf(err, errlen,
				 "events are %s, each once: not '%s'", names,
				 tok);
			return -EINVAL;
		}
		out[n++] = e;
	}
	return (int)n;
}
