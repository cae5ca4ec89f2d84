/* SPDX-License-Identifier: MIT */
#ifndef HOST_ENV_H
#define HOST_ENV_H

#include <json-c/json.h>

#include "classify.h"
#include "devinfo.h"
#include "fsroot.h"

/* The run's environment for run.json: host, kernel, rdma-core, CPU, build. */
json_object *host_env_json(const struct vfb_fsroot *root, int argc,
			   char **argv);

/* What `vfbench setup apply` recorded under STATE_DIR, NULL if nothing. */
json_object *host_setup_state_json(const char *state_dir);

#endif
