/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <infiniband/verbs.h>

#include "devinfo.h"
#include "log.h"

static const char *gid_type_name(uint32_t type, int link_layer)
{
	if (link_layer != IBV_LINK_LAYER_ETHERNET)
		return "IB";
	return type == IBV_GID_TYPE_ROCE_V2 ? "RoCE v2" : "RoCE v1";
}

static void port_gids(struct vt_port *p, const struct ibv_port_attr *pa,
		      const struct ibv_gid_entry *tab, ssize_t n)
{
	ssize_t i;

	for (i = 0; i < n; i++) {
		struct vt_gid *g;

		if (tab[i].port_num != (uint32_t)p->num)
			continue;
		g = &p->gids[p->ngids++];
		g->index = tab[i].gid_index;
		inet_ntop(AF_INET6, tab[i].gid.raw, g->gid, sizeof(g->gid));
		g->type = gid_type_name(tab[i].gid_type, pa->link_layer);
		g->ifindex = tab[i].ndev_ifindex;
	}
}

static int query_port(struct ibv_context *ctx, struct vt_devinfo *d,
		      struct vt_port *p, struct ibv_port_attr *pa)
{
	if (ibv_query_port(ctx, p->num, pa)) {
		vfb_err("ibv_query_port(%s, %d): %s", d->name, p->num,
			strerror(errno));
		return -errno;
	}
	p->state = ibv_port_state_str(pa->state);
	p->link_layer = pa->link_layer == IBV_LINK_LAYER_ETHERNET ?
				"Ethernet" :
				"InfiniBand";
	p->active_mtu = 128 << pa->active_mtu;
	p->gids = calloc(pa->gid_tbl_len + 1, sizeof(*p->gids));
	return p->gids ? 0 : -ENOMEM;
}

static int query_ports(struct ibv_context *ctx, struct vt_devinfo *d,
		       int nports)
{
	struct ibv_port_attr *pa;
	struct ibv_gid_entry *tab = NULL;
	size_t total = 0;
	ssize_t n;
	int i, ret = 0;

	d->ports = calloc(nports, sizeof(*d->ports));
	pa = calloc(nports, sizeof(*pa));
	if (!d->ports || !pa) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nports && !ret; i++) {
		d->ports[i].num = i + 1;
		ret = query_port(ctx, d, &d->ports[i], &pa[i]);
		d->nports++;
		total += pa[i].gid_tbl_len;
	}
	if (ret)
		goto out;
	tab = calloc(total + 1, sizeof(*tab));
	if (!tab) {
		ret = -ENOMEM;
		goto out;
	}
	/* Only valid entries come back; a kernel without the table gives < 0. */
	n = ibv_query_gid_table(ctx, tab, total, 0);
	for (i = 0; i < nports && n > 0; i++)
		port_gids(&d->ports[i], &pa[i], tab, n);
out:
	free(tab);
	free(pa);
	return ret;
}

static void free_ports(struct vt_devinfo *d)
{
	int i;

	for (i = 0; d->ports && i < d->nports; i++)
		free(d->ports[i].gids);
	free(d->ports);
	d->ports = NULL;
	d->nports = 0;
}

static int query_one(struct ibv_device *dev, struct vt_devinfo *d)
{
	struct ibv_device_attr attr;
	struct ibv_context *ctx;
	uint64_t guid;
	int ret;

	snprintf(d->name, sizeof(d->name), "%s", ibv_get_device_name(dev));
	guid = be64toh(ibv_get_device_guid(dev));
	snprintf(d->node_guid, sizeof(d->node_guid), "%04x:%04x:%04x:%04x",
		 (unsigned)(guid >> 48) & 0xffff,
		 (unsigned)(guid >> 32) & 0xffff,
		 (unsigned)(guid >> 16) & 0xffff, (unsigned)guid & 0xffff);
	ctx = ibv_open_device(dev);
	if (!ctx) {
		ret = errno ? -errno : -ENODEV;
		vfb_err("ibv_open_device(%s): %s", d->name, strerror(-ret));
		return ret;
	}
	if (ibv_query_device(ctx, &attr)) {
		ret = -errno;
		vfb_err("ibv_query_device(%s): %s", d->name, strerror(errno));
	} else {
		snprintf(d->fw_ver, sizeof(d->fw_ver), "%s", attr.fw_ver);
		ret = query_ports(ctx, d, attr.phys_port_cnt);
	}
	if (ret)
		free_ports(d);
	ibv_close_device(ctx);
	return ret;
}

int vt_devinfo_list(struct vt_devinfo **devs)
{
	struct ibv_device **list;
	struct vt_devinfo *out;
	int n, i, k = 0;

	*devs = NULL;
	list = ibv_get_device_list(&n);
	if (!list)
		return errno == ENOSYS ? 0 : -errno; /* ENOSYS: no ib_uverbs */
	out = calloc(n ? n : 1, sizeof(*out));
	if (!out) {
		ibv_free_device_list(list);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (query_one(list[i], &out[k]) == 0)
			k++;
	ibv_free_device_list(list);
	*devs = out;
	return k;
}

void vt_devinfo_free(struct vt_devinfo *devs, int ndevs)
{
	int i;

	for (i = 0; i < ndevs; i++)
		free_ports(&devs[i]);
	free(devs);
}
