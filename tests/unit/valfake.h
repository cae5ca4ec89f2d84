/* SPDX-License-Identifier: MIT */
#ifndef VFB_TEST_VALFAKE_H
#define VFB_TEST_VALFAKE_H

/* The fake function of the validate tests (struct val_ops): what it
 * claims and what it really does, the results a run gave. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "validate.h"

#define MAX_RES 64

/* The fake function: what it claims and what it really does. */
struct vfake {
	struct val_caps caps;
	bool srq_works, atomic_works, mw_works, mr_works, odp_works, open_fails;
	bool control_fails, qp_fails;
	uint32_t inline_max, inline_readback_cut;
	int gives[VAL_NOBJS]; /* objects it gives before it refuses */
	bool unfenced[VAL_BAD_FOREIGN + 1]; /* by enum val_bad: let through */
	int32_t near_open; /* the one guess next to the rkey let through (an
			    * MR of another PD at the next index, say) */
	bool other_error;  /* refuses with an error that is not a remote
			       * access error (the QP in error all the same) */
	int rops;
	int refuse_err;		/* srq, mw, odp refused with this (0: their
				 * usual EOPNOTSUPP or EINVAL) */
	bool atomic_general;	/* an atomic that does not work completes in
				 * a general error, not an invalid request */
	int atomic_post_err;	/* ... or is not posted: this errno */
	struct val_vf_state vf; /* what its PF reports of it */
	int vf_err;		/* ... or the error reading it */
};

extern struct vfake FK;
extern bool other_fails; /* the run's other function cannot be opened */
extern const struct val_ops fake_ops;
extern struct val_result got[MAX_RES];
extern size_t ngot;

/* FK as an honest function: what it claims it does. */
void fake_honest(void);
/* The results' sink of val_run_path. */
void collect(const struct val_result *r, void *arg);
/* Validate the fake (path vf, device fake0, the other function fake1)
 * with CHECKS (NULL: all): the failed checks' count. */
int run_fake(const char *checks);
const struct val_result *result_of(const char *id);
enum val_status status_of(const char *id);
/* How many checks the table has. */
size_t nchecks(void);

#endif
