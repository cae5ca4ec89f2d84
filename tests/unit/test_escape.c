/* SPDX-License-Identifier: MIT */
/* report/escape.c and report/outfile.c: names from another host into
 * gnuplot, XML, Markdown and file names; outputs never through a link. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "outfile.h"
#include "results.h"
#include "suites.h"

#define FFFD "\xef\xbf\xbd"

typedef void (*stream_esc)(FILE *f, const char *s);

static char *through(stream_esc esc, const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	esc(f, s);
	fclose(f);
	return buf;
}

static void test_xml(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "write_lat", "write_lat" },
		{ "a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&#39;f" },
		{ "t\tn\nr\r", "t&#9;n&#10;r&#13;" },
		{ "\x01\x1b[31m\x7f", FFFD FFFD "[31m" FFFD },
		{ "\xc2\x85", FFFD },		    /* C1 control */
		{ "\xff\xfe", FFFD FFFD },	    /* never UTF-8 */
		{ "cut \xc3", "cut " FFFD },	    /* sequence cut short */
		{ "\xc0\xaf", FFFD FFFD },	    /* overlong '/' */
		{ "\xe0\x80\xaf", FFFD FFFD FFFD }, /* overlong, 3 bytes */
		{ "\xed\xa0\x80", FFFD FFFD FFFD }, /* a surrogate */
		{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD }, /* > U+10FFFF */
		{ "\xef\xbf\xbe", FFFD },		     /* U+FFFE */
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "]]>", "]]&gt;" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = through(rpt_esc_xml, cases[i].in);

		CU_ASSERT_STRING_EQUAL(got, cases[i].want);
		free(got);
	}
}

static void test_markdown(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		/* what the report itself writes stays as it was */
		{ "write_lat: latency p50 / p99 [us]",
		  "write_lat: latency p50 / p99 [us]" },
		{ "+57.2% [+42.6, +71.7] *", "+57.2% [+42.6, +71.7] *" },
		{ "<script>x</script>", "&lt;script&gt;x&lt;/script&gt;" },
		{ "a|b", "a\\|b" },
		{ "a\\|b", "a\\\\\\|b" },
		{ "[x](javascript:y)", "[x\\](javascript:y)" },
		{ "![i](http://h/p.png)", "![i\\](http://h/p.png)" },
		{ "[r]: http://h", "[r\\]: http://h" },
		{ "`touch X`", "\\`touch X\\`" },
		{ "one\ntwo\r\tthree", "one two  three" },
		{ "\x01\xff", FFFD FFFD },
		{ "&amp;", "&amp;amp;" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = through(rpt_esc_md, cases[i].in);

		CU_ASSERT_STRING_EQUAL(got, cases[i].want);
		free(got);
	}
}

static void test_gnuplot(void)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
		{ "pf (physical function)", 64, "pf (physical function)" },
		/* inside single quotes these are text, not commands */
		{ "`touch PWNED`", 64, "`touch PWNED`" },
		{ "x\";system\"id>P2", 64, "x\";system\"id>P2" },
		{ "@macro \\n", 64, "@macro \\n" },
		{ "it's", 64, "it''s" },
		{ "a\nset output 'x'", 64, "a?set output ''x''" },
		{ "t\n!touch X", 64, "t?!touch X" },
		{ "\x01\x1b\xff\xc3", 64, "????" },
		{ "caf\xc3\xa9", 64, "caf\xc3\xa9" },
		/* cut at a character, never inside a '' pair */
		{ "ab'cd", 5, "ab''" },
		{ "abc'd", 5, "abc" },
		{ "ab\xc3\xa9", 4, "ab" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];

		CU_ASSERT_STRING_EQUAL(
			rpt_esc_gnuplot(buf, cases[i].len, cases[i].in),
			cases[i].want);
	}
}

static void test_datafield(void)
{
	char buf[64];

	CU_ASSERT_STRING_EQUAL(rpt_esc_datafield(buf, sizeof(buf), "mlx5_2"),
			       "mlx5_2");
	CU_ASSERT_STRING_EQUAL(
		rpt_esc_datafield(buf, sizeof(buf), "a\tb\"c\nd\r\xff"),
		"a?b?c?d??");
}

