/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

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
	rate.api = RTNL_LINK_VF_RATE_API_NEW;
	if (!rtnl_link_vf_get_rate(vf, &rate)) {
		st->has_rate = true;
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

int sup_nl_vf_set(const char *pf, unsigned int idx,
		  const struct sup_vf_value *v)
{
	struct rtnl_link *link, *chg;
	struct rtnl_link_vf *vf;
	struct nl_addr *addr = NULL;
	struct nl_vf_rate rate;
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
	switch (v->attr) {
	case SUP_VF_MAC:
		addr = nl_addr_build(AF_LLC, v->mac, 6);
		rtnl_link_vf_set_addr(vf, addr);
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
	}
	ret = rtnl_link_vf_add(chg, vf);
	if (!ret)
		ret = rtnl_link_change(sk, link, chg, 0);
	ret = ret ? nl_errno(ret) : 0;
out:
	if (addr)
		nl_addr_put(addr);
	if (vf)
		rtnl_link_vf_put(vf);
	if (chg)
		rtnl_link_put(chg);
	rtnl_link_put(link);
	nl_socket_free(sk);
	return ret;
}
