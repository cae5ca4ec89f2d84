/* SPDX-License-Identifier: MIT */
/* vfbench validate's checks against a fake device (struct val_ops): a
 * claim that fails and a feature that works unclaimed are failures, a
 * protection turned off in the fake fails its check, a positive control
 * that fails fails the check, a path without a device skips. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "drive.h"
#include "suites.h"
#include "validate.h"

/* The fake function: what it claims and what it really does. */
struct vfake {
	struct val_caps caps;
	bool srq_works, atomic_works, mw_works, mr_works, odp_works, open_fails;
	bool control_fails, qp_fails;
	uint32_t inline_max, inline_readback_cut;
	int gives[VAL_NOBJS]; /* objects it gives before it refuses */
	bool unfenced[VAL_BAD_NEAR + 1]; /* by enum val_bad: let through */
	int32_t near_open; /* the one guess next to the rkey let through (an
			    * MR of another PD at the next index, say) */
	bool other_error;  /* refuses with an error that is not a remote
			       * access error (the QP in error all the same) */
	int rops;
	int refuse_err;	     /* srq, mw, odp refused with this (0: their
				 * usual EOPNOTSUPP or EINVAL) */
	bool atomic_general; /* an atomic that does not work completes in
				 * a general error, not an invalid request */
	int atomic_post_err; /* ... or is not posted: this errno */
};

static struct vfake FK;
struct val_dev {
	struct vfake *f;
};
static struct val_dev fdev = { &FK };

static int f_open(void *arg, const char *dev, int port, int gid, int tmo,
		  struct val_dev **out)
{
	(void)arg, (void)dev, (void)port, (void)gid, (void)tmo;
	*out = &fdev;
	return FK.open_fails ? -ENODEV : 0;
}

static int f_query(struct val_dev *d, struct val_caps *caps)
{
	*caps = d->f->caps;
	return 0;
}

static int f_srq(struct val_dev *d, char *why, size_t len)
{
	snprintf(why, len, "ibv_create_srq: Operation not supported");
	if (d->f->srq_works)
		return 0;
	return d->f->refuse_err ? d->f->refuse_err : -EOPNOTSUPP;
}

static int f_inline_qp(struct val_dev *d, uint32_t want, uint32_t *got)
{
	if (d->f->qp_fails)
		return -ENOMEM;
	if (want > d->f->inline_max)
		return -EINVAL;
	*got = want > d->f->inline_readback_cut && d->f->inline_readback_cut ?
		       d->f->inline_readback_cut :
		       want;
	return 0;
}

static int f_inline_write(struct val_dev *d, uint32_t len, char *why,
			  size_t wlen)
{
	(void)d, (void)len, (void)why, (void)wlen;
	return 0;
}

static int f_mw(struct val_dev *d, int type, char *why, size_t len)
{
	snprintf(why, len, "ibv_alloc_mw(type %d): refused", type);
	if (d->f->mw_works)
		return 0;
	return d->f->refuse_err ? d->f->refuse_err : -EINVAL;
}

static int f_odp(struct val_dev *d, char *why, size_t len)
{
	snprintf(why, len, "ibv_reg_mr(ON_DEMAND): Invalid argument");
	if (d->f->odp_works)
		return 0;
	return d->f->refuse_err ? d->f->refuse_err : -EINVAL;
}

static int f_mr(struct val_dev *d, uint64_t bytes)
{
	(void)bytes;
	return d->f->mr_works ? 0 : -ENOMEM;
}

static int f_count(struct val_dev *d, enum val_obj kind, int limit, int *in_use)
{
	*in_use = kind == VAL_OBJ_QP ? 2 : 1;
	return limit < d->f->gives[kind] ? limit : d->f->gives[kind];
}

static int f_rop(struct val_dev *d, const struct val_rop *op,
		 struct val_rop_out *o, char *why, size_t len)
{
	bool atomic = op->kind == VAL_ROP_FADD || op->kind == VAL_ROP_CSWAP;

