/* SPDX-License-Identifier: GPL-2.0 */
/* Addresses are IPv6-sized everywhere; an IPv4 address sits in a[0] with
 * the other words zero, and the key's family field tells which. */
#ifndef XLB_ADDR_H
#define XLB_ADDR_H

#include <linux/types.h>

struct xlb_addr {
	__be32 a[4];
};

#define XLB_AF_INET	4
#define XLB_AF_INET6	6

#endif
