/* SPDX-License-Identifier: GPL-2.0 */
/* Cursor-style header parsers. Each returns the next protocol or a negative
 * reason; every bounds check sits next to the access it guards. */
#ifndef XLB_BPF_PARSE_H
#define XLB_BPF_PARSE_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include "xlb_addr.h"

#define PARSE_MALFORMED	(-1)

struct hdr_cursor {
	void *pos;
};

struct vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* What the entry point needs to know about a packet. */
struct pkt {
	struct ethhdr *eth;
	struct iphdr *ip4;
	void *l4;
	__u16 vlan;		/* 0 when untagged */
	__u8 proto;
	__u8 tcp_flags;		/* byte 13 of the TCP header */
	__be16 sport;
	__be16 dport;
};

static __always_inline int parse_eth(struct hdr_cursor *c, void *end,
				     struct pkt *p)
{
	struct ethhdr *eth = c->pos;
	__be16 proto;

	if ((void *)(eth + 1) > end)
		return PARSE_MALFORMED;
	c->pos = eth + 1;
	p->eth = eth;
	proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		struct vlan_hdr *vh = c->pos;

		if ((void *)(vh + 1) > end)
			return PARSE_MALFORMED;
		c->pos = vh + 1;
		p->vlan = bpf_ntohs(vh->tci) & 0x0fff;
		/* An untagged-by-us VID 0 priority tag still counts as tagged. */
		p->vlan |= 0x8000;
		proto = vh->proto;
	}
	return bpf_ntohs(proto);
}

/* IPv4 with options allowed; fragments are reported, not parsed further. */
#define PARSE_FRAGMENT	(-2)

static __always_inline int parse_ipv4(struct hdr_cursor *c, void *end,
				      struct pkt *p)
{
	struct iphdr *ip = c->pos;
	unsigned int hlen;
	__u32 tot;

	if ((void *)(ip + 1) > end)
		return PARSE_MALFORMED;
	if (ip->version != 4 || ip->ihl < 5)
		return PARSE_MALFORMED;
	hlen = ip->ihl * 4;
	if (c->pos + hlen > end)
		return PARSE_MALFORMED;
	/* The IP length must fit the frame (padding after it is fine). The
	 * barrier and mask keep older verifiers (6.1, 6.12) from seeing an
	 * unbounded value added to a packet pointer. */
	tot = bpf_ntohs(ip->tot_len);
	barrier_var(tot);
	tot &= 0xffff;
	if (tot < hlen || c->pos + tot > end)
		return PARSE_MALFORMED;
	p->ip4 = ip;
	c->pos += hlen;
	if (ip->frag_off & bpf_htons(0x3fff))	/* MF or an offset */
		return PARSE_FRAGMENT;
	return ip->protocol;
}

/* Bytes of the IP datagram from the cursor on (parse_ipv4 checked that
 * tot_len fits the frame). */
static __always_inline __u32 ip_payload_len(const struct pkt *p,
					    const struct hdr_cursor *c)
{
	__u32 tot = bpf_ntohs(p->ip4->tot_len);
	__u32 used = (__u32)((long)c->pos - (long)p->ip4);

	return tot > used ? tot - used : 0;
}

/* The UDP length and a TCP header may run past a first fragment. */
static __always_inline int is_first_fragment(const struct pkt *p)
{
	return !!(p->ip4->frag_off & bpf_htons(0x2000));	/* MF */
}

static __always_inline int parse_tcp(struct hdr_cursor *c, void *end,
				     struct pkt *p)
{
	struct tcphdr *tcp = c->pos;
	unsigned int hlen;

	if ((void *)(tcp + 1) > end)
		return PARSE_MALFORMED;
	hlen = tcp->doff * 4;
	if (hlen < sizeof(*tcp) || c->pos + hlen > end)
		return PARSE_MALFORMED;
	/* Inside the IP datagram, not in the frame's padding after it; a
	 * first fragment too must hold the whole header (RFC 1858). */
	if (hlen > ip_payload_len(p, c))
		return PARSE_MALFORMED;
	p->l4 = tcp;
	p->sport = tcp->source;
	p->dport = tcp->dest;
	p->tcp_flags = ((__u8 *)tcp)[13];
	c->pos += hlen;
	return 0;
}

static __always_inline int parse_udp(struct hdr_cursor *c, void *end,
				     struct pkt *p)
{
	struct udphdr *udp = c->pos;

	if ((void *)(udp + 1) > end)
		return PARSE_MALFORMED;
	/* The header inside the datagram; its length may only run past a
	 * first fragment, which carries part of the datagram. */
	if (bpf_ntohs(udp->len) < sizeof(*udp) ||
	    ip_payload_len(p, c) < sizeof(*udp) ||
	    (!is_first_fragment(p) &&
	     bpf_ntohs(udp->len) > ip_payload_len(p, c)))
		return PARSE_MALFORMED;
	p->l4 = udp;
	p->sport = udp->source;
	p->dport = udp->dest;
	c->pos = udp + 1;
	return 0;
}

#define TCPF_FIN 0x01
#define TCPF_SYN 0x02
#define TCPF_RST 0x04
#define TCPF_ACK 0x10

#endif
