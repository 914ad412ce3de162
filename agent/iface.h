/* SPDX-License-Identifier: GPL-2.0 */
/* Network interface facts the agent needs to pick an XDP mode. */
#ifndef XLB_IFACE_H
#define XLB_IFACE_H

#include <stdbool.h>
#include <net/if.h>
#include <netinet/in.h>

#define XLB_IFACE_MAX_ADDRS 16

struct xlb_iface {
	char name[IF_NAMESIZE];
	int ifindex;
	char driver[32];	/* ethtool ETHTOOL_GDRVINFO driver, "" if unknown */
	int naddrs;
	struct in_addr addrs[XLB_IFACE_MAX_ADDRS]; /* IPv4, primaries first */
	int naddrs6;
	/* IPv6 global and ULA (never link-local), preferred ones first */
	struct in6_addr addrs6[XLB_IFACE_MAX_ADDRS];
};

/* Look up name in the current network namespace: -ENODEV if there is no
 * such interface.  Addresses beyond XLB_IFACE_MAX_ADDRS are left out.
 * Returns 0 or -errno. */
int xlb_iface_get(const char *name, struct xlb_iface *out);

/* True when generic (skb) XDP should be the default for this interface
 * because native XDP is missing or does not do what the load balancer
 * needs; *why (if why is non-NULL) gets a one-line reason either way. */
bool xlb_iface_prefers_generic(const struct xlb_iface *ifc, const char **why);

#endif
