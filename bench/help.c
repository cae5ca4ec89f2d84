/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "columns.h"
#include "counters.h"
#include "doctor.h"
#include "exitcode.h"
#include "gate.h"
#include "help.h"
#include "help_rows.h"
#include "log.h"
#include "manual.h"
#include "opt.h"
#include "pathkind.h"
#include "schedule.h"
#include "test.h"
#include "validate.h"

/*
 * Each topic is a table of rows that a table of vfbench fills: its
 * headings, how many rows there are and how row I reads. The renderers
 * (text, Markdown) walk that; a new topic is one entry in topics[].
 */

struct help_topic {
	const char *name;
	const char *summary;
	const char *heads[HELP_COLS + 1]; /* NULL-terminated */
	size_t (*count)(void);
	void (*row)(size_t i, struct help_row *r);
};

static const char *yes(bool b)
{
	return b ? "yes" : "";
}

/* columns: report/columns.c */
static size_t columns_count(void)
{
	size_t n;

	rpt_cols(&n);
	return n;
}

static const char *col_type(enum rpt_col_type t)
{
	static const char *const names[] = {
		[RPT_COL_STR] = "text",	       [RPT_COL_COUNT] = "integer",
		[RPT_COL_U32] = "integer",     [RPT_COL_INDEX] = "integer",
		[RPT_COL_NUM] = "number",      [RPT_COL_YESNO] = "yes/no",
		[RPT_COL_STATUS] = "ok/error", [RPT_COL_DELTA] = "integer",
		[RPT_COL_MAP] = "name=N ...",
	};

	return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

static const char *col_rows(unsigned int rows)
{
	if (rows & RPT_ROWS_LAT)
		return "latency";
	if (rows & RPT_ROWS_BW)
		return "bandwidth";
	return rows & RPT_ROWS_OK ? "measured" : "every";
}

static void columns_row(size_t i, struct help_row *r)
{
	size_t n;
	const struct rpt_col *c = &rpt_cols(&n)[i];

	r->cell[0] = c->name;
	r->cell[1] = c->unit;
	r->cell[2] = col_type(c->type);
	r->cell[3] = col_rows(c->rows);
	r->cell[4] = yes(c->metric);
	r->cell[5] = c->meaning;
}

/* paths: common/pathkind.c */
static size_t paths_count(void)
{
	size_t n;

	vfb_path_kinds(&n);
	return n;
}

static void paths_row(size_t i, struct help_row *r)
{
	size_t n;
	const struct vfb_path_kind *k = &vfb_path_kinds(&n)[i];

	r->cell[0] = k->name;
	r->cell[1] = k->label;
	r->cell[2] = yes(k->baseline);
	r->cell[3] = yes(k->in_auto);
	r->cell[4] = k->color;
}

/* tests: verbs/tests.c */
static size_t tests_count(void)
{
	size_t n;

	vt_tests(&n);
	return n;
}

static void tests_row(size_t i, struct help_row *r)
{
	size_t n, half = sizeof(r->buf) / 2;
	const struct vt_test_ops *t = vt_tests(&n)[i];

	r->cell[0] = t->name;
	r->cell[1] = !t->latency   ? "bandwidth: a stream" :
		     t->round_trip ? "latency: the round trip" :
				     "latency: half the round trip";
	r->cell[2] = t->two_sided ? "two-sided" : "one-sided";
	r->cell[3] = vt_opcode_name(t->opcode);
	snprintf(r->buf, half,
		 t->fixed_size ? "%" PRIu64 " B only" : "as -s says",
		 t->fixed_size);
	r->cell[4] = r->buf;
	snprintf(r->buf + half, half, "%s", t->verify_method);
	r->cell[5] = r->buf + half;
}

/* checks: doctor/doctor.c */
static size_t checks_count(void)
{
	struct dr_check_info info;
	size_t n = 0;

	while (!dr_check_info(n, &info))
		n++;
	return n;
}

static void checks_row(size_t i, struct help_row *r)
{
	struct dr_check_info info;

	if (dr_check_info(i, &info))
		return;
	snprintf(r->buf, sizeof(r->buf), "%s%s%s",
		 info.concerns & DR_FOR_SETUP ? "setup" : "",
		 (info.concerns & DR_FOR_SETUP) &&
				 (info.concerns & DR_FOR_RUN) ?
			 ", " :
			 "",
		 info.concerns & DR_FOR_RUN ? "run" : "");
	r->cell[0] = info.id;
	r->cell[1] = info.scope;
	r->cell[2] = r->buf;
	r->cell[3] = info.help;
}

/* validate: validate/check_*.c */
static size_t validate_count(void)
{
	struct val_check_info info;
	size_t n = 0;

	while (!val_check_info(n, &info))
		n++;
	return n;
}

static void validate_row(size_t i, struct help_row *r)
{
	struct val_check_info info;

	if (val_check_info(i, &info))
		return;
	r->cell[0] = info.id;
	r->cell[1] = info.group;
	r->cell[2] = info.needs;
	r->cell[3] = info.help;
}

/* rules: the gate's rule kinds, report/rules.c */
static size_t rules_count(void)
{
	size_t n;

	rpt_rule_kinds(&n);
	return n;
}

static void rules_row(size_t i, struct help_row *r)
{
	size_t n;
	const struct rpt_rule_kind_info *k = &rpt_rule_kinds(&n)[i];

	r->cell[0] = k->form;
	r->cell[1] = yes(k->needs_base);
	r->cell[2] = k->meaning;
}

/* schedules: mesh/schedule.c */
static size_t schedules_count(void)
{
	size_t n;

	msh_sched_kinds(&n);
	return n;
}

static void schedules_row(size_t i, struct help_row *r)
{
	size_t n;
	const struct msh_sched_kind *k = &msh_sched_kinds(&n)[i];

	r->cell[0] = k->name;
	r->cell[1] = yes(k->disjoint);
	r->cell[2] = yes(k->every_pair_once);
	r->cell[3] = k->help;
}

/* proofs: bench/counters.c */
static size_t proofs_count(void)
{
	size_t n;

	host_proof_rules(&n);
	return n;
}

/* "a + b + c + d": the files of counters I and J (tx, rx) into BUF. */
static const char *ctr_files(const struct host_ctr_source *s, int i, int j,
			     char *buf, size_t len)
{
	size_t used = 0, k;
	int d;

	buf[0] = '\0';
	for (d = 0; d < 2; d++)
		for (k = 0; k < HOST_CTR_NAMES; k++)
			if (s->files[d ? j : i][k] && used < len)
				used += (size_t)snprintf(
					buf + used, len - used, "%s%s",
					used ? " + " : "",
					s->files[d ? j : i][k]);
	return buf;
}

static void proofs_row(size_t i, struct help_row *r)
{
	size_t n, half = sizeof(r->buf) / 2;
	const struct host_proof_rule *p = &host_proof_rules(&n)[i];
	const struct host_ctr_source *s = p->src;

	r->cell[0] = p->provider;
	r->cell[1] = p->rdma;
	r->cell[2] = s->name;
	if (s->netdev) {
		r->cell[3] = "statistics/tx_bytes + statistics/rx_bytes";
		r->cell[4] = "statistics/tx_packets + statistics/rx_packets";
		return;
	}
	r->cell[3] = ctr_files(s, HOST_CTR_TX_BYTES, HOST_CTR_RX_BYTES, r->buf,
			       half - 16);
	if (s->unit != 1)
		snprintf(r->buf + strlen(r->buf), 16, " (x %u B)", s->unit);
	r->cell[4] = ctr_files(s, HOST_CTR_TX_PACKETS, HOST_CTR_RX_PACKETS,
			       r->buf + half, half);
}

static const struct help_topic topics[] = {
	{ .name = "columns",
	  .summary = "every column of results.csv: unit, rows, meaning",
	  .heads = { "column", "unit", "type", "rows", "gate", "meaning" },
	  .count = columns_count,
	  .row = columns_row },
	{ .name = "paths",
	  .summary = "the path kinds devices are classified as",
	  .heads = { "kind", "what", "baseline", "in --paths auto",
		     "plot colour" },
	  .count = paths_count,
	  .row = paths_row },
	{ .name = "tests",
	  .summary = "the test engines, in the order a run executes them",
	  .heads = { "test", "measures", "sides", "opcode", "sizes",
		     "--verify checks" },
	  .count = tests_count,
	  .row = tests_row },
	{ .name = "checks",
	  .summary = "the doctor's checklist, in the order it runs",
	  .heads = { "check", "runs on", "also run first by",
		     "what it checks" },
	  .count = checks_count,
	  .row = checks_row },
	{ .name = "valchecks",
	  .summary = "vfbench validate's checks, in the order they run",
	  .heads = { "check", "group", "skipped unless", "what it checks" },
	  .count = validate_count,
	  .row = validate_row },
	{ .name = "rules",
	  .summary = "the gate's rule kinds (then test=NAME, path=NAME)",
	  .heads = { "rule", "needs --baseline", "what it checks" },
	  .count = rules_count,
	  .row = rules_row },
	{ .name = "events",
	  .summary = "vfbench drill's events: what, how, undo, recovery",
	  .heads = { "event", "what", "how it is performed", "how it is undone",
		     "what recovery means" },
	  .count = help_events_count,
	  .row = help_events_row },
	{ .name = "schedules",
	  .summary = "mesh schedules: who measures whom, round by round",
	  .heads = { "schedule", "disjoint rounds", "every pair once", "what" },
	  .count = schedules_count,
	  .row = schedules_row },
	{ .name = "plan",
	  .summary = "vfbench qualify's plan: [qualify] keys, then its stages",
	  .heads = { "key or stage", "section", "taken by", "what" },
	  .count = help_plan_count,
	  .row = help_plan_row },
	{ .name = "proofs",
	  .summary = "by provider, the counters that prove a row's path",
	  .heads = { "provider", "RDMA driver", "counters", "bytes (tx + rx)",
		     "packets (tx + rx)" },
	  .count = proofs_count,
	  .row = proofs_row },
};

#define NTOPICS (sizeof(topics) / sizeof(topics[0]))

static const struct help_topic *topic_find(const char *name)
{
	size_t i;

	for (i = 0; i < NTOPICS; i++)
		if (!strcmp(topics[i].name, name))
			return &topics[i];
	return NULL;
}

bool bench_help_is_topic(const char *name)
{
	return topic_find(name) != NULL;
}

size_t bench_help_ntopics(void)
{
	return NTOPICS;
}

const char *bench_help_topic(size_t i, const char **summary)
{
	if (i >= NTOPICS)
		return NULL;
	*summary = topics[i].summary;
	return topics[i].name;
}

void bench_help_topics(FILE *f)
{
	size_t i;

	fprintf(f, "\ntopics ('vfbench help TOPIC [--markdown]'):\n");
	for (i = 0; i < NTOPICS; i++)
		fprintf(f, "  %-9s %s\n", topics[i].name, topics[i].summary);
}

static size_t ncols(const struct help_topic *t)
{
	size_t n = 0;

	while (n < HELP_COLS && t->heads[n])
		n++;
	return n;
}

static void row_of(const struct help_topic *t, size_t i, struct help_row *r)
{
	size_t k;

	for (k = 0; k < HELP_COLS; k++)
		r->cell[k] = "";
	t->row(i, r);
	for (k = 0; k < HELP_COLS; k++)
		if (!r->cell[k])
			r->cell[k] = "";
}

/* Text: every column but the last padded to its widest cell. */
static void text_line(FILE *f, const char *const *cell, const size_t *w,
		      size_t nc)
{
	size_t k, last = nc - 1;

	while (last && !cell[last][0]) /* no blanks at the end of a line */
		last--;
	for (k = 0; k < last; k++)
		fprintf(f, "%-*s  ", (int)w[k], cell[k]);
	fprintf(f, "%s\n", cell[last]);
}

static void print_text(FILE *f, const struct help_topic *t)
{
	size_t w[HELP_COLS] = { 0 }, nc = ncols(t), n = t->count(), i, k;
	struct help_row r;

	for (k = 0; k < nc; k++)
		w[k] = strlen(t->heads[k]);
	for (i = 0; i < n; i++) {
		row_of(t, i, &r);
		for (k = 0; k < nc; k++)
			if (strlen(r.cell[k]) > w[k])
				w[k] = strlen(r.cell[k]);
	}
	text_line(f, t->heads, w, nc);
	for (i = 0; i < n; i++) {
		row_of(t, i, &r);
		text_line(f, r.cell, w, nc);
	}
}

/* A Markdown cell: '|' escaped; the first column as code. */
static void md_cell(FILE *f, const char *s, bool code)
{
	bool quoted = code && *s;

	fputs(quoted ? "| `" : "| ", f);
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputs(quoted ? "` " : " ", f);
}

static void print_markdown(FILE *f, const struct help_topic *t)
{
	size_t nc = ncols(t), n = t->count(), i, k;
	struct help_row r;

	for (k = 0; k < nc; k++)
		md_cell(f, t->heads[k], false);
	fputs("|\n", f);
	for (k = 0; k < nc; k++)
		fputs("|---", f);
	fputs("|\n", f);
	for (i = 0; i < n; i++) {
		row_of(t, i, &r);
		for (k = 0; k < nc; k++)
			md_cell(f, r.cell[k], k == 0);
		fputs("|\n", f);
	}
}

int bench_help_print(FILE *f, const char *topic, bool markdown)
{
	const struct help_topic *t = topic_find(topic);

	if (!t)
		return -ENOENT;
	if (markdown)
		print_markdown(f, t);
	else
		print_text(f, t);
	return 0;
}

struct help_cfg {
	bool markdown, completion;
	const char *man;
};

static const struct vfb_opt help_opts[] = {
	{ .name = "markdown",
	  .key = 'm',
	  .type = VFB_OPT_FLAG,
	  .offset = offsetof(struct help_cfg, markdown),
	  .help = "print the table in Markdown (docs/ is made of it)" },
	{ .name = "man",
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct help_cfg, man),
	  .metavar = "DIR",
	  .help = "write the man pages into DIR: vfbench.1, one per command" },
	{ .name = "completion",
	  .type = VFB_OPT_FLAG,
	  .offset = offsetof(struct help_cfg, completion),
	  .help = "print the bash completion of vfbench" },
	VFB_OPT_END,
};

