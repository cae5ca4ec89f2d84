/* SPDX-License-Identifier: MIT */
/* What vfbench health says: one line for NHC or for nagios, the drain
 * reason, and its results as rows (for --prom). */
#include <stdio.h>
#include <string.h>

#include "health.h"

/* The first result of the worst status, and how many more share it. */
static const struct hl_result *first_worst(const struct hl_report *rep,
					   int *more)
{
	enum hl_status w = hl_worst(rep);
	const struct hl_result *f = NULL;
	int i;

	*more = 0;
	for (i = 0; i < rep->n; i++) {
		if (rep->r[i].status != w)
			continue;
		if (f)
			(*more)++;
		else
			f = &rep->r[i];
	}
	return f;
}

/* "ID SUBJECT: TEXT (+N more)" of the worst result. */
static void worst_text(const struct hl_report *rep, char *buf, size_t len)
{
	int more;
	const struct hl_result *f = first_worst(rep, &more);
	int n;

	if (!f) {
		snprintf(buf, len, "no check ran");
		return;
	}
	n = snprintf(buf, len, "%s%s%s: %s", f->id, f->subject[0] ? " " : "",
		     f->subject, f->text);
	if (more && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (+%d more)", more);
}

static int count_paths(const struct hl_report *rep)
{
	int i, n = 0;

	for (i = 0; i < rep->n; i++)
		n += !strcmp(rep->r[i].id, "probe") && rep->r[i].has_lat;
	return n;
}

void hl_line_nhc(const struct hl_report *rep, char *buf, size_t len)
{
	char what[512];
	enum hl_status w = hl_worst(rep);

	if (w == HL_OK || w == HL_WARN) {
		snprintf(buf, len,
			 "OK: vfbench health: %d checks, %d paths probed, "
			 "%.1f s",
			 rep->n, count_paths(rep), rep->seconds);
		return;
	}
	worst_text(rep, what, sizeof(what));
	snprintf(buf, len, "ERROR: vfbench health: %s", what);
}

static const char *const nagios_words[] = {
	[HL_OK] = "OK",
	[HL_WARN] = "WARNING",
	[HL_UNKNOWN] = "UNKNOWN",
	[HL_FAIL] = "CRITICAL",
};

int hl_nagios_code(enum hl_status s)
{
	static const int codes[] = {
		[HL_OK] = 0, [HL_WARN] = 1, [HL_UNKNOWN] = 3, [HL_FAIL] = 2
	};

	return (unsigned)s <= HL_FAIL ? codes[s] : 3;
}

void hl_line_nagios(const struct hl_report *rep, char *buf, size_t len)
{
	enum hl_status w = hl_worst(rep);
	char what[512];
	int i, bad = 0;

	for (i = 0; i < rep->n; i++)
		bad += rep->r[i].status != HL_OK;
	if (w == HL_OK)
		snprintf(what, sizeof(what), "%d checks, %d paths probed",
			 rep->n, count_paths(rep));
	else
		worst_text(rep, what, sizeof(what));
	snprintf(buf, len,
		 "VFBENCH %s - %s | checks=%d not_ok=%d seconds=%.3fs",
		 nagios_words[w], what, rep->n, bad, rep->seconds);
}

void hl_reason(const struct hl_report *rep, char *buf, size_t len)
{
	char what[512];
	size_t i;

	worst_text(rep, what, sizeof(what));
	/* one line, no quote: scontrol keeps the reason as given */
	for (i = 0; what[i]; i++)
		if (what[i] == '\n' || what[i] == '"')
			what[i] = '\'';
	snprintf(buf, len, "vfbench: %s", what);
}

void hl_row(const struct hl_result *r, struct vfb_result *row)
{
	vfb_result_init(row);
	snprintf(row->scenario, sizeof(row->scenario), "health");
	snprintf(row->check, sizeof(row->check), "%s", r->id);
	snprintf(row->device, sizeof(row->device), "%s", r->subject);
	snprintf(row->path, sizeof(row->path), "%s", r->path);
	snprintf(row->verdict, sizeof(row->verdict), "%s",
		 r->status == HL_OK ? "pass" : hl_status_name(r->status));
	snprintf(row->evidence, sizeof(row->evidence), "%s", r->text);
	row->status =
		r->status == HL_UNKNOWN ? VFB_STATUS_ERROR : VFB_STATUS_OK;
	if (!r->has_lat)
		return;
	row->has_lat = true;
	row->lat = r->lat;
	row->msg_bytes = r->bytes;
	row->iters = r->lat.n;
	snprintf(row->test, sizeof(row->test), "loopback_write");
	snprintf(row->lat_basis, sizeof(row->lat_basis), "rtt");
}

static int nhc_code(enum hl_status s)
{
	return s == HL_OK || s == HL_WARN ? 0 : 1;
}

/* The exit styles, one entry each: --exit-style's words. */
static const struct hl_style styles[] = {
	{ .name = "nhc", .line = hl_line_nhc, .code = nhc_code },
	{ .name = "nagios", .line = hl_line_nagios, .code = hl_nagios_code },
};

#define NSTYLES (sizeof(styles) / sizeof(styles[0]))

const struct hl_style *hl_style_find(const char *name)
{
	size_t i;

	for (i = 0; i < NSTYLES; i++)
		if (!strcmp(styles[i].name, name))
			return &styles[i];
	return NULL;
}

const char *hl_style_names(void)
{
	static char buf[64];
	size_t i, used = 0;

	for (i = 0; i < NSTYLES && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
					 i ? ", " : "", styles[i].name);
	return buf;
}
