/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static enum vfb_log_level log_level = VFB_LOG_WARN;

void vfb_log_set_level(enum vfb_log_level level)
{
	log_level = level;
}

void vfb_log(enum vfb_log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[VFB_LOG_ERR] = "",
		[VFB_LOG_WARN] = "warning: ",
		[VFB_LOG_INFO] = "",
		[VFB_LOG_DEBUG] = "debug: ",
	};
	va_list ap;

	if (level > log_level)
		return;
	fprintf(stderr, "vfbench: %s", prefix[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
