/* SPDX-License-Identifier: MIT */
#ifndef VFB_OPT_H
#define VFB_OPT_H

#include <stddef.h>
#include <stdio.h>

/*
 * One option table per command drives parsing, range checks and --help,
 * as fio's struct fio_option does. Each entry stores into a field of the
 * command's config struct, found by offset.
 */
enum vfb_opt_type {
	VFB_OPT_FLAG, /* bool, set to true */
	VFB_OPT_STR,  /* const char *, points into argv */
	VFB_OPT_LONG, /* long, checked against [min, max] */
	VFB_OPT_PORT, /* const char *, a TCP port 1..65535 */
	VFB_OPT_PEER, /* const char *, HOST, HOST:PORT or [IPv6]:PORT */
	VFB_OPT_LIST, /* const char *, a comma list without empty items */
};

struct vfb_opt {
	const char *name; /* long name, without "--" */
	char key;	  /* short option, or 0 */
	enum vfb_opt_type type;
	size_t offset; /* offsetof(config, field) */
	const char *metavar;
	const char *help;
	long min, max;	  /* VFB_OPT_LONG; VFB_OPT_LIST: max, when set, the
			* longest list taken (the reader's buffer), never cut */
	unsigned int cat; /* its category: a set takes it when its mask has
			   * one of these bits; 0: every set of the table */
	/* The values it takes, from their registry (see the table), for
	 * --help: so that no help text names a table's entries. */
	const char *(*choices)(void);
};

/* What one command says of a shared option: its default, its use. */
struct vfb_opt_note {
	const char *name; /* the option's long name; NULL ends the list */
	const char *help; /* printed instead of the table's help */
};

/*
 * An option set, as fio's categories: a table, the offset of the struct
 * its entries store into within the command's config (a command embeds
 * the struct of a shared table, such as the measurement options), the
 * categories it takes (0: all), and the command's notes (may be NULL).
 * One command parses several sets at once; a long name or a key given
 * by two of them is a programming error (-EEXIST, logged).
 */
struct vfb_optset {
	const struct vfb_opt *tab;
	size_t base;
	unsigned int mask;
	const struct vfb_opt_note *notes;
};

#define VFB_OPT_END                                                            \
	{                                                                      \
		.name = NULL                                                   \
	}

/* One option as a command's --help lists it: the entry, and the help
 * its set gives it (the command's note, else the table's). */
struct vfb_opt_item {
	const struct vfb_opt *o;
	const char *help;
};

/* What --help describes: the command, its synopsis, its N options. */
struct vfb_usage {
	const char *cmd, *synopsis;
	const struct vfb_opt_item *opts;
	size_t n;
};

/*
 * How --help is rendered. By default as text to stdout; with FN set, FN
 * gets the usage instead (and CTX back): the man page and completion
 * generators (bench/manual.c) describe each command from the very tables
 * it parses with. FN NULL: text again.
 */
typedef void vfb_usage_fn(void *ctx, const struct vfb_usage *u);
void vfb_opt_set_renderer(vfb_usage_fn *fn, void *ctx);

/*
 * Every option that takes a value refuses an empty one. VFB_OPT_LONG
 * takes decimal or 0x-prefixed hex (a leading 0 is decimal, never
 * octal), no blanks, nothing after the digits.
 *
 * Parse ARGV (argv[0] is the command name) into CFG. Returns the index of
 * the first operand, 0 when --help was given (usage already printed to
 * stdout), or -EINVAL after printing one error line naming the option.
 */
int vfb_opt_parse(const struct vfb_opt *tab, const char *cmd,
		  const char *synopsis, int argc, char **argv, void *cfg);
void vfb_opt_usage(FILE *f, const struct vfb_opt *tab, const char *cmd,
		   const char *synopsis);
/* The same for the N sets SETS, their options in the order given. */
int vfb_opt_parse_sets(const struct vfb_optset *sets, size_t n, const char *cmd,
		       const char *synopsis, int argc, char **argv, void *cfg);
void vfb_opt_usage_sets(FILE *f, const struct vfb_optset *sets, size_t n,
			const char *cmd, const char *synopsis);

/*
 * The number parsers every command uses, so that each option is checked
 * alike: 0, or -EINVAL for an empty string, blanks, trailing characters
 * or a value that does not fit. vfb_num_parse takes decimal notation
 * only (1, 0.5, 2e-3), and refuses nan, inf, hex and values that
 * overflow or underflow a double; the caller checks the range.
 */
int vfb_long_parse(const char *s, long *v);
int vfb_num_parse(const char *s, double *v);
/* S is a comma list with at least one item and no empty one. */
int vfb_list_check(const char *s);

/* A TCP port in decimal, 1..65535: 0, or -EINVAL. */
int vfb_port_check(const char *s);
/*
 * Split PEER (HOST, HOST:PORT, [IPv6]:PORT, or a bare IPv6 address) into
 * HOST and PORT (DEFPORT when none is given). -EINVAL: empty host, a
 * port that is not 1..65535, or a result that does not fit.
 */
int vfb_peer_split(const char *peer, const char *defport, char *host, size_t hl,
		   char *port, size_t pl);

#endif
