/* SPDX-License-Identifier: MIT */
#ifndef VFB_LOG_H
#define VFB_LOG_H

/*
 * Diagnostics go to stderr as one line "vfbench: message". Log once, where
 * the context is known, naming the object: "ibv_open_device(rxe0): ...".
 */
enum vfb_log_level {
	VFB_LOG_ERR,
	VFB_LOG_WARN,
	VFB_LOG_INFO,
	VFB_LOG_DEBUG,
};

void vfb_log_set_level(enum vfb_log_level level);
void vfb_log(enum vfb_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define vfb_err(...)  vfb_log(VFB_LOG_ERR, __VA_ARGS__)
#define vfb_warn(...) vfb_log(VFB_LOG_WARN, __VA_ARGS__)
#define vfb_info(...) vfb_log(VFB_LOG_INFO, __VA_ARGS__)
#define vfb_dbg(...)  vfb_log(VFB_LOG_DEBUG, __VA_ARGS__)

#endif
