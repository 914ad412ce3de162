// SPDX-License-Identifier: GPL-2.0
/* xlb's XDP entry point: parse, then hand IPv4 TCP/UDP to handle_ipv4(),
 * ICMP to handle_icmp4() (icmp.h) and fragments to frag.h's policy.
 * Everything that is not a service's or a tracked flow's goes to the
 * kernel untouched. */
#include "handle.h"
#include "frag.h"
#include "icmp.h"

SEC("xdp")
int xlb_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct hdr_cursor c = { .pos = data };
	struct xlb_frag_key fr;
	struct pkt p = {};
	int proto, rc, first_frag = 0;

	proto = parse_eth(&c, end, &p);
	if (proto < 0)
		return pass(XLB_R_PASS_MALFORMED);
	if (proto == ETH_P_IPV6)
		return pass(XLB_R_PASS_IPV6);
	if (proto != ETH_P_IP)
		return pass(XLB_R_PASS_NOT_IP);

	proto = parse_ipv4(&c, end, &p);
	if (proto == PARSE_FRAGMENT) {
		if (frag_is_later(p.ip4))
			return frag_follow(ctx, &p, end);
		/* The first fragment holds the L4 header: a packet of its
		 * flow, whose datagram frag.h remembers. */
		proto = p.ip4->protocol;
		if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
			return pass(XLB_R_PASS_FRAGMENT);
		first_frag = 1;
	}
	if (proto < 0)
		return pass(XLB_R_PASS_MALFORMED);
	if (proto == IPPROTO_ICMP)
		return handle_icmp4(ctx, &p, c.pos, end);
	if (proto == IPPROTO_TCP)
		rc = parse_tcp(&c, end, &p);
	else if (proto == IPPROTO_UDP)
		rc = parse_udp(&c, end, &p);
	else
		return pass(XLB_R_PASS_NOT_SERVICE);
	if (rc < 0)
		return pass(XLB_R_PASS_MALFORMED);
	p.proto = proto;
	if (first_frag)
		frag_first(&fr, &p);
	rc = handle_ipv4(ctx, &p, end);
	if (first_frag)
		frag_first_done(&fr, rc);
	return rc;
}

char LICENSE[] SEC("license") = "GPL";