	d->f->rops++;
	memset(o, 0, sizeof(*o));
	if (atomic && !d->f->atomic_works && d->f->atomic_post_err) {
		snprintf(why, len, "ibv_post_send: %s",
			 strerror(-d->f->atomic_post_err));
		return d->f->atomic_post_err;
	} else if (atomic && !d->f->atomic_works) {
		o->wc = d->f->atomic_general ? VAL_WC_ERROR : VAL_WC_INV_REQ;
		snprintf(o->status, sizeof(o->status), "%s",
			 d->f->atomic_general ? "general error" :
						"remote invalid request error");
	} else if (op->bad == VAL_BAD_NONE) {
		o->wc = d->f->control_fails ? VAL_WC_ERROR : VAL_WC_OK;
		o->value_ok = !d->f->control_fails;
		o->target_changed = op->kind != VAL_ROP_READ;
		snprintf(o->status, sizeof(o->status), "success");
	} else if (d->f->unfenced[op->bad] ||
		   (op->bad == VAL_BAD_NEAR && d->f->near_open &&
		    op->delta == d->f->near_open)) {
		o->wc = VAL_WC_OK;
		o->target_changed = op->kind != VAL_ROP_READ;
		o->local_changed = op->kind != VAL_ROP_WRITE;
		snprintf(o->status, sizeof(o->status), "success");
	} else if (d->f->other_error) {
		o->wc = VAL_WC_ERROR;
		o->qp_error = true;
		snprintf(o->status, sizeof(o->status),
			 "local protection error");
	} else {
		o->wc = VAL_WC_REM_ACCESS;
		o->qp_error = true;
		snprintf(o->status, sizeof(o->status), "remote access error");
	}
	return 0;
}

static const struct val_ops fake_ops = {
	.open = f_open,
	.query = f_query,
	.srq_send = f_srq,
	.inline_qp = f_inline_qp,
	.inline_write = f_inline_write,
	.mw_bind = f_mw,
	.odp_write = f_odp,
	.mr_reg = f_mr,
	.count = f_count,
	.rop = f_rop,
};

/* An honest function that claims everything and does it. */
static void fake_honest(void)
{
	size_t i;

	memset(&FK, 0, sizeof(FK));
	for (i = 0; i < VAL_NATTRS; i++)
		FK.caps.v[i] = 0;
	FK.caps.v[VAL_MAX_QP] = 1000;
	FK.caps.v[VAL_MAX_CQ] = 1000;
	FK.caps.v[VAL_MAX_MR] = 1000;
	FK.caps.v[VAL_MAX_SRQ] = 16;
	FK.caps.v[VAL_ATOMIC_CAP] = VAL_ATOMIC_HCA;
	FK.caps.v[VAL_MW] = 1;
	FK.caps.v[VAL_MAX_MR_SIZE] = 1 << 30;
	FK.srq_works = FK.atomic_works = FK.mw_works = FK.mr_works = true;
	FK.inline_max = 256;
	for (i = 0; i < VAL_NOBJS; i++)
		FK.gives[i] = 100000;
}

#define MAX_RES 64
static struct val_result got[MAX_RES];
static size_t ngot;

static void collect(const struct val_result *r, void *arg)
{
	(void)arg;
	if (ngot < MAX_RES)
		got[ngot++] = *r;
}

static int run_fake(const char *checks)
{
	const struct val_config cfg = { .ops = &fake_ops,
					.checks = checks,
					.port = 1,
					.gid = -1,
					.timeout_ms = 10 };
	struct val_path p = { .path = "vf", .dev = "fake0", .why = "" };

	ngot = 0;
	return val_run_path(&cfg, &p, collect, NULL);
}

static const struct val_result *result_of(const char *id)
{
	size_t i;

	for (i = 0; i < ngot; i++)
		if (!strcmp(got[i].id, id))
			return &got[i];
	return NULL;
}

static enum val_status status_of(const char *id)
{
	const struct val_result *r = result_of(id);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return r->status;
}

static size_t nchecks(void)
{
	struct val_check_info info;
	size_t n = 0;

	while (!val_check_info(n, &info))
		n++;
	return n;
}

