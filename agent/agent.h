/* SPDX-License-Identifier: GPL-2.0 */
/* The running agent: its configuration, the runtime state of every server
 * (admin state, runtime weight, health), and what it installed in the
 * maps. Backend ids are stable per (backend, server) name, across reloads
 * and agent restarts, because flows in the table refer to them. */
#ifndef XLB_AGENT_H
#define XLB_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "config.h"
#include "loader.h"
#include "xlb_service.h"

enum xlb_admin {
	XLB_ADMIN_READY = 0,
	XLB_ADMIN_DRAIN,	/* no new flows; existing ones continue */
	XLB_ADMIN_MAINT,	/* like drain, and checks stopped */
};

struct xlb_check;		/* health.c's per-server context */

/* Runtime state of one server; indexed by its backend id. */
struct xlb_srv {
	bool in_use;
	char backend[XLB_NAME_MAX];
	struct xlb_cfg_server cfg;	/* as configured (or added) */
	const struct xlb_cfg_backend *pool;	/* its backend section */
	uint32_t weight;		/* runtime weight, 0..256 */
	enum xlb_admin admin;
	bool check_disabled;		/* `disable health` */

	/* Health, with HAProxy's counter: 0..rise+fall-1, UP at >= rise. */
	int health;
	bool up;
	char check_status[8];		/* L4OK, L4CON, L4TOUT, L7OK, ... */
	int check_code;			/* HTTP status of the last L7 check */
	uint32_t check_duration_ms;
	char check_desc[128];
	uint64_t chkfail, chkdown;	/* failed checks, UP->DOWN changes */
	time_t lastchg;			/* wall clock of the last change */
	uint64_t downtime_s;		/* accumulated time DOWN */
	time_t down_since;		/* 0 while UP */
	uint64_t slowstart_from_ms;	/* monotonic; 0 = no ramp running */
	uint32_t applied_weight;	/* what the map holds now */
	uint32_t applied_flags;

	struct xlb_cfg_addr src;	/* our address towards it, of its
					 * family (never link-local) */
	int ifindex;			/* egress interface */
	int64_t smax;			/* highest active count seen */
	struct xlb_check *chk;
};

struct xlb_agent {
	struct xlb_loader *l;
	struct xlb_config *cfg;		/* the configuration in force */
	struct xlb_srv srv[XLB_MAX_BACKENDS];
	/* The service ids of each frontend (index in cfg->frontends), one
	 * per family of its binds, [0] IPv4 and [1] IPv6 (xlb_fam_idx()),
	 * UINT32_MAX where it has no bind of that family: xlb does not
	 * translate between families, so each family's binds form a
	 * service of their own, with the backend's servers of that family.
	 * And the frontend name and family of each service id in use
	 * ("" = free). */
	uint32_t svc_id[XLB_CFG_MAX_FRONTENDS][2];
	char svc_name[XLB_MAX_SERVICES][XLB_NAME_MAX];
	int svc_family[XLB_MAX_SERVICES];	/* AF_INET or AF_INET6 */
	bool fwd6;			/* IPv6 forwarding enabled (sysctl.h) */
	/* Service keys installed, to remove those a reload drops. */
	struct xlb_svc_key keys[XLB_MAX_SERVICES * 4];
	int nkeys;
	time_t started;
	bool stop;
	bool keep;			/* --keep: leave attached and pinned */
	bool adopted;			/* took over a running data path */
	int epfd;			/* the event loop (loop.c) */
	void *health;			/* health.c's state */
	void *ctl;			/* ctl.c's state */
	void *metrics;			/* metrics.c's state */
};

uint64_t xlb_now_ms(void);	/* CLOCK_MONOTONIC */

/* Index of a family in xlb_agent.svc_id[]: 0 IPv4, 1 IPv6. */
static inline int xlb_fam_idx(int family)
{
	return family == AF_INET6;
}

/* Find a server by "backend/server"; NULL if unknown. */
struct xlb_srv *xlb_srv_find(struct xlb_agent *a, const char *be,
			     const char *name);
static inline uint32_t xlb_srv_id(const struct xlb_agent *a,
				  const struct xlb_srv *s)
{
	return (uint32_t)(s - a->srv);
}

/* Is the server available for new flows (before weight)? */
bool xlb_srv_available(const struct xlb_srv *s);
/* HAProxy's words for a check status ("L4CON" -> "Layer4 connection
 * problem"), for logs and `show stat`'s check_desc; unknown ones as they
 * are. */
const char *xlb_check_reason(const char *status);
/* "UP", "DOWN", "DRAIN", "MAINT", "UP 1/3", "DOWN 1/2", "no check". */
const char *xlb_srv_status(const struct xlb_srv *s, char *buf, size_t len);

/* Write the server's backends-map entry from its runtime state (effective
 * weight with slowstart, UP/BACKUP flags, maxconn), and its server_state
 * entry (include/xlb_srv_state.h). Returns 0 or -errno. */
int xlb_srv_apply(struct xlb_agent *a, struct xlb_srv *s);
/* A check result (HAProxy's health counter), logging transitions. */
void xlb_srv_check_result(struct xlb_agent *a, struct xlb_srv *s, bool ok,
			  const char *status, int code, uint32_t duration_ms,
			  const char *desc);
/* Admin changes from the control socket. */
int xlb_srv_set_admin(struct xlb_agent *a, struct xlb_srv *s,
		      enum xlb_admin admin);
int xlb_srv_set_weight(struct xlb_agent *a, struct xlb_srv *s, uint32_t w);
/* Once per tick: slowstart ramps, smax. */
void xlb_servers_tick(struct xlb_agent *a, uint64_t now_ms);
/* Active count of a server from the map. */
int64_t xlb_srv_active(const struct xlb_agent *a, const struct xlb_srv *s);

/* How the balancer reaches server s of backend b (sync.c): the kernel's
 * route, its source address (the backend's `source` when it has the
 * server's family, else the route's, never link-local) and egress, which
 * must be an interface xlb is attached to: -EHOSTUNREACH with r->oif set
 * when it is not. Returns 0 or -errno. */
struct xlb_route;
int xlb_server_route(const struct xlb_loader *l,
		     const struct xlb_cfg_backend *b,
		     const struct xlb_cfg_server *s, struct xlb_route *r);
/* Why xlb_server_route() failed, for "no route: %s" messages. */
const char *xlb_route_strerror(int err, int family);

/* Apply cfg to the maps (start and reload): servers matched by name keep
 * their id, state and flows; new ones are added, removed ones stop taking
 * flows. Everything that can fail (routes, limits) is checked before any
 * map is written, so an error leaves the running state as it was. */
int xlb_sync(struct xlb_agent *a, struct xlb_config *cfg);
/* xlb_sync, then the old configuration is freed (cfg is the agent's). */
int xlb_agent_apply_cfg(struct xlb_agent *a, struct xlb_config *cfg);
/* Re-read the agent's configuration file and apply it; errors (with
 * file:line) go to err and leave the running state as it was. */
int xlb_agent_reload(struct xlb_agent *a, FILE *err);

#endif
