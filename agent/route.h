/* SPDX-License-Identifier: GPL-2.0 */
/* Route and neighbour queries over plain rtnetlink, IPv4 and IPv6 (route.c,
 * neigh.c): how the kernel would reach an address, and asking it to keep a
 * next hop resolved for XDP. */
#ifndef XLB_ROUTE_H
#define XLB_ROUTE_H

#include <stdbool.h>
#include <netinet/in.h>
#include "config_addr.h"

struct xlb_route {
	int oif;		/* egress ifindex */
	struct xlb_cfg_addr prefsrc;	/* source address the kernel would
					 * use; never link-local */
	bool has_gateway;
	struct xlb_cfg_addr gateway;	/* RTA_GATEWAY when via a router
					 * (IPv6: often link-local) */
};

/* Ask the kernel how it would reach dst, of either family (RTM_GETROUTE,
 * like `ip route get DST [from SRC]`).  If src is non-NULL, of dst's
 * family and not 0.0.0.0 or ::, it is passed as RTA_SRC, so policy routing
 * and (IPv4) the source check apply; an IPv4 src that is not a local
 * address is refused (-ENETUNREACH on 6.x kernels, -EINVAL on older ones).
 * prefsrc is RTA_PREFSRC, else the reply's RTA_SRC (the kernel omits
 * PREFSRC when it equals the given source), else the first primary (IPv6:
 * preferred global or ULA) address of oif; -EADDRNOTAVAIL if there is
 * none.  A link-local prefsrc, which IPv6 source selection gives when oif
 * has no global address, is never returned: bpf_fib_lookup() refuses
 * link-local sources.  An IPv4 route whose next hop is IPv6 (RTA_VIA)
 * gives -EAFNOSUPPORT.  Returns 0 or -errno; the kernel's error is passed
 * through (-ENETUNREACH: no route, -EHOSTUNREACH: unreachable route,
 * -EACCES: prohibit route, -EINVAL: blackhole route). */
int xlb_route_get(const struct xlb_cfg_addr *dst,
		  const struct xlb_cfg_addr *src, struct xlb_route *out);

/* Make the kernel resolve addr (IPv4: ARP, IPv6: NDP) on ifindex by itself
 * and keep it resolved: an NTF_EXT_MANAGED neighbour entry (`ip neigh
 * replace ADDR dev DEV managed`, kernel 5.16+).  bpf_fib_lookup() answers
 * NO_NEIGH until the next hop is in the neighbour table, and XDP traffic
 * never makes the kernel resolve it; a managed entry is probed
 * proactively and refreshed.
 * No lladdr is needed: the kernel starts probing at once and keeps on,
 * also after FAILED, so the entry turns REACHABLE when the host answers.
 * The kernel deletes the entry when the link goes down (admin down or
 * carrier loss) and does not bring it back: call again after the link
 * comes up.  An existing PERMANENT or NOARP entry is left alone (returns
 * 0).  -EOPNOTSUPP if the kernel accepted the request but did not keep
 * the managed flag (older kernel).  Returns 0 or -errno. */
int xlb_neigh_manage(int ifindex, const struct xlb_cfg_addr *addr);

/* The IPv4 addresses (IFA_LOCAL) of ifindex (0: of every interface),
 * primary addresses first, at most max of them stored in addrs
 * (RTM_GETADDR, so labelled aliases such as eth0:1 count too).  Returns
 * how many were stored, or -errno. */
int xlb_if_addrs4(int ifindex, struct in_addr *addrs, int max);

/* The global and ULA IPv6 addresses of ifindex (0: of every interface),
 * universe scope only (no link-local, no ::1), not those whose duplicate
 * address detection failed, preferred ones first, at most max of them.
 * Returns how many were stored, or -errno. */
int xlb_if_addrs6(int ifindex, struct in6_addr *addrs, int max);

/* Is a an address of some interface of this network namespace (IPv6:
 * a global or ULA one)? */
bool xlb_addr_is_local(const struct xlb_cfg_addr *a);

#endif
