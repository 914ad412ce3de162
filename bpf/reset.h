/* SPDX-License-Identifier: GPL-2.0 */
/* Answering a TCP packet with a RST from the address it was sent to, as a
 * host with no such connection would (RFC 793 "Reset Generation"): the
 * frame is cut to Ethernet + 20-byte IPv4 + 20-byte TCP and sent back out
 * of the interface it came in on. */
#ifndef XLB_BPF_RESET_H
#define XLB_BPF_RESET_H

#include "parse.h"
#include "csum.h"

#define RST_LEN (sizeof(struct ethhdr) + sizeof(struct iphdr) + \
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
	__be32 saddr, daddr;
	__be16 sport, dport;
	__be32 seq, ack;
	__u8 flags;		/* TCP flags of the reset */
};

/* Untagged TCP only (the caller checks): p->ip4 and p->l4 are valid. */
static __always_inline int reset_reply(struct xdp_md *ctx, struct pkt *p,
				       void *end)
{
	struct iphdr *ip = p->ip4;
	struct tcphdr *tcp = p->l4;
	struct rst_info r;
	struct ethhdr *eth;
	void *data;
	__u32 seglen, s;
	__u16 *words;

	if ((void *)(tcp + 1) > end)
		return XDP_DROP;
	__builtin_memcpy(r.smac, p->eth->h_dest, ETH_ALEN);
	__builtin_memcpy(r.dmac, p->eth->h_source, ETH_ALEN);
	r.saddr = ip->daddr;
	r.daddr = ip->saddr;
	r.sport = tcp->dest;
	r.dport = tcp->source;
	if (tcp->ack) {
		r.seq = tcp->ack_seq;
		r.ack = 0;
		r.flags = TCPF_RST;
	} else {
		seglen = bpf_ntohs(ip->tot_len) - ip->ihl * 4 - tcp->doff * 4;
		seglen += tcp->syn + tcp->fin;
		r.seq = 0;
		r.ack = bpf_htonl(bpf_ntohl(tcp->seq) + seglen);
		r.flags = TCPF_RST | TCPF_ACK;
	}

	if (bpf_xdp_adjust_tail(ctx, (int)RST_LEN -
				     (int)(ctx->data_end - ctx->data)))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	eth = data;
	ip = (void *)(eth + 1);
	tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > (void *)(long)ctx->data_end)
		return XDP_DROP;

	__builtin_memcpy(eth->h_source, r.smac, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, r.dmac, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
	__builtin_memset(ip, 0, sizeof(*ip) + sizeof(*tcp));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = bpf_htons(sizeof(*ip) + sizeof(*tcp));
	ip->frag_off = bpf_htons(0x4000);	/* DF */
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->saddr = r.saddr;
	ip->daddr = r.daddr;
	words = (__u16 *)ip;
	ip->check = ~csum_fold32(csum_words(words, 10));

	tcp->source = r.sport;
	tcp->dest = r.dport;
	tcp->seq = r.seq;
	tcp->ack_seq = r.ack;
	tcp->doff = 5;
	((__u8 *)tcp)[13] = r.flags;
	/* Pseudo-header: addresses, zero + protocol, TCP length. */
	s = csum_words((__u16 *)&ip->saddr, 4);
	s += bpf_htons(IPPROTO_TCP) + bpf_htons(sizeof(*tcp));
	s += csum_words((__u16 *)tcp, 10);
	tcp->check = ~csum_fold32(s);
	return XDP_TX;
}

#endif
