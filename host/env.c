/* SPDX-License-Identifier: MIT */
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "file.h"
#include "env.h"

#ifndef VFB_VERSION
#define VFB_VERSION "unknown"
#endif
#ifndef VFB_GIT_DESCRIBE
#define VFB_GIT_DESCRIBE "unknown"
#endif
#ifndef VFB_IBVERBS_VERSION
#define VFB_IBVERBS_VERSION "unknown"
#endif

static json_object *attr(const struct vfb_fsroot *root, const char *path)
{
	char buf[256];

	return vfb_fs_read(root, path, buf, sizeof(buf)) > 0 ?
		       json_object_new_string(buf) :
		       NULL;
}

/* "model name : ..." of the first CPU in /proc/cpuinfo. */
static json_object *cpu_model(const struct vfb_fsroot *root)
{
	char buf[4096], *line, *colon;

	if (vfb_fs_read(root, "/proc/cpuinfo", buf, sizeof(buf)) <= 0)
		return NULL;
	line = strstr(buf, "model name");
	if (!line || !(colon = strchr(line, ':')))
		return NULL;
	colon += 2;
	colon[strcspn(colon, "\n")] = '\0';
	return json_object_new_string(colon);
}

/* libibverbs 1.14.44.0 belongs to rdma-core 44.0: its last two parts. */
static json_object *rdma_core_version(void)
{
	const char *v = VFB_IBVERBS_VERSION, *p = v;
	char buf[96];
	int dots = 0;

	for (; *p; p++)
		dots += *p == '.';
	for (p = v; dots > 1 && *p; p++)
		dots -= *p == '.';
	snprintf(buf, sizeof(buf), "%s (libibverbs %s)", p, v);
	return json_object_new_string(buf);
}

json_object *host_env_json(const struct vfb_fsroot *root, int argc, char **argv)
{
	json_object *o = json_object_new_object(),
		    *cmd = json_object_new_array();
	struct utsname u;
	int i;

	uname(&u);
	json_object_object_add(o, "schema",
			       json_object_new_string("vfbench-run/1"));
	json_object_object_add(o, "kernel", json_object_new_string(u.release));
	json_object_object_add(o, "machine", json_object_new_string(u.machine));
	json_object_object_add(o, "rdma_core", rdma_core_version());
	json_object_object_add(o, "vfbench",
			       json_object_new_string(VFB_VERSION));
	json_object_object_add(o, "git_describe",
			       json_object_new_string(VFB_GIT_DESCRIBE));
	json_object_object_add(o, "cpu_model", cpu_model(root));
	json_object_object_add(
		o, "cpu_governor",
		attr(root,
		     "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"));
	for (i = 0; i < argc; i++)
		json_object_array_add(cmd, json_object_new_string(argv[i]));
	json_object_object_add(o, "command_line", cmd);
	return o;
}

json_object *host_setup_state_json(const char *state_dir)
{
	char pattern[PATH_MAX];
	json_object *arr = NULL, *o;
	glob_t g;
	size_t i;

	snprintf(pattern, sizeof(pattern), "%s/setup-*.json", state_dir);
	if (glob(pattern, 0, NULL, &g))
		return NULL;
	for (i = 0; i < g.gl_pathc; i++) {
		int fd =
			vfb_file_open(g.gl_pathv[i]); /* never wait on a FIFO */

		if (fd < 0)
			continue;
		o = json_object_from_fd(fd);
		close(fd);
		if (!o)
			continue;
		if (!arr)
			arr = json_object_new_array();
		json_object_array_add(arr, o);
	}
	globfree(&g);
	return arr;
}
