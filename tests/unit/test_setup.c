/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "plan.h"
#include "suites.h"

static void test_guids(void)
{
	static const struct {
		const char *in;
		int ret;
		uint64_t want;
	} cases[] = {
		{ "00:02:c9:03:00:00:10:00", 0, 0x0002c90300001000ULL },
		{ "0x0002c90300001000", 0, 0x0002c90300001000ULL },
		{ "0002:c903:0000:1000", 0, 0x0002c90300001000ULL },
		{ "0X0002C90300001000", 0, 0x0002c90300001000ULL },
		{ "00:00:00:00:00:00:00:00", -ERANGE, 0 },
		{ "ff:ff:ff:ff:ff:ff:ff:ff", -ERANGE, 0 },
		{ "0x0002c9030000100", -EINVAL, 0 }, /* 15 digits */
		{ "00:02:c9:03:00:00:10", -EINVAL, 0 },
		{ "00-02-c9-03-00-00-10-00", -EINVAL, 0 },
		{ "0002:c903:0000:10g0", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};
	char buf[32];
	uint64_t g;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(sup_guid_parse(cases[i].in, &g), cases[i].ret);
		if (!cases[i].ret)
			CU_ASSERT_EQUAL(g, cases[i].want);
	}
	sup_guid_format(0x0002c90300001000ULL, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "00:02:c9:03:00:00:10:00");
	CU_ASSERT_EQUAL(sup_node_guid(0x1000, 3), 0x1006);
	CU_ASSERT_EQUAL(sup_port_guid(0x1000, 3), 0x1007);
}

/* Every GUID a plan would give is checked before planning. */
static void test_guid_alloc(void)
{
	static const uint64_t top = UINT64_MAX, a = 0x0002c90300001000ULL;
	static const struct {
		uint64_t base, list[3];
		size_t n;
		int ret;
		size_t k, k2;
	} cases[] = {
		{ a, { 0 }, 3, 0, 0, 0 },
		{ top - 6, { 0 }, 3, 0, 0, 0 },	      /* up to all ones - 1 */
		{ top - 5, { 0 }, 3, -ERANGE, 5, 0 }, /* VF2's port: all ones */
		{ top - 1, { 0 }, 1, -ERANGE, 1, 0 }, /* VF0's port */
		{ top - 1, { 0 }, 256, -ERANGE, 1, 0 }, /* and never wraps */
		{ 0, { a, a + 2, a + 4 }, 3, 0, 0, 0 },
		{ 0, { a, a + 1 }, 2, -EEXIST, 1, 2 }, /* VF0 port, VF1 node */
		{ 0, { a, a }, 2, -EEXIST, 0, 2 },
		{ 0,
		  { a + 1, a },
		  2,
		  -EEXIST,
		  0,
		  3 }, /* VF1's port, VF0 node */
		{ 0, { a, top - 1 }, 2, -ERANGE, 3, 0 },
	};
	size_t i, k, k2;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint64_t *list = cases[i].base ? NULL : cases[i].list;

		k = k2 = 0;
		CU_ASSERT_EQUAL(sup_guids_check(cases[i].base, list, cases[i].n,
						&k, &k2),
				cases[i].ret);
		CU_ASSERT_EQUAL(k, cases[i].k);
		CU_ASSERT_EQUAL(k2, cases[i].k2);
	}
	CU_ASSERT_EQUAL(sup_guid_nth(a, NULL, 5), a + 5);
	CU_ASSERT_EQUAL(sup_guid_nth(0, cases[5].list, 3), a + 3);
}

static void test_macs(void)
{
	static const struct {
		const char *in;
		int ret;
	} cases[] = {
		{ "52:54:00:aa:00:00", 0 },
		{ "52:54:00:AA:00:ff", 0 },
		{ "00:00:00:00:00:00", -ERANGE },
		{ "ff:ff:ff:ff:ff:ff", -ERANGE },
		{ "01:00:5e:00:00:01", -ERANGE },
		{ "52:54:00:aa:00", -EINVAL },
		{ "52:54:00:aa:00:0g", -EINVAL },
		{ "5:54:00:aa:00:00", -EINVAL },
	};
	uint8_t m[6], n[6], top[6] = { 0x52, 0x54, 0, 0xff, 0xff, 0xfe };
	char buf[24];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CU_ASSERT_EQUAL(sup_mac_parse(cases[i].in, m), cases[i].ret);
	sup_mac_parse("52:54:00:aa:00:ff", m);
	CU_ASSERT_EQUAL(sup_mac_nth(m, 2, n), 0);
	sup_mac_format(n, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "52:54:00:aa:01:01");
	CU_ASSERT_EQUAL(sup_mac_nth(top, 1, n), 0);
	CU_ASSERT_EQUAL(sup_mac_nth(top, 2, n), -ERANGE);
}

