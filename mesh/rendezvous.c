/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pmix.h>

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

int vfb_pmix_launched(void)
{
	/* what a PMIx server gives its clients (PMIx 2-5 spell it so) */
	return getenv("PMIX_NAMESPACE") && getenv("PMIX_RANK");
}

static pmix_proc_t proc_of(const struct vfb_pmix *p, pmix_rank_t rank)
{
	pmix_proc_t pr;

	PMIX_LOAD_PROCID(&pr, p->nspace, rank);
	return pr;
}

int vfb_pmix_init(struct vfb_pmix *p, char *err, size_t len)
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

int vfb_pmix_put(struct vfb_pmix *p, const char *key, const char *value,
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

int vfb_pmix_fence(struct vfb_pmix *p, bool collect, int timeout_s, char *err,
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

int vfb_pmix_get(struct vfb_pmix *p, uint32_t rank, const char *key,
		 char **value, char *err, size_t len)
{
	pmix_proc_t pr = proc_of(p, rank);
	pmix_value_t *v = NULL;
	pmix_status_t rc;

	*value = NULL;
	rc = PMIx_Get(&pr, key, NULL, 0, &v);
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

void vfb_pmix_abort(struct vfb_pmix *p, int status, const char *msg)
{
	(void)p;
	PMIx_Abort(status, msg, NULL, 0);
}

void vfb_pmix_fini(struct vfb_pmix *p)
{
	(void)p;
	PMIx_Finalize(NULL, 0);
}
