/* SPDX-License-Identifier: GPL-2.0 */
/* What happens to a TCP/UDP packet (IPv4 or IPv6): a tracked flow's packet is
 * rewritten and sent on; a SYN (or first datagram) to a service creates a
 * flow; everything else goes to the kernel untouched. */
#ifndef XLB_BPF_HANDLE_H
#define XLB_BPF_HANDLE_H

#include "conntrack.h"
#include "newflow.h"
#include "select.h"
#include "fwd.h"
#include "reset.h"
#include "frag_track.h"

/* What handle_tracked() and handle_new() return, besides an XDP action,
 * when the packet is to be answered with a RST: handle_l4() answers it,
 * so that reset_reply()'s frame is not stacked on theirs. */
#define ANSWER_RST	(-1)

static __always_inline int pass(__u32 reason)
{
	count_reason(reason);
	return XDP_PASS;
}

static __always_inline int drop(__u32 reason)
{
	count_reason(reason);
	return XDP_DROP;
}

/* flow_egress() found no neighbour entry and answers the hop the client's
 * packets came from: e is good for this packet, not worth caching. */
#define EGRESS_FALLBACK	(-2)

/* Route a packet of tracked entry f, rewritten by it: 0 and e filled, or
 * the reason to drop it (> 0). An unresolved next hop on the client's side
 * is answered to the hop its packets came from (EGRESS_FALLBACK). */
static __always_inline int flow_egress(struct xdp_md *ctx, const struct pkt *p,
				       const struct xlb_flow *f, struct xlb_egress *e,
				       int v6)
{
	int rc;

	e->ifindex = f->ifindex;
	rc = fwd_lookup(ctx, p, f, e, v6);

	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH && f->dir == XLB_DIR_REPLY) {
		e->ifindex = f->ifindex;
		__builtin_memcpy(e->smac, f->local_mac, ETH_ALEN);
		__builtin_memcpy(e->dmac, f->client_mac, ETH_ALEN);
		rc = EGRESS_FALLBACK;
	} else if (rc == BPF_FIB_LKUP_RET_NO_NEIGH) {
		return XLB_R_DROP_NO_NEIGH;
	} else if (rc) {
		return XLB_R_DROP_FIB;
	}
	if (!fwd_reachable(ctx, e->ifindex))
		return XLB_R_DROP_NOT_ATTACHED;
	return rc;
}

/* The egress of a tracked entry's packet: cached in the entry for
 * XLB_EGRESS_NS after a route lookup found it. Returns 0 and *eg, or the
 * reason to drop. */
static __always_inline int flow_egress_cached(struct xdp_md *ctx,
					      const struct pkt *p,
					      struct xlb_flow *f,
					      struct xlb_egress *e,
					      const struct xlb_egress **eg,
					      __u64 now, int v6)
{
	int rc;

	if (f->egress_ns && now - f->egress_ns < XLB_EGRESS_NS) {
		*eg = &f->egress;
		return 0;
	}
	rc = flow_egress(ctx, p, f, e, v6);
	if (rc > 0)
		return rc;
	*eg = e;
	if (!rc) {
		/* Two CPUs may write it at once: both write what the same
		 * lookup found. */
		f->egress = *e;
		f->egress_ns = now;
	}
	return 0;
}

static __always_inline void count_traffic(void *map, __u32 id, __u32 bytes,
					  int reply, int new_flow)
{
	struct xlb_traffic *t = bpf_map_lookup_elem(map, &id);

	if (!t)
		return;
	if (reply) {
		t->reply_packets++;
		t->reply_bytes += bytes;
	} else {
		t->packets++;
		t->bytes += bytes;
	}
	t->new_flows += new_flow;
}

static __always_inline void count_flow_packet(const struct pkt *p,
					      const struct xlb_flow *f,
					      int new_flow)
{
	__u32 bytes = p->l3_len;
	int reply = f->dir == XLB_DIR_REPLY;

	count_traffic(&svc_stats, f->svc, bytes, reply, new_flow);
	count_traffic(&backend_stats, f->backend, bytes, reply, new_flow);
}

/* A packet of a tracked flow, either direction. Not inlined, as
 * handle_new(): each has its own stack frame (the verifier's 512 bytes
 * hold the deepest call chain, not the sum of every path). */
