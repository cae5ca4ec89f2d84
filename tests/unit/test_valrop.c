/* SPDX-License-Identifier: MIT */
/* vfbench validate's remote operation on the device (dev_rop.c) through
 * a recording fake of its steps (struct val_rop_io): the order of what
 * it does after an error, and the address a wrong access aims at. */
#include <errno.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "dev.h"
#include "suites.h"

/* What the fake saw and how it answers. */
static struct {
	char log[64]; /* one letter a step: R reg, P post, E reset, D dereg */
	size_t nlog;
	int post_ret;		   /* what the post answers (-ETIMEDOUT) */
	enum ibv_wc_status status; /* else the completion's status */
	uint64_t addr;		   /* the post's remote address ... */
	uint32_t bytes;		   /* ... and length */
	struct ibv_pd *pd;	   /* the PD the target MR was made on */
} R;

static struct ibv_mr tmr = { .rkey = 0x1234, .lkey = 0x1234 };
static struct ibv_mr lmr = { .lkey = 0x99 };
static uint8_t tbuf[VAL_BUF_LEN], lbuf[VAL_BUF_LEN];

static void step(char c)
{
	if (R.nlog + 1 < sizeof(R.log))
		R.log[R.nlog++] = c;
}

static struct ibv_mr *f_reg(struct ibv_pd *pd, void *addr, size_t len,
			    int access)
{
	(void)addr, (void)len, (void)access;
	R.pd = pd;
	step('R');
	return &tmr;
}

static int f_dereg(struct ibv_mr *mr)
{
	(void)mr;
	step('D');
	return 0;
}

static int f_post_wait(struct val_dev *d, struct ibv_qp *qp,
		       struct ibv_send_wr *wr, struct ibv_wc *wc)
{
	(void)d, (void)qp;
	step('P');
	R.addr = wr->opcode == IBV_WR_ATOMIC_FETCH_AND_ADD ||
				 wr->opcode == IBV_WR_ATOMIC_CMP_AND_SWP ?
			 wr->wr.atomic.remote_addr :
			 wr->wr.rdma.remote_addr;
	R.bytes = wr->sg_list->length;
	wc->status = R.status;
	return R.post_ret;
}

static bool f_in_error(struct ibv_qp *qp)
{
	(void)qp;
	return R.status != IBV_WC_SUCCESS || R.post_ret;
}

static int f_reset(struct val_dev *d)
{
	(void)d;
	step('E');
	return 0;
}

static const struct val_rop_io fake_io = {
	.reg_mr = f_reg,
	.dereg_mr = f_dereg,
	.post_wait = f_post_wait,
	.qp_in_error = f_in_error,
	.pair_reset = f_reset,
};

static int rop(enum val_rop_kind kind, enum val_bad bad,
	       struct val_rop_out *out)
{
	struct val_dev d = { .tbuf = tbuf, .lbuf = lbuf, .lmr = &lmr };
	const struct val_rop op = { .kind = kind, .bad = bad };
	char why[128] = "";

	memset(R.log, 0, sizeof(R.log));
	R.nlog = 0;
	return val_rop_run(&fake_io, &d, &op, out, why, sizeof(why));
}

/* A timeout: the pair is reset (its WR flushed) before the target MR is
 * deregistered, never the other way round; an error likewise. */
static void test_timeout_order(void)
{
	struct val_rop_out o;

	R.post_ret = -ETIMEDOUT;
	R.status = IBV_WC_GENERAL_ERR;
	CU_ASSERT_EQUAL(rop(VAL_ROP_WRITE, VAL_BAD_RKEY, &o), 0);
	CU_ASSERT_EQUAL(o.wc, VAL_WC_TIMEOUT);
	CU_ASSERT_STRING_EQUAL(R.log, "RPED");
	R.post_ret = 0;
	R.status = IBV_WC_REM_ACCESS_ERR;
	CU_ASSERT_EQUAL(rop(VAL_ROP_READ, VAL_BAD_PAST, &o), 0);
	CU_ASSERT_EQUAL(o.wc, VAL_WC_REM_ACCESS);
	CU_ASSERT_STRING_EQUAL(R.log, "RPED");
	R.status = IBV_WC_SUCCESS; /* no error: no reset */
	CU_ASSERT_EQUAL(rop(VAL_ROP_WRITE, VAL_BAD_NONE, &o), 0);
	CU_ASSERT_STRING_EQUAL(R.log, "RPD");
}

/* Past the end: a WRITE or READ at the MR's end, or from inside it
 * across its end (half in, half out); an atomic is not made to cross. */
static void test_past_addresses(void)
{
	const uint64_t end = (uintptr_t)tbuf + VAL_MR_LEN;
	struct val_rop_out o;

	R.post_ret = 0;
	R.status = IBV_WC_REM_ACCESS_ERR;
	rop(VAL_ROP_WRITE, VAL_BAD_PAST, &o);
	CU_ASSERT_EQUAL(R.addr, end);
	rop(VAL_ROP_READ, VAL_BAD_CROSS, &o);
	CU_ASSERT(R.addr > (uintptr_t)tbuf && R.addr < end);
	CU_ASSERT(R.addr + R.bytes > end);
	rop(VAL_ROP_WRITE, VAL_BAD_CROSS, &o);
	CU_ASSERT(R.addr < end && R.addr + R.bytes > end);
	CU_ASSERT_EQUAL(rop(VAL_ROP_FADD, VAL_BAD_CROSS, &o), -EINVAL);
	CU_ASSERT_STRING_EQUAL(R.log, ""); /* refused before anything */
}

/* Another function's MR: registered on its PD over its buffer, the WRITE
 * from this function's QP aimed at that buffer with that MR's rkey; the
 * target judged is that buffer; refused before anything without one. */
static void test_foreign(void)
{
	static uint8_t obuf[VAL_BUF_LEN];
	struct ibv_pd opd;
	struct val_dev d = { .tbuf = tbuf, .lbuf = lbuf, .lmr = &lmr },
		       o = { .tbuf = obuf, .pd = &opd };
	struct val_rop op = { .kind = VAL_ROP_WRITE,
			      .bad = VAL_BAD_FOREIGN,
			      .foreign = &o };
	struct val_rop_out out;
	char why[128] = "";

	R.post_ret = 0;
	R.status = IBV_WC_REM_ACCESS_ERR;
	R.nlog = 0;
	memset(R.log, 0, sizeof(R.log));
	CU_ASSERT_EQUAL(val_rop_run(&fake_io, &d, &op, &out, why, sizeof(why)),
			0);
	CU_ASSERT_PTR_EQUAL(R.pd, &opd);
	CU_ASSERT_EQUAL(R.addr, (uintptr_t)obuf);
	CU_ASSERT_EQUAL(out.wc, VAL_WC_REM_ACCESS);
	CU_ASSERT(!out.target_changed);
	op.foreign = NULL;
	R.nlog = 0;
	memset(R.log, 0, sizeof(R.log));
	CU_ASSERT_EQUAL(val_rop_run(&fake_io, &d, &op, &out, why, sizeof(why)),
			-EINVAL);
	CU_ASSERT_STRING_EQUAL(R.log, "");
}

int test_valrop_register(void)
{
	CU_pSuite s = CU_add_suite("validate rop", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "reset before dereg after a timeout",
			 test_timeout_order) ||
	    !CU_add_test(s, "past the end, and across it",
			 test_past_addresses) ||
	    !CU_add_test(s, "another function's MR", test_foreign))
		return -1;
	return 0;
}
