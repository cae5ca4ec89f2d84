/* SPDX-License-Identifier: MIT */
/*
 * What a test pins, checked against the host's memlock limit before
 * anything is registered: a registration over the limit fails deep in
 * ibv_reg_mr with a bare "Cannot allocate memory".
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "test.h"

uint64_t vt_pin_bytes(uint64_t max_size, unsigned int qps)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	return (uint64_t)qps * 2 * ((max_size + page - 1) / page * page);
}

static void mib(char *buf, size_t len, uint64_t bytes)
{
	if (bytes % (1 << 20) == 0)
		snprintf(buf, len, "%llu MiB",
			 (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, len, "%.1f MiB", (double)bytes / (1 << 20));
}

int vt_pin_fits(uint64_t max_size, unsigned int qps, uint64_t limit,
		bool can_exceed, char *err, size_t errlen)
{
	uint64_t need = vt_pin_bytes(max_size, qps);
	char n[32], l[32], s[32];

	if (can_exceed || limit == (uint64_t)RLIM_INFINITY || need <= limit)
		return 0;
	mib(n, sizeof(n), need);
	mib(l, sizeof(l), limit);
	mib(s, sizeof(s), vt_pin_bytes(max_size, 1) / 2);
	snprintf(err, errlen,
		 "buffers of %s (%u QP%s x 2 x %s) are over the memlock limit "
		 "of %s: raise 'ulimit -l' (or memlock in "
		 "/etc/security/limits.conf), or ask for smaller sizes or "
		 "fewer QPs",
		 n, qps, qps == 1 ? "" : "s", s, l);
	return -ENOMEM;
}

/* CAP_IPC_LOCK: the process may pin past its limit. */
static bool can_lock_past_limit(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_IPC_LOCK / 32].effective & (1u << (CAP_IPC_LOCK % 32));
}

int vt_pin_check(uint64_t max_size, unsigned int qps, char *err, size_t errlen)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return 0; /* not known: registration says */
	return vt_pin_fits(max_size, qps, (uint64_t)rl.rlim_cur,
			   can_lock_past_limit(), err, errlen);
}
