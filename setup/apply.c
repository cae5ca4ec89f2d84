/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <ifaddrs.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "file.h"
#include "ids.h"
#include "log.h"
#include "plan.h"
#include "snapshot.h"
#include "vfsys.h"

#define STATE_SCHEMA "vfbench-setup/1"

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void state_path(const struct sup_req *req, const char *bdf, char *buf,
		       size_t len)
{
	snprintf(buf, len, "%s/setup-%s.json", req->state_dir, bdf);
}

/* Up with an address other than IPv6 link-local: somebody uses it. */
static bool netdev_in_use(const char *name)
{
	struct ifaddrs *ifa, *a;
	bool used = false;

	if (getifaddrs(&ifa))
		return false;
	for (a = ifa; a && !used; a = a->ifa_next) {
		if (!a->ifa_addr || strcmp(a->ifa_name, name))
			continue;
		if (a->ifa_addr->sa_family == AF_INET ||
		    (a->ifa_addr->sa_family == AF_INET6 &&
		     !IN6_IS_ADDR_LINKLOCAL(
			     &((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr)))
			used = true;
	}
	freeifaddrs(ifa);
	return used;
}

/* Refuse to remove VFs that are in use, unless forced. */
static int check_in_use(const struct vfb_fsroot *root, const struct sup_pf *pf,
			bool force, char *err, size_t errlen)
{
	char bdf[32], dev[32];
	long i;

	for (i = 0; !force && i < pf->sr.num_vfs; i++) {
		if (sup_vf_bdf(pf->bdf, pf->sr.offset, pf->sr.stride,
			       (unsigned int)i, bdf, sizeof(bdf)) ||
		    sup_sys_vf_netdev(root, bdf, dev))
			continue;
		if (netdev_in_use(dev)) {
			snprintf(
				err, errlen,
				"%s: VF %ld (%s) is up with addresses: in use; --force to change it anyway",
				pf->bdf, i, dev);
			return -EBUSY;
		}
	}
	return 0;
}

static int wait_netdevs(const struct vfb_fsroot *root, const struct sup_plan *p,
			long n, int timeout_ms, char *err, size_t errlen)
{
	char dev[32];
	int waited;
	long i = 0;

	for (waited = 0; waited <= timeout_ms; waited += 50) {
		while (i < n && !sup_sys_vf_netdev(root, p->vf_bdf[i], dev))
			i++;
		if (i == n)
			return 0;
		sleep_ms(50);
	}
	snprintf(err, errlen, "%s: VF %ld (%s) has no netdev after %d ms",
		 p->pf.bdf, i, p->vf_bdf[i], timeout_ms);
	return -ETIMEDOUT;
}

/* A rate is checked against the PF's link speed (igb: EINVAL while the
 * link is down, as it is for a moment after SR-IOV resets the port). */
static int wait_carrier(const struct vfb_fsroot *root, const struct sup_plan *p,
			int timeout_ms, char *err, size_t errlen)
{
	char path[PATH_MAX];
	long up = 0;
	int waited;

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", p->pf.netdev);
	for (waited = 0; waited <= timeout_ms; waited += 50) {
		if (!vfb_fs_read_long(root, path, &up) && up)
			return 0;
		sleep_ms(50);
	}
	snprintf(err, errlen,
		 "%s (%s): no carrier after %d ms: a VF rate "
		 "needs the PF's link up",
		 p->pf.bdf, p->pf.netdev, timeout_ms);
	return -ENETDOWN;
}

/* mlx5 (InfiniBand) takes GUIDs in sysfs where netlink says no. */
static int mlx5_guid(const struct vfb_fsroot *root, const struct sup_plan *p,
		     const struct sup_step *s)
{
	char path[PATH_MAX], val[32];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/sriov/%u/%s",
		 p->pf.bdf, s->vf,
		 s->v.attr == SUP_VF_NODE_GUID ? "node" : "port");
	if (!vfb_fs_exists(root, path))
		return -EOPNOTSUPP;
	sup_guid_format(s->v.u64, val, sizeof(val));
	return vfb_fs_write(root, path, val);
}

static int vf_step(const struct vfb_fsroot *root, const struct sup_plan *p,
		   const struct sup_step *s, char *err, size_t errlen)
{
	int ret = sup_nl_vf_set(p->pf.netdev, s->vf, &s->v);

	if (ret == -EOPNOTSUPP &&
	    (s->v.attr == SUP_VF_NODE_GUID || s->v.attr == SUP_VF_PORT_GUID))
		ret = mlx5_guid(root, p, s);

	if (ret == -EOPNOTSUPP)
		snprintf(err, errlen,
			 "%s (%s): vf %u %s: not supported by driver %s",
			 p->pf.bdf, p->pf.netdev, s->vf,
			 sup_vf_attr_name(s->v.attr), p->pf.driver);
	else if (ret)
		snprintf(err, errlen, "%s (%s): vf %u %s: %s", p->pf.bdf,
			 p->pf.netdev, s->vf, sup_vf_attr_name(s->v.attr),
			 strerror(-ret));
	return ret;
}

#define REBIND_TRIES 3

/* Rebind VF I's driver. With a MAC planned, until its netdev has it: a
 * VF driver that misses the PF's answer while it probes (igbvf's mailbox
 * on a slow host) takes a random MAC, which trust lets it keep, so the
 * PF's entry is set again and the VF rebound, REBIND_TRIES times at most. */
static int rebind_vf(const struct vfb_fsroot *root, const struct sup_req *req,
		     const struct sup_plan *p, unsigned int i, char *err,
		     size_t errlen)
{
	struct sup_vf_value v = { .attr = SUP_VF_MAC };
	char dev[32], got[32] = "?", path[PATH_MAX];
	int k, ret, waited;

	for (k = 1;; k++) {
		ret = sup_sys_rebind(root, p->vf_bdf[i], true, err, errlen);
		if (ret || !req->mac || req->driver)
			return ret;
		for (waited = 0; waited <= req->timeout_ms &&
				 sup_sys_vf_netdev(root, p->vf_bdf[i], dev);
		     waited += 50)
			sleep_ms(50);
		if (sup_vf_netdev_has_mac(root, p->vf_bdf[i], req->mac_base, i))
			return 0;
		snprintf(path, sizeof(path), "/sys/class/net/%s/address", dev);
		vfb_fs_read(root, path, got, sizeof(got));
		if (k == REBIND_TRIES || sup_mac_nth(req->mac_base, i, v.mac))
			break;
		vfb_warn("setup: VF %u (%s) came up with MAC %s, not the "
			 "planned one: its driver missed the PF's; setting it "
			 "again and rebinding (%d of %d)",
			 i, p->vf_bdf[i], got, k + 1, REBIND_TRIES);
		if ((ret = vf_step(root, p,
				   &(struct sup_step){ .kind = SUP_STEP_VF,
						       .vf = i,
						       .v = v },
				   err, errlen)))
			return ret;
	}
	snprintf(err, errlen,
		 "%s: VF %u (%s) came up with MAC %s after %d "
		 "rebinds, not the planned one",
		 p->pf.bdf, i, p->vf_bdf[i], got, REBIND_TRIES);
	return -EAGAIN;
}

static int run_step(const struct vfb_fsroot *root, const struct sup_req *req,
		    const struct sup_plan *p, const struct sup_step *s,
		    char *err, size_t errlen)
{
	switch (s->kind) {
	case SUP_STEP_NUMVFS:
		return sup_sys_numvfs(root, p->pf.bdf, s->value, err, errlen);
	case SUP_STEP_WAIT:
		return wait_netdevs(root, p, s->value, req->timeout_ms, err,
				    errlen);
	case SUP_STEP_VF:
		if (s->v.attr == SUP_VF_RATE &&
		    wait_carrier(root, p, req->timeout_ms, err, errlen))
			return -ENETDOWN;
		return vf_step(root, p, s, err, errlen);
	case SUP_STEP_OVERRIDE:
		return sup_sys_write(root, p->vf_bdf[s->vf], "driver_override",
				     req->driver, err, errlen);
	case SUP_STEP_REBIND:
		return rebind_vf(root, req, p, s->vf, err, errlen);
	}
	return -EINVAL;
}

static json_object *state_read(const struct sup_req *req, const char *bdf)
{
	char path[PATH_MAX];
	json_object *o, *schema;

	int fd;

	state_path(req, bdf, path, sizeof(path));
	/* a regular file only (a FIFO there would hang the apply) */
	if ((fd = vfb_file_open(path)) < 0)
		return NULL;
	o = json_object_from_fd(fd);
	close(fd);
	if (o && (!json_object_object_get_ex(o, "schema", &schema) ||
		  !json_object_is_type(schema, json_type_string) ||
		  strcmp(json_object_get_string(schema), STATE_SCHEMA))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The record: what the PF was before vfbench first touched it (PRIOR's,
 * an earlier apply's record, or now, PF's) and what REQ applied. */
static int state_write(const struct sup_req *req, const struct sup_pf *pf,
		       json_object *prior, char *err, size_t errlen)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	json_object *o = json_object_new_object(), *v;
	int64_t prior_vfs = pf->sr.num_vfs;
	bool prior_autoprobe = pf->sr.autoprobe;
	int ret = 0;

	if (prior && json_object_object_get_ex(prior, "prior_num_vfs", &v))
		prior_vfs = json_object_get_int64(v);
	if (prior && json_object_object_get_ex(prior, "prior_autoprobe", &v))
		prior_autoprobe = json_object_get_boolean(v);

	mkdir(req->state_dir, 0755);
	state_path(req, pf->bdf, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	json_object_object_add(o, "schema",
			       json_object_new_string(STATE_SCHEMA));
	json_object_object_add(o, "pf", json_object_new_string(pf->bdf));
	json_object_object_add(o, "prior_num_vfs",
			       json_object_new_int64(prior_vfs));
	json_object_object_add(o, "prior_autoprobe",
			       json_object_new_boolean(prior_autoprobe));
	json_object_object_add(o, "applied_num_vfs",
			       json_object_new_int64(req->num_vfs));
	if (req->mac) {
		char mac[24];

		sup_mac_format(req->mac_base, mac, sizeof(mac));
		json_object_object_add(o, "mac_base",
				       json_object_new_string(mac));
	}
	if (req->guid && !req->nguids) {
		char g[32];

		sup_guid_format(req->guid_base, g, sizeof(g));
		json_object_object_add(o, "guid_base",
				       json_object_new_string(g));
	}
	json_object_object_add(
		o, "trust",
		req->trust < 0 ? NULL : json_object_new_boolean(req->trust));
	if (req->rate) {
		json_object_object_add(o, "max_tx_rate",
				       json_object_new_int64(req->max_tx_rate));
		json_object_object_add(o, "min_tx_rate",
				       json_object_new_int64(req->min_tx_rate));
	}
	if (req->link_state >= 0)
		json_object_object_add(o, "link_state",
				       json_object_new_int(req->link_state));
	if (req->vlan) {
		json_object *a = json_object_new_array();
		long i;

		for (i = 0; i < req->num_vfs; i++)
			json_object_array_add(
				a, json_object_new_int(req->vlans[i]));
		json_object_object_add(o, "vlans", a);
	}
	if (json_object_to_file_ext(tmp, o, JSON_C_TO_STRING_PRETTY) ||
	    rename(tmp, path)) {
		ret = -errno;
		snprintf(err, errlen, "recording the prior state in %s: %s",
			 path, strerror(errno));
	}
	json_object_put(o);
	return ret;
}

static void state_remove(const struct sup_req *req, const char *bdf)
{
	char path[PATH_MAX];

	state_path(req, bdf, path, sizeof(path));
	unlink(path);
}

/*
 * Fault injection for the reliability drills: VFBENCH_KILL_AFTER_STEP=N
 * makes apply SIGKILL itself right after step N, as a crash would.
 */
static void fault_point(int step)
{
	const char *v = getenv("VFBENCH_KILL_AFTER_STEP");

	if (v && atoi(v) == step)
		kill(getpid(), SIGKILL);
}

/* VFBENCH_FAIL_AT_STEP=N: step N fails (EIO) instead of running, so the
 * drills can make each kind of step fail in turn. */
static bool fault_fail(int step)
{
	const char *v = getenv("VFBENCH_FAIL_AT_STEP");

	return v && atoi(v) == step;
}

int sup_apply(const struct vfb_fsroot *root, const struct sup_req *req,
	      struct sup_plan *p, char *err, size_t errlen)
{
	json_object *prior = state_read(req, p->pf.bdf);
	struct sup_snap *snap;
	char why[256];
	int i, ret = 0;

	if (p->pf.sr.num_vfs != req->num_vfs &&
	    (ret = check_in_use(root, &p->pf, req->force, err, errlen)))
		goto out;
	/* What a failure puts back: the state right now. */
	snap = sup_snap_take(root, req, err, errlen);
	if (!snap) {
		ret = -EIO;
		goto out;
	}
	/* The first apply records what it found (for teardown) before it
	 * changes anything; a re-run keeps what that one found. */
	if (!prior)
		ret = state_write(req, &p->pf, NULL, err, errlen);
	for (i = 0; !ret && i < p->n; i++) {
		if (fault_fail(i + 1)) {
			snprintf(err, errlen,
				 "%s: step %d (%s): failure injected "
				 "(VFBENCH_FAIL_AT_STEP)",
				 p->pf.bdf, i + 1, p->steps[i].text);
			ret = -EIO;
			break;
		}
		ret = run_step(root, req, p, &p->steps[i], err, errlen);
		if (!ret)
			fault_point(i + 1);
	}
	/* done: what it applied is what the drills' verify now checks */
	if (!ret && prior)
		ret = state_write(req, &p->pf, prior, err, errlen);
	if (ret) {
		size_t n = strlen(err);

		if (sup_snap_restore(root, snap, why, sizeof(why)))
			snprintf(err + n, errlen - n,
				 "; RESTORE INCOMPLETE: %s", why);
		else
			snprintf(err + n, errlen - n,
				 "; restored as it was just before "
				 "this apply");
	}
	sup_snap_free(snap);
out:
	json_object_put(prior);
	return ret;
}

static int mismatch(FILE *out, const char *bdf, unsigned int vf,
		    const char *what, const char *want, const char *got)
{
	fprintf(out, "MISMATCH %s vf %u %s: wanted %s, found %s\n", bdf, vf,
		what, want, got);
	return 1;
}

static int verify_vf(const struct vfb_fsroot *root, const struct sup_req *req,
		     const struct sup_plan *p, unsigned int i, FILE *out)
{
	struct sup_vf_state st;
	char want[32], got[32], dev[32], path[PATH_MAX + 64];
	uint8_t mac[6];
	int bad = 0;

	if (sup_nl_vf_get(p->pf.netdev, i, &st))
		return mismatch(out, p->pf.bdf, i, "state", "readable",
				"nothing");
	if (req->mac) {
		sup_mac_nth(req->mac_base, i, mac);
		sup_mac_format(mac, want, sizeof(want));
		sup_mac_format(st.mac, got, sizeof(got));
		if (memcmp(mac, st.mac, 6))
			bad += mismatch(out, p->pf.bdf, i, "mac (PF table)",
					want, got);
		/* and the VF's own netdev carries it (igbvf: after a rebind) */
		if (!req->driver &&
		    !sup_sys_vf_netdev(root, p->vf_bdf[i], dev)) {
			snprintf(path, sizeof(path),
				 "/sys/class/net/%s/address", dev);
			if (vfb_fs_read(root, path, got, sizeof(got)) > 0 &&
			    strcmp(got, want))
				bad += mismatch(out, p->pf.bdf, i,
						"mac (VF netdev)", want, got);
		}
	}
	if (req->trust >= 0 && st.trust != req->trust) {
		snprintf(want, sizeof(want), "%d", req->trust);
		snprintf(got, sizeof(got), "%d", st.trust);
		bad += mismatch(out, p->pf.bdf, i, "trust", want, got);
	}
	if (req->rate && (st.max_tx_rate != req->max_tx_rate ||
			  st.min_tx_rate != req->min_tx_rate)) {
		snprintf(want, sizeof(want), "max %u min %u", req->max_tx_rate,
			 req->min_tx_rate);
		snprintf(got, sizeof(got), "max %u min %u", st.max_tx_rate,
			 st.min_tx_rate);
		bad += mismatch(out, p->pf.bdf, i, "tx rate (Mb/s)", want, got);
	}
	if (req->vlan && (st.vlan != req->vlans[i] || st.vlan_qos)) {
		snprintf(want, sizeof(want), "%u", req->vlans[i]);
		snprintf(got, sizeof(got), "%d%s", st.vlan,
			 st.vlan_qos ? " with a qos" : "");
		bad += mismatch(out, p->pf.bdf, i, "vlan", want, got);
	}
	if (req->link_state >= 0 && st.link_state != req->link_state) {
		snprintf(want, sizeof(want), "%d", req->link_state);
		snprintf(got, sizeof(got), "%d", st.link_state);
		bad += mismatch(out, p->pf.bdf, i, "link state", want, got);
	}
	if (req->driver) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver",
			 p->vf_bdf[i]);
		if (vfb_fs_link_name(root, path, got, sizeof(got)) ||
		    strcmp(got, req->driver))
			bad += mismatch(out, p->pf.bdf, i, "driver",
					req->driver, got[0] ? got : "none");
	}
	return bad;
}

int sup_verify(const struct vfb_fsroot *root, const struct sup_req *req,
	       FILE *out, char *err, size_t errlen)
{
	struct sup_plan *p = calloc(1, sizeof(*p));
	char want[24], got[24];
	int bad = 0, ret;
	long i;

	if (!p)
		return -ENOMEM;
	ret = sup_plan_build(root, req, false, p, err, errlen);
	if (ret)
		goto out;
	if (p->pf.sr.num_vfs != req->num_vfs) {
		snprintf(want, sizeof(want), "%ld", req->num_vfs);
		snprintf(got, sizeof(got), "%ld", p->pf.sr.num_vfs);
		fprintf(out, "MISMATCH %s sriov_numvfs: wanted %s, found %s\n",
			p->pf.bdf, want, got);
		bad++;
	}
	for (i = 0; i < req->num_vfs && i < p->pf.sr.num_vfs; i++)
		bad += verify_vf(root, req, p, (unsigned int)i, out);
	ret = bad;
out:
	free(p);
	return ret;
}

int sup_teardown(const struct vfb_fsroot *root, const struct sup_req *req,
		 char *err, size_t errlen)
{
	struct sup_pf pf;
	json_object *st, *v;
	long prior = 0;
	bool autoprobe = true;
	int ret;

	ret = sup_pf_resolve(root, req->pf, &pf, err, errlen);
	if (ret)
		return ret;
	st = state_read(req, pf.bdf);
	if (!st) {
		snprintf(err, errlen,
			 "%s: nothing recorded by 'setup apply' to undo",
			 pf.bdf);
		return -ENOENT;
	}
	if (json_object_object_get_ex(st, "prior_num_vfs", &v))
		prior = json_object_get_int64(v);
	if (json_object_object_get_ex(st, "prior_autoprobe", &v))
		autoprobe = json_object_get_boolean(v);
	json_object_put(st);
	if (pf.sr.num_vfs != prior &&
	    (ret = check_in_use(root, &pf, req->force, err, errlen)))
		return ret;
	ret = sup_sys_recount(root, pf.bdf, pf.sr.num_vfs, prior, err, errlen);
	if (!ret && pf.sr.autoprobe != autoprobe)
		ret = sup_sys_write(root, pf.bdf, "sriov_drivers_autoprobe",
				    autoprobe ? "1" : "0", err, errlen);
	if (!ret)
		state_remove(req, pf.bdf);
	return ret;
}

/* A rate the state file holds under KEY (Mb/s, a u32), into *OUT. */
static bool recorded_u32(json_object *st, const char *key, uint32_t *out)
{
	json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(st, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return false;
	n = json_object_get_int64(v);
	if (n < 0 || n > UINT32_MAX)
		return false;
	*out = (uint32_t)n;
	return true;
}

int sup_req_recorded(struct sup_req *req, const char *pf_bdf)
{
	json_object *st = state_read(req, pf_bdf), *v;

	if (!st)
		return -ENOENT;
	if (json_object_object_get_ex(st, "applied_num_vfs", &v))
		req->num_vfs = json_object_get_int64(v);
	if (json_object_object_get_ex(st, "mac_base", &v) &&
	    !sup_mac_parse(json_object_get_string(v), req->mac_base))
		req->mac = true;
	if (json_object_object_get_ex(st, "trust", &v) &&
	    json_object_is_type(v, json_type_boolean))
		req->trust = json_object_get_boolean(v);
	req->rate = recorded_u32(st, "max_tx_rate", &req->max_tx_rate) &&
		    recorded_u32(st, "min_tx_rate", &req->min_tx_rate);
	if (json_object_object_get_ex(st, "link_state", &v) &&
	    json_object_is_type(v, json_type_int) &&
	    json_object_get_int(v) >= 0 && json_object_get_int(v) <= 2)
		req->link_state = json_object_get_int(v);
	if (json_object_object_get_ex(st, "vlans", &v) &&
	    json_object_is_type(v, json_type_array) &&
	    (long)json_object_array_length(v) == req->num_vfs &&
	    req->num_vfs <= SUP_MAX_VFS) {
		size_t i;

		req->vlan = true;
		for (i = 0; i < json_object_array_length(v); i++) {
			int64_t id = json_object_get_int64(
				json_object_array_get_idx(v, i));

			if (id < 0 || id > 4094)
				req->vlan = false; /* not ours: not checked */
			else
				req->vlans[i] = (uint16_t)id;
		}
	}
	json_object_put(st);
	return 0;
}
