/* SPDX-License-Identifier: MIT */
/* What the function claims, tried on it: a claim that fails and a
 * feature that works unclaimed are both findings (fail). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "valcheck.h"

/* The bounds of the tries: objects counted, bytes registered, inline. */
#define COUNT_MAX  256
#define MR_MAX	   (64ull << 20)
#define INLINE_MAX 4096u

static int64_t cap(const struct val_ctx *c, enum val_attr a)
{
	return c->caps->v[a];
}

/* A feature not claimed, and RET < 0 trying it: a pass only when it was
 * refused as unsupported (val_refused_unsupported); another failure (out
 * of memory, a timeout, a step after the object was made) does not show
 * that the device lacks it. What was seen is said either way. */
static void unclaimed_refused(struct val_result *r, const char *exp,
			      const char *claim, int ret, const char *why)
{
	if (val_refused_unsupported(ret))
		val_set(r, VAL_PASS, exp, "refused", "%s and refused: %s",
			claim, why);
	else
		val_set(r, VAL_FAIL, exp, "failed otherwise",
			"%s; it failed with %s, not refused as unsupported "
			"(EOPNOTSUPP or EINVAL at create): %s",
			claim, strerror(-ret), why);
}

static void run_srq(const struct val_ctx *c, const void *arg,
		    struct val_result *r)
{
	int64_t max = cap(c, VAL_MAX_SRQ);
	char why[200] = "";
	int ret;

	(void)arg;
	ret = c->ops.srq_send(c->dev, why, sizeof(why));
	if (val_not_tried(r, ret, why))
		return;
	if (max > 0 && !ret)
		val_set(r, VAL_PASS,
			"an SRQ made and a SEND received through it",
			"received", "max_srq %" PRId64 "; the SEND arrived",
			max);
	else if (max > 0)
		val_set(r, VAL_FAIL,
			"an SRQ made and a SEND received through it", "refused",
			"max_srq %" PRId64 " claimed, but: %s", max, why);
	else if (!ret)
		val_set(r, VAL_FAIL, "no SRQ (max_srq 0)", "an SRQ works",
			"max_srq %" PRId64 ", yet an SRQ was made and used",
			max);
	else {
		char claim[48];

		snprintf(claim, sizeof(claim), "max_srq %" PRId64, max);
		unclaimed_refused(r, "no SRQ (max_srq 0)", claim, ret, why);
	}
}

static const struct val_check check_srq = {
	.id = "claims.srq",
	.group = "claims",
	.help = "max_srq > 0: an SRQ is made and a SEND received through it; "
		"max_srq 0: making one is refused as unsupported",
	.run = run_srq,
};

static const char *wc_name(const struct val_rop_out *o)
{
	static const char *const names[] = {
		[VAL_WC_OK] = "success",
		[VAL_WC_REM_ACCESS] = "remote access error",
		[VAL_WC_ERROR] = "error",
		[VAL_WC_TIMEOUT] = "no completion (timeout)",
		[VAL_WC_INV_REQ] = "invalid request",
	};

	return names[o->wc];
}

static void run_atomic(const struct val_ctx *c, const void *arg,
		       struct val_result *r)
{
	const struct val_rop *op = arg;
	struct val_rop_out o = { 0 };
	bool claimed = cap(c, VAL_ATOMIC_CAP) > VAL_ATOMIC_NONE;
	char why[200] = "", exp[80];
	bool works;
	int ret;

