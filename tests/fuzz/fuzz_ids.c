/* SPDX-License-Identifier: MIT */
/* libFuzzer: GUID and MAC parsers, sizes lists. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "sizes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), err[128], buf[32];
	struct vfb_sizes sz;
	uint64_t g;
	uint8_t mac[6], out[6];

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!sup_guid_parse(s, &g))
		sup_guid_format(g, buf, sizeof(buf));
	if (!sup_mac_parse(s, mac))
		sup_mac_nth(mac, 7, out);
	vfb_sizes_parse(s, &sz, err, sizeof(err));
	free(s);
	return 0;
}
