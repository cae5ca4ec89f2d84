/* SPDX-License-Identifier: MIT */
#ifndef VFB_EXITCODE_H
#define VFB_EXITCODE_H

/* Process exit codes, the same for every vfbench command. */
enum vfb_exit {
	VFB_EXIT_OK = 0,    /* success */
	VFB_EXIT_FAIL = 1,  /* a gate or a test failed */
	VFB_EXIT_USAGE = 2, /* bad usage or bad input */
	VFB_EXIT_ENV = 3,   /* environment: no device, no permission */
};

#endif
