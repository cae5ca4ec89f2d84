/* SPDX-License-Identifier: MIT */
#ifndef BENCH_HELP_H
#define BENCH_HELP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * 'vfbench help TOPIC [--markdown]': the entries of a table (result
 * columns, path kinds, tests, doctor checks, schedules, path proofs),
 * printed from the table itself, as text or as a Markdown table
 * (docs/ is generated from the latter by scripts/gen-docs).
 */
struct bench_prog;
int bench_cmd_help(const struct bench_prog *p, int argc, char **argv);
/* What the man pages say of 'vfbench help'. */
#define BENCH_HELP_SUMMARY "the options of a command, or a table of vfbench"
/* The topics: how many, and topic I's name (NULL past the last) and
 * summary. */
size_t bench_help_ntopics(void);
const char *bench_help_topic(size_t i, const char **summary);
/* "topics:" and a line per topic, for 'vfbench help'. */
void bench_help_topics(FILE *f);
/* Whether NAME is a topic. */
bool bench_help_is_topic(const char *name);
/* TOPIC's table into F: 0, or -ENOENT when there is no such topic. */
int bench_help_print(FILE *f, const char *topic, bool markdown);

#endif