	ret = c->ops.rop(c->dev, op, &o, why, sizeof(why));
	if (val_not_tried(r, ret, why))
		return;
	if (ret && !claimed) {
		unclaimed_refused(r, "no atomic", "atomic_cap NONE", ret, why);
		return;
	}
	if (ret) {
		val_set(r, VAL_FAIL, "the atomic works", "not posted", "%s",
			why);
		return;
	}
	works = !ret && o.wc == VAL_WC_OK && o.value_ok;
	snprintf(exp, sizeof(exp),
		 claimed ? "the atomic works (atomic_cap %s)" :
			   "no atomic (atomic_cap NONE)",
		 cap(c, VAL_ATOMIC_CAP) == VAL_ATOMIC_GLOB ? "GLOB" : "HCA");
	/* unclaimed: refused as an operation the device does not do, not
	 * any failure (a timeout, a general error) */
	if (!claimed && !works && o.wc != VAL_WC_INV_REQ)
		val_set(r, VAL_FAIL, exp, "failed otherwise",
			"completion %s (%s): not the invalid request of an "
			"atomic the device does not do",
			wc_name(&o), o.status);
	else if (claimed == works)
		val_set(r, VAL_PASS, exp, works ? "works" : "refused",
			"completion %s (%s)%s", wc_name(&o), o.status,
			works ? "; the old value returned, the new one stored" :
				"");
	else
		val_set(r, VAL_FAIL, exp, works ? "works" : "fails",
			"completion %s (%s)%s", wc_name(&o), o.status,
			o.wc == VAL_WC_OK && !o.value_ok ?
				"; the values are wrong" :
				"");
}

static const struct val_rop fadd = { .kind = VAL_ROP_FADD };
static const struct val_rop cswap = { .kind = VAL_ROP_CSWAP };

static const struct val_check check_fadd = {
	.id = "claims.atomic.fetch_add",
	.group = "claims",
	.help = "a fetch-and-add on the loopback pair works as atomic_cap "
		"claims (old value back, sum stored), or is refused as "
		"unsupported where NONE",
	.run = run_atomic,
	.arg = &fadd,
};

static const struct val_check check_cswap = {
	.id = "claims.atomic.cmp_swap",
	.group = "claims",
	.help = "a compare-and-swap works as atomic_cap claims, or is "
		"refused as unsupported where NONE",
	.run = run_atomic,
	.arg = &cswap,
};

/* The largest max_inline_data a QP is made with (bisection up to
 * INLINE_MAX): 0 and *BEST, or the first refusal's errno. */
static int inline_largest(const struct val_ctx *c, uint32_t *best,
			  uint32_t *readback)
{
	uint32_t lo = 0, hi = INLINE_MAX, mid, got;
	int ret = 0;

	*best = *readback = 0;
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		ret = c->ops.inline_qp(c->dev, mid, &got);
		if (ret == -VAL_NOT_TRIED)
			return ret;
		if (!ret && got < mid)
			return *best = mid, *readback = got, -ERANGE;
		if (!ret)
			lo = mid, *readback = got;
		else
			hi = mid - 1;
	}
	*best = lo;
	/* no inline taken: the control, a QP without inline, must be made,
	 * else nothing is known of inline (every QP refused) */
	if (!lo && (ret = c->ops.inline_qp(c->dev, 0, &got)))
		return ret;
	return 0;
}

static void run_inline(const struct val_ctx *c, const void *arg,
		       struct val_result *r)
{
	uint32_t best, got;
	char obs[64], why[200] = "";
	int ret = inline_largest(c, &best, &got);

	(void)arg;
	if (val_not_tried(r, ret, "inline_qp"))
		return;
	if (ret == -ERANGE) {
		snprintf(obs, sizeof(obs), "%u B read back", got);
		val_set(r, VAL_FAIL, "max_inline_data read back as asked", obs,
			"a QP made with max_inline_data %u reads back %u", best,
			got);
		return;
	}
	if (ret) {
		val_set(r, VAL_FAIL, "a QP with inline data", "not made",
			"not even a QP without inline (the control) was made: "
			"%s",
			strerror(-ret));
		return;
	}
	snprintf(obs, sizeof(obs), "%u B", best);
	if (!best) {
		val_set(r, VAL_PASS, "the largest inline a QP takes", obs,
			"no QP takes inline data (bisection to %u B)",
			INLINE_MAX);
		return;
	}
	ret = c->ops.inline_write(c->dev, best, why, sizeof(why));
	val_set(r, ret ? VAL_FAIL : VAL_PASS,
		"an inline WRITE of the largest max_inline_data arrives", obs,
		"QPs take max_inline_data up to %u B (bisection to %u, read "
		"back %u); an inline WRITE of %u B %s%s",
		best, INLINE_MAX, got, best, ret ? "failed: " : "arrived", why);
}

