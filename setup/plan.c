/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "plan.h"

/* VF drivers for which a new MAC or GUID takes effect only on a rebind. */
static const struct {
	const char *pf, *vf;
} vf_drivers[] = {
	{ "igb", "igbvf" },	      { "ixgbe", "ixgbevf" },
	{ "mlx5_core", "mlx5_core" }, { "ice", "iavf" },
	{ "i40e", "iavf" },
};

static const char *vf_driver_of(const char *pf_driver)
{
	size_t i;

	for (i = 0; i < sizeof(vf_drivers) / sizeof(vf_drivers[0]); i++)
		if (!strcmp(vf_drivers[i].pf, pf_driver))
			return vf_drivers[i].vf;
	return NULL;
}

static bool is_bdf(const char *s)
{
	unsigned int d, b, dev, f;
	char tail;

	return sscanf(s, "%4x:%2x:%2x.%1x%c", &d, &b, &dev, &f, &tail) == 4;
}

int sup_pf_resolve(const struct vfb_fsroot *root, const char *pf,
		   struct sup_pf *out, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret;

	memset(out, 0, sizeof(*out));
	if (is_bdf(pf)) {
		snprintf(out->bdf, sizeof(out->bdf), "%s", pf);
	} else {
		char real[PATH_MAX], *base;

		snprintf(path, sizeof(path), "/sys/class/net/%s/device", pf);
		if (vfb_fs_resolve(root, path, real, sizeof(real))) {
			snprintf(err, errlen,
				 "%s: no such PCI function or netdev with one",
				 pf);
			return -ENODEV;
		}
		base = strrchr(real, '/');
		if (!strncmp(base + 1, "virtio",
			     6)) { /* virtio-net: its PCI parent */
			*base = '\0';
			base = strrchr(real, '/');
		}
		snprintf(out->bdf, sizeof(out->bdf), "%s", base + 1);
		if (!is_bdf(out->bdf)) {
			snprintf(err, errlen, "%s: not on a PCI function", pf);
			return -ENODEV;
		}
	}
	ret = sup_sriov_read(root, out->bdf, &out->sr);
	if (ret == -ENOENT) {
		snprintf(err, errlen, "%s: no such PCI function", pf);
		return -ENODEV;
	}
	if (ret) {
		snprintf(err, errlen, "%s (%s): no SR-IOV capability%s", pf,
			 out->bdf, ret == -ENODEV ? "" : " readable");
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver",
		 out->bdf);
	vfb_fs_link_name(root, path, out->driver, sizeof(out->driver));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/net", out->bdf);
	vfb_fs_first(root, path, out->netdev, sizeof(out->netdev));
	return 0;
}

int sup_vf_bdf(const char *pf_bdf, long offset, long stride, unsigned int i,
	       char *out, size_t len)
{
	unsigned int dom, bus, dev, fn;
	long rid;

	if (sscanf(pf_bdf, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4 ||
	    offset < 0 || stride < 0)
		return -EINVAL;
	rid = (long)(bus << 8 | dev << 3 | fn) + offset + (long)i * stride;
	if (rid > 0xffff)
		return -ERANGE;
	snprintf(out, len, "%04x:%02lx:%02lx.%lx", dom, rid >> 8,
		 (rid >> 3) & 0x1f, rid & 7);
	return 0;
}

static struct sup_step *add(struct sup_plan *p, enum sup_step_kind k,
			    unsigned int vf, long value)
{
	struct sup_step *s = &p->steps[p->n++];

	memset(s, 0, sizeof(*s));
	s->kind = k;
	s->vf = vf;
	s->value = value;
	return s;
}

static void say(struct sup_step *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct sup_step *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->text, sizeof(s->text), fmt, ap);
	va_end(ap);
}

static void add_vf_attr(struct sup_plan *p, unsigned int vf,
			const struct sup_vf_value *v)
{
	struct sup_step *s = add(p, SUP_STEP_VF, vf, 0);
	char val[32];

	s->v = *v;
	if (v->attr == SUP_VF_MAC)
		sup_mac_format(v->mac, val, sizeof(val));
	else if (v->attr == SUP_VF_NODE_GUID || v->attr == SUP_VF_PORT_GUID)
		sup_guid_format(v->u64, val, sizeof(val));
	else if (v->attr == SUP_VF_RATE)
		snprintf(val, sizeof(val), "max %u min %u Mb/s", v->max_tx_rate,
			 v->min_tx_rate);
	else if (v->attr == SUP_VF_VLAN)
		snprintf(val, sizeof(val), "%u%s", (unsigned int)v->u64,
			 v->u64 ? "" : " (none)");
	else if (v->attr == SUP_VF_LINK_STATE)
		snprintf(val, sizeof(val), "%s",
			 v->u64 == 0 ? "auto" :
			 v->u64 == 1 ? "enable" :
				       "disable");
	else
		snprintf(val, sizeof(val), "%s", v->u64 ? "on" : "off");
	snprintf(s->text, sizeof(s->text), "netlink RTM_SETLINK %s vf %u %s %s",
		 p->pf.netdev, vf, sup_vf_attr_name(v->attr), val);
}

