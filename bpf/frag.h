/* SPDX-License-Identifier: GPL-2.0 */
/* IP fragments of tracked flows, IPv4 and IPv6 alike.
 *
 * Policy (a NAT balancer must rewrite every fragment of a flow's datagram
 * the same way, and only the first one carries the ports):
 * - A first fragment (MF set, offset 0) of TCP or UDP carries the L4
 *   header: it goes through handle_l4() like any packet of its flow (a
 *   UDP first fragment of a new flow creates the flow). If it was sent on
 *   (XDP_TX/REDIRECT), its datagram (source, destination, protocol, IP
 *   id) stays remembered in the LRU map "frags" with the key of the flow
 *   entry it matched (frag_track.h); its followers' key is the same
 *   (later fragments of IPv6 carry the same next header as the first). Its L4 checksum covers the whole datagram;
 *   the incremental update for the new addresses and ports is right for
 *   the reassembled datagram, since nothing else changes.
 * - A later fragment (offset != 0) is looked up there and gets the same
 *   address rewrite (IP header only: it has no L4 header), and is sent
 *   the same way. With no entry (it came before its first fragment, the
 *   entry was evicted or is older than 30 s, or its flow is gone) it goes
 *   to the kernel, counted as pass_fragment: the kernel reassembles what
 *   is its own and drops the rest after ipfrag_time. So a datagram whose
 *   fragments arrive out of order (a later one before the first) is lost
 *   to a NAT flow, as with any balancer that does not reassemble; the
 *   sender's retry usually arrives in order.
 * - Fragments of other protocols go to the kernel (pass_fragment).
 * - IPv6 (RFC 8200): the same, with the Fragment header's 32-bit id and
 *   next header; the header stays in every fragment as it is. A first
 *   fragment's L4 header must follow the Fragment header (or hop-by-hop
 *   and destination options). An atomic fragment (offset 0, M clear) is a
 *   whole datagram. Routers do not fragment IPv6, only senders do; with
 *   path MTU discovery working through xlb (icmp6.h), fragments are
 *   mostly large UDP datagrams.
 * Katran drops every fragment; Cilium keeps the same kind of map, keyed by
 * the IP id, for non-first fragments.
 *
 * IPv4 options: parse_ipv4() accepts any IHL from 5 to 15 and every
 * rewrite works past them; they are kept as they are. */
#ifndef XLB_BPF_FRAG_H
#define XLB_BPF_FRAG_H

#include "handle.h"

static __always_inline int frag_is_later(const struct iphdr *ip)
{
	return (ip->frag_off & bpf_htons(0x1fff)) != 0;
}

/* The datagram of a later fragment the parser saw (frag_id, frag_proto):
 * the key frag_remember() wrote for its first. */
static __always_inline void frag_key_of(struct xlb_frag_key *k,
					const struct pkt *p, int v6)
{
	__builtin_memset(k, 0, sizeof(*k));
	pkt_addrs(p, v6, &k->src, &k->dst);
	k->id = p->frag_id;
	k->proto = p->frag_proto;
	k->family = p->family;
}

/* A fragment with an offset: no L4 header, only its datagram's entry. */
static __noinline int frag_follow(struct xdp_md *ctx, struct pkt *p,
				  void *end, int v6)
{
	struct xlb_frag_key k;
	struct xlb_frag *v;
	struct xlb_flow *f;
	struct xlb_egress e;
	__u64 now;
	int rc;

	frag_key_of(&k, p, v6);
	v = bpf_map_lookup_elem(&frags, &k);
	now = bpf_ktime_get_ns();
	if (!v || now - v->created_ns > XLB_FRAG_TTL_NS)
		return pass(XLB_R_PASS_FRAGMENT);
	f = bpf_map_lookup_elem(&flows, &v->flow);
	if (!f)
		return pass(XLB_R_PASS_FRAGMENT);
	if (p->vlan)
		return pass(XLB_R_PASS_VLAN);
	if (f->events & XLB_EV_KILLED)
		return drop(XLB_R_DROP_KILLED);
	p->proto = p->frag_proto;
	rc = flow_egress(ctx, p, f, &e, v6);
	if (rc > 0)
		return drop(rc);
	flow_touch(f, now);
	count_flow_packet(p, f, 0);
	nat_rewrite_ip(p, f, v6);
	count_reason(XLB_R_FRAG_FOLLOW);
	return fwd_send(ctx, p, &e);
}

#endif