static const struct val_check check_inline = {
	.id = "claims.inline",
	.group = "claims",
	.help = "the largest max_inline_data a QP is made with (bisection to "
		"4096 B, read back), and an inline WRITE of that size arrives",
	.run = run_inline,
};

static void run_mw(const struct val_ctx *c, const void *arg,
		   struct val_result *r)
{
	bool t1 = cap(c, VAL_MW) > 0,
	     t2 = cap(c, VAL_MW_2A) > 0 || cap(c, VAL_MW_2B) > 0;
	int type = t1 ? 1 : 2, ret;
	char why[200] = "", exp[64];

	(void)arg;
	ret = c->ops.mw_bind(c->dev, type, why, sizeof(why));
	if (val_not_tried(r, ret, why))
		return;
	snprintf(exp, sizeof(exp), "%s",
		 t1 || t2 ? "a window bound and used" : "no memory window");
	if (t1 || t2)
		val_set(r, ret ? VAL_FAIL : VAL_PASS, exp,
			ret ? "refused" : "works", "type %d claimed; %s%s",
			type,
			ret ? "" : "bound, a WRITE through its rkey arrived",
			why);
	else if (!ret)
		val_set(r, VAL_FAIL, exp, "works",
			"no MEM_WINDOW flag; type %d bound and used anyway%s",
			type, why);
	else {
		char claim[48];

		snprintf(claim, sizeof(claim), "no MEM_WINDOW flag; type %d",
			 type);
		unclaimed_refused(r, exp, claim, ret, why);
	}
}

static const struct val_check check_mw = {
	.id = "claims.mw",
	.group = "claims",
	.help = "a memory window (type 1, else 2) bound and a WRITE through "
		"it arriving where MEM_WINDOW* is claimed; refused as "
		"unsupported where not",
	.run = run_mw,
};

static void run_odp(const struct val_ctx *c, const void *arg,
		    struct val_result *r)
{
	bool claimed = cap(c, VAL_ODP) > 0 && cap(c, VAL_ODP_RC) > 0;
	char why[200] = "";
	int ret;

	(void)arg;
	ret = c->ops.odp_write(c->dev, why, sizeof(why));
	if (val_not_tried(r, ret, why))
		return;
	if (claimed)
		val_set(r, ret ? VAL_FAIL : VAL_PASS,
			"an ODP MR registered and written (RC)",
			ret ? "refused" : "works",
			"odp_rc 0x%llx claimed; %s%s",
			(unsigned long long)cap(c, VAL_ODP_RC),
			ret ? "" : "registered, a WRITE through it arrived",
			why);
	else if (!ret)
		val_set(r, VAL_FAIL, "no ODP MR", "works",
			"ODP not claimed for RC; an ODP MR registered and "
			"written anyway%s",
			why);
	else
		unclaimed_refused(r, "no ODP MR", "ODP not claimed for RC", ret,
				  why);
}

static const struct val_check check_odp = {
	.id = "claims.odp",
	.group = "claims",
	.help = "an on-demand-paging MR registered and a WRITE through it "
		"arriving where ODP on RC is claimed; refused as unsupported "
		"where not",
	.run = run_odp,
};

static void run_mr(const struct val_ctx *c, const void *arg,
		   struct val_result *r)
{
	int64_t max = cap(c, VAL_MAX_MR_SIZE);
	uint64_t want =
		max > 0 && (uint64_t)max < MR_MAX ? (uint64_t)max : MR_MAX;
	char obs[64], mx[32];
	int ret;

