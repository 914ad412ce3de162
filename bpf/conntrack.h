/* SPDX-License-Identifier: GPL-2.0 */
/* Flow tracking: TCP events from both directions, the derived state, and
 * the one place where a flow gives its count back. */
#ifndef XLB_BPF_CONNTRACK_H
#define XLB_BPF_CONNTRACK_H

#include "maps.h"
#include "parse.h"

static __always_inline void flow_key4(struct xlb_flow_key *k, __be32 src,
				      __be32 dst, __be16 sport, __be16 dport,
				      __u8 proto)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->src.a[0] = src;
	k->dst.a[0] = dst;
	k->sport = sport;
	k->dport = dport;
	k->proto = proto;
	k->family = XLB_AF_INET;
}

/* The key of a parsed TCP/UDP packet, as it is on the wire. */
static __always_inline void flow_key_pkt(struct xlb_flow_key *k,
					 const struct pkt *p, int v6)
{
	__builtin_memset(k, 0, sizeof(*k));
	pkt_addrs(p, v6, &k->src, &k->dst);
	k->sport = p->sport;
	k->dport = p->dport;
	k->proto = p->proto;
	k->family = p->family;
}

/* The key of the other direction: a packet of this entry's direction,
 * once rewritten, travels as nat_src:nat_sport -> nat_dst:nat_dport, so
 * its answer arrives with those swapped. */
static __always_inline void flow_peer_key(struct xlb_flow_key *k,
					  const struct xlb_flow *f)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->src = f->nat_dst;
	k->dst = f->nat_src;
	k->sport = f->nat_dport;
	k->dport = f->nat_sport;
	k->proto = f->proto;
	k->family = f->family;
}

static __always_inline __u8 flow_state_of(__u8 proto, __u32 ev)
{
	if (proto != IPPROTO_TCP)
		return XLB_UDP;
	if (ev & XLB_EV_RST)
		return XLB_TCP_CLOSE;
	if ((ev & XLB_EV_FIN_FWD) && (ev & XLB_EV_FIN_REV))
		return XLB_TCP_TIME_WAIT;
	if (ev & XLB_EV_FIN_FWD)
		return XLB_TCP_FIN_WAIT;
	if (ev & XLB_EV_FIN_REV)
		return XLB_TCP_CLOSE_WAIT;
	if (ev & XLB_EV_ACK)
		return XLB_TCP_ESTABLISHED;
	if (ev & XLB_EV_SYNACK)
		return XLB_TCP_SYN_RECV;
	return XLB_TCP_SYN_SENT;
}

static __always_inline int flow_is_closed(__u32 ev)
{
	return (ev & XLB_EV_RST) ||
	       ((ev & XLB_EV_FIN_FWD) && (ev & XLB_EV_FIN_REV));
}

/* Give the flow's count back, exactly once: whoever swaps "counted" to
 * XLB_COUNT_NONE (this data path on FIN/RST, or the expiry program)
 * decrements active, and half_open too if the flow still held one there. */
static __always_inline int flow_release(struct xlb_flow *fwd)
{
	struct xlb_backend_conns *c;
	__u32 bid = fwd->backend, was;

	was = __atomic_exchange_n(&fwd->counted, XLB_COUNT_NONE,
				  __ATOMIC_SEQ_CST);
	if (was != XLB_COUNT_HALF && was != XLB_COUNT_OPEN)
		return 0;
	c = bpf_map_lookup_elem(&backend_conns, &bid);
	if (c) {
		if (was == XLB_COUNT_HALF)
			__sync_fetch_and_add(&c->half_open, -1);
		__sync_fetch_and_add(&c->active, -1);
	}
	return 1;
}

/* The handshake completed: the flow's count moves from half_open to
 * established (it stays in active), exactly once: only the party whose
 * compare-and-swap takes "counted" from HALF to OPEN moves it; a flow
 * already closed (NONE) or moved (OPEN) is left alone. */
static __always_inline void flow_establish(struct xlb_flow *fwd)
{
	struct xlb_backend_conns *c;
	__u32 bid = fwd->backend;

	if (__sync_val_compare_and_swap(&fwd->counted, XLB_COUNT_HALF,
					XLB_COUNT_OPEN) != XLB_COUNT_HALF)
		return;
	c = bpf_map_lookup_elem(&backend_conns, &bid);
	if (c)
		__sync_fetch_and_add(&c->half_open, -1);
}

/* Which events a TCP packet of direction dir adds, given those seen. */
static __always_inline __u32 tcp_events(__u8 flags, __u8 dir, __u32 seen)
{
	__u32 ev = 0;

	if (flags & TCPF_RST)
		ev |= XLB_EV_RST;
	if (flags & TCPF_FIN)
		ev |= dir == XLB_DIR_FORWARD ? XLB_EV_FIN_FWD : XLB_EV_FIN_REV;
	if (dir == XLB_DIR_REPLY && (flags & TCPF_SYN) && (flags & TCPF_ACK))
		ev |= XLB_EV_SYNACK;
	if (dir == XLB_DIR_FORWARD && (flags & TCPF_ACK) &&
	    (seen & XLB_EV_SYNACK))
		ev |= XLB_EV_ACK;
	return ev & ~seen;
}

/* Record a TCP packet's events on the flow's forward entry; moves the
 * count out of half_open when the handshake has just completed, releases
 * it when the flow has just closed. Atomic OR so that the two
 * directions, on two CPUs, never lose each other's FIN. */
static __always_inline void flow_track_tcp(struct xlb_flow *fwd, __u8 flags,
					   __u8 dir)
{
	__u32 add = tcp_events(flags, dir, fwd->events);
	__u32 ev;

	if (!add)
		return;
	ev = __sync_fetch_and_or(&fwd->events, add) | add;
	fwd->state = flow_state_of(IPPROTO_TCP, ev);
	if (add & XLB_EV_ACK)
		flow_establish(fwd);
	if (flow_is_closed(ev) && flow_release(fwd))
		count_reason(XLB_R_FLOW_CLOSED);
}

static __always_inline void flow_touch(struct xlb_flow *f, __u64 now)
{
	/* At most once a second: the entry's cache line is shared by CPUs. */
	if (now - f->last_seen_ns > XLB_TOUCH_NS)
		f->last_seen_ns = now;
}

#endif
