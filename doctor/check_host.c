/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "vfident.h"

#define CAP_IPC_LOCK_BIT 14
#define MEMLOCK_ENOUGH	 (64L << 20) /* pins a few large buffers */

/* The value after "KEY" on its line of TEXT, or NULL. */
static const char *field(const char *text, const char *key)
{
	const char *p = text;
	size_t n = strlen(key);

	while ((p = strstr(p, key))) {
		if (p == text || p[-1] == '\n')
			return p + n;
		p += n;
	}
	return NULL;
}

static void run_memlock(const struct dr_ctx *c, const char *subject,
			struct dr_result *r)
{
	char limits[4096], status[4096], soft[32] = "";
	const char *l, *cap;
	unsigned long long eff = 0;

	(void)subject;
	if (vfb_fs_read(c->root, "/proc/self/limits", limits, sizeof(limits)) <=
		    0 ||
	    !(l = field(limits, "Max locked memory")) ||
	    sscanf(l, "%31s", soft) != 1) {
		dr_set(r, DR_SKIP, "", "/proc/self/limits unreadable");
		return;
	}
	if (vfb_fs_read(c->root, "/proc/self/status", status, sizeof(status)) >
		    0 &&
	    (cap = field(status, "CapEff:")))
		eff = strtoull(cap, NULL, 16);
	if (!strcmp(soft, "unlimited") || (eff >> CAP_IPC_LOCK_BIT) & 1)
		dr_set(r, DR_PASS, "",
		       "/proc/self/limits: max locked memory %s%s", soft,
		       (eff >> CAP_IPC_LOCK_BIT) & 1 ? " (CAP_IPC_LOCK: no "
						       "limit applies)" :
						       "");
	else if (atoll(soft) < MEMLOCK_ENOUGH)
		dr_set(r, DR_WARN,
		       "memory registration fails beyond it: ulimit -l "
		       "unlimited, or memlock in /etc/security/limits.conf",
		       "/proc/self/limits: max locked memory %s bytes", soft);
	else
		dr_set(r, DR_PASS, "",
		       "/proc/self/limits: max locked memory %s bytes", soft);
}

static const struct dr_check dr_check_memlock = {
	.id = "host.memlock",
	.help = "the locked-memory limit (or CAP_IPC_LOCK) memory registration needs",
	.scope = DR_HOST,
	.run = run_memlock,
};

static void run_hugepages(const struct dr_ctx *c, const char *subject,
			  struct dr_result *r)
{
	char info[8192];
	const char *t, *f, *sz;

	(void)subject;
	if (vfb_fs_read(c->root, "/proc/meminfo", info, sizeof(info)) <= 0 ||
	    !(t = field(info, "HugePages_Total:")) ||
	    !(f = field(info, "HugePages_Free:")) ||
	    !(sz = field(info, "Hugepagesize:"))) {
		dr_set(r, DR_SKIP, "", "/proc/meminfo has no HugePages lines");
		return;
	}
	if (atol(t) > 0 && atol(f) == 0)
		dr_set(r, DR_WARN,
		       "every hugepage is in use: raise vm.nr_hugepages for "
		       "--use-hugepages",
		       "/proc/meminfo: HugePages_Total %ld, HugePages_Free 0",
		       atol(t));
	else
		dr_set(r, DR_PASS, "",
		       "/proc/meminfo: HugePages_Total %ld, free %ld, size "
		       "%ld kB%s",
		       atol(t), atol(f), atol(sz),
		       atol(t) ? "" :
				 " (--use-hugepages needs vm.nr_hugepages)");
}

static const struct dr_check dr_check_hugepages = {
	.id = "host.hugepages",
	.help = "free hugepages, for --use-hugepages",
	.scope = DR_HOST,
	.run = run_hugepages,
};

struct gov_walk {
	const struct dr_ctx *c;
	int cpus, slow;
	char first_slow[48];
};