/* Whether VF BDF's netdev (if any) carries MAC base + I. */
bool sup_vf_netdev_has_mac(const struct vfb_fsroot *root, const char *bdf,
			   const uint8_t base[6], unsigned int i)
{
	char path[PATH_MAX], dev[32] = "", got[32], want[32];
	uint8_t mac[6];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/net", bdf);
	if (vfb_fs_first(root, path, dev, sizeof(dev)))
		return true; /* no netdev (vfio, or not bound): nothing to pick up */
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", dev);
	if (vfb_fs_read(root, path, got, sizeof(got)) <= 0 ||
	    sup_mac_nth(base, i, mac))
		return true;
	sup_mac_format(mac, want, sizeof(want));
	return !strcmp(got, want);
}

static int check_req(const struct sup_req *req, const struct sup_pf *pf,
		     char *err, size_t errlen)
{
	size_t i, j;

	if (req->num_vfs < 0 || req->num_vfs > pf->sr.total_vfs ||
	    req->num_vfs > SUP_MAX_VFS) {
		snprintf(err, errlen,
			 "%s (%s): %ld VFs asked, the device allows 0 to %ld",
			 pf->bdf, pf->driver[0] ? pf->driver : "no driver",
			 req->num_vfs, pf->sr.total_vfs);
		return -EINVAL;
	}
	if (req->nguids && req->nguids != (size_t)req->num_vfs) {
		snprintf(err, errlen, "%zu GUIDs for %ld VFs", req->nguids,
			 req->num_vfs);
		return -EINVAL;
	}
	if (req->guid &&
	    sup_guids_check(req->guid_base, req->nguids ? req->guids : NULL,
			    (size_t)req->num_vfs, &i, &j)) {
		char g[32];

		sup_guid_format(sup_guid_nth(req->guid_base,
					     req->nguids ? req->guids : NULL,
					     i),
				g, sizeof(g));
		snprintf(err, errlen,
			 "GUID %s: all ones, or given to two VFs' node or "
			 "port GUIDs",
			 g);
		return -EINVAL;
	}
	if (req->rate && req->min_tx_rate && req->max_tx_rate &&
	    req->min_tx_rate > req->max_tx_rate) {
		snprintf(err, errlen,
			 "min_tx_rate %u Mb/s above max_tx_rate %u Mb/s",
			 req->min_tx_rate, req->max_tx_rate);
		return -EINVAL;
	}
	if ((req->mac || req->guid || req->trust >= 0 || req->link_state >= 0 ||
	     req->rate || req->vlan) &&
	    !pf->netdev[0]) {
		snprintf(err, errlen, "%s: no netdev to configure VFs through",
			 pf->bdf);
		return -ENODEV;
	}
	return 0;
}

/* The VF attributes REQ asks for, skipping those already so (LIVE). */
static int plan_vf(struct sup_plan *p, const struct sup_req *req,
		   unsigned int i, const struct sup_vf_state *cur, bool *rebind)
{
	struct sup_vf_value v = { 0 };

	if (req->mac) {
		v.attr = SUP_VF_MAC;
		if (sup_mac_nth(req->mac_base, i, v.mac))
			return -ERANGE;
		if (!cur || memcmp(cur->mac, v.mac, 6)) {
			add_vf_attr(p, i, &v);
			*rebind = true;
		}
	}
	if (req->trust >= 0 && (!cur || cur->trust != req->trust)) {
		v = (struct sup_vf_value){ .attr = SUP_VF_TRUST,
					   .u64 = (uint64_t)req->trust };
		add_vf_attr(p, i, &v);
	}
	if (req->link_state >= 0 &&
	    (!cur || cur->link_state != req->link_state)) {
		v = (struct sup_vf_value){ .attr = SUP_VF_LINK_STATE,
					   .u64 = (uint64_t)req->link_state };
		add_vf_attr(p, i, &v);
	}
	if (req->vlan &&
	    (!cur || cur->vlan != req->vlans[i] || cur->vlan_qos)) {
		v = (struct sup_vf_value){ .attr = SUP_VF_VLAN,
					   .u64 = req->vlans[i] };
		add_vf_attr(p, i, &v);
	}
	if (req->rate && (!cur || cur->max_tx_rate != req->max_tx_rate ||
			  cur->min_tx_rate != req->min_tx_rate)) {
		v = (struct sup_vf_value){ .attr = SUP_VF_RATE,
					   .max_tx_rate = req->max_tx_rate,
					   .min_tx_rate = req->min_tx_rate };
		add_vf_attr(p, i, &v);
	}
	if (req->guid) {
		uint64_t node = req->nguids ? req->guids[i] :
					      sup_node_guid(req->guid_base, i);

		v = (struct sup_vf_value){ .attr = SUP_VF_NODE_GUID,
					   .u64 = node };
		add_vf_attr(p, i, &v);
		v = (struct sup_vf_value){
			.attr = SUP_VF_PORT_GUID,
			.u64 = req->nguids ? node + 1 :
					     sup_port_guid(req->guid_base, i)
		};
		add_vf_attr(p, i, &v);
		*rebind = true;
	}
	return 0;
}

