/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"
#include "sizes.h"

#define SIZE_LIMIT (1ULL << 31)

static int parse_one(const char *tok, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (tok[0] < '0' || tok[0] > '9')
		return -EINVAL;
	errno = 0;
	n = strtoull(tok, &end, 10);
	if (errno || n > SIZE_LIMIT) /* and a shift cannot wrap below */
		return -ERANGE;
	switch (*end) {
	case 'G':
	case 'g':
		n <<= 10;
		/* fall through */
	case 'M':
	case 'm':
		n <<= 10;
		/* fall through */
	case 'K':
	case 'k':
		n <<= 10;
		end++;
		break;
	}
	if (*end && strcmp(end, "B") && strcmp(end, "b"))
		return -EINVAL;
	if (n == 0 || n > SIZE_LIMIT)
		return -ERANGE;
	*v = n;
	return 0;
}

int vfb_sizes_parse(const char *s, struct vfb_sizes *out, char *err,
		    size_t errlen)
{
	char buf[1024], *tok, *save = NULL;
	int ret;

	out->n = 0;
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "size list too long");
		return -EINVAL;
	}
	strcpy(buf, s);
	if (*s && vfb_list_check(s)) {
		snprintf(err, errlen, "an empty item in '%s'", s);
		return -EINVAL;
	}
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (out->n == VFB_SIZES_MAX) {
			snprintf(err, errlen, "more than %d sizes",
				 VFB_SIZES_MAX);
			return -EINVAL;
		}
		ret = parse_one(tok, &out->v[out->n]);
		if (ret) {
			snprintf(err, errlen, "'%s' is not a size in 1..2G",
				 tok);
			return -EINVAL;
		}
		out->n++;
	}
	if (out->n == 0) {
		snprintf(err, errlen, "empty size list");
		return -EINVAL;
	}
	return 0;
}

int vfb_sizes_sweep(uint64_t lo, uint64_t hi, struct vfb_sizes *out)
{
	uint64_t v;

	out->n = 0;
	if (!lo || lo > hi || (lo & (lo - 1)) || (hi & (hi - 1)))
		return -EINVAL;
	for (v = lo; v <= hi && out->n < VFB_SIZES_MAX; v <<= 1)
		out->v[out->n++] = v;
	return 0;
}

uint64_t vfb_sizes_max(const struct vfb_sizes *s)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] > m)
			m = s->v[i];
	return m;
}
