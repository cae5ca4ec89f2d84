/* SPDX-License-Identifier: MIT */
/* vfbench drill: the events table, each event performed and undone
 * against a fake host (what it wrote, in order; a write that fails), the
 * phases of an interval, how QPs ended, a neighbour's penalty, the
 * target found by its PCI function in the lab's captured tree. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "deadline.h"
#include "drill.h"
#include "drillrun.h"
#include "fsroot.h"
#include "pathkind.h"
#include "suites.h"

/* A fake host: every write logged ("PATH=VAL;"); the write whose number
 * is FAIL_AT (1-based) fails with FAIL_ERR; paths in MISSING do not
 * exist; a VF's link state kept. */
struct fake {
	char log[1024];
	int writes, fail_at, fail_err;
	const char *missing;
	const char *flags;
	int link;
};

static int fk_write(void *ctx, const char *path, const char *val)
{
	struct fake *f = ctx;
	size_t n = strlen(f->log);

	if (++f->writes == f->fail_at)
		return -f->fail_err;
	snprintf(f->log + n, sizeof(f->log) - n, "%s=%s;", path, val);
	return 0;
}

static int fk_read(void *ctx, const char *path, char *buf, size_t len)
{
	struct fake *f = ctx;

	(void)path;
	return snprintf(buf, len, "%s", f->flags ? f->flags : "0x1003");
}

static bool fk_exists(void *ctx, const char *path)
{
	struct fake *f = ctx;

	return !f->missing || !strstr(path, f->missing);
}

static int fk_link_get(void *ctx, const char *pf, unsigned int vf)
{
	(void)pf, (void)vf;
	return ((struct fake *)ctx)->link;
}

static int fk_link_set(void *ctx, const char *pf, unsigned int vf, int state)
{
	char val[16];

	(void)vf;
	snprintf(val, sizeof(val), "%d", state);
	if (fk_write(ctx, pf, val))
		return -EOPNOTSUPP;
	((struct fake *)ctx)->link = state;
	return 0;
}

static void fk_sleep(void *ctx, unsigned int ms)
{
	(void)ctx, (void)ms;
}

static struct drl_sys fake_sys(struct fake *f)
{
	return (struct drl_sys){ .write = fk_write,
				 .read = fk_read,
				 .exists = fk_exists,
				 .vf_link_get = fk_link_get,
				 .vf_link_set = fk_link_set,
				 .sleep_ms = fk_sleep,
				 .ctx = f };
}

static const struct drl_target tgt = { .vf_bdf = "0000:01:10.0",
				       .pf_bdf = "0000:01:00.0",
				       .pf_netdev = "pf0",
				       .driver = "igbvf",
				       .vf = 0,
				       .num_vfs = 2,
				       .total_vfs = 7,
				       .hold_ms = 10 };

/* Every entry whole, names unique, each found by its name. */
static void test_table(void)
{
	size_t n, i, j;
	const struct drl_event *e = drl_events(&n);
	char names[256];

	CU_ASSERT_EQUAL(n, 6);
	drl_event_names(names, sizeof(names));
	for (i = 0; i < n; i++) {
		CU_ASSERT(e[i].name && e[i].help && e[i].how && e[i].undo &&
			  e[i].recovery && e[i].perform && e[i].restore);
		CU_ASSERT_PTR_EQUAL(drl_event_find(e[i].name), &e[i]);
		CU_ASSERT(strstr(names, e[i].name) != NULL);
		for (j = 0; j < i; j++)
			CU_ASSERT(strcmp(e[i].name, e[j].name) != 0);
	}
	CU_ASSERT_PTR_NULL(drl_event_find("vf-reset"));
	CU_ASSERT_PTR_NULL(drl_event_find(NULL));
}

