/* SPDX-License-Identifier: MIT */
/* What a qualification leaves: its inputs, qualify.json, the JUnit and
 * report.md, a record that reads top-down. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "escape.h"
#include "log.h"
#include "outfile.h"
#include "rundir.h"
#include "stage.h"

static const char *const verdicts[] = { "PASS", "FAIL", "INCOMPLETE" };

/* TEXT written whole to DIR/NAME. */
static int put_file(const char *path, const char *text)
{
	struct rpt_out o;
	int ret = rpt_out_path(&o, path);

	if (ret)
		return ret;
	fputs(text, o.f);
	return rpt_out_commit(&o);
}

/* The plan with its [qualify] lines blank: setup reads the [PF]
 * sections, and its messages give the plan's own line numbers. */
static int put_topology(const struct qfy_run *r, const char *text)
{
	const struct qfy_plan *p = r->plan;
	int line = 1, end = 1 << 30, i;
	char *t = strdup(text), *c;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < p->npf; i++)
		if (p->pf[i].line > p->section_line && p->pf[i].line < end)
			end = p->pf[i].line;
	for (c = t; *c; c++) {
		if (*c == '\n')
			line++;
		else if (p->section_line && line >= p->section_line &&
			 line < end)
			*c = ' ';
	}
	i = put_file(r->topology, t);
	free(t);
	return i;
}

int qfy_write_inputs(const struct qfy_run *r)
{
	char path[PATH_MAX + 64], *text;
	int i, ret;

	for (i = 0; i < r->nstages; i++) {
		snprintf(path, sizeof(path), "%s/%s", r->out,
			 r->stages[i].s->name);
		if (r->stages[i].st != QFY_SKIPPED && mkdir(path, 0755) &&
		    errno != EEXIST) {
			vfb_err("qualify: mkdir %s: %s", path, strerror(errno));
			return -errno;
		}
	}
	if ((ret = host_read_text(r->plan->file, &text))) {
		vfb_err("qualify: %s: %s", r->plan->file,
			host_read_strerror(ret));
		return ret;
	}
	snprintf(path, sizeof(path), "%s/plan.ini", r->out);
	ret = put_file(path, text);
	if (!ret && r->plan->npf)
		ret = put_topology(r, text);
	free(text);
	for (i = 0; !ret && i < r->plan->nrules; i++) {
		snprintf(path, sizeof(path), "%s/gate/rule-%d.txt", r->out,
			 i + 1);
		char rule[128];

		snprintf(rule, sizeof(rule), "%s\n", r->plan->rules[i].text);
		ret = put_file(path, rule);
	}
	if (ret)
		vfb_err("qualify: %s: writing the inputs: %s", r->out,
			strerror(-ret));
	return ret;
}

/* ARGV as one shell-like line. */
static void cmdline(const struct qfy_step *st, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < st->argc && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? " " : "", st->argv[i]);
}

void qfy_print_plan(FILE *f, const struct qfy_run *r)
{
	char line[QFY_ARGS_LEN];
	int i, k;

	fprintf(f, "qualify %s into %s (dry run: nothing is touched)\n",
		r->plan->file, r->out);
	for (i = 0; i < r->nstages; i++) {
		const struct qfy_stage_run *sr = &r->stages[i];

		fprintf(f, "%-15s %s\n", sr->s->name,
			sr->st == QFY_SKIPPED ? "skipped: the plan does not "
						"ask for it" :
						sr->s->what);
		for (k = 0; sr->st != QFY_SKIPPED && k < sr->nsteps; k++) {
			cmdline(&sr->steps[k], line, sizeof(line));
			fprintf(f, "  $ %s\n", line);
		}
		if (sr->st == QFY_SKIPPED)
			continue;
		fprintf(f, "  changes: %s\n",
			sr->s->changes ? sr->s->changes :
					 "nothing on the host (writes its "
					 "results only)");
		for (k = 0; sr->s->changes && k < r->plan->npf; k++)
			fprintf(f, "    [%s] (line %d): %ld VFs\n",
				r->plan->pf[k].pf, r->plan->pf[k].line,
				r->plan->pf[k].cfg.num_vfs);
	}
}

void qfy_print_summary(FILE *f, const struct qfy_run *r)
{
	int i;

	for (i = 0; i < r->nstages; i++) {
		const struct qfy_stage_run *sr = &r->stages[i];

		fprintf(f, "%-11s %-15s %6.1f s  %s\n", qfy_status_name(sr->st),
			sr->s->name, sr->secs, sr->why);
	}
	fprintf(f, "qualify: %s%s%s (%s)\n", verdicts[r->verdict],
		r->why[0] ? ": " : "", r->why, r->out);
}

static json_object *step_json(const struct qfy_step *st)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	int i;

	for (i = 0; i < st->argc; i++)
		json_object_array_add(a, json_object_new_string(st->argv[i]));
	json_object_object_add(o, "name", json_object_new_string(st->name));
	json_object_object_add(o, "command_line", a);
	json_object_object_add(
		o, "exit", st->exit < 0 ? NULL : json_object_new_int(st->exit));
	json_object_object_add(o, "seconds", json_object_new_double(st->secs));
	json_object_object_add(o, "status",
			       json_object_new_string(qfy_status_name(st->st)));
	json_object_object_add(o, "why", json_object_new_string(st->why));
	json_object_object_add(o, "log", json_object_new_string(st->log));
	return o;
}

