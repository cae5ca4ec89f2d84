/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "vfident.h"

static const char *const module_states[] = {
	[DR_MOD_ABSENT] = "not installed",
	[DR_MOD_INSTALLED] = "installed, not loaded",
	[DR_MOD_LOADED] = "loaded",
};

static void run_vf_driver(const struct dr_ctx *c, const char *bdf,
			  struct dr_result *r)
{
	char path[PATH_MAX], drv[32] = "", fix[160];
	const char *vfdrv;
	enum dr_module m;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	vfb_fs_link_name(c->root, path, drv, sizeof(drv));
	vfdrv = vfb_vf_driver_of(drv);
	if (!vfdrv) {
		dr_set(r, DR_SKIP, "", "%s: no VF driver known for driver '%s'",
		       bdf, drv);
		return;
	}
	m = dr_module_state(c, vfdrv);
	snprintf(fix, sizeof(fix),
		 "install the kernel's %s module (linux-modules-extra on "
		 "some distributions)",
		 vfdrv);
	dr_set(r, m == DR_MOD_ABSENT ? DR_FAIL : DR_PASS,
	       m == DR_MOD_ABSENT ? fix : "", "%s (%s): VF driver %s %s", bdf,
	       drv, vfdrv, module_states[m]);
}

static const struct dr_check dr_check_vf_driver = {
	.id = "driver.vf",
	.help = "the VF driver the PF's driver needs (igb: igbvf, i40e: iavf, ...) installed",
	.scope = DR_PF,
	.concerns = DR_FOR_SETUP,
	.run = run_vf_driver,
};

static void run_vfio(const struct dr_ctx *c, const char *subject,
		     struct dr_result *r)
{
	enum dr_module m = dr_module_state(c, "vfio_pci");

	(void)subject;
	dr_set(r, m == DR_MOD_ABSENT ? DR_WARN : DR_PASS,
	       m == DR_MOD_ABSENT ? "VFs cannot be passed to guests: install "
				    "the kernel's vfio-pci module" :
				    "",
	       "vfio_pci %s", module_states[m]);
}

static const struct dr_check dr_check_vfio = {
	.id = "driver.vfio",
	.help = "vfio_pci installed, to pass VFs to guests",
	.scope = DR_HOST,
	.run = run_vfio,
};

static void run_modules(const struct dr_ctx *c, const char *subject,
			struct dr_result *r)
{
	enum dr_module uv = dr_module_state(c, "ib_uverbs");
	enum dr_module cm = dr_module_state(c, "rdma_ucm");

	(void)subject;
	if (uv != DR_MOD_LOADED)
		dr_set(r, DR_FAIL, "modprobe ib_uverbs rdma_ucm",
		       "ib_uverbs %s: no /dev/infiniband/uverbs*",
		       module_states[uv]);
	else if (cm != DR_MOD_LOADED)
		dr_set(r, DR_WARN, "modprobe rdma_ucm (needed by -R, rdma_cm)",
		       "ib_uverbs loaded, rdma_ucm %s", module_states[cm]);
	else
		dr_set(r, DR_PASS, "", "ib_uverbs and rdma_ucm loaded");
}

static const struct dr_check dr_check_modules = {
	.id = "stack.modules",
	.help = "ib_uverbs and rdma_ucm loaded",
	.scope = DR_HOST,
	.concerns = DR_FOR_RUN,
	.run = run_modules,
};

static void run_netns(const struct dr_ctx *c, const char *subject,
		      struct dr_result *r)
{
	const char *p = "/sys/module/ib_core/parameters/netns_mode";
	char v[8];

	(void)subject;
	if (vfb_fs_read(c->root, p, v, sizeof(v)) <= 0)
		dr_set(r, DR_SKIP, "", "%s absent (ib_core not loaded)", p);
	else
		dr_set(r, DR_PASS, "", "%s: %s (%s)", p, v,
		       v[0] == 'Y' || v[0] == '1' ?
			       "shared: every netns sees every RDMA device" :
			       "exclusive: move a device with 'rdma dev set "
			       "DEV netns NS'");
}

static const struct dr_check dr_check_netns = {
	.id = "stack.netns",
	.help = "ib_core's netns_mode: shared or exclusive RDMA namespaces",
	.scope = DR_HOST,
	.run = run_netns,
};

static int port_read(const struct dr_ctx *c, const char *ibdev,
		     const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/class/infiniband/%s/ports/1/%s",
		 ibdev, attr);
	return vfb_fs_read(c->root, path, buf, len);
}

static bool guid_zero(const char *g)
{
	for (; *g; g++)
		if (*g != '0' && *g != ':')
			return false;
	return true;
}

static void run_guid(const struct dr_ctx *c, const char *ibdev,
		     struct dr_result *r)
{
	char ll[32] = "", node[64] = "", gid[64] = "", path[PATH_MAX];

	port_read(c, ibdev, "link_layer", ll, sizeof(ll));
	if (strcmp(ll, "InfiniBand")) {
		dr_set(r, DR_SKIP, "",
		       "%s port 1: link layer %s, not "
		       "InfiniBand",
		       ibdev, ll[0] ? ll : "unknown");
		return;
	}
	snprintf(path, sizeof(path), "/sys/class/infiniband/%s/node_guid",
		 ibdev);
	vfb_fs_read(c->root, path, node, sizeof(node));
	port_read(c, ibdev, "gids/0", gid, sizeof(gid));
	/* GID 0's low 64 bits are the port GUID */
	if (!node[0] || guid_zero(node) || strlen(gid) < 20 ||
	    guid_zero(gid + 20))
		dr_set(r, DR_FAIL,
		       "give the VF GUIDs: vfbench setup apply with node_guid "
		       "and port_guid (ip link set PF vf N node_guid G "
		       "port_guid G)",
		       "%s: node_guid %s, port 1 gid 0 %s", ibdev,
		       node[0] ? node : "absent", gid[0] ? gid : "absent");
	else
		dr_set(r, DR_PASS, "", "%s: node_guid %s, port 1 gid 0 %s",
		       ibdev, node, gid);
}

