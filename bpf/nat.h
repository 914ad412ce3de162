/* SPDX-License-Identifier: GPL-2.0 */
/* Rewriting a packet's addresses and ports, with incremental checksums.
 * IPv4 and IPv6 alike: IPv6 has no header checksum, and its L4 checksum
 * covers the 16-byte addresses through the pseudo-header. */
#ifndef XLB_BPF_NAT_H
#define XLB_BPF_NAT_H

#include "parse.h"
#include "csum.h"
#include "xlb_flow.h"

/* The rewrite a packet gets is its flow entry's nat_* fields: new source
 * and destination (an IPv4 address sits in a[0]). Read in place, from the
 * map: no copy on the stack. */

/* A pseudo-header's addresses change from (os, od) to n's nat_src and
 * nat_dst. Interleaved word by word rather than two csum_replace16():
 * with those clang spills more, and handle_new()'s frame grows by 48
 * bytes, to the edge of 6.1's 512-byte call-chain limit. */
static __always_inline void csum_replace_addrs(__u16 *sum, int v6,
					       const __be32 *os,
					       const __be32 *od,
					       const struct xlb_flow *n)
{
	csum_replace4(sum, os[0], n->nat_src.a[0]);
	csum_replace4(sum, od[0], n->nat_dst.a[0]);
	if (!v6)
		return;
#pragma unroll
	for (int i = 1; i < 4; i++) {
		csum_replace4(sum, os[i], n->nat_src.a[i]);
		csum_replace4(sum, od[i], n->nat_dst.a[i]);
	}
}

/* The v6 flag that the functions below take is a constant at each call:
 * the verifier then knows which of p->ip4 and p->ip6 is set (it would not
 * follow p->family through the stack). */

/* New addresses in the IP header (IPv4: with its checksum). */
static __always_inline void nat_rewrite_ip(struct pkt *p, const struct xlb_flow *n,
					   int v6)
{
	if (v6) {
		struct ipv6hdr *ip6 = p->ip6;

		__builtin_memcpy(&ip6->saddr, &n->nat_src, 16);
		__builtin_memcpy(&ip6->daddr, &n->nat_dst, 16);
		return;
	}
	csum_replace4((__u16 *)&p->ip4->check, p->ip4->saddr, n->nat_src.a[0]);
	csum_replace4((__u16 *)&p->ip4->check, p->ip4->daddr, n->nat_dst.a[0]);
	p->ip4->saddr = n->nat_src.a[0];
	p->ip4->daddr = n->nat_dst.a[0];
}

static __always_inline void nat_rewrite(struct pkt *p, void *end,
					const struct xlb_flow *n, int v6)
{
	const __be32 *os, *od;
	__u16 *l4sum = 0;
	int udp_nocsum = 0;

	if (v6) {
		os = (const __be32 *)&p->ip6->saddr;
		od = (const __be32 *)&p->ip6->daddr;
	} else {
		os = &p->ip4->saddr;
		od = &p->ip4->daddr;
	}
	if (p->proto == IPPROTO_TCP) {
		struct tcphdr *tcp = p->l4;

		if ((void *)(tcp + 1) > end)
			return;
		l4sum = (__u16 *)&tcp->check;
		csum_replace2(l4sum, tcp->source, n->nat_sport);
		csum_replace2(l4sum, tcp->dest, n->nat_dport);
		tcp->source = n->nat_sport;
		tcp->dest = n->nat_dport;
	} else {
		struct udphdr *udp = p->l4;

		if ((void *)(udp + 1) > end)
			return;
		l4sum = (__u16 *)&udp->check;
		/* UDP may carry no checksum (0; over IPv6 only tunnels may,
		 * RFC 6935): it stays 0, as the sender meant it. */
		udp_nocsum = udp->check == 0;
		if (!udp_nocsum) {
			csum_replace2(l4sum, udp->source, n->nat_sport);
			csum_replace2(l4sum, udp->dest, n->nat_dport);
		}
		udp->source = n->nat_sport;
		udp->dest = n->nat_dport;
	}
	if (!udp_nocsum) {
		/* The pseudo-header carries both addresses. */
		csum_replace_addrs(l4sum, v6, os, od, n);
		if (p->proto == IPPROTO_UDP && *l4sum == 0)
			*l4sum = 0xffff;
	}
	nat_rewrite_ip(p, n, v6);
}

#endif
