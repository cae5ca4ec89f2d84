/* SPDX-License-Identifier: MIT */
#ifndef SUP_IDS_H
#define SUP_IDS_H

#include <stddef.h>
#include <stdint.h>

/*
 * GUIDs and MACs: parsing, printing, allocation.
 *
 * A GUID may be written as eight colon-separated bytes
 * (00:11:22:33:44:55:66:77, as ip-link), as 0x-prefixed hex
 * (0x0011223344556677, as ibv_devinfo), or as four groups of four hex
 * digits (0011:2233:4455:6677, as ibstat). Zero and all-ones GUIDs are
 * refused.
 *
 * Allocation from a base B: VF i gets node GUID B + 2i and port GUID
 * B + 2i + 1, and MAC base + i (in the low three bytes): deterministic,
 * so re-running a plan asks for the same values.
 */
int sup_guid_parse(const char *s, uint64_t *guid);
void sup_guid_format(uint64_t guid, char *buf, size_t len); /* colon form */
int sup_mac_parse(const char *s, uint8_t mac[6]);
void sup_mac_format(const uint8_t mac[6], char *buf, size_t len);
int sup_mac_nth(const uint8_t base[6], unsigned int i, uint8_t out[6]);

static inline uint64_t sup_node_guid(uint64_t base, unsigned int vf)
{
	return base + 2ULL * vf;
}

static inline uint64_t sup_port_guid(uint64_t base, unsigned int vf)
{
	return base + 2ULL * vf + 1;
}

/*
 * The 2N GUIDs N VFs get, from BASE (GUIDS NULL) or from their node GUIDs
 * GUIDS[0..N-1] (port = node + 1), numbered k = 2 * VF + (port ? 1 : 0):
 * sup_guid_nth gives the k-th. sup_guids_check: 0 when every one is
 * usable and none repeats; -ERANGE when one would be all ones or wrap
 * past it (*K its number), -EEXIST when two are the same (*K and *K2,
 * K < K2). Checked before planning, as the refused values themselves.
 */
uint64_t sup_guid_nth(uint64_t base, const uint64_t *guids, size_t k);
int sup_guids_check(uint64_t base, const uint64_t *guids, size_t n, size_t *k,
		    size_t *k2);

#endif
