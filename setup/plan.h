/* SPDX-License-Identifier: MIT */
#ifndef SUP_PLAN_H
#define SUP_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fsroot.h"
#include "nl.h"
#include "sriov.h"

#define SUP_MAX_VFS   256
#define SUP_MAX_STEPS (8 * SUP_MAX_VFS + 8)

/* What the user asked for one PF. */
struct sup_req {
	const char *pf; /* BDF (0000:01:00.0) or netdev */
	long num_vfs;
	bool mac; /* assign MACs from mac_base */
	uint8_t mac_base[6];
	bool guid; /* assign GUIDs from guid_base or guids[] */
	uint64_t guid_base;
	uint64_t guids[SUP_MAX_VFS]; /* explicit node GUIDs, nguids of them */
	size_t nguids;
	int trust;	/* -1: leave */
	int link_state; /* -1: leave; 0 auto, 1 enable, 2 disable */
	bool vlan;	/* set each VF's VLAN (IFLA_VF_VLAN) to vlans[i] */
	uint16_t vlans[SUP_MAX_VFS]; /* 1-4094, 0: none (untagged) */
	bool rate; /* set the VFs' transmit rates (IFLA_VF_RATE) */
	uint32_t max_tx_rate, min_tx_rate; /* Mb/s, 0: no limit */
	const char *driver;    /* VF driver_override (vfio-pci), NULL: leave */
	bool force;	       /* change a PF whose VFs are in use */
	int timeout_ms;	       /* for VF netdevs to appear */
	const char *state_dir; /* where apply records the prior state */
};

struct sup_pf {
	char bdf[32], netdev[32], driver[32];
	struct sup_sriov sr;
};

enum sup_step_kind {
	SUP_STEP_NUMVFS,   /* write sriov_numvfs = value */
	SUP_STEP_WAIT,	   /* wait for the VFs' netdevs */
	SUP_STEP_VF,	   /* one netlink request for one VF attribute */
	SUP_STEP_OVERRIDE, /* write a VF's driver_override */
	SUP_STEP_REBIND,   /* unbind and probe a VF again */
};

struct sup_step {
	enum sup_step_kind kind;
	unsigned int vf;
	long value;
	struct sup_vf_value v;
	char text[160]; /* what plan prints */
};

struct sup_plan {
	struct sup_pf pf;
	long want; /* VFs asked for */
	struct sup_step steps[SUP_MAX_STEPS];
	int n;
	char vf_bdf[SUP_MAX_VFS][32];
};

/* BDF or netdev to an SR-IOV PF; errors name the device. */
int sup_pf_resolve(const struct vfb_fsroot *root, const char *pf,
		   struct sup_pf *out, char *err, size_t errlen);
/* BDF of VF I: routing ID of the PF + offset + I * stride. */
int sup_vf_bdf(const char *pf_bdf, long offset, long stride, unsigned int i,
	       char *out, size_t len);
/* The steps for REQ from the current state. LIVE: ask the kernel for the
 * VFs' current settings (only then are equal settings skipped). */
/* Whether the netdev of VF BDF has MAC BASE + I (true when it has no
 * netdev: nothing there to pick the MAC up). */
bool sup_vf_netdev_has_mac(const struct vfb_fsroot *root, const char *bdf,
			   const uint8_t base[6], unsigned int i);
int sup_plan_build(const struct vfb_fsroot *root, const struct sup_req *req,
		   bool live, struct sup_plan *plan, char *err, size_t errlen);
void sup_plan_print(FILE *f, const struct sup_plan *plan);

/*
 * Apply: record the prior state, run the steps, and on the first failure
 * undo what was done and return its negative errno with ERR naming the
 * device and the value. Verify: read everything back; prints each
 * mismatch, returns their count. Teardown: restore the recorded state.
 */
int sup_apply(const struct vfb_fsroot *root, const struct sup_req *req,
	      struct sup_plan *plan, char *err, size_t errlen);
int sup_verify(const struct vfb_fsroot *root, const struct sup_req *req,
	       FILE *out, char *err, size_t errlen);
int sup_teardown(const struct vfb_fsroot *root, const struct sup_req *req,
		 char *err, size_t errlen);
/* What 'setup apply' recorded for PF_BDF (in REQ->state_dir) into REQ:
 * the VF count, the MAC base, trust, link state, rates, the VLANs; what verify checks a PF against
 * after others changed it (vfbench drill). 0, or -ENOENT: no record. */
int sup_req_recorded(struct sup_req *req, const char *pf_bdf);

#endif
