// SPDX-License-Identifier: GPL-2.0
/* A server's runtime state and how it reaches the data path: HAProxy's
 * health counter, admin states, runtime weight, slowstart, and the one
 * function that writes a server's entry in the backends map. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "agent.h"
#include "gc.h"
#include "log.h"
#include "xlb_backend.h"
#include "xlb_srv_state.h"

uint64_t xlb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct xlb_srv *xlb_srv_find(struct xlb_agent *a, const char *be,
			     const char *name)
{
	int i;

	for (i = 0; i < XLB_MAX_BACKENDS; i++)
		if (a->srv[i].in_use && !strcmp(a->srv[i].backend, be) &&
		    !strcmp(a->srv[i].cfg.name, name))
			return &a->srv[i];
	return NULL;
}

static bool checking(const struct xlb_srv *s)
{
	return s->cfg.check && !s->check_disabled &&
	       s->admin != XLB_ADMIN_MAINT;
}

static int max_health(const struct xlb_srv *s)
{
	return s->cfg.chk.rise + s->cfg.chk.fall - 1;
}

/* HAProxy: a server whose checks are disabled (`disable health`) is
 * unchecked and considered UP unless an admin state says otherwise. */
bool xlb_srv_available(const struct xlb_srv *s)
{
	return s->in_use && s->admin != XLB_ADMIN_MAINT &&
	       (!s->cfg.check || s->check_disabled || s->up);
}

const char *xlb_srv_status(const struct xlb_srv *s, char *buf, size_t len)
{
	if (s->admin == XLB_ADMIN_MAINT)
		snprintf(buf, len, "MAINT");
	else if (s->admin == XLB_ADMIN_DRAIN && xlb_srv_available(s))
		snprintf(buf, len, "DRAIN");
	else if (!s->cfg.check || s->check_disabled)
		snprintf(buf, len, "no check");
	else if (s->up && s->health < max_health(s))
		/* UP, going down: HAProxy counts the failures still allowed. */
		snprintf(buf, len, "UP %d/%u", s->health - (int)s->cfg.chk.rise + 1,
			 s->cfg.chk.fall);
	else if (!s->up && s->health > 0)
		snprintf(buf, len, "DOWN %d/%u", s->health, s->cfg.chk.rise);
	else
		snprintf(buf, len, "%s", s->up ? "UP" : "DOWN");
	return buf;
}

/* Effective map weight: configured scale, drain, slowstart's ramp. */
static uint32_t effective_weight(const struct xlb_srv *s, uint64_t now)
{
	uint64_t w = (uint64_t)s->weight * XLB_WEIGHT_SCALE, elapsed;

	if (s->admin == XLB_ADMIN_DRAIN || !w)
		return 0;
	if (s->slowstart_from_ms && s->cfg.slowstart_ms) {
		elapsed = now - s->slowstart_from_ms;
		if (elapsed < s->cfg.slowstart_ms) {
			w = w * elapsed / s->cfg.slowstart_ms;
			if (w < 1)
				w = 1;
		}
	}
	return (uint32_t)w;
}

static void write_state(struct xlb_agent *a, struct xlb_srv *s)
{
	uint32_t id = xlb_srv_id(a, s);
	struct xlb_srv_state st = {};
	int fd = xlb_loader_map_fd(a->l, "server_state");

	if (fd < 0)
		return;
	st.in_use = s->in_use;
	st.admin = s->admin;
	st.weight = s->weight;
	st.check = s->cfg.check;
	st.check_disabled = s->check_disabled;
	st.up = s->up;
	st.health = s->health;
	st.rise = s->cfg.chk.rise;
	st.fall = s->cfg.chk.fall;
	xlb_srv_status(s, st.status, sizeof(st.status));
	snprintf(st.check_status, sizeof(st.check_status), "%s",
		 s->check_status);
	st.check_code = s->check_code;
	st.check_duration_ms = s->check_duration_ms;
	st.chkfail = s->chkfail;
	st.chkdown = s->chkdown;
	st.lastchg = s->lastchg;
	st.downtime_s = s->downtime_s;
	st.down_since = s->down_since;
	st.smax = s->smax;
	bpf_map_update_elem(fd, &id, &st, BPF_ANY);
}

