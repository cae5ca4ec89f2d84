/* SPDX-License-Identifier: MIT */
#ifndef VAL_VALIDATE_H
#define VAL_VALIDATE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * vfbench validate: what each path's function can do (its capabilities,
 * side by side with the PF's) and whether what it claims holds: each
 * claim tried on the device with a loopback pair of RC QPs, each memory
 * protection tried with a positive control (the same operation done
 * legitimately must succeed, or the check fails: a check that cannot
 * fail proves nothing).
 *
 * The checks reach the device only through struct val_ops (the live
 * one over libibverbs in live.c; the tests give fakes). Every op may be
 * left NULL: it then answers -VAL_NOT_TRIED, as rdma-core's dummy ops
 * answer EOPNOTSUPP; a check given that answer skips, never passes.
 *
 * Error contract: functions return 0 or a negative errno; the checks
 * never log, they say what they saw in their result's evidence.
 */

/* A check's verdict. VAL_UNSET is what a cleared result holds and is
 * never one: a check that sets none is failed by the runner ("check set
 * no verdict"), so a forgotten val_set() can never read as a pass. */
enum val_status { VAL_UNSET, VAL_PASS, VAL_FAIL, VAL_SKIP, VAL_NSTATUS };

/* What an op the ops lack answers (negated): the check was not tried. */
#define VAL_NOT_TRIED ENOSYS
/* Whether an op's RET is the refusal of a feature the device does not
 * do: -EOPNOTSUPP or -EINVAL from the create itself (as rdma-core's
 * dummy ops and the kernel answer). The live ops give neither for a
 * failure after the object was made (that is -EIO, the step in WHY). */
static inline bool val_refused_unsupported(int ret)
{
	return ret == -EOPNOTSUPP || ret == -EINVAL;
}
const char *val_status_name(enum val_status s);

/* The capability attributes, one table (caps.c): adding one is an entry
 * here, one in the table and the line of live.c that reads it. */
enum val_attr {
	VAL_MAX_QP,
	VAL_MAX_QP_WR,
	VAL_MAX_SGE,
	VAL_MAX_CQ,
	VAL_MAX_CQE,
	VAL_MAX_MR,
	VAL_MAX_MR_SIZE,
	VAL_MAX_PD,
	VAL_MAX_QP_RD_ATOM,
	VAL_MAX_QP_INIT_RD_ATOM,
	VAL_ATOMIC_CAP,
	VAL_MAX_SRQ,
	VAL_MAX_SRQ_WR,
	VAL_XRC,
	VAL_MW,
	VAL_MW_2A,
	VAL_MW_2B,
	VAL_UD_AV_PORT_ENFORCE,
	VAL_ODP,
	VAL_ODP_RC,
	VAL_ODP_UC,
	VAL_ODP_UD,
	VAL_MAX_MSG_SZ,
	VAL_ACTIVE_MTU,
	VAL_GID_ROCE_V1,
	VAL_GID_ROCE_V2,
	VAL_PKEY_TBL_LEN,
	VAL_NATTRS
};

/* ATOMIC_CAP's values, as ibv_atomic_cap */
enum { VAL_ATOMIC_NONE, VAL_ATOMIC_HCA, VAL_ATOMIC_GLOB };

struct val_caps {
	int64_t v[VAL_NATTRS]; /* -1: not known */
};

/* The attribute I's name and meaning; NULL past the last. */
struct val_attr_info {
	const char *name;
	const char *help;
};
const struct val_attr_info *val_attr(size_t i);
/* CAPS's attribute I as text ("128", "yes", "HCA", "1024 B", "?"). */
const char *val_attr_text(const struct val_caps *caps, size_t i, char *buf,
			  size_t len);

/* What a protection check posts from QP A to a buffer of QP B. */
enum val_rop_kind { VAL_ROP_WRITE, VAL_ROP_READ, VAL_ROP_FADD, VAL_ROP_CSWAP };
/* ... and what it does wrong (VAL_BAD_NONE: the positive control). */
enum val_bad {
	VAL_BAD_NONE,
	VAL_BAD_RKEY,	 /* a wrong rkey */
	VAL_BAD_PAST,	 /* past the end of the MR */
	VAL_BAD_DEREG,	 /* the MR deregistered before the post */
	VAL_BAD_NOFLAGS, /* the MR registered without remote access */
	VAL_BAD_CROSS,	 /* from inside the MR across its end (WRITE, READ;
			  * an aligned atomic cannot cross it) */
	VAL_BAD_NEAR,	 /* the valid rkey + delta: a guess next to it */
	VAL_BAD_FOREIGN, /* another function's MR, its own rkey and address */
};
struct val_dev;
struct val_rop {
	enum val_rop_kind kind;
	enum val_bad bad;
	int32_t delta; /* VAL_BAD_NEAR: added to the valid rkey */
	/* VAL_BAD_FOREIGN: the function whose MR is aimed at (registered
	 * on its PD, over its buffer), from this function's QP */
	struct val_dev *foreign;
};
/* A completion, as the checks judge it. */
enum val_wc {
	VAL_WC_OK,
	VAL_WC_REM_ACCESS, /* IBV_WC_REM_ACCESS_ERR */
	VAL_WC_ERROR,	   /* any other error status */
	VAL_WC_TIMEOUT,	   /* no completion within the timeout */
	VAL_WC_INV_REQ,	   /* the operation itself refused as one the
			    * device does not do: IBV_WC_REM_INV_REQ_ERR,
			    * IBV_WC_LOC_QP_OP_ERR */
};
struct val_rop_out {
	enum val_wc wc;
	bool qp_error;	     /* the QP was in error after it */
	bool target_changed; /* the target's bytes are not what they were */
	bool local_changed;  /* READ, atomics: the local buffer was written */
	bool value_ok;	 /* the positive control: the data is what it must be */
	char status[48]; /* the completion's status as libibverbs names it */
};

