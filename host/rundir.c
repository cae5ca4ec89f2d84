/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "log.h"
#include "results.h"
#include "rundir.h"
#include "opt.h"
#include "prom.h"

void host_iso_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int json_out(FILE *f, void *obj)
{
	const char *text = json_object_to_json_string_ext(
		obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);

	return fputs(text, f) == EOF || fputc('\n', f) == EOF ? -errno : 0;
}

int host_json_write_atomic(const char *path, json_object *obj)
{
	return vfb_file_replace(path, json_out, obj);
}

static int mkdir_p(const char *dir)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", dir);
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) && errno != EEXIST)
				return -errno;
			*p = '/';
		}
	return mkdir(buf, 0755) && errno != EEXIST ? -errno : 0;
}

static int write_meta(struct host_rundir *rd)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/run.json", rd->dir);
	return host_json_write_atomic(path, rd->meta);
}

/* A file we are to write: its folder must exist. */
int host_out_file_check(const char *cmd, const char *opt, const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
		 slash ? path : ".");
	if (!*path || (slash && !slash[1]) || stat(dir, &st) ||
	    !S_ISDIR(st.st_mode)) {
		vfb_err("%s: %s %s: %s", cmd, opt, path,
			!*path || (slash && !slash[1]) ? "not a file name" :
							 "no such directory");
		return -EINVAL;
	}
	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		vfb_err("%s: %s %s: a directory, not a file", cmd, opt, path);
		return -EINVAL;
	}
	return 0;
}

/* A results directory we are to create or fill: a directory or nothing
 * yet (every part of the path that exists a directory), not holding a
 * run. What cannot be told without trying (permissions) is left to the
 * open. */
int host_out_dir_check(const char *cmd, const char *opt, const char *dir)
{
	struct stat st;
	int ret = stat(dir, &st) ? errno : 0;

	if (!*dir || (!ret && !S_ISDIR(st.st_mode)) || ret == ENOTDIR) {
		vfb_err("%s: %s %s: %s", cmd, opt, dir,
			!*dir ? "not a directory name" :
			ret ? "a part of the path is a file, not a directory" :
			      "a file, not a directory");
		return -EINVAL;
	}
	if (!ret && host_rundir_taken(dir)) {
		vfb_err("%s: %s %s already holds results (results.csv or "
			"run.json): give a new directory",
			cmd, opt, dir);
		return -EINVAL;
	}
	return 0;
}

bool host_rundir_taken(const char *dir)
{
	static const char *const files[] = { "results.csv", "run.json" };
	char path[PATH_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (!access(path, F_OK))
			return true;
	}
	return false;
}

int host_rundir_open(struct host_rundir *rd, const char *dir, json_object *meta,
		     char *err, size_t errlen)
{
	int k;
	char path[PATH_MAX + 16], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int ret;

	memset(rd, 0, sizeof(*rd));
	gethostname(rd->host, sizeof(rd->host) - 1);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(rd->run_id, sizeof(rd->run_id), "%s-%.24s", stamp, rd->host);
	if (dir)
		snprintf(rd->dir, sizeof(rd->dir), "%s", dir);
	else
		snprintf(rd->dir, sizeof(rd->dir), "results/%s", rd->run_id);
	/* two runs in one second: the second goes beside the first */
	for (k = 2; !dir && host_rundir_taken(rd->dir) && k < 100; k++)
		snprintf(rd->dir, sizeof(rd->dir), "results/%s-%d", rd->run_id,
			 k);
	ret = mkdir_p(rd->dir);
	if (ret) {
		snprintf(err, errlen, "results directory %s: %s", rd->dir,
			 strerror(-ret));
		return ret;
	}
	snprintf(path, sizeof(path), "%s/results.csv", rd->dir);
	rd->csv = fopen(path, "wx"); /* never over another run's rows */
	if (!rd->csv) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	rpt_csv_header(rd->csv);
	fflush(rd->csv);
	rd->meta = json_object_get(meta);
	json_object_object_add(meta, "run_id",
			       json_object_new_string(rd->run_id));
	json_object_object_add(meta, "host", json_object_new_string(rd->host));
	host_iso_time(now, stamp, sizeof(stamp));
	json_object_object_add(meta, "started", json_object_new_string(stamp));
	json_object_object_add(meta, "status",
			       json_object_new_string("running"));
	ret = write_meta(rd);
	if (ret)
		snprintf(err, errlen, "%s/run.json: %s", rd->dir,
			 strerror(-ret));
	return ret;
}

int host_rundir_row(struct host_rundir *rd, const struct vfb_result *r)
{
	int ret = rpt_csv_result(rd->csv, r);

	/* flushed and synced: a killed run keeps every finished row */
	if (!ret && (fflush(rd->csv) || fsync(fileno(rd->csv))))
		ret = -errno;
	if (!ret && rd->prom)
		ret = rpt_prom_add(rd->prom, r);
	rd->rows++;
	rd->errors += r->status != VFB_STATUS_OK;
	return ret;
}

