/* SPDX-License-Identifier: GPL-2.0 */
/* ICMPv4 at the balancer.
 *
 * Echo: a request to a VIP (any address in the map "vips", whatever the
 * service's port) is answered here, as Katran does: MACs and addresses
 * swapped, type 0, TTL 64, checksums updated incrementally, XDP_TX. Also
 * when the VIP is the host's own address (the kernel would answer the
 * same, only later): net.ipv4.icmp_echo_ignore_* do not apply to VIPs.
 * Requests with IP options, fragmented, VLAN-tagged or from a source no
 * reply may go to (0/8, 127/8, multicast, broadcast) are the kernel's.
 *
 * Errors (destination unreachable, every code including fragmentation
 * needed; time exceeded; parameter problem) quote the packet they are
 * about: its IP header and at least 8 bytes of its L4 header. If that
 * packet is one the balancer sent for a tracked flow, the error is
 * translated with the flow's NAT and delivered to the other side, so
 * that path MTU discovery and connection errors work through it:
 * - from the backend's side (the backend or a router before it), about a
 *   packet LB-source:port -> backend: the quoted tuple reversed is the
 *   flow's reply key; the error goes to the client from the VIP, quoting
 *   client:port -> VIP:port;
 * - from the client's side, about a packet VIP -> client: the reversed
 *   tuple is the forward key; the error goes to the backend from the
 *   balancer's source address, quoting backend -> LB-source:port.
 * In both cases the entry's NAT is the outer rewrite (outer source: the
 * VIP or the balancer's address, as IPVS rewrites it, never the router's
 * address, which the receiver's rp_filter could refuse), and its reverse
 * the quoted one. Checksums, all incremental: the outer IP header; the
 * quoted IP header; the quoted L4 checksum when the quote holds it (UDP,
 * bytes 6-7, unless 0; TCP, bytes 16-17, only in longer quotes, as Linux
 * sends them), so that the quote is exactly what the other side sent or
 * received; and the ICMP checksum, over every word changed in the
 * message. The MTU of a fragmentation-needed error is kept. An error
 * whose quote matches no flow goes to the kernel (pass_icmp_no_flow), one
 * about a killed flow (shutdown-sessions) is dropped; a quote too short
 * for the IP header and 8 bytes is malformed and goes to the kernel
 * untouched.
 *
 * Full NAT caveat: the backend keeps a learned path MTU per destination,
 * i.e. for the balancer's source address, so every flow of that backend
 * through the balancer shares it (IPVS's full NAT alike); Linux never
 * goes below net.ipv4.route.min_pmtu (552). */
#ifndef XLB_BPF_ICMP_H
#define XLB_BPF_ICMP_H

#include "frag.h"

/* <linux/icmp.h> pulls in libc headers: the few names needed here. */
#define ICMP_ECHOREPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_ECHO		8
#define ICMP_TIME_EXCEEDED	11
#define ICMP_PARAMETERPROB	12

struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 rest;		/* id and sequence, MTU, pointer... */
};

/* A source an echo reply must never go to (the kernel drops these). */
static __always_inline int icmp_bad_source(__be32 a)
{
	__u32 h = bpf_ntohl(a);

	return (h >> 24) == 0 || (h >> 24) == 127 || (h >> 28) == 0xe ||
	       h == 0xffffffff;
}

static __always_inline int icmp_echo(struct pkt *p, struct icmphdr *icmp)
{
	struct iphdr *ip = p->ip4;
	struct xlb_vip_key vk = {};
	__be32 a;
	__u16 old;
	__u8 mac[ETH_ALEN];

	vk.addr.a[0] = ip->daddr;
	vk.family = XLB_AF_INET;
	if (!bpf_map_lookup_elem(&vips, &vk))
		return pass(XLB_R_PASS_NOT_SERVICE);
	if (p->vlan)
		return pass(XLB_R_PASS_VLAN);
	/* Options (record route, timestamps) want the kernel's echo. */
	if (ip->ihl != 5 || icmp_bad_source(ip->saddr))
		return pass(XLB_R_PASS_NOT_SERVICE);

	__builtin_memcpy(mac, p->eth->h_source, ETH_ALEN);
	__builtin_memcpy(p->eth->h_source, p->eth->h_dest, ETH_ALEN);
	__builtin_memcpy(p->eth->h_dest, mac, ETH_ALEN);
	/* Swapped addresses leave the header's sum as it was. */
	a = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = a;
	old = *(__u16 *)&ip->ttl;	/* TTL and protocol: one word */
	ip->ttl = 64;
	csum_replace2((__u16 *)&ip->check, old, *(__u16 *)&ip->ttl);
	old = *(__u16 *)icmp;		/* type and code */
	icmp->type = ICMP_ECHOREPLY;
	csum_replace2((__u16 *)&icmp->checksum, old, *(__u16 *)icmp);
	count_reason(XLB_R_TX_ICMP_ECHO);
	return XDP_TX;
}

