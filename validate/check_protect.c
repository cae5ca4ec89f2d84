/* SPDX-License-Identifier: MIT */
/* Whether memory is fenced in, on the loopback pair: each forbidden
 * operation must end in a remote access error with the target bytes
 * unchanged, and its positive control (the same operation, done
 * legitimately) must succeed, or the check fails. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "valcheck.h"

static const char *const kind_name[] = {
	[VAL_ROP_WRITE] = "RDMA WRITE",
	[VAL_ROP_READ] = "RDMA READ",
	[VAL_ROP_FADD] = "atomic fetch-add",
	[VAL_ROP_CSWAP] = "atomic compare-swap",
};

static const char *const bad_name[] = {
	[VAL_BAD_NONE] = "with the valid rkey",
	[VAL_BAD_RKEY] = "with a wrong rkey",
	[VAL_BAD_PAST] = "past the end of the MR",
	[VAL_BAD_DEREG] = "into a deregistered MR",
	[VAL_BAD_NOFLAGS] = "into an MR without remote access",
	[VAL_BAD_CROSS] = "from inside the MR across its end",
	[VAL_BAD_NEAR] = "with an rkey near the valid one",
	[VAL_BAD_FOREIGN] = "into another function's MR (its rkey)",
};

/* The sweep's guesses around the valid rkey: its low byte (the key of
 * mlx5's and rxe's mkeys, index << 8 | key) and the neighbouring
 * indices with the same key. */
static const int32_t near_keys[] = { -8, -7, -6,   -5,	 -4,  -3, -2,
				     -1, 1,  2,	   3,	 4,   5,  6,
				     7,	 8,  -512, -256, 256, 512 };
#define NNEAR ((int)(sizeof(near_keys) / sizeof(near_keys[0])))

static const char *wc_text(const struct val_rop_out *o)
{
	switch (o->wc) {
	case VAL_WC_OK:
		return "success";
	case VAL_WC_REM_ACCESS:
		return "remote access error";
	case VAL_WC_TIMEOUT:
		return "no completion (timeout)";
	case VAL_WC_INV_REQ:
		return "invalid request";
	default:
		return o->qp_error ? "error, QP in error" : "error";
	}
}

/* The positive control: 0 when the legitimate operation succeeded. */
static int control(const struct val_ctx *c, enum val_rop_kind kind,
		   struct val_result *r)
{
	const struct val_rop op = { .kind = kind };
	struct val_rop_out o = { 0 };
	char why[200] = "";
	int ret = c->ops.rop(c->dev, &op, &o, why, sizeof(why));

	if (val_not_tried(r, ret, why))
		return ret;
	if (ret || o.wc != VAL_WC_OK || !o.value_ok) {
		val_set(r, VAL_FAIL, "the control succeeds", "control failed",
			"positive control (%s with the valid rkey): %s%s; "
			"the check proves nothing without it",
			kind_name[kind], ret ? why : wc_text(&o),
			!ret && o.wc == VAL_WC_OK ? ", data wrong" : "");
		return -EIO;
	}
	return 0;
}

/* The forbidden OP tried and judged into R: true when it was refused. */
static bool refused(const struct val_ctx *c, const struct val_rop *op,
		    struct val_result *r)
{
	const char *exp = "remote access error, target unchanged";
	struct val_rop_out o = { 0 };
	char why[200] = "", obs[96], near[32] = "";
	int ret;

