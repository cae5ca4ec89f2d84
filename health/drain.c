/* SPDX-License-Identifier: MIT */
/* Slurm: a failing node drained with a reason that starts "vfbench:",
 * resumed only where vfbench drained it; what it drained is remembered
 * in STATE_DIR/health-drained, so a drain by anyone else (an admin, NHC,
 * another check) is never undone. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "health.h"

#define PREFIX "vfbench:"

void hl_node_parse(const char *out, bool *drained, char *reason, size_t len)
{
	const char *st = strstr(out, "State="), *rs = strstr(out, "Reason=");
	size_t n;

	*drained = false;
	reason[0] = '\0';
	if (st) {
		n = strcspn(st, " \n");
		*drained = memmem(st, n, "DRAIN", 5) != NULL;
	}
	if (!rs)
		return;
	rs += strlen("Reason=");
	n = strcspn(rs, "\n");
	/* scontrol appends " [user@2026-12-01T10:00:00]" */
	while (n && rs[n - 1] == ' ')
		n--;
	if (n && rs[n - 1] == ']')
		for (; n && rs[n - 1] != '['; n--)
			;
	while (n && (rs[n - 1] == '[' || rs[n - 1] == ' '))
		n--;
	snprintf(reason, len, "%.*s", (int)n, rs);
}

static int scontrol(const struct hl_drain *d, char *const argv[], char *out,
		    size_t len, char *said, size_t slen)
{
	int ret = d->ops->run ? d->ops->run(d->ops->arg, argv, out, len) :
				-ENOTSUP;

	if (ret) {
		out[strcspn(out, "\n")] = '\0';
		snprintf(said, slen, "%s %s: %s", argv[0], argv[1],
			 ret < 0 ? strerror(-ret) : out);
		return ret < 0 ? ret : -EIO;
	}
	return 0;
}

static int node_show(const struct hl_drain *d, bool *drained, char *reason,
		     size_t rlen, char *said, size_t slen)
{
	char out[4096] = "", *argv[] = { "scontrol",	  "show", "node",
					 (char *)d->node, "-o",	  NULL };
	int ret = scontrol(d, argv, out, sizeof(out), said, slen);

	if (!ret)
		hl_node_parse(out, drained, reason, rlen);
	return ret;
}

static void state_path(const struct hl_drain *d, char *buf, size_t len)
{
	snprintf(buf, len, "%s/health-drained", d->state_dir);
}

static int state_write(const struct hl_drain *d, const char *reason)
{
	char path[512];
	FILE *f;

	mkdir(d->state_dir, 0755);
	state_path(d, path, sizeof(path));
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "%s\n%s\n", d->node, reason);
	return fclose(f) ? -errno : 0;
}

static int do_drain(const struct hl_drain *d, const char *reason, char *said,
		    size_t len)
{
	char cur[512], out[1024] = "", node[160], why[600];
	char *argv[] = { "scontrol", "update", node, "State=DRAIN", why, NULL };
	bool drained;
	int ret = node_show(d, &drained, cur, sizeof(cur), said, len);

	if (ret)
		return ret;
	if (drained && strncmp(cur, PREFIX, strlen(PREFIX))) {
		snprintf(said, len, "%s drained already (not by vfbench: %s)",
			 d->node, cur);
		return 0;
	}
	snprintf(node, sizeof(node), "NodeName=%s", d->node);
	snprintf(why, sizeof(why), "Reason=%s", reason);
	ret = scontrol(d, argv, out, sizeof(out), said, len);
	if (ret)
		return ret;
	ret = state_write(d, reason);
	snprintf(said, len, "%s drained: %s%s", d->node, reason,
		 ret ? " (its state file could not be written)" : "");
	return ret;
}

static int do_resume(const struct hl_drain *d, char *said, size_t len)
{
	char cur[512], out[1024] = "", node[160], path[512];
	char *argv[] = { "scontrol", "update", node, "State=RESUME", NULL };
	bool drained;
	int ret;

	state_path(d, path, sizeof(path));
	if (access(path, F_OK)) {
		said[0] = '\0'; /* not drained by vfbench: nothing to do */
		return 0;
	}
	ret = node_show(d, &drained, cur, sizeof(cur), said, len);
	if (ret)
		return ret;
	if (!drained || strncmp(cur, PREFIX, strlen(PREFIX))) {
		unlink(path);
		snprintf(said, len, "%s left as it is (%s)", d->node,
			 drained ? "drained since by someone else" :
				   "no longer drained");
		return 0;
	}
	snprintf(node, sizeof(node), "NodeName=%s", d->node);
	ret = scontrol(d, argv, out, sizeof(out), said, len);
	if (ret)
		return ret;
	unlink(path);
	snprintf(said, len, "%s resumed (vfbench had drained it: %s)", d->node,
		 cur);
	return 0;
}

int hl_drain_apply(const struct hl_drain *d, bool healthy, const char *reason,
		   char *said, size_t len)
{
	return healthy ? do_resume(d, said, len) :
			 do_drain(d, reason, said, len);
}

struct bounded_drain {
	const struct hl_drain *d;
	bool healthy;
	const char *reason;
};

static int drain_unit(const void *arg, struct hl_result *out, int max)
{
	const struct bounded_drain *b = arg;
	int ret;

	if (max < 1)
		return 0;
	memset(out, 0, sizeof(*out));
	ret = hl_drain_apply(b->d, b->healthy, b->reason, out->text,
			     sizeof(out->text));
	out->status = ret ? HL_FAIL : HL_OK;
	return 1;
}

int hl_drain_bounded(const struct hl_drain *d, bool healthy, const char *reason,
		     double limit_s, char *said, size_t len)
{
	struct bounded_drain b = { d, healthy, reason };
	struct hl_result r;
	int n = hl_bounded(drain_unit, &b, limit_s, &r, 1);

	if (n == -ETIMEDOUT) {
		snprintf(said, len, "scontrol: cut after %.1f s", limit_s);
		return n;
	}
	if (n != 1) {
		snprintf(said, len, "scontrol: %s", strerror(n ? -n : EIO));
		return n ? n : -EIO;
	}
	snprintf(said, len, "%s", r.text);
	return r.status == HL_OK ? 0 : -EIO;
}