int xlb_srv_apply(struct xlb_agent *a, struct xlb_srv *s)
{
	int fd = xlb_loader_map_fd(a->l, "backends");
	uint32_t id = xlb_srv_id(a, s);
	struct xlb_backend be = {};
	uint8_t fam;

	if (fd < 0)
		return fd;
	/* The source has the server's family: sync.c takes it from the
	 * route to the server. */
	xlb_addr_to_map(&s->cfg.addr, &be.addr, &be.family);
	xlb_addr_to_map(&s->src, &be.src, &fam);
	be.port = htons(s->cfg.port);
	be.weight = effective_weight(s, xlb_now_ms());
	be.flags = (xlb_srv_available(s) ? XLB_BACKEND_UP : 0) |
		   (s->cfg.backup ? XLB_BACKEND_BACKUP : 0);
	be.ifindex = s->ifindex;
	be.maxconn = s->cfg.maxconn;
	if (bpf_map_update_elem(fd, &id, &be, BPF_ANY)) {
		int err = -errno;

		pr_warn("xlb: %s/%s: cannot update the backends map: %s\n",
			s->backend, s->cfg.name, strerror(errno));
		return err;
	}
	s->applied_weight = be.weight;
	s->applied_flags = be.flags;
	write_state(a, s);
	return 0;
}

int64_t xlb_srv_active(const struct xlb_agent *a, const struct xlb_srv *s)
{
	int fd = xlb_loader_map_fd(a->l, "backend_conns");
	uint32_t id = xlb_srv_id(a, s);
	struct xlb_backend_conns c;

	if (fd < 0 || bpf_map_lookup_elem(fd, &id, &c))
		return 0;
	return c.active;
}

static void count_pool(const struct xlb_agent *a, const struct xlb_srv *s,
		       int *act, int *bck)
{
	int i;

	*act = *bck = 0;
	for (i = 0; i < XLB_MAX_BACKENDS; i++) {
		const struct xlb_srv *o = &a->srv[i];

		if (!o->in_use || strcmp(o->backend, s->backend) ||
		    !xlb_srv_available(o))
			continue;
		if (o->cfg.backup)
			(*bck)++;
		else
			(*act)++;
	}
}

const char *xlb_check_reason(const char *status)
{
	static const struct { const char *st, *why; } reasons[] = {
		{ "INI", "Initializing" },
		{ "L4OK", "Layer4 check passed" },
		{ "L4CON", "Layer4 connection problem" },
		{ "L4TOUT", "Layer4 timeout" },
		{ "L7OK", "Layer7 check passed" },
		{ "L7OKC", "Layer7 check conditionally passed" },
		{ "L7STS", "Layer7 wrong status" },
		{ "L7RSP", "Layer7 invalid response" },
		{ "L7TOUT", "Layer7 timeout" },
		{ "SOCKERR", "Socket error" },
	};
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcmp(reasons[i].st, status))
			return reasons[i].why;
	return status;
}

/* One line per transition, HAProxy-like. */
static void log_transition(const struct xlb_agent *a, const struct xlb_srv *s)
{
	char code[24] = "";
	int act, bck;

	count_pool(a, s, &act, &bck);
	if (s->check_code > 0 && s->check_status[0] == 'L' &&
	    s->check_status[1] == '7')
		snprintf(code, sizeof(code), ", code: %d", s->check_code);
	pr_info("server %s/%s is %s, reason: %s%s%s%s%s, check duration: %ums, "
		"%d active and %d backup servers %s\n", s->backend,
		s->cfg.name, s->up ? "UP" : "DOWN", xlb_check_reason(s->check_status),
		code, s->check_desc[0] ? ", info: \"" : "", s->check_desc,
		s->check_desc[0] ? "\"" : "", s->check_duration_ms, act, bck,
		s->up ? "online" : "left");
}

/* Shut down every flow of a server marked down (on-marked-down
 * shutdown-sessions): the expiry program marks them, the data path then
 * answers both ends with RSTs, and the counts drop now. */
