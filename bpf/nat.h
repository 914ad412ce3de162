/* SPDX-License-Identifier: GPL-2.0 */
/* Rewriting a packet's addresses and ports, with incremental checksums. */
#ifndef XLB_BPF_NAT_H
#define XLB_BPF_NAT_H

#include "parse.h"
#include "csum.h"

/* The rewrite a packet gets: new source and destination. */
struct nat4 {
	__be32 src;
	__be32 dst;
	__be16 sport;
	__be16 dport;
};

static __always_inline void nat4_rewrite(struct pkt *p, void *end,
					 const struct nat4 *n)
{
	struct iphdr *ip = p->ip4;
	__u16 *l4sum = 0;
	int udp_nocsum = 0;

	if (p->proto == IPPROTO_TCP) {
		struct tcphdr *tcp = p->l4;

		if ((void *)(tcp + 1) > end)
			return;
		l4sum = (__u16 *)&tcp->check;
		csum_replace2(l4sum, tcp->source, n->sport);
		csum_replace2(l4sum, tcp->dest, n->dport);
		tcp->source = n->sport;
		tcp->dest = n->dport;
	} else {
		struct udphdr *udp = p->l4;

		if ((void *)(udp + 1) > end)
			return;
		l4sum = (__u16 *)&udp->check;
		/* UDP over IPv4 may carry no checksum (0): it stays 0. */
		udp_nocsum = udp->check == 0;
		if (!udp_nocsum) {
			csum_replace2(l4sum, udp->source, n->sport);
			csum_replace2(l4sum, udp->dest, n->dport);
		}
		udp->source = n->sport;
		udp->dest = n->dport;
	}
	if (!udp_nocsum) {
		/* The pseudo-header carries both addresses. */
		csum_replace4(l4sum, ip->saddr, n->src);
		csum_replace4(l4sum, ip->daddr, n->dst);
		if (p->proto == IPPROTO_UDP && *l4sum == 0)
			*l4sum = 0xffff;
	}
	csum_replace4((__u16 *)&ip->check, ip->saddr, n->src);
	csum_replace4((__u16 *)&ip->check, ip->daddr, n->dst);
	ip->saddr = n->src;
	ip->daddr = n->dst;
}

#endif