int host_rundir_prom(struct host_rundir *rd, const char *path)
{
	if (!path)
		return 0;
	rd->prom = rpt_prom_new();
	rd->prom_path = path;
	return rd->prom ? 0 : -ENOMEM;
}

static void prom_close(struct host_rundir *rd)
{
	int ret;

	if (!rd->prom)
		return;
	ret = rpt_prom_write(rd->prom, rd->prom_path);
	if (ret)
		vfb_err("--prom %s: %s", rd->prom_path, strerror(-ret));
	rpt_prom_free(rd->prom);
	rd->prom = NULL;
}

int host_rundir_close(struct host_rundir *rd, const char *status)
{
	char stamp[32];
	int ret;

	if (rd->csv)
		fclose(rd->csv);
	rd->csv = NULL;
	prom_close(rd);
	host_iso_time(time(NULL), stamp, sizeof(stamp));
	json_object_object_add(rd->meta, "ended",
			       json_object_new_string(stamp));
	json_object_object_add(rd->meta, "status",
			       json_object_new_string(status));
	json_object_object_add(rd->meta, "rows", json_object_new_int(rd->rows));
	json_object_object_add(rd->meta, "error_rows",
			       json_object_new_int(rd->errors));
	ret = write_meta(rd);
	json_object_put(rd->meta);
	rd->meta = NULL;
	return ret;
}

void host_rundir_interrupted(int sig, char *buf, size_t len)
{
	const char *file = getenv("VFB_STOP_REASON_FILE");
	FILE *f = file && file[0] ? fopen(file, "r") : NULL;
	char why[256] = "", name[16];

	if (f) {
		if (!fgets(why, sizeof(why), f))
			why[0] = '\0';
		why[strcspn(why, "\r\n")] = '\0';
		fclose(f);
	}
	if (sig == SIGINT || sig == SIGTERM)
		snprintf(name, sizeof(name), "%s",
			 sig == SIGINT ? "SIGINT" : "SIGTERM");
	else
		snprintf(name, sizeof(name), "signal %d", sig);
	snprintf(buf, len, "interrupted: %s%s%s", name, why[0] ? ": " : "",
		 why);
}

int host_read_text(const char *path, char **text)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *g;
	ssize_t n = 0;
	int fd, ret = 0;

	*text = NULL;
	fd = vfb_file_open(path);
	if (fd < 0) {
		errno = -fd;
		return fd;
	}
	for (;;) {
		if (len + 1 >= cap) {
			cap = cap ? 2 * cap : 4096;
			g = realloc(buf, cap);
			if (!g) {
				ret = -ENOMEM;
				break;
			}
			buf = g;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (!ret && n < 0)
		ret = -errno;
	close(fd);
	if (!ret && memchr(buf, '\0', len))
		ret = -EBADMSG; /* text: a NUL would cut it silently */
	if (ret) {
		free(buf);
		errno = -ret;
		return ret;
	}
	buf[len] = '\0';
	*text = buf;
	return 0;
}

const char *host_read_strerror(int err)
{
	return err == -EBADMSG ? "holds a NUL byte: not a text file" :
				 vfb_file_strerror(err);
}

const struct vfb_opt host_out_opts[] = {
	{ .name = "out",
	  .key = 'o',
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct host_outs, dir),
	  .metavar = "DIR",
	  .help = "results directory (default results/<run id>)",
	  .cat = HOST_OUT_DIR },
	{ .name = "csv",
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct host_outs, csv),
	  .metavar = "FILE",
	  .help = "also write the rows to FILE as CSV",
	  .cat = HOST_OUT_CSV },
	{ .name = "json",
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct host_outs, json),
	  .metavar = "FILE",
	  .help = "also write the rows and the parameters as JSON",
	  .cat = HOST_OUT_JSON },
	{ .name = "perftest-json",
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct host_outs, perftest),
	  .metavar = "FILE",
	  .help = "also write every case to FILE as perftest's --out_json does",
	  .cat = HOST_OUT_PERFTEST },
	{ .name = "prom",
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct host_outs, prom),
	  .metavar = "FILE",
	  .help = "also write the results to FILE in Prometheus' text format "
		  "(node_exporter's textfile collector: FILE.tmp.PID renamed)",
	  .cat = HOST_OUT_PROM },
	VFB_OPT_END,
};

int host_outs_check(const char *cmd, const struct host_outs *o)
{
	const char *file[] = { o->csv, o->json, o->perftest, o->prom };
	const char *opt[] = { "--csv", "--json", "--perftest-json", "--prom" };
	size_t i, j, n = sizeof(file) / sizeof(file[0]);

	for (i = 0; i < n; i++)
		if (file[i] && host_out_file_check(cmd, opt[i], file[i]))
			return -EINVAL;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (file[i] && file[j] && !strcmp(file[i], file[j])) {
				vfb_err("%s: %s and %s both name %s", cmd,
					opt[i], opt[j], file[i]);
				return -EINVAL;
			}
	if (o->dir && host_out_dir_check(cmd, "--out", o->dir))
		return -EINVAL;
	return 0;
}
