/* SPDX-License-Identifier: MIT */
#ifndef BENCH_COMMANDS_H
#define BENCH_COMMANDS_H

#include <stdbool.h>

/* Each command: argv[0] is the command's name; returns an exit code. */
int bench_cmd_devices(int argc, char **argv);
int bench_cmd_run(int argc, char **argv);
int bench_cmd_serve(int argc, char **argv);
int bench_cmd_gate(int argc, char **argv);
int bench_cmd_report(int argc, char **argv);
int bench_cmd_setup(int argc, char **argv);
int bench_cmd_compare(int argc, char **argv);
int bench_cmd_doctor(int argc, char **argv);

/*
 * Run the readiness checks that concern a command (enum dr_concern), on
 * what SCOPE names, and
 * log each failure with its id and fix line, prefixed by CMD. Returns
 * VFB_EXIT_OK, or VFB_EXIT_ENV when one failed (or PF is not there).
 */
struct vfb_fsroot;
struct bench_gate_scope {
	unsigned concerns;	    /* enum dr_concern */
	const char *pf;		    /* NULL: every PF */
	long want_vfs;		    /* 0: unsaid */
	const char *const *devices; /* the RDMA devices used, when ndevices */
	int ndevices;
};
int bench_doctor_gate(const char *cmd, const struct vfb_fsroot *root,
		      const struct bench_gate_scope *scope);
/* The checks that concern a measurement (DR_FOR_RUN) on the live system,
 * for the N devices DEVS it uses; VFB_EXIT_OK when N is 0. */
int bench_doctor_ready(const char *cmd, const char *const *devs, int n);

/* A kernel driver name as sysfs takes it. */
bool bench_driver_name_ok(const char *name);

#endif
