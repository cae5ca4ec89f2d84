/* SPDX-License-Identifier: MIT */
#ifndef HOST_PATHS_H
#define HOST_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "classify.h"
#include "opt.h"

/* A device that could carry a path. */
struct host_cand {
	char name[64];
	struct host_devclass dc;
	bool port_active;
};

/* Every RDMA device under ROOT, classified, with whether port 1 is
 * ACTIVE, into *OUT (the caller frees it): how many, or a negative
 * errno. */
int host_candidates(const struct vfb_fsroot *root, struct host_cand **out);

/* One path of the matrix: which device, which peer, or why not. */
struct host_path_sel {
	const struct vfb_path_kind *kind;
	char dev[64]; /* "" when no device could be chosen */
	struct host_devclass dc;
	char why[200]; /* non-empty: the path cannot run (error rows) */
};

#define HOST_MAX_PATHS 16

/*
 * Copy the option table BASE into OUT, adding after the option named
 * AFTER one --peer-KIND per path kind (plot order, the baseline first;
 * at most MAX_KINDS), each storing into the KIND's slot of an array of
 * const char * at offset OFF of the command's config. OUT has room for
 * BASE's entries plus MAX_KINDS.
 */
/* For --help, from the path-kind table (see it): the kinds a user can
 * name, ", " between, and what run's --paths takes: "auto" and those. */
const char *host_path_kinds(void);
const char *host_paths_choices(void);

/* Where a scenario's peers are: --peer, and --peer-KIND for every path
 * kind of the table (one option table, made once from it). */
#define HOST_KINDS_MAX 16
struct host_peers {
	const char *peer, *of[HOST_KINDS_MAX]; /* of: by path-kind index */
};
const struct vfb_opt *host_peer_opts(void);
/* The peer of path kind K: --peer-K, else --peer; NULL when neither. */
const char *host_peer_of(const struct host_peers *p,
			 const struct vfb_path_kind *k);
/* Whether any peer was given. */
bool host_peers_any(const struct host_peers *p);

/*
 * Plan the paths: SPEC is "auto" (one device per kind that has an active
 * port, of every kind in_auto, in plot order), a comma-separated list of
 * kinds (see the path-kind table; a kind without an active device
 * becomes a path with `why` set), or NULL with DEVS, a comma-separated
 * device list. Returns the number of paths or -EINVAL
 * with ERR naming the bad word.
 */
int host_paths_plan(const char *spec, const char *devs,
		    const struct host_cand *cands, size_t ncands,
		    struct host_path_sel *out, char *err, size_t errlen);

/*
 * The devices a command measures or checks, named alike by every
 * command: -d DEV[,DEV] or --paths (HOST_DEV_LIST), -i PORT and -x GID
 * (HOST_DEV_PORT; run takes those with the measurement options). A
 * command embeds the struct (HOST_DEVSEL_INIT), takes the categories it
 * has, and says in its notes what each option means to it.
 */
enum { HOST_DEV_LIST = 1u << 0, HOST_DEV_PORT = 1u << 1 };
struct host_devsel {
	const char *dev, *paths;
	long port, gid; /* -x not given: -1 (the port's first RoCE v2 GID) */
};
#define HOST_DEVSEL_INIT                                                       \
	{                                                                      \
		.port = 1, .gid = -1                                           \
	}
extern const struct vfb_opt host_dev_opts[];
/* CMD's -d and --paths, before any device is listed: not both, one of
 * them when REQUIRED, the words of --paths known. 0, or -EINVAL after
 * one line naming the option. */
int host_devsel_check(const char *cmd, const struct host_devsel *s,
		      bool required);

#endif
