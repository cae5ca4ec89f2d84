/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "commands.h"
#include "devinfo.h"
#include "doctor.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"
#include "pci.h"

#define PROGRAM_TIMEOUT_MS 20000

struct doctor_cfg {
	const char *pf;
	const char *fsroot;
	long vfs;
	bool json;
};

static const struct vfb_opt doctor_opts[] = {
	{ .name = "pf",
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct doctor_cfg, pf),
	  .metavar = "BDF|NETDEV",
	  .help = "check only this SR-IOV PF, its VFs and their RDMA devices" },
	{ .name = "vfs",
	  .type = VFB_OPT_LONG,
	  .offset = offsetof(struct doctor_cfg, vfs),
	  .metavar = "N",
	  .help = "VFs you want (checks TotalVFs, firmware and ARI for them)",
	  .min = 1,
	  .max = 4096 },
	{ .name = "json",
	  .key = 'j',
	  .type = VFB_OPT_FLAG,
	  .offset = offsetof(struct doctor_cfg, json),
	  .help = "print a JSON list of {id, subject, status, evidence, fix}" },
	{ .name = "fsroot",
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct doctor_cfg, fsroot),
	  .metavar = "DIR",
	  .help = "read sysfs and procfs under DIR (a captured tree)" },
	VFB_OPT_END,
};

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

/* A captured tree holds no configuration space, runs no program and has
 * no live device: those checks say so and skip. */
static const struct dr_probe_ops tree_ops = { 0 };

struct tally {
	int n[4];
	json_object *arr;
};

static void emit_text(const struct dr_result *r, void *arg)
{
	struct tally *t = arg;

	t->n[r->status]++;
	printf("%-4s %-17s %-13s %s\n", dr_status_name(r->status), r->id,
	       r->subject[0] ? r->subject : "-", r->evidence);
	if (r->fix[0] && r->status != DR_PASS)
		printf("%-36s fix: %s\n", "", r->fix);
}

static void emit_json(const struct dr_result *r, void *arg)
{
	struct tally *t = arg;
	json_object *o = json_object_new_object();

	t->n[r->status]++;
	json_object_object_add(o, "id", json_object_new_string(r->id));
	json_object_object_add(
		o, "subject",
		r->subject[0] ? json_object_new_string(r->subject) : NULL);
	json_object_object_add(
		o, "status", json_object_new_string(dr_status_name(r->status)));
	json_object_object_add(o, "evidence",
			       json_object_new_string(r->evidence));
	json_object_object_add(o, "fix", json_object_new_string(r->fix));
	json_object_array_add(t->arr, o);
}

static int doctor_show(const struct doctor_cfg *cfg,
		       const struct vfb_fsroot *root)
{
	bool live = !strcmp(cfg->fsroot, "/");
	struct dr_config dc = { .root = root,
				.ops = live ? &live_ops : &tree_ops,
				.pf = cfg->pf,
				.want_vfs = cfg->vfs };
	struct tally t = { .arr = cfg->json ? json_object_new_array() : NULL };
	int fails = dr_run(&dc, cfg->json ? emit_json : emit_text, &t);

	if (fails == -ENODEV) {
		json_object_put(t.arr);
		vfb_err("doctor: --pf %s: no SR-IOV physical function of that "
			"BDF or netdev",
			cfg->pf);
		return VFB_EXIT_ENV;
	}
	if (cfg->json)
		printf("%s\n",
		       json_object_to_json_string_ext(
			       t.arr, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		printf("%d pass, %d warn, %d fail, %d skip\n", t.n[DR_PASS],
		       t.n[DR_WARN], t.n[DR_FAIL], t.n[DR_SKIP]);
	json_object_put(t.arr);
	return fails > 0 ? VFB_EXIT_FAIL : VFB_EXIT_OK;
}

int bench_cmd_doctor(int argc, char **argv)
{
	struct doctor_cfg cfg = { .fsroot = "/" };
	struct vfb_fsroot *root;
	int ret;

	ret = vfb_opt_parse(
		doctor_opts, "doctor",
		"[--pf BDF|NETDEV] [--vfs N] [--json] [--fsroot DIR]", argc,
		argv, &cfg);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret < argc) {
		vfb_err("doctor: unexpected argument '%s'", argv[ret]);
		return VFB_EXIT_USAGE;
	}
	root = vfb_fsroot_open(cfg.fsroot);
	if (!root) {
		vfb_err("doctor: --fsroot %s: %s", cfg.fsroot, strerror(errno));
		return VFB_EXIT_USAGE;
	}
	ret = doctor_show(&cfg, root);
	vfb_fsroot_close(root);
	return ret;
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

int bench_doctor_gate(const char *cmd, const struct vfb_fsroot *root,
		      const struct bench_gate_scope *scope)
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

int bench_doctor_ready(const char *cmd, const char *const *devs, int n)
{
	struct bench_gate_scope scope = { .concerns = DR_FOR_RUN,
					  .devices = devs,
					  .ndevices = n };
	struct vfb_fsroot *root;
	int ret;

	if (!n) /* no device to measure: nothing concerns the run */
		return VFB_EXIT_OK;
	root = vfb_fsroot_open("/");
	if (!root)
		return VFB_EXIT_ENV;
	ret = bench_doctor_gate(cmd, root, &scope);
	vfb_fsroot_close(root);
	return ret;
}
