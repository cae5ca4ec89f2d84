/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ids.h"
#include "snapshot.h"
#include "vfsys.h"

#define NETDEV_WAIT_MS 20000

struct vf_snap {
	char bdf[32];
	bool has_nl;
	struct sup_vf_state nl;
	char override[64]; /* "" none */
	char driver[32];   /* "" unbound */
	char mac[24];	   /* the VF netdev's own address, "" no netdev */
	char guid[2][32];  /* mlx5 sysfs node, port; "" not there */
};

struct sup_snap {
	struct sup_pf pf;
	char state_file[PATH_MAX];
	bool state_existed;
	long num_vfs;
	struct vf_snap vf[SUP_MAX_VFS];
};

static const char *const guid_file[2] = { "node", "port" };

static void read_str(const struct vfb_fsroot *root, const char *path, char *buf,
		     size_t len)
{
	if (vfb_fs_read(root, path, buf, len) < 0 || !strcmp(buf, "(null)"))
		buf[0] = '\0';
}

static void netdev_mac(const struct vfb_fsroot *root, const char *bdf,
		       char mac[24])
{
	char dev[32], path[PATH_MAX];

	mac[0] = '\0';
	if (sup_sys_vf_netdev(root, bdf, dev))
		return;
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", dev);
	read_str(root, path, mac, 24);
}

static void take_vf(const struct vfb_fsroot *root, const struct sup_snap *s,
		    unsigned int i, struct vf_snap *v)
{
	char path[PATH_MAX];
	int k;

	v->has_nl = !sup_nl_vf_get(s->pf.netdev, i, &v->nl);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override",
		 v->bdf);
	read_str(root, path, v->override, sizeof(v->override));
	sup_sys_driver(root, v->bdf, v->driver);
	netdev_mac(root, v->bdf, v->mac);
	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/sriov/%u/%s", s->pf.bdf, i,
			 guid_file[k]);
		read_str(root, path, v->guid[k], sizeof(v->guid[k]));
	}
}

struct sup_snap *sup_snap_take(const struct vfb_fsroot *root,
			       const struct sup_req *req, char *err,
			       size_t errlen)
{
	struct sup_snap *s = calloc(1, sizeof(*s));
	long i;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (sup_pf_resolve(root, req->pf, &s->pf, err, errlen)) {
		free(s);
		return NULL;
	}
	snprintf(s->state_file, sizeof(s->state_file), "%s/setup-%s.json",
		 req->state_dir, s->pf.bdf);
	s->state_existed = !access(s->state_file, F_OK);
	s->num_vfs = s->pf.sr.num_vfs;
	for (i = 0; i < s->num_vfs && i < SUP_MAX_VFS; i++) {
		if (sup_vf_bdf(s->pf.bdf, s->pf.sr.offset, s->pf.sr.stride,
			       (unsigned int)i, s->vf[i].bdf,
			       sizeof(s->vf[i].bdf))) {
			snprintf(err, errlen, "%s: VF %ld has no routing ID",
				 s->pf.bdf, i);
			free(s);
			return NULL;
		}
		take_vf(root, s, (unsigned int)i, &s->vf[i]);
	}
	return s;
}

void sup_snap_free(struct sup_snap *s)
{
	free(s);
}

/* First error wins; later ones are counted in the message. */
static int note(int ret, int first, char *err, size_t errlen, const char *why)
{
	if (ret && !first)
		snprintf(err, errlen, "%s", why);
	return first ? first : ret;
}