	if (op->bad == VAL_BAD_NEAR)
		snprintf(near, sizeof(near), " (the valid rkey %+d)",
			 (int)op->delta);
	ret = c->ops.rop(c->dev, op, &o, why, sizeof(why));
	if (val_not_tried(r, ret, why))
		return false;
	if (ret) {
		val_set(r, VAL_FAIL, exp, "not posted",
			"%s %s%s: not tried: %s", kind_name[op->kind],
			bad_name[op->bad], near, why);
		return false;
	}
	snprintf(obs, sizeof(obs), "%s%s%s", wc_text(&o),
		 o.target_changed ? ", target changed" : "",
		 o.local_changed ? ", data read" : "");
	/* only the responder's refusal proves the fence: another error
	 * (a local protection error, retries exceeded, a flush) may never
	 * have met the target's checks, QP in error or not */
	if (o.wc == VAL_WC_REM_ACCESS && !o.target_changed && !o.local_changed)
		val_set(r, VAL_PASS, exp, obs,
			"%s %s%s: %s; the control with the valid rkey succeeded",
			kind_name[op->kind], bad_name[op->bad],
			op->bad == VAL_BAD_CROSS ? " (and one at its end)" : "",
			o.status);
	else if ((o.wc == VAL_WC_ERROR || o.wc == VAL_WC_INV_REQ) &&
		 !o.target_changed && !o.local_changed)
		val_set(r, VAL_FAIL, exp, obs,
			"%s %s%s: %s, not a remote access error: what stopped "
			"it is not shown to be the target's protection",
			kind_name[op->kind], bad_name[op->bad], near, o.status);
	else
		val_set(r, VAL_FAIL, exp, obs,
			"%s %s%s: %s (%s): the memory is not fenced in",
			kind_name[op->kind], bad_name[op->bad], near,
			wc_text(&o), o.status);
	return r->status == VAL_PASS;
}

/* The control, then OP; past the end also an access that starts inside
 * the MR and crosses its end (a check of the start address alone lets
 * it through); an aligned atomic cannot cross, it tries the end alone. */
static void run_protect(const struct val_ctx *c, const void *arg,
			struct val_result *r)
{
	const struct val_rop *op = arg;
	const struct val_rop cross = { .kind = op->kind, .bad = VAL_BAD_CROSS };

	if (control(c, op->kind, r) || !refused(c, op, r))
		return;
	if (op->bad == VAL_BAD_PAST &&
	    (op->kind == VAL_ROP_WRITE || op->kind == VAL_ROP_READ))
		refused(c, &cross, r);
}

/* The control, then each guess of near_keys: every one must be refused
 * as a wrong rkey is (a key checked by its index alone, or a PD's MRs
 * reachable by another's QP, lets one through). */
static void run_sweep(const struct val_ctx *c, const void *arg,
		      struct val_result *r)
{
	const struct val_rop *op = arg;
	int i;

	if (control(c, op->kind, r))
		return;
	for (i = 0; i < NNEAR; i++) {
		const struct val_rop g = { .kind = op->kind,
					   .bad = VAL_BAD_NEAR,
					   .delta = near_keys[i] };

		if (!refused(c, &g, r))
			return;
	}
	val_set(r, VAL_PASS, "remote access error, target unchanged",
		"a remote access error each",
		"%s with %d rkeys around the valid one: each a remote access "
		"error, the target unchanged; the control with the valid "
		"rkey succeeded",
		kind_name[op->kind], NNEAR);
}

/* The control, then another function's MR (registered on its PD, over
 * its buffer) aimed at from this function's QP with its own rkey and
 * address: a function that honours rkeys of another (one mkey table
 * for a PF and its VFs, say) lets it in. */
static void run_foreign(const struct val_ctx *c, const void *arg,
			struct val_result *r)
{
	const struct val_rop *op = arg;
	const struct val_rop f = { .kind = op->kind,
				   .bad = VAL_BAD_FOREIGN,
				   .foreign = c->other };
	char obs[sizeof(r->observed)];

	if (!c->other) {
		val_set(r, VAL_SKIP, "", "", "%s", c->other_why);
		return;
	}
	if (control(c, op->kind, r) || !refused(c, &f, r))
		return;
	snprintf(obs, sizeof(obs), "%s", r->observed);
	val_set(r, VAL_PASS, "remote access error, target unchanged", obs,
		"%s into %s's MR with its rkey: %s; the control with this "
		"function's own MR succeeded",
		kind_name[op->kind], c->other_dev, obs);
}

/* One check: the operation OP, what it does wrong B, its id
 * "protect.OPNAME.IDNAME", RUN and whether it needs another function. */
#define CHECK(op, b, opname, idname, need, two, fn, text)                      \
	static const struct val_rop rop_##op##_##b = { .kind = VAL_ROP_##op,   \
						       .bad = VAL_BAD_##b };   \
	static const struct val_check check_##op##_##b = {                     \
		.id = "protect." opname "." idname,                            \
		.group = "protect",                                            \
		.help = text,                                                  \
		.needs = need,                                                 \
		.other = two,                                                  \
		.run = fn,                                                     \
		.arg = &rop_##op##_##b,                                        \
	}
