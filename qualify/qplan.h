/* SPDX-License-Identifier: MIT */
#ifndef QFY_QPLAN_H
#define QFY_QPLAN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "gate.h"
#include "topology.h"

/*
 * A qualification plan: an INI file read by setup's topology reader. Its
 * [PF] sections are setup's (num_vfs, mac_base, trust, ...: 'vfbench help
 * setup'); one [qualify] section holds the keys of qfy_plan_keys(), each
 * at most once ('vfbench help plan').
 */
enum qfy_key_id {
	QK_PATHS,
	QK_TESTS,
	QK_SIZES,
	QK_ITERS,
	QK_REPEAT,
	QK_PEER,
	QK_PEER_PF,
	QK_PEER_VF,
	QK_PEER_PV,
	QK_SHARE,
	QK_SHARE_DEVICES,
	QK_SHARE_VICTIM,
	QK_SHARE_AGGRESSORS,
	QK_VALIDATE,
	QK_RULES,
	QK_BASELINE,
	QK_DOCTOR,
	QK_FORCE,
	QK_SETTLE,
	QK_NKEYS
};

/* A key of [qualify]: its name, its value's form, the stage that takes
 * it, what it does, and how its value is checked (0, or -EINVAL with
 * WHY). */
struct qfy_key {
	const char *name, *form, *stage, *help;
	int (*check)(const char *v, char *why, size_t len);
};

const struct qfy_key *qfy_plan_keys(size_t *n);

#define QFY_VAL_MAX 1024

struct qfy_plan {
	char file[PATH_MAX];
	struct sup_topo_pf pf[SUP_MAX_TOPO];
	int npf;
	char val[QK_NKEYS][QFY_VAL_MAX]; /* "" when not given */
	int line[QK_NKEYS];		 /* of each key given, else 0 */
	int section_line;		 /* of [qualify], 0 when none */
	struct rpt_rule rules[RPT_MAX_RULES];
	int nrules;
};

/* Key ID's value, NULL when the plan does not give it. */
const char *qfy_plan_get(const struct qfy_plan *p, enum qfy_key_id id);
/* Whether the plan says yes (FORCE) or advisory (DOCTOR). */
bool qfy_plan_force(const struct qfy_plan *p);
bool qfy_plan_doctor_advisory(const struct qfy_plan *p);
/* Seconds the settle stage waits (default 30). */
long qfy_plan_settle(const struct qfy_plan *p);

/*
 * Read and check FILE into P (zeroed first), touching nothing: each key
 * known, once, with a value of its form; every [PF] a netdev or a PCI
 * function under SYSROOT (NULL: /); what the stages asked need (a peer
 * for run and share, a run for rules, a baseline for relative rules).
 * 0, or -EINVAL after one line "qualify: FILE:LINE: ..." naming the key.
 */
int qfy_plan_read(const char *file, const char *sysroot, struct qfy_plan *p);

#endif