static void test_slug(void)
{
	static const char *const same[] = { "write_lat", "vf-guest", "pf",
					    "frob_bw", "a.b+c" };
	static const char *const odd[] = {
		"../../x",
		"a/b",
		"a_b/",
		"`touch PWNED`",
		"",
		".hidden",
		"-rf",
		"h\n1",
		"x\";system\"id>P2",
		"0123456789012345678901234567890123456789012345678901234567890"
	};
	char a[RPT_SLUG_MAX], b[RPT_SLUG_MAX];

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		CU_ASSERT_STRING_EQUAL(rpt_slug(a, sizeof(a), same[i]),
				       same[i]);
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		rpt_slug(a, sizeof(a), odd[i]);
		CU_ASSERT(a[0] && a[0] != '.' && a[0] != '-');
		CU_ASSERT(strlen(a) < RPT_SLUG_MAX);
		for (size_t k = 0; a[k]; k++)
			CU_ASSERT(strchr("abcdefghijklmnopqrstuvwxyz"
					 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "0123456789._+-",
					 a[k]) != NULL);
		/* two names, two files */
		for (size_t j = 0; j < i; j++)
			CU_ASSERT_STRING_NOT_EQUAL(
				a, rpt_slug(b, sizeof(b), odd[j]));
	}
	CU_ASSERT_STRING_NOT_EQUAL(rpt_slug(a, sizeof(a), "a/b"),
				   rpt_slug(b, sizeof(b), "a_b"));
}

/* A row's strings in JSON: valid UTF-8, controls escaped by json-c. */
static void test_json(void)
{
	struct vfb_result r;
	json_object *o;
	const char *t;
	char buf[16];

	CU_ASSERT_STRING_EQUAL(rpt_esc_utf8(buf, sizeof(buf),
					    "a\xff"
					    "b\x01"),
			       "a" FFFD "b\x01");
	vfb_result_init(&r);
	r.status = VFB_STATUS_ERROR;
	snprintf(r.error, sizeof(r.error), "cut \xc3 \xed\xa0\x80 \x1b");
	snprintf(r.src_host, sizeof(r.src_host), "h\xff");
	o = rpt_result_json(&r);
	t = json_object_to_json_string(o);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(t, "\"cut " FFFD " " FFFD FFFD FFFD " \\u001b\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\"h" FFFD "\""));
	CU_ASSERT_PTR_NULL(strchr(t, '\xff'));
	json_object_put(o);
}

/* A new folder for one test: its descriptor, its path in PATH. */
static int scratch(char *path, size_t len)
{
	int fd;

	test_scratch(path, len, "outfile");
	fd = open(path, O_RDONLY | O_DIRECTORY);
	CU_ASSERT_FATAL(fd >= 0);
	return fd;
}

static void put(int dirfd, const char *name, const char *text)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

static bool holds(int dirfd, const char *name, const char *text)
{
	char buf[64] = "";
	int fd = openat(dirfd, name, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n >= 0 && !strcmp(buf, text);
}

static bool is_link(int dirfd, const char *name)
{
	struct stat st;

	return !fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) &&
	       S_ISLNK(st.st_mode);
}

