/* SPDX-License-Identifier: MIT */
#ifndef MSH_RENDEZVOUS_H
#define MSH_RENDEZVOUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The rendezvous of a mesh job, through the PMIx server of its launcher
 * (Slurm's mpi_pmix plugin, Open MPI's mpirun). The only code that links
 * libpmix. Values are strings (JSON) under keys of the caller's choice.
 *
 * Errors: 0 or a negative errno; the PMIx status is in ERR. */
struct msh_pmix {
	uint32_t rank, size;
	uint32_t local_rank; /* among the job's ranks on this host */
	char nspace[256];
	char host[64];
};

/* True when the process was started by a PMIx launcher. */
int msh_pmix_launched(void);

/* The rank the launcher gave this process, before joining; -1: none. */
int msh_pmix_env_rank(void);

/* Joins the job: rank, size, this rank's host. */
int msh_pmix_init(struct msh_pmix *p, char *err, size_t len);

/* Publishes KEY = VALUE for every rank, after the next fence. */
int msh_pmix_put(struct msh_pmix *p, const char *key, const char *value,
		 char *err, size_t len);

/* Makes what was put visible to ranks that ask for it. */
int msh_pmix_commit(struct msh_pmix *p, char *err, size_t len);

/* Commits what was put and waits for every rank of the job to get here;
 * -ETIMEDOUT after TIMEOUT_S (0: no limit). COLLECT: every host's PMIx
 * server gets every rank's data (what all ranks read); otherwise a get
 * fetches it from its owner when asked (what rank 0 alone reads). */
int msh_pmix_fence(struct msh_pmix *p, bool collect, int timeout_s, char *err,
		   size_t len);

/* RANK's KEY, a string the caller frees; -ENOENT when it put none.
 * FRESH: ask RANK's server again, not what this host holds of RANK
  * already (a key RANK put after an earlier fetch of its data).
 * -ETIMEDOUT after TIMEOUT_S (0: no limit). */
int msh_pmix_get(struct msh_pmix *p, uint32_t rank, const char *key, bool fresh,
		 int timeout_s, char **value, char *err, size_t len);

/* A get that may never end (a value a rank never put because it died:
 * the launcher's server can hold such a request for minutes): started,
 * waited for in slices, dropped when the caller gives up. */
struct msh_pmix_req;

int msh_pmix_get_start(struct msh_pmix *p, uint32_t rank, const char *key,
		       struct msh_pmix_req **req, char *err, size_t len);
/* 0 with VALUE (the caller frees it), -EINPROGRESS while not answered
 * after TIMEOUT_MS, or the get's error (-ENOENT: not put). Ends REQ
 * unless -EINPROGRESS. */
int msh_pmix_get_wait(struct msh_pmix_req *req, int timeout_ms, char **value,
		      char *err, size_t len);
/* Gives up on REQ; its memory goes when (if) the answer comes. */
void msh_pmix_get_drop(struct msh_pmix_req *req);

/* Asks the launcher to end the whole job. */
void msh_pmix_abort(struct msh_pmix *p, int status, const char *msg);

void msh_pmix_fini(struct msh_pmix *p);

#endif
