/* SPDX-License-Identifier: MIT */
/* A qualification plan (plan.h): [qualify]'s keys from one table, the
 * [PF] sections through setup's topology reader. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gate.h"
#include "log.h"
#include "opt.h"
#include "pathkind.h"
#include "qplan.h"
#include "rundir.h"
#include "sharemem.h"
#include "sizes.h"
#include "test.h"
#include "validate.h"

/* Each item of comma list V passes ONE (its name for WHY). */
static int each_item(const char *v, bool (*one)(const char *), const char *of,
		     char *why, size_t len)
{
	char buf[QFY_VAL_MAX], *item, *save = NULL;

	if (vfb_list_check(v)) {
		snprintf(why, len, "not a comma list without empty items");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", v);
	for (item = strtok_r(buf, ",", &save); item;
	     item = strtok_r(NULL, ",", &save))
		if (!one(item)) {
			snprintf(why, len, "'%.40s' is no %s", item, of);
			return -EINVAL;
		}
	return 0;
}

static bool is_path(const char *s)
{
	return !strcmp(s, "auto") || vfb_path_kind_find(s);
}

static bool is_test(const char *s)
{
	return vt_test_find(s) != NULL;
}

static bool is_mode(const char *s)
{
	return shr_mode_find(s) != NULL;
}

static bool is_any(const char *s)
{
	return *s != '\0';
}

static int chk_paths(const char *v, char *why, size_t len)
{
	return each_item(v, is_path, "path kind ('vfbench help paths')", why,
			 len);
}

static int chk_tests(const char *v, char *why, size_t len)
{
	return each_item(v, is_test, "test ('vfbench help tests')", why, len);
}

static int chk_sizes(const char *v, char *why, size_t len)
{
	struct vfb_sizes s;

	return vfb_sizes_parse(v, &s, why, len) ? -EINVAL : 0;
}

static int chk_count(const char *v, char *why, size_t len)
{
	long n;

	if (vfb_long_parse(v, &n) || n < 1 || n > 100000000) {
		snprintf(why, len, "'%.40s' is not a count 1..100000000", v);
		return -EINVAL;
	}
	return 0;
}

static int chk_peer(const char *v, char *why, size_t len)
{
	char host[256], port[16];

	if (vfb_peer_split(v, "18515", host, sizeof(host), port,
			   sizeof(port))) {
		snprintf(why, len,
			 "'%.60s' is not HOST, HOST:PORT or [IPv6]:PORT", v);
		return -EINVAL;
	}
	return 0;
}

static int chk_modes(const char *v, char *why, size_t len)
{
	return each_item(v, is_mode, "sharing scenario (fairness, ...)", why,
			 len);
}

static int chk_list(const char *v, char *why, size_t len)
{
	return each_item(v, is_any, "name", why, len);
}

static int chk_name(const char *v, char *why, size_t len)
{
	if (strchr(v, ',') || strchr(v, ' ')) {
		snprintf(why, len, "one device name");
		return -EINVAL;
	}
	return 0;
}

static bool is_check(const char *s)
{
	return !strcmp(s, "all") || val_check_known(s);
}

static int chk_checks(const char *v, char *why, size_t len)
{
	return each_item(v, is_check,
			 "check id or prefix ('vfbench help "
			 "valchecks') nor all",
			 why, len);
}

static int chk_baseline(const char *v, char *why, size_t len)
{
	if (!host_rundir_taken(v)) {
		snprintf(why, len,
			 "%.200s holds no run (results.csv, run.json)", v);
		return -EINVAL;
	}
	return 0;
}

static int chk_word(const char *v, const char *a, const char *b, char *why,
		    size_t len)
{
	if (strcmp(v, a) && strcmp(v, b)) {
		snprintf(why, len, "'%.40s' is not %s or %s", v, a, b);
		return -EINVAL;
	}
	return 0;
}

static int chk_doctor(const char *v, char *why, size_t len)
{
	return chk_word(v, "required", "advisory", why, len);
}

static int chk_yesno(const char *v, char *why, size_t len)
{
	return chk_word(v, "yes", "no", why, len);
}

static int chk_rules(const char *v, char *why, size_t len);

static const struct qfy_key keys[QK_NKEYS] = {
	[QK_PATHS] = { "paths", "auto|KIND,...", "run, validate",
		       "the path kinds measured and validated", chk_paths },
	[QK_TESTS] = { "tests", "TEST,...", "run", "the tests (default all)",
		       chk_tests },
	[QK_SIZES] = { "sizes", "SIZES", "run", "message sizes, e.g. 2,4K,64K",
		       chk_sizes },
	[QK_ITERS] = { "iters", "N", "run", "iterations per size", chk_count },
	[QK_REPEAT] = { "repeat", "R", "run",
			"every case R times, the paths taking turns",
			chk_count },
	[QK_PEER] = { "peer", "HOST[:PORT]", "run, share",
		      "'vfbench serve' for every path", chk_peer },
	[QK_PEER_PF] = { "peer_pf", "HOST[:PORT]", "run, share",
			 "the peer of the pf path", chk_peer },
	[QK_PEER_VF] = { "peer_vf", "HOST[:PORT]", "run, share",
			 "the peer of the vf path", chk_peer },
	[QK_PEER_PV] = { "peer_pv", "HOST[:PORT]", "run, share",
			 "the peer of the pv path", chk_peer },
	[QK_SHARE] = { "share", "MODE,...", "share",
		       "sharing scenarios: fairness, isolation, scaling",
		       chk_modes },
	[QK_SHARE_DEVICES] = { "share_devices", "DEV,DEV,...", "share",
			       "fairness, scaling: the devices sharing a port",
			       chk_list },
	[QK_SHARE_VICTIM] = { "share_victim", "DEV", "share",
			      "isolation: the device whose latency is measured",
			      chk_name },
	[QK_SHARE_AGGRESSORS] = { "share_aggressors", "DEV,DEV", "share",
				  "isolation: the devices loading the port",
				  chk_list },
	[QK_VALIDATE] = { "validate", "all|ID|PREFIX,...", "validate",
			  "the checks of the paths (their kinds: paths, "
			  "else auto)",
			  chk_checks },
	[QK_RULES] = { "rules", "RULE,RULE,...", "gate",
		       "gate rules on the run's rows, a testcase each "
		       "('vfbench help gate'); relative ones need baseline",
		       chk_rules },
	[QK_BASELINE] = { "baseline", "DIR", "gate",
			  "the results directory relative rules compare with",
			  chk_baseline },
	[QK_DOCTOR] = { "doctor", "required|advisory", "doctor",
			"required (default): a failed check stops what needs "
			"the doctor; advisory: recorded only",
			chk_doctor },
	[QK_FORCE] = { "force", "yes|no", "setup-apply",
		       "change PFs whose VFs are in use (setup --force)",
		       chk_yesno },
	[QK_SETTLE] = { "settle", "SEC", "settle",
			"wait at most SEC after setup-apply for a device "
			"of each path kind with an active port (default 30)",
			chk_count },
};

const struct qfy_key *qfy_plan_keys(size_t *n)
{
	*n = QK_NKEYS;
	return keys;
}

/* The rules, a comma list, each one line of a gate rules file. */
static int rules_parse(const char *v, struct rpt_rule *rules, int *n, char *why,
		       size_t len)
{
	char text[QFY_VAL_MAX], err[256], *c;

	if (vfb_list_check(v)) {
		snprintf(why, len, "not a comma list without empty items");
		return -EINVAL;
	}
	snprintf(text, sizeof(text), "%s", v);
	for (c = text; *c; c++)
		if (*c == ',')
			*c = '\n';
	*n = rpt_rules_parse(text, rules, RPT_MAX_RULES, err, sizeof(err));
	if (*n < 0) {
		/* the gate counts lines: here they are the list's items */
		snprintf(why, len, "%.200s (line N: the Nth rule)", err);
		return -EINVAL;
	}
	return 0;
}

static int chk_rules(const char *v, char *why, size_t len)
{
	struct rpt_rule r[RPT_MAX_RULES];
	int n;

	return rules_parse(v, r, &n, why, len);
}

const char *qfy_plan_get(const struct qfy_plan *p, enum qfy_key_id id)
{
	return p->line[id] ? p->val[id] : NULL;
}

bool qfy_plan_force(const struct qfy_plan *p)
{
	return p->line[QK_FORCE] && !strcmp(p->val[QK_FORCE], "yes");
}

bool qfy_plan_doctor_advisory(const struct qfy_plan *p)
{
	return p->line[QK_DOCTOR] && !strcmp(p->val[QK_DOCTOR], "advisory");
}

long qfy_plan_settle(const struct qfy_plan *p)
{
	long n = 30;

	if (p->line[QK_SETTLE])
		vfb_long_parse(p->val[QK_SETTLE], &n);
	return n;
}

/* A [qualify] line: the topology reader's callback. */
static int plan_key(void *ctx, const char *k, const char *v, int line,
		    char *why, size_t len)
{
	struct qfy_plan *p = ctx;
	size_t i;

	for (i = 0; i < QK_NKEYS && strcmp(k, keys[i].name); i++)
		;
	if (i == QK_NKEYS)
		return -ENOENT;
	if (p->line[i])
		return -EEXIST;
	if (strlen(v) >= QFY_VAL_MAX) {
		snprintf(why, len, "longer than %d characters",
			 QFY_VAL_MAX - 1);
		return -EINVAL;
	}
	if (keys[i].check(v, why, len))
		return -EINVAL;
	strcpy(p->val[i], v);
	p->line[i] = line;
	return 0;
}

/* Whether comma list LIST holds ITEM. */
static bool list_has(const char *list, const char *item)
{
	size_t n = strlen(item);
	const char *s = list;

	for (; (s = strstr(s, item)); s += n)
		if ((s == list || s[-1] == ',') && (!s[n] || s[n] == ','))
			return true;
	return false;
}

/* The peer of path kind K: peer_K, else peer. */
static bool has_peer(const struct qfy_plan *p, const char *k)
{
	static const struct {
		const char *kind;
		enum qfy_key_id id;
	} per[] = { { "pf", QK_PEER_PF },
		    { "vf", QK_PEER_VF },
		    { "pv", QK_PEER_PV } };
	size_t i;
	bool any = false;

	if (p->line[QK_PEER])
		return true;
	for (i = 0; i < sizeof(per) / sizeof(per[0]); i++) {
		if (!strcmp(k, per[i].kind))
			return p->line[per[i].id];
		any |= p->line[per[i].id] != 0;
	}
	return !strcmp(k, "auto") && any;
}

#define NEED_FAIL(p, id, ...)                                                  \
	do {                                                                   \
		char why_[256];                                                \
		snprintf(why_, sizeof(why_), __VA_ARGS__);                     \
		vfb_err("qualify: %s:%d: %s: %s", (p)->file, (p)->line[id],    \
			keys[id].name, why_);                                  \
		return -EINVAL;                                                \
	} while (0)

/* Run's needs: a peer for every path measured. */
static int run_needs(const struct qfy_plan *p)
{
	char buf[QFY_VAL_MAX], *k, *save = NULL;

	if (!p->line[QK_PATHS])
		return 0;
	snprintf(buf, sizeof(buf), "%s", p->val[QK_PATHS]);
	for (k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save))
		if (!has_peer(p, k))
			NEED_FAIL(p, QK_PATHS,
				  "path %s has no peer to measure against "
				  "(peer = HOST[:PORT], or peer_%s)",
				  k, k);
	return 0;
}