static void test_parse(void)
{
	static const struct {
		const char *list;
		int want;
		const char *says;
	} cases[] = {
		{ "vf-flr", 1, NULL },
		{ "vf-flr,vf-rebind,pf-link-flap", 3, NULL },
		{ "vf-flr,vf-flr", -EINVAL, "each once: not 'vf-flr'" },
		{ "vf-reset", -EINVAL, "not 'vf-reset'" },
		{ "vf-flr,,vf-rebind", -EINVAL, "without empty items" },
		{ ",vf-flr", -EINVAL, "without empty items" },
		{ "vf-flr,", -EINVAL, "without empty items" },
		{ "", -EINVAL, "without empty items" },
	};
	const struct drl_event *ev[DRL_MAX_EVENTS];
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL(drl_events_parse(cases[i].list, ev,
						 DRL_MAX_EVENTS, err,
						 sizeof(err)),
				cases[i].want);
		if (cases[i].says)
			CU_ASSERT(strstr(err, cases[i].says) != NULL);
	}
	CU_ASSERT_EQUAL(
		drl_events_parse("vf-flr,vf-rebind", ev, 1, err, sizeof(err)),
		-EINVAL);
}

/* Each event writes what its entry says, in order, and leaves nothing
 * to undo when the host takes every write. */
static void test_perform(void)
{
	static const struct {
		const char *ev;
		const char *log;
	} cases[] = {
		{ "vf-flr", "/sys/bus/pci/devices/0000:01:10.0/reset=1;" },
		{ "vf-rebind",
		  "/sys/bus/pci/drivers/igbvf/unbind=0000:01:10.0;"
		  "/sys/bus/pci/drivers/igbvf/bind=0000:01:10.0;" },
		{ "vf-link-flap", "pf0=2;pf0=0;" },
		{ "vf-remove", "/sys/bus/pci/devices/0000:01:10.0/remove=1;"
			       "/sys/bus/pci/rescan=1;" },
		{ "pf-link-flap", "/sys/class/net/pf0/flags=0x1002;"
				  "/sys/class/net/pf0/flags=0x1003;" },
		{ "numvfs-in-use",
		  "/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs=3;" },
	};
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake f = { .log = "" };
		struct drl_sys sys = fake_sys(&f);
		const struct drl_event *e = drl_event_find(cases[i].ev);
		struct drl_undo u = { 0 };

		CU_ASSERT_EQUAL(e->perform(&sys, &tgt, &u, out, sizeof(out)),
				0);
		CU_ASSERT_STRING_EQUAL(f.log, cases[i].log);
		if (strcmp(cases[i].ev, "numvfs-in-use"))
			CU_ASSERT(!u.unbound && !u.removed && !u.link_down &&
				  !u.pf_down && !u.numvfs && !u.reconfigure);
		f.log[0] = '\0';
		if (!strcmp(cases[i].ev, "numvfs-in-use")) {
			/* the kernel took it: 0, then N again, settings back */
			CU_ASSERT_TRUE(u.numvfs);
			CU_ASSERT_EQUAL(
				e->restore(&sys, &tgt, &u, out, sizeof(out)),
				0);
			CU_ASSERT_STRING_EQUAL(
				f.log,
				"/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs=0;"
				"/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs=2;");
			CU_ASSERT_TRUE(u.reconfigure);
			CU_ASSERT_FALSE(u.numvfs);
		} else {
			CU_ASSERT_EQUAL(
				e->restore(&sys, &tgt, &u, out, sizeof(out)),
				0);
			CU_ASSERT_STRING_EQUAL(f.log, "");
		}
	}
}

/* A host that refuses: a refusal of numvfs is the expected outcome and
 * leaves nothing; no reset attribute is a skip that writes nothing. */