static __noinline int handle_tracked(struct xdp_md *ctx, struct pkt *p,
				     void *end, struct xlb_flow *f, int v6)
{
	const struct xlb_egress *eg;
	struct xlb_flow_key fk;
	struct xlb_flow *fwd;
	struct xlb_egress e;
	__u64 now;
	int rc;

	if (f->events & XLB_EV_KILLED) {
		/* RFC 793: a RST is never answered. */
		if (p->proto != IPPROTO_TCP || (p->tcp_flags & TCPF_RST))
			return drop(XLB_R_DROP_KILLED);
		count_reason(XLB_R_TX_RST_KILLED);
		return ANSWER_RST;
	}
	now = bpf_ktime_get_ns();
	rc = flow_egress_cached(ctx, p, f, &e, &eg, now, v6);
	if (rc)
		return drop(rc);

	/* The state lives in the forward entry: a reply looks it up only
	 * for the flags that can change it (SYN-ACK, FIN, RST). */
	if (p->proto == IPPROTO_TCP && f->dir == XLB_DIR_REPLY &&
	    (p->tcp_flags & (TCPF_SYN | TCPF_FIN | TCPF_RST))) {
		flow_peer_key(&fk, f);
		fwd = bpf_map_lookup_elem(&flows, &fk);
		if (fwd)
			flow_track_tcp(fwd, p->tcp_flags, XLB_DIR_REPLY);
	} else if (p->proto == IPPROTO_TCP && f->dir == XLB_DIR_FORWARD) {
		flow_track_tcp(f, p->tcp_flags, XLB_DIR_FORWARD);
	}
	flow_touch(f, now);
	count_flow_packet(p, f, 0);
	nat_rewrite(p, end, f, v6);
	return fwd_send(ctx, p, eg);
}

/* A new flow that cannot be had: a TCP SYN is refused with a RST when
 * the flow table is full (never a silent drop: the client learns at
 * once), anything else is dropped; both counted. */
static __always_inline int refuse_new(struct pkt *p, __u32 reason)
{
	if (reason != XLB_R_DROP_TABLE_FULL || p->proto != IPPROTO_TCP)
		return drop(reason);
	count_reason(XLB_R_TX_RST_TABLE_FULL);
	return ANSWER_RST;
}

/* First packet of a flow to service svc: pick a backend, route, claim a
 * source port, insert both entries, count, send. Nothing is written before
 * the packet is known to be sendable. */
static __noinline int handle_new(struct xdp_md *ctx, struct pkt *p,
				 const struct xlb_flow_key *key,
				 const struct xlb_svc *svc, int v6)
{
	/* Five arguments at most: the end comes from ctx (p's pointers keep
	 * the bounds the parsers proved). */
	void *end = (void *)(long)ctx->data_end;
	struct flow_pair *fp;
	const struct xlb_backend *be;
	struct xlb_backend_conns *cnt;
	struct xlb_egress e;
	__u32 bid;
	__u64 now;
	long err;
	int rc, half;

	/* The flood guard first: an over-rate SYN costs no backend scan.
	 * Dropped, not reset: a real client retransmits it a second later. */
	if (p->proto == IPPROTO_TCP && syn_over_rate())
		return drop(XLB_R_DROP_SYN_FLOOD);
	if (select_backend(svc, &bid)) {
		/* Refused, not black-holed: a SYN gets a RST at once. */
		if (p->proto != IPPROTO_TCP)
			return drop(XLB_R_DROP_NO_BACKEND);
		count_reason(XLB_R_TX_RST_NO_BACKEND);
		return ANSWER_RST;
	}
	be = bpf_map_lookup_elem(&backends, &bid);
	cnt = bpf_map_lookup_elem(&backend_conns, &bid);
	/* The agent gives a service only servers of its family (no
	 * translation between families, as IPVS's NAT). */
	if (!be || !cnt || be->family != p->family)
		return drop(XLB_R_DROP_NO_BACKEND);

	/* The forward entry is built in per-CPU scratch memory, not in the
	 * flow table: routed first (its source port, claimed below, is 0
	 * still; routing does not need it). */
	fp = flow_pair_scratch();
	if (!fp)
		return drop(XLB_R_DROP_TABLE_FULL);
	fp->fwd.nat_src = be->src;
	fp->fwd.nat_dst = be->addr;
	fp->fwd.nat_dport = be->port;
	e.ifindex = be->ifindex;
	rc = fwd_lookup(ctx, p, &fp->fwd, &e, v6);
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH)
		return drop(XLB_R_DROP_NO_NEIGH);
	if (rc)
		return drop(XLB_R_DROP_FIB);
	if (!fwd_reachable(ctx, e.ifindex))
		return drop(XLB_R_DROP_NOT_ATTACHED);

	/* A TCP flow is half-open until the client's ACK completes the
	 * handshake; UDP has none. */
	half = p->proto == IPPROTO_TCP;
	now = bpf_ktime_get_ns();
	fp->fwd.backend = bid;
	fp->fwd.svc = svc->id;
	fp->fwd.ifindex = be->ifindex;
	fp->fwd.dir = XLB_DIR_FORWARD;
	fp->fwd.family = p->family;
	fp->fwd.proto = p->proto;
	fp->fwd.state = flow_state_of(p->proto, 0);
	fp->fwd.counted = half ? XLB_COUNT_HALF : XLB_COUNT_OPEN;
	fp->fwd.created_ns = now;
	fp->fwd.last_seen_ns = now;
	fp->fwd.egress = e;
	fp->fwd.egress_ns = now;

	fp->rev.nat_src = key->dst;
	fp->rev.nat_dst = key->src;
	fp->rev.nat_sport = key->dport;
	fp->rev.nat_dport = key->sport;
	fp->rev.backend = bid;
	fp->rev.svc = svc->id;
	fp->rev.ifindex = ctx->ingress_ifindex;
	fp->rev.dir = XLB_DIR_REPLY;
	fp->rev.family = p->family;
	fp->rev.proto = p->proto;
	fp->rev.state = fp->fwd.state;
	fp->rev.created_ns = now;
	fp->rev.last_seen_ns = now;
	__builtin_memcpy(fp->rev.client_mac, p->eth->h_source, ETH_ALEN);
	__builtin_memcpy(fp->rev.local_mac, p->eth->h_dest, ETH_ALEN);

	rc = port_claim(fp);
	if (rc)
		return refuse_new(p, rc);
	/* Count first: a RST racing in on another CPU then never sees a
	 * count it could take below zero. Undone, exactly, if the insert
	 * fails: the flow never existed. */
	__sync_fetch_and_add(&cnt->active, 1);
	if (half)
		__sync_fetch_and_add(&cnt->half_open, 1);
	err = bpf_map_update_elem(&flows, key, &fp->fwd, BPF_NOEXIST);
	if (err) {
		if (half)
			__sync_fetch_and_add(&cnt->half_open, -1);
		__sync_fetch_and_add(&cnt->active, -1);
		bpf_map_delete_elem(&flows, &fp->rk);
		/* EEXIST: another CPU created this flow from a copy of
		 * the same SYN an instant ago; that copy goes on, this
		 * one would be a duplicate (a full table may say E2BIG
		 * first: 6.1). Else E2BIG (table full) or ENOMEM. */
		if (err == -17 || bpf_map_lookup_elem(&flows, key))
			return drop(XLB_R_DROP_SYN_RACE);
		return refuse_new(p, XLB_R_DROP_TABLE_FULL);
	}
	count_reason(XLB_R_FLOW_CREATED);
	count_flow_packet(p, &fp->fwd, 1);
	nat_rewrite(p, end, &fp->fwd, v6);
	return fwd_send(ctx, p, &e);
}

