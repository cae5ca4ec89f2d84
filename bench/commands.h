/* SPDX-License-Identifier: MIT */
#ifndef BENCH_COMMANDS_H
#define BENCH_COMMANDS_H

/* Each command: argv[0] is the command's name; returns an exit code.
 * One file a command, bench/cmd_NAME.c: it parses, calls a module and
 * renders. */
int bench_cmd_devices(int argc, char **argv);
int bench_cmd_run(int argc, char **argv);
int bench_cmd_serve(int argc, char **argv);
int bench_cmd_share(int argc, char **argv);
int bench_cmd_mesh(int argc, char **argv);
int bench_cmd_gate(int argc, char **argv);
int bench_cmd_report(int argc, char **argv);
int bench_cmd_setup(int argc, char **argv);
int bench_cmd_compare(int argc, char **argv);
int bench_cmd_doctor(int argc, char **argv);
int bench_cmd_validate(int argc, char **argv);

#endif
