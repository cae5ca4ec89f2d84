/* SPDX-License-Identifier: MIT */
#ifndef VT_CTRL_H
#define VT_CTRL_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/*
 * The out-of-band control channel: TCP carrying length-prefixed JSON
 * (4-byte big-endian length, then that many bytes of JSON text), as
 * iperf3 does, so the protocol can grow without breaking peers. Every
 * message is an object with "v" (VT_PROTO_VERSION) and "type".
 *
 * Errors: -ETIMEDOUT (no answer in time), -ECONNRESET (peer closed),
 * -EMSGSIZE (length prefix over VT_MSG_MAX), -ENODATA (a zero-length
 * frame: no message at all), -EPROTO (not a JSON object,
 * no type), -EPROTONOSUPPORT (another protocol version).
 */
#define VT_PROTO_VERSION 2
#define VT_MSG_MAX	 (64 * 1024)
#define VT_DEFAULT_PORT	 "18515"
/* A peer gone without FIN/RST: the kernel ends the connection in this. */
#define VT_KEEPALIVE_S 4

struct vt_ctrl {
	int fd;
	char peer[80];	   /* "host:port", for messages */
	char local_ip[64]; /* our address on this connection */
	int timeout_ms;	   /* for each receive */
	/* tests: answers vt_ctrl_pending() (and so vt_ctrl_closed()) in
	 * place of a poll() of the socket; NULL: the socket */
	int (*fake_pending)(struct vt_ctrl *c);
};

int vt_ctrl_connect(struct vt_ctrl *c, const char *host, const char *port,
		    int timeout_ms);
int vt_ctrl_listen(const char *bind_addr, const char *port);
/* Accept one client on listening socket LFD (blocks up to TIMEOUT_MS, -1 forever). */
int vt_ctrl_accept(int lfd, struct vt_ctrl *c, int timeout_ms);
void vt_ctrl_close(struct vt_ctrl *c);

/* Send MSG (a json object; "v" is added). Does not take ownership. */
int vt_ctrl_send(struct vt_ctrl *c, json_object *msg);
/* Receive one message within TIMEOUT_MS (-1: c->timeout_ms, < -1: wait
 * for ever). */
int vt_ctrl_recv(struct vt_ctrl *c, json_object **msg, int timeout_ms);
/* 1 when a message (or EOF) is waiting, 0 when not, negative on error. */
int vt_ctrl_pending(struct vt_ctrl *c);

/* 1 when the peer has closed the connection (nothing more to read). */
int vt_ctrl_closed(struct vt_ctrl *c);

/* Pure, for tests and fuzzing: validate a frame header and a payload. */
int vt_msg_frame_len(const uint8_t hdr[4], uint32_t *len);
int vt_msg_decode(const char *buf, size_t len, json_object **msg);
const char *vt_msg_type(json_object *msg);

#endif
