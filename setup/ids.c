/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <netinet/ether.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"

/* Hex digits of S with the separators SEP removed, if laid out as GROUPS
 * groups of WIDTH digits. */
static int hex_groups(const char *s, int groups, int width, char *out)
{
	int g, k;

	for (g = 0; g < groups; g++) {
		for (k = 0; k < width; k++, s++) {
			if (!isxdigit((unsigned char)*s))
				return -EINVAL;
			*out++ = *s;
		}
		if (g < groups - 1 && *s++ != ':')
			return -EINVAL;
	}
	*out = '\0';
	return *s ? -EINVAL : 0;
}

int sup_guid_parse(const char *s, uint64_t *guid)
{
	char hex[17];
	size_t len = strlen(s);
	int ret = -EINVAL;

	if (len == 23)
		ret = hex_groups(s, 8, 2, hex);
	else if (len == 19)
		ret = hex_groups(s, 4, 4, hex);
	else if (len == 18 && (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2)))
		ret = hex_groups(s + 2, 1, 16, hex);
	if (ret)
		return ret;
	*guid = strtoull(hex, NULL, 16);
	if (*guid == 0 || *guid == UINT64_MAX)
		return -ERANGE;
	return 0;
}

uint64_t sup_guid_nth(uint64_t base, const uint64_t *guids, size_t k)
{
	return (guids ? guids[k / 2] : base + (k & ~(size_t)1)) + (k & 1);
}

int sup_guids_check(uint64_t base, const uint64_t *guids, size_t n, size_t *k,
		    size_t *k2)
{
	size_t i, j;

	for (i = 0; i < 2 * n; i++) {
		uint64_t from = guids ? guids[i / 2] : base;
		uint64_t step = guids ? (i & 1) : i;

		/* all ones, or past it: the first refused one is all ones */
		if (from == UINT64_MAX || step >= UINT64_MAX - from) {
			*k = i;
			return -ERANGE;
		}
	}
	for (i = 0; guids && i < 2 * n; i++)
		for (j = i + 1; j < 2 * n; j++)
			if (sup_guid_nth(0, guids, i) ==
			    sup_guid_nth(0, guids, j)) {
				*k = i;
				*k2 = j;
				return -EEXIST;
			}
	return 0;
}

void sup_guid_format(uint64_t g, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x",
		 (unsigned)(g >> 56) & 0xff, (unsigned)(g >> 48) & 0xff,
		 (unsigned)(g >> 40) & 0xff, (unsigned)(g >> 32) & 0xff,
		 (unsigned)(g >> 24) & 0xff, (unsigned)(g >> 16) & 0xff,
		 (unsigned)(g >> 8) & 0xff, (unsigned)g & 0xff);
}

int sup_mac_parse(const char *s, uint8_t mac[6])
{
	static const uint8_t zero[6],
		bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct ether_addr a;
	char hex[13];

	if (strlen(s) != 17 || hex_groups(s, 6, 2, hex) || !ether_aton_r(s, &a))
		return -EINVAL;
	memcpy(mac, a.ether_addr_octet, 6);
	if (!memcmp(mac, zero, 6) || !memcmp(mac, bcast, 6) || (mac[0] & 1))
		return -ERANGE; /* zero, broadcast or multicast */
	return 0;
}

void sup_mac_format(const uint8_t m[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
}

int sup_mac_nth(const uint8_t base[6], unsigned int i, uint8_t out[6])
{
	uint32_t low = (uint32_t)base[3] << 16 | base[4] << 8 | base[5];

	if (low + i > 0xffffff)
		return -ERANGE;
	low += i;
	memcpy(out, base, 3);
	out[3] = low >> 16;
	out[4] = low >> 8;
	out[5] = low;
	return 0;
}
