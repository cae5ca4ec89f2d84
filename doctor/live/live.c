/* SPDX-License-Identifier: MIT */
/* The doctor's probes of the live system (PCI configuration space
 * through libpci, programs run, a port's MTU through libibverbs), and
 * the readiness gate the measuring commands run first. Apart from
 * doctor/ so that the checklist itself links neither library. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "devinfo.h"
#include "exitcode.h"
#include "live.h"
#include "log.h"
#include "pci.h"

#define PROGRAM_TIMEOUT_MS 20000

static int live_pci_caps(void *arg, const char *bdf, struct dr_pci_caps *caps)
{
	struct sup_pci_caps c;
	int ret = sup_pci_caps(bdf, &c);

	(void)arg;
	if (ret)
		return ret;
	caps->total_vfs = c.total_vfs;
	caps->ari = c.ari;
	caps->upstream_ari = c.upstream_ari;
	return 0;
}

/* Read the child's output until EOF or the deadline; then reap it. */
static int collect(pid_t pid, int fd, char *out, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t used = 0;
	ssize_t n = 1;
	int status, waited = 0;

	while (n > 0 && waited < PROGRAM_TIMEOUT_MS) {
		if (poll(&p, 1, 100) == 0) {
			waited += 100;
			continue;
		}
		n = read(fd, out + used, len - 1 - used);
		if (n > 0)
			used += (size_t)n;
		if (used + 1 >= len)
			break;
	}
	out[used] = '\0';
	close(fd);
	if (waited >= PROGRAM_TIMEOUT_MS)
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 127 ? -ENOENT :
						    WEXITSTATUS(status);
	return -ETIMEDOUT;
}

static int live_run(void *arg, char *const argv[], char *out, size_t len)
{
	posix_spawn_file_actions_t fa;
	extern char **environ;
	int fds[2], ret;
	pid_t pid;

	(void)arg;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
	ret = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (ret) {
		close(fds[0]);
		return -ret;
	}
	return collect(pid, fds[0], out, len);
}

static int live_port_mtu(void *arg, const char *ibdev, int port, int *mtu)
{
	struct vt_devinfo *devs;
	int n, i, j, ret = -ENODEV;

	(void)arg;
	n = vt_devinfo_list(&devs);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		for (j = 0; j < devs[i].nports; j++)
			if (!strcmp(devs[i].name, ibdev) &&
			    devs[i].ports[j].num == port) {
				*mtu = devs[i].ports[j].active_mtu;
				ret = 0;
			}
	vt_devinfo_free(devs, n);
	return ret;
}

static const struct dr_probe_ops live_ops = {
	.pci_caps = live_pci_caps,
	.run = live_run,
	.port_mtu = live_port_mtu,
};

const struct dr_probe_ops *dr_live_ops(void)
{
	return &live_ops;
}

struct gate {
	const char *cmd;
	int fails;
};

static void emit_gate(const struct dr_result *r, void *arg)
{
	struct gate *g = arg;

	if (r->status != DR_FAIL)
		return;
	g->fails++;
	vfb_err("%s: readiness check %s failed%s%s: %s; fix: %s", g->cmd, r->id,
		r->subject[0] ? " for " : "", r->subject, r->evidence, r->fix);
}

int dr_live_gate(const char *cmd, const struct vfb_fsroot *root,
		 const struct dr_live_scope *scope)
{
	struct dr_config dc = { .root = root,
				.ops = &live_ops,
				.pf = scope->pf,
				.devices = scope->devices,
				.ndevices = scope->ndevices,
				.want_vfs = scope->want_vfs,
				.concerns = scope->concerns };
	struct gate g = { .cmd = cmd };
	int ret = dr_run(&dc, emit_gate, &g);

	return ret < 0 || g.fails ? VFB_EXIT_ENV : VFB_EXIT_OK;
}

int dr_live_ready(const char *cmd, const char *const *devs, int n)
{
	struct dr_live_scope scope = { .concerns = DR_FOR_RUN,
				       .devices = devs,
				       .ndevices = n };
	struct vfb_fsroot *root;
	int ret;

	if (!n) /* no device to measure: nothing concerns the run */
		return VFB_EXIT_OK;
	root = vfb_fsroot_open("/");
	if (!root)
		return VFB_EXIT_ENV;
	ret = dr_live_gate(cmd, root, &scope);
	vfb_fsroot_close(root);
	return ret;
}
