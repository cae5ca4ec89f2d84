/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include <linux/if_ether.h>

#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>

#include "nl.h"

const char *sup_vf_attr_name(enum sup_vf_attr a)
{
	static const char *const names[] = {
		[SUP_VF_MAC] = "mac",
		[SUP_VF_TRUST] = "trust",
		[SUP_VF_LINK_STATE] = "state",
		[SUP_VF_NODE_GUID] = "node_guid",
		[SUP_VF_PORT_GUID] = "port_guid",
		[SUP_VF_SPOOFCHK] = "spoofchk",
		[SUP_VF_RATE] = "rate",
		[SUP_VF_VLAN] = "vlan",
	};

	return names[a];
}

/* libnl's own error codes, back to errno. */
static int nl_errno(int nle)
{
	switch (-nle) {
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_PERM:
		return -EPERM;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_NODEV:
	case NLE_OBJ_NOTFOUND:
		return -ENODEV;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_RANGE:
		return -ERANGE;
	}
	return -EIO;
}

static int open_link(const char *pf, struct nl_sock **sk,
		     struct rtnl_link **link)
{
	int ret;

	*sk = nl_socket_alloc();
	if (!*sk)
		return -ENOMEM;
	ret = nl_connect(*sk, NETLINK_ROUTE);
	if (!ret)
		ret = rtnl_link_get_kernel(*sk, 0, pf, link);
	if (ret) {
		nl_socket_free(*sk);
		return nl_errno(ret);
	}
	return 0;
}

int sup_nl_vf_get(const char *pf, unsigned int idx, struct sup_vf_state *st)
{
	struct rtnl_link *link;
	struct rtnl_link_vf *vf;
	struct nl_addr *addr;
	struct nl_sock *sk;
	struct nl_vf_rate rate;
	nl_vf_vlans_t *vlans;
	uint32_t v, num = 0;
	int ret;

	memset(st, 0, sizeof(*st));
	st->trust = st->spoofchk = st->link_state = -1;
	ret = open_link(pf, &sk, &link);
	if (ret)
		return ret;
	/* libnl 3.7 crashes in rtnl_link_vf_get() on a link without a VF
	 * list: ask for the count first. */
	if (rtnl_link_get_num_vf(link, &num) || idx >= num) {
		ret = -ENOENT;
		goto out;
	}
	vf = rtnl_link_vf_get(link, idx);
	if (!vf) {
		ret = -ENOENT;
		goto out;
	}
	if (!rtnl_link_vf_get_addr(vf, &addr) && nl_addr_get_len(addr) >= 6)
		memcpy(st->mac, nl_addr_get_binary_addr(addr), 6);
	if (!rtnl_link_vf_get_trust(vf, &v))
		st->trust = (int)v;
	if (!rtnl_link_vf_get_spoofchk(vf, &v))
		st->spoofchk = (int)v;
	if (!rtnl_link_vf_get_linkstate(vf, &v))
		st->link_state = (int)v;
	/* the kernel always sends IFLA_VF_VLAN (ndo_get_vf_config's vlan);
	 * libnl keeps it only when it is not 0, or the IFLA_VF_VLAN_LIST */
	if (!rtnl_link_vf_get_vlans(vf, &vlans)) {
		if (vlans->size > 0) {
			st->vlan = (int)vlans->vlans[0].vf_vlan;
			st->vlan_qos = (int)vlans->vlans[0].vf_vlan_qos;
		}
		rtnl_link_vf_vlan_put(vlans);
	}
	/* the kernel always sends IFLA_VF_RATE too; libnl keeps rates that
	 * are not 0 only, so none kept is "no limit", not "not reported" */
	rate.api = RTNL_LINK_VF_RATE_API_NEW;
	if (!rtnl_link_vf_get_rate(vf, &rate)) {
		st->max_tx_rate =
			rate.max_tx_rate ? rate.max_tx_rate : rate.rate;
		st->min_tx_rate = rate.min_tx_rate;
	}
	rtnl_link_vf_put(vf);
out:
	rtnl_link_put(link);
	nl_socket_free(sk);
	return ret;
}

/* V's attribute into VF; VF holds its own references (libnl takes one
 * of the address and of the VLAN list it is given). */
static int vf_fill(struct rtnl_link_vf *vf, const struct sup_vf_value *v)
{
	struct nl_vf_rate rate;
	struct nl_addr *addr;
	nl_vf_vlans_t *vlans;
	int ret;

	switch (v->attr) {
	case SUP_VF_MAC:
		addr = nl_addr_build(AF_LLC, v->mac, 6);
		if (!addr)
			return -ENOMEM;
		rtnl_link_vf_set_addr(vf, addr);
		nl_addr_put(addr);
		break;
	case SUP_VF_TRUST:
		rtnl_link_vf_set_trust(vf, (uint32_t)v->u64);
		break;
	case SUP_VF_LINK_STATE:
		rtnl_link_vf_set_linkstate(vf, (uint32_t)v->u64);
		break;
	case SUP_VF_NODE_GUID:
		rtnl_link_vf_set_ib_node_guid(vf, v->u64);
		break;
	case SUP_VF_PORT_GUID:
		rtnl_link_vf_set_ib_port_guid(vf, v->u64);
		break;
	case SUP_VF_SPOOFCHK:
		rtnl_link_vf_set_spoofchk(vf, (uint32_t)v->u64);
		break;
	case SUP_VF_RATE:
		rate = (struct nl_vf_rate){ .api = RTNL_LINK_VF_RATE_API_NEW,
					    .max_tx_rate = v->max_tx_rate,
					    .min_tx_rate = v->min_tx_rate };
		rtnl_link_vf_set_rate(vf, &rate);
		break;
	case SUP_VF_VLAN:
		/* one 802.1Q VLAN: libnl sends it as IFLA_VF_VLAN,
		 * as 'ip link set PF vf N vlan ID' does */
		ret = rtnl_link_vf_vlan_alloc(&vlans, 1);
		if (ret)
			return nl_errno(ret);
		vlans->vlans[0].vf_vlan = (uint32_t)v->u64;
		vlans->vlans[0].vf_vlan_qos = v->vlan_qos;
		vlans->vlans[0].vf_vlan_proto = ETH_P_8021Q;
		rtnl_link_vf_set_vlans(vf, vlans);
		rtnl_link_vf_vlan_put(vlans);
		break;
	}
	return 0;
}

int sup_nl_vf_set(const char *pf, unsigned int idx,
		  const struct sup_vf_value *v)
{
	struct rtnl_link *link, *chg;
	struct rtnl_link_vf *vf;
	struct nl_sock *sk;
	int ret;

	ret = open_link(pf, &sk, &link);
	if (ret)
		return ret;
	chg = rtnl_link_alloc();
	vf = rtnl_link_vf_alloc();
	if (!chg || !vf) {
		ret = -ENOMEM;
		goto out;
	}
	rtnl_link_vf_set_index(vf, idx);
	ret = vf_fill(vf, v);
	if (ret)
		goto out;
	ret = rtnl_link_vf_add(chg, vf);
	if (!ret)
		ret = rtnl_link_change(sk, link, chg, 0);
	ret = ret ? nl_errno(ret) : 0;
out:
	if (vf)
		rtnl_link_vf_put(vf);
	if (chg)
		rtnl_link_put(chg);
	rtnl_link_put(link);
	nl_socket_free(sk);
	return ret;
}
