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
	struct iphdr *ip4;	/* IPv4: its header, else 0 */
	struct ipv6hdr *ip6;	/* IPv6: its fixed header, else 0 */
	void *l3;		/* the IP header, either family */
	void *l4;
	__u32 l3_len;		/* bytes of the IP datagram (headers included) */
	__u16 vlan;		/* 0 when untagged */
	__u8 family;		/* XLB_AF_INET / XLB_AF_INET6 */
	__u8 proto;
	__u8 tcp_flags;		/* byte 13 of the TCP header */
	__u8 first_frag;	/* a first fragment: MF set, offset 0 */
	__u8 ext_hdrs;		/* IPv6 extension headers walked */
	__u8 frag_proto;	/* a fragment's protocol (IPv6: its Fragment
				 * header's next header) */
	__be32 frag_id;		/* a fragment's datagram id (IPv4: 16 bits
				 * in the first two bytes) */
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
	p->l3 = ip;
	p->family = XLB_AF_INET;
	p->l3_len = tot;
	c->pos += hlen;
	if (!(ip->frag_off & bpf_htons(0x3fff)))	/* MF or an offset */
		return ip->protocol;
	p->frag_proto = ip->protocol;
	__builtin_memcpy(&p->frag_id, &ip->id, 2);
	/* A first fragment (offset 0) carries the L4 header: parsed on. */
	if (ip->frag_off & bpf_htons(0x1fff))
		return PARSE_FRAGMENT;
	p->first_frag = 1;
	return ip->protocol;
}

/* IPv6 extension headers (RFC 8200 4.1), and how many are walked: more
 * than that is rare on real traffic and costs the verifier per header. */
#define XLB_NH_HOPOPTS	0
#define XLB_NH_ROUTING	43
#define XLB_NH_FRAGMENT	44
#define XLB_NH_DSTOPTS	60
#define XLB_IPV6_EXT_MAX 4

/* An IPv6 chain xlb does not rewrite: a routing header (the destination
 * is not the final one) or more than XLB_IPV6_EXT_MAX headers. */
#define PARSE_V6_EXT	(-3)

struct ipv6_opt_hdr6 {
	__u8 nexthdr;
	__u8 hdrlen;		/* in 8-byte units, not counting the first 8;
				 * the Fragment header's is reserved */
	__be16 frag_off;	/* Fragment header: offset << 3 | M */
	__be32 frag_id;
};

/* IPv6, with hop-by-hop and destination options walked to the L4 header
 * (they stay in the packet as they are). A Fragment header is walked too
 * when it starts the datagram (offset 0: first_frag, or an atomic
 * fragment); a later fragment is reported as PARSE_FRAGMENT (frag.h). */
static __always_inline int parse_ipv6(struct hdr_cursor *c, void *end,
				      struct pkt *p)
{
	struct ipv6hdr *ip = c->pos;
	__u32 tot, used = sizeof(*ip);
	int i, frag_seen = 0;
	__u8 next;

	if ((void *)(ip + 1) > end || ip->version != 6)
		return PARSE_MALFORMED;
	/* payload_len 0 is a jumbogram (RFC 2675): not on an Ethernet. */
	tot = bpf_ntohs(ip->payload_len);
	barrier_var(tot);
	tot &= 0xffff;
	if (!tot || (void *)(ip + 1) + tot > end)
		return PARSE_MALFORMED;
	tot += sizeof(*ip);
	p->ip6 = ip;
	p->l3 = ip;
	p->family = XLB_AF_INET6;
	p->l3_len = tot;
	c->pos = ip + 1;
	next = ip->nexthdr;
#pragma unroll
	for (i = 0; i < XLB_IPV6_EXT_MAX; i++) {
		struct ipv6_opt_hdr6 *o = c->pos;
		__u32 len;

		if (next == XLB_NH_ROUTING)
			return PARSE_V6_EXT;
		if (next != XLB_NH_HOPOPTS && next != XLB_NH_DSTOPTS &&
		    next != XLB_NH_FRAGMENT)
			return next;
		if ((void *)(o + 1) > end)
			return PARSE_MALFORMED;
		len = ((__u32)o->hdrlen + 1) * 8;
		if (next == XLB_NH_FRAGMENT) {
			if (frag_seen || used + 8 > tot)
				return PARSE_MALFORMED;	/* two of them */
			frag_seen = 1;
			len = 8;
			p->frag_proto = o->nexthdr;
			p->frag_id = o->frag_id;
			if (o->frag_off & bpf_htons(0xfff8))
				return PARSE_FRAGMENT;
			/* M set: the first; else an atomic fragment, a
			 * whole datagram (RFC 6946). */
			p->first_frag = !!(o->frag_off & bpf_htons(1));
		}
		/* Inside the datagram and the frame. */
		if (used + len > tot || c->pos + len > end)
			return PARSE_MALFORMED;
		next = o->nexthdr;
		c->pos += len;
		used += len;
		p->ext_hdrs++;
	}
	if (next == XLB_NH_ROUTING || next == XLB_NH_HOPOPTS ||
	    next == XLB_NH_DSTOPTS || next == XLB_NH_FRAGMENT)
		return PARSE_V6_EXT;
	return next;
}

/* The packet's addresses, as keys hold them (IPv4 in a[0]; the caller
 * zeroed src and dst). v6 is a constant at each call (see nat.h). */
static __always_inline void pkt_addrs(const struct pkt *p, int v6,
				      struct xlb_addr *src,
				      struct xlb_addr *dst)
{
	if (v6) {
		__builtin_memcpy(src, &p->ip6->saddr, 16);
		__builtin_memcpy(dst, &p->ip6->daddr, 16);
	} else {
		src->a[0] = p->ip4->saddr;
		dst->a[0] = p->ip4->daddr;
	}
}

/* Bytes of the IP datagram from the cursor on (the parsers checked that
 * it fits the frame). */
static __always_inline __u32 ip_payload_len(const struct pkt *p,
					    const struct hdr_cursor *c)
{
	__u32 used = (__u32)((long)c->pos - (long)p->l3);

	return p->l3_len > used ? p->l3_len - used : 0;
}

/* The UDP length and a TCP header may run past a first fragment. */
static __always_inline int is_first_fragment(const struct pkt *p)
{
	return p->first_frag;
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