static void test_refused(void)
{
	struct fake f = { .log = "", .fail_at = 1, .fail_err = EBUSY };
	struct drl_sys sys = fake_sys(&f);
	struct drl_undo u = { 0 };
	char out[256];

	CU_ASSERT_EQUAL(drl_event_find("numvfs-in-use")
				->perform(&sys, &tgt, &u, out, sizeof(out)),
			0);
	CU_ASSERT(strstr(out, "refused: Device or resource busy") != NULL);
	CU_ASSERT_FALSE(u.numvfs);
	f = (struct fake){ .log = "", .missing = "/reset" };
	CU_ASSERT_EQUAL(drl_event_find("vf-flr")->perform(&sys, &tgt, &u, out,
							  sizeof(out)),
			-EOPNOTSUPP);
	CU_ASSERT(strstr(out, "no reset attribute") != NULL);
	CU_ASSERT_STRING_EQUAL(f.log, "");
	/* a VF without remove (the lab's 6.1: hidden on VFs): a skip */
	f = (struct fake){ .log = "", .missing = "/remove" };
	CU_ASSERT_EQUAL(drl_event_find("vf-remove")
				->perform(&sys, &tgt, &u, out, sizeof(out)),
			-EOPNOTSUPP);
	CU_ASSERT(strstr(out, "no remove attribute") != NULL);
	CU_ASSERT_STRING_EQUAL(f.log, "");
	CU_ASSERT_FALSE(u.removed);
}

/* A failure half way: what was changed is in the undo, and restore puts
 * it back (a rebind whose bind failed, a PF left down, a VF link left
 * disabled, a removed VF that a rescan does not bring back). */
static void test_restore_on_failure(void)
{
	static const struct {
		const char *ev;
		int fail_at;
		const char *missing;
		const char *restored;
	} cases[] = {
		{ "vf-rebind", 2, NULL,
		  "/sys/bus/pci/drivers/igbvf/bind=0000:01:10.0;" },
		{ "pf-link-flap", 2, NULL, "/sys/class/net/pf0/flags=0x1003;" },
		{ "vf-link-flap", 2, NULL, "pf0=0;" },
		{ "vf-remove", 2, NULL,
		  "/sys/bus/pci/rescan=1;"
		  "/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs=0;"
		  "/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs=2;" },
	};
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake f = { .log = "",
				  .fail_at = cases[i].fail_at,
				  .fail_err = EIO };
		struct drl_sys sys = fake_sys(&f);
		const struct drl_event *e = drl_event_find(cases[i].ev);
		struct drl_undo u = { 0 };

		CU_ASSERT(e->perform(&sys, &tgt, &u, out, sizeof(out)) < 0);
		f.log[0] = '\0';
		if (!strcmp(cases[i].ev, "vf-remove"))
			f.missing = "0000:01:10.0/vendor"; /* not back */
		CU_ASSERT_EQUAL(e->restore(&sys, &tgt, &u, out, sizeof(out)),
				0);
		CU_ASSERT_STRING_EQUAL(f.log, cases[i].restored);
		CU_ASSERT(!u.unbound && !u.pf_down && !u.link_down &&
			  !u.removed);
		/* restored: a second restore does nothing */
		f.log[0] = '\0';
		CU_ASSERT_EQUAL(e->restore(&sys, &tgt, &u, out, sizeof(out)),
				0);
		CU_ASSERT_STRING_EQUAL(f.log, "");
	}
}

/* A restore that fails says what stays, and keeps it to undo. */
static void test_restore_fails(void)
{
	struct fake f = { .log = "", .fail_at = 2, .fail_err = EIO };
	struct drl_sys sys = fake_sys(&f);
	struct drl_undo u = { 0 };
	char out[256];

	CU_ASSERT(drl_event_find("vf-rebind")
			  ->perform(&sys, &tgt, &u, out, sizeof(out)) < 0);
	f.fail_at = 3;
	CU_ASSERT_EQUAL(drl_event_find("vf-rebind")
				->restore(&sys, &tgt, &u, out, sizeof(out)),
			-EIO);
	CU_ASSERT(strstr(out, "/sys/bus/pci/drivers/igbvf/bind") != NULL);
	CU_ASSERT_TRUE(u.unbound);
}

