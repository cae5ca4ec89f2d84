/* SPDX-License-Identifier: MIT */
#ifndef BENCH_COMMANDS_H
#define BENCH_COMMANDS_H

#include <stddef.h>

/* A command of vfbench: an entry of main()'s dispatch table. */
struct bench_cmd {
	const char *name;
	int (*fn)(int argc, char **argv); /* NULL: not built yet */
	const char *summary;
};

/* An option of vfbench itself, before the command (--version, -v). */
struct bench_gopt {
	const char *name; /* long name, without "--" */
	char key;	  /* short option, or 0 */
	const char *help;
	int id; /* what main() does with it */
};

/* vfbench as main() has it: what 'vfbench help', the man pages and the
 * completion are made of (bench/help.c, bench/manual.c). */
struct bench_prog {
	const char *version;
	const struct bench_cmd *cmds;
	size_t ncmds;
	const struct bench_gopt *gopts;
	size_t ngopts;
};

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
int bench_cmd_health(int argc, char **argv);
int bench_cmd_qualify(int argc, char **argv);
int bench_cmd_drill(int argc, char **argv);

#endif
