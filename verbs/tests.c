/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

extern const struct vt_test_ops vt_write_lat_ops, vt_send_lat_ops,
	vt_read_lat_ops, vt_atomic_lat_ops, vt_write_bw_ops, vt_send_bw_ops,
	vt_read_bw_ops, vt_atomic_bw_ops;

/* The registry of test engines, in the order a run executes them. A new
 * engine is its file and one line here. */
static const struct vt_test_ops *const tests[] = {
	&vt_write_lat_ops,  /* RDMA WRITE ping-pong */
	&vt_send_lat_ops,   /* SEND ping-pong */
	&vt_read_lat_ops,   /* RDMA READ round trips */
	&vt_atomic_lat_ops, /* 8-byte atomic round trips */
	&vt_write_bw_ops,   /* RDMA WRITE stream */
	&vt_send_bw_ops,    /* SEND stream */
	&vt_read_bw_ops,    /* RDMA READ stream */
	&vt_atomic_bw_ops,  /* 8-byte atomic stream */
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))

const struct vt_test_ops *const *vt_tests(size_t *n)
{
	*n = NTESTS;
	return tests;
}

const struct vt_test_ops *vt_test_find(const char *name)
{
	size_t i;

	for (i = 0; i < NTESTS; i++)
		if (!strcmp(tests[i]->name, name))
			return tests[i];
	return NULL;
}

void vt_test_names(char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < NTESTS && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? "," : "",
				 tests[i]->name);
}

void vt_test_sizes(const struct vt_test_ops *ops, const struct vfb_sizes *asked,
		   struct vfb_sizes *out)
{
	if (!ops->fixed_size) {
		*out = *asked;
		return;
	}
	out->n = 1;
	out->v[0] = ops->fixed_size;
}

enum ibv_wr_opcode vt_atomic_opcode(const struct vt_params *p)
{
	return p->atomic == VT_ATOMIC_CMP_SWAP ? IBV_WR_ATOMIC_CMP_AND_SWP :
						 IBV_WR_ATOMIC_FETCH_AND_ADD;
}

bool vt_opcode_atomic(enum ibv_wr_opcode op)
{
	return op == IBV_WR_ATOMIC_FETCH_AND_ADD ||
	       op == IBV_WR_ATOMIC_CMP_AND_SWP;
}

enum ibv_wr_opcode vt_test_opcode(const struct vt_test_ops *ops,
				  const struct vt_params *p)
{
	return vt_opcode_atomic(ops->opcode) ? vt_atomic_opcode(p) :
					       ops->opcode;
}

int vt_test_check_device(const struct vt_test_ops *ops, const struct vt_res *r,
			 char *err, size_t errlen)
{
	if (vt_opcode_atomic(ops->opcode) && !r->atomics) {
		snprintf(err, errlen,
			 "%s: the device does not execute atomics "
			 "(atomic_cap NONE), so %s cannot run",
			 r->dev, ops->name);
		return -EOPNOTSUPP;
	}
	return 0;
}