/* The honest fake passes every check, each with evidence. */
static void test_honest(void)
{
	size_t i;

	fake_honest();
	CU_ASSERT_EQUAL(run_fake(NULL), 0);
	CU_ASSERT_EQUAL(ngot, nchecks());
	for (i = 0; i < ngot; i++) {
		if (got[i].status != VAL_PASS)
			fprintf(stderr, "\n  %s: %s: %s\n", got[i].id,
				val_status_name(got[i].status),
				got[i].evidence);
		CU_ASSERT_EQUAL(got[i].status, VAL_PASS);
		CU_ASSERT(got[i].evidence[0] != '\0');
		CU_ASSERT_STRING_EQUAL(got[i].path, "vf");
	}
}

/* Claimed but failing, and working but unclaimed: both fail. */
static void test_claims(void)
{
	fake_honest();
	FK.srq_works = false; /* max_srq 16 claimed */
	CU_ASSERT_EQUAL(run_fake("claims.srq"), 1);
	CU_ASSERT_EQUAL(status_of("claims.srq"), VAL_FAIL);
	CU_ASSERT(strstr(result_of("claims.srq")->evidence, "claimed") != NULL);
	FK.caps.v[VAL_MAX_SRQ] = 0; /* and refused: as claimed */
	run_fake("claims.srq");
	CU_ASSERT_EQUAL(status_of("claims.srq"), VAL_PASS);
	FK.srq_works = true; /* works unclaimed */
	run_fake("claims.srq");
	CU_ASSERT_EQUAL(status_of("claims.srq"), VAL_FAIL);

	fake_honest();
	FK.atomic_works = false;
	run_fake("claims");
	CU_ASSERT_EQUAL(status_of("claims.atomic.fetch_add"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("claims.atomic.cmp_swap"), VAL_FAIL);
	FK.caps.v[VAL_ATOMIC_CAP] = VAL_ATOMIC_NONE;
	run_fake(NULL);
	CU_ASSERT_EQUAL(status_of("claims.atomic.fetch_add"), VAL_PASS);
	/* nothing to fence in: the atomic protections skip, saying why */
	CU_ASSERT_EQUAL(status_of("protect.atomic.rkey"), VAL_SKIP);
	CU_ASSERT(strstr(result_of("protect.atomic.rkey")->evidence, "NONE") !=
		  NULL);
	FK.atomic_works = true; /* atomics that work unclaimed */
	run_fake("claims.atomic.fetch_add");
	CU_ASSERT_EQUAL(status_of("claims.atomic.fetch_add"), VAL_FAIL);

	fake_honest();
	FK.mw_works = false;
	FK.mr_works = false;
	run_fake("claims.mw,claims.mr");
	CU_ASSERT_EQUAL(ngot, 2);
	CU_ASSERT_EQUAL(status_of("claims.mw"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("claims.mr"), VAL_FAIL);
	FK.caps.v[VAL_MW] = 0;
	run_fake("claims.mw");
	CU_ASSERT_EQUAL(status_of("claims.mw"), VAL_PASS);
	FK.mw_works = true; /* a window bound though no flag claims one */
	run_fake("claims.mw");
	CU_ASSERT_EQUAL(status_of("claims.mw"), VAL_FAIL);

	fake_honest(); /* ODP not claimed, and refused: as claimed */
	run_fake("claims.odp");
	CU_ASSERT_EQUAL(status_of("claims.odp"), VAL_PASS);
	FK.odp_works = true; /* works unclaimed */
	run_fake("claims.odp");
	CU_ASSERT_EQUAL(status_of("claims.odp"), VAL_FAIL);
	FK.caps.v[VAL_ODP] = 1;
	FK.caps.v[VAL_ODP_RC] = 0x2;
	run_fake("claims.odp");
	CU_ASSERT_EQUAL(status_of("claims.odp"), VAL_PASS);
	FK.odp_works = false; /* claimed, refused */
	run_fake("claims.odp");
	CU_ASSERT_EQUAL(status_of("claims.odp"), VAL_FAIL);
}

/* A feature not claimed passes only when refused as unsupported
 * (EOPNOTSUPP or EINVAL at create; an atomic's invalid request): out of
 * memory, a timeout or a general error fail, saying what was seen. */
static void test_refusal_kind(void)
{
	static const char *const ids[] = { "claims.srq", "claims.mw",
					   "claims.odp" };
	size_t i;

	fake_honest();
	FK.caps.v[VAL_MAX_SRQ] = 0;
	FK.caps.v[VAL_MW] = 0;
	FK.srq_works = FK.mw_works = false;
	run_fake("claims.srq,claims.mw,claims.odp");
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(status_of(ids[i]), VAL_PASS);
	FK.refuse_err = -ENOMEM;
	CU_ASSERT_EQUAL(run_fake("claims.srq,claims.mw,claims.odp"), 3);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(status_of(ids[i]), VAL_FAIL);
		CU_ASSERT(strstr(result_of(ids[i])->evidence,
				 "Cannot allocate memory") != NULL);
	}
	FK.refuse_err = -ETIMEDOUT;
	run_fake("claims.odp");
	CU_ASSERT_EQUAL(status_of("claims.odp"), VAL_FAIL);

	fake_honest(); /* atomics neither claimed nor working */
	FK.caps.v[VAL_ATOMIC_CAP] = VAL_ATOMIC_NONE;
	FK.atomic_works = false;
	run_fake("claims.atomic");
	CU_ASSERT_EQUAL(status_of("claims.atomic.fetch_add"), VAL_PASS);
	FK.atomic_general = true;
	run_fake("claims.atomic");
	CU_ASSERT_EQUAL(status_of("claims.atomic.fetch_add"), VAL_FAIL);
	CU_ASSERT(strstr(result_of("claims.atomic.cmp_swap")->evidence,
			 "general error") != NULL);
	FK.atomic_post_err = -EOPNOTSUPP; /* refused at the post */
	run_fake("claims.atomic");
	CU_ASSERT_EQUAL(status_of("claims.atomic.cmp_swap"), VAL_PASS);
	FK.atomic_post_err = -ENOMEM;
	run_fake("claims.atomic");
	CU_ASSERT_EQUAL(status_of("claims.atomic.cmp_swap"), VAL_FAIL);
}

/* The inline size read back below what was asked; the largest found. */
static void test_inline(void)
{
	fake_honest();
	run_fake("claims.inline");
	CU_ASSERT_EQUAL(status_of("claims.inline"), VAL_PASS);
	CU_ASSERT_STRING_EQUAL(result_of("claims.inline")->observed, "256 B");
	FK.inline_readback_cut = 64;
	run_fake("claims.inline");
	CU_ASSERT_EQUAL(status_of("claims.inline"), VAL_FAIL);
	/* no inline at all: a pass only when a QP without inline is made
	 * (the control); no QP at all proves nothing about inline */
	fake_honest();
	FK.inline_max = 0;
	run_fake("claims.inline");
	CU_ASSERT_EQUAL(status_of("claims.inline"), VAL_PASS);
	CU_ASSERT_STRING_EQUAL(result_of("claims.inline")->observed, "0 B");
	FK.qp_fails = true;
	run_fake("claims.inline");
	CU_ASSERT_EQUAL(status_of("claims.inline"), VAL_FAIL);
}

/* Fewer objects than claimed, and more: both fail; bounded at 256. */
static void test_counts(void)
{
	fake_honest();
	run_fake("claims.count.qp");
	CU_ASSERT_EQUAL(status_of("claims.count.qp"), VAL_PASS);
	CU_ASSERT_STRING_EQUAL(result_of("claims.count.qp")->observed, "256");
	FK.gives[VAL_OBJ_QP] = 100;
	run_fake("claims.count.qp");
	CU_ASSERT_EQUAL(status_of("claims.count.qp"), VAL_FAIL);
	FK.caps.v[VAL_MAX_QP] = 102; /* 2 held by the pair: 100 left */
	run_fake("claims.count.qp");
	CU_ASSERT_EQUAL(status_of("claims.count.qp"), VAL_PASS);
	FK.caps.v[VAL_MAX_QP] = 50; /* gives 100 where 48 are claimed */
	run_fake("claims.count.qp");
	CU_ASSERT_EQUAL(status_of("claims.count.qp"), VAL_FAIL);
	CU_ASSERT(strstr(result_of("claims.count.qp")->evidence, "more") !=
		  NULL);
	FK.caps.v[VAL_MAX_CQ] = 11;
	FK.gives[VAL_OBJ_CQ] = 10;
	run_fake("claims.count.cq");
	CU_ASSERT_EQUAL(status_of("claims.count.cq"), VAL_PASS);
}

/* Each protection turned off in the fake fails its checks (and only
 * those); a positive control that fails fails every protection check. */
static void test_protect(void)
{
	static const char *const bad_id[] = { "", "rkey", "past_end", "dereg",
					      "no_remote" };
	static const char *const ops[] = { "write", "read", "atomic" };
	char id[64];
	size_t b, k, i;

	for (b = 1; b < 5; b++) {
		fake_honest();
		FK.unfenced[b] = true;
		CU_ASSERT_EQUAL(run_fake("protect"), 3);
		for (k = 0; k < 3; k++) {
			snprintf(id, sizeof(id), "protect.%s.%s", ops[k],
				 bad_id[b]);
			CU_ASSERT_EQUAL(status_of(id), VAL_FAIL);
			CU_ASSERT(strstr(result_of(id)->evidence,
					 "not fenced in") != NULL);
		}
	}
	fake_honest();
	FK.control_fails = true;
	CU_ASSERT_EQUAL(run_fake("protect"), 14);
	for (i = 0; i < ngot; i++) {
		CU_ASSERT_EQUAL(got[i].status, VAL_FAIL);
		CU_ASSERT(strstr(got[i].evidence, "positive control") != NULL);
	}
	/* an error that is not the responder's remote access error (a
	 * local protection error, retries exceeded: the operation may never
	 * have reached the target's checks) proves no fence: fail */
	fake_honest();
	FK.other_error = true;
	CU_ASSERT_EQUAL(run_fake("protect"), 14);
	for (i = 0; i < ngot; i++) {
		CU_ASSERT_EQUAL(got[i].status, VAL_FAIL);
		CU_ASSERT(strstr(got[i].evidence,
				 "not a remote access error") != NULL);
	}
	/* the control runs before each check: two operations a check,
	 * three past the end (at it, and across it from inside), 21 for
	 * the sweep */
	fake_honest();
	FK.rops = 0;
	run_fake("protect.write");
	CU_ASSERT_EQUAL(ngot, 5);
	CU_ASSERT_EQUAL(FK.rops, 30);
}

/* The rkey sweep: a fence that checks an rkey's index and not its key
 * byte lets every near guess through, one MR of another PD at the next
 * index lets that one through: the sweep fails naming the guess, and
 * only the sweep; a fenced device passes all 20. */
static void test_sweep(void)
{
	fake_honest();
	FK.unfenced[VAL_BAD_NEAR] = true;
	CU_ASSERT_EQUAL(run_fake("protect"), 2);
	CU_ASSERT_EQUAL(status_of("protect.write.rkey_sweep"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("protect.read.rkey_sweep"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("protect.write.rkey"), VAL_PASS);
	fake_honest();
	FK.near_open = 256;
	CU_ASSERT_EQUAL(run_fake("protect.write.rkey_sweep"), 1);
	CU_ASSERT(strstr(result_of("protect.write.rkey_sweep")->evidence,
			 "(the valid rkey +256)") != NULL);
	fake_honest();
	FK.rops = 0;
	CU_ASSERT_EQUAL(run_fake("protect.read.rkey_sweep"), 0);
	CU_ASSERT_EQUAL(status_of("protect.read.rkey_sweep"), VAL_PASS);
	CU_ASSERT_EQUAL(FK.rops, 21);
}

/* An access from inside the MR across its end let through (a fence that
 * checks the start address alone): past_end fails for WRITE and READ;
 * an atomic (aligned, it cannot cross) tries the end alone. */
static void test_cross_end(void)
{
	fake_honest();
	FK.unfenced[VAL_BAD_CROSS] = true;
	CU_ASSERT_EQUAL(run_fake("protect"), 2);
	CU_ASSERT_EQUAL(status_of("protect.write.past_end"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("protect.read.past_end"), VAL_FAIL);
	CU_ASSERT(strstr(result_of("protect.write.past_end")->evidence,
			 "across its end") != NULL);
	CU_ASSERT_EQUAL(status_of("protect.atomic.past_end"), VAL_PASS);
	fake_honest();
	run_fake("protect.read.past_end");
	CU_ASSERT_EQUAL(status_of("protect.read.past_end"), VAL_PASS);
	CU_ASSERT(strstr(result_of("protect.read.past_end")->evidence,
			 "and one at its end") != NULL);
}

/* No device, or one whose pair is not made: every check skips, saying
 * why; nothing is tried. */
static void test_skip(void)
{
	const struct val_config cfg = { .ops = &fake_ops, .timeout_ms = 10 };
	struct val_path p = { .path = "pv",
			      .dev = "",
			      .why = "no pv device with an active port" };
	size_t i;

	fake_honest();
	ngot = 0;
	CU_ASSERT_EQUAL(val_run_path(&cfg, &p, collect, NULL), 0);
	CU_ASSERT_EQUAL(ngot, nchecks());
	for (i = 0; i < ngot; i++) {
		CU_ASSERT_EQUAL(got[i].status, VAL_SKIP);
		CU_ASSERT_STRING_EQUAL(got[i].evidence, p.why);
	}
	CU_ASSERT_FALSE(p.queried);
	FK.open_fails = true;
	p.dev = "fake0";
	ngot = 0;
	CU_ASSERT(val_run_path(&cfg, &p, collect, NULL) < 0);
	CU_ASSERT_EQUAL(ngot, nchecks());
	CU_ASSERT_EQUAL(got[0].status, VAL_SKIP);
	CU_ASSERT(strstr(got[0].evidence, "fake0") != NULL);
	CU_ASSERT_EQUAL(FK.rops, 0);
}

/* Ops a config lacks answer not supported: the checks skip or fail,
 * never pass. */
static void test_no_ops(void)
{
	const struct val_ops only_open = { .open = f_open, .query = f_query };
	const struct val_config cfg = { .ops = &only_open, .timeout_ms = 10 };
	struct val_path p = { .path = "pf", .dev = "fake0", .why = "" };
	size_t i;

	fake_honest();
	ngot = 0;
	val_run_path(&cfg, &p, collect, NULL);
	CU_ASSERT_EQUAL(ngot, nchecks());
	for (i = 0; i < ngot; i++)
		if (got[i].status == VAL_PASS)
			fprintf(stderr, "\n  %s passed without ops\n",
				got[i].id);
	for (i = 0; i < ngot; i++)
		CU_ASSERT_NOT_EQUAL(got[i].status, VAL_PASS);
}

static volatile int stop_sig;

static void collect_then_stop(const struct val_result *r, void *arg)
{
	collect(r, arg);
	if (ngot == 3)
		stop_sig = 2;
}

/* A signal stops the run before the next check: what ran is kept. */
static void test_abort(void)
{
	const struct val_config cfg = { .ops = &fake_ops,
					.timeout_ms = 10,
					.abort = &stop_sig };
	struct val_path p = { .path = "pf", .dev = "fake0", .why = "" };

	fake_honest();
	stop_sig = 0;
	ngot = 0;
	CU_ASSERT_EQUAL(val_run_path(&cfg, &p, collect_then_stop, NULL), 0);
	CU_ASSERT_EQUAL(ngot, 3);
	CU_ASSERT(nchecks() > 3);
}

int test_validate_register(void)
{
	CU_pSuite s = CU_add_suite("validate", NULL, NULL);

	if (!s || !CU_add_test(s, "an honest function passes", test_honest) ||
	    !CU_add_test(s, "claims that fail, features unclaimed",
			 test_claims) ||
	    !CU_add_test(s, "unclaimed: only refused as unsupported passes",
			 test_refusal_kind) ||
	    !CU_add_test(s, "inline read back", test_inline) ||
	    !CU_add_test(s, "objects counted", test_counts) ||
	    !CU_add_test(s, "a protection off fails its check", test_protect) ||
	    !CU_add_test(s, "past the end: across it from inside",
			 test_cross_end) ||
	    !CU_add_test(s, "rkeys around a valid one", test_sweep) ||
	    !CU_add_test(s, "no device: skip with the reason", test_skip) ||
	    !CU_add_test(s, "missing ops never pass", test_no_ops) ||
	    !CU_add_test(s, "a signal stops before the next check", test_abort))
		return -1;
	return 0;
}
