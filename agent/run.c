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
#include <sys/signalfd.h>
#include "run.h"
#include "agent.h"
#include "adopt.h"
#include "loop.h"
#include "health.h"
#include "ctl.h"
#include "metrics.h"
#include "config.h"
#include "gc.h"
#include "log.h"
#include "maps.h"
#include "sysctl.h"
#include "xlb_config_map.h"
#include "xlb_stats.h"

#define RUN_DIR XLB_RUN_DIR
#define LOCK_PATH xlb_lock_path()

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

struct sigwatch {
	struct xlb_watch w;
};

static void on_signal(struct xlb_agent *a, struct xlb_watch *w, uint32_t ev)
{
	struct signalfd_siginfo si;

	while (read(w->fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			pr_info("xlb: SIGHUP: reloading %s\n", a->cfg->path);
			xlb_agent_reload(a, stderr);
			continue;
		}
		pr_info("xlb: %s: %s\n", strsignal(si.ssi_signo),
			a->keep ? "leaving the program attached and the maps "
				  "pinned (--keep)" : "detaching");
		a->stop = true;
	}
}

static int watch_signals(struct xlb_agent *a, struct sigwatch *sw)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a control client that went away */
	sw->w.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	sw->w.fn = on_signal;
	if (sw->w.fd < 0)
		return -errno;
	return xlb_loop_add(a, &sw->w, EPOLLIN);
}

int xlb_agent_apply_cfg(struct xlb_agent *a, struct xlb_config *cfg)
{
	struct xlb_config *old = a->cfg;
	int err = xlb_sync(a, cfg);

	if (err)
		return err;
	if (old && old != cfg)
		free(old);
	return 0;
}

int xlb_agent_reload(struct xlb_agent *a, FILE *err)
{
	struct xlb_config *cfg = calloc(1, sizeof(*cfg));
	int rc;

	if (!cfg)
		return -ENOMEM;
	rc = xlb_config_load(a->cfg->path, cfg, err, stdout);
	if (!rc)
		rc = xlb_agent_apply_cfg(a, cfg);
	if (rc) {
		free(cfg);
		fprintf(err, "xlb: reload of %s failed: the running "
			"configuration is unchanged\n", a->cfg->path);
		pr_warn("xlb: reload failed: the running configuration is "
			"unchanged\n");
		return rc;
	}
	pr_info("xlb: reloaded %s\n", cfg->path);
	return 0;
}

/* A fresh request to resolve next hops when the data path met an
 * unresolved one. */
static void check_neighbours(struct xlb_agent *a, uint64_t *no_neigh)
{
	uint64_t n = xlb_reason_total(a->l, XLB_R_DROP_NO_NEIGH);

	if (n != *no_neigh) {
		*no_neigh = n;
		pr_info("xlb: next hop unresolved (%llu drops so far): asked "
			"the kernel again to resolve %d\n",
			(unsigned long long)n, xlb_neigh_refresh(a->l));
	}
}

/* One expiry pass; returns when the next one is due. A pass walks the
 * whole flow table (about 1.5 s per million flows here), so the agent
 * waits 20 times as long as the pass took, at least a second: expiry
 * then costs at most ~5% of a core, and timeouts (10 s and more) are kept
 * to within that interval. */
static uint64_t expire(struct xlb_agent *a, uint64_t now)
{
	struct xlb_gc_result r;
	uint64_t took;
	int err;

	err = xlb_gc_run(xlb_loader_gc_fd(a->l), 0, &r);
	took = xlb_now_ms() - now;
	if (err)
		pr_warn("xlb: expiry pass failed: %s\n", strerror(-err));
	else if (r.removed)
		pr_debug("xlb: expiry: %llu scanned, %llu removed, %llu "
			 "expired open\n", (unsigned long long)r.scanned,
			 (unsigned long long)r.removed,
			 (unsigned long long)r.expired);
	return now + (took * 20 > 1000 ? took * 20 : 1000);
}

static void serve(struct xlb_agent *a)
{
	uint64_t no_neigh = xlb_reason_total(a->l, XLB_R_DROP_NO_NEIGH);
	uint64_t now, last_second = xlb_now_ms(), last_tick = 0;
	uint64_t next_expiry = last_second + 1000;
	int timeout;

	while (!a->stop) {
		now = xlb_now_ms();
		timeout = 100 - (int)(now - last_tick);
		timeout = xlb_health_next_ms(a, now, timeout < 0 ? 0 : timeout);
		xlb_loop_once(a, timeout);
		now = xlb_now_ms();
		xlb_health_tick(a, now);
		if (now - last_tick >= 100) {
			last_tick = now;
			xlb_servers_tick(a, now);
		}
		if (now - last_second >= 1000) {
			last_second = now;
			check_neighbours(a, &no_neigh);
		}
		if (now >= next_expiry)
			next_expiry = expire(a, now);
	}
}

