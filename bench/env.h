/* SPDX-License-Identifier: MIT */
#ifndef BENCH_ENV_H
#define BENCH_ENV_H

#include <json-c/json.h>

#include "classify.h"
#include "devinfo.h"
#include "fsroot.h"

/* The run's environment for run.json: host, kernel, rdma-core, CPU, build. */
json_object *bench_env_json(const struct vfb_fsroot *root, int argc,
			    char **argv);
/* One device as `vfbench devices --json` shows it (shared with it). */
json_object *bench_device_json(const struct vfb_fsroot *root,
			       const struct vt_devinfo *d,
			       const struct bench_devclass *dc);

/* What `vfbench setup apply` recorded under STATE_DIR, NULL if nothing. */
json_object *bench_setup_state_json(const char *state_dir);

#endif
