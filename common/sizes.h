/* SPDX-License-Identifier: MIT */
#ifndef VFB_SIZES_H
#define VFB_SIZES_H

#include <stddef.h>
#include <stdint.h>

#define VFB_SIZES_MAX 64

struct vfb_sizes {
	size_t n;
	uint64_t v[VFB_SIZES_MAX];
};

/*
 * Parse a size list "2,4096,64K,1M" (suffixes K, M, G: powers of 1024).
 * Sizes must be in [1, 2^31]. Returns 0 or -EINVAL, naming the bad item in
 * ERR (ERRLEN bytes).
 */
int vfb_sizes_parse(const char *s, struct vfb_sizes *out, char *err,
		    size_t errlen);
/* The power-of-two sweep LO..HI (both powers of two), as perftest -a. */
int vfb_sizes_sweep(uint64_t lo, uint64_t hi, struct vfb_sizes *out);
/* Largest size in the list (0 when empty). */
uint64_t vfb_sizes_max(const struct vfb_sizes *s);

#endif
