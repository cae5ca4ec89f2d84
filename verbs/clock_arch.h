/* SPDX-License-Identifier: MIT */
#ifndef VT_CLOCK_ARCH_H
#define VT_CLOCK_ARCH_H

/* The cycle counter of this architecture, kept out of clock.c's bodies. */
#include <stdbool.h>
#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>

static inline uint64_t vt_arch_cycles(void)
{
	return __rdtsc();
}

/* CPUID 0x80000007 EDX bit 8: the TSC ticks at a constant rate. */
static inline bool vt_arch_invariant_tsc(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(0x80000007, &a, &b, &c, &d))
		return false;
	return d & (1u << 8);
}
#else
static inline uint64_t vt_arch_cycles(void)
{
	return 0;
}

static inline bool vt_arch_invariant_tsc(void)
{
	return false;
}
#endif

#endif
