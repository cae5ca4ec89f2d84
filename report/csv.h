/* SPDX-License-Identifier: MIT */
#ifndef RPT_CSV_H
#define RPT_CSV_H

#include <stdio.h>

/*
 * RFC 4180 CSV output: a field that holds a comma, a quote, CR or LF is
 * quoted, and its quotes doubled. Rows end with LF, which
 * RFC 4180 allows and every consumer we target (gnuplot, spreadsheets)
 * reads.
 */
int rpt_csv_field(FILE *f, const char *s, int first);
int rpt_csv_row(FILE *f, const char *const *fields, int n);

#endif