static int note_governor(const char *name, void *arg)
{
	struct gov_walk *w = arg;
	char path[PATH_MAX], gov[32];

	if (strncmp(name, "cpu", 3) || !isdigit((unsigned char)name[3]))
		return 0;
	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/%s/cpufreq/scaling_governor", name);
	if (vfb_fs_read(w->c->root, path, gov, sizeof(gov)) <= 0)
		return 0;
	w->cpus++;
	if (strcmp(gov, "performance") && !w->slow++)
		snprintf(w->first_slow, sizeof(w->first_slow), "%s: %s", name,
			 gov);
	return 0;
}

static void run_governor(const struct dr_ctx *c, const char *subject,
			 struct dr_result *r)
{
	struct gov_walk w = { .c = c };

	(void)subject;
	vfb_fs_list(c->root, "/sys/devices/system/cpu", note_governor, &w);
	if (!w.cpus)
		dr_set(r, DR_SKIP, "",
		       "no cpufreq scaling_governor (a guest, or the firmware "
		       "sets the frequency)");
	else if (w.slow)
		dr_set(r, DR_WARN,
		       "latency varies with the clock: cpupower "
		       "frequency-set -g performance",
		       "%d of %d CPUs not on performance (%s)", w.slow, w.cpus,
		       w.first_slow);
	else
		dr_set(r, DR_PASS, "", "%d CPUs on the performance governor",
		       w.cpus);
}

static const struct dr_check dr_check_governor = {
	.id = "host.governor",
	.help = "every CPU on the performance cpufreq governor",
	.scope = DR_HOST,
	.run = run_governor,
};

/* As perftest warns: the CPUs' "cpu MHz" in /proc/cpuinfo disagree. */
static void run_freq(const struct dr_ctx *c, const char *subject,
		     struct dr_result *r)
{
	size_t len = 1 << 20;
	char *info = malloc(len);
	const char *p;
	double mhz, lo = 0, hi = 0;
	int n = 0;

	(void)subject;
	if (info && vfb_fs_read_all(c->root, "/proc/cpuinfo", info, len) > 0)
		for (p = info; (p = field(p, "cpu MHz")); n++) {
			mhz = atof(strchr(p, ':') ? strchr(p, ':') + 1 : p);
			lo = n && lo < mhz ? lo : mhz;
			hi = n && hi > mhz ? hi : mhz;
		}
	free(info);
	if (!n)
		dr_set(r, DR_SKIP, "", "/proc/cpuinfo has no \"cpu MHz\"");
	else if (hi > lo * 1.05)
		dr_set(r, DR_WARN,
		       "cycle-counter timing assumes one clock: performance "
		       "governor, turbo and deep C-states off while measuring",
		       "/proc/cpuinfo: cpu MHz from %.0f to %.0f over %d CPUs",
		       lo, hi, n);
	else
		dr_set(r, DR_PASS, "",
		       "/proc/cpuinfo: %d CPUs at %.0f-%.0f MHz", n, lo, hi);
}

static const struct dr_check dr_check_freq = {
	.id = "host.frequency",
	.help = "the CPUs' clocks in /proc/cpuinfo within 5% (as perftest warns)",
	.scope = DR_HOST,
	.run = run_freq,
};

static int find_irqbalance(const char *name, void *arg)
{
	const struct dr_ctx *c = arg;
	char path[PATH_MAX], comm[32];

	if (!isdigit((unsigned char)name[0]))
		return 0;
	snprintf(path, sizeof(path), "/proc/%s/comm", name);
	return vfb_fs_read(c->root, path, comm, sizeof(comm)) > 0 &&
			       !strcmp(comm, "irqbalance") ?
		       atoi(name) :
		       0;
}

static void run_irqbalance(const struct dr_ctx *c, const char *subject,
			   struct dr_result *r)
{
	int pid = vfb_fs_list(c->root, "/proc", find_irqbalance, (void *)c);

	(void)subject;
	if (pid > 0)
		dr_set(r, DR_WARN,
		       "irqbalance moves the NIC's interrupts between cores "
		       "mid-run: systemctl stop irqbalance, pin them near the "
		       "device",
		       "/proc/%d/comm: irqbalance", pid);
	else
		dr_set(r, DR_PASS, "", "no irqbalance process in /proc");
}

