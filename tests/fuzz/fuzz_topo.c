/* SPDX-License-Identifier: MIT */
/* libFuzzer: the setup topology (INI) reader. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input's file, in $TMPDIR or /tmp, made on the first input and
 * removed when the fuzzer exits (a crash leaves it, with the artifact). */
static char path[256];

static void path_remove(void)
{
	unlink(path);
}

static void path_make(void)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(path, sizeof(path), "%s/vfb-fuzz-topo-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || atexit(path_remove))
		abort();
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sup_topo_pf t[SUP_MAX_TOPO];
	struct sup_setup_cfg base = { .num_vfs = -1 };
	FILE *f;
	int n;

	if (!path[0])
		path_make();
	f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	sup_topo_read(path, &base, t, &n);
	return 0;
}