/* A VF's settings as its PF reports them (rtnetlink's IFLA_VF_INFO):
 * 1 on, 0 off, -1 not reported; link_state 0 auto, 1 enable, 2
 * disable. */
struct val_vf_state {
	int spoofchk, trust, link_state;
};

/* The objects a function gives, counted. */
enum val_obj { VAL_OBJ_QP, VAL_OBJ_CQ, VAL_OBJ_MR, VAL_NOBJS };

struct val_dev;
struct val_ops {
	/* Open DEV (port, GID index, completion timeout in ms) and a
	 * loopback pair of RC QPs connected to each other on that port. */
	int (*open)(void *arg, const char *dev, int port, int gid,
		    int timeout_ms, struct val_dev **out);
	void (*close)(struct val_dev *d);
	int (*query)(struct val_dev *d, struct val_caps *caps);
	/* Create an SRQ, a QP whose receives come from it and SEND one
	 * message through it: 0, or a negative errno with WHY. */
	int (*srq_send)(struct val_dev *d, char *why, size_t len);
	/* Create a QP with max_inline_data WANT: 0 and what it read back
	 * in *GOT, or a negative errno (refused). */
	int (*inline_qp)(struct val_dev *d, uint32_t want, uint32_t *got);
	/* An inline RDMA WRITE of LEN bytes from A to B: 0 when it
	 * completed and the bytes arrived. */
	int (*inline_write)(struct val_dev *d, uint32_t len, char *why,
			    size_t wlen);
	/* Allocate a memory window of TYPE (1, 2), bind it and RDMA WRITE
	 * through its rkey: 0, or a negative errno with WHY. */
	int (*mw_bind)(struct val_dev *d, int type, char *why, size_t len);
	/* Register an on-demand-paging MR (IBV_ACCESS_ON_DEMAND) and RDMA
	 * WRITE through it: 0, or a negative errno with WHY. */
	int (*odp_write)(struct val_dev *d, char *why, size_t len);
	/* Register BYTES (and deregister): 0 or a negative errno. */
	int (*mr_reg)(struct val_dev *d, uint64_t bytes);
	/* Create objects of KIND until LIMIT or a refusal, release them
	 * (LIMIT 0: none, only *IN_USE):
	 * how many it gave (>= 0), or a negative errno; *IN_USE: what the
	 * pair itself holds of KIND. */
	int (*count)(struct val_dev *d, enum val_obj kind, int limit,
		     int *in_use);
	/* Post OP from A to B's buffer and judge it (OUT); the pair is
	 * made good again after a QP in error. 0, or a negative errno when
	 * it could not be tried (WHY). */
	int (*rop)(struct val_dev *d, const struct val_rop *op,
		   struct val_rop_out *out, char *why, size_t len);
	/* N signaled RDMA WRITEs of BYTES from A to B, one at a time, each
	 * polled for without sleeping: each round trip (post to
	 * completion) in US[i], microseconds. 0, or a negative errno with
	 * WHY (vfbench health's loopback probe). */
	int (*pingpong)(struct val_dev *d, uint32_t bytes, int n, double *us,
			char *why, size_t len);
	/* VF VF of PF_NETDEV as the PF reports it (ARG: the open's): 0, or
	 * a negative errno. */
	int (*vf_state)(void *arg, const char *pf_netdev, unsigned int vf,
			struct val_vf_state *st);
};

/* The checks and the table's entries for help and docs. */
struct val_check_info {
	const char *id;
	const char *group;
	const char *needs; /* "" when it needs nothing claimed */
	const char *help;
};
/* The table's check I, -ENOENT past the last. */
int val_check_info(size_t i, struct val_check_info *info);
/* Whether WORD is a check's id or a group: each of a --checks list. */
bool val_check_known(const char *word);

/* One result: a check on one path. */
struct val_result {
	const char *id;
	const char *path;
	const char *device;
	enum val_status status;
	char expected[160];
	char observed[160];
	char evidence[320];
};

typedef void (*val_emit_fn)(const struct val_result *r, void *arg);

/* One path to validate: its kind's name, its device ("" with WHY: the
 * checks skip, saying WHY). */
struct val_path {
	const char *path;
	const char *dev;
	const char *why;
	/* another function of the run (the cross-function checks aim at
	 * its memory; NULL: none, they skip) */
	const char *other_dev;
	/* a VF: its PF's netdev and its index there ("" and -1: not a VF,
	 * or its PF has no netdev) */
	char pf_netdev[32];
	int vf;
	struct val_caps caps; /* filled by val_run_path (-1s when not) */
	bool queried;
};

struct val_config {
	const struct val_ops *ops; /* NULL ops: -VAL_NOT_TRIED */
	void *ops_arg;
	const char *checks; /* comma list of ids or prefixes, NULL: all */
	int port, gid, timeout_ms;
	/* non-zero: stop before the next check (a signal's number) */
	const volatile int *abort;
};

/*
 * Validate path P: open its device, query its capabilities into P->caps,
 * run each check cfg->checks selects, calling EMIT for each in table
 * order (until *cfg->abort is set: the rest are not run). Returns the number of failed checks, or a negative errno when
 * the device could not be opened (every check then emitted as skip with
 * the reason).
 */
int val_run_path(const struct val_config *cfg, struct val_path *p,
		 val_emit_fn emit, void *arg);

/* The live ops (libibverbs). */
const struct val_ops *val_live_ops(void);

#endif
