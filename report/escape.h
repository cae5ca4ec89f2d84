/* SPDX-License-Identifier: MIT */
#ifndef RPT_ESCAPE_H
#define RPT_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Names from a results directory (tests, paths, devices, hosts, error
 * texts, run.json strings) are data from another host: each reaches a
 * language (gnuplot, XML/HTML, Markdown, a file name) only through one of
 * these. All of them read S as UTF-8: a byte that does not start a valid
 * sequence (overlong, surrogate, past U+10FFFF, cut short) stands for
 * U+FFFD, and so do C0 controls, DEL and U+FFFE/U+FFFF, except where a
 * function says otherwise. None of them fails; a result that does not
 * fit is cut at a character.
 */

/* The code point at S (not at its end) and its length in bytes, 1 for a
 * byte that does not start a valid sequence (*CP is then U+FFFD). */
size_t rpt_utf8_next(const char *s, uint32_t *cp);

/* S as XML 1.0 (and HTML) text or attribute value: & < > " ' as
 * entities, tab and line breaks as character references. */
void rpt_esc_xml(FILE *f, const char *s);

/* S as Markdown text (a paragraph, a heading, a table cell): & < > as
 * entities (no raw HTML, no autolink), \ ` | escaped and a ] that could
 * close a link or image ("](", "][", "]:"), line breaks as spaces;
 * emphasis marks are left as they are (they only format). */
void rpt_esc_md(FILE *f, const char *s);

/* S as valid UTF-8 (for JSON: json-c escapes the controls itself), into
 * BUF (LEN > 0). */
char *rpt_esc_utf8(char *buf, size_t len, const char *s);

/* S as the inside of a gnuplot single-quoted string (the only kind where
 * no backquote, macro or backslash is expanded): ' doubled; anything
 * that could end the command line becomes '?'. BUF (LEN > 0). */
char *rpt_esc_gnuplot(char *buf, size_t len, const char *s);

/* S as one field of a gnuplot data file (tab-separated) or a '#' comment
 * in one: tab, line breaks and double quotes become '?'. */
char *rpt_esc_datafield(char *buf, size_t len, const char *s);

/*
 * S as a part of a file name: [A-Za-z0-9._+-] kept, anything else '_',
 * never a leading '.' or '-'; when anything had to change (or S is
 * empty or longer than RPT_SLUG_KEEP), "-" and 8 hex digits of a hash of
 * S follow, so that two names give two files. Ordinary names (write_lat,
 * vf-guest) are themselves. LEN >= RPT_SLUG_MAX.
 */
#define RPT_SLUG_KEEP 48
#define RPT_SLUG_MAX  (RPT_SLUG_KEEP + 10)
char *rpt_slug(char *buf, size_t len, const char *s);

#endif
