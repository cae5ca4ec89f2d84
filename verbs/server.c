/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "server.h"

static void *session_thread(void *arg)
{
	struct session *s = arg;
	struct server *srv = s->srv;
	int i;

	vt_session_run(s);
	pthread_mutex_lock(&srv->lock);
	for (i = 0; i < srv->nactive && srv->active[i] != s; i++)
		;
	srv->active[i] = srv->active[--srv->nactive];
	srv->served += s->counted;
	vt_ctrl_close(&s->ctrl);
	pthread_cond_broadcast(&srv->changed);
	pthread_mutex_unlock(&srv->lock);
	free(s);
	return NULL;
}

/* Over the limit: say so to the client, and close. */
static void refuse_busy(struct server *srv, struct vt_ctrl *c)
{
	json_object *m = vt_msg_new("error", NULL, 0);
	char why[128];

	snprintf(why, sizeof(why),
		 "server busy: %d sessions running "
		 "(its --max-sessions)",
		 srv->cfg->max_concurrent);
	json_object_object_add(m, "msg", json_object_new_string(why));
	vt_ctrl_send(c, m);
	json_object_put(m);
	vfb_warn("serve: client %s: refused, %d sessions running", c->peer,
		 srv->cfg->max_concurrent);
	vt_ctrl_close(c);
}

static int start_session(struct server *srv, struct vt_ctrl *c)
{
	struct session *s;
	pthread_attr_t at;
	pthread_t th;
	int ret;

	pthread_mutex_lock(&srv->lock);
	if (srv->nactive >= srv->cfg->max_concurrent) {
		pthread_mutex_unlock(&srv->lock);
		refuse_busy(srv, c);
		return 0;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		pthread_mutex_unlock(&srv->lock);
		vt_ctrl_close(c);
		return -ENOMEM;
	}
	*s = (struct session){
		.srv = srv, .cfg = srv->cfg, .clk = srv->clk, .ctrl = *c
	};
	s->ctrl.timeout_ms = srv->cfg->timeout_ms;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&th, &at, session_thread, s);
	pthread_attr_destroy(&at);
	if (ret) {
		pthread_mutex_unlock(&srv->lock);
		vt_ctrl_close(&s->ctrl);
		free(s);
		return -ret;
	}
	srv->active[srv->nactive++] = s;
	pthread_mutex_unlock(&srv->lock);
	return 0;
}

static bool keep_serving(struct server *srv)
{
	bool more;

	if (srv->cfg->stop && *srv->cfg->stop)
		return false;
	pthread_mutex_lock(&srv->lock);
	more = srv->cfg->max_sessions <= 0 ||
	       srv->served < srv->cfg->max_sessions;
	pthread_mutex_unlock(&srv->lock);
	return more;
}

/* End: on a stop, cut every session's control channel (their tests see
 * the stop flag too); either way, wait for the sessions to finish. */
static void drain_sessions(struct server *srv)
{
	bool stop = srv->cfg->stop && *srv->cfg->stop;
	int i;

	pthread_mutex_lock(&srv->lock);
	if (stop)
		for (i = 0; i < srv->nactive; i++)
			shutdown(srv->active[i]->ctrl.fd, SHUT_RDWR);
	while (srv->nactive)
		pthread_cond_wait(&srv->changed, &srv->lock);
	pthread_mutex_unlock(&srv->lock);
}

int vt_serve(const struct vt_server_cfg *cfg, const struct vt_clock *clk,
	     char *err, size_t errlen)
{
	static struct server srv;
	struct vt_ctrl c;
	int lfd, ret;

	srv = (struct server){ .cfg = cfg, .clk = clk };
	pthread_mutex_init(&srv.lock, NULL);
	pthread_mutex_init(&srv.cm_lock, NULL);
	pthread_cond_init(&srv.changed, NULL);
	lfd = vt_ctrl_listen(cfg->bind, cfg->svc);
	if (lfd < 0) {
		snprintf(err, errlen, "listen on %s:%s: %s",
			 cfg->bind ? cfg->bind : "*", cfg->svc, strerror(-lfd));
		return lfd;
	}
	vfb_info("serve: listening on %s:%s (at most %d sessions at once, "
		 "messages up to %llu B)",
		 cfg->bind ? cfg->bind : "*", cfg->svc, cfg->max_concurrent,
		 (unsigned long long)cfg->max_size);
	while (keep_serving(&srv)) {
		ret = vt_ctrl_accept(lfd, &c, 200);
		if (ret == -ETIMEDOUT || ret == -EINTR)
			continue;
		if (ret) {
			vfb_warn("serve: accept: %s", strerror(-ret));
			continue;
		}
		ret = start_session(&srv, &c);
		if (ret)
			vfb_warn("serve: client %s: %s", c.peer,
				 strerror(-ret));
	}
	close(lfd);
	drain_sessions(&srv);
	return 0;
}
