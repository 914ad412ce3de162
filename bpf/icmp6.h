/* SPDX-License-Identifier: GPL-2.0 */
/* ICMPv6 at the balancer: icmp.h's policy, for IPv6.
 *
 * Echo: a request (128) to a VIP (map "vips", family 6) is answered here
 * with a reply (129): MACs and addresses swapped, hop limit 64, XDP_TX.
 * Swapping the addresses leaves the checksum's pseudo-header sum as it
 * was; only the type word changes. Requests with extension headers,
 * VLAN-tagged, or from a source no reply may go to (unspecified,
 * loopback, multicast) are the kernel's.
 *
 * Errors (1 destination unreachable, 2 packet too big, 3 time exceeded,
 * 4 parameter problem) quote the packet they are about: its IPv6 header
 * and at least 8 bytes of its L4 header, which must follow the quoted
 * fixed header directly (a quote with extension headers matches no
 * flow). An error about a packet the balancer sent for a tracked flow is
 * translated with the flow's NAT exactly as in icmp.h; in IPv6 the
 * ICMP checksum also covers the outer pseudo-header, so the outer
 * address rewrite is added to it. Packet too big keeps its MTU: path MTU
 * discovery works through the balancer (IPv6 routers never fragment, so
 * this is the only way a smaller link is learnt). Neighbour discovery
 * and every other type go to the kernel. */
#ifndef XLB_BPF_ICMP6_H
#define XLB_BPF_ICMP6_H

#include "icmp.h"

#define ICMPV6_DEST_UNREACH	1
#define ICMPV6_PKT_TOOBIG	2
#define ICMPV6_TIME_EXCEED	3
#define ICMPV6_PARAMPROB	4
#define ICMPV6_ECHO_REQUEST	128
#define ICMPV6_ECHO_REPLY	129

/* ICMPv6's header has ICMPv4's layout (type, code, checksum, 4 bytes):
 * struct icmphdr serves both. */

static __always_inline int addr6_eq(const struct in6_addr *a,
				    const struct in6_addr *b)
{
	return !((a->in6_u.u6_addr32[0] ^ b->in6_u.u6_addr32[0]) |
		 (a->in6_u.u6_addr32[1] ^ b->in6_u.u6_addr32[1]) |
		 (a->in6_u.u6_addr32[2] ^ b->in6_u.u6_addr32[2]) |
		 (a->in6_u.u6_addr32[3] ^ b->in6_u.u6_addr32[3]));
}

static __always_inline int icmp6_bad_source(const struct in6_addr *a)
{
	__u32 w0 = bpf_ntohl(a->in6_u.u6_addr32[0]);
	__u32 rest = a->in6_u.u6_addr32[1] | a->in6_u.u6_addr32[2];

	if ((w0 >> 24) == 0xff)				/* multicast */
		return 1;
	/* :: and ::1 */
	return !w0 && !rest &&
	       (a->in6_u.u6_addr32[3] == 0 ||
		a->in6_u.u6_addr32[3] == bpf_htonl(1));
}

static __always_inline int icmp6_echo(struct pkt *p, struct icmphdr *icmp)
{
	struct ipv6hdr *ip = p->ip6;
	struct xlb_vip_key vk = {};
	struct in6_addr a;
	__u16 old;
	__u8 mac[ETH_ALEN];

	__builtin_memcpy(&vk.addr, &ip->daddr, 16);
	vk.family = XLB_AF_INET6;
	if (!bpf_map_lookup_elem(&vips, &vk))
		return pass(XLB_R_PASS_NOT_SERVICE);
	if (p->vlan)
		return pass(XLB_R_PASS_VLAN);
	if (p->ext_hdrs || icmp6_bad_source(&ip->saddr))
		return pass(XLB_R_PASS_NOT_SERVICE);

	__builtin_memcpy(mac, p->eth->h_source, ETH_ALEN);
	__builtin_memcpy(p->eth->h_source, p->eth->h_dest, ETH_ALEN);
	__builtin_memcpy(p->eth->h_dest, mac, ETH_ALEN);
	a = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = a;
	ip->hop_limit = 64;
	old = *(__u16 *)icmp;		/* type and code */
	icmp->type = ICMPV6_ECHO_REPLY;
	csum_replace2((__u16 *)&icmp->checksum, old, *(__u16 *)icmp);
	count_reason(XLB_R_TX_ICMP_ECHO);
	return XDP_TX;
}

/* Replace the 16-byte address at field by v, adding the change to sum. */
static __always_inline void icmp6_set_addr(__u16 *sum, __be32 *field,
					   const struct xlb_addr *v)
{
#pragma unroll
	for (int i = 0; i < 4; i++) {
		csum_replace4(sum, field[i], v->a[i]);
		field[i] = v->a[i];
	}
}

/* Rewrite an error about tracked entry f: the quote becomes the packet
 * the other side sent or received (source f->nat_dst:f->nat_dport,
 * destination f->nat_src:f->nat_sport), the outer header f's rewrite.
 * icmp6_error() checked the quote's bounds. Not inlined: its checksum
 * arithmetic spills a lot, and gets a frame of its own. */