int sup_plan_build(const struct vfb_fsroot *root, const struct sup_req *req,
		   bool live, struct sup_plan *p, char *err, size_t errlen)
{
	const char *vfdrv;
	bool changes_count;
	unsigned int i;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = sup_pf_resolve(root, req->pf, &p->pf, err, errlen);
	if (ret || (ret = check_req(req, &p->pf, err, errlen)))
		return ret;
	p->want = req->num_vfs;
	changes_count = p->pf.sr.num_vfs != req->num_vfs;
	if (changes_count && p->pf.sr.num_vfs > 0)
		say(add(p, SUP_STEP_NUMVFS, 0, 0),
		    "sysfs   write /sys/bus/pci/devices/%s/sriov_numvfs = 0",
		    p->pf.bdf);
	if (changes_count && req->num_vfs > 0)
		say(add(p, SUP_STEP_NUMVFS, 0, req->num_vfs),
		    "sysfs   write /sys/bus/pci/devices/%s/sriov_numvfs = %ld",
		    p->pf.bdf, req->num_vfs);
	for (i = 0; i < (unsigned int)req->num_vfs; i++)
		if (sup_vf_bdf(p->pf.bdf, p->pf.sr.offset, p->pf.sr.stride, i,
			       p->vf_bdf[i], sizeof(p->vf_bdf[i]))) {
			snprintf(err, errlen, "%s: VF %u has no routing ID",
				 p->pf.bdf, i);
			return -ERANGE;
		}
	if (changes_count && req->num_vfs > 0 && p->pf.sr.autoprobe &&
	    !req->driver)
		say(add(p, SUP_STEP_WAIT, 0, req->num_vfs),
		    "wait    for the netdevs of %ld VFs (%s .. %s), %d ms at most",
		    req->num_vfs, p->vf_bdf[0], p->vf_bdf[req->num_vfs - 1],
		    req->timeout_ms);
	vfdrv = vf_driver_of(p->pf.driver);
	for (i = 0; i < (unsigned int)req->num_vfs; i++) {
		struct sup_vf_state st;
		bool rebind = false,
		     have = live && !changes_count &&
			    !sup_nl_vf_get(p->pf.netdev, i, &st);

		if (plan_vf(p, req, i, have ? &st : NULL, &rebind)) {
			snprintf(err, errlen, "MAC base + %u overflows", i);
			return -ERANGE;
		}
		/* The PF's table may hold the MAC while the VF driver has not
		 * picked it up yet (an apply interrupted before its rebind). */
		if (have && req->mac && !rebind &&
		    !sup_vf_netdev_has_mac(root, p->vf_bdf[i], req->mac_base,
					   i))
			rebind = true;
		if (req->driver) {
			say(add(p, SUP_STEP_OVERRIDE, i, 0),
			    "sysfs   write /sys/bus/pci/devices/%s/driver_override = %s",
			    p->vf_bdf[i], req->driver);
			rebind = true;
		}
		if (rebind && (req->driver || vfdrv))
			say(add(p, SUP_STEP_REBIND, i, 0),
			    "sysfs   rebind %s (%s), so that its settings take effect",
			    p->vf_bdf[i], req->driver ? req->driver : vfdrv);
	}
	return 0;
}

void sup_plan_print(FILE *f, const struct sup_plan *p)
{
	int i;

	fprintf(f,
		"plan for %s (%s, %s): %ld VFs now, %ld wanted, %ld at most\n",
		p->pf.bdf, p->pf.netdev[0] ? p->pf.netdev : "no netdev",
		p->pf.driver[0] ? p->pf.driver : "no driver", p->pf.sr.num_vfs,
		p->want, p->pf.sr.total_vfs);
	if (!p->n)
		fprintf(f, "  nothing to change\n");
	for (i = 0; i < p->n; i++)
		fprintf(f, "  %s\n", p->steps[i].text);
}
