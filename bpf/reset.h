/* SPDX-License-Identifier: GPL-2.0 */
/* Answering a TCP packet with a RST from the address it was sent to, as a
 * host with no such connection would (RFC 793 "Reset Generation"): the
 * frame is cut to Ethernet + a bare IPv4 (20 bytes) or IPv6 (40 bytes)
 * header + 20-byte TCP and sent back out of the interface it came in on. */
#ifndef XLB_BPF_RESET_H
#define XLB_BPF_RESET_H

#include "parse.h"
#include "csum.h"

#define RST_LEN (sizeof(struct ethhdr) + sizeof(struct iphdr) + \
		 sizeof(struct tcphdr))
#define RST_LEN6 (sizeof(struct ethhdr) + sizeof(struct ipv6hdr) + \
		  sizeof(struct tcphdr))

/* Sum of n 16-bit words (n even, fixed: unrolled). */
static __always_inline __u32 csum_words(const __u16 *w, int n)
{
	__u32 s = 0;
	int i;

#pragma unroll
	for (i = 0; i < n; i++)
		s += w[i];
	return s;
}

struct rst_info {
	__u8 smac[ETH_ALEN], dmac[ETH_ALEN];
	struct xlb_addr saddr, daddr;	/* IPv4: a[0] */
	__be16 sport, dport;
	__be32 seq, ack;
	__u8 flags;		/* TCP flags of the reset */
};

/* The reset's TCP header and checksum; s is the pseudo-header's address
 * sum. */
static __always_inline void rst_fill_tcp(struct tcphdr *tcp,
					 const struct rst_info *r, __u32 s)
{
	__builtin_memset(tcp, 0, sizeof(*tcp));
	tcp->source = r->sport;
	tcp->dest = r->dport;
	tcp->seq = r->seq;
	tcp->ack_seq = r->ack;
	tcp->doff = 5;
	((__u8 *)tcp)[13] = r->flags;
	/* Pseudo-header: addresses, protocol, TCP length. */
	s += bpf_htons(IPPROTO_TCP) + bpf_htons(sizeof(*tcp));
	s += csum_words((__u16 *)tcp, 10);
	tcp->check = ~csum_fold32(s);
}

static __always_inline int rst_build4(struct xdp_md *ctx,
				      const struct rst_info *r)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *tcp = (void *)(ip + 1);

	if ((void *)(tcp + 1) > (void *)(long)ctx->data_end)
		return XDP_DROP;
	__builtin_memcpy(eth->h_source, r->smac, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, r->dmac, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
	__builtin_memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = bpf_htons(sizeof(*ip) + sizeof(*tcp));
	ip->frag_off = bpf_htons(0x4000);	/* DF */
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->saddr = r->saddr.a[0];
	ip->daddr = r->daddr.a[0];
	ip->check = ~csum_fold32(csum_words((__u16 *)ip, 10));
	rst_fill_tcp(tcp, r, csum_words((__u16 *)&ip->saddr, 4));
	return XDP_TX;
}

static __always_inline int rst_build6(struct xdp_md *ctx,
				      const struct rst_info *r)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	struct ipv6hdr *ip = (void *)(eth + 1);
	struct tcphdr *tcp = (void *)(ip + 1);

	if ((void *)(tcp + 1) > (void *)(long)ctx->data_end)
		return XDP_DROP;
	__builtin_memcpy(eth->h_source, r->smac, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, r->dmac, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IPV6);
	__builtin_memset(ip, 0, sizeof(*ip));
	ip->version = 6;
	ip->payload_len = bpf_htons(sizeof(*tcp));
	ip->nexthdr = IPPROTO_TCP;
	ip->hop_limit = 64;
	__builtin_memcpy(&ip->saddr, &r->saddr, 16);
	__builtin_memcpy(&ip->daddr, &r->daddr, 16);
	rst_fill_tcp(tcp, r, csum_words((__u16 *)&ip->saddr, 16));
	return XDP_TX;
}

/* Untagged TCP only (the caller checks): p->l3 and p->l4 are valid. Not
 * inlined: a rare path, kept out of its callers' stack frames. */
static __noinline int reset_reply(struct xdp_md *ctx, struct pkt *p,
				  void *end, int v6)
{
	struct tcphdr *tcp = p->l4;
	struct rst_info r;
	__u32 seglen;
	long flen;
	int len;

	if ((void *)(tcp + 1) > end)
		return XDP_DROP;
	__builtin_memcpy(r.smac, p->eth->h_dest, ETH_ALEN);
	__builtin_memcpy(r.dmac, p->eth->h_source, ETH_ALEN);
	__builtin_memset(&r.saddr, 0, sizeof(r.saddr) * 2);
	if (v6) {
		__builtin_memcpy(&r.saddr, &p->ip6->daddr, 16);
		__builtin_memcpy(&r.daddr, &p->ip6->saddr, 16);
	} else {
		r.saddr.a[0] = p->ip4->daddr;
		r.daddr.a[0] = p->ip4->saddr;
	}
	r.sport = tcp->dest;
	r.dport = tcp->source;
	if (tcp->ack) {
		r.seq = tcp->ack_seq;
		r.ack = 0;
		r.flags = TCPF_RST;
	} else {
		/* The segment's length: the datagram after the TCP header. */
		seglen = p->l3_len - (__u32)((long)tcp - (long)p->l3) -
			 tcp->doff * 4;
		seglen += tcp->syn + tcp->fin;
		r.seq = 0;
		r.ack = bpf_htonl(bpf_ntohl(tcp->seq) + seglen);
		r.flags = TCPF_RST | TCPF_ACK;
	}

	/* The frame's length as a 64-bit difference of packet pointers,
	 * fenced: clang would fold it into 32-bit pointer arithmetic, which
	 * the verifier refuses. */
	flen = (long)end - (long)p->eth;
	barrier_var(flen);
	len = (v6 ? (int)RST_LEN6 : (int)RST_LEN) - (int)flen;
	if (bpf_xdp_adjust_tail(ctx, len))
		return XDP_DROP;
	return v6 ? rst_build6(ctx, &r) : rst_build4(ctx, &r);
}

#endif
