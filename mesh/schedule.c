/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"

/* pairs: the round-robin tournament by the circle method. With M hosts
 * (N, or N + 1 for odd N, the extra one being the bye), host M-1 stays
 * put and the others turn: in round r it meets r, and r+i meets r-i
 * (mod M-1) for i = 1 .. M/2-1. M-1 rounds of M/2 disjoint pairs; every
 * unordered pair meets exactly once. Who drives alternates, so that each
 * host is the client in about half of its pairs. */
static uint32_t pairs_m(const struct msh_schedule *s)
{
	return s->nhosts + (s->nhosts & 1);
}

static uint32_t pairs_rounds(const struct msh_schedule *s)
{
	return pairs_m(s) - 1;
}

static uint32_t pairs_round(const struct msh_schedule *s, uint32_t r,
			    struct msh_pair *out)
{
	uint32_t i;
	uint32_t m = pairs_m(s), k = m - 1, n = 0;
	uint32_t a = r, b = r;

	if (m - 1 < s->nhosts) /* even N: no bye */
		out[n++] = (r & 1) ? (struct msh_pair){ m - 1, r } :
				     (struct msh_pair){ r, m - 1 };
	for (i = 1; i < m / 2; i++) {
		a = a + 1 == k ? 0 : a + 1; /* r + i */
		b = b == 0 ? k - 1 : b - 1; /* r - i */
		out[n++] = (i & 1) ? (struct msh_pair){ a, b } :
				     (struct msh_pair){ b, a };
	}
	return n;
}

/* ring: every host drives a test to its successor, all at once. */
static uint32_t ring_rounds(const struct msh_schedule *s)
{
	(void)s;
	return 1;
}

static uint32_t ring_round(const struct msh_schedule *s, uint32_t r,
			   struct msh_pair *out)
{
	uint32_t i;

	(void)r;
	for (i = 0; i < s->nhosts; i++)
		out[i] = (struct msh_pair){ i, (i + 1) % s->nhosts };
	return s->nhosts;
}

/* random: round r is a perfect matching drawn from (seed, r) alone, so
 * that every rank computes the same round without holding the others.
 * The hosts are shuffled (Fisher-Yates, splitmix64) and paired in turn;
 * with odd N, host r mod N sits the round out. The permutation is built
 * in the upper half of OUT (room for N pairs is 2N words), the pairs in
 * the lower half, which it never overtakes. */
static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t random_rounds(const struct msh_schedule *s)
{
	return s->nrounds;
}

/* An odd round over a fabric: PERM (N shuffled hosts) sorted by leaf,
 * stably, each leaf's hosts paired in turn, the leftovers of each leaf
 * (back into PERM) paired across. */
static uint32_t leaf_round(const struct msh_schedule *s, uint32_t *perm,
			   uint32_t n, struct msh_pair *out)
{
	uint32_t i, l, np = 0, left = 0, nl = s->nleaves + 1;
	uint32_t *sorted = s->scratch, *cnt = s->scratch + s->nhosts;

	memset(cnt, 0, (nl + 1) * sizeof(*cnt));
	for (i = 0; i < n; i++) {
		l = s->leaf[perm[i]] < s->nleaves ? s->leaf[perm[i]] : nl - 1;
		cnt[l + 1]++;
	}
	for (l = 0; l < nl; l++)
		cnt[l + 1] += cnt[l];
	for (i = 0; i < n; i++) {
		l = s->leaf[perm[i]] < s->nleaves ? s->leaf[perm[i]] : nl - 1;
		sorted[cnt[l]++] = perm[i];
	}
	for (i = 0, l = 0; l < nl; l++) { /* cnt[l]: where leaf l ends */
		for (; i + 1 < cnt[l] && l < nl - 1; i += 2)
			out[np++] =
				(struct msh_pair){ sorted[i], sorted[i + 1] };
		for (; i < cnt[l]; i++)
			perm[left++] = sorted[i];
	}
	for (i = 0; i + 1 < left; i += 2)
		out[np++] = (struct msh_pair){ perm[i], perm[i + 1] };
	return np;
}

static uint32_t random_round(const struct msh_schedule *s, uint32_t r,
			     struct msh_pair *out)
{
	uint32_t i, j, t, n = 0, h = s->nhosts;
	uint32_t idle = (h & 1) ? r % h : h;
	uint32_t *perm = (uint32_t *)out + h;
	uint64_t x = s->seed ^ (0xd1b54a32d192ed03ull * (r + 1ull));

