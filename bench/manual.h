/* SPDX-License-Identifier: MIT */
#ifndef BENCH_MANUAL_H
#define BENCH_MANUAL_H

#include <stdio.h>

#include "commands.h"
#include "opt.h"

/*
 * The man pages and the bash completion of vfbench, made of the tables it
 * runs from: the command table and options of main(), each command's
 * option sets (as its --help prints them: vfb_opt_set_renderer), the help
 * topics. A command or an option added to a table is in both, unedited.
 */

/* Page NAME ("vfbench", "help" or a command) in roff to F: 0, -ENOENT
 * (no such page) or -EPROTO (the command printed no usage). */
int bench_man_page(FILE *f, const struct bench_prog *p, const char *name);
/* Every page into DIR: vfbench.1, vfbench-NAME.1 for each command and
 * help. 0, or a negative errno, logged with the file named. */
int bench_man_write(const struct bench_prog *p, const char *dir);
/* The bash completion script to F: 0, or a negative errno (logged). */
int bench_completion(FILE *f, const struct bench_prog *p);

/* Call FN(CTX, usage) with the usage of command NAME (or "help"): 0,
 * -ENOENT (no such command) or -EPROTO (it printed no usage). */
int bench_cmd_usage(const struct bench_prog *p, const char *name,
		    vfb_usage_fn *fn, void *ctx);

#endif
