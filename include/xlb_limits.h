/* SPDX-License-Identifier: GPL-2.0 */
/* Sizes shared by the XDP program and the agent. */
#ifndef XLB_LIMITS_H
#define XLB_LIMITS_H

#define XLB_MAX_SERVICES	256
#define XLB_MAX_BACKENDS	4096	/* all services together */
#define XLB_MAX_SVC_BACKENDS	256	/* one service's pool: bounds the scan */
#define XLB_DEFAULT_FLOWS	(1u << 20)	/* flow-table entries (2 per flow) */
#define XLB_MAX_IFACES		64

/* Source ports the balancer allocates for its side of a NAT flow. Kept out
 * of the kernel's default ephemeral range (32768-60999) so that the host's
 * own connections (health checks, ssh) never meet a NAT flow's reverse key;
 * the agent also reserves the range in net.ipv4.ip_local_reserved_ports. */
#define XLB_PORT_MIN_DEFAULT	1024
#define XLB_PORT_MAX_DEFAULT	32767
#define XLB_PORT_TRIES		8	/* random candidates per new flow */

#endif
