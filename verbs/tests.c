/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

extern const struct vt_test_ops vt_write_lat_ops, vt_send_lat_ops,
	vt_read_lat_ops, vt_atomic_lat_ops, vt_write_bw_ops, vt_send_bw_ops,
	vt_read_bw_ops, vt_atomic_bw_ops;

/* The registry of test engines, in the order a run executes them. A new
 * engine is its file and one line here. */
static const struct vt_test_ops *const engines[] = {
	&vt_write_lat_ops,  /* RDMA WRITE ping-pong */
	&vt_send_lat_ops,   /* SEND ping-pong */
	&vt_read_lat_ops,   /* RDMA READ round trips */
	&vt_atomic_lat_ops, /* 8-byte atomic round trips */
	&vt_write_bw_ops,   /* RDMA WRITE stream */
	&vt_send_bw_ops,    /* SEND stream */
	&vt_read_bw_ops,    /* RDMA READ stream */
	&vt_atomic_bw_ops,  /* 8-byte atomic stream */
};

#define NTESTS (sizeof(engines) / sizeof(engines[0]))

/* What an engine leaves out (rdma-core's dummy_ops): a side it lacks
 * says it is not supported, a step it does not need does nothing. */
static int no_side(struct vt_run *run, const char *side)
{
	snprintf(run->err, sizeof(run->err), "this test has no %s side: %s",
		 side, strerror(EOPNOTSUPP));
	return -EOPNOTSUPP;
}

static int no_client(struct vt_run *run)
{
	return no_side(run, "active");
}

static int no_server(struct vt_run *run)
{
	return no_side(run, "passive");
}

static void no_server_prepare(struct vt_run *run)
{
	(void)run;
}

#define SET_DEFAULT(dst, op, fn)                                               \
	do {                                                                   \
		if (!(dst)->op)                                                \
			(dst)->op = fn;                                        \
	} while (0)

void vt_test_ops_set(struct vt_test_ops *dst, const struct vt_test_ops *src)
{
	*dst = *src;
	SET_DEFAULT(dst, client, no_client);
	SET_DEFAULT(dst, server, no_server);
	SET_DEFAULT(dst, server_prepare, no_server_prepare);
}

/* What the registry hands out: each engine with its defaults filled in,
 * once, so callers call every op unconditionally. */
static struct vt_test_ops filled[NTESTS];
static const struct vt_test_ops *tests[NTESTS];
static pthread_once_t filled_once = PTHREAD_ONCE_INIT;

static void fill(void)
{
	size_t i;

	for (i = 0; i < NTESTS; i++) {
		vt_test_ops_set(&filled[i], engines[i]);
		tests[i] = &filled[i];
	}
}

const struct vt_test_ops *const *vt_tests(size_t *n)
{
	pthread_once(&filled_once, fill);
	*n = NTESTS;
	return tests;
}

const struct vt_test_ops *vt_test_find(const char *name)
{
	size_t i, n;
	const struct vt_test_ops *const *all = vt_tests(&n);

	for (i = 0; i < n; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

void vt_test_names(char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < NTESTS && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? "," : "",
				 engines[i]->name);
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
