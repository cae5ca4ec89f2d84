/* SPDX-License-Identifier: MIT */
#ifndef HL_HEALTH_LIVE_H
#define HL_HEALTH_LIVE_H

#include <stdbool.h>

#include "health.h"

/* The ops of the live system (LIVE), or of a captured tree: its checks
 * read the tree, no probe runs, programs (scontrol) are run. */
const struct hl_ops *hl_live_ops(bool live);

#endif
