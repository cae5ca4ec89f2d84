/* SPDX-License-Identifier: MIT */
#ifndef SUP_NL_H
#define SUP_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A VF as its PF reports it over rtnetlink (IFLA_VFINFO_LIST). */
struct sup_vf_state {
	uint8_t mac[6];
	int trust; /* -1: not reported */
	int spoofchk;
	int link_state; /* 0 auto, 1 enable, 2 disable, -1: not reported */
	int vlan;	/* the VLAN the PF tags its frames with, 0 none */
	int vlan_qos;	/* its 802.1p priority */
	uint32_t max_tx_rate, min_tx_rate; /* Mb/s, 0: none */
};

/* One attribute of one VF, set through libnl-route-3 (RTM_SETLINK). */
enum sup_vf_attr {
	SUP_VF_MAC,
	SUP_VF_TRUST,
	SUP_VF_LINK_STATE,
	SUP_VF_NODE_GUID,
	SUP_VF_PORT_GUID,
	SUP_VF_SPOOFCHK,
	SUP_VF_RATE, /* max_tx_rate and min_tx_rate together */
	SUP_VF_VLAN, /* 802.1Q VLAN the PF inserts and filters, 0 none */
};

struct sup_vf_value {
	enum sup_vf_attr attr;
	uint8_t mac[6];
	uint64_t u64; /* trust, link state, GUID, spoofchk, VLAN */
	uint32_t max_tx_rate, min_tx_rate; /* SUP_VF_RATE, Mb/s */
	uint32_t vlan_qos;		   /* SUP_VF_VLAN: its priority */
};

const char *sup_vf_attr_name(enum sup_vf_attr a);
/* 0 or a negative errno (-EOPNOTSUPP when the driver refuses). */
int sup_nl_vf_get(const char *pf_netdev, unsigned int vf,
		  struct sup_vf_state *st);
int sup_nl_vf_set(const char *pf_netdev, unsigned int vf,
		  const struct sup_vf_value *v);

#endif