static void test_phases(void)
{
	const struct drl_times down = { 1000, 1200, 3000, 500 };
	const struct drl_times kept = { 1000, 1200, NAN, 0 };

	CU_ASSERT_EQUAL(drl_phase_of(&down, 999), DRL_BEFORE);
	CU_ASSERT_EQUAL(drl_phase_of(&down, 1000), DRL_DURING);
	CU_ASSERT_EQUAL(drl_phase_of(&down, 2999), DRL_DURING);
	CU_ASSERT_EQUAL(drl_phase_of(&down, 3000), DRL_DURING);
	CU_ASSERT_EQUAL(drl_phase_of(&down, 3001), DRL_AFTER);
	/* never stopped: during until the event ended */
	CU_ASSERT_EQUAL(drl_phase_of(&kept, 1100), DRL_DURING);
	CU_ASSERT_EQUAL(drl_phase_of(&kept, 1201), DRL_AFTER);
	CU_ASSERT_STRING_EQUAL(drl_phase_name(DRL_AFTER), "after");
	/* an instant event that stopped nothing: during lasts 500 ms */
	const struct drl_times instant = { 1000, 1001, NAN, 500 };

	CU_ASSERT_EQUAL(drl_phase_of(&instant, 1400), DRL_DURING);
	CU_ASSERT_EQUAL(drl_phase_of(&instant, 1501), DRL_AFTER);
	CU_ASSERT_DOUBLE_EQUAL(drl_phase_end(&down), 3000, 1e-9);
	/* not performed: every interval was before it */
	CU_ASSERT_EQUAL(
		drl_phase_of(&(struct drl_times){ NAN, NAN, NAN, 0 }, 5),
		DRL_BEFORE);
}

static void test_qp_end(void)
{
	struct drl_fail f = { .failed = false };

	CU_ASSERT_STRING_EQUAL(drl_qp_end(&f), "survived");
	f = (struct drl_fail){ .failed = true, .err = -ETIMEDOUT };
	CU_ASSERT_STRING_EQUAL(drl_qp_end(&f), "hang");
	f = (struct drl_fail){
		.failed = true,
		.err = -EIO,
		.text = "rxe_vf0: work completion error: Work "
			"Request Flushed Error (vendor error 0x0)"
	};
	CU_ASSERT_STRING_EQUAL(drl_qp_end(&f), "flush");
	f = (struct drl_fail){ .failed = true,
			       .err = -EIO,
			       .text = "transport retry counter exceeded" };
	CU_ASSERT_STRING_EQUAL(drl_qp_end(&f), "error");
	f.device_gone = true;
	CU_ASSERT_STRING_EQUAL(drl_qp_end(&f), "gone");
}

static void test_penalty(void)
{
	double before[10], same[10], slow[10];
	struct vfb_ratio r;
	const char *v;
	char why[160];
	int i;

	for (i = 0; i < 10; i++) {
		before[i] = 100 + (i % 3);
		same[i] = 100 + ((i + 1) % 3);
		slow[i] = 2 * before[i];
	}
	CU_ASSERT_EQUAL(drl_penalty(before, 10, same, 10, true, 1.1, &r, &v,
				    why, sizeof(why)),
			0);
	CU_ASSERT_STRING_EQUAL(v, "pass");
	CU_ASSERT(r.lo <= r.est && r.est <= r.hi);
	/* latency doubled: worse; bandwidth doubled: better */
	drl_penalty(before, 10, slow, 10, true, 1.1, &r, &v, why, sizeof(why));
	CU_ASSERT_STRING_EQUAL(v, "fail");
	CU_ASSERT_DOUBLE_EQUAL(r.est, 2.0, 0.05);
	drl_penalty(before, 10, slow, 10, false, 1.1, &r, &v, why, sizeof(why));
	CU_ASSERT_STRING_EQUAL(v, "pass");
	CU_ASSERT_DOUBLE_EQUAL(r.est, 0.5, 0.02);
	/* bandwidth halved during: penalty 2 */
	drl_penalty(slow, 10, before, 10, false, 1.1, &r, &v, why, sizeof(why));
	CU_ASSERT_STRING_EQUAL(v, "fail");
	CU_ASSERT_EQUAL(drl_penalty(before, 10, slow, 0, true, 1.1, &r, &v, why,
				    sizeof(why)),
			-EINVAL);
	CU_ASSERT_STRING_EQUAL(v, "skip");
	CU_ASSERT(isnan(r.est));
	drl_penalty(before, 2, slow, 2, true, 1.1, &r, &v, why, sizeof(why));
	CU_ASSERT_STRING_EQUAL(v, "skip"); /* no interval from 2 a side */
}

