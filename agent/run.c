// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "run.h"
#include "config.h"
#include "gc.h"
#include "log.h"
#include "maps.h"
#include "sysctl.h"
#include "xlb_config_map.h"
#include "xlb_stats.h"

#define RUN_DIR "/run/xlb"
#define LOCK_PATH RUN_DIR "/xlb.lock"

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t hup_seen;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		hup_seen = 1;
	else
		stop_signal = sig;
}

/* One agent per network namespace's pins: an flock held for life, with our
 * pid inside for the message the next one prints. */
static int take_lock(void)
{
	char pid[32] = "";
	int fd;

	if (mkdir(RUN_DIR, 0755) && errno != EEXIST) {
		pr_warn("xlb: %s: %s\n", RUN_DIR, strerror(errno));
		return -errno;
	}
	fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		pr_warn("xlb: %s: %s\n", LOCK_PATH, strerror(errno));
		return -errno;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		ssize_t n = read(fd, pid, sizeof(pid) - 1);

		pid[n > 0 ? n : 0] = 0;
		pid[strcspn(pid, "\n")] = 0;
		pr_warn("xlb: another xlb agent is running (pid %s, lock %s); "
			"its pins are in %s\n", pid[0] ? pid : "?", LOCK_PATH,
			XLB_PIN_ROOT);
		close(fd);
		return -EBUSY;
	}
	if (ftruncate(fd, 0) == 0) {
		snprintf(pid, sizeof(pid), "%d\n", getpid());
		if (write(fd, pid, strlen(pid)) < 0)
			pr_debug("xlb: %s: %s\n", LOCK_PATH, strerror(errno));
	}
	return fd;
}

static int open_ifaces(const struct xlb_run_opts *o, struct xlb_iface *ifc)
{
	int i, err;

	if (!o->nifaces) {
		pr_warn("xlb: no interface: give at least one -i IFACE\n");
		return -EINVAL;
	}
	for (i = 0; i < o->nifaces; i++) {
		err = xlb_iface_get(o->ifaces[i], &ifc[i]);
		if (err) {
			pr_warn("xlb: %s: %s\n", o->ifaces[i],
				err == -ENODEV ? "no such interface" :
						 strerror(-err));
			return err;
		}
	}
	return 0;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void serve(const struct xlb_loader *l, unsigned int gc_ms)
{
	struct timespec tick = { gc_ms / 1000, (gc_ms % 1000) * 1000000L };
	uint64_t no_neigh = xlb_reason_total(l, XLB_R_DROP_NO_NEIGH), now;
	struct xlb_gc_result r;
	int fd = xlb_loader_gc_fd(l), err;

	while (!stop_signal) {
		nanosleep(&tick, NULL);	/* a signal cuts it short */
		if (hup_seen) {
			hup_seen = 0;
			pr_warn("xlb: SIGHUP: configuration reload is not "
				"supported yet; restart xlb to apply changes\n");
		}
		now = xlb_reason_total(l, XLB_R_DROP_NO_NEIGH);
		if (now != no_neigh) {
			no_neigh = now;
			pr_info("xlb: next hop unresolved (%llu drops so far): "
				"asked the kernel again to resolve %d\n",
				(unsigned long long)now, xlb_neigh_refresh(l));
		}
		err = xlb_gc_run(fd, 0, &r);
		if (err)
			pr_warn("xlb: expiry pass failed: %s\n", strerror(-err));
		else if (r.removed)
			pr_debug("xlb: expiry: %llu scanned, %llu removed, "
				 "%llu expired open\n",
				 (unsigned long long)r.scanned,
				 (unsigned long long)r.removed,
				 (unsigned long long)r.expired);
	}
	pr_info("xlb: %s: detaching\n", strsignal(stop_signal));
}

static int start(const struct xlb_run_opts *o, const struct xlb_config *cfg,
		 struct xlb_loader *l)
{
	struct xlb_iface ifc[XLB_MAX_IFACES];
	struct xlb_settings s;
	int i, err;

	err = open_ifaces(o, ifc);
	if (err)
		return err;
	err = xlb_bpffs_ensure();
	if (err)
		return err;
	if (access(XLB_PIN_ROOT, F_OK) == 0) {
		pr_info("xlb: removing pins left by an earlier run in %s\n",
			XLB_PIN_ROOT);
		xlb_pins_remove();
	}
	err = xlb_loader_open(l, o->flows);
	if (err)
		return err;
	xlb_settings_defaults(&s);
	s.port_min = o->port_min;
	s.port_max = o->port_max;
	err = xlb_settings_write(l, &s);
	if (err)
		return err;
	for (i = 0; i < o->nifaces; i++) {
		err = xlb_forwarding_enable(ifc[i].name);
		if (!err)
			err = xlb_loader_attach(l, &ifc[i], o->mode);
		if (err)
			return err;
	}
	err = xlb_maps_install(l, cfg);
	if (err)
		return err;
	return xlb_ports_reserve(s.port_min, s.port_max);
}

int xlb_cmd_run(const struct xlb_run_opts *o)
{
	struct xlb_config *cfg;
	struct xlb_loader *l;
	int lock, err;

	cfg = calloc(1, sizeof(*cfg));
	l = calloc(1, sizeof(*l));
	if (!cfg || !l) {
		free(cfg);
		free(l);
		return -ENOMEM;
	}
	err = xlb_config_load(o->config, cfg, stderr, stdout);
	if (err)
		goto out_free;
	if (cfg->daemon)
		pr_info("xlb: 'daemon' in global: xlb run stays in the "
			"foreground (run it under systemd, or with &)\n");
	lock = take_lock();
	if (lock < 0) {
		err = lock;
		goto out_free;
	}
	install_signals();
	err = start(o, cfg, l);
	if (!err) {
		xlb_config_print(cfg, stdout);
		pr_info("xlb: ready (pid %d); Ctrl-C or SIGTERM detaches\n",
			getpid());
		serve(l, o->gc_interval_ms);
	}
	xlb_loader_close(l, true);
	xlb_sysctl_restore_all();
	close(lock);
out_free:
	free(cfg);
	free(l);
	return err;
}
