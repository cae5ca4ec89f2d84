/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "doctor.h"
#include "live.h"
#include "exitcode.h"
#include "ids.h"
#include "log.h"
#include "opt.h"
#include "pci.h"
#include "plan.h"
#include "snapshot.h"
#include "topology.h"

#define O(f) offsetof(struct sup_setup_cfg, f)
static const struct vfb_opt setup_opts[] = {
	{ .name = "pf",
	  .type = VFB_OPT_STR,
	  .offset = O(pf),
	  .metavar = "BDF|NETDEV",
	  .help = "the SR-IOV physical function (required)" },
	{ .name = "num-vfs",
	  .key = 'n',
	  .type = VFB_OPT_LONG,
	  .offset = O(num_vfs),
	  .metavar = "N",
	  .help = "VFs wanted (required)",
	  .min = 0,
	  .max = SUP_MAX_VFS },
	{ .name = "mac-base",
	  .type = VFB_OPT_STR,
	  .offset = O(mac_base),
	  .metavar = "MAC",
	  .help = "VF i gets MAC + i" },
	{ .name = "trust",
	  .type = VFB_OPT_STR,
	  .offset = O(trust),
	  .metavar = "on|off",
	  .help = "VF trust" },
	{ .name = "link-state",
	  .type = VFB_OPT_STR,
	  .offset = O(link_state),
	  .metavar = "auto|enable|disable",
	  .help = "VF link state" },
	{ .name = "max-tx-rate",
	  .type = VFB_OPT_STR,
	  .offset = O(max_tx_rate),
	  .metavar = "MBPS",
	  .help = "VF transmit rate cap in Mb/s, 0 none (IFLA_VF_RATE)" },
	{ .name = "min-tx-rate",
	  .type = VFB_OPT_STR,
	  .offset = O(min_tx_rate),
	  .metavar = "MBPS",
	  .help = "VF guaranteed transmit rate in Mb/s, 0 none" },
	{ .name = "vlan",
	  .type = VFB_OPT_STR,
	  .offset = O(vlan),
	  .metavar = "ID|ID,ID,...",
	  .help = "802.1Q VLAN the PF tags each VF's frames with (1-4094, 0 "
		  "none): one for every VF, or one per VF" },
	{ .name = "guid-base",
	  .type = VFB_OPT_STR,
	  .offset = O(guid_base),
	  .metavar = "GUID",
	  .help = "VF i gets node GUID + 2i, port GUID + 2i + 1" },
	{ .name = "guids",
	  .type = VFB_OPT_LIST,
	  .max = 8191,
	  .offset = O(guids),
	  .metavar = "G,G,...",
	  .help = "explicit node GUIDs, one per VF (port = node + 1)" },
	{ .name = "driver",
	  .type = VFB_OPT_STR,
	  .offset = O(driver),
	  .metavar = "DRIVER",
	  .help = "bind the VFs to DRIVER (driver_override), e.g. vfio-pci" },
	{ .name = "force",
	  .type = VFB_OPT_FLAG,
	  .offset = O(force),
	  .help = "change a PF whose VFs are in use" },
	{ .name = "state-dir",
	  .type = VFB_OPT_STR,
	  .offset = O(state_dir),
	  .metavar = "DIR",
	  .help = "where apply records the prior state (/run/vfbench)" },
	{ .name = "timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(timeout),
	  .metavar = "SEC",
	  .help = "wait this long for VF netdevs (default 20)",
	  .min = 1,
	  .max = 600 },
	{ .name = "topology",
	  .type = VFB_OPT_STR,
	  .offset = O(topology),
	  .metavar = "FILE",
	  .help = "several PFs from an INI file instead of --pf" },
	{ .name = "fsroot",
	  .type = VFB_OPT_STR,
	  .offset = O(fsroot),
	  .metavar = "DIR",
	  .help = "read sysfs under DIR (plan on captured trees)" },
	VFB_OPT_END,
};
#undef O

static int onoff(const char *s, const char *const *words, int n)
{
	int i;

	for (i = 0; s && i < n; i++)
		if (!strcmp(s, words[i]))
			return i;
	return -1;
}

