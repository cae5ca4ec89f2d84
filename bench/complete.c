/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "help.h"
#include "log.h"
#include "manual.h"

/*
 * The bash completion: per command, its options (from the usage its
 * --help renders) and how each value is completed, told by the option:
 * its choices, the words of its metavar ("on|off"), or the kind a
 * metavar word names (DIR, FILE, DEV), a comma list item by item.
 * A command's operands are read the same way from its synopsis.
 */

/* What a metavar's word (or its tail: A_FILE) is completed with. */
static const struct {
	const char *word, *spec;
} kinds[] = {
	{ "DIR", "dirs" },   { "FILE", "files" },     { "PROGRAM", "programs" },
	{ "DEV", "ibdevs" }, { "NETDEV", "netdevs" },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

#define SPEC_MAX 1024

static const char *kind_of(const char *tok, size_t n)
{
	size_t i, k;

	for (i = 0; i < NKINDS; i++) {
		k = strlen(kinds[i].word);
		if (n >= k && !strncmp(tok + n - k, kinds[i].word, k) &&
		    (n == k || tok[n - k - 1] == '_'))
			return kinds[i].spec;
	}
	return NULL;
}

static bool lower_word(const char *tok, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!islower((unsigned char)tok[i]) &&
		    !isdigit((unsigned char)tok[i]) && tok[i] != '_')
			return false;
	return n > 0;
}

/* The shell word 'S' (single-quoted) to F. */
static void sh_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

/* Append the words of WORDS LIST ("a, b" or "a|b") that are lower-case
 * words, and note in *KIND the first word that names a kind. */
static void add_words(const char *list, const char *seps, char *words,
		      size_t len, const char **kind)
{
	size_t used = strlen(words), n;
	const char *s;

	for (s = list; *s; s += n + (s[n] != '\0')) {
		n = strcspn(s, seps);
		if (kind && !*kind)
			*kind = kind_of(s, n);
		if (lower_word(s, n) && used + n + 2 < len)
			used += (size_t)snprintf(words + used, len - used,
						 "%s%.*s", used ? " " : "",
						 (int)n, s);
	}
}

/* How option O's value is completed, into SPEC: "words:a b", "dirs",
 * "ibdevs", ... or "none"; "list," first for a comma list. */
static void value_spec(const struct vfb_opt *o, char *spec, size_t len)
{
	const char *pre = o->type == VFB_OPT_LIST ? "list," : "";
	const char *kind = NULL;
	char words[SPEC_MAX] = "";

	if (o->choices)
		add_words(o->choices(), ", ", words, sizeof(words), NULL);
	else if (o->metavar)
		add_words(o->metavar, "|,[]:. ", words, sizeof(words), &kind);
	if (words[0])
		snprintf(spec, len, "%swords:%s", pre, words);
	else
		snprintf(spec, len, "%s%s", kind ? pre : "",
			 kind ? kind : "none");
}

/* The operands of command CMD, from its SYNOPSIS: the alternatives that
 * head one of its lines ("plan|apply|..." or a line "vfbench CMD
 * discover"), else the kind of its first word (DIR, A_FILE). */
static void operand_spec(const char *cmd, const char *synopsis, char *spec,
			 size_t len)
{
	char line[256], head[128], lead[80], words[SPEC_MAX] = "";
	const char *s, *tok, *kind = NULL;
	bool list = false, cont;
	size_t n, k;

	snprintf(lead, sizeof(lead), "vfbench %s ", cmd);
	for (s = synopsis; *s; s += n + (s[n] == '\n')) {
		n = strcspn(s, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)n, s);
		tok = line + strspn(line, " ");
		cont = !strncmp(tok, lead, strlen(lead));
		tok += cont ? strlen(lead) : 0;
		k = strcspn(tok, " [(");
		if (s == synopsis && !memchr(tok, '|', k))
			kind = kind_of(tok, k);
		if (!cont && !memchr(tok, '|', k))
			continue;
		list = list || !strncmp(tok + k, "[,...]", 6);
		snprintf(head, sizeof(head), "%.*s", (int)k, tok);
		add_words(head, "|", words, sizeof(words), NULL);
	}
	if (words[0])
		snprintf(spec, len, "%swords:%s", list ? "list," : "", words);
	else
		snprintf(spec, len, "%s", kind ? kind : "none");
}

static void comp_names(FILE *f, const struct vfb_opt *o)
{
	if (o->key)
		fprintf(f, "-%c|", o->key);
	fprintf(f, "--%s", o->name);
}

struct comp_ctx {
	FILE *f;
	const char *args; /* the operands' spec, or NULL: the synopsis' */
};

/* Whether option I of U takes a value completed as SPEC (below I:
 * already said). */
static bool same_spec(const struct vfb_usage *u, size_t i, const char *spec)
{
	char other[SPEC_MAX];

	if (u->opts[i].o->type == VFB_OPT_FLAG)
		return false;
	value_spec(u->opts[i].o, other, sizeof(other));
	return !strcmp(other, spec);
}

/* After an option that takes a value: that value, one branch a spec. */
static void comp_values(FILE *f, const struct vfb_usage *u)
{
	char spec[SPEC_MAX];
	size_t i, j;

	for (i = 0; i < u->n; i++) {
		if (u->opts[i].o->type == VFB_OPT_FLAG)
			continue;
		value_spec(u->opts[i].o, spec, sizeof(spec));
		for (j = 0; j < i && !same_spec(u, j, spec); j++)
			;
		if (j < i)
			continue;
		fputs("\t\t", f);
		for (j = i; j < u->n; j++)
			if (same_spec(u, j, spec)) {
				fputs(j > i ? "|" : "", f);
				comp_names(f, u->opts[j].o);
			}
		fputs(") _vfbench_reply ", f);
		sh_quote(f, spec);
		fputs(" \"$cur\"; return ;;\n", f);
	}
}

