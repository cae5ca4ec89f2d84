/* SPDX-License-Identifier: MIT */
/* libFuzzer: the setup topology (INI) reader. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[] = "/tmp/vfb-fuzz-topo-XXXXXX";
	static struct sup_topo_pf t[SUP_MAX_TOPO];
	static int fd = -1;
	struct sup_setup_cfg base = { .num_vfs = -1 };
	FILE *f;
	int n;

	if (fd < 0 && (fd = mkstemp(path)) < 0)
		abort();
	f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	sup_topo_read(path, &base, t, &n);
	return 0;
}