/* Share's needs: a peer, and the devices of each scenario asked. */
static int share_needs(const struct qfy_plan *p)
{
	const char *m = p->val[QK_SHARE];

	if (!p->line[QK_SHARE])
		return 0;
	if (!p->line[QK_PEER])
		NEED_FAIL(p, QK_SHARE, "no peer (peer = HOST[:PORT])");
	if ((list_has(m, "fairness") || list_has(m, "scaling")) &&
	    !p->line[QK_SHARE_DEVICES])
		NEED_FAIL(p, QK_SHARE,
			  "fairness and scaling need share_devices");
	if (list_has(m, "isolation") &&
	    (!p->line[QK_SHARE_VICTIM] || !p->line[QK_SHARE_AGGRESSORS]))
		NEED_FAIL(p, QK_SHARE,
			  "isolation needs share_victim and share_aggressors");
	return 0;
}

/* The gate's needs: a run to judge, a baseline for relative rules. */
static int gate_needs(const struct qfy_plan *p)
{
	int i;

	if (p->line[QK_BASELINE] && !p->line[QK_RULES])
		NEED_FAIL(p, QK_BASELINE, "no rules to judge against it");
	if (!p->line[QK_RULES])
		return 0;
	if (!p->line[QK_PATHS])
		NEED_FAIL(p, QK_RULES,
			  "rules judge the run's rows, and the plan measures "
			  "nothing (paths = ...)");
	for (i = 0; i < p->nrules; i++)
		if ((p->rules[i].kind == RPT_RULE_REL_UP ||
		     p->rules[i].kind == RPT_RULE_REL_DOWN) &&
		    !p->line[QK_BASELINE])
			NEED_FAIL(p, QK_RULES,
				  "'%s' compares with a baseline: baseline = "
				  "DIR",
				  p->rules[i].text);
	return 0;
}

