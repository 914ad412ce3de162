/* SPDX-License-Identifier: GPL-2.0 */
/* Next hop and egress: bpf_fib_lookup, then XDP_TX or a devmap redirect.
 * Decided before the packet is touched, so a packet that cannot be sent is
 * handed back unchanged. */
#ifndef XLB_BPF_FWD_H
#define XLB_BPF_FWD_H

#include <linux/if_ether.h>
#include "maps.h"
#include "nat.h"

#ifndef AF_INET
#define AF_INET 2
#endif
#ifndef AF_INET6
#define AF_INET6 10
#endif

/* Route the rewritten packet as the host would send it (LOOKUP_OUTPUT:
 * its source is our own address). out->ifindex comes in as the interface
 * the agent found towards the destination. Returns 0, or the fib result
 * code. Not inlined: its 64-byte request gets a frame of its own. */
static __noinline int fwd_lookup(struct xdp_md *ctx, const struct pkt *p,
				 const struct xlb_flow *n, struct xlb_egress *out,
				 int v6)
{
	struct bpf_fib_lookup fib = {};
	int rc;

	if (v6) {
		fib.family = AF_INET6;
		/* Traffic class and flow label, as the route may select. */
		fib.flowinfo = *(__be32 *)p->ip6 & bpf_htonl(0x0fffffff);
		__builtin_memcpy(fib.ipv6_src, &n->nat_src, 16);
		__builtin_memcpy(fib.ipv6_dst, &n->nat_dst, 16);
	} else {
		fib.family = AF_INET;
		fib.tos = p->ip4->tos;
		fib.ipv4_src = n->nat_src.a[0];
		fib.ipv4_dst = n->nat_dst.a[0];
	}
	fib.l4_protocol = p->proto;
	fib.sport = n->nat_sport;
	fib.dport = n->nat_dport;
	/* No MTU check (tot_len 0): in generic mode a GSO packet of up to
	 * 64 KiB arrives whole and is segmented on the way out; a check here
	 * would refuse it. The egress device enforces its MTU itself. */
	fib.tot_len = 0;
	fib.ifindex = out->ifindex;
	/* Either family needs forwarding on (the agent enables it per
	 * interface), even with LOOKUP_OUTPUT. */
	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), BPF_FIB_LOOKUP_OUTPUT);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return rc;
	out->ifindex = fib.ifindex;
	__builtin_memcpy(out->smac, fib.smac, ETH_ALEN);
	__builtin_memcpy(out->dmac, fib.dmac, ETH_ALEN);
	return 0;
}

/* Can we send out of ifindex from here? */
static __always_inline int fwd_reachable(struct xdp_md *ctx, __u32 ifindex)
{
	return ifindex == ctx->ingress_ifindex ||
	       bpf_map_lookup_elem(&tx_ports, &ifindex) != 0;
}

static __always_inline int fwd_send(struct xdp_md *ctx, struct pkt *p,
				    const struct xlb_egress *e)
{
	__builtin_memcpy(p->eth->h_dest, e->dmac, ETH_ALEN);
	__builtin_memcpy(p->eth->h_source, e->smac, ETH_ALEN);
	if (e->ifindex == ctx->ingress_ifindex) {
		count_reason(XLB_R_FORWARD_TX);
		return XDP_TX;
	}
	count_reason(XLB_R_FORWARD_REDIRECT);
	return bpf_redirect_map(&tx_ports, e->ifindex, XDP_DROP);
}

#endif