static void shutdown_sessions(struct xlb_agent *a, struct xlb_srv *s)
{
	struct xlb_gc_result r;
	int err;

	err = xlb_gc_kill(xlb_loader_gc_fd(a->l), xlb_srv_id(a, s), &r);
	if (err)
		pr_warn("xlb: %s/%s: cannot shut down its sessions: %s\n",
			s->backend, s->cfg.name, strerror(-err));
	else
		pr_info("server %s/%s: %llu sessions shut down\n", s->backend,
			s->cfg.name, (unsigned long long)r.killed);
}

static void set_up(struct xlb_agent *a, struct xlb_srv *s, bool up)
{
	time_t now = time(NULL);

	s->up = up;
	s->lastchg = now;
	if (up) {
		if (s->down_since)
			s->downtime_s += now - s->down_since;
		s->down_since = 0;
		/* slowstart: not at start-up, only when coming back. */
		if (s->cfg.slowstart_ms)
			s->slowstart_from_ms = xlb_now_ms();
	} else {
		s->chkdown++;
		s->down_since = now;
		s->slowstart_from_ms = 0;
	}
	xlb_srv_apply(a, s);
	log_transition(a, s);
	if (!up && s->cfg.shutdown_sessions)
		shutdown_sessions(a, s);
}

void xlb_srv_check_result(struct xlb_agent *a, struct xlb_srv *s, bool ok,
			  const char *status, int code, uint32_t duration_ms,
			  const char *desc)
{
	int rise = s->cfg.chk.rise;

	snprintf(s->check_status, sizeof(s->check_status), "%s", status);
	snprintf(s->check_desc, sizeof(s->check_desc), "%s", desc ? desc : "");
	s->check_code = code;
	s->check_duration_ms = duration_ms;
	if (!checking(s))
		return;
	if (ok) {
		if (s->health < max_health(s))
			s->health++;
		if (!s->up && s->health >= rise) {
			s->health = max_health(s);
			set_up(a, s, true);
			return;
		}
	} else {
		s->chkfail++;
		if (s->health > rise) {
			s->health--;	/* still UP, degraded */
		} else if (s->up || s->health > 0) {
			s->health = 0;
			if (s->up) {
				set_up(a, s, false);
				return;
			}
		}
	}
	/* The result and the new health, even without a transition (set_up
	 * writes them itself). */
	write_state(a, s);
}

int xlb_srv_set_admin(struct xlb_agent *a, struct xlb_srv *s,
		      enum xlb_admin admin)
{
	bool was_maint = s->admin == XLB_ADMIN_MAINT;

	if (s->admin == admin)
		return 0;
	s->admin = admin;
	s->lastchg = time(NULL);
	/* Out of maintenance, checks start over as at start-up: UP with
	 * health = rise, so the first failed check counts. */
	if (was_maint && s->cfg.check) {
		s->up = true;
		s->health = s->cfg.chk.rise;
	}
	pr_info("server %s/%s is %s (set by the runtime API)\n", s->backend,
		s->cfg.name, admin == XLB_ADMIN_MAINT ? "going into maintenance" :
		admin == XLB_ADMIN_DRAIN ? "draining" : "ready");
	return xlb_srv_apply(a, s);
}

int xlb_srv_set_weight(struct xlb_agent *a, struct xlb_srv *s, uint32_t w)
{
	if (w > 256)
		return -ERANGE;
	s->weight = w;
	return xlb_srv_apply(a, s);
}

void xlb_servers_tick(struct xlb_agent *a, uint64_t now_ms)
{
	int i;

	for (i = 0; i < XLB_MAX_BACKENDS; i++) {
		struct xlb_srv *s = &a->srv[i];
		int64_t act;

		if (!s->in_use)
			continue;
		act = xlb_srv_active(a, s);
		if (act > s->smax) {
			s->smax = act;
			write_state(a, s);
		}
		if (!s->slowstart_from_ms)
			continue;
		if (now_ms - s->slowstart_from_ms >= s->cfg.slowstart_ms)
			s->slowstart_from_ms = 0;	/* full weight now */
		if (effective_weight(s, now_ms) != s->applied_weight)
			xlb_srv_apply(a, s);
	}
}
