/* SPDX-License-Identifier: GPL-2.0 */
/* Host settings xlb changes while it runs, each put back at exit. */
#ifndef XLB_SYSCTL_H
#define XLB_SYSCTL_H

#include <stdint.h>

/* Read /proc/sys/PATH into buf (trailing newline removed). */
int xlb_sysctl_get(const char *path, char *buf, int len);
/* Write value to /proc/sys/PATH, remembering the old value. */
int xlb_sysctl_set(const char *path, const char *value);
/* Put back every value changed, newest first. */
void xlb_sysctl_restore_all(void);

/* Add lo-hi to net.ipv4.ip_local_reserved_ports (this network namespace)
 * so the host's own connections never take a NAT source port. */
int xlb_ports_reserve(uint16_t lo, uint16_t hi);
/* bpf_fib_lookup() answers FWD_DISABLED unless the interface it is given
 * forwards IPv4, whatever the flags: enable it on an attached interface. */
int xlb_forwarding_enable(const char *ifname);
/* The same for IPv6 (net.ipv6.conf.IFACE.forwarding), asked for once an
 * IPv6 service exists. With forwarding on, Linux ignores router
 * advertisements unless accept_ra is 2: an accept_ra of 1 is set to 2
 * (and put back at exit too). */
int xlb_forwarding6_enable(const char *ifname);

#endif
