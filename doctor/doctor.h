/* SPDX-License-Identifier: MIT */
#ifndef DR_DOCTOR_H
#define DR_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "fsroot.h"

/*
 * The readiness checklist: what SR-IOV RDMA guides make engineers check
 * by hand. Every check reads through a sysfs/procfs root, so captured
 * trees test it; what a tree cannot hold (PCI configuration space, an
 * external program, a port's active MTU) comes through dr_probe_ops,
 * which the command fills with the live system and the tests with fakes.
 *
 * Error contract: functions return 0 or a negative errno and never log.
 */

enum dr_status { DR_PASS, DR_WARN, DR_FAIL, DR_SKIP };

const char *dr_status_name(enum dr_status s);

/* Which commands a check concerns: they run it first and stop on fail. */
enum dr_concern {
	DR_FOR_SETUP = 1 << 0,
	DR_FOR_RUN = 1 << 1,
};

struct dr_result {
	const char *id; /* "iommu.groups": the check's id */
	char subject
		[64]; /* what it looked at ("0000:03:00.0", "mlx5_0"), or "" */
	enum dr_status status;
	char evidence[320]; /* what it read: file and value */
	char fix[240];	    /* one line: how to fix it ("" on pass) */
};

/* PCI configuration space as libpci reads it (root only, live only). */
struct dr_pci_caps {
	long total_vfs;	  /* the SR-IOV capability's TotalVFs, -1: none */
	bool ari;	  /* the function has an ARI capability */
	int upstream_ari; /* its upstream port forwards ARI: 1, 0, -1 unknown */
};

/* Any op may be left NULL (or the whole table): it then answers -ENOTSUP,
 * as a probe does where it cannot read. */
struct dr_probe_ops {
	/* -ENOTSUP: not readable here (a captured tree, not root) */
	int (*pci_caps)(void *arg, const char *bdf, struct dr_pci_caps *caps);
	/* Run ARGV and capture its standard output (NUL-terminated); its
	 * exit status, or -ENOENT when the program is not installed. */
	int (*run)(void *arg, char *const argv[], char *out, size_t len);
	/* The port's active MTU in bytes, as the device reports it. */
	int (*port_mtu)(void *arg, const char *ibdev, int port, int *mtu);
};

struct dr_config {
	const struct vfb_fsroot *root;
	const struct dr_probe_ops *ops;
	void *ops_arg;
	const char *pf; /* only this PF (BDF or netdev), NULL: all */
	const char *const *devices; /* only these RDMA devices, when ndevices */
	int ndevices;
	long want_vfs;	   /* VFs the user wants (ARI beyond 7), 0: unsaid */
	unsigned concerns; /* 0: every check, else only these */
};

/* The checklist's I-th check, for help and docs: its id, what it checks
 * (one line), what it runs on ("host", "each PF", ...) and the commands
 * it concerns (enum dr_concern). 0, or -ENOENT past the last. */
struct dr_check_info {
	const char *id;
	const char *help;
	const char *scope;
	unsigned concerns;
};
int dr_check_info(size_t i, struct dr_check_info *info);

typedef void (*dr_emit_fn)(const struct dr_result *r, void *arg);

/*
 * Run the checklist, calling EMIT for each result in table order (a
 * per-function check once per function). Returns the number of failed
 * checks, or a negative errno: -ENODEV when cfg->pf names no function.
 */
int dr_run(const struct dr_config *cfg, dr_emit_fn emit, void *arg);

#endif
