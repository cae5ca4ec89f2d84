/* SPDX-License-Identifier: MIT */
/* vfbench mesh, rank 0's rows: what it keeps of each (struct msh_kept),
 * and results.csv written once more with the flags the outliers gave,
 * read back a row at a time. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "log.h"
#include "mesh.h"
#include "results.h"

/* Rank 0: what it keeps of row R (mesh.h), in the order of results.csv. */
int msh_keep(struct msh *m, const struct vfb_result *r)
{
	struct msh_kept *k;

	if (m->nall == m->capall) {
		size_t c = m->capall ? 2 * m->capall : 64;

		k = realloc(m->all, c * sizeof(*k));
		if (!k) {
			m->kept_short = true;
			vfb_err("mesh: out of memory for a row");
			return -ENOMEM;
		}
		m->all = k;
		m->capall = c;
	}
	k = &m->all[m->nall++];
	*k = (struct msh_kept){ .msg_bytes = r->msg_bytes,
				.src_rank = r->src_rank,
				.dst_rank = r->dst_rank,
				.mesh_round = r->mesh_round,
				.retest = r->retest,
				.status = r->status,
				.has_lat = r->has_lat,
				.has_bw = r->has_bw,
				.lat.p50 = r->lat.p50,
				.bw_avg_gbps = r->bw_avg_gbps };
	snprintf(k->path, sizeof(k->path), "%s", r->path);
	snprintf(k->test, sizeof(k->test), "%s", r->test);
	snprintf(k->flag, sizeof(k->flag), "%s", r->flag);
	return 0;
}

/* The round-by-round file read back a row at a time, each written with
 * its flag: nothing held but the row at hand. */
struct reflag {
	const struct msh *m;
	FILE *out;
	size_t i;
};

static int reflag_row(void *ctx, struct vfb_result *r)
{
	struct reflag *x = ctx;
	const struct msh_kept *k;

	if (x->i == x->m->nall)
		return -EOVERFLOW; /* more rows than were kept */
	k = &x->m->all[x->i++];
	if (k->src_rank != r->src_rank || k->dst_rank != r->dst_rank ||
	    k->mesh_round != r->mesh_round || k->retest != r->retest ||
	    k->msg_bytes != r->msg_bytes || strcmp(k->path, r->path) ||
	    strcmp(k->test, r->test))
		return -EBADMSG; /* not the row kept in its place */
	snprintf(r->flag, sizeof(r->flag), "%s", k->flag);
	return rpt_csv_result(x->out, r) ? -EIO : 0;
}

/* The rows once more, with their flags, replacing the round-by-round
 * file only when whole and of the rows kept, one for one. */
void msh_rewrite(struct msh *m)
{
	char path[PATH_MAX + 16], tmp[PATH_MAX + 32], err[256] = "";
	struct reflag x = { m, NULL, 0 };
	size_t refused = 0;
	FILE *in, *f;
	int ret;

	snprintf(path, sizeof(path), "%s/results.csv", m->rd.dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (m->kept_short) {
		vfb_err("mesh: %s keeps its rows without their flags: a row "
			"could not be kept (out of memory)",
			path);
		return;
	}
	in = fopen(path, "r");
	f = in ? fopen(tmp, "w") : NULL;
	if (!f) {
		vfb_err("mesh: rewriting %s with the flags: %s", path,
			strerror(errno));
		if (in)
			fclose(in);
		return;
	}
	x.out = f;
	ret = rpt_csv_header(f) ? -EIO :
				  rpt_rows_each(in, path, reflag_row, &x,
						&refused, err, sizeof(err));
	fclose(in);
	if (ret == -EBADMSG) {
		size_t n = strlen(err);

		snprintf(err + n, sizeof(err) - n,
			 " (a row not the one kept in its place)");
	} else if (ret == -EOVERFLOW || (!ret && (refused || x.i != m->nall))) {
		snprintf(err, sizeof(err),
			 "%s rows read back (%zu refused) than the %zu kept",
			 ret == -EOVERFLOW ? "more" : "other", refused,
			 m->nall);
		ret = -EBADMSG;
	}
	if (!ret && (fflush(f) || fsync(fileno(f))))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		vfb_err("mesh: %s keeps its rows without their flags: %s", path,
			err[0] ? err : strerror(-ret));
	}
}
