/* SPDX-License-Identifier: MIT */
#ifndef BENCH_TOPOLOGY_H
#define BENCH_TOPOLOGY_H

#include <stdbool.h>

/* The settings of `vfbench setup` for one PF, as flags give them. */
struct bench_setup_cfg {
	const char *pf, *mac_base, *trust, *link_state, *guid_base, *guids;
	const char *driver, *state_dir, *fsroot, *topology;
	const char *max_tx_rate, *min_tx_rate; /* Mb/s, as given */
	long num_vfs, timeout;
	bool force;
};

#define BENCH_MAX_TOPO 16

/* One [PF] section of a topology file: the same settings as the flags. */
struct bench_topo_pf {
	struct bench_setup_cfg cfg;
	char pf[64], keys[10][256];
};

/*
 * Read an INI topology: [PF] sections (BDF or netdev), "key = value"
 * lines (num_vfs, mac_base, trust, link_state, guid_base, guids, driver,
 * max_tx_rate, min_tx_rate),
 * '#' comments. Every PF starts from BASE. Errors name the file and line.
 */
int bench_topo_read(const char *file, const struct bench_setup_cfg *base,
		    struct bench_topo_pf *t, int *n);

#endif
