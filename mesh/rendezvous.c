/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pmix.h>

#include "deadline.h"
#include "rendezvous.h"

static int fail(pmix_status_t rc, const char *what, char *err, size_t len)
{
	snprintf(err, len, "%s: %s", what, PMIx_Error_string(rc));
	if (rc == PMIX_ERR_TIMEOUT)
		return -ETIMEDOUT;
	if (rc == PMIX_ERR_NOT_FOUND)
		return -ENOENT;
	return -EIO;
}

int msh_pmix_launched(void)
{
	/* what a PMIx server gives its clients (PMIx 2-5 spell it so) */
	return getenv("PMIX_NAMESPACE") && getenv("PMIX_RANK");
}

int msh_pmix_env_rank(void)
{
	const char *r = getenv("PMIX_RANK");

	return r && *r ? atoi(r) : -1;
}

static pmix_proc_t proc_of(const struct msh_pmix *p, pmix_rank_t rank)
{
	pmix_proc_t pr;

	PMIX_LOAD_PROCID(&pr, p->nspace, rank);
	return pr;
}

int msh_pmix_init(struct msh_pmix *p, char *err, size_t len)
{
	pmix_proc_t me, job;
	pmix_value_t *v = NULL;
	pmix_status_t rc;

	memset(p, 0, sizeof(*p));
	rc = PMIx_Init(&me, NULL, 0);
	if (rc != PMIX_SUCCESS)
		return fail(rc, "PMIx_Init", err, len);
	snprintf(p->nspace, sizeof(p->nspace), "%s", me.nspace);
	p->rank = me.rank;
	job = proc_of(p, PMIX_RANK_WILDCARD);
	rc = PMIx_Get(&job, PMIX_JOB_SIZE, NULL, 0, &v);
	if (rc != PMIX_SUCCESS || v->type != PMIX_UINT32) {
		if (v)
			PMIX_VALUE_RELEASE(v);
		PMIx_Finalize(NULL, 0);
		return fail(rc, "PMIx_Get(" PMIX_JOB_SIZE ")", err, len);
	}
	p->size = v->data.uint32;
	PMIX_VALUE_RELEASE(v);
	v = NULL;
	rc = PMIx_Get(&me, PMIX_LOCAL_RANK, NULL, 0, &v);
	if (rc == PMIX_SUCCESS && v->type == PMIX_UINT16)
		p->local_rank = v->data.uint16;
	if (v)
		PMIX_VALUE_RELEASE(v);
	if (gethostname(p->host, sizeof(p->host) - 1))
		snprintf(p->host, sizeof(p->host), "rank%u", p->rank);
	return 0;
}

int msh_pmix_put(struct msh_pmix *p, const char *key, const char *value,
		 char *err, size_t len)
{
	pmix_value_t v;
	pmix_status_t rc;

	(void)p;
	PMIX_VALUE_CONSTRUCT(&v);
	v.type = PMIX_STRING;
	v.data.string = (char *)value;
	rc = PMIx_Put(PMIX_GLOBAL, key, &v);
	return rc == PMIX_SUCCESS ? 0 : fail(rc, "PMIx_Put", err, len);
}

int msh_pmix_commit(struct msh_pmix *p, char *err, size_t len)
{
	pmix_status_t rc = PMIx_Commit();

	(void)p;
	return rc == PMIX_SUCCESS ? 0 : fail(rc, "PMIx_Commit", err, len);
}

int msh_pmix_fence(struct msh_pmix *p, bool collect, int timeout_s, char *err,
		   size_t len)
{
	pmix_proc_t job = proc_of(p, PMIX_RANK_WILDCARD);
	pmix_info_t info[2];
	pmix_status_t rc;

	rc = PMIx_Commit();
	if (rc != PMIX_SUCCESS)
		return fail(rc, "PMIx_Commit", err, len);
	PMIX_INFO_CONSTRUCT(&info[0]);
	PMIX_INFO_CONSTRUCT(&info[1]);
	PMIx_Info_load(&info[0], PMIX_COLLECT_DATA, &collect, PMIX_BOOL);
	PMIx_Info_load(&info[1], PMIX_TIMEOUT, &timeout_s, PMIX_INT);
	rc = PMIx_Fence(&job, 1, info, timeout_s ? 2 : 1);
	PMIX_INFO_DESTRUCT(&info[0]);
	PMIX_INFO_DESTRUCT(&info[1]);
	return rc == PMIX_SUCCESS ? 0 : fail(rc, "PMIx_Fence", err, len);
}

