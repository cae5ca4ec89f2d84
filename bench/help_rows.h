/* SPDX-License-Identifier: MIT */
#ifndef BENCH_HELP_ROWS_H
#define BENCH_HELP_ROWS_H

#include <stddef.h>

/* A row of a help topic (help.c): its cells, and room for what a row
 * composes (split among its cells). */
#define HELP_COLS 6

struct help_row {
	const char *cell[HELP_COLS];
	char buf[1024];
};

/* plan: qualify's [qualify] keys, the [PF] section, then its stages */
size_t help_plan_count(void);
void help_plan_row(size_t i, struct help_row *r);
/* events: drill's events table */
size_t help_events_count(void);
void help_events_row(size_t i, struct help_row *r);

#endif
