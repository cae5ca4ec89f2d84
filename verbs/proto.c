/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

json_object *vt_msg_new(const char *type, const char *key, int64_t val)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string(type));
	if (key)
		json_object_object_add(o, key, json_object_new_int64(val));
	return o;
}

int64_t vt_msg_int(json_object *msg, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(msg, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	return json_object_get_int64(v);
}

const char *vt_msg_str(json_object *msg, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(msg, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static const char *const atomic_names[] = {
	[VT_ATOMIC_FETCH_ADD] = "fetch_add",
	[VT_ATOMIC_CMP_SWAP] = "cmp_swap",
};

const char *vt_atomic_name(enum vt_atomic a)
{
	return (size_t)a < sizeof(atomic_names) / sizeof(atomic_names[0]) ?
		       atomic_names[a] :
		       "?";
}

int vt_atomic_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(atomic_names) / sizeof(atomic_names[0]); i++)
		if (!strcmp(s, atomic_names[i]))
			return (int)i;
	return -1;
}

static void add_u64(json_object *o, const char *k, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	json_object_object_add(o, k, json_object_new_string(buf));
}

static int get_u64(json_object *o, const char *k, uint64_t *v)
{
	const char *s = vt_msg_str(o, k);
	char *end;

	if (!s)
		return -EPROTO;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end ? -EPROTO : 0;
}

void vt_params_init(struct vt_params *p)
{
	*p = (struct vt_params){ .post_list = 1,
				 .tclass = -1,
				 .sl = -1,
				 .flow_label = -1,
				 .inline_size = -1,
				 .qps = 1 };
}

json_object *vt_params_to_json(const struct vt_params *p)
{
	json_object *o = vt_msg_new("hello", NULL, 0), *sizes;
	size_t i;

	json_object_object_add(o, "test", json_object_new_string(p->test));
	sizes = json_object_new_array();
	for (i = 0; i < p->sizes.n; i++)
		json_object_array_add(sizes,
				      json_object_new_int64(p->sizes.v[i]));
	json_object_object_add(o, "sizes", sizes);
	json_object_object_add(o, "iters", json_object_new_int64(p->iters));
	json_object_object_add(o, "duration_s",
			       json_object_new_double(p->duration_s));
	json_object_object_add(o, "warmup", json_object_new_int64(p->warmup));
	json_object_object_add(o, "rdma_cm",
			       json_object_new_boolean(p->rdma_cm));
	json_object_object_add(o, "verify", json_object_new_boolean(p->verify));
	json_object_object_add(o, "tx_depth", json_object_new_int(p->tx_depth));
	json_object_object_add(o, "cq_mod", json_object_new_int(p->cq_mod));
	json_object_object_add(
		o, "atomic", json_object_new_string(vt_atomic_name(p->atomic)));
	json_object_object_add(o, "post_list",
			       json_object_new_int(p->post_list));
	json_object_object_add(o, "events", json_object_new_boolean(p->events));
	json_object_object_add(o, "hugepages",
			       json_object_new_boolean(p->hugepages));
	json_object_object_add(o, "bidirectional",
			       json_object_new_boolean(p->bidir));
	json_object_object_add(o, "qps", json_object_new_int(p->qps));
	json_object_object_add(o, "tclass", json_object_new_int(p->tclass));
	json_object_object_add(o, "sl", json_object_new_int(p->sl));
	json_object_object_add(o, "flow_label",
			       json_object_new_int(p->flow_label));
	json_object_object_add(o, "inline_size",
			       json_object_new_int(p->inline_size));
	json_object_object_add(o, "grh", json_object_new_boolean(p->grh));
	json_object_object_add(o, "pkey_index",
			       json_object_new_int(p->pkey_index));
	return o;
}

static int bad(char *err, size_t len, const char *what)
{
	snprintf(err, len, "malformed hello: %s", what);
	return -EPROTO;
}

/* Integer field K of O in [LO, HI], or an error naming it. */
static int get_ranged(json_object *o, const char *k, int64_t lo, int64_t hi,
		      int64_t *v, char *err, size_t len)
{
	*v = vt_msg_int(o, k);
	if (*v >= lo && *v <= hi)
		return 0;
	snprintf(err, len, "malformed hello: %s %lld not in [%lld, %lld]", k,
		 (long long)*v, (long long)lo, (long long)hi);
	return -EPROTO;
}

/* Like get_ranged, for a field an older peer does not send: DEF. */
static int get_opt_ranged(json_object *o, const char *k, int64_t lo, int64_t hi,
			  int64_t def, int64_t *v, char *err, size_t len)
{
	if (!json_object_object_get_ex(o, k, NULL)) {
		*v = def;
		return 0;
	}
	return get_ranged(o, k, lo, hi, v, err, len);
}

static bool get_bool(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) &&
	       json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

/* The test and its message sizes. */
static int what_from_json(json_object *o, struct vt_params *p, char *err,
			  size_t errlen)
{
	const char *test = vt_msg_str(o, "test");
	json_object *sizes;
	size_t i, n;
	int64_t v;

	if (!test || strlen(test) >= sizeof(p->test))
		return bad(err, errlen, "no test");
	strcpy(p->test, test);
	if (!json_object_object_get_ex(o, "sizes", &sizes) ||
	    !json_object_is_type(sizes, json_type_array))
		return bad(err, errlen, "no sizes");
	n = json_object_array_length(sizes);
	if (n == 0 || n > VFB_SIZES_MAX)
		return bad(err, errlen, "size count");
	for (i = 0; i < n; i++) {
		v = json_object_get_int64(json_object_array_get_idx(sizes, i));
		if (v < 1 || v > (1LL << 31))
			return bad(err, errlen, "size out of range");
		p->sizes.v[p->sizes.n++] = (uint64_t)v;
	}
	return 0;
}

/* How much: iterations (and warm-up) or a duration, exactly one. */
static int amount_from_json(json_object *o, struct vt_params *p, char *err,
			    size_t errlen)
{
	json_object *d;
	int64_t v;

	if (get_ranged(o, "iters", 0, VT_ITERS_MAX, &v, err, errlen))
		return -EPROTO;
	p->iters = (uint64_t)v;
	if (get_ranged(o, "warmup", 0, VT_WARMUP_MAX, &v, err, errlen))
		return -EPROTO;
	p->warmup = (uint64_t)v;
	if (json_object_object_get_ex(o, "duration_s", &d))
		p->duration_s = json_object_get_double(d);
	if (!(p->duration_s >= 0 && p->duration_s <= VT_DURATION_MAX_S))
		return bad(err, errlen, "duration_s out of range");
	if ((p->iters == 0) == (p->duration_s <= 0))
		return bad(err, errlen, "exactly one of iters and duration_s");
	return 0;
}

/* How it posts: the connection, checks, queue depth, signaling, the
 * atomic, post lists. */
static int posting_from_json(json_object *o, struct vt_params *p, char *err,
			     size_t errlen)
{
	const char *atomic;
	int64_t v;

	p->rdma_cm = get_bool(o, "rdma_cm");
	p->verify = get_bool(o, "verify");
	if (get_ranged(o, "tx_depth", VT_TX_DEPTH_MIN, VT_TX_DEPTH_MAX, &v, err,
		       errlen))
		return -EPROTO;
	p->tx_depth = (uint32_t)v;
	if (get_ranged(o, "cq_mod", 1, p->tx_depth, &v, err, errlen))
		return -EPROTO;
	p->cq_mod = (uint32_t)v;
	atomic = vt_msg_str(o, "atomic"); /* absent: an older peer, fetch_add */
	if (atomic && vt_atomic_parse(atomic) < 0)
		return bad(err, errlen,
			   "atomic is neither fetch_add nor cmp_swap");
	p->atomic = atomic ? (enum vt_atomic)vt_atomic_parse(atomic) :
			     VT_ATOMIC_FETCH_ADD;
	if (get_opt_ranged(o, "post_list", 1, p->tx_depth, 1, &v, err, errlen))
		return -EPROTO;
	p->post_list = (uint32_t)v;
	return 0;
}

/* The traffic's class on the wire: traffic class, SL, flow label. */
static int class_from_json(json_object *o, struct vt_params *p, char *err,
			   size_t errlen)
{
	int64_t v;

	if (get_opt_ranged(o, "tclass", -1, VT_TCLASS_MAX, -1, &v, err, errlen))
		return -EPROTO;
	p->tclass = (int)v;
	if (get_opt_ranged(o, "sl", -1, VT_SL_MAX, -1, &v, err, errlen))
		return -EPROTO;
	p->sl = (int)v;
	if (get_opt_ranged(o, "flow_label", -1, VT_FLOW_LABEL_MAX, -1, &v, err,
			   errlen))
		return -EPROTO;
	p->flow_label = (int32_t)v;
	return 0;
}

int vt_params_from_json(json_object *o, struct vt_params *p, char *err,
			size_t errlen)
{
	int64_t v;
	int ret;

	vt_params_init(p);
	ret = what_from_json(o, p, err, errlen);
	if (!ret)
		ret = amount_from_json(o, p, err, errlen);
	if (!ret)
		ret = posting_from_json(o, p, err, errlen);
	if (!ret)
		ret = class_from_json(o, p, err, errlen);
	if (ret)
		return ret;
	p->events = get_bool(o, "events");
	p->hugepages = get_bool(o, "hugepages");
	p->bidir = get_bool(o, "bidirectional");
	if (get_opt_ranged(o, "qps", 1, VT_QPS_MAX, 1, &v, err, errlen))
		return -EPROTO;
	p->qps = (uint32_t)v;
	/* absent (an older peer): the defaults */
	if (get_opt_ranged(o, "inline_size", -1, VT_INLINE_MAX, -1, &v, err,
			   errlen))
		return -EPROTO;
	p->inline_size = (int32_t)v;
	p->grh = get_bool(o, "grh");
	if (get_opt_ranged(o, "pkey_index", 0, VT_PKEY_INDEX_MAX, 0, &v, err,
			   errlen))
		return -EPROTO;
	p->pkey_index = (uint16_t)v;
	return 0;
}

json_object *vt_ep_to_json(const struct vt_ep *ep)
{
	json_object *o = vt_msg_new("ep", NULL, 0);
	char gid[INET6_ADDRSTRLEN];

	json_object_object_add(o, "qpn", json_object_new_int64(ep->qpn));
	json_object_object_add(o, "psn", json_object_new_int64(ep->psn));
	json_object_object_add(o, "lid", json_object_new_int(ep->lid));
	inet_ntop(AF_INET6, ep->gid, gid, sizeof(gid));
	json_object_object_add(o, "gid", json_object_new_string(gid));
	json_object_object_add(o, "rkey", json_object_new_int64(ep->rkey));
	add_u64(o, "addr", ep->addr);
	add_u64(o, "size", ep->size);
	json_object_object_add(o, "mtu", json_object_new_int64(ep->mtu));
	json_object_object_add(o, "rd_atom",
			       json_object_new_int64(ep->rd_atom));
	return o;
}

int vt_ep_from_json(json_object *o, struct vt_ep *ep)
{
	const char *gid = vt_msg_str(o, "gid");
	int64_t qpn = vt_msg_int(o, "qpn"), psn = vt_msg_int(o, "psn");
	int64_t lid = vt_msg_int(o, "lid"), rkey = vt_msg_int(o, "rkey");
	int64_t mtu = vt_msg_int(o, "mtu"), rd = vt_msg_int(o, "rd_atom");

	memset(ep, 0, sizeof(*ep));
	if (qpn < 0 || qpn > 0xffffff || psn < 0 || psn > 0xffffff || lid < 0 ||
	    lid > 0xffff || rkey < 0 || rkey > 0xffffffffLL || mtu < 256 ||
	    mtu > 4096 || !gid || inet_pton(AF_INET6, gid, ep->gid) != 1 ||
	    get_u64(o, "addr", &ep->addr) || get_u64(o, "size", &ep->size))
		return -EPROTO;
	ep->qpn = qpn;
	ep->psn = psn;
	ep->lid = lid;
	ep->rkey = rkey;
	ep->mtu = mtu;
	/* absent (an older peer): one outstanding READ, what it set up */
	ep->rd_atom = rd < 0 ? 1 : rd > 255 ? 255 : rd ? (uint32_t)rd : 1;
	return 0;
}