int msh_pmix_get(struct msh_pmix *p, uint32_t rank, const char *key, bool fresh,
		 int timeout_s, char **value, char *err, size_t len)
{
	pmix_proc_t pr = proc_of(p, rank);
	pmix_value_t *v = NULL;
	pmix_info_t info[2];
	pmix_status_t rc;

	*value = NULL;
	PMIX_INFO_CONSTRUCT(&info[0]);
	PMIX_INFO_CONSTRUCT(&info[1]);
	PMIx_Info_load(&info[0], PMIX_GET_REFRESH_CACHE, &fresh, PMIX_BOOL);
	PMIx_Info_load(&info[1], PMIX_TIMEOUT, &timeout_s, PMIX_INT);
	rc = PMIx_Get(&pr, key, fresh ? info : NULL,
		      !fresh	? 0 :
		      timeout_s ? 2 :
				  1,
		      &v);
	PMIX_INFO_DESTRUCT(&info[0]);
	PMIX_INFO_DESTRUCT(&info[1]);
	if (rc != PMIX_SUCCESS)
		return fail(rc, "PMIx_Get", err, len);
	if (v->type == PMIX_STRING && v->data.string)
		*value = strdup(v->data.string);
	PMIX_VALUE_RELEASE(v);
	if (!*value) {
		snprintf(err, len, "PMIx_Get(%s): not a string", key);
		return -EPROTO;
	}
	return 0;
}

void msh_pmix_abort(struct msh_pmix *p, int status, const char *msg)
{
	(void)p;
	PMIx_Abort(status, msg, NULL, 0);
}

void msh_pmix_fini(struct msh_pmix *p)
{
	(void)p;
	PMIx_Finalize(NULL, 0);
}

struct msh_pmix_req {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs; /* the caller's and the callback's */
	bool done;
	pmix_status_t status;
	char *value;
	pmix_info_t info[1];
};

static void req_put(struct msh_pmix_req *r)
{
	bool last;

	pthread_mutex_lock(&r->mu);
	last = --r->refs == 0;
	pthread_mutex_unlock(&r->mu);
	if (!last)
		return;
	PMIX_INFO_DESTRUCT(&r->info[0]);
	free(r->value);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r);
}

static void on_value(pmix_status_t status, pmix_value_t *kv, void *cbdata)
{
	struct msh_pmix_req *r = cbdata;

	pthread_mutex_lock(&r->mu);
	r->status = status;
	if (status == PMIX_SUCCESS && kv && kv->type == PMIX_STRING &&
	    kv->data.string)
		r->value = strdup(kv->data.string);
	r->done = true;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	req_put(r);
}

int msh_pmix_get_start(struct msh_pmix *p, uint32_t rank, const char *key,
		       struct msh_pmix_req **req, char *err, size_t len)
{
	struct msh_pmix_req *r = calloc(1, sizeof(*r));
	pmix_proc_t pr = proc_of(p, rank);
	bool fresh = true;
	pmix_status_t rc;

	if (!r)
		return -ENOMEM;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	r->refs = 2;
	PMIX_INFO_CONSTRUCT(&r->info[0]);
	PMIx_Info_load(&r->info[0], PMIX_GET_REFRESH_CACHE, &fresh, PMIX_BOOL);
	rc = PMIx_Get_nb(&pr, key, r->info, 1, on_value, r);
	if (rc != PMIX_SUCCESS) {
		r->refs = 1;
		req_put(r);
		return fail(rc, "PMIx_Get_nb", err, len);
	}
	*req = r;
	return 0;
}

int msh_pmix_get_wait(struct msh_pmix_req *r, int timeout_ms, char **value,
		      char *err, size_t len)
{
	struct timespec until;
	pmix_status_t rc;
	int ret = 0;

	until = vfb_deadline_ms((long)timeout_ms);
	pthread_mutex_lock(&r->mu);
	while (!r->done && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&r->cv, &r->mu, &until);
	if (!r->done) {
		pthread_mutex_unlock(&r->mu);
		return -EINPROGRESS;
	}
	rc = r->status;
	*value = r->value;
	r->value = NULL;
	pthread_mutex_unlock(&r->mu);
	req_put(r);
	if (rc != PMIX_SUCCESS)
		return fail(rc, "PMIx_Get", err, len);
	if (!*value) {
		snprintf(err, len, "PMIx_Get: not a string");
		return -EPROTO;
	}
	return 0;
}

void msh_pmix_get_drop(struct msh_pmix_req *r)
{
	req_put(r);
}
