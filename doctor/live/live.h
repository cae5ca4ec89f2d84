/* SPDX-License-Identifier: MIT */
#ifndef DR_LIVE_H
#define DR_LIVE_H

#include "doctor.h"
#include "fsroot.h"

/* The probes of the live system: libpci, programs, libibverbs. */
const struct dr_probe_ops *dr_live_ops(void);

/*
 * Run the readiness checks that concern a command (enum dr_concern), on
 * what SCOPE names, and
 * log each failure with its id and fix line, prefixed by CMD. Returns
 * VFB_EXIT_OK, or VFB_EXIT_ENV when one failed (or PF is not there).
 */
struct dr_live_scope {
	unsigned concerns;	    /* enum dr_concern */
	const char *pf;		    /* NULL: every PF */
	long want_vfs;		    /* 0: unsaid */
	const char *const *devices; /* the RDMA devices used, when ndevices */
	int ndevices;
};
int dr_live_gate(const char *cmd, const struct vfb_fsroot *root,
		 const struct dr_live_scope *scope);
/* The checks that concern a measurement (DR_FOR_RUN) on the live system,
 * for the N devices DEVS it uses; VFB_EXIT_OK when N is 0. */
int dr_live_ready(const char *cmd, const char *const *devs, int n);

#endif