static int put_json(const struct qfy_run *r)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	char path[PATH_MAX + 16], t0[32], t1[32];
	int i, k, ret;

	host_iso_time(r->started, t0, sizeof(t0));
	host_iso_time(r->ended, t1, sizeof(t1));
	json_object_object_add(o, "schema",
			       json_object_new_string("vfbench-qualify/1"));
	json_object_object_add(o, "plan",
			       json_object_new_string(r->plan->file));
	json_object_object_add(o, "started", json_object_new_string(t0));
	json_object_object_add(o, "ended", json_object_new_string(t1));
	json_object_object_add(o, "verdict",
			       json_object_new_string(verdicts[r->verdict]));
	json_object_object_add(o, "why", json_object_new_string(r->why));
	json_object_object_add(o, "exit",
			       json_object_new_int(qfy_exit_code(r)));
	for (i = 0; i < r->nstages; i++) {
		const struct qfy_stage_run *sr = &r->stages[i];
		json_object *s = json_object_new_object(),
			    *steps = json_object_new_array();

		json_object_object_add(s, "stage",
				       json_object_new_string(sr->s->name));
		json_object_object_add(
			s, "status",
			json_object_new_string(qfy_status_name(sr->st)));
		json_object_object_add(s, "why",
				       json_object_new_string(sr->why));
		json_object_object_add(s, "seconds",
				       json_object_new_double(sr->secs));
		for (k = 0; sr->st != QFY_SKIPPED && sr->st != QFY_BLOCKED &&
			    k < sr->nsteps;
		     k++)
			json_object_array_add(steps, step_json(&sr->steps[k]));
		json_object_object_add(s, "steps", steps);
		json_object_array_add(a, s);
	}
	json_object_object_add(o, "stages", a);
	snprintf(path, sizeof(path), "%s/qualify.json", r->out);
	ret = host_json_write_atomic(path, o);
	json_object_put(o);
	return ret;
}

/* A testcase: CLASS.NAME, its status (a skip or a failure said why). */
static void testcase(FILE *f, const char *cls, const char *name,
		     enum qfy_status st, const char *why, double secs)
{
	fputs("    <testcase classname=\"qualify.", f);
	rpt_esc_xml(f, cls);
	fputs("\" name=\"", f);
	rpt_esc_xml(f, name);
	fprintf(f, "\" time=\"%.3f\"", secs);
	if (st == QFY_PASS || st == QFY_WARN) {
		fputs("/>\n", f);
		return;
	}
	fputs(st == QFY_SKIPPED ? ">\n      <skipped message=\"" :
	      st == QFY_FAIL	? ">\n      <failure message=\"" :
				  ">\n      <error message=\"",
	      f);
	rpt_esc_xml(f, qfy_status_name(st));
	fputs(": ", f);
	rpt_esc_xml(f, why);
	fputs("\"/>\n    </testcase>\n", f);
}

static int put_junit(const struct qfy_run *r, const char *path)
{
	struct rpt_out o;
	int i, k, n = 0, fails = 0, errors = 0, skips = 0, ret;

	if ((ret = rpt_out_path(&o, path)))
		return ret;
	for (i = 0; i < r->nstages; i++) {
		const struct qfy_stage_run *sr = &r->stages[i];
		int m = sr->s->nsteps ? sr->nsteps : 0;

		for (k = -1; k < m; k++) {
			enum qfy_status st = k < 0 ? sr->st : sr->steps[k].st;

			if (k >= 0 &&
			    (sr->st == QFY_SKIPPED || sr->st == QFY_BLOCKED))
				st = sr->st;
			n++;
			fails += st == QFY_FAIL;
			skips += st == QFY_SKIPPED;
			errors += st == QFY_ERROR || st == QFY_BLOCKED ||
				  st == QFY_INTERRUPTED;
		}
	}
	fprintf(o.f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites tests=\"%d\" failures=\"%d\" errors=\"%d\" "
		"skipped=\"%d\">\n"
		"  <testsuite name=\"vfbench qualify: %s\" tests=\"%d\" "
		"failures=\"%d\" errors=\"%d\" skipped=\"%d\">\n",
		n, fails, errors, skips, verdicts[r->verdict], n, fails, errors,
		skips);
	for (i = 0; i < r->nstages; i++) {
		const struct qfy_stage_run *sr = &r->stages[i];
		bool ran = sr->st != QFY_SKIPPED && sr->st != QFY_BLOCKED;

		testcase(o.f, "stage", sr->s->name, sr->st, sr->why, sr->secs);
		for (k = 0; sr->s->nsteps && k < sr->nsteps; k++)
			testcase(o.f, sr->s->name, sr->steps[k].name,
				 ran ? sr->steps[k].st : sr->st,
				 ran ? sr->steps[k].why : sr->why,
				 sr->steps[k].secs);
	}
	fputs("  </testsuite>\n</testsuites>\n", o.f);
	return rpt_out_commit(&o);
}

int qfy_write_record(const struct qfy_run *r, const char *junit)
{
	char path[PATH_MAX + 16];
	int ret;

	snprintf(path, sizeof(path), "%s/junit.xml", r->out);
	ret = put_json(r);
	if (!ret)
		ret = put_junit(r, junit ? junit : path);
	if (!ret)
		ret = qfy_write_summary(r);
	if (ret)
		vfb_err("qualify: %s: writing the record: %s", r->out,
			strerror(ret < 0 ? -ret : ret));
	return ret;
}
