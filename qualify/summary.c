/* SPDX-License-Identifier: MIT */
/* report.md of a qualification: the verdict, the host, its readiness,
 * the plan, each stage and each rule with its result, top-down. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "escape.h"
#include "outfile.h"
#include "rundir.h"
#include "stage.h"

static const char *const verdicts[] = { "PASS", "FAIL", "INCOMPLETE" };

/* FILE's text in a fenced block (a fence longer than any it holds). */
static void fenced(FILE *f, const char *path, const char *lang)
{
	char *text;

	if (host_read_text(path, &text)) {
		fputs("(none)\n\n", f);
		return;
	}
	fprintf(f, "~~~~~~~~%s\n%s%s~~~~~~~~\n\n", lang, text,
		*text && text[strlen(text) - 1] != '\n' ? "\n" : "");
	free(text);
}

/* The host as the run (else validate, share) recorded it in run.json. */
static void host_section(FILE *f, const struct qfy_run *r)
{
	static const char *const dirs[] = { "run", "validate", "share" };
	char path[PATH_MAX + 32];
	json_object *meta = NULL;
	size_t i;

	fputs("## Host\n\n", f);
	for (i = 0; !meta && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/run.json", r->out, dirs[i]);
		meta = json_object_from_file(path);
		if (meta && !json_object_is_type(meta, json_type_object)) {
			json_object_put(meta);
			meta = NULL;
		}
	}
	if (!meta) {
		fputs("No stage recorded the host (no run.json).\n\n", f);
		return;
	}
	fprintf(f, "As `%s/%s/run.json` recorded it.\n\n| | |\n|---|---|\n",
		r->out, dirs[i - 1]);
	json_object_object_foreach(meta, k, v)
	{
		if (!json_object_is_type(v, json_type_string) ||
		    !strcmp(k, "schema"))
			continue;
		fputs("| ", f);
		rpt_esc_md(f, k);
		fputs(" | ", f);
		rpt_esc_md(f, json_object_get_string(v));
		fputs(" |\n", f);
	}
	fputs("\n", f);
	json_object_put(meta);
}

static void stages_section(FILE *f, const struct qfy_run *r)
{
	int i;

	fputs("## Stages\n\n| stage | result | exit | seconds | why |\n"
	      "|---|---|---|---|---|\n",
	      f);
	for (i = 0; i < r->nstages; i++) {
		const struct qfy_stage_run *sr = &r->stages[i];
		const struct qfy_step *st = &sr->steps[0];

		fprintf(f, "| %s | %s | ", sr->s->name,
			qfy_status_name(sr->st));
		if (sr->nsteps == 1 && st->exit >= 0)
			fprintf(f, "%d", st->exit);
		fprintf(f, " | %.1f | ", sr->secs);
		rpt_esc_md(f, sr->why);
		fputs(" |\n", f);
	}
	fputs("\nEach stage's command line, exit code and log: "
	      "`qualify.json`.\n\n",
	      f);
}

static void rules_section(FILE *f, const struct qfy_run *r)
{
	int i, k;

	for (i = 0; i < r->nstages; i++) {
		const struct qfy_stage_run *sr = &r->stages[i];

		if (strcmp(sr->s->name, "gate") || sr->st == QFY_SKIPPED)
			continue;
		fputs("## Rules\n\n| rule | result | why |\n|---|---|---|\n",
		      f);
		for (k = 0; k < sr->nsteps; k++) {
			const struct qfy_step *st = &sr->steps[k];
			enum qfy_status s =
				sr->st == QFY_BLOCKED ? sr->st : st->st;

			fputs("| ", f);
			rpt_esc_md(f, r->plan->rules[k].text);
			fprintf(f, " | %s | ", qfy_status_name(s));
			rpt_esc_md(f, s == QFY_BLOCKED ? sr->why : st->why);
			fputs(" |\n", f);
		}
		fputs("\n", f);
	}
}

int qfy_write_summary(const struct qfy_run *r)
{
	char path[PATH_MAX + 32], t0[32], t1[32];
	struct rpt_out o;
	int ret;

	snprintf(path, sizeof(path), "%s/report.md", r->out);
	if ((ret = rpt_out_path(&o, path)))
		return ret;
	host_iso_time(r->started, t0, sizeof(t0));
	host_iso_time(r->ended, t1, sizeof(t1));
	fprintf(o.f, "# Qualification: %s\n\n", verdicts[r->verdict]);
	fputs("Plan `", o.f);
	rpt_esc_md(o.f, r->plan->file);
	fprintf(o.f, "`, from %s to %s.\n\n", t0, t1);
	if (r->why[0]) {
		rpt_esc_md(o.f, r->why);
		fputs("\n\n", o.f);
	}
	host_section(o.f, r);
	fputs("## Readiness (vfbench doctor)\n\n", o.f);
	snprintf(path, sizeof(path), "%s/doctor/doctor.log", r->out);
	fenced(o.f, path, "");
	fputs("## Plan\n\n", o.f);
	snprintf(path, sizeof(path), "%s/plan.ini", r->out);
	fenced(o.f, path, "ini");
	stages_section(o.f, r);
	rules_section(o.f, r);
	return rpt_out_commit(&o);
}