	(void)arg;
	ret = c->ops.mr_reg(c->dev, want);
	if (val_not_tried(r, ret, "mr_reg"))
		return;
	snprintf(obs, sizeof(obs), ret ? "refused" : "%" PRIu64 " B", want);
	val_set(r, ret ? VAL_FAIL : VAL_PASS,
		"min(max_mr_size, 64 MiB) registered", obs,
		"max_mr_size %s; %" PRIu64 " B %s%s",
		val_attr_text(c->caps, VAL_MAX_MR_SIZE, mx, sizeof(mx)), want,
		ret ? "refused: " : "registered and deregistered",
		ret ? strerror(-ret) : "");
}

static const struct val_check check_mr = {
	.id = "claims.mr",
	.group = "claims",
	.help = "an MR of max_mr_size, bounded at 64 MiB, is registered",
	.run = run_mr,
};

static const enum val_attr obj_attr[VAL_NOBJS] = {
	[VAL_OBJ_QP] = VAL_MAX_QP,
	[VAL_OBJ_CQ] = VAL_MAX_CQ,
	[VAL_OBJ_MR] = VAL_MAX_MR,
};
static const char *const obj_name[VAL_NOBJS] = { "QP", "CQ", "MR" };

/* WANT objects expected of KIND; LIMIT is what is tried (one more than
 * the claim leaves, where that is under the bound). */
static void count_plan(const struct val_ctx *c, enum val_obj kind, int in_use,
		       int *want, int *limit)
{
	int64_t max = cap(c, obj_attr[kind]), room = max - in_use;

	if (max < 0 || room >= COUNT_MAX) {
		*want = *limit = COUNT_MAX;
		return;
	}
	*want = room < 0 ? 0 : (int)room;
	*limit = *want + 1;
}

static void run_count(const struct val_ctx *c, const void *arg,
		      struct val_result *r)
{
	enum val_obj kind = *(const enum val_obj *)arg;
	int in_use = 0, want, limit, got;
	char exp[112], obs[32];

	got = c->ops.count(c->dev, kind, 0, &in_use); /* only what is held */
	if (val_not_tried(r, got, "count"))
		return;
	count_plan(c, kind, in_use, &want, &limit);
	if (got >= 0)
		got = c->ops.count(c->dev, kind, limit, &in_use);
	snprintf(exp, sizeof(exp),
		 "%d %ss (max %" PRId64 ", %d held by the pair, bounded at %d)",
		 want, obj_name[kind], cap(c, obj_attr[kind]), in_use,
		 COUNT_MAX);
	if (got < 0) {
		val_set(r, VAL_FAIL, exp, "none", "creating %ss: %s",
			obj_name[kind], strerror(-got));
		return;
	}
	snprintf(obs, sizeof(obs), "%d", got);
	if (got == want)
		val_set(r, VAL_PASS, exp, obs,
			"%d %ss made (%d tried), all released", got,
			obj_name[kind], limit);
	else
		val_set(r, VAL_FAIL, exp, obs,
			"%d %ss made (%d tried), all released: %s", got,
			obj_name[kind], limit,
			got > want ? "more than claimed" :
				     "refused before the claim");
}

static const enum val_obj obj_qp = VAL_OBJ_QP, obj_cq = VAL_OBJ_CQ,
			  obj_mr = VAL_OBJ_MR;

static const struct val_check check_count_qp = {
	.id = "claims.count.qp",
	.group = "claims",
	.help = "QPs made until refused, bounded at min(max_qp, 256): as "
		"many as claimed, not one more",
	.run = run_count,
	.arg = &obj_qp,
};

static const struct val_check check_count_cq = {
	.id = "claims.count.cq",
	.group = "claims",
	.help = "CQs made until refused, bounded at min(max_cq, 256)",
	.run = run_count,
	.arg = &obj_cq,
};

static const struct val_check check_count_mr = {
	.id = "claims.count.mr",
	.group = "claims",
	.help = "MRs registered until refused, bounded at min(max_mr, 256)",
	.run = run_count,
	.arg = &obj_mr,
};

const struct val_check *const val_checks_claims[] = {
	&check_srq,	 &check_fadd,	  &check_cswap, &check_inline,
	&check_mw,	 &check_odp,	  &check_mr,	&check_count_qp,
	&check_count_cq, &check_count_mr, NULL,
};