static void topic_names(char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < NTOPICS && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", topics[i].name);
}

/* --man DIR or --completion: what vfbench is, from its tables. */
static int help_manual(const struct bench_prog *p, const struct help_cfg *c,
		       int operands)
{
	if (operands || (c->man && c->completion) || c->markdown) {
		vfb_err("help: --man DIR and --completion take nothing else");
		return VFB_EXIT_USAGE;
	}
	if (c->completion)
		return bench_completion(stdout, p) ? VFB_EXIT_ENV : VFB_EXIT_OK;
	return bench_man_write(p, c->man) ? VFB_EXIT_ENV : VFB_EXIT_OK;
}

int bench_cmd_help(const struct bench_prog *p, int argc, char **argv)
{
	struct help_cfg cfg = { 0 };
	char names[128];
	int ret;

	ret = vfb_opt_parse(
		help_opts, "help",
		"COMMAND | TOPIC [--markdown] | --man DIR | --completion", argc,
		argv, &cfg);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (cfg.man || cfg.completion)
		return help_manual(p, &cfg, argc - ret);
	if (ret >= argc) {
		bench_help_topics(stdout);
		return VFB_EXIT_OK;
	}
	topic_names(names, sizeof(names));
	if (ret + 1 < argc) {
		vfb_err("help: unexpected argument '%s'", argv[ret + 1]);
		return VFB_EXIT_USAGE;
	}
	if (bench_help_print(stdout, argv[ret], cfg.markdown)) {
		vfb_err("help: no command or topic '%s' (topics: %s; commands: "
			"'vfbench --help')",
			argv[ret], names);
		return VFB_EXIT_USAGE;
	}
	return VFB_EXIT_OK;
}
