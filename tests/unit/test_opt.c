/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "opt.h"
#include "suites.h"

struct cfg {
	bool json;
	const char *dev;
	long iters;
};

static const struct vfb_opt opts[] = {
	{ .name = "json",
	  .key = 'j',
	  .type = VFB_OPT_FLAG,
	  .offset = offsetof(struct cfg, json),
	  .help = "json" },
	{ .name = "dev",
	  .key = 'd',
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct cfg, dev),
	  .metavar = "DEV",
	  .help = "device" },
	{ .name = "iters",
	  .key = 'n',
	  .type = VFB_OPT_LONG,
	  .offset = offsetof(struct cfg, iters),
	  .metavar = "N",
	  .help = "count",
	  .min = 1,
	  .max = 1000 },
	VFB_OPT_END,
};

static void test_parse(void)
{
	static const struct {
		const char *argv[6];
		int ret;
		bool json;
		const char *dev;
		long iters;
	} cases[] = {
		{ { "t", "-j", "-d", "rxe0", "-n", "5" }, 6, true, "rxe0", 5 },
		{ { "t", "--dev=mlx5_0", "--iters", "0x10", "op" },
		  4,
		  false,
		  "mlx5_0",
		  16 },
		{ { "t", "--iters", "0" }, -EINVAL, false, NULL, 0 },
		{ { "t", "-n", "12x" }, -EINVAL, false, NULL, 0 },
		{ { "t", "--nosuch" }, -EINVAL, false, NULL, 0 },
		{ { "t", "-d" }, -EINVAL, false, NULL, 0 },
		{ { "t", "-d", "" }, -EINVAL, false, NULL, 0 },
		{ { "t", "-n", " 5" }, -EINVAL, false, NULL, 0 },
		{ { "t", "-n", "010" }, 3, false, NULL, 10 }, /* not octal */
		{ { "t", "-n", "0x" }, -EINVAL, false, NULL, 0 },
		{ { "t", "-n", "99999999999999999999" },
		  -EINVAL,
		  false,
		  NULL,
		  0 },
		{ { "t", "op", "-j" },
		  2,
		  true,
		  NULL,
		  0 }, /* operands anywhere */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cfg c = { 0 };
		char *argv[7] = { 0 }; /* getopt_long permutes it */
		int argc = 0, ret;

		while (argc < 6 && cases[i].argv[argc]) {
			argv[argc] = (char *)cases[i].argv[argc];
			argc++;
		}
		ret = vfb_opt_parse(opts, "t", "", argc, argv, &c);
		CU_ASSERT_EQUAL(ret, cases[i].ret);
		if (ret < 0)
			continue;
		CU_ASSERT_EQUAL(c.json, cases[i].json);
		CU_ASSERT_EQUAL(c.iters, cases[i].iters);
		if (cases[i].dev)
			CU_ASSERT_STRING_EQUAL(c.dev, cases[i].dev);
	}
}

static void test_numbers(void)
{
	static const struct {
		const char *in;
		int ret;
		double v;
	} cases[] = {
		{ "1", 0, 1 },
		{ "0.5", 0, 0.5 },
		{ ".5", 0, 0.5 },
		{ "2e-3", 0, 2e-3 },
		{ "-1", 0, -1 },
		{ "1e300", 0, 1e300 },
		{ "nan", -EINVAL, 0 },
		{ "-nan", -EINVAL, 0 },
		{ "NAN", -EINVAL, 0 },
		{ "inf", -EINVAL, 0 },
		{ "-inf", -EINVAL, 0 },
		{ "infinity", -EINVAL, 0 },
		{ "1e400", -EINVAL, 0 },  /* overflows to inf */
		{ "1e-400", -EINVAL, 0 }, /* underflows */
		{ "0x10", -EINVAL, 0 },	  /* strtod's hex float */
		{ "", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "1s", -EINVAL, 0 },
		{ ".", -EINVAL, 0 },
		{ "-", -EINVAL, 0 },
	};
	static const struct {
		const char *in;
		int ret;
	} lists[] = {
		{ "a", 0 },	     { "a,b", 0 },	{ "", -EINVAL },
		{ ",", -EINVAL },    { "a,", -EINVAL }, { ",a", -EINVAL },
		{ "a,,b", -EINVAL },
	};
	size_t i;
	double v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 0;
		CU_ASSERT_EQUAL(vfb_num_parse(cases[i].in, &v), cases[i].ret);
		if (!cases[i].ret)
			CU_ASSERT_DOUBLE_EQUAL(v, cases[i].v,
					       1e-12 * cases[i].v);
	}
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		CU_ASSERT_EQUAL(vfb_list_check(lists[i].in), lists[i].ret);
}

int test_opt_register(void)
{
	CU_pSuite s = CU_add_suite("common/opt", NULL, NULL);

	if (!s || !CU_add_test(s, "option table parsing", test_parse) ||
	    !CU_add_test(s, "numbers and lists, strictly", test_numbers))
		return -1;
	return 0;
}