#define PROTECT(op, b, opname, badname, need, text)                            \
	CHECK(op, b, opname, badname, need, false, run_protect, text)
#define SWEEP(op, opname, need, text)                                          \
	CHECK(op, NEAR, opname, "rkey_sweep", need, false, run_sweep, text)
#define FOREIGN(op, opname, text)                                              \
	CHECK(op, FOREIGN, opname, "foreign", VAL_NEEDS_NOTHING, true,         \
	      run_foreign, text)

PROTECT(WRITE, RKEY, "write", "rkey", VAL_NEEDS_NOTHING,
	"an RDMA WRITE with a wrong rkey: remote access error, target unchanged");
PROTECT(WRITE, PAST, "write", "past_end", VAL_NEEDS_NOTHING,
	"an RDMA WRITE at the end of the MR, and one from inside it across "
	"its end");
PROTECT(WRITE, DEREG, "write", "dereg", VAL_NEEDS_NOTHING,
	"an RDMA WRITE into a deregistered MR (its old rkey)");
PROTECT(WRITE, NOFLAGS, "write", "no_remote", VAL_NEEDS_NOTHING,
	"an RDMA WRITE into an MR registered without REMOTE_WRITE");
PROTECT(READ, RKEY, "read", "rkey", VAL_NEEDS_NOTHING,
	"an RDMA READ with a wrong rkey: remote access error, nothing read");
PROTECT(READ, PAST, "read", "past_end", VAL_NEEDS_NOTHING,
	"an RDMA READ at the end of the MR, and one from inside it across "
	"its end");
PROTECT(READ, DEREG, "read", "dereg", VAL_NEEDS_NOTHING,
	"an RDMA READ of a deregistered MR");
PROTECT(READ, NOFLAGS, "read", "no_remote", VAL_NEEDS_NOTHING,
	"an RDMA READ of an MR registered without REMOTE_READ");
PROTECT(FADD, RKEY, "atomic", "rkey", VAL_NEEDS_ATOMIC,
	"an atomic fetch-add with a wrong rkey");
PROTECT(FADD, PAST, "atomic", "past_end", VAL_NEEDS_ATOMIC,
	"an atomic fetch-add past the end of the MR");
PROTECT(FADD, DEREG, "atomic", "dereg", VAL_NEEDS_ATOMIC,
	"an atomic fetch-add into a deregistered MR");
PROTECT(FADD, NOFLAGS, "atomic", "no_remote", VAL_NEEDS_ATOMIC,
	"an atomic fetch-add into an MR registered without REMOTE_ATOMIC");

SWEEP(WRITE, "write", VAL_NEEDS_NOTHING,
      "RDMA WRITEs with rkeys around a valid one (its key byte +-1 to +-8, "
      "the next two indices each way): none gets in");
SWEEP(READ, "read", VAL_NEEDS_NOTHING,
      "RDMA READs with rkeys around a valid one (as rkey_sweep's WRITEs): "
      "none reads");

FOREIGN(WRITE, "write",
	"an RDMA WRITE with another function's rkey into its MR (the next "
	"path of the run): remote access error, its bytes unchanged");
FOREIGN(READ, "read",
	"an RDMA READ with another function's rkey of its MR: remote access "
	"error, nothing read");

const struct val_check *const val_checks_protect[] = {
	&check_WRITE_RKEY,
	&check_WRITE_PAST,
	&check_WRITE_DEREG,
	&check_WRITE_NOFLAGS,
	&check_READ_RKEY,
	&check_READ_PAST,
	&check_READ_DEREG,
	&check_READ_NOFLAGS,
	&check_WRITE_NEAR,
	&check_READ_NEAR,
	&check_WRITE_FOREIGN,
	&check_READ_FOREIGN,
	&check_FADD_RKEY,
	&check_FADD_PAST,
	&check_FADD_DEREG,
	&check_FADD_NOFLAGS,
	NULL,
};