static int entries(int dirfd)
{
	DIR *d = fdopendir(dup(dirfd));
	struct dirent *e;
	int n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* By path: DIRFD's offset is shared with the dup that entries() read to
 * the end, so a listing through it would find nothing to remove. */
static void cleanup(int dirfd, const char *path)
{
	close(dirfd);
	CU_ASSERT_EQUAL(test_rm_tree(path), 0);
}

static void test_out_links(void)
{
	char path[64];
	int dfd = scratch(path, sizeof(path));
	struct rpt_out o;

	put(dfd, "victim", "precious");
	CU_ASSERT_FATAL(!symlinkat("victim", dfd, "report.md"));
	CU_ASSERT_FATAL(!linkat(dfd, "victim", dfd, "hard", 0));
	CU_ASSERT_EQUAL_FATAL(rpt_out_open(&o, dfd, "report.md"), 0);
	fputs("new", o.f);
	CU_ASSERT_EQUAL(rpt_out_commit(&o), 0);
	CU_ASSERT_EQUAL_FATAL(rpt_out_open(&o, dfd, "hard"), 0);
	fputs("new", o.f);
	CU_ASSERT_EQUAL(rpt_out_commit(&o), 0);
	CU_ASSERT(holds(dfd, "victim", "precious"));
	CU_ASSERT(!is_link(dfd, "report.md"));
	CU_ASSERT(holds(dfd, "report.md", "new"));
	CU_ASSERT(holds(dfd, "hard", "new"));
	CU_ASSERT_EQUAL(entries(dfd), 3); /* no temporary file left */
	cleanup(dfd, path);
}

static void test_out_whole(void)
{
	static const char *const bad[] = { "", ".", "..", "a/b", "../x" };
	char path[64];
	int dfd = scratch(path, sizeof(path));
	struct rpt_out o;

	put(dfd, "report.md", "old");
	CU_ASSERT_EQUAL_FATAL(rpt_out_open(&o, dfd, "report.md"), 0);
	fputs("half", o.f);
	fflush(o.f);
	CU_ASSERT(holds(dfd, "report.md", "old")); /* until the end */
	rpt_out_discard(&o);
	CU_ASSERT(holds(dfd, "report.md", "old"));
	CU_ASSERT_EQUAL(entries(dfd), 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(rpt_out_open(&o, dfd, bad[i]), -EINVAL);
	cleanup(dfd, path);
}

static void test_subdir(void)
{
	char path[64];
	int dfd = scratch(path, sizeof(path)), fd;

	CU_ASSERT_FATAL(!mkdirat(dfd, "elsewhere", 0755));
	CU_ASSERT_FATAL(!symlinkat("elsewhere", dfd, "plots"));
	put(dfd, "file", "x");
	CU_ASSERT_EQUAL(rpt_subdir_open(dfd, "plots", true), -ELOOP);
	CU_ASSERT_EQUAL(rpt_subdir_open(dfd, "file", true), -ENOTDIR);
	CU_ASSERT_EQUAL(rpt_subdir_open(dfd, "none", false), -ENOENT);
	fd = rpt_subdir_open(dfd, "made", true);
	CU_ASSERT(fd >= 0);
	close(fd);
	cleanup(dfd, path);
}

static void test_stage(void)
{
	char path[64], stage[64];
	int dfd = scratch(path, sizeof(path)), sfd;

	put(dfd, "victim", "precious");
	CU_ASSERT_FATAL(!symlinkat("victim", dfd, "plot.svg"));
	sfd = rpt_stage_make(dfd, stage, sizeof(stage));
	CU_ASSERT_FATAL(sfd >= 0);
	put(sfd, "plot.svg", "<svg/>");
	put(sfd, "gnuplot.log", "");
	CU_ASSERT_FATAL(!symlinkat("victim", sfd, "link"));
	CU_ASSERT_EQUAL(rpt_stage_publish(dfd, stage, sfd, dfd), 0);
	CU_ASSERT(holds(dfd, "victim", "precious"));
	CU_ASSERT(!is_link(dfd, "plot.svg"));
	CU_ASSERT(holds(dfd, "plot.svg", "<svg/>"));
	CU_ASSERT(faccessat(dfd, "link", F_OK, AT_SYMLINK_NOFOLLOW));
	CU_ASSERT(faccessat(dfd, stage, F_OK, AT_SYMLINK_NOFOLLOW));
	CU_ASSERT_EQUAL(entries(dfd), 3);
	cleanup(dfd, path);
}

int test_escape_register(void)
{
	CU_pSuite s = CU_add_suite("report/escape", NULL, NULL);
	CU_pSuite o = CU_add_suite("report/outfile", NULL, NULL);

	if (!s || !o || !CU_add_test(s, "XML 1.0 text, any bytes", test_xml) ||
	    !CU_add_test(s, "Markdown: no HTML, link or cell", test_markdown) ||
	    !CU_add_test(s, "gnuplot single-quoted strings", test_gnuplot) ||
	    !CU_add_test(s, "gnuplot data fields", test_datafield) ||
	    !CU_add_test(s, "file-name slugs", test_slug) ||
	    !CU_add_test(s, "JSON strings valid UTF-8", test_json) ||
	    !CU_add_test(o, "rename over links, never through",
			 test_out_links) ||
	    !CU_add_test(o, "whole or not at all", test_out_whole) ||
	    !CU_add_test(o, "subfolder never through a link", test_subdir) ||
	    !CU_add_test(o, "stage published over links", test_stage))
		return -1;
	return 0;
}