	for (i = 0; i < h; i++)
		if (i != idle)
			perm[n++] = i;
	for (i = n - 1; i > 0; i--) {
		j = (uint32_t)(splitmix(&x) % (i + 1ull));
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	if (s->leaf && (r & 1))
		return leaf_round(s, perm, n, out);
	for (i = 0; i + 1 < n; i += 2)
		out[i / 2] = (struct msh_pair){ perm[i], perm[i + 1] };
	return n / 2;
}

static uint32_t file_rounds(const struct msh_schedule *s)
{
	return s->nfile_rounds;
}

static uint32_t file_round(const struct msh_schedule *s, uint32_t r,
			   struct msh_pair *out)
{
	uint32_t n = s->start[r + 1] - s->start[r];

	memcpy(out, s->pairs + s->start[r], n * sizeof(*out));
	return n;
}

static const struct msh_sched_kind kinds[] = {
	{ .name = "pairs",
	  .help = "round-robin tournament: N-1 rounds of N/2 disjoint pairs "
		  "(a bye for odd N), every pair once",
	  .disjoint = true,
	  .every_pair_once = true,
	  .rounds = pairs_rounds,
	  .round = pairs_round },
	{ .name = "ring",
	  .help = "every host to its successor, all at once",
	  .rounds = ring_rounds,
	  .round = ring_round },
	{ .name = "random",
	  .help = "--rounds K seeded random perfect matchings (default 10): "
		  "every host busy every round (odd N: one idle, in turn); "
		  "--seed S repeats a run",
	  .disjoint = true,
	  .seeded = true,
	  .default_rounds = MSH_SCHED_ROUNDS,
	  .rounds = random_rounds,
	  .round = random_round },
	{ .name = "adaptive",
	  .help = "--rounds K random rounds (default 6), then rounds rank 0 "
		  "decides from the rows: each suspect host against hosts "
		  "judged good, each slow pair again, until named or "
		  "cleared (12 more at most)",
	  .disjoint = true,
	  .seeded = true,
	  .default_rounds = 6, /* MSH_ADAPT_FIRST */
	  .adaptive = true,
	  .rounds = random_rounds,
	  .round = random_round },
	{ .name = "file",
	  .help = "rounds of explicit pairs from --schedule-file",
	  .from_file = true,
	  .rounds = file_rounds,
	  .round = file_round },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

const struct msh_sched_kind *msh_sched_kinds(size_t *n)
{
	*n = NKINDS;
	return kinds;
}

const struct msh_sched_kind *msh_sched_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}

const char *msh_sched_kind_names(void)
{
	size_t i;
	static char names[64];

	if (!names[0])
		for (i = 0; i < NKINDS; i++)
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", kinds[i].name);
	return names;
}

static const char *kind_names(char *names, size_t len, bool seeded)
{
	size_t i;

	if (!names[0])
		for (i = 0; i < NKINDS; i++)
			if (seeded ? kinds[i].seeded : kinds[i].from_file)
				snprintf(names + strlen(names),
					 len - strlen(names), "%s%s",
					 names[0] ? "|" : "", kinds[i].name);
	return names;
}

const char *msh_sched_file_kind_names(void)
{
	static char names[64];

	return kind_names(names, sizeof(names), false);
}

const char *msh_sched_seeded_kind_names(void)
{
	static char names[64];

	return kind_names(names, sizeof(names), true);
}

int msh_sched_init(struct msh_schedule *s, const char *kind, uint32_t nhosts,
		   char *err, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->kind = msh_sched_kind_find(kind);
	if (!s->kind || s->kind->from_file) {
		snprintf(err, len, "schedule '%s': not one of %s", kind,
			 msh_sched_kind_names());
		s->kind = NULL;
		return -EINVAL;
	}
	if (nhosts < 2) {
		snprintf(err, len, "schedule %s: %u host%s, a mesh needs 2",
			 kind, nhosts, nhosts == 1 ? "" : "s");
		return -EINVAL;
	}
	s->nhosts = nhosts;
	msh_sched_seed(s, 0, 1);
	return 0;
}

void msh_sched_seed(struct msh_schedule *s, uint32_t rounds, uint64_t seed)
{
	s->nrounds = rounds ? rounds : s->kind->default_rounds;
	s->seed = seed;
}

int msh_sched_leaves(struct msh_schedule *s, const uint32_t *leaf,
		     uint32_t nleaves)
{
	free(s->scratch);
	s->scratch =
		malloc(((size_t)s->nhosts + nleaves + 2) * sizeof(*s->scratch));
	if (!s->scratch)
		return -ENOMEM;
	s->leaf = leaf;
	s->nleaves = nleaves;
	return 0;
}

/* FNV-1a of the job's name, folded below 2^32 so that --seed takes it
 * back as written in run.json. */
uint64_t msh_sched_default_seed(const char *job)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *job; job++)
		h = (h ^ (unsigned char)*job) * 0x100000001b3ull;
	return (h ^ (h >> 32)) & 0xffffffffull;
}

