/* SPDX-License-Identifier: MIT */
#ifndef MSH_SCHEDULE_H
#define MSH_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Who measures whom in a mesh, round by round. A round's pairs run at the
 * same time; `src` is the client (it drives the test), `dst` serves.
 *
 * A generated schedule is held as its kind and host count, and each
 * round is computed when asked for: 10,000 hosts make 50 million pairs,
 * which no rank needs to hold or exchange. A file's schedule is held as
 * read. */
struct msh_pair {
	uint32_t src, dst;
};

struct msh_schedule;

/* Resolves a host named in a schedule file to its rank; -ENOENT. */
typedef int (*msh_sched_lookup_fn)(void *ctx, const char *name, uint32_t *rank);

struct msh_sched_kind {
	const char *name;
	const char *help;
	/* Promises the unit tests hold every kind to: no host in two pairs
	 * of one round; every unordered pair of hosts exactly once. */
	bool disjoint;
	bool every_pair_once;
	/* Its rounds are read from a plan file (--schedule-file, parsed by
	 * msh_sched_parse); msh_sched_init refuses it. */
	bool from_file;
	/* Its rounds are drawn from a seed: --rounds and --seed apply;
	 * DEFAULT_ROUNDS without --rounds. */
	bool seeded;
	uint32_t default_rounds;
	/* After its rounds, rank 0 decides more from the rows so far
	 * (adaptive.h) and publishes them. */
	bool adaptive;
	/* Rounds for N hosts (a file's: as read). */
	uint32_t (*rounds)(const struct msh_schedule *s);
	/* Fills OUT (room for nhosts pairs) with round R; its pair count. */
	uint32_t (*round)(const struct msh_schedule *s, uint32_t r,
			  struct msh_pair *out);
};

struct msh_schedule {
	const struct msh_sched_kind *kind;
	uint32_t nhosts;
	/* a seeded kind: its rounds and the seed they are drawn from */
	uint32_t nrounds;
	uint64_t seed;
	/* a seeded kind over a fabric (msh_sched_leaves): each host's leaf
	 * switch; its odd rounds pair hosts within their leaf */
	const uint32_t *leaf;
	uint32_t nleaves;
	uint32_t *scratch;
	/* a kind read from a file only: rounds as read, round r is
	 * pairs[start[r] .. start[r + 1]) */
	uint32_t nfile_rounds;
	uint32_t *start;
	struct msh_pair *pairs;
};

/* Every kind, in table order (help, docs, the tests of each promise). */
const struct msh_sched_kind *msh_sched_kinds(size_t *n);
const struct msh_sched_kind *msh_sched_kind_find(const char *name);
/* The kinds' names, for --help (see the table), joined by ", ". */
const char *msh_sched_kind_names(void);
/* The names of the kinds read from a file, for messages, joined by "|". */
const char *msh_sched_file_kind_names(void);
/* The names of the seeded kinds, for messages, joined by "|". */
const char *msh_sched_seeded_kind_names(void);

/* A generated kind for NHOSTS (>= 2): 0 or -EINVAL (a kind read from a
 * file as well). */
int msh_sched_init(struct msh_schedule *s, const char *kind, uint32_t nhosts,
		   char *err, size_t len);

/* A seeded kind's rounds, unless --rounds says: enough for a host's
 * median over its pairs to stand on 10 of them (docs/methods.md). */
#define MSH_SCHED_ROUNDS 10

/* A seeded kind's ROUNDS (0: its default_rounds) and SEED; other kinds
 * ignore both. */
void msh_sched_seed(struct msh_schedule *s, uint32_t rounds, uint64_t seed);

/* A seeded kind over a fabric: LEAF[h] is host h's leaf switch (below
 * NLEAVES, or UINT32_MAX for none), kept by reference. Its even rounds
 * stay random matchings of the whole fleet (they cross the switches and
 * their uplinks), its odd rounds match each leaf's hosts among
 * themselves (the leftovers of odd leaves across them), so that a
 * switch's hosts are seen within it as well as across it. 0 or
 * -ENOMEM. */
int msh_sched_leaves(struct msh_schedule *s, const uint32_t *leaf,
		     uint32_t nleaves);

/* The seed a job draws its rounds from when --seed is not given: every
 * rank computes the same from the job's name (its PMIx namespace), and
 * run.json records it. */
uint64_t msh_sched_default_seed(const char *job);

/* KIND, a kind read from a file, from TEXT: one round per line, pairs
 * separated by blanks, a pair is SRC:DST (ranks or host names that
 * LOOKUP resolves), '#' starts a comment. 0, or -EINVAL with "line N:
 * ..." in ERR (or KIND named, when it is not read from a file). */
int msh_sched_parse(struct msh_schedule *s, const char *kind, const char *text,
		    uint32_t nhosts, msh_sched_lookup_fn lookup, void *ctx,
		    char *err, size_t len);

static inline uint32_t msh_sched_rounds(const struct msh_schedule *s)
{
	return s->kind->rounds(s);
}

static inline uint32_t msh_sched_round(const struct msh_schedule *s, uint32_t r,
				       struct msh_pair *out)
{
	return s->kind->round(s, r, out);
}

/* Checks the kind's promises over every round (a bitmap of nhosts^2/2
 * bits): 0, or -EINVAL with the first broken promise in ERR. */
int msh_sched_check(const struct msh_schedule *s, char *err, size_t len);

void msh_sched_free(struct msh_schedule *s);

#endif
