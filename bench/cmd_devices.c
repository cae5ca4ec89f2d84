/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "classify.h"
#include "commands.h"
#include "devinfo.h"
#include "env.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"

struct devices_cfg {
	bool json;
	const char *fsroot;
};

static const struct vfb_opt devices_opts[] = {
	{ .name = "json",
	  .key = 'j',
	  .type = VFB_OPT_FLAG,
	  .offset = offsetof(struct devices_cfg, json),
	  .help = "print JSON instead of text" },
	{ .name = "fsroot",
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct devices_cfg, fsroot),
	  .metavar = "DIR",
	  .help = "read sysfs under DIR instead of / (captured trees)" },
	VFB_OPT_END,
};

static const char *ifname(unsigned int ifindex, char *buf)
{
	if (!ifindex || !if_indextoname(ifindex, buf))
		return "";
	return buf;
}

static json_object *port_json(const struct vt_port *p)
{
	json_object *o = json_object_new_object(), *gids;
	char name[IF_NAMESIZE];
	int i;

	json_object_object_add(o, "port", json_object_new_int(p->num));
	json_object_object_add(o, "state", json_object_new_string(p->state));
	json_object_object_add(o, "link_layer",
			       json_object_new_string(p->link_layer));
	json_object_object_add(o, "active_mtu",
			       json_object_new_int(p->active_mtu));
	gids = json_object_new_array();
	for (i = 0; i < p->ngids; i++) {
		json_object *g = json_object_new_object();

		json_object_object_add(g, "index",
				       json_object_new_int(p->gids[i].index));
		json_object_object_add(g, "gid",
				       json_object_new_string(p->gids[i].gid));
		json_object_object_add(g, "type",
				       json_object_new_string(p->gids[i].type));
		json_object_object_add(g, "netdev",
				       json_object_new_string(ifname(
					       p->gids[i].ifindex, name)));
		json_object_array_add(gids, g);
	}
	json_object_object_add(o, "gids", gids);
	return o;
}

static json_object *str_or_null(const char *s)
{
	return s[0] ? json_object_new_string(s) : NULL;
}

static void class_json(json_object *o, const struct host_devclass *dc)
{
	json_object_object_add(o, "path",
			       json_object_new_string(dc->path->name));
	json_object_object_add(o, "provider", str_or_null(dc->provider));
	json_object_object_add(o, "software",
			       json_object_new_boolean(dc->software));
	json_object_object_add(o, "netdev", str_or_null(dc->netdev));
	json_object_object_add(o, "pci", str_or_null(dc->pci));
	json_object_object_add(o, "driver", str_or_null(dc->driver));
	json_object_object_add(o, "sriov", json_object_new_boolean(dc->sriov));
	if (dc->sriov) {
		json_object_object_add(o, "total_vfs",
				       json_object_new_int64(dc->total_vfs));
		json_object_object_add(o, "num_vfs",
				       json_object_new_int64(dc->num_vfs));
	}
	if (dc->facts.physfn) {
		json_object_object_add(o, "pf_pci", str_or_null(dc->pf_pci));
		json_object_object_add(o, "vf_index",
				       json_object_new_int(dc->vf_index));
	}
	json_object_object_add(
		o, "numa_node",
		dc->numa_node < 0 ? NULL : json_object_new_int(dc->numa_node));
	if (dc->note[0])
		json_object_object_add(o, "note",
				       json_object_new_string(dc->note));
	if (dc->error[0])
		json_object_object_add(o, "error",
				       json_object_new_string(dc->error));
}

static json_object *device_json(const struct vfb_fsroot *root,
				const struct vt_devinfo *d,
				const struct host_devclass *dc)
{
	json_object *o = json_object_new_object(), *ports;
	int i;

	json_object_object_add(o, "name", json_object_new_string(d->name));
	json_object_object_add(o, "node_guid",
			       json_object_new_string(d->node_guid));
	json_object_object_add(o, "fw_ver", json_object_new_string(d->fw_ver));
	class_json(o, dc);
	ports = json_object_new_array();
	for (i = 0; i < d->nports; i++) {
		json_object *p = port_json(&d->ports[i]);
		char path[PATH_MAX], rate[64];

		snprintf(path, sizeof(path),
			 "/sys/class/infiniband/%s/ports/%d/rate", d->name,
			 d->ports[i].num);
		json_object_object_add(
			p, "rate",
			vfb_fs_read(root, path, rate, sizeof(rate)) > 0 ?
				json_object_new_string(rate) :
				NULL);
		json_object_array_add(ports, p);
	}
	json_object_object_add(o, "ports", ports);
	return o;
}

