/* SPDX-License-Identifier: MIT */
#ifndef RPT_SAMPLES_H
#define RPT_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

/*
 * The latency samples of a case, in the order they were taken, kept
 * beside results.csv so that a comparison can respect their
 * autocorrelation: DIR/samples/PATH.TEST.SIZE.rREP (one value in
 * microseconds a line). Written by run, read by report and gate.
 */
#define RPT_SAMPLES_DIR "samples"

/* The file's name under DIR/samples/. */
void rpt_samples_name(char *buf, size_t len, const char *path, const char *test,
		      uint64_t size, unsigned int rep);
/* Write N samples; 0 or -errno. */
int rpt_samples_write(const char *dir, const char *path, const char *test,
		      uint64_t size, unsigned int rep, const double *us,
		      size_t n);
/* Append the samples of (PATH, TEST, SIZE, REP) to *V (of *N, grown
 * with realloc): 0, -ENOENT when there are none, -EINVAL malformed (not
 * a regular file, a line that is not one latency >= 0 or is longer than
 * 63 characters: the whole file is refused, never a part of it). */
int rpt_samples_read(const char *dir, const char *path, const char *test,
		     uint64_t size, unsigned int rep, double **v, size_t *n);

/* The same, saying in WHY which file and line and what is wrong. */
int rpt_samples_load(const char *dir, const char *path, const char *test,
		     uint64_t size, unsigned int rep, double **v, size_t *n,
		     char *why, size_t len);

#endif