/* The target found again by its PCI function: the lab's rxe_vf0. */
static void test_find_dev(void)
{
	struct vfb_fsroot *root = test_tree("lab-pair");
	struct host_devclass dc;
	char dev[64];

	CU_ASSERT_EQUAL_FATAL(host_classify(root, "rxe_vf0", &dc), 0);
	CU_ASSERT(dc.vf_index >= 0 && dc.pf_pci[0]);
	CU_ASSERT_EQUAL(drl_find_dev(root, dc.pci, dev, sizeof(dev)), 0);
	CU_ASSERT_STRING_EQUAL(dev, "rxe_vf0");
	CU_ASSERT_EQUAL(drl_find_dev(root, "0000:09:09.9", dev, sizeof(dev)),
			-ENODEV);
	CU_ASSERT_STRING_EQUAL(dev, "");
	vfb_fsroot_close(root);
}

/* A stream's thread that does not stop (a verbs call blocked in the
 * kernel after a reset, seen in the lab after vf-flr): the stop gives up
 * after join_ms, the stream is stuck and never started again; one that
 * stops is joined. */
static volatile int held = 1;

static void *blocked_main(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&held, __ATOMIC_ACQUIRE))
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	return NULL;
}

static void *polite_main(void *arg)
{
	struct drl_stream *s = arg;

	while (!s->stop)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	return NULL;
}

