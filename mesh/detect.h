/* SPDX-License-Identifier: MIT */
#ifndef MSH_DETECT_H
#define MSH_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The detector: pure code over a mesh's rows, whatever schedule made
 * them (mesh/outliers.c feeds it the rows of a run, tests/fleet-sim.c
 * synthetic ones). docs/methods.md#the-detector states the rules.
 *
 * One observation is a pair measured once for one case (path, test,
 * size; numbered densely by the caller): its value (latency: higher is
 * worse; with MSH_OBS_LOWER_WORSE a bandwidth), or an error. */
#define MSH_OBS_ERROR	    1u
#define MSH_OBS_LOWER_WORSE 2u

struct msh_obs {
	uint32_t a, b; /* the pair's ends (ranks) */
	uint32_t kase;
	uint32_t flags;
	double value;
};

/* The fabric's leaf switches (mesh/fabric.h), as the detector needs
 * them: each host's leaf, or MSH_NO_LEAF. */
#define MSH_NO_LEAF UINT32_MAX

struct msh_leaves {
	uint32_t nleaves;
	const uint32_t *leaf; /* by rank */
};

struct msh_detect_cfg {
	/* A host is suspect when the log of its score is more than Z robust
	 * deviations (1.4826 MAD, at least MIN_SCALE) above the fleet's
	 * median score, and its score is at least MIN_RATIO; a pair is slow
	 * by the same rule over every observation. */
	double z, min_ratio, min_scale;
	/* A host is judged on MIN_PAIRS observations or more. */
	uint32_t min_pairs;
	/* A switch is named when its slow crossing pairs are that unlikely
	 * by chance, over all switches (Poisson, the fleet's slow rate). */
	double switch_alpha;
	const struct msh_leaves *leaves; /* NULL: one switch */
};

#define MSH_DETECT_CFG_INIT                                                    \
	{                                                                      \
		.z = 6, .min_ratio = 1.10, .min_scale = 0.01, .min_pairs = 3,  \
		.switch_alpha = 1e-3                                           \
	}

enum msh_host_state {
	MSH_HOST_UNJUDGED, /* fewer than min_pairs observations */
	MSH_HOST_GOOD,
	MSH_HOST_SUSPECT,
};

enum msh_host_why {
	MSH_WHY_NONE,
	MSH_WHY_SLOW,	/* its score is above the threshold */
	MSH_WHY_ERRORS, /* more than half of its pairs, and 2 or more, error */
	MSH_WHY_SWITCH, /* slow only across a switch that is named */
};

struct msh_host_verdict {
	double score; /* median ratio of its pairs to the fleet (1: as the
		       * fleet; NAN: none measured) */
	uint32_t pairs, slow, errors;
	uint8_t state, why;
};

/* A pair slow while both its ends are good: a link, not a host. It is
 * confirmed once slow in 3 or more observations and most of them (a
 * transient tail, slow once in 500 measurements, is slow 3 times in 4
 * about once in 30 million). */
struct msh_link_verdict {
	uint32_t a, b; /* a < b */
	double ratio;  /* its median ratio */
	uint32_t seen, slow;
	bool confirmed;
};

/* A leaf switch whose hosts are good within it and slow across it. */
struct msh_switch_verdict {
	uint32_t leaf;
	uint32_t cross, slow;  /* its crossing observations, the slow ones */
	double within, across; /* median ratios */
	double expected;       /* slow crossings expected by chance */
};

struct msh_verdicts {
	uint32_t nhosts;
	struct msh_host_verdict *host; /* by rank */
	double center, scale;	       /* of the hosts' log scores */
	double host_threshold;	       /* a score above it: suspect */
	double pair_threshold;	       /* a ratio above it: slow */
	uint32_t nsuspects;
	struct msh_link_verdict *link;
	size_t nlinks;
	struct msh_switch_verdict *sw;
	size_t nsw;
};

/* Judges N observations of NHOSTS hosts and NCASES cases into V (freed
 * with msh_verdicts_free): 0, -EINVAL (an observation out of range) or
 * -ENOMEM. */
int msh_detect(const struct msh_obs *o, size_t n, uint32_t nhosts,
	       uint32_t ncases, const struct msh_detect_cfg *cfg,
	       struct msh_verdicts *v);
void msh_verdicts_free(struct msh_verdicts *v);

/* The median of N values (reordered); NAN for none. */
double msh_median(double *v, size_t n);

#endif
