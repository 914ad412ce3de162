/* SPDX-License-Identifier: GPL-2.0 */
/* Route and neighbour queries over plain rtnetlink: how the kernel would
 * reach an address, and asking it to keep a next hop resolved for XDP. */
#ifndef XLB_ROUTE_H
#define XLB_ROUTE_H

#include <stdbool.h>
#include <netinet/in.h>

struct xlb_route {
	int oif;		/* egress ifindex */
	struct in_addr prefsrc;	/* source address the kernel would use */
	bool has_gateway;
	struct in_addr gateway;	/* RTA_GATEWAY when via a router */
};

/* Ask the kernel how it would reach dst (RTM_GETROUTE, like
 * `ip route get DST [from SRC]`).  If src is non-NULL and non-zero it is
 * passed as RTA_SRC, so policy routing and the source check apply; a src
 * that is not a local address is refused (-ENETUNREACH on 6.x kernels,
 * -EINVAL on older ones).  prefsrc is RTA_PREFSRC, else
 * the reply's RTA_SRC (the kernel omits PREFSRC when it equals the given
 * source), else the first primary IPv4 address of oif; -EADDRNOTAVAIL if
 * there is none.  A route whose next hop is IPv6 (RTA_VIA) gives
 * -EAFNOSUPPORT.  Returns 0 or -errno; the kernel's error is passed through
 * (-ENETUNREACH: no route, -EHOSTUNREACH: unreachable route, -EACCES:
 * prohibit route, -EINVAL: blackhole route). */
int xlb_route_get4(struct in_addr dst, const struct in_addr *src,
		   struct xlb_route *out);

/* Make the kernel resolve addr on ifindex by itself and keep it resolved:
 * an NTF_EXT_MANAGED neighbour entry (`ip neigh replace ADDR dev DEV
 * managed`, kernel 5.16+).  bpf_fib_lookup() answers NO_NEIGH until the
 * next hop is in the neighbour table, and XDP traffic never makes the
 * kernel resolve it; a managed entry is probed proactively and refreshed.
 * No lladdr is needed: the kernel starts ARP at once and keeps probing,
 * also after FAILED, so the entry turns REACHABLE when the host answers.
 * The kernel deletes the entry when the link goes down (admin down or
 * carrier loss) and does not bring it back: call again after the link
 * comes up.  An existing PERMANENT or NOARP entry is left alone (returns
 * 0).  -EOPNOTSUPP if the kernel accepted the request but did not keep
 * the managed flag (older kernel).  Returns 0 or -errno. */
int xlb_neigh_manage4(int ifindex, struct in_addr addr);

/* The IPv4 addresses (IFA_LOCAL) of ifindex, primary addresses first, at
 * most max of them stored in addrs (RTM_GETADDR, so labelled aliases such
 * as eth0:1 count too).  Returns how many were stored, or -errno. */
int xlb_if_addrs4(int ifindex, struct in_addr *addrs, int max);

#endif
