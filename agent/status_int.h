/* SPDX-License-Identifier: GPL-2.0 */
/* `xlb status`'s insides, shared by status.c (printing) and status_read.c
 * (reading the pinned maps) and nothing else. */
#ifndef XLB_STATUS_INT_H
#define XLB_STATUS_INT_H

#include <stdbool.h>
#include "xlb_limits.h"
#include "xlb_service.h"
#include "xlb_backend.h"
#include "xlb_flow.h"
#include "xlb_stats.h"
#include "xlb_names.h"
#include "xlb_srv_state.h"

enum { M_SERVICES, M_SVC_BACKENDS, M_BACKENDS, M_BACKEND_CONNS, M_FLOWS,
       M_SVC_STATS, M_BACKEND_STATS, M_REASONS, M_SVC_NAMES, M_BACKEND_NAMES,
       M_SERVER_STATE, M_NR };
/* Maps from M_OPTIONAL on may be missing (pinned by an older xlb): the
 * status then shows what the others tell. */
#define M_OPTIONAL M_SERVER_STATE

struct vip {
	struct xlb_svc_key key;
	__u32 id;
};

struct server {
	struct xlb_backend_name nm;
	struct xlb_backend be;
	struct xlb_backend_conns conns;
	struct xlb_traffic t;
	struct xlb_srv_state ss;
	bool has_ss;		/* the agent's state (server_state) */
};

struct status {
	int fd[M_NR];
	__u32 max[M_NR];			/* max_entries */
	int ncpu;
	void *pcpu;				/* one per-CPU lookup */
	struct vip *vips;
	__u32 nvips;
	__u64 entries, conns, by_state[XLB_STATE_MAX];
	bool capped;
	__u64 reasons[XLB_R_MAX];
	/* The service being printed. */
	__u32 id;
	struct xlb_svc_name nm;
	struct xlb_traffic t;
	__u32 nsrv;
	struct server srv[XLB_MAX_SVC_BACKENDS];
};

/* Open every map (M_OPTIONAL on may be missing); 0 or -errno. */
int xlb_status_open_maps(struct status *st);
/* Map m's per-CPU entry id summed into out (zeros if unreadable). */
void xlb_status_pcpu_sum(const struct status *st, int m, __u32 id, void *out);
bool xlb_status_lookup(const struct status *st, int m, __u32 id, void *out);
int xlb_status_read_vips(struct status *st);
/* The flow table, counted by state (at most FLOW_WALK_MAX entries). */
int xlb_status_read_flows(struct status *st);
/* Service id's traffic and servers into st. */
void xlb_status_read_service(struct status *st, __u32 id);

#endif
