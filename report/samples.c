/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "samples.h"

void rpt_samples_name(char *buf, size_t len, const char *path, const char *test,
		      uint64_t size, unsigned int rep)
{
	snprintf(buf, len, "%s.%s.%" PRIu64 ".r%u", path, test, size,
		 rep ? rep : 1);
}

int rpt_samples_write(const char *dir, const char *path, const char *test,
		      uint64_t size, unsigned int rep, const double *us,
		      size_t n)
{
	char name[256], file[PATH_MAX];
	size_t i;
	FILE *f;
	int ret = 0;

	snprintf(file, sizeof(file), "%s/%s", dir, RPT_SAMPLES_DIR);
	if (mkdir(file, 0755) && errno != EEXIST)
		return -errno;
	rpt_samples_name(name, sizeof(name), path, test, size, rep);
	snprintf(file, sizeof(file), "%s/%s/%s", dir, RPT_SAMPLES_DIR, name);
	f = fopen(file, "w");
	if (!f)
		return -errno;
	for (i = 0; i < n; i++)
		fprintf(f, "%.9g\n", us[i]);
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

int rpt_samples_read(const char *dir, const char *path, const char *test,
		     uint64_t size, unsigned int rep, double **v, size_t *n)
{
	char name[256], file[PATH_MAX], line[64], *end;
	size_t cap = *n;
	double x, *grown;
	FILE *f;

	rpt_samples_name(name, sizeof(name), path, test, size, rep);
	snprintf(file, sizeof(file), "%s/%s/%s", dir, RPT_SAMPLES_DIR, name);
	f = fopen(file, "r");
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		x = strtod(line, &end);
		if (end == line || (*end && *end != '\n') || !(x >= 0)) {
			fclose(f);
			return -EINVAL;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			grown = realloc(*v, cap * sizeof(**v));
			if (!grown) {
				fclose(f);
				return -ENOMEM;
			}
			*v = grown;
		}
		(*v)[(*n)++] = x;
	}
	fclose(f);
	return 0;
}
