/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctrl.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until FD is ready for EVENTS; deadline in now_ms() terms (-1: none). */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int left, ret;

	for (;;) {
		left = deadline < 0 ? -1 : (int)(deadline - now_ms());
		if (deadline >= 0 && left <= 0)
			return -ETIMEDOUT;
		ret = poll(&p, 1, left);
		if (ret > 0)
			return 0;
		if (ret == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/* "::ffff:198.18.1.1" -> "198.18.1.1": a v4 client of a dual-stack
 * listener is named (and finds its device) by its IPv4 address. */
static void unmap_v4(char *ip)
{
	if (!strncmp(ip, "::ffff:", 7) && strchr(ip + 7, '.'))
		memmove(ip, ip + 7, strlen(ip + 7) + 1);
}

static void fill_names(struct vt_ctrl *c)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[64] = "?", port[16] = "?";

	if (getpeername(c->fd, (struct sockaddr *)&ss, &len) == 0)
		getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host),
			    port, sizeof(port),
			    NI_NUMERICHOST | NI_NUMERICSERV);
	unmap_v4(host);
	snprintf(c->peer, sizeof(c->peer),
		 strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
	len = sizeof(ss);
	c->local_ip[0] = '\0';
	if (getsockname(c->fd, (struct sockaddr *)&ss, &len) == 0)
		getnameinfo((struct sockaddr *)&ss, len, c->local_ip,
			    sizeof(c->local_ip), NULL, 0, NI_NUMERICHOST);
	unmap_v4(c->local_ip);
}

/*
 * Small messages at once, and a peer that vanishes without FIN or RST
 * (host down, link cut, packets dropped) noticed by the kernel in about
 * VT_KEEPALIVE_S: keepalive probes every second after one idle second,
 * three unanswered end it; unacknowledged data gives up as quickly.
 */
static void tune(int fd)
{
	int one = 1, idle = 1, intvl = 1, cnt = VT_KEEPALIVE_S - 1;
	unsigned int user_ms = VT_KEEPALIVE_S * 1000;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_ms,
		   sizeof(user_ms));
}

static int connect_one(const struct addrinfo *ai, int timeout_ms)
{
	int fd, err = 0, ret;
	socklen_t len = sizeof(err);

	fd = socket(ai->ai_family,
		    ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    ai->ai_protocol);
	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 &&
	    errno != EINPROGRESS) {
		ret = -errno;
		goto fail;
	}
	ret = wait_fd(fd, POLLOUT, now_ms() + timeout_ms);
	if (ret)
		goto fail;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err) {
		ret = -err;
		goto fail;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	tune(fd);
	return fd;
fail:
	close(fd);
	return ret;
}

int vt_ctrl_connect(struct vt_ctrl *c, const char *host, const char *port,
		    int timeout_ms)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int ret, fd = -EHOSTUNREACH;

	c->fd = -1;
	c->fake_pending = NULL;
	c->timeout_ms = timeout_ms;
	snprintf(c->peer, sizeof(c->peer), "%s:%s", host, port);
	ret = getaddrinfo(host, port, &hints, &res);
	if (ret)
		return -EHOSTUNREACH;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = connect_one(ai, timeout_ms);
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return fd;
	c->fd = fd;
	fill_names(c);
	return 0;
}

static int listen_on(const struct addrinfo *ai)
{
	int fd, one = 1, zero = 0;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6) /* IPv4 clients too, as v4-mapped */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 64) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

/* BIND_ADDR NULL: every address, IPv6 and IPv4 on one socket, or IPv4
 * alone where the host has no IPv6. */
int vt_ctrl_listen(const char *bind_addr, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE },
			*res, *ai;
	int fd = -EADDRNOTAVAIL;

	hints.ai_family = bind_addr ? AF_UNSPEC : AF_INET6;
	if (getaddrinfo(bind_addr, port, &hints, &res)) {
		if (bind_addr)
			return -EADDRNOTAVAIL;
		hints.ai_family = AF_INET;
		if (getaddrinfo(NULL, port, &hints, &res))
			return -EADDRNOTAVAIL;
	}
	for (ai = res; ai; ai = ai->ai_next)
		if ((fd = listen_on(ai)) >= 0)
			break;
	freeaddrinfo(res);
	if (fd == -EAFNOSUPPORT && !bind_addr) { /* no IPv6 in this kernel */
		hints.ai_family = AF_INET;
		if (getaddrinfo(NULL, port, &hints, &res))
			return -EADDRNOTAVAIL;
		fd = listen_on(res);
		freeaddrinfo(res);
	}
	return fd;
}

