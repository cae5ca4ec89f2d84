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

/* A kernel driver name as sysfs takes it. */
bool bench_driver_name_ok(const char *name);

#endif