static __noinline void icmp6_translate(struct pkt *p, struct icmphdr *icmp,
				       const struct xlb_flow *f, void *end)
{
	struct ipv6hdr *ip = p->ip6, *in = (void *)(icmp + 1);
	__u16 *icsum = (__u16 *)&icmp->checksum, *l4sum = 0;
	__u16 *ports = (void *)(in + 1);
	__u32 msg_len = p->l3_len - (__u32)((long)icmp - (long)p->l3);
	__u16 old;

	if ((void *)(ports + 4) > end)
		return;
	if (in->nexthdr == IPPROTO_UDP && ports[3])
		l4sum = &ports[3];
	else if (in->nexthdr == IPPROTO_TCP && (void *)(ports + 9) <= end &&
		 msg_len >= sizeof(*icmp) + sizeof(*in) + 18)
		l4sum = &ports[8];
	if (l4sum) {
		old = *l4sum;
		csum_replace16(l4sum, (__be32 *)&in->saddr, &f->nat_dst);
		csum_replace16(l4sum, (__be32 *)&in->daddr, &f->nat_src);
		csum_replace2(l4sum, ports[0], f->nat_dport);
		csum_replace2(l4sum, ports[1], f->nat_sport);
		if (in->nexthdr == IPPROTO_UDP && *l4sum == 0)
			*l4sum = 0xffff;
		csum_replace2(icsum, old, *l4sum);
	}
	icmp_set2(icsum, &ports[0], f->nat_dport);
	icmp_set2(icsum, &ports[1], f->nat_sport);
	icmp6_set_addr(icsum, (__be32 *)&in->saddr, &f->nat_dst);
	icmp6_set_addr(icsum, (__be32 *)&in->daddr, &f->nat_src);
	/* The outer pseudo-header, then the header itself. */
	csum_replace16(icsum, (__be32 *)&ip->saddr, &f->nat_src);
	csum_replace16(icsum, (__be32 *)&ip->daddr, &f->nat_dst);
	nat_rewrite_ip(p, f, 1);
}

static __always_inline int icmp6_error(struct xdp_md *ctx, struct pkt *p,
				       struct icmphdr *icmp, void *end)
{
	struct ipv6hdr *ip = p->ip6, *in = (void *)(icmp + 1);
	struct xlb_flow_key key;
	struct xlb_flow *f;
	struct xlb_egress e;
	__u32 msg_len;
	__u16 *ports;
	int rc;

	/* The quote: an IPv6 header and 8 bytes after it, inside both the
	 * frame and the outer payload. */
	msg_len = p->l3_len - (__u32)((long)icmp - (long)p->l3);
	ports = (void *)(in + 1);
	if ((void *)(ports + 4) > end ||
	    msg_len < sizeof(*icmp) + sizeof(*in) + 8 || in->version != 6)
		return pass(XLB_R_PASS_MALFORMED);
	if ((in->nexthdr != IPPROTO_TCP && in->nexthdr != IPPROTO_UDP) ||
	    !addr6_eq(&in->saddr, &ip->daddr))
		return pass(XLB_R_PASS_ICMP_NO_FLOW);

	__builtin_memset(&key, 0, sizeof(key));
	__builtin_memcpy(&key.src, &in->daddr, 16);
	__builtin_memcpy(&key.dst, &in->saddr, 16);
	key.sport = ports[1];
	key.dport = ports[0];
	key.proto = in->nexthdr;
	key.family = XLB_AF_INET6;
	f = bpf_map_lookup_elem(&flows, &key);
	if (!f)
		return pass(XLB_R_PASS_ICMP_NO_FLOW);
	if (p->vlan)
		return pass(XLB_R_PASS_VLAN);
	if (f->events & XLB_EV_KILLED)
		return drop(XLB_R_DROP_KILLED);

	p->proto = IPPROTO_ICMPV6;
	rc = flow_egress(ctx, p, f, &e, 1);
	if (rc > 0)
		return drop(rc);

	icmp6_translate(p, icmp, f, end);
	count_reason(XLB_R_ICMP_ERROR_NAT);
	return fwd_send(ctx, p, &e);
}

/* ICMPv6 to or through the balancer; l4 is the ICMPv6 header's start
 * (the parser checked that 4 bytes of it lie inside the datagram). */
static __noinline int handle_icmp6(struct xdp_md *ctx, struct pkt *p,
				   void *l4, void *end)
{
	struct icmphdr *icmp = l4;
	struct hdr_cursor c = { .pos = l4 };

	if ((void *)(icmp + 1) > end ||
	    ip_payload_len(p, &c) < sizeof(*icmp))
		return pass(XLB_R_PASS_MALFORMED);
	switch (icmp->type) {
	case ICMPV6_ECHO_REQUEST:
		return icmp6_echo(p, icmp);
	case ICMPV6_DEST_UNREACH:
	case ICMPV6_PKT_TOOBIG:
	case ICMPV6_TIME_EXCEED:
	case ICMPV6_PARAMPROB:
		return icmp6_error(ctx, p, icmp, end);
	}
	return pass(XLB_R_PASS_NOT_SERVICE);
}

#endif
