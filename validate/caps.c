/* SPDX-License-Identifier: MIT */
/* The capability attributes: one table, names and meanings, and how
 * each reads as text (validate.h). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include "validate.h"

enum attr_kind { NUM, YESNO, ATOMIC, BYTES, MASK };

struct attr {
	struct val_attr_info info;
	enum attr_kind kind;
};

static const struct attr attrs[VAL_NATTRS] = {
	[VAL_MAX_QP] = { { "max_qp", "queue pairs" }, NUM },
	[VAL_MAX_QP_WR] = { { "max_qp_wr", "work requests a queue holds" },
			    NUM },
	[VAL_MAX_SGE] = { { "max_sge", "scatter/gather entries a WR" }, NUM },
	[VAL_MAX_CQ] = { { "max_cq", "completion queues" }, NUM },
	[VAL_MAX_CQE] = { { "max_cqe", "entries a CQ holds" }, NUM },
	[VAL_MAX_MR] = { { "max_mr", "memory regions" }, NUM },
	[VAL_MAX_MR_SIZE] = { { "max_mr_size", "the largest MR" }, BYTES },
	[VAL_MAX_PD] = { { "max_pd", "protection domains" }, NUM },
	[VAL_MAX_QP_RD_ATOM] = { { "max_qp_rd_atom",
				   "READs/atomics a QP answers at once "
				   "(responder)" },
				 NUM },
	[VAL_MAX_QP_INIT_RD_ATOM] = { { "max_qp_init_rd_atom",
					"READs/atomics a QP has outstanding "
					"(initiator)" },
				      NUM },
	[VAL_ATOMIC_CAP] = { { "atomic_cap", "NONE, HCA or GLOB" }, ATOMIC },
	[VAL_MAX_SRQ] = { { "max_srq", "shared receive queues" }, NUM },
	[VAL_MAX_SRQ_WR] = { { "max_srq_wr", "WRs an SRQ holds" }, NUM },
	[VAL_XRC] = { { "xrc", "device_cap_flags XRC" }, YESNO },
	[VAL_MW] = { { "mem_window", "device_cap_flags MEM_WINDOW (type 1)" },
		     YESNO },
	[VAL_MW_2A] = { { "mem_window_2a", "device_cap_flags "
					   "MEM_WINDOW_TYPE_2A" },
			YESNO },
	[VAL_MW_2B] = { { "mem_window_2b", "device_cap_flags "
					   "MEM_WINDOW_TYPE_2B" },
			YESNO },
	[VAL_UD_AV_PORT_ENFORCE] = { { "ud_av_port_enforce",
				       "device_cap_flags UD_AV_PORT_ENFORCE" },
				     YESNO },
	[VAL_ODP] = { { "odp", "on-demand paging (odp_caps general_caps)" },
		      YESNO },
	[VAL_ODP_RC] = { { "odp_rc", "ODP operations on RC (a bit mask)" },
			 MASK },
	[VAL_ODP_UC] = { { "odp_uc", "ODP operations on UC (a bit mask)" },
			 MASK },
	[VAL_ODP_UD] = { { "odp_ud", "ODP operations on UD (a bit mask)" },
			 MASK },
	[VAL_MAX_MSG_SZ] = { { "max_msg_sz", "the largest message (port)" },
			     BYTES },
	[VAL_ACTIVE_MTU] = { { "active_mtu", "the port's active MTU" }, BYTES },
	[VAL_GID_ROCE_V1] = { { "gid_roce_v1", "GID table entries of RoCE v1" },
			      NUM },
	[VAL_GID_ROCE_V2] = { { "gid_roce_v2", "GID table entries of RoCE v2" },
			      NUM },
	[VAL_PKEY_TBL_LEN] = { { "pkey_tbl_len", "the port's pkey table" },
			       NUM },
};

const struct val_attr_info *val_attr(size_t i)
{
	return i < VAL_NATTRS ? &attrs[i].info : NULL;
}

const char *val_attr_text(const struct val_caps *caps, size_t i, char *buf,
			  size_t len)
{
	static const char *const atomic[] = { "NONE", "HCA", "GLOB" };
	int64_t v = i < VAL_NATTRS ? caps->v[i] : -1;

	if (v < 0)
		return "?";
	switch (attrs[i].kind) {
	case YESNO:
		return v ? "yes" : "no";
	case ATOMIC:
		return v <= VAL_ATOMIC_GLOB ? atomic[v] : "?";
	case BYTES:
		if (v == INT64_MAX) /* the device said 2^64 - 1: no limit */
			return "2^64-1 B";
		snprintf(buf, len, "%" PRId64 " B", v);
		return buf;
	case MASK:
		snprintf(buf, len, "0x%" PRIx64, v);
		return buf;
	default:
		snprintf(buf, len, "%" PRId64, v);
		return buf;
	}
}
