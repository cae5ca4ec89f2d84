/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "csv.h"

int rpt_csv_field(FILE *f, const char *s, int first)
{
	if (!first && fputc(',', f) == EOF)
		return -EIO;
	if (!s[strcspn(s, ",\"\r\n")])
		return fputs(s, f) == EOF ? -EIO : 0;
	if (fputc('"', f) == EOF)
		return -EIO;
	for (; *s; s++) {
		if (*s == '"' && fputc('"', f) == EOF)
			return -EIO;
		if (fputc(*s, f) == EOF)
			return -EIO;
	}
	return fputc('"', f) == EOF ? -EIO : 0;
}

int rpt_csv_row(FILE *f, const char *const *fields, int n)
{
	int i, ret;

	for (i = 0; i < n; i++) {
		ret = rpt_csv_field(f, fields[i] ? fields[i] : "", i == 0);
		if (ret)
			return ret;
	}
	return fputc('\n', f) == EOF ? -EIO : 0;
}
