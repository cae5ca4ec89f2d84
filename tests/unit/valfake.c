/* SPDX-License-Identifier: MIT */
/* The fake function the validate tests run against (valfake.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "valfake.h"

struct vfake FK;
struct val_dev {
	struct vfake *f;
};
static struct val_dev fdev = { &FK };
/* the run's other function: the cross-function checks aim at it */
static struct val_dev fother = { &FK };
bool other_fails; /* it cannot be opened */

static int f_open(void *arg, const char *dev, int port, int gid, int tmo,
		  struct val_dev **out)
{
	(void)arg, (void)port, (void)gid, (void)tmo;
	if (!strcmp(dev, "fake1")) {
		*out = &fother;
		return other_fails ? -ENODEV : 0;
	}
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

static int f_inline_qp(struct val_dev *d, uint32_t want, uint32_t *back)
{
	if (d->f->qp_fails)
		return -ENOMEM;
	if (want > d->f->inline_max)
		return -EINVAL;
	*back = want > d->f->inline_readback_cut && d->f->inline_readback_cut ?
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
	if (op->bad == VAL_BAD_FOREIGN &&
	    (d != &fdev || op->foreign != &fother))
		return snprintf(why, len, "aimed at the wrong function"), -EIO;
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

static int f_vf_state(void *arg, const char *pf_netdev, unsigned int vf,
		      struct val_vf_state *st)
{
	(void)arg;
	if (strcmp(pf_netdev, "pf0") || vf != 1)
		return -ENODEV;
	*st = FK.vf;
	return FK.vf_err;
}

const struct val_ops fake_ops = {
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
	.vf_state = f_vf_state,
};

/* An honest function that claims everything and does it. */
void fake_honest(void)
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
	FK.vf = (struct val_vf_state){ .spoofchk = 1, .trust = 0 };
	FK.srq_works = FK.atomic_works = FK.mw_works = FK.mr_works = true;
	FK.inline_max = 256;
	for (i = 0; i < VAL_NOBJS; i++)
		FK.gives[i] = 100000;
}

struct val_result got[MAX_RES];
size_t ngot;

void collect(const struct val_result *r, void *arg)
{
	(void)arg;
	if (ngot < MAX_RES)
		got[ngot++] = *r;
}

int run_fake(const char *checks)
{
	const struct val_config cfg = { .ops = &fake_ops,
					.checks = checks,
					.port = 1,
					.gid = -1,
					.timeout_ms = 10 };
	struct val_path p = { .path = "vf",
			      .dev = "fake0",
			      .why = "",
			      .other_dev = "fake1",
			      .pf_netdev = "pf0",
			      .vf = 1 };

	ngot = 0;
	return val_run_path(&cfg, &p, collect, NULL);
}

const struct val_result *result_of(const char *id)
{
	size_t i;

	for (i = 0; i < ngot; i++)
		if (!strcmp(got[i].id, id))
			return &got[i];
	return NULL;
}

enum val_status status_of(const char *id)
{
	const struct val_result *r = result_of(id);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return r->status;
}

size_t nchecks(void)
{
	struct val_check_info info;
	size_t n = 0;

	while (!val_check_info(n, &info))
		n++;
	return n;
}