/* A kernel driver name as sysfs takes it. */
static bool driver_name_ok(const char *s)
{
	size_t n =
		strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "0123456789_-");

	return n && !s[n] && n < 64;
}

#define RATE_MAX 4000000L /* Mb/s (4 Tb/s): IFLA_VF_RATE holds a u32 */

/* Where a setting came from, for its error line: a topology section's
 * "FILE: [PF] (line N): ", or nothing for the flags. */
#define W(c) ((c)->where ? (c)->where : "")

/* A rate in Mb/s, 0 (no limit) to RATE_MAX; the option's name in errors. */
static int rate_parse(const struct sup_setup_cfg *c, const char *name,
		      const char *s, uint32_t *out)
{
	long v;

	if (vfb_long_parse(s, &v) || v < 0 || v > RATE_MAX) {
		vfb_err("setup: %s--%s wants Mb/s from 0 (no limit) to %ld, not '%s'",
			W(c), name, RATE_MAX, s);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

/* --vlan: one ID for every VF, or one per VF; 0 takes a VLAN off. */
static int vlan_list(const struct sup_setup_cfg *c, struct sup_req *r)
{
	char buf[SUP_TOPO_VLANS_MAX], *tok, *save = NULL;
	long n = 0, v, i;

	if (vfb_list_check(c->vlan) || strlen(c->vlan) >= sizeof(buf)) {
		vfb_err("setup: %s--vlan wants a VLAN ID or a comma list of "
			"them without empty items, at most %d, not '%.40s%s'",
			W(c), SUP_MAX_VFS, c->vlan,
			strlen(c->vlan) > 40 ? "..." : "");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", c->vlan);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (vfb_long_parse(tok, &v) || v < 0 || v > 4094) {
			vfb_err("setup: %s--vlan wants VLAN IDs from 1 to 4094 "
				"(0: none), not '%.40s'",
				W(c), tok);
			return -EINVAL;
		}
		if (n == SUP_MAX_VFS) {
			vfb_err("setup: %s--vlan: more than %d VLANs", W(c),
				SUP_MAX_VFS);
			return -EINVAL;
		}
		r->vlans[n++] = (uint16_t)v;
	}
	if (n > 1 && n != c->num_vfs) {
		vfb_err("setup: %s--vlan: %ld VLANs for %ld VFs (give one for "
			"every VF, or one per VF)",
			W(c), n, c->num_vfs);
		return -EINVAL;
	}
	for (i = 1; n == 1 && i < c->num_vfs && i < SUP_MAX_VFS; i++)
		r->vlans[i] = r->vlans[0];
	r->vlan = true;
	return 0;
}

/* Both rates are set together (IFLA_VF_RATE); one not given is 0. */
static int rates(const struct sup_setup_cfg *c, struct sup_req *r)
{
	if ((c->max_tx_rate &&
	     rate_parse(c, "max-tx-rate", c->max_tx_rate, &r->max_tx_rate)) ||
	    (c->min_tx_rate &&
	     rate_parse(c, "min-tx-rate", c->min_tx_rate, &r->min_tx_rate)))
		return -EINVAL;
	if (r->min_tx_rate && r->max_tx_rate &&
	    r->min_tx_rate > r->max_tx_rate) {
		vfb_err("setup: %s--min-tx-rate %u above --max-tx-rate %u",
			W(c), r->min_tx_rate, r->max_tx_rate);
		return -EINVAL;
	}
	r->rate = true;
	return 0;
}

static int guid_list(const struct sup_setup_cfg *c, const char *s,
		     struct sup_req *r)
{
	char buf[8192], *tok, *save = NULL;

	if (vfb_list_check(s) || strlen(s) >= sizeof(buf)) {
		vfb_err("setup: %s--guids wants a comma list of GUIDs without "
			"empty items, at most %d, not '%.40s%s'",
			W(c), SUP_MAX_VFS, s, strlen(s) > 40 ? "..." : "");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (r->nguids == SUP_MAX_VFS ||
		    sup_guid_parse(tok, &r->guids[r->nguids])) {
			vfb_err("setup: %s'%s' is not a usable GUID (not zero, not all ones)",
				W(c), tok);
			return -EINVAL;
		}
		r->nguids++;
	}
	return 0;
}

/* Every GUID the VFs would get is usable and given once: checked here,
 * before planning, as the README promises. */
static int guids_usable(const struct sup_setup_cfg *c, const struct sup_req *r)
{
	const uint64_t *list = r->nguids ? r->guids : NULL;
	static const char *const kind[] = { "node", "port" };
	size_t n = (size_t)r->num_vfs, k = 0, k2 = 0;
	char g[32];
	int ret;

	if (r->nguids && r->nguids != n) {
		vfb_err("setup: %s--guids: %zu GUIDs for %zu VFs", W(c),
			r->nguids, n);
		return -EINVAL;
	}
	ret = sup_guids_check(r->guid_base, list, n, &k, &k2);
	sup_guid_format(sup_guid_nth(r->guid_base, list, k), g, sizeof(g));
	if (ret == -ERANGE)
		vfb_err("setup: %s%s%s%s: VF%zu's %s GUID would be %s, the "
			"all-ones GUID (refused)",
			W(c), list ? "--guids" : "--guid-base", list ? "" : " ",
			list ? "" : c->guid_base, k / 2, kind[k & 1], g);
	else if (ret)
		vfb_err("setup: %s--guids: GUID %s would be VF%zu's %s GUID and "
			"VF%zu's %s GUID",
			W(c), g, k / 2, kind[k & 1], k2 / 2, kind[k2 & 1]);
	return ret ? -EINVAL : 0;
}

/* --mac-base: a unicast MAC with room for every VF in its block. */
static int mac_base(const struct sup_setup_cfg *c, struct sup_req *r)
{
	uint8_t mac[6];
	int ret = sup_mac_parse(c->mac_base, r->mac_base);

	if (ret) {
		vfb_err("setup: %s--mac-base %s: %s", W(c), c->mac_base,
			ret == -ERANGE ? "zero, broadcast or multicast" :
					 "not a MAC address");
		return -EINVAL;
	}
	if (c->num_vfs > 0 &&
	    sup_mac_nth(r->mac_base, (unsigned)c->num_vfs - 1, mac)) {
		vfb_err("setup: %s--mac-base %s: %ld VFs would need MACs "
			"past its block's last (xx:xx:xx:ff:ff:ff)",
			W(c), c->mac_base, c->num_vfs);
		return -EINVAL;
	}
	r->mac = true;
	return 0;
}

static int build_req(const struct sup_setup_cfg *c, struct sup_req *r)
{
	static const char *const offon[] = { "off", "on" };
	static const char *const states[] = { "auto", "enable", "disable" };

	*r = (struct sup_req){ .pf = c->pf,
			       .num_vfs = c->num_vfs,
			       .trust = -1,
			       .link_state = -1,
			       .driver = c->driver,
			       .force = c->force,
			       .timeout_ms = (int)c->timeout * 1000,
			       .state_dir = c->state_dir };
	if (!c->pf || c->num_vfs < 0) {
		vfb_err("setup: %s--pf and --num-vfs are required", W(c));
		return -EINVAL;
	}
	if (c->driver && !driver_name_ok(c->driver)) {
		vfb_err("setup: %s--driver wants a driver name (letters, digits, '_', '-'), "
			"not '%s'",
			W(c), c->driver);
		return -EINVAL;
	}
	if (c->mac_base && mac_base(c, r))
		return -EINVAL;
	if (c->trust && (r->trust = onoff(c->trust, offon, 2)) < 0) {
		vfb_err("setup: %s--trust wants on or off, not '%s'", W(c),
			c->trust);
		return -EINVAL;
	}
	if (c->link_state &&
	    (r->link_state = onoff(c->link_state, states, 3)) < 0) {
		vfb_err("setup: %s--link-state wants auto, enable or disable, not '%s'",
			W(c), c->link_state);
		return -EINVAL;
	}
	if ((c->max_tx_rate || c->min_tx_rate) && rates(c, r))
		return -EINVAL;
	if (c->vlan && vlan_list(c, r))
		return -EINVAL;
	if (c->guid_base && c->guids) {
		vfb_err("setup: %s--guid-base and --guids exclude each other",
			W(c));
		return -EINVAL;
	}
	if (c->guid_base) {
		if (sup_guid_parse(c->guid_base, &r->guid_base)) {
			vfb_err("setup: %s--guid-base '%s' is not a usable GUID (not zero, not all ones)",
				W(c), c->guid_base);
			return -EINVAL;
		}
		r->guid = true;
	}
	if (c->guids) {
		if (guid_list(c, c->guids, r))
			return -EINVAL;
		r->guid = true;
	}
	return r->guid ? guids_usable(c, r) : 0;
}

static int exit_for(int err)
{
	switch (-err) {
	case EINVAL:
	case ERANGE:
		return VFB_EXIT_USAGE;
	}
	return VFB_EXIT_ENV;
}

static int do_action(const char *action, const struct vfb_fsroot *root,
		     bool live, struct sup_req *req)
{
	static struct sup_plan plan;
	char err[512];
	int ret;

	if (!strcmp(action, "teardown")) {
		ret = sup_teardown(root, req, err, sizeof(err));
		if (ret)
			vfb_err("setup teardown: %s", err);
		else
			printf("teardown: %s restored\n", req->pf);
		return ret ? (ret == -ENOENT ? VFB_EXIT_USAGE : exit_for(ret)) :
			     VFB_EXIT_OK;
	}
	if (!strcmp(action, "verify")) {
		ret = sup_verify(root, req, stdout, err, sizeof(err));
		if (ret < 0) {
			vfb_err("setup verify: %s", err);
			return exit_for(ret);
		}
		printf("verify: %s: %d mismatch%s\n", req->pf, ret,
		       ret == 1 ? "" : "es");
		return ret ? VFB_EXIT_FAIL : VFB_EXIT_OK;
	}
	ret = sup_plan_build(root, req, live, &plan, err, sizeof(err));
	if (ret) {
		vfb_err("setup %s: %s", action, err);
		return exit_for(ret);
	}
	sup_plan_print(stdout, &plan);
	if (!strcmp(action, "plan") || !plan.n)
		return VFB_EXIT_OK;
	/* what the checklist says must hold first; nothing touched yet */
	ret = dr_live_gate("setup apply", root,
			   &(struct dr_live_scope){ .concerns = DR_FOR_SETUP,
						    .pf = req->pf,
						    .want_vfs = req->num_vfs });
	if (ret)
		return ret;
	ret = sup_apply(root, req, &plan, err, sizeof(err));
	if (ret) {
		/* the request was checked when it was planned: what fails
		 * now is the host (a driver's EINVAL included) */
		vfb_err("setup apply: %s", err);
		return VFB_EXIT_ENV;
	}
	printf("apply: %d steps done\n", plan.n);
	return VFB_EXIT_OK;
}

static int discover(void)
{
	static struct sup_pci_sriov pfs[64];
	char path[128], limit[16];
	int n = sup_pci_scan(NULL, pfs, 64), i;
	FILE *f;

	if (n < 0) {
		vfb_err("setup discover: %s (reading PCI extended configuration space needs root)",
			strerror(-n));
		return VFB_EXIT_ENV;
	}
	if (!n)
		printf("no SR-IOV capable PCI function found\n");
	else
		printf("%-13s %-9s %-10s %8s %10s %6s %6s %6s %9s %14s\n", "PF",
		       "id", "driver", "TotalVFs", "InitialVFs", "NumVFs",
		       "offset", "stride", "VF id", "sriov_totalvfs");
	for (i = 0; i < n; i++) {
		/* the driver may allow fewer than the capability says */
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/sriov_totalvfs", pfs[i].bdf);
		snprintf(limit, sizeof(limit), "-");
		if ((f = fopen(path, "r"))) {
			if (fscanf(f, "%15s", limit) != 1)
				snprintf(limit, sizeof(limit), "-");
			fclose(f);
		}
		printf("%-13s %04x:%04x %-10s %8u %10u %6u %6u %6u %9x %14s\n",
		       pfs[i].bdf, pfs[i].vendor, pfs[i].device,
		       pfs[i].driver[0] ? pfs[i].driver : "-", pfs[i].total_vfs,
		       pfs[i].initial_vfs, pfs[i].num_vfs, pfs[i].offset,
		       pfs[i].stride, pfs[i].vf_device, limit);
	}
	return VFB_EXIT_OK;
}

/*
 * Every PF of the topology. An apply that fails puts the PFs before it
 * back as they were just before this command (their snapshots), as the
 * failing PF's own apply did for it.
 */
static int run_topology(const char *action, const struct vfb_fsroot *root,
			bool live, struct sup_topo_pf *t, int n)
{
	static struct sup_snap *snap[SUP_MAX_TOPO];
	bool apply = !strcmp(action, "apply");
	struct sup_req req;
	char err[512];
	int i, ret = 0, worst = VFB_EXIT_OK;

	for (i = 0; i < n; i++)
		if (build_req(&t[i].cfg, &req))
			return VFB_EXIT_USAGE;
	for (i = 0; i < n; i++) {
		build_req(&t[i].cfg, &req);
		snap[i] = apply ? sup_snap_take(root, &req, err, sizeof(err)) :
				  NULL;
		ret = apply && !snap[i] ? -1 :
					  do_action(action, root, live, &req);
		if (apply && !snap[i])
			vfb_err("setup apply: %s", err);
		ret = ret < 0 ? VFB_EXIT_ENV : ret;
		if (ret > worst)
			worst = ret;
		if (ret && apply)
			break;
	}
	if (ret && apply)
		while (i-- > 0) {
			if (sup_snap_restore(root, snap[i], err, sizeof(err)))
				vfb_err("setup apply: rolling back %s: %s",
					t[i].pf, err);
			else
				printf("rolled back %s to its state before this apply\n",
				       t[i].pf);
		}
	for (i = 0; i < n; i++) {
		sup_snap_free(snap[i]);
		snap[i] = NULL;
	}
	return worst;
}

int bench_cmd_setup(int argc, char **argv)
{
	static const char *const actions[] = { "plan", "apply", "verify",
					       "teardown", "discover" };
	struct sup_setup_cfg c = { .num_vfs = -1,
				   .timeout = 20,
				   .state_dir = "/run/vfbench",
				   .fsroot = "/" };
	static struct sup_topo_pf topo[SUP_MAX_TOPO];
	struct vfb_fsroot *root;
	struct sup_req req;
	const char *action;
	int ret, ntopo = 0;

	ret = vfb_opt_parse(
		setup_opts, "setup",
		"plan|apply|verify|teardown (--pf BDF|NETDEV --num-vfs N | --topology FILE) [OPTIONS]\n"
		"       vfbench setup discover",
		argc, argv, &c);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret != argc - 1 || onoff(argv[ret], actions, 5) < 0) {
		vfb_err("setup: say one of plan, apply, verify, teardown, discover");
		return VFB_EXIT_USAGE;
	}
	action = argv[ret];
	if (!strcmp(action, "discover"))
		return discover();
	if (!strcmp(action, "teardown") && c.num_vfs < 0)
		c.num_vfs = 0;
	if (c.topology &&
	    (c.pf || sup_topo_read(c.topology, &c, topo, &ntopo))) {
		if (c.pf)
			vfb_err("setup: --pf and --topology exclude each other");
		return VFB_EXIT_USAGE;
	}
	if (!c.topology && build_req(&c, &req))
		return VFB_EXIT_USAGE;
	if ((!strcmp(action, "apply") || !strcmp(action, "teardown")) &&
	    (geteuid() != 0 || strcmp(c.fsroot, "/"))) {
		if (strcmp(c.fsroot, "/")) {
			vfb_err("setup %s: only on the live sysfs, not --fsroot",
				action);
			return VFB_EXIT_USAGE;
		}
		vfb_err("setup %s: needs root (it writes sysfs and sets VFs over netlink)",
			action);
		return VFB_EXIT_ENV;
	}
	root = vfb_fsroot_open(c.fsroot);
	if (!root) {
		vfb_err("setup: --fsroot %s: %s", c.fsroot, strerror(errno));
		return VFB_EXIT_USAGE;
	}
	/* The kernel is asked about VFs only when sysfs is the live one. */
	if (c.topology)
		ret = run_topology(action, root, !strcmp(c.fsroot, "/"), topo,
				   ntopo);
	else
		ret = do_action(action, root, !strcmp(c.fsroot, "/"), &req);
	vfb_fsroot_close(root);
	return ret;
}
