/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "test.h"

/* The registry of test engines, in the order a run executes them. */
static const struct vt_test_ops *const tests[] = {
	&vt_write_lat_ops,
	&vt_send_lat_ops,
	&vt_write_bw_ops,
	&vt_send_bw_ops,
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))

const struct vt_test_ops *vt_test_find(const char *name)
{
	size_t i;

	for (i = 0; i < NTESTS; i++)
		if (!strcmp(tests[i]->name, name))
			return tests[i];
	return NULL;
}

void vt_test_names(char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < NTESTS && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? "," : "",
				 tests[i]->name);
}
