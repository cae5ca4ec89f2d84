/* SPDX-License-Identifier: MIT */
/* The drill's live ops: sysfs through the host's root, a VF's link state
 * over rtnetlink (setup's). */
#include <time.h>

#include "drill.h"
#include "fsroot.h"
#include "nl.h"

static int live_write(void *ctx, const char *path, const char *val)
{
	return vfb_fs_write(ctx, path, val);
}

static int live_read(void *ctx, const char *path, char *buf, size_t len)
{
	return vfb_fs_read(ctx, path, buf, len);
}

static bool live_exists(void *ctx, const char *path)
{
	return vfb_fs_exists(ctx, path);
}

static int live_link_get(void *ctx, const char *pf, unsigned int vf)
{
	struct sup_vf_state st;
	int ret = sup_nl_vf_get(pf, vf, &st);

	(void)ctx;
	return ret ? ret : st.link_state;
}

static int live_link_set(void *ctx, const char *pf, unsigned int vf, int state)
{
	const struct sup_vf_value v = { .attr = SUP_VF_LINK_STATE,
					.u64 = (uint64_t)state };

	(void)ctx;
	return sup_nl_vf_set(pf, vf, &v);
}

static const volatile int *live_abort;

/* In steps of 20 ms, so that a signal ends a long hold. */
static void live_sleep(void *ctx, unsigned int ms)
{
	struct timespec ts = { 0, 20 * 1000000L };
	unsigned int done;

	(void)ctx;
	for (done = 0; done < ms && !(live_abort && *live_abort); done += 20)
		nanosleep(&ts, NULL);
}

void drl_sys_live(struct drl_sys *sys, struct vfb_fsroot *root,
		  const volatile int *abort)
{
	live_abort = abort;
	*sys = (struct drl_sys){ .write = live_write,
				 .read = live_read,
				 .exists = live_exists,
				 .vf_link_get = live_link_get,
				 .vf_link_set = live_link_set,
				 .sleep_ms = live_sleep,
				 .ctx = root,
				 .abort = abort };
}