/* One end of a pair: a rank number or a host name. */
static int parse_end(const char *tok, size_t n, uint32_t nhosts,
		     msh_sched_lookup_fn lookup, void *ctx, uint32_t *rank,
		     char *err, size_t len)
{
	char name[256], *end;
	unsigned long v;

	if (!n || n >= sizeof(name)) {
		snprintf(err, len, "'%.*s': a pair is SRC:DST", (int)n, tok);
		return -EINVAL;
	}
	memcpy(name, tok, n);
	name[n] = '\0';
	errno = 0;
	v = strtoul(name, &end, 10);
	if (isdigit((unsigned char)name[0]) && !*end && !errno) {
		if (v >= nhosts) {
			snprintf(err, len, "rank %.64s: the mesh has %u (0-%u)",
				 name, nhosts, nhosts - 1);
			return -EINVAL;
		}
		*rank = (uint32_t)v;
		return 0;
	}
	if (!lookup || lookup(ctx, name, rank)) {
		snprintf(err, len, "host '%.64s' is not in the mesh", name);
		return -EINVAL;
	}
	return 0;
}

static int grow(struct msh_schedule *s, uint32_t npairs, size_t *cap)
{
	void *p;

	if (npairs < *cap)
		return 0;
	*cap = *cap ? 2 * *cap : 64;
	p = realloc(s->pairs, *cap * sizeof(*s->pairs));
	if (!p)
		return -ENOMEM;
	s->pairs = p;
	return 0;
}

static int add_round(struct msh_schedule *s, uint32_t npairs)
{
	uint32_t *p = realloc(s->start, (s->nfile_rounds + 2) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	s->start = p;
	if (!s->nfile_rounds)
		s->start[0] = 0;
	s->start[++s->nfile_rounds] = npairs;
	return 0;
}

/* The pairs of one line, appended from PAIRS[*N]. */
static int parse_line(struct msh_schedule *s, const char *line, size_t ll,
		      uint32_t *npairs, size_t *cap, msh_sched_lookup_fn lookup,
		      void *ctx, char *err, size_t len)
{
	uint32_t i;
	const char *p = line, *end = line + ll;
	uint32_t first = *npairs;
	int ret;

	while (p < end) {
		const char *tok, *colon;
		struct msh_pair pr;

		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p == end || *p == '#')
			break;
		tok = p;
		while (p < end && !isspace((unsigned char)*p) && *p != '#')
			p++;
		colon = memchr(tok, ':', (size_t)(p - tok));
		if (!colon) {
			snprintf(err, len, "'%.*s': a pair is SRC:DST",
				 (int)(p - tok), tok);
			return -EINVAL;
		}
		ret = parse_end(tok, (size_t)(colon - tok), s->nhosts, lookup,
				ctx, &pr.src, err, len);
		if (!ret)
			ret = parse_end(colon + 1, (size_t)(p - colon - 1),
					s->nhosts, lookup, ctx, &pr.dst, err,
					len);
		if (ret)
			return ret;
		if (pr.src == pr.dst) {
			snprintf(err, len, "'%.*s': a host paired with itself",
				 (int)(p - tok), tok);
			return -EINVAL;
		}
		for (i = first; i < *npairs; i++)
			if (s->pairs[i].src == pr.src) {
				snprintf(err, len,
					 "'%.*s': rank %u drives two pairs in "
					 "one round",
					 (int)(p - tok), tok, pr.src);
				return -EINVAL;
			}
		if ((ret = grow(s, *npairs, cap)))
			return ret;
		s->pairs[(*npairs)++] = pr;
	}
	return 0;
}