static int wait_netdev(const struct vfb_fsroot *root, const char *bdf)
{
	struct timespec ts = { 0, 50 * 1000000L };
	char dev[32];
	int waited;

	for (waited = 0; waited < NETDEV_WAIT_MS; waited += 50) {
		if (!sup_sys_vf_netdev(root, bdf, dev))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

/* The count, through 0 as the kernel wants; and autoprobe. */
static int restore_count(const struct vfb_fsroot *root,
			 const struct sup_snap *s, char *err, size_t errlen)
{
	struct sup_pf now;
	char why[256];
	int ret = 0, r;

	if (sup_pf_resolve(root, s->pf.bdf, &now, why, sizeof(why)))
		return note(-ENODEV, 0, err, errlen, why);
	if (now.sr.autoprobe != s->pf.sr.autoprobe) {
		r = sup_sys_write(root, s->pf.bdf, "sriov_drivers_autoprobe",
				  s->pf.sr.autoprobe ? "1" : "0", why,
				  sizeof(why));
		ret = note(r, ret, err, errlen, why);
	}
	r = sup_sys_recount(root, s->pf.bdf, now.sr.num_vfs, s->num_vfs, why,
			    sizeof(why));
	return note(r, ret, err, errlen, why);
}

static int set_vf(const struct sup_snap *s, unsigned int i,
		  const struct sup_vf_value *v, char *why, size_t len)
{
	int r = sup_nl_vf_set(s->pf.netdev, i, v);

	if (r)
		snprintf(why, len, "%s (%s): restoring vf %u %s: %s", s->pf.bdf,
			 s->pf.netdev, i, sup_vf_attr_name(v->attr),
			 strerror(-r));
	return r;
}

/* The rtnetlink settings that differ from the snapshot, read afresh. */
static int restore_nl(const struct sup_snap *s, unsigned int i, char *err,
		      size_t errlen, int ret)
{
	const struct sup_vf_state *want = &s->vf[i].nl;
	struct sup_vf_state now;
	struct sup_vf_value v;
	char why[256];

	if (!s->vf[i].has_nl || sup_nl_vf_get(s->pf.netdev, i, &now))
		return ret;
	if (memcmp(now.mac, want->mac, 6)) {
		v = (struct sup_vf_value){ .attr = SUP_VF_MAC };
		memcpy(v.mac, want->mac, 6);
		ret = note(set_vf(s, i, &v, why, sizeof(why)), ret, err, errlen,
			   why);
	}
	if (want->trust >= 0 && now.trust != want->trust) {
		v = (struct sup_vf_value){ .attr = SUP_VF_TRUST,
					   .u64 = (uint64_t)want->trust };
		ret = note(set_vf(s, i, &v, why, sizeof(why)), ret, err, errlen,
			   why);
	}
	if (want->spoofchk >= 0 && now.spoofchk != want->spoofchk) {
		v = (struct sup_vf_value){ .attr = SUP_VF_SPOOFCHK,
					   .u64 = (uint64_t)want->spoofchk };
		ret = note(set_vf(s, i, &v, why, sizeof(why)), ret, err, errlen,
			   why);
	}
	if (want->link_state >= 0 && now.link_state != want->link_state) {
		v = (struct sup_vf_value){ .attr = SUP_VF_LINK_STATE,
					   .u64 = (uint64_t)want->link_state };
		ret = note(set_vf(s, i, &v, why, sizeof(why)), ret, err, errlen,
			   why);
	}
	if (now.vlan != want->vlan || now.vlan_qos != want->vlan_qos) {
		v = (struct sup_vf_value){ .attr = SUP_VF_VLAN,
					   .u64 = (uint64_t)want->vlan,
					   .vlan_qos =
						   (uint32_t)want->vlan_qos };
		ret = note(set_vf(s, i, &v, why, sizeof(why)), ret, err, errlen,
			   why);
	}
	if (now.max_tx_rate != want->max_tx_rate ||
	    now.min_tx_rate != want->min_tx_rate) {
		v = (struct sup_vf_value){ .attr = SUP_VF_RATE,
					   .max_tx_rate = want->max_tx_rate,
					   .min_tx_rate = want->min_tx_rate };
		ret = note(set_vf(s, i, &v, why, sizeof(why)), ret, err, errlen,
			   why);
	}
	return ret;
}

/* sysfs: mlx5 GUIDs and driver_override, as NOW has them; then, where
 * REBIND, the VF probed again (it was unbound before the rest). */
static int restore_sys(const struct vfb_fsroot *root, const struct sup_snap *s,
		       unsigned int i, const struct vf_snap *now, bool rebind,
		       char *err, size_t errlen, int ret)
{
	const struct vf_snap *want = &s->vf[i];
	char path[PATH_MAX], why[256];
	int k, r;

	for (k = 0; k < 2; k++) {
		if (!want->guid[k][0] || !strcmp(now->guid[k], want->guid[k]))
			continue;
		snprintf(path, sizeof(path), "sriov/%u/%s", i, guid_file[k]);
		r = sup_sys_write(root, s->pf.bdf, path, want->guid[k], why,
				  sizeof(why));
		ret = note(r, ret, err, errlen, why);
	}
	if (strcmp(now->override, want->override)) {
		r = sup_sys_write(root, want->bdf, "driver_override",
				  want->override[0] ? want->override : "\n",
				  why, sizeof(why));
		ret = note(r, ret, err, errlen, why);
	}
	if (!rebind)
		return ret;
	r = sup_sys_rebind(root, want->bdf, want->driver[0] != '\0', why,
			   sizeof(why));
	ret = note(r, ret, err, errlen, why);
	if (!r && want->mac[0] && wait_netdev(root, want->bdf)) {
		snprintf(why, sizeof(why), "%s: no netdev again after %d ms",
			 want->bdf, NETDEV_WAIT_MS);
		ret = note(-ETIMEDOUT, ret, err, errlen, why);
	}
	return ret;
}

/*
 * One VF. A driver takes a new MAC (igbvf) or override only when it
 * probes, so such a VF is probed again; and it is unbound FIRST: a VF
 * driver that goes away resets its function and sends the PF the MAC it
 * holds (igbvf_down -> init_hw -> set MAC), which igb takes from a
 * trusted VF, over a MAC restored just before.
 */
static int restore_vf(const struct vfb_fsroot *root, const struct sup_snap *s,
		      unsigned int i, char *err, size_t errlen, int ret)
{
	const struct vf_snap *want = &s->vf[i];
	struct vf_snap now = { .bdf = "" };
	char why[256];
	bool mac, rebind;
	int r;

	snprintf(now.bdf, sizeof(now.bdf), "%s", want->bdf);
	take_vf(root, s, i, &now);
	mac = want->has_nl && now.has_nl && memcmp(now.nl.mac, want->nl.mac, 6);
	rebind = strcmp(now.driver, want->driver) ||
		 strcmp(now.override, want->override) ||
		 (mac && want->driver[0]) ||
		 (want->mac[0] && strcmp(now.mac, want->mac));
	if (rebind && now.driver[0]) {
		r = sup_sys_rebind(root, want->bdf, false, why, sizeof(why));
		ret = note(r, ret, err, errlen, why);
	}
	ret = restore_nl(s, i, err, errlen, ret);
	return restore_sys(root, s, i, &now, rebind, err, errlen, ret);
}

int sup_snap_restore(const struct vfb_fsroot *root, const struct sup_snap *s,
		     char *err, size_t errlen)
{
	long i;
	int ret;

	ret = restore_count(root, s, err, errlen);
	for (i = 0; i < s->num_vfs && i < SUP_MAX_VFS; i++) {
		/* VFs created again: their netdevs come (autoprobe) first */
		if (s->vf[i].mac[0])
			wait_netdev(root, s->vf[i].bdf);
		ret = restore_vf(root, s, (unsigned int)i, err, errlen, ret);
	}
	if (!s->state_existed)
		unlink(s->state_file);
	return ret;
}
