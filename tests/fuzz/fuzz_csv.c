/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: the results writer and reader together.
 * 1. The input as a results.csv (beside a valid run.json): the reader
 *    never crashes; what it accepts, written again and read again, is
 *    written identically the second time.
 * 2. The input as a row (strings with quotes, commas, CR and LF, any
 *    figures): written, read back, its strings are identical and its
 *    text written again is identical.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *rows_text(const struct vfb_result *rows, size_t n)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	rpt_csv_header(f);
	for (i = 0; i < n; i++)
		rpt_csv_result(f, &rows[i]);
	fclose(f);
	return buf;
}

static int read_text(const char *text, struct rpt_run *run)
{
	char err[256];
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f)
		abort();
	memset(run, 0, sizeof(*run));
	ret = rpt_rows_read(f, run, err, sizeof(err));
	fclose(f);
	return ret;
}

/* Written, read, written: the same text. */
static void idempotent(const struct vfb_result *rows, size_t n)
{
	char *a = rows_text(rows, n), *b;
	struct rpt_run run;

	if (read_text(a, &run) || run.nrows != n)
		abort(); /* what we write, we read */
	b = rows_text(run.rows, run.nrows);
	if (strcmp(a, b))
		abort();
	free(run.rows);
	free(a);
	free(b);
}

static void take_str(char *dst, size_t cap, const uint8_t **p,
		     const uint8_t *end)
{
	size_t n = 0;

	while (*p < end && **p != 0xff && n + 1 < cap) {
		dst[n] = (char)(**p ? **p : ' ');
		n++;
		(*p)++;
	}
	dst[n] = '\0';
	if (*p < end)
		(*p)++;
}

static double take_num(const uint8_t **p, const uint8_t *end)
{
	double v = 0;

	if (end - *p >= 8) {
		memcpy(&v, *p, 8);
		*p += 8;
	}
	/* a figure a measurement can give: finite and not negative (the
	 * reader refuses any other row, docs/untrusted-input.md) */
	return isfinite(v) ? fabs(v) : 1.5;
}

static void row_from_bytes(const uint8_t *p, size_t size)
{
	const uint8_t *end = p + size;
	struct vfb_result r, *back;
	struct rpt_run run;
	char *text;

	vfb_result_init(&r);
	snprintf(r.path, sizeof(r.path), "vf");
	snprintf(r.test, sizeof(r.test), "write_bw");
	take_str(r.error, sizeof(r.error), &p, end);
	take_str(r.peer, sizeof(r.peer), &p, end);
	take_str(r.device, sizeof(r.device), &p, end);
	take_str(r.verify, sizeof(r.verify), &p, end);
	r.status = r.error[0] ? VFB_STATUS_ERROR : VFB_STATUS_OK;
	r.has_bw = true;
	r.bw_avg_gbps = take_num(&p, end);
	r.bw_peak_gbps = take_num(&p, end);
	r.msg_rate_mpps = take_num(&p, end);
	r.seconds = take_num(&p, end);
	r.msg_bytes = (uint64_t)fmod(take_num(&p, end), 4294967296.0);
	text = rows_text(&r, 1);
	if (read_text(text, &run) || run.nrows != 1)
		abort();
	back = &run.rows[0];
	if (strcmp(back->error, r.error) || strcmp(back->peer, r.peer) ||
	    strcmp(back->device, r.device) || back->msg_bytes != r.msg_bytes ||
	    back->status != r.status)
		abort();
	if (r.status == VFB_STATUS_OK && strcmp(back->verify, r.verify))
		abort();
	idempotent(back, 1);
	free(run.rows);
	free(text);
}

/* The run directory, in $TMPDIR or /tmp, made on the first input and
 * removed when the fuzzer exits (a crash leaves it, with the artifact). */
static char dir[256];

static void dir_remove(void)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/results.csv", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/run.json", dir);
	unlink(path);
	rmdir(dir);
}

static void dir_make(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[300];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/vfb-fuzz-csv-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir) || atexit(dir_remove))
		abort();
	snprintf(path, sizeof(path), "%s/run.json", dir);
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs("{\"schema\": \"vfbench-run/1\"}\n", f);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[300], err[256];
	struct rpt_run run;
	FILE *f;

	if (!dir[0])
		dir_make();
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (!rpt_run_load(dir, &run, err, sizeof(err))) {
		idempotent(run.rows, run.nrows);
		rpt_run_free(&run);
	}
	row_from_bytes(data, size);
	return 0;
}
