/* SPDX-License-Identifier: GPL-2.0 */
/* The flow table: two entries per connection, one per direction. */
#ifndef XLB_FLOW_H
#define XLB_FLOW_H

#include <linux/types.h>
#include "xlb_addr.h"

/* Map "flows": hash, 5-tuple as seen on the wire -> struct xlb_flow. */
struct xlb_flow_key {
	struct xlb_addr src;
	struct xlb_addr dst;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 family;
	__u16 pad;
};

enum xlb_flow_dir {
	XLB_DIR_FORWARD = 0,	/* client -> VIP: holds the flow's state */
	XLB_DIR_REPLY = 1,	/* backend -> balancer source address:port */
};

/* TCP states, named as IPVS names them (timeouts in SEMANTICS.md). */
enum xlb_tcp_state {
	XLB_TCP_SYN_SENT = 0,	/* client SYN forwarded */
	XLB_TCP_SYN_RECV,	/* backend's SYN-ACK seen */
	XLB_TCP_ESTABLISHED,	/* client's ACK after the SYN-ACK */
	XLB_TCP_FIN_WAIT,	/* client sent FIN */
	XLB_TCP_CLOSE_WAIT,	/* backend sent FIN */
	XLB_TCP_TIME_WAIT,	/* FIN both ways */
	XLB_TCP_CLOSE,		/* RST seen */
	XLB_UDP,		/* UDP flow */
	XLB_STATE_MAX,
};

/* Event bits, set with atomic OR from either direction; the state is
 * derived from them so two CPUs never lose each other's update. */
#define XLB_EV_SYNACK	(1u << 0)
#define XLB_EV_ACK	(1u << 1)	/* client ACK after SYN-ACK */
#define XLB_EV_FIN_FWD	(1u << 2)
#define XLB_EV_FIN_REV	(1u << 3)
#define XLB_EV_RST	(1u << 4)
#define XLB_EV_KILLED	(1u << 5)	/* server marked down with
					 * shutdown-sessions: both entries
					 * answer every packet with a RST */

/* Where a packet leaves: interface and Ethernet addresses (the data
 * path's route lookup, or its cached result). */
struct xlb_egress {
	__u32 ifindex;
	__u8 smac[6];
	__u8 dmac[6];
};

struct xlb_flow {
	/* How to rewrite a packet of this direction. */
	struct xlb_addr nat_src;
	struct xlb_addr nat_dst;
	__be16 nat_sport;
	__be16 nat_dport;
	__u32 backend;		/* backend id */
	__u32 svc;		/* service id */
	__u32 ifindex;		/* interface towards nat_dst: the backend's
				 * egress (forward), the client's ingress
				 * (reply); the oif of the route lookup */
	__u8 dir;		/* enum xlb_flow_dir */
	__u8 state;		/* enum xlb_tcp_state, derived from events */
	__u8 family;
	__u8 proto;
	/* Meaningful in the forward entry only. */
	__u32 events;		/* XLB_EV_*, atomic OR */
	__u32 counted;		/* XLB_COUNT_*: which of its backend's
				 * counts the flow holds; moved by atomic
				 * cmpxchg/xchg only */
	__u64 created_ns;	/* bpf_ktime_get_ns() (CLOCK_MONOTONIC) */
	__u64 last_seen_ns;	/* refreshed at most every XLB_TOUCH_NS */
	__u8 client_mac[6];	/* previous hop of the client side */
	__u8 local_mac[6];	/* our MAC on the client side */
	/* This entry's packets' egress, as the route lookup last found it:
	 * used for XLB_EGRESS_NS instead of a lookup per packet (most of an
	 * established packet's cost), so a route or neighbour change applies
	 * to tracked flows within that time. */
	__u64 egress_ns;	/* when looked up; 0: not yet */
	struct xlb_egress egress;
};

#define XLB_EGRESS_NS	(1000ull * 1000 * 1000)

#define XLB_TOUCH_NS	(1000ull * 1000 * 1000)

/* The forward entry's "counted" word (struct xlb_backend_conns). */
#define XLB_COUNT_NONE	0	/* closed or expired: counts given back */
#define XLB_COUNT_HALF	1	/* in active and half_open (TCP handshake) */
#define XLB_COUNT_OPEN	2	/* in active only (ESTABLISHED on, or UDP) */

#endif