int vt_ctrl_accept(int lfd, struct vt_ctrl *c, int timeout_ms)
{
	int ret;

	c->fd = -1;
	c->fake_pending = NULL;
	ret = wait_fd(lfd, POLLIN, timeout_ms < 0 ? -1 : now_ms() + timeout_ms);
	if (ret)
		return ret;
	c->fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (c->fd < 0)
		return -errno;
	tune(c->fd);
	fill_names(c);
	return 0;
}

void vt_ctrl_close(struct vt_ctrl *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EPIPE ? -ECONNRESET : -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len, int64_t deadline)
{
	char *p = buf;
	ssize_t n;
	int ret;

	while (len) {
		ret = wait_fd(fd, POLLIN, deadline);
		if (ret)
			return ret;
		n = recv(fd, p, len, 0);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int vt_ctrl_send(struct vt_ctrl *c, json_object *msg)
{
	const char *text;
	uint32_t len, be;
	int ret;

	json_object_object_add(msg, "v", json_object_new_int(VT_PROTO_VERSION));
	text = json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN);
	len = strlen(text);
	if (len > VT_MSG_MAX)
		return -EMSGSIZE;
	be = htonl(len);
	ret = write_all(c->fd, &be, sizeof(be));
	return ret ? ret : write_all(c->fd, text, len);
}

int vt_msg_frame_len(const uint8_t hdr[4], uint32_t *len)
{
	*len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
	       (uint32_t)hdr[2] << 8 | hdr[3];
	return *len == 0 ? -ENODATA : *len > VT_MSG_MAX ? -EMSGSIZE : 0;
}

int vt_msg_decode(const char *buf, size_t len, json_object **msg)
{
	struct json_tokener *tok;
	json_object *o, *v;

	*msg = NULL;
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	/* The whole payload must be one object, nothing after it. */
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		json_object_put(o);
		json_tokener_free(tok);
		return -EPROTO;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(o, json_type_object) || !vt_msg_type(o)) {
		json_object_put(o);
		return -EPROTO;
	}
	if (!json_object_object_get_ex(o, "v", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) != VT_PROTO_VERSION) {
		json_object_put(o);
		return -EPROTONOSUPPORT;
	}
	*msg = o;
	return 0;
}

const char *vt_msg_type(json_object *msg)
{
	json_object *t;

	if (!json_object_object_get_ex(msg, "type", &t) ||
	    !json_object_is_type(t, json_type_string))
		return NULL;
	return json_object_get_string(t);
}

int vt_ctrl_recv(struct vt_ctrl *c, json_object **msg, int timeout_ms)
{
	int64_t deadline;
	uint8_t hdr[4];
	uint32_t len;
	char *buf;
	int ret;

	*msg = NULL;
	if (timeout_ms == -1)
		timeout_ms = c->timeout_ms;
	deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	ret = read_all(c->fd, hdr, sizeof(hdr), deadline);
	if (ret)
		return ret;
	ret = vt_msg_frame_len(hdr, &len);
	if (ret)
		return ret;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	ret = read_all(c->fd, buf, len, deadline);
	if (!ret)
		ret = vt_msg_decode(buf, len, msg);
	free(buf);
	return ret;
}

int vt_ctrl_pending(struct vt_ctrl *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	int ret;

	if (c->fake_pending)
		return c->fake_pending(c);
	ret = poll(&p, 1, 0);
	return ret < 0 ? -errno : ret > 0;
}

int vt_ctrl_closed(struct vt_ctrl *c)
{
	char b;
	ssize_t n;

	if (vt_ctrl_pending(c) <= 0)
		return 0;
	n = recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR);
}
