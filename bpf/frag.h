/* SPDX-License-Identifier: GPL-2.0 */
/* IPv4 fragments of tracked flows.
 *
 * Policy (a NAT balancer must rewrite every fragment of a flow's datagram
 * the same way, and only the first one carries the ports):
 * - A first fragment (MF set, offset 0) of TCP or UDP carries the L4
 *   header: it goes through handle_l4() like any packet of its flow (a
 *   UDP first fragment of a new flow creates the flow). If it was sent on
 *   (XDP_TX/REDIRECT), its datagram (source, destination, protocol, IP
 *   id) stays remembered in the LRU map "frags" with the key of the flow
 *   entry it matched (written before, taken back when it was passed or
 *   dropped). Its L4 checksum covers the whole datagram;
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

static __always_inline void frag_key_of(struct xlb_frag_key *k,
					const struct iphdr *ip)
{
	k->src = ip->saddr;
	k->dst = ip->daddr;
	k->id = ip->id;
	k->proto = ip->protocol;
	k->pad = 0;
}

/* A first fragment of TCP/UDP, before handle_l4() sees it: remember
 * its datagram with the key its flow entry has or is about to get (a new
 * flow's). Later fragments check that the flow exists when they come. */
static __always_inline void frag_first(struct xlb_frag_key *k,
				       const struct pkt *p)
{
	struct xlb_frag v;

	frag_key_of(k, p->ip4);
	flow_key4(&v.flow, p->ip4->saddr, p->ip4->daddr, p->sport, p->dport,
		  p->proto);
	v.created_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&frags, k, &v, BPF_ANY);
}

/* ... and after, with its verdict rc: a first fragment that did not go on
 * as a flow's packet takes its entry back, so that the later ones go to
 * the kernel with it. (A killed flow's answer is a RST, also XDP_TX: its
 * later fragments find the flow killed and are dropped.) */
static __always_inline void frag_first_done(const struct xlb_frag_key *k,
					    int rc)
{
	if (rc == XDP_TX || rc == XDP_REDIRECT)
		count_reason(XLB_R_FRAG_FIRST);
	else
		bpf_map_delete_elem(&frags, k);
}

/* A fragment with an offset: no L4 header, only its datagram's entry. */
static __noinline int frag_follow(struct xdp_md *ctx, struct pkt *p,
				  void *end)
{
	struct xlb_frag_key k;
	struct xlb_frag *v;
	struct xlb_flow *f;
	struct egress e;
	struct nat n;
	__u64 now;
	int rc;

	frag_key_of(&k, p->ip4);
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
	p->proto = p->ip4->protocol;
	nat_of(&n, f);
	rc = flow_egress(ctx, p, f, &n, &e, 0);
	if (rc)
		return drop(rc);
	flow_touch(f, now);
	count_flow_packet(p, f, 0);
	nat_rewrite_ip(p, &n, 0);
	count_reason(XLB_R_FRAG_FOLLOW);
	return fwd_send(ctx, p, &e);
}

#endif