static const struct dr_check dr_check_guid = {
	.id = "stack.guid",
	.help = "InfiniBand: non-zero node and port GUIDs",
	.scope = DR_IBDEV,
	.run = run_guid,
};

struct gid_walk {
	const struct dr_ctx *c;
	const char *ibdev;
	char found[16];
};

static int find_v2(const char *name, void *arg)
{
	struct gid_walk *w = arg;
	char attr[64], type[32];

	snprintf(attr, sizeof(attr), "gid_attrs/types/%s", name);
	if (port_read(w->c, w->ibdev, attr, type, sizeof(type)) <= 0 ||
	    strcmp(type, "RoCE v2"))
		return 0;
	snprintf(w->found, sizeof(w->found), "%s", name);
	return 1;
}

static void run_gid(const struct dr_ctx *c, const char *ibdev,
		    struct dr_result *r)
{
	struct gid_walk w = { .c = c, .ibdev = ibdev };
	char ll[32] = "", path[PATH_MAX], gid[64] = "", attr[32];

	port_read(c, ibdev, "link_layer", ll, sizeof(ll));
	if (strcmp(ll, "Ethernet")) {
		dr_set(r, DR_SKIP, "", "%s port 1: link layer %s, not RoCE",
		       ibdev, ll[0] ? ll : "unknown");
		return;
	}
	snprintf(path, sizeof(path),
		 "/sys/class/infiniband/%s/ports/1/gid_attrs/types", ibdev);
	vfb_fs_list(c->root, path, find_v2, &w);
	if (!w.found[0]) {
		dr_set(r, DR_FAIL,
		       "no RoCE v2 GID: give the netdev an IP address (GIDs "
		       "follow its addresses) and bring it up",
		       "%s: no entry of %s reads \"RoCE v2\"", ibdev, path);
		return;
	}
	snprintf(attr, sizeof(attr), "gids/%s", w.found);
	port_read(c, ibdev, attr, gid, sizeof(gid));
	dr_set(r, DR_PASS, "", "%s port 1: RoCE v2 GID %s = %s", ibdev, w.found,
	       gid);
}

static const struct dr_check dr_check_gid = {
	.id = "stack.gid",
	.help = "RoCE: a RoCE v2 GID on port 1",
	.scope = DR_IBDEV,
	.concerns = DR_FOR_RUN,
	.run = run_gid,
};

/* The netdev under RDMA device IBDEV, as bench's classification finds it. */
static void ibdev_netdev(const struct dr_ctx *c, const char *ibdev, char *nd,
			 size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/class/infiniband/%s/parent", ibdev);
	if (vfb_fs_read(c->root, path, nd, len) > 0)
		return;
	snprintf(path, sizeof(path), "/sys/class/infiniband/%s/device/net",
		 ibdev);
	if (!vfb_fs_first(c->root, path, nd, len))
		return;
	port_read(c, ibdev, "gid_attrs/ndevs/0", nd, len);
}

/* The largest IB MTU a RoCE frame fits in a netdev MTU: the kernel's
 * iboe_get_mtu() takes off GRH, BTH, the largest extension and ICRC. */
static int roce_mtu(long ndev_mtu)
{
	int m;

	for (m = 4096; m > 256 && m > ndev_mtu - 88; m /= 2)
		;
	return m;
}

static void run_mtu(const struct dr_ctx *c, const char *ibdev,
		    struct dr_result *r)
{
	char ll[32] = "", nd[32] = "", path[PATH_MAX];
	long nmtu;
	int mtu, ret;

	port_read(c, ibdev, "link_layer", ll, sizeof(ll));
	ibdev_netdev(c, ibdev, nd, sizeof(nd));
	snprintf(path, sizeof(path), "/sys/class/net/%s/mtu", nd);
	if (strcmp(ll, "Ethernet") || vfb_fs_read_long(c->root, path, &nmtu)) {
		dr_set(r, DR_SKIP, "", "%s: not RoCE or no netdev MTU", ibdev);
		return;
	}
	ret = c->ops.port_mtu(c->cfg->ops_arg, ibdev, 1, &mtu);
	if (ret) {
		dr_set(r, DR_SKIP, "", "%s: active MTU not read (%s)", ibdev,
		       strerror(-ret));
		return;
	}
	if (mtu < roce_mtu(nmtu))
		dr_set(r, DR_WARN,
		       "the port runs a smaller MTU than its netdev allows: "
		       "check the device's MTU settings",
		       "%s port 1: active MTU %d; %s MTU %ld allows %d", ibdev,
		       mtu, nd, nmtu, roce_mtu(nmtu));
	else
		dr_set(r, DR_PASS, "", "%s port 1: active MTU %d, %s MTU %ld%s",
		       ibdev, mtu, nd, nmtu,
		       mtu < 4096 ? " (jumbo frames, MTU 9000, give 4096)" :
				    "");
}

static const struct dr_check dr_check_mtu = {
	.id = "stack.mtu",
	.help = "RoCE: port 1's active MTU against its netdev's",
	.scope = DR_IBDEV,
	.run = run_mtu,
};

/* The group, in the order its checks run. */
const struct dr_check *const dr_checks_stack[] = {
	&dr_check_vf_driver, &dr_check_vfio, &dr_check_modules, &dr_check_netns,
	&dr_check_guid,	     &dr_check_gid,  &dr_check_mtu,	NULL,
};