int msh_sched_parse(struct msh_schedule *s, const char *kind, const char *text,
		    uint32_t nhosts, msh_sched_lookup_fn lookup, void *ctx,
		    char *err, size_t len)
{
	uint32_t npairs = 0, lineno = 0, before;
	size_t cap = 0;
	const char *p = text;
	char why[256];
	int ret = 0;

	memset(s, 0, sizeof(*s));
	s->kind = msh_sched_kind_find(kind);
	if (!s->kind || !s->kind->from_file) {
		snprintf(err, len, "schedule '%s': not one of %s", kind,
			 msh_sched_file_kind_names());
		s->kind = NULL;
		return -EINVAL;
	}
	s->nhosts = nhosts;
	while (*p && !ret) {
		size_t ll = strcspn(p, "\n");

		lineno++;
		before = npairs;
		ret = parse_line(s, p, ll, &npairs, &cap, lookup, ctx, why,
				 sizeof(why));
		if (ret == -EINVAL)
			snprintf(err, len, "line %u: %s", lineno, why);
		else if (!ret && npairs > before)
			ret = add_round(s, npairs);
		p += ll + (p[ll] == '\n');
	}
	if (!ret && !s->nfile_rounds) {
		snprintf(err, len, "no pairs in it");
		ret = -EINVAL;
	}
	if (ret == -ENOMEM)
		snprintf(err, len, "%s", strerror(ENOMEM));
	if (ret)
		msh_sched_free(s);
	return ret;
}

/* The promises: every end a host of the mesh, nobody paired with
 * itself or driving twice in a round; then the kind's own. */
static int check_round(const struct msh_schedule *s, uint32_t r,
		       const struct msh_pair *p, uint32_t n, uint32_t *seen,
		       uint8_t *met, uint64_t *total, char *err, size_t len)
{
	uint32_t i;
	uint32_t h = s->nhosts, stamp = 2 * r + 1;

	for (i = 0; i < n; i++) {
		uint32_t a = p[i].src, b = p[i].dst, lo, hi;
		uint64_t bit;

		if (a >= h || b >= h || a == b) {
			snprintf(err, len, "round %u: pair %u:%u", r, a, b);
			return -EINVAL;
		}
		if (seen[a] == stamp + 1 ||
		    (s->kind->disjoint &&
		     (seen[a] >= stamp || seen[b] >= stamp))) {
			snprintf(err, len, "round %u: host %u in two pairs", r,
				 seen[a] >= stamp ? a : b);
			return -EINVAL;
		}
		seen[a] = stamp + 1; /* drives */
		if (seen[b] < stamp)
			seen[b] = stamp;
		if (!s->kind->every_pair_once)
			continue;
		lo = a < b ? a : b;
		hi = a < b ? b : a;
		bit = (uint64_t)lo * h + hi;
		if (met[bit >> 3] & (1u << (bit & 7))) {
			snprintf(err, len, "round %u: %u and %u meet again", r,
				 lo, hi);
			return -EINVAL;
		}
		met[bit >> 3] |= (uint8_t)(1u << (bit & 7));
		(*total)++;
	}
	return 0;
}

int msh_sched_check(const struct msh_schedule *s, char *err, size_t len)
{
	uint32_t r;
	uint32_t h = s->nhosts, nr = msh_sched_rounds(s);
	uint64_t total = 0, want = (uint64_t)h * (h - 1) / 2;
	struct msh_pair *p = calloc(h, sizeof(*p));
	uint32_t *seen = calloc(h, sizeof(*seen));
	uint8_t *met = NULL;
	int ret = 0;

	if (s->kind->every_pair_once)
		met = calloc((size_t)h * h / 8 + 1, 1);
	if (!p || !seen || (s->kind->every_pair_once && !met))
		ret = -ENOMEM;
	for (r = 0; r < nr && !ret; r++)
		ret = check_round(s, r, p, msh_sched_round(s, r, p), seen, met,
				  &total, err, len);
	if (!ret && s->kind->every_pair_once && total != want) {
		snprintf(err, len, "%llu of %llu pairs met",
			 (unsigned long long)total, (unsigned long long)want);
		ret = -EINVAL;
	}
	free(met);
	free(seen);
	free(p);
	return ret;
}

void msh_sched_free(struct msh_schedule *s)
{
	free(s->start);
	free(s->pairs);
	free(s->scratch);
	s->scratch = NULL;
	s->leaf = NULL;
	s->start = NULL;
	s->pairs = NULL;
	s->nfile_rounds = 0;
}