/* Every [PF] names a netdev or a PCI function of this host. */
static int pfs_exist(const struct qfy_plan *p, const char *root)
{
	char path[PATH_MAX + 128];
	struct stat st;
	int i;

	for (i = 0; i < p->npf; i++) {
		const char *pf = p->pf[i].pf;
		bool ok =
			!strchr(pf, '/') && strcmp(pf, ".") && strcmp(pf, "..");

		snprintf(path, sizeof(path), "%s/sys/class/net/%s", root, pf);
		if (ok && stat(path, &st)) {
			snprintf(path, sizeof(path),
				 "%s/sys/bus/pci/devices/%s", root, pf);
			ok = !stat(path, &st);
		}
		if (!ok) {
			vfb_err("qualify: %s:%d: [%s]: no such PF on this host "
				"(a netdev or a PCI address; the one other "
				"section is [qualify])",
				p->file, p->pf[i].line, pf);
			return -EINVAL;
		}
	}
	return 0;
}

int qfy_plan_read(const char *file, const char *sysroot, struct qfy_plan *p)
{
	struct sup_setup_cfg base = { .num_vfs = -1, .timeout = 20 };
	struct sup_topo_extra x = { .section = "qualify",
				    .who = "qualify",
				    .key = plan_key,
				    .ctx = p };
	char why[256];

	memset(p, 0, sizeof(*p));
	if (strlen(file) >= sizeof(p->file)) {
		vfb_err("qualify: %.64s...: a path too long", file);
		return -EINVAL;
	}
	strcpy(p->file, file);
	if (sup_topo_read_ext(file, &base, p->pf, &p->npf, &x))
		return -EINVAL;
	p->section_line = x.seen;
	if (p->line[QK_RULES] && rules_parse(p->val[QK_RULES], p->rules,
					     &p->nrules, why, sizeof(why)))
		return -EINVAL; /* checked as it was read */
	if (run_needs(p) || share_needs(p) || gate_needs(p))
		return -EINVAL;
	return pfs_exist(p, sysroot ? sysroot : "");
}