static const struct dr_check dr_check_irqbalance = {
	.id = "host.irqbalance",
	.help = "no irqbalance moving the NIC's interrupts mid-run",
	.scope = DR_HOST,
	.run = run_irqbalance,
};

static int count_node(const char *name, void *arg)
{
	if (!strncmp(name, "node", 4) && isdigit((unsigned char)name[4]))
		++*(int *)arg;
	return 0;
}

static void run_numa(const struct dr_ctx *c, const char *ibdev,
		     struct dr_result *r)
{
	char path[PATH_MAX], nd[32];
	long node;
	int nodes = 0;

	vfb_fs_list(c->root, "/sys/devices/system/node", count_node, &nodes);
	snprintf(path, sizeof(path), "/sys/class/infiniband/%s/parent", ibdev);
	if (vfb_fs_read(c->root, path, nd, sizeof(nd)) > 0)
		snprintf(path, sizeof(path),
			 "/sys/class/net/%s/device/numa_node", nd);
	else
		snprintf(path, sizeof(path),
			 "/sys/class/infiniband/%s/device/numa_node", ibdev);
	if (vfb_fs_read_long(c->root, path, &node))
		dr_set(r, DR_SKIP, "", "%s: no numa_node (no PCI device)",
		       ibdev);
	else if (node < 0 && nodes > 1)
		dr_set(r, DR_WARN,
		       "the firmware does not report the device's locality: "
		       "enable ACPI SRAT/_PXM (NUMA) in the BIOS",
		       "%s: numa_node %ld on a host of %d nodes", path, node,
		       nodes);
	else
		dr_set(r, DR_PASS, "", "%s: numa_node %ld (%d node%s)", path,
		       node, nodes, nodes == 1 ? "" : "s");
}

static const struct dr_check dr_check_numa = {
	.id = "host.numa",
	.help = "the device's NUMA node known on a host of several",
	.scope = DR_IBDEV,
	.run = run_numa,
};

struct vf_walk {
	const struct dr_ctx *c;
	char found[200];
};

/* A VF with no physfn: passed through into this guest. */
static int note_passthrough(const char *bdf, void *arg)
{
	struct vf_walk *w = arg;
	char path[PATH_MAX], drv[32] = "";
	long vendor, device;
	size_t used = strlen(w->found);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/physfn", bdf);
	if (vfb_fs_exists(w->c->root, path) ||
	    dr_pci_long(w->c, bdf, "vendor", &vendor) ||
	    dr_pci_long(w->c, bdf, "device", &device))
		return 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	vfb_fs_link_name(w->c->root, path, drv, sizeof(drv));
	if ((vfb_vf_id_known((unsigned)vendor, (unsigned)device) ||
	     vfb_vf_driver(drv)) &&
	    used < sizeof(w->found) - 1)
		snprintf(w->found + used, sizeof(w->found) - used,
			 "; passthrough VF %s (%04lx:%04lx, %s)", bdf, vendor,
			 device, drv[0] ? drv : "no driver");
	return 0;
}

static void run_virt(const struct dr_ctx *c, const char *subject,
		     struct dr_result *r)
{
	struct vf_walk w = { .c = c };
	char name[32], evidence[160];

	(void)subject;
	if (!vfb_hypervisor(c->root, name, sizeof(name), evidence,
			    sizeof(evidence))) {
		dr_set(r, DR_PASS, "", "bare metal: %s", evidence);
		return;
	}
	vfb_fs_list(c->root, "/sys/bus/pci/devices", note_passthrough, &w);
	dr_set(r, DR_PASS, "", "guest of %s: %s%s", name, evidence, w.found);
}

static const struct dr_check dr_check_virt = {
	.id = "virt.guest",
	.help = "bare metal or which hypervisor, and the VFs passed through into this guest",
	.scope = DR_HOST,
	.run = run_virt,
};

/* The group, in the order its checks run. */
const struct dr_check *const dr_checks_host[] = {
	&dr_check_memlock,    &dr_check_hugepages,
	&dr_check_governor,   &dr_check_freq,
	&dr_check_irqbalance, &dr_check_numa,
	&dr_check_virt,	      NULL,
};
