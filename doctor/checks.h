/* SPDX-License-Identifier: MIT */
#ifndef DR_CHECKS_H
#define DR_CHECKS_H

#include "doctor.h"

#define DR_MAX_FN 256
#define DR_NAME	  32

/* What a check runs on: once, or once per subject of a kind. */
enum dr_scope {
	DR_HOST, /* the system */
	DR_PF,	 /* each SR-IOV physical function */
	DR_VF,	 /* each VF of those PFs */
	DR_FN,	 /* each of both */
	DR_IBDEV /* each RDMA device */
};

struct dr_ctx {
	const struct dr_config *cfg;
	const struct vfb_fsroot *root;
	/* cfg->ops, every op it lacks (or all, without one) answering
	 * -ENOTSUP: checks call them unconditionally, with cfg->ops_arg */
	struct dr_probe_ops ops;
	char pfs[DR_MAX_FN][DR_NAME];
	char vfs[DR_MAX_FN][DR_NAME];
	char ibdevs[DR_MAX_FN][DR_NAME];
	int npfs, nvfs, nibdevs;
};

struct dr_check {
	const char *id;
	const char *help; /* one line, for help and docs: what it checks */
	enum dr_scope scope;
	unsigned concerns; /* enum dr_concern */
	/* SUBJECT: the function's BDF or the RDMA device's name, NULL for
	 * DR_HOST. Fills r->status, r->evidence and r->fix. */
	void (*run)(const struct dr_ctx *c, const char *subject,
		    struct dr_result *r);
};

/* DST: SRC's ops, the default for each it lacks; SRC may be NULL (as
 * rdma-core's verbs_set_ops over its dummy ops). */
void dr_probe_ops_set(struct dr_probe_ops *dst, const struct dr_probe_ops *src);

/* Set a result: STATUS, the FIX line ("" when none), the evidence. */
void dr_set(struct dr_result *r, enum dr_status status, const char *fix,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* sysfs shorthands for a PCI function: /sys/bus/pci/devices/BDF/ATTR */
int dr_pci_read(const struct dr_ctx *c, const char *bdf, const char *attr,
		char *buf, size_t len);
int dr_pci_long(const struct dr_ctx *c, const char *bdf, const char *attr,
		long *val);
/* Whether kernel module NAME is loaded, built in, or installed. */
enum dr_module { DR_MOD_ABSENT, DR_MOD_INSTALLED, DR_MOD_LOADED };
enum dr_module dr_module_state(const struct dr_ctx *c, const char *name);

/* The checks, by group: each check_GROUP.c holds its checks and their
 * table, in the order they run, NULL-terminated; a check is one entry
 * there. doctor.c runs the groups in the order of its registry. */
extern const struct dr_check *const dr_checks_platform[],
	*const dr_checks_device[], *const dr_checks_firmware[],
					   *const dr_checks_stack[],
						   *const dr_checks_host[];

/* The registry's group I (its NULL-terminated table), NULL past the
 * last; the checks run group by group, each in its table's order. */
const struct dr_check *const *dr_group(size_t i);

#endif