/* Set a 32/16-bit field inside the ICMP message, and its checksum. */
static __always_inline void icmp_set4(__u16 *icsum, __be32 *field, __be32 v)
{
	csum_replace4(icsum, *field, v);
	*field = v;
}

static __always_inline void icmp_set2(__u16 *icsum, __u16 *field, __u16 v)
{
	csum_replace2(icsum, *field, v);
	*field = v;
}

static __always_inline int icmp_error(struct xdp_md *ctx, struct pkt *p,
				      struct icmphdr *icmp, void *end)
{
	struct iphdr *ip = p->ip4, *in = (void *)(icmp + 1);
	__u16 *icsum = (__u16 *)&icmp->checksum, *l4sum = 0, *ports;
	__u32 msg_len, in_hlen;
	struct xlb_flow_key key;
	struct xlb_flow *f;
	struct xlb_egress e;
	__be32 src, dst;
	__u16 old;
	int rc;

	/* The quote: an IPv4 header and 8 bytes after it, inside both the
	 * frame and the outer IP length (parse_ipv4 checked it fits). */
	msg_len = bpf_ntohs(ip->tot_len) - ip->ihl * 4;
	if ((void *)(in + 1) > end || msg_len < sizeof(*icmp) + sizeof(*in) + 8)
		return pass(XLB_R_PASS_MALFORMED);
	if (in->version != 4 || in->ihl < 5)
		return pass(XLB_R_PASS_MALFORMED);
	in_hlen = in->ihl * 4;
	ports = (void *)in + in_hlen;
	if ((void *)(ports + 4) > end ||
	    msg_len < sizeof(*icmp) + in_hlen + 8)
		return pass(XLB_R_PASS_MALFORMED);
	/* Only the first fragment of a datagram quotes its ports; an error
	 * goes to the quoted packet's source. */
	if ((in->protocol != IPPROTO_TCP && in->protocol != IPPROTO_UDP) ||
	    frag_is_later(in) || in->saddr != ip->daddr)
		return pass(XLB_R_PASS_ICMP_NO_FLOW);

	flow_key4(&key, in->daddr, in->saddr, ports[1], ports[0],
		  in->protocol);
	f = bpf_map_lookup_elem(&flows, &key);
	if (!f)
		return pass(XLB_R_PASS_ICMP_NO_FLOW);
	if (p->vlan)
		return pass(XLB_R_PASS_VLAN);
	if (f->events & XLB_EV_KILLED)
		return drop(XLB_R_DROP_KILLED);

	p->proto = IPPROTO_ICMP;
	rc = flow_egress(ctx, p, f, &e, 0);
	if (rc > 0)
		return drop(rc);

	/* The quote becomes the packet the other side sent or received:
	 * n reversed. */
	src = f->nat_dst.a[0];
	dst = f->nat_src.a[0];
	if (in->protocol == IPPROTO_UDP && ports[3])
		l4sum = &ports[3];
	else if (in->protocol == IPPROTO_TCP && (void *)(ports + 9) <= end &&
		 msg_len >= sizeof(*icmp) + in_hlen + 18)
		l4sum = &ports[8];
	if (l4sum) {
		old = *l4sum;
		csum_replace4(l4sum, in->saddr, src);
		csum_replace4(l4sum, in->daddr, dst);
		csum_replace2(l4sum, ports[0], f->nat_dport);
		csum_replace2(l4sum, ports[1], f->nat_sport);
		if (in->protocol == IPPROTO_UDP && *l4sum == 0)
			*l4sum = 0xffff;
		csum_replace2(icsum, old, *l4sum);
	}
	icmp_set2(icsum, &ports[0], f->nat_dport);
	icmp_set2(icsum, &ports[1], f->nat_sport);
	old = in->check;
	csum_replace4((__u16 *)&in->check, in->saddr, src);
	csum_replace4((__u16 *)&in->check, in->daddr, dst);
	csum_replace2(icsum, old, in->check);
	icmp_set4(icsum, &in->saddr, src);
	icmp_set4(icsum, &in->daddr, dst);

	nat_rewrite_ip(p, f, 0);
	count_reason(XLB_R_ICMP_ERROR_NAT);
	return fwd_send(ctx, p, &e);
}

/* ICMP to or through the balancer; l4 is the ICMP header's start. */
static __noinline int handle_icmp4(struct xdp_md *ctx, struct pkt *p,
				   void *l4, void *end)
{
	struct icmphdr *icmp = l4;

	if ((void *)(icmp + 1) > end)
		return pass(XLB_R_PASS_MALFORMED);
	/* The ICMP header inside the datagram, not in the frame's padding. */
	if (bpf_ntohs(p->ip4->tot_len) < p->ip4->ihl * 4 + sizeof(*icmp))
		return pass(XLB_R_PASS_MALFORMED);
	switch (icmp->type) {
	case ICMP_ECHO:
		return icmp_echo(p, icmp);
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		return icmp_error(ctx, p, icmp, end);
	}
	return pass(XLB_R_PASS_NOT_SERVICE);
}

#endif
