// SPDX-License-Identifier: GPL-2.0
/* xlb's XDP entry point: parse, then hand TCP/UDP of either family to
 * handle_l4(), ICMP to handle_icmp4() (icmp.h) or handle_icmp6()
 * (icmp6.h) and fragments to frag.h's policy. Everything that is not
 * a service's or a tracked flow's goes to the kernel untouched. */
#include "handle.h"
#include "frag.h"
#include "icmp.h"
#include "icmp6.h"

/* TCP or UDP header from the cursor on, into p. */
static __always_inline int parse_l4(struct hdr_cursor *c, void *end,
				    struct pkt *p, int proto)
{
	int rc;

	if (proto == IPPROTO_TCP)
		rc = parse_tcp(c, end, p);
	else
		rc = parse_udp(c, end, p);
	p->proto = proto;
	return rc;
}

/* TCP/UDP of either family. */
static __always_inline int xlb_l4(struct xdp_md *ctx, struct hdr_cursor *c,
				  void *end, struct pkt *p, int proto, int v6)
{
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return pass(p->first_frag ? XLB_R_PASS_FRAGMENT :
					    XLB_R_PASS_NOT_SERVICE);
	if (parse_l4(c, end, p, proto) < 0)
		return pass(XLB_R_PASS_MALFORMED);
	return handle_l4(ctx, p, end, v6);
}

/* IPv6: the parser walks extension headers, and a first fragment's
 * Fragment header (frag.h). */
static __always_inline int xlb_ipv6(struct xdp_md *ctx, struct hdr_cursor *c,
				    void *end, struct pkt *p)
{
	int proto = parse_ipv6(c, end, p);

	if (proto == PARSE_FRAGMENT)
		return frag_follow(ctx, p, end, 1);
	if (proto == PARSE_V6_EXT)
		return pass(XLB_R_PASS_IPV6_EXT);
	if (proto < 0)
		return pass(XLB_R_PASS_MALFORMED);
	if (proto == IPPROTO_ICMPV6 && !p->first_frag)
		return handle_icmp6(ctx, p, c->pos, end);
	return xlb_l4(ctx, c, end, p, proto, 1);
}

SEC("xdp")
int xlb_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct hdr_cursor c = { .pos = data };
	struct pkt p = {};
	int proto;

	proto = parse_eth(&c, end, &p);
	if (proto < 0)
		return pass(XLB_R_PASS_MALFORMED);
	if (proto == ETH_P_IPV6)
		return xlb_ipv6(ctx, &c, end, &p);
	if (proto != ETH_P_IP)
		return pass(XLB_R_PASS_NOT_IP);

	proto = parse_ipv4(&c, end, &p);
	if (proto == PARSE_FRAGMENT)
		return frag_follow(ctx, &p, end, 0);
	if (proto < 0)
		return pass(XLB_R_PASS_MALFORMED);
	if (proto == IPPROTO_ICMP && !p.first_frag)
		return handle_icmp4(ctx, &p, c.pos, end);
	return xlb_l4(ctx, &c, end, &p, proto, 0);
}

char LICENSE[] SEC("license") = "GPL";
