// SPDX-License-Identifier: GPL-2.0
/* xlb's XDP entry point: parse, then hand IPv4 TCP/UDP to handle_ipv4().
 * Everything that is not a service's or a tracked flow's goes to the
 * kernel untouched. */
#include "handle.h"

SEC("xdp")
int xlb_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct hdr_cursor c = { .pos = data };
	struct pkt p = {};
	int proto, rc;

	proto = parse_eth(&c, end, &p);
	if (proto < 0)
		return pass(XLB_R_PASS_MALFORMED);
	if (proto == ETH_P_IPV6)
		return pass(XLB_R_PASS_IPV6);
	if (proto != ETH_P_IP)
		return pass(XLB_R_PASS_NOT_IP);

	proto = parse_ipv4(&c, end, &p);
	if (proto == PARSE_FRAGMENT)
		return pass(XLB_R_PASS_FRAGMENT);
	if (proto < 0)
		return pass(XLB_R_PASS_MALFORMED);
	if (proto == IPPROTO_TCP)
		rc = parse_tcp(&c, end, &p);
	else if (proto == IPPROTO_UDP)
		rc = parse_udp(&c, end, &p);
	else
		return pass(XLB_R_PASS_NOT_SERVICE);
	if (rc < 0)
		return pass(XLB_R_PASS_MALFORMED);
	p.proto = proto;
	return handle_ipv4(ctx, &p, end);
}

char LICENSE[] SEC("license") = "GPL";
