/* SPDX-License-Identifier: MIT */
/* libFuzzer: the control channel's decoder and the handshake readers. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ctrl.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vt_params p;
	struct vt_ep ep;
	json_object *m;
	uint32_t len;
	char err[128];

	if (size >= 4)
		vt_msg_frame_len(data, &len);
	if (vt_msg_decode((const char *)data, size, &m))
		return 0;
	vt_params_from_json(m, &p, err, sizeof(err));
	vt_ep_from_json(m, &ep);
	vt_msg_int(m, "size");
	vt_msg_str(m, "msg");
	json_object_put(m);
	return 0;
}
