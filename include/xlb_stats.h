/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU counters and the reasons a packet took a path. */
#ifndef XLB_STATS_H
#define XLB_STATS_H

#include <linux/types.h>

/* Map "svc_stats": percpu array, service id -> struct xlb_traffic.
 * Map "backend_stats": percpu array, backend id -> struct xlb_traffic
 * (to the backend and from it). */
struct xlb_traffic {
	__u64 packets;		/* client -> backend */
	__u64 bytes;
	__u64 reply_packets;	/* backend -> client */
	__u64 reply_bytes;
	__u64 new_flows;
};

/* Map "reasons": percpu array, enum xlb_reason -> packets. */
enum xlb_reason {
	XLB_R_FORWARD_TX = 0,	/* forwarded out of the ingress interface */
	XLB_R_FORWARD_REDIRECT,	/* forwarded to another attached interface */
	XLB_R_PASS_NOT_IP,	/* not IPv4/IPv6: the host's (ARP...) */
	XLB_R_PASS_NOT_SERVICE,	/* no service and no tracked flow */
	XLB_R_PASS_MALFORMED,	/* truncated or invalid header: kernel's */
	XLB_R_PASS_FRAGMENT,	/* IP fragment not of a tracked flow (a later
				 * fragment with no first one seen, or not
				 * TCP/UDP): kernel's (bpf/frag.h) */
	XLB_R_PASS_IPV6_EXT,	/* IPv6 with a routing header or more
				 * extension headers than walked (4) */
	XLB_R_PASS_VLAN,	/* VLAN-tagged service traffic: kernel's */
	XLB_R_PASS_NO_FLOW,	/* non-SYN to a VIP with no flow: kernel
				 * answers (RST) */
	XLB_R_DROP_NO_NEIGH,	/* next hop not resolved yet (see README) */
	XLB_R_DROP_NO_BACKEND,	/* UDP: no backend up with weight > 0 */
	XLB_R_TX_RST_NO_BACKEND,	/* TCP SYN, no backend: answered RST */
	XLB_R_TX_RST_KILLED,	/* packet of a shut-down flow: answered RST */
	XLB_R_DROP_KILLED,	/* RST on a shut-down flow: nothing to answer */
	XLB_R_DROP_NO_PORT,	/* no free source port */
	XLB_R_DROP_TABLE_FULL,	/* flow table full */
	XLB_R_DROP_SYN_RACE,	/* copy of a SYN another CPU just tracked */
	XLB_R_DROP_FIB,		/* no route to the next hop */
	XLB_R_DROP_NOT_ATTACHED,	/* egress interface not attached */
	XLB_R_FLOW_CREATED,	/* (event) a new flow */
	XLB_R_FLOW_CLOSED,	/* (event) closed by FIN/RST in the data path */
	XLB_R_FLOW_RECYCLED,	/* (event) a closed flow's port reused */
	XLB_R_FLOW_EXPIRED,	/* (event) an open flow idle past its timeout */
	XLB_R_TX_RST_TABLE_FULL,	/* TCP SYN, flow table full: answered
					 * RST (UDP: drop_table_full) */
	XLB_R_DROP_SYN_FLOOD,	/* SYN over the new-flow rate (syn_rate) */
	/* ICMP and fragments (bpf/icmp.h, bpf/frag.h) */
	XLB_R_TX_ICMP_ECHO,	/* echo request to a VIP: answered */
	XLB_R_PASS_ICMP_NO_FLOW,	/* ICMP error about no tracked flow */
	XLB_R_ICMP_ERROR_NAT,	/* (event) ICMP error about a tracked flow,
				 * translated and sent on (forward_*) */
	XLB_R_FRAG_FIRST,	/* (event) first fragment of a tracked flow's
				 * datagram: remembered for the others */
	XLB_R_FRAG_FOLLOW,	/* (event) later fragment sent on as its first
				 * one was (forward_*) */
	XLB_R_MAX,
};

#endif