static void test_stream_stuck(void)
{
	static struct drl_stream s = { .main = polite_main, .join_ms = 200 };
	struct timespec a, b;

	pthread_mutex_init(&s.mu, NULL);
	CU_ASSERT_EQUAL_FATAL(drl_stream_start(&s), 0);
	CU_ASSERT_EQUAL(drl_stream_stop(&s), 0);
	CU_ASSERT(!s.stuck);
	s.main = blocked_main;
	CU_ASSERT_EQUAL_FATAL(drl_stream_start(&s), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	CU_ASSERT_EQUAL(drl_stream_stop(&s), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	CU_ASSERT(s.stuck && !s.running);
	CU_ASSERT((b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6 <
		  5000);
	CU_ASSERT_EQUAL(drl_stream_start(&s), -EBUSY);
	CU_ASSERT_EQUAL(drl_stream_stop(&s), 0);      /* not running: nothing */
	__atomic_store_n(&held, 0, __ATOMIC_RELEASE); /* it may go now */
	vfb_fsroot_close(s.root); /* a stuck stream's, left to it */
	s.root = NULL;
}

/* The repair of a target that did not come back: a rebind that blocks
 * in the kernel (an unbind waiting on the device's users) is bounded
 * by recovery_s; the drill says so and runs nothing after it. One that
 * returns is said as done. */
static volatile int write_held;

static int held_write(void *ctx, const char *path, const char *val)
{
	while (__atomic_load_n(&write_held, __ATOMIC_ACQUIRE))
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	return fk_write(ctx, path, val);
}

static void test_repair_bounded(void)
{
	static struct fake f = { .log = "" };
	static const struct drl_event ev = { .name = "vf-flr" };
	static const volatile int no_abort;
	struct drl_cfg c = { .recovery_s = 1, .timeout = 1 };
	static struct drl d;
	struct drl_ev_run er = { .ev = &ev };
	struct drl_sys sys = fake_sys(&f);
	struct timespec a, b;

	d = (struct drl){ .tgt = tgt, .c = &c, .abort = &no_abort };
	d.t0 = drl_now_ms(&d) / 1e3;
	sys.write = held_write;
	__atomic_store_n(&write_held, 1, __ATOMIC_RELEASE);
	clock_gettime(CLOCK_MONOTONIC, &a);
	drl_run_repair(&d, &sys, &er);
	clock_gettime(CLOCK_MONOTONIC, &b);
	CU_ASSERT((b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6 <
		  10000);
	CU_ASSERT_TRUE(er.blocked);
	CU_ASSERT_PTR_NOT_NULL(strstr(er.repair, "repair blocked"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d.wedged, "vf-flr"));
	__atomic_store_n(&write_held, 0, __ATOMIC_RELEASE); /* it may go */
	nanosleep(&(struct timespec){ 0, 50000000 }, NULL);

	er = (struct drl_ev_run){ .ev = &ev };
	d.wedged[0] = '\0';
	f.log[0] = '\0';
	drl_run_repair(&d, &sys, &er);
	CU_ASSERT_FALSE(er.blocked);
	CU_ASSERT_EQUAL(strncmp(er.repair, "repaired: ", 10), 0);
	CU_ASSERT_STRING_EQUAL(d.wedged, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(f.log, "igbvf/bind=0000:01:10.0"));
}

/* A counter read that blocks in the kernel (a sysfs file of a function
 * in reset; mlx5's PMA counters wait on its firmware) while a stream
 * keeps a row: the drill's main thread still counts the rows (its
 * waits, its progress lines), which it could not while the stream held
 * its lock over the read. */
static volatile int read_held;

static void held_counters(const struct vfb_fsroot *root, const char *netdev,
			  const char *ibdev, unsigned int port,
			  struct host_counters *c)
{
	(void)root, (void)netdev, (void)ibdev, (void)port;
	memset(c, 0, sizeof(*c));
	while (__atomic_load_n(&read_held, __ATOMIC_ACQUIRE))
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
}

static void *row_main(void *arg)
{
	struct vfb_result r;

	vfb_result_init(&r);
	snprintf(r.test, sizeof(r.test), "write_bw");
	drl_stream_row(arg, &r);
	return NULL;
}

static void *count_main(void *arg)
{
	drl_stream_count(arg, -INFINITY);
	return NULL;
}

static void test_row_read_blocks(void)
{
	static struct drl d;
	static struct drl_stream s = { .role = "target",
				       .counters = held_counters };
	struct timespec until;
	pthread_t row, count;
	bool counted;

	d.t0 = drl_now_ms(&d) / 1e3;
	s.d = &d;
	s.root = vfb_fsroot_open("/");
	s.dc.path = vfb_path_kind_find("vf");
	pthread_mutex_init(&s.mu, NULL);
	__atomic_store_n(&read_held, 1, __ATOMIC_RELEASE);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&row, NULL, row_main, &s), 0);
	nanosleep(&(struct timespec){ 0, 50000000 }, NULL); /* reading */
	CU_ASSERT_EQUAL_FATAL(pthread_create(&count, NULL, count_main, &s), 0);
	until = vfb_deadline_ms(3000);
	counted = !pthread_timedjoin_np(count, NULL, &until);
	CU_ASSERT_TRUE(counted);
	__atomic_store_n(&read_held, 0, __ATOMIC_RELEASE); /* it returns */
	pthread_join(row, NULL);
	if (!counted)
		pthread_join(count, NULL);
	CU_ASSERT_EQUAL(s.n, 1);
	free(s.rows);
	vfb_fsroot_close(s.root);
}

int test_drill_register(void)
{
	CU_pSuite s = CU_add_suite("drill", NULL, NULL);

	if (!s || !CU_add_test(s, "events table", test_table) ||
	    !CU_add_test(s, "events parsed", test_parse) ||
	    !CU_add_test(s, "each event's writes", test_perform) ||
	    !CU_add_test(s, "refusals", test_refused) ||
	    !CU_add_test(s, "restore on failure", test_restore_on_failure) ||
	    !CU_add_test(s, "a failed restore", test_restore_fails) ||
	    !CU_add_test(s, "phases", test_phases) ||
	    !CU_add_test(s, "how QPs ended", test_qp_end) ||
	    !CU_add_test(s, "neighbour penalty", test_penalty) ||
	    !CU_add_test(s, "target found by its VF", test_find_dev) ||
	    !CU_add_test(s, "a stream that does not stop", test_stream_stuck) ||
	    !CU_add_test(s, "a repair that blocks", test_repair_bounded) ||
	    !CU_add_test(s, "a counter read that blocks", test_row_read_blocks))
		return -1;
	return 0;
}