static __always_inline int is_pure_syn(const struct pkt *p)
{
	return (p->tcp_flags & (TCPF_SYN | TCPF_ACK | TCPF_RST | TCPF_FIN)) ==
	       TCPF_SYN;
}

static __always_inline int handle_flow(struct xdp_md *ctx, struct pkt *p,
				       void *end, const struct xlb_flow_key *k,
				       int v6)
{
	struct xlb_svc_key sk = {};
	struct xlb_svc *svc;
	struct xlb_flow *f;

	f = bpf_map_lookup_elem(&flows, k);
	if (f) {
		if (p->vlan)
			return pass(XLB_R_PASS_VLAN);
		/* A new SYN on a closed flow's tuple starts a fresh flow. */
		if (f->dir == XLB_DIR_FORWARD && p->proto == IPPROTO_TCP &&
		    is_pure_syn(p) && flow_is_closed(f->events))
			flow_drop_closed(k, f);
		else
			return handle_tracked(ctx, p, end, f, v6);
	}

	sk.vip = k->dst;
	sk.port = k->dport;
	sk.proto = k->proto;
	sk.family = p->family;
	svc = bpf_map_lookup_elem(&services, &sk);
	if (!svc)
		return pass(XLB_R_PASS_NOT_SERVICE);
	if (p->vlan)
		return pass(XLB_R_PASS_VLAN);
	/* Only a SYN opens a TCP flow; anything else is the kernel's to
	 * answer (it resets what it does not know). */
	if (p->proto == IPPROTO_TCP && !is_pure_syn(p))
		return pass(XLB_R_PASS_NO_FLOW);
	return handle_new(ctx, p, k, svc, v6);
}

/* Not inlined: one copy for both families, in its own stack frame. v6
 * is a constant at each call (see nat.h). */
static __noinline int handle_l4(struct xdp_md *ctx, struct pkt *p, void *end,
				int v6)
{
	struct xlb_flow_key key;
	int rc;

	flow_key_pkt(&key, p, v6);
	rc = handle_flow(ctx, p, end, &key, v6);
	/* A killed flow's first fragment is answered with a RST too: its
	 * followers then find the flow killed and are dropped. */
	if (p->first_frag &&
	    (rc == XDP_TX || rc == XDP_REDIRECT || rc == ANSWER_RST))
		frag_remember(p, &key);
	if (rc == ANSWER_RST)
		return reset_reply(ctx, p, end, v6);
	return rc;
}

#endif