/* Generic XDP redirecting between interfaces: the kernel checks each
 * redirected skb against the egress MTU (xdp_ok_fwd_dev), so a GRO or TSO
 * aggregate (a sender's 64 KiB TCP segment over veth) is dropped with
 * EMSGSIZE after the program chose it: bulk TCP stalls. XDP_TX (one arm)
 * and native mode see wire-sized frames and are not affected. */
static void warn_generic_redirect(const struct xlb_loader *l)
{
	int i, generic = 0;

	for (i = 0; i < l->n; i++)
		generic += l->att[i].mode == XDP_MODE_SKB;
	if (l->n > 1 && generic)
		pr_warn("xlb: generic XDP on %d of %d interfaces: packets "
			"redirected between interfaces must fit the egress "
			"MTU, and the kernel drops GRO/TSO aggregates larger "
			"than it (bulk TCP from senders with TSO stalls); "
			"native mode, or GRO and TSO off upstream, avoid it "
			"(see README, Known limits)\n", generic, l->n);
}

static int start(const struct xlb_run_opts *o, struct xlb_agent *a,
		 struct xlb_config *cfg)
{
	struct xlb_iface ifc[XLB_MAX_IFACES];
	struct xlb_settings s;
	bool adopt;
	int i, err;

	err = open_ifaces(o, ifc);
	if (err)
		return err;
	err = xlb_bpffs_ensure();
	if (err)
		return err;
	adopt = access(XLB_PIN_ROOT, F_OK) == 0;
	if (adopt)
		pr_info("xlb: adopting the maps pinned in %s by an earlier "
			"run\n", XLB_PIN_ROOT);
	err = xlb_loader_open(a->l, o->flows);
	if (err)
		return err;
	xlb_settings_defaults(&s);
	s.port_min = o->port_min;
	s.port_max = o->port_max;
	s.syn_rate = o->syn_rate;
	if (s.syn_rate)
		pr_info("xlb: SYN flood guard: at most %u new TCP flows per "
			"second per CPU, the rest dropped (drop_syn_flood)\n",
			s.syn_rate);
	err = xlb_settings_write(a->l, &s);
	if (err)
		return err;
	for (i = 0; i < o->nifaces; i++) {
		err = xlb_forwarding_enable(ifc[i].name);
		if (!err)
			err = xlb_loader_attach(a->l, &ifc[i], o->mode);
		if (err)
			return err;
	}
	warn_generic_redirect(a->l);
	if (adopt) {
		err = xlb_adopt_state(a);
		if (err)
			return err;
	}
	err = xlb_agent_apply_cfg(a, cfg);
	if (err)
		return err;
	return xlb_ports_reserve(s.port_min, s.port_max);
}

static int start_services(const struct xlb_run_opts *o, struct xlb_agent *a)
{
	const char *metrics = o->metrics ? o->metrics : a->cfg->metrics;

	const char *sock = a->cfg->stats_socket;
	int err;

	/* An instance's default socket is its own (paths.h). */
	if (!strcmp(sock, XLB_DEFAULT_SOCKET))
		sock = xlb_default_socket();
	err = xlb_health_start(a);
	if (!err)
		err = xlb_ctl_start(a, sock);
	if (!err && metrics && metrics[0])
		err = xlb_metrics_start(a, metrics);
	return err;
}

int xlb_cmd_run(const struct xlb_run_opts *o)
{
	struct xlb_config *cfg;
	struct xlb_agent *a;
	struct sigwatch sw = {};
	bool cleanup;
	int lock, err;

	cfg = calloc(1, sizeof(*cfg));
	a = calloc(1, sizeof(*a));
	if (!cfg || !a || !(a->l = calloc(1, sizeof(*a->l)))) {
		err = -ENOMEM;
		goto out_free;
	}
	a->keep = o->keep;
	a->started = time(NULL);
	a->epfd = -1;
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
	err = xlb_loop_init(a);
	if (!err)
		err = watch_signals(a, &sw);
	if (!err)
		err = start(o, a, cfg);
	if (!err) {
		cfg = NULL;	/* a->cfg now */
		err = start_services(o, a);
	}
	if (!err) {
		xlb_config_print(a->cfg, stdout);
		pr_info("xlb: ready (pid %d); Ctrl-C or SIGTERM %s\n", getpid(),
			a->keep ? "exits, leaving the data path running" :
				  "detaches");
		serve(a);
	}
	xlb_metrics_stop(a);
	xlb_ctl_stop(a);
	xlb_health_stop(a);
	/* A failed start after adopting leaves the data path it found
	 * running; a failed fresh start leaves nothing. */
	cleanup = err ? !a->adopted : !a->keep;
	xlb_loader_close(a->l, cleanup, cleanup);
	xlb_sysctl_restore_all();
	if (sw.w.fd > 0)
		close(sw.w.fd);
	xlb_loop_fini(a);
	close(lock);
out_free:
	free(cfg);
	if (a) {
		free(a->cfg);
		free(a->l);
	}
	free(a);
	return err;
}
