/* SPDX-License-Identifier: MIT */
#ifndef MSH_ADAPTIVE_H
#define MSH_ADAPTIVE_H

#include <stdint.h>

#include "detect.h"
#include "schedule.h"

/* The adaptive schedule's later rounds (group testing): after its
 * random rounds, each round is decided from the verdicts over every row
 * so far. A suspect host (or one not yet judged) is measured against
 * hosts already judged good, a different one each time, until it has
 * MSH_ADAPT_PROBES such pairs: the detector then names it (its pairs with
 * good hosts are slow too) or clears it. A slow pair of two good hosts
 * is measured again until the detector confirms the link (slow 3 times
 * and most times) or it has been fast twice. A round with no pair ends the schedule. */
#define MSH_ADAPT_PROBES     4
#define MSH_ADAPT_FIRST	     6	/* random rounds first */
#define MSH_ADAPT_MAX_ROUNDS 12 /* later rounds at most */

struct msh_adapt {
	uint32_t nhosts;
	uint8_t *probes; /* by host: pairs with good hosts so far */
	uint32_t cursor; /* where the search for a good partner goes on */
	uint32_t rounds; /* later rounds so far */
	uint64_t seed;
};

int msh_adapt_init(struct msh_adapt *a, uint32_t nhosts, uint64_t seed);
void msh_adapt_free(struct msh_adapt *a);

/* The next round into OUT (room for nhosts pairs) from V: its pair
 * count, 0 once every suspect is named or cleared and every link
 * confirmed or not (or MSH_ADAPT_MAX_ROUNDS are done). */
uint32_t msh_adapt_round(struct msh_adapt *a, const struct msh_verdicts *v,
			 struct msh_pair *out);

#endif
