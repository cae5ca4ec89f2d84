/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "file.h"
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

/* Longest line of a samples file: "%.9g\n" is at most 16 bytes. */
#define SAMPLE_LINE_MAX 63

static int grow(double **v, size_t n, size_t *cap)
{
	double *g;

	if (n < *cap)
		return 0;
	*cap = *cap ? 2 * *cap : 1024;
	g = realloc(*v, *cap * sizeof(**v));
	if (!g)
		return -ENOMEM;
	*v = g;
	return 0;
}

/* One line: a latency in microseconds, >= 0 and finite. */
static int parse_sample(const char *line, ssize_t len, double *x,
			const char **why)
{
	char *end;

	if (len > SAMPLE_LINE_MAX) {
		*why = "longer than 63 characters";
		return -EINVAL;
	}
	if ((size_t)len != strlen(line)) {
		*why = "a NUL byte";
		return -EINVAL;
	}
	*x = strtod(line, &end);
	if (end == line || (*end && strcmp(end, "\n")) || !isfinite(*x) ||
	    !(*x >= 0)) {
		*why = "not a latency in microseconds >= 0";
		return -EINVAL;
	}
	return 0;
}

int rpt_samples_load(const char *dir, const char *path, const char *test,
		     uint64_t size, unsigned int rep, double **v, size_t *n,
		     char *why, size_t len)
{
	char name[256], file[PATH_MAX], *line = NULL;
	size_t cap = *n, lcap = 0, lineno = 0;
	const char *what = NULL;
	ssize_t got;
	double x;
	FILE *f;
	int ret = 0;

	snprintf(why, len, "no samples file");
	if (strchr(path, '/') || strchr(test, '/')) {
		snprintf(why, len, "a path or test name with '/'");
		return -EINVAL;
	}
	rpt_samples_name(name, sizeof(name), path, test, size, rep);
	snprintf(file, sizeof(file), "%s/%s/%s", dir, RPT_SAMPLES_DIR, name);
	f = vfb_file_fopen(file);
	if (!f) {
		ret = -errno;
		snprintf(why, len, "%s: %s", name, vfb_file_strerror(ret));
		return ret == -ENOENT ? -ENOENT : -EINVAL;
	}
	while (!ret && (got = getline(&line, &lcap, f)) > 0) {
		lineno++;
		ret = parse_sample(line, got, &x, &what);
		if (ret)
			snprintf(why, len, "%s line %zu: %s", name, lineno,
				 what);
		else if (!(ret = grow(v, *n, &cap)))
			(*v)[(*n)++] = x;
	}
	if (!ret && ferror(f)) {
		ret = -EIO;
		snprintf(why, len, "%s: %s", name, strerror(errno));
	}
	free(line);
	fclose(f);
	return ret;
}

int rpt_samples_read(const char *dir, const char *path, const char *test,
		     uint64_t size, unsigned int rep, double **v, size_t *n)
{
	char why[320];
	int ret = rpt_samples_load(dir, path, test, size, rep, v, n, why,
				   sizeof(why));

	return ret == -ENOMEM || ret == -ENOENT ? ret : ret ? -EINVAL : 0;
}
