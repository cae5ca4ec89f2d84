/* SPDX-License-Identifier: MIT */
/* libFuzzer: the results reader (results.csv beside a valid run.json). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[] = "/tmp/vfb-fuzz-csv-XXXXXX";
	static int ready;
	char path[128], err[256];
	struct rpt_run run;
	FILE *f;

	if (!ready++) {
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/run.json", dir);
		f = fopen(path, "w");
		if (!f)
			abort();
		fputs("{\"schema\": \"vfbench-run/1\"}\n", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (!rpt_run_load(dir, &run, err, sizeof(err)))
		rpt_run_free(&run);
	return 0;
}