/* Command U->cmd's branch: a value after an option, else an option or
 * an operand. */
static void comp_command(void *ctx, const struct vfb_usage *u)
{
	const struct comp_ctx *c = ctx;
	char spec[SPEC_MAX];
	FILE *f = c->f;
	size_t i;

	fprintf(f, "\t%s)\n\t\tcase $prev in\n", u->cmd);
	comp_values(f, u);
	fputs("\t\tesac\n\t\topts='", f);
	for (i = 0; i < u->n; i++) {
		if (u->opts[i].o->key)
			fprintf(f, "-%c ", u->opts[i].o->key);
		fprintf(f, "--%s ", u->opts[i].o->name);
	}
	fputs("-h --help'\n\t\targs=", f);
	operand_spec(u->cmd, u->synopsis, spec, sizeof(spec));
	sh_quote(f, c->args ? c->args : spec);
	fputs(" ;;\n", f);
}

static const char comp_head[] =
	"# bash completion for vfbench(1). Generated by 'vfbench help "
	"--completion'\n"
	"# from vfbench's own tables (its commands, their option sets, the "
	"help\n# topics): do not edit, regenerate.\n\n"
	"# Complete CUR by SPEC: words:W..., dirs, files, programs, ibdevs,\n"
	"# netdevs or none; list,SPEC completes the last item of a comma "
	"list.\n"
	"_vfbench_reply()\n{\n"
	"\tlocal spec=$1 cur=$2 pre=\n"
	"\tif [[ $spec == list,* ]]; then\n"
	"\t\tspec=${spec#list,}\n"
	"\t\tif [[ $cur == *,* ]]; then pre=${cur%,*},; cur=${cur##*,}; fi\n"
	"\tfi\n"
	"\tcase $spec in\n"
	"\twords:*) COMPREPLY=($(compgen -P \"$pre\" -W \"${spec#words:}\" "
	"-- \"$cur\")) ;;\n"
	"\tdirs) compopt -o filenames 2>/dev/null\n"
	"\t\tCOMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
	"\tfiles) compopt -o filenames 2>/dev/null\n"
	"\t\tCOMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
	"\tprograms) COMPREPLY=($(compgen -c -- \"$cur\")) ;;\n"
	"\tibdevs) COMPREPLY=($(compgen -P \"$pre\" -W \"$(ls "
	"/sys/class/infiniband 2>/dev/null)\" -- \"$cur\")) ;;\n"
	"\tnetdevs) COMPREPLY=($(compgen -W \"$(ls /sys/class/net "
	"2>/dev/null)\" -- \"$cur\")) ;;\n"
	"\t*) COMPREPLY=() ;;\n"
	"\tesac\n}\n\n"
	"_vfbench()\n{\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	"\tlocal i cmd= opts= args=\n"
	"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	"\t\t[[ ${COMP_WORDS[i]} == -* ]] && continue\n"
	"\t\tcmd=${COMP_WORDS[i]}\n"
	"\t\tbreak\n"
	"\tdone\n"
	"\tcase $cmd in\n";

static const char comp_tail[] =
	"\t*) return ;;\n"
	"\tesac\n"
	"\tif [[ $cur == -* || $args == none ]]; then\n"
	"\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	"\telse\n"
	"\t\t_vfbench_reply \"$args\" \"$cur\"\n"
	"\tfi\n"
	"}\n"
	"complete -F _vfbench vfbench\n";

/* The words: the commands, "help", and with TOPICS the help topics. */
static void name_words(const struct bench_prog *p, bool topics, char *buf,
		       size_t len)
{
	const char *name, *summary;
	size_t i, used = (size_t)snprintf(buf, len, "words:");

	for (i = 0; i < p->ncmds && used < len; i++)
		if (p->cmds[i].fn)
			used += (size_t)snprintf(buf + used, len - used, "%s ",
						 p->cmds[i].name);
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, "help");
	for (i = 0;
	     topics && (name = bench_help_topic(i, &summary)) && used < len;
	     i++)
		used += (size_t)snprintf(buf + used, len - used, " %s", name);
}

static void comp_top(FILE *f, const struct bench_prog *p, const char *words)
{
	size_t i;

	fputs("\t'')\n\t\topts='", f);
	for (i = 0; i < p->ngopts; i++) {
		if (p->gopts[i].key)
			fprintf(f, "-%c ", p->gopts[i].key);
		fprintf(f, "--%s%s", p->gopts[i].name,
			i + 1 < p->ngopts ? " " : "");
	}
	fputs("'\n\t\targs=", f);
	sh_quote(f, words);
	fputs(" ;;\n", f);
}

int bench_completion(FILE *f, const struct bench_prog *p)
{
	char words[SPEC_MAX];
	struct comp_ctx c = { .f = f };
	const char *name = NULL;
	size_t i;
	int ret = 0;

	fputs(comp_head, f);
	name_words(p, false, words, sizeof(words));
	comp_top(f, p, words);
	for (i = 0; i < p->ncmds && !ret; i++)
		if (p->cmds[i].fn)
			ret = bench_cmd_usage(p, name = p->cmds[i].name,
					      comp_command, &c);
	name_words(p, true, words, sizeof(words));
	c.args = words;
	if (!ret)
		ret = bench_cmd_usage(p, name = "help", comp_command, &c);
	if (ret) {
		vfb_err("help --completion: no usage from 'vfbench %s --help'",
			name);
		return ret;
	}
	fputs(comp_tail, f);
	return fflush(f) ? -errno : 0;
}