static void test_vf_bdf(void)
{
	static const struct {
		const char *pf;
		long off, stride;
		unsigned int i;
		const char *want;
	} cases[] = {
		{ "0000:01:00.0", 128, 2, 0, "0000:01:10.0" }, /* QEMU igb */
		{ "0000:01:00.0", 128, 2, 3, "0000:01:10.6" },
		{ "0000:01:00.0", 128, 2, 4, "0000:01:11.0" },
		{ "0000:03:00.0", 2, 1, 1, "0000:03:00.3" }, /* mlx5 */
		{ "0000:81:00.1", 255, 1, 0,
		  "0000:82:00.0" }, /* crosses a bus */
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(sup_vf_bdf(cases[i].pf, cases[i].off,
					   cases[i].stride, cases[i].i, buf,
					   sizeof(buf)),
				0);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].want);
	}
	CU_ASSERT_EQUAL(sup_vf_bdf("0000:ff:1f.7", 1, 1, 0, buf, sizeof(buf)),
			-ERANGE);
}

static void expect_golden(const char *tree, struct sup_req *req,
			  const char *golden)
{
	struct vfb_fsroot *root = test_tree(tree);
	static struct sup_plan plan;
	char err[256], path[512], *got = NULL, want[8192] = "";
	size_t len = 0, n;
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(
		sup_plan_build(root, req, false, &plan, err, sizeof(err)), 0);
	f = open_memstream(&got, &len);
	sup_plan_print(f, &plan);
	fclose(f);
	snprintf(path, sizeof(path), "%s/golden/%s", VFB_TEST_DATA, golden);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	n = fread(want, 1, sizeof(want) - 1, f);
	want[n] = '\0';
	fclose(f);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
	vfb_fsroot_close(root);
}

static void test_plan_golden(void)
{
	struct sup_req igb = { .pf = "0000:01:00.0",
			       .num_vfs = 3,
			       .mac = true,
			       .mac_base = { 0x52, 0x54, 0, 0xaa, 0, 0 },
			       .trust = 1,
			       .link_state = 1,
			       .timeout_ms = 20000 };
	struct sup_req mlx = { .pf = "eth0",
			       .num_vfs = 4,
			       .guid = true,
			       .guid_base = 0x0002c90300001000ULL,
			       .trust = -1,
			       .link_state = -1,
			       .driver = "vfio-pci",
			       .timeout_ms = 20000 };

	struct sup_req vlan = { .pf = "pf0",
				.num_vfs = 2,
				.vlan = true,
				.vlans = { 100, 0 },
				.trust = -1,
				.link_state = -1,
				.timeout_ms = 20000 };

	expect_golden("lab-pair", &igb, "plan-igb.txt");
	/* the VF count kept: only the VLAN steps, no rebind (igb tags for
	 * the VF; its driver need not know) */
	expect_golden("lab-pair", &vlan, "plan-igb-vlan.txt");
	expect_golden("mlx5-pf-vfs", &mlx, "plan-mlx5.txt");
}

static void test_plan_refusals(void)
{
	static const struct {
		const char *tree, *pf;
		long n;
		int ret;
		const char *msg;
		uint32_t max_rate, min_rate;
	} cases[] = {
		{ "lab-pair", "0000:01:00.0", 8, -EINVAL, "allows 0 to 7", 0,
		  0 },
		{ "lab-pair", "0000:01:00.0", 2, -EINVAL,
		  "min_tx_rate 60 Mb/s above max_tx_rate 50 Mb/s", 50, 60 },
		{ "lab-pair", "pv0", 1, -ENODEV, "no SR-IOV capability", 0, 0 },
		{ "lab-pair", "0000:09:00.0", 1, -ENODEV,
		  "no such PCI function", 0, 0 },
		{ "lab-pair", "eth9", 1, -ENODEV,
		  "no such PCI function or netdev", 0, 0 },
		{ "malformed", "0000:00:05.0", 1, -ENODEV,
		  "SR-IOV capability readable", 0, 0 },
	};
	struct vfb_fsroot *root;
	static struct sup_plan plan;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sup_req r = { .pf = cases[i].pf,
				     .num_vfs = cases[i].n,
				     .trust = -1,
				     .link_state = -1,
				     .rate = cases[i].max_rate ||
					     cases[i].min_rate,
				     .max_tx_rate = cases[i].max_rate,
				     .min_tx_rate = cases[i].min_rate };

		root = test_tree(cases[i].tree);
		err[0] = '\0';
		CU_ASSERT_EQUAL(sup_plan_build(root, &r, false, &plan, err,
					       sizeof(err)),
				cases[i].ret);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].msg));
		vfb_fsroot_close(root);
	}
}

int test_setup_register(void)
{
	CU_pSuite s = CU_add_suite("setup/plan", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "GUID spellings and allocation", test_guids) ||
	    !CU_add_test(s, "GUIDs refused before planning", test_guid_alloc) ||
	    !CU_add_test(s, "MAC parsing and allocation", test_macs) ||
	    !CU_add_test(s, "VF routing IDs", test_vf_bdf) ||
	    !CU_add_test(s, "plans against golden files", test_plan_golden) ||
	    !CU_add_test(s, "plans refused, naming why", test_plan_refusals))
		return -1;
	return 0;
}
