/* SPDX-License-Identifier: MIT */
#ifndef SUP_TOPOLOGY_H
#define SUP_TOPOLOGY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* The settings of `vfbench setup` for one PF, as flags give them. */
struct sup_setup_cfg {
	const char *pf, *mac_base, *trust, *link_state, *guid_base, *guids;
	const char *driver, *state_dir, *fsroot, *topology;
	const char *max_tx_rate, *min_tx_rate; /* Mb/s, as given */
	const char *vlan;  /* ID for every VF, or ID,ID,... one per VF */
	const char *where; /* "FILE: [PF] (line N): " of a topology section */
	long num_vfs, timeout;
	bool force;
};

#define SUP_MAX_TOPO 16

/* A section's guids: SUP_MAX_VFS GUIDs of 23 characters, with commas;
 * its vlan: SUP_MAX_VFS VLAN IDs of 4 digits. */
#define SUP_TOPO_GUIDS_MAX (256 * 24)
#define SUP_TOPO_VLANS_MAX (256 * 5)

/* One [PF] section of a topology file: the same settings as the flags. */
struct sup_topo_pf {
	struct sup_setup_cfg cfg;
	char pf[64], keys[10][256], guids[SUP_TOPO_GUIDS_MAX];
	char vlans[SUP_TOPO_VLANS_MAX];
	char where[PATH_MAX + 96];
	unsigned int given; /* the keys set, each at most once */
	int line;	    /* of its [PF] */
};

/*
 * Read an INI topology: [PF] sections (BDF or netdev), "key = value"
 * lines (num_vfs, mac_base, trust, link_state, guid_base, guids, driver,
 * max_tx_rate, min_tx_rate, vlan),
 * '#' comments. Every PF starts from BASE. Errors name the file and line.
 * Lines are read whole, however long; refused with their line number: a
 * NUL byte, a value longer than its field (a PF name 63 characters,
 * guids SUP_TOPO_GUIDS_MAX - 1, vlan SUP_TOPO_VLANS_MAX - 1, the others
 * 255), an empty value, a key
 * or a [PF] given twice, more than SUP_MAX_TOPO sections, a section
 * without num_vfs (unless BASE has one).
 */
int sup_topo_read(const char *file, const struct sup_setup_cfg *base,
		  struct sup_topo_pf *t, int *n);

/*
 * The same file with one more section of another command's (qualify's
 * [qualify] of a plan): its "key = value" lines go to KEY (CTX, the key,
 * its value, its line), which returns 0, -ENOENT (no such key), -EEXIST
 * (given twice) or -EINVAL with WHY saying what is wrong; the reader logs
 * it once, WHO: FILE:LINE: .... A file of no [PF] is then no error.
 * SEEN: the line of the section, 0 when the file has none.
 */
struct sup_topo_extra {
	const char *section, *who;
	int (*key)(void *ctx, const char *k, const char *v, int line, char *why,
		   size_t len);
	void *ctx;
	int seen;
};
int sup_topo_read_ext(const char *file, const struct sup_setup_cfg *base,
		      struct sup_topo_pf *t, int *n,
		      struct sup_topo_extra *extra);

#endif
