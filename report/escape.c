/* SPDX-License-Identifier: MIT */
/* Names from a results directory into gnuplot, XML/HTML, Markdown and
 * file names (escape.h). */
#include <stdbool.h>
#include <string.h>

#include "escape.h"

#define REPLACEMENT 0xfffd

static bool cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t rpt_utf8_next(const char *str, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	*cp = REPLACEMENT;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 1; /* a continuation byte, 0xc0, 0xc1, 0xf5.. */
	/* the second byte's range rules out overlongs, surrogates and
	 * code points past U+10FFFF */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 1;
	for (i = 2; i < n; i++)
		if (!cont(s[i]))
			return 1;
	*cp = s[0] & (0xff >> (n + 1));
	for (i = 1; i < n; i++)
		*cp = *cp << 6 | (s[i] & 0x3f);
	return n;
}

/* Not to be shown as itself: C0 and C1 controls, DEL, the noncharacters
 * XML 1.0 refuses. */
static bool control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xfffe ||
	       cp == 0xffff;
}

static size_t utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The code point at *S, advanced past it; controls U+FFFD unless KEEP
 * names them. */
static uint32_t next(const char **s, const char *keep)
{
	uint32_t cp;

	*s += rpt_utf8_next(*s, &cp);
	if (control(cp) && !(cp && cp < 0x80 && strchr(keep, (int)cp)))
		cp = REPLACEMENT;
	return cp;
}

static void put_cp(FILE *f, uint32_t cp)
{
	char b[4];

	fwrite(b, 1, utf8_put(cp, b), f);
}

void rpt_esc_xml(FILE *f, const char *s)
{
	while (*s) {
		uint32_t cp = next(&s, "\t\n\r");

		switch (cp) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case '\t':
		case '\n':
		case '\r':
			fprintf(f, "&#%u;", (unsigned int)cp);
			break;
		default:
			put_cp(f, cp);
		}
	}
}

void rpt_esc_md(FILE *f, const char *s)
{
	while (*s) {
		uint32_t cp = next(&s, "\t\n\r");

		if (cp == '&')
			fputs("&amp;", f);
		else if (cp == '<')
			fputs("&lt;", f);
		else if (cp == '>')
			fputs("&gt;", f);
		else if (cp == '\t' || cp == '\n' || cp == '\r')
			fputc(' ', f);
		else if (cp == '\\' || cp == '`' || cp == '|' ||
			 (cp == ']' && *s && strchr("([:", *s)))
			fprintf(f, "\\%c", (int)cp); /* no link, no cell */
		else
			put_cp(f, cp);
	}
}

/* Append the bytes of CP (TWICE: two copies) to BUF, or nothing when
 * they do not fit; false then. */
static bool append(char *buf, size_t len, size_t *n, uint32_t cp, bool twice)
{
	char b[4];
	size_t k = utf8_put(cp, b), times = twice ? 2 : 1;

	if (*n + k * times + 1 > len)
		return false;
	while (times--) {
		memcpy(buf + *n, b, k);
		*n += k;
	}
	buf[*n] = '\0';
	return true;
}

char *rpt_esc_gnuplot(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	buf[0] = '\0';
	while (*s) {
		uint32_t cp = next(&s, "");

		/* a replacement character is text; a lone surrogate or an
		 * ASCII control could end the line gnuplot reads */
		if (cp == REPLACEMENT)
			cp = '?';
		if (!append(buf, len, &n, cp, cp == '\''))
			break;
	}
	return buf;
}

char *rpt_esc_datafield(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	buf[0] = '\0';
	while (*s) {
		uint32_t cp = next(&s, "");

		if (cp == REPLACEMENT || cp == '"')
			cp = '?';
		if (!append(buf, len, &n, cp, false))
			break;
	}
	return buf;
}

char *rpt_esc_utf8(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	buf[0] = '\0';
	while (*s) {
		uint32_t cp;

		s += rpt_utf8_next(s, &cp);
		if (!append(buf, len, &n, cp, false))
			break;
	}
	return buf;
}

static bool slug_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '+' ||
	       (!first && (c == '.' || c == '-'));
}

char *rpt_slug(char *buf, size_t len, const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	bool changed = !*s || strlen(s) > RPT_SLUG_KEEP;
	size_t i, n = 0;

	for (i = 0; s[i]; i++) {
		h = (h ^ (unsigned char)s[i]) * 16777619u;
		if (n < RPT_SLUG_KEEP && n + 1 < len) {
			bool ok = slug_char(s[i], i == 0);

			buf[n++] = ok ? s[i] : '_';
			changed |= !ok;
		}
	}
	if (!n && len > 1)
		buf[n++] = '_'; /* an empty name: "_-<hash>" */
	buf[n] = '\0';
	if (changed)
		snprintf(buf + n, len - n, "-%08x", (unsigned int)h);
	return buf;
}