static void print_text(const struct vt_devinfo *d,
		       const struct host_devclass *dc)
{
	char name[IF_NAMESIZE], numa[16] = "-";
	int i, g;

	if (dc->numa_node >= 0)
		snprintf(numa, sizeof(numa), "%d", dc->numa_node);
	printf("%s: path %s, provider %s%s, node_guid %s\n", d->name,
	       dc->path->name, dc->provider[0] ? dc->provider : "?",
	       dc->software ? " (software)" : "", d->node_guid);
	if (dc->note[0])
		printf("    %s\n", dc->note);
	if (dc->error[0])
		printf("    error: %s\n", dc->error);
	printf("    netdev %s, pci %s (%s), numa %s\n",
	       dc->netdev[0] ? dc->netdev : "-", dc->pci[0] ? dc->pci : "-",
	       dc->driver[0] ? dc->driver : "no driver", numa);
	if (dc->facts.physfn)
		printf("    VF %d of PF %s\n", dc->vf_index, dc->pf_pci);
	if (dc->sriov)
		printf("    SR-IOV PF: %ld of %ld VFs enabled\n", dc->num_vfs,
		       dc->total_vfs);
	for (i = 0; i < d->nports; i++) {
		const struct vt_port *p = &d->ports[i];

		printf("    port %d: %s, %s, active MTU %d\n", p->num, p->state,
		       p->link_layer, p->active_mtu);
		for (g = 0; g < p->ngids; g++)
			printf("        gid %-3d %-39s %-8s %s\n",
			       p->gids[g].index, p->gids[g].gid,
			       p->gids[g].type,
			       ifname(p->gids[g].ifindex, name));
	}
}

static int devices_show(const struct devices_cfg *cfg,
			const struct vfb_fsroot *root)
{
	struct vt_devinfo *devs;
	json_object *arr = NULL, *top;
	int n, i;

	n = vt_devinfo_list(&devs);
	if (n < 0) {
		vfb_err("listing RDMA devices: %s", strerror(-n));
		return VFB_EXIT_ENV;
	}
	if (cfg->json)
		arr = json_object_new_array();
	else if (n == 0)
		printf("no RDMA devices found\n");
	for (i = 0; i < n; i++) {
		struct host_devclass dc;

		if (host_classify(root, devs[i].name, &dc))
			vfb_warn("%s", dc.error);
		if (cfg->json)
			json_object_array_add(arr,
					      device_json(root, &devs[i], &dc));
		else
			print_text(&devs[i], &dc);
	}
	if (cfg->json) {
		top = json_object_new_object();
		json_object_object_add(top, "devices", arr);
		printf("%s\n",
		       json_object_to_json_string_ext(
			       top, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(top);
	}
	vt_devinfo_free(devs, n);
	return VFB_EXIT_OK;
}

int bench_cmd_devices(int argc, char **argv)
{
	struct devices_cfg cfg = { .fsroot = "/" };
	struct vfb_fsroot *root;
	int ret;

	ret = vfb_opt_parse(devices_opts, "devices", "[--json]", argc, argv,
			    &cfg);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret < argc) {
		vfb_err("devices: unexpected argument '%s'", argv[ret]);
		return VFB_EXIT_USAGE;
	}
	root = vfb_fsroot_open(cfg.fsroot);
	if (!root) {
		vfb_err("devices: --fsroot %s: %s", cfg.fsroot,
			strerror(errno));
		return VFB_EXIT_USAGE;
	}
	ret = devices_show(&cfg, root);
	vfb_fsroot_close(root);
	return ret;
}
