/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

#define VENDOR_MELLANOX 0x15b3

/* One parameter of `mstconfig -e query`: its current and next-boot
 * values ("True(1)", "8"); "" when the tool did not print it. */
struct fw_param {
	const char *name;
	char current[32], next[32];
};

enum { FW_SRIOV_EN, FW_NUM_OF_VFS, FW_LINK_TYPE, FW_NPARAMS };

/*
 * `mstconfig -e -d BDF query NAMES` prints, under "Configurations:", a
 * line per parameter: an optional '*' (changed from the default), the
 * name, then Default, Current and Next Boot. Without -e support only
 * the next-boot value is printed: then current is unknown.
 */
static void parse_query(char *out, struct fw_param *p)
{
	char *line, *save = NULL, *tok[6];
	int n, i;

	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *s2 = NULL, *t = strtok_r(line, " \t", &s2);

		for (n = 0; t && n < 6; t = strtok_r(NULL, " \t", &s2))
			if (strcmp(t, "*"))
				tok[n++] = t;
		for (i = 0; n >= 2 && i < FW_NPARAMS; i++) {
			if (strcmp(tok[0], p[i].name))
				continue;
			snprintf(p[i].next, sizeof(p[i].next), "%s",
				 tok[n - 1]);
			if (n >= 4)
				snprintf(p[i].current, sizeof(p[i].current),
					 "%s", tok[n - 2]);
		}
	}
}

static bool fw_true(const char *v)
{
	return !strncmp(v, "True", 4) || !strcmp(v, "1");
}

static const char *value(const struct fw_param *p)
{
	return p->current[0] ? p->current : "?";
}

static void judge(const struct dr_ctx *c, const char *bdf,
		  const struct fw_param *p, struct dr_result *r)
{
	const struct fw_param *en = &p[FW_SRIOV_EN], *nv = &p[FW_NUM_OF_VFS];
	const char *cur_en = en->current[0] ? en->current : en->next;
	long cur_nv = atol(nv->current[0] ? nv->current : nv->next);
	enum dr_status st = DR_PASS;
	char fix[240] = "";
	int i;

	if (!fw_true(cur_en) || cur_nv <= 0 || c->cfg->want_vfs > cur_nv) {
		st = DR_FAIL;
		snprintf(fix, sizeof(fix),
			 "SR-IOV off or too few VFs in the NIC firmware: "
			 "mstconfig -d %s set SRIOV_EN=1 NUM_OF_VFS=%ld, then "
			 "reboot",
			 bdf, c->cfg->want_vfs > 0 ? c->cfg->want_vfs : 8);
	}
	for (i = 0; st == DR_PASS && i < FW_NPARAMS; i++)
		if (p[i].current[0] && strcmp(p[i].current, p[i].next)) {
			st = DR_WARN;
			snprintf(fix, sizeof(fix),
				 "a reboot or firmware reset is pending: "
				 "reboot, or mlxfwreset -d %s reset",
				 bdf);
		}
	dr_set(r, st, fix,
	       "mstconfig -e -d %s query (current / next boot): SRIOV_EN %s / "
	       "%s, NUM_OF_VFS %s / %s, LINK_TYPE_P1 %s / %s",
	       bdf, value(en), en->next, value(nv), nv->next,
	       value(&p[FW_LINK_TYPE]), p[FW_LINK_TYPE].next);
}

static void run_firmware(const struct dr_ctx *c, const char *bdf,
			 struct dr_result *r)
{
	struct fw_param p[FW_NPARAMS] = {
		[FW_SRIOV_EN] = { .name = "SRIOV_EN" },
		[FW_NUM_OF_VFS] = { .name = "NUM_OF_VFS" },
		[FW_LINK_TYPE] = { .name = "LINK_TYPE_P1" },
	};
	char *argv[] = { "mstconfig",  "-e",	       "-d",
			 (char *)bdf,  "query",	       "SRIOV_EN",
			 "NUM_OF_VFS", "LINK_TYPE_P1", NULL };
	char out[8192];
	long vendor = 0;
	int ret;

	dr_pci_long(c, bdf, "vendor", &vendor);
	if (vendor != VENDOR_MELLANOX) {
		dr_set(r, DR_SKIP, "",
		       "%s: vendor 0x%04lx, not Mellanox/NVIDIA: no firmware "
		       "query known",
		       bdf, vendor);
		return;
	}
	ret = c->ops.run(c->cfg->ops_arg, argv, out, sizeof(out));
	if (ret == -ENOENT || ret == -ENOTSUP) {
		dr_set(r, DR_SKIP, "",
		       "mstconfig not available (%s): apt-get install mstflint "
		       "to read the firmware's SR-IOV settings",
		       strerror(-ret));
		return;
	}
	if (ret) {
		dr_set(r, DR_SKIP, "", "mstconfig -d %s failed (%d): %.160s",
		       bdf, ret, out);
		return;
	}
	parse_query(out, p);
	if (!p[FW_SRIOV_EN].next[0])
		dr_set(r, DR_SKIP, "", "mstconfig printed no SRIOV_EN for %s",
		       bdf);
	else
		judge(c, bdf, p, r);
}

static const struct dr_check dr_check_firmware = {
	.id = "firmware.sriov",
	.help = "Mellanox/NVIDIA firmware: SR-IOV and VFs now and at next boot (mstconfig)",
	.scope = DR_PF,
	.concerns = DR_FOR_SETUP,
	.run = run_firmware,
};

/* The group, in the order its checks run. */
const struct dr_check *const dr_checks_firmware[] = {
	&dr_check_firmware,
	NULL,
};
