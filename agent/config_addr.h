/* SPDX-License-Identifier: GPL-2.0 */
/* IP addresses of either family, as the agent handles them everywhere:
 * parsing what a configuration or a runtime command writes (HAProxy's
 * rules), printing them as HAProxy does, and converting to and from the
 * maps' 16-byte layout. One place for both families, so that no caller
 * calls inet_pton or inet_ntop with a family of its own. */
#ifndef XLB_CONFIG_ADDR_H
#define XLB_CONFIG_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "xlb_addr.h"

/* An address: family AF_INET or AF_INET6 (0: none), network order. */
struct xlb_cfg_addr {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* Room for any address as text, and for "[address]:port". */
#define XLB_ADDR_STRLEN INET6_ADDRSTRLEN
#define XLB_HOSTPORT_STRLEN (INET6_ADDRSTRLEN + 8)

/* An IPv4 or IPv6 literal, without brackets, port or %zone. */
bool xlb_addr_parse(const char *s, struct xlb_cfg_addr *a);
/* The literal: "10.0.0.1", "2001:db8::1"; "?" without a family. */
const char *xlb_addr_str(const struct xlb_cfg_addr *a, char *buf, size_t len);
/* With a port, as HAProxy prints one: "10.0.0.1:80", "[2001:db8::1]:80". */
const char *xlb_hostport_str(const struct xlb_cfg_addr *a, uint16_t port,
			     char *buf, size_t len);
/* "IPv4" or "IPv6". */
const char *xlb_family_name(int family);

bool xlb_addr_eq(const struct xlb_cfg_addr *a, const struct xlb_cfg_addr *b);
bool xlb_addr_is_any(const struct xlb_cfg_addr *a);	/* 0.0.0.0 or :: */
/* fe80::/10: bpf_fib_lookup() neither routes to nor from these. */
bool xlb_addr_is_linklocal(const struct xlb_cfg_addr *a);
/* ::ffff:a.b.c.d, which only an IPv6 socket understands. */
bool xlb_addr_is_v4mapped(const struct xlb_cfg_addr *a);

/* The maps' layout (include/xlb_addr.h): IPv4 in a[0], IPv6 in a[0..3];
 * the family as XLB_AF_INET or XLB_AF_INET6. */
void xlb_addr_to_map(const struct xlb_cfg_addr *a, struct xlb_addr *out,
		     uint8_t *family);
void xlb_addr_from_map(const struct xlb_addr *in, uint8_t family,
		       struct xlb_cfg_addr *a);

/* Split "HOST:PORT" into host (a copy, hlen bytes) and port, HAProxy's
 * way: "[v6]:port" in brackets, else the LAST colon separates the port
 * ("2001:db8::1:80" is 2001:db8::1 port 80, ":::80" is :: port 80). The
 * host may be empty. Returns 0, or -EINVAL after writing the reason into
 * msg. */
int xlb_split_hostport(const char *s, char *host, size_t hlen,
		       uint16_t *port, char *msg, size_t len);

/* A host: a literal of either family, or a name resolved now. A name
 * gives its IPv4 address when it has one, as HAProxy's default (libc
 * gethostbyname) resolution does, else its IPv6 one; family AF_INET or
 * AF_INET6 (the "ipv4@" and "ipv6@" prefixes) asks for that family only,
 * of a literal too. Returns 0 or -EINVAL with the reason in msg. */
int xlb_resolve_host(const char *host, int family, struct xlb_cfg_addr *a,
		     char *msg, size_t len);

/* Strip a leading "ipv4@" or "ipv6@" from *s: the family it asks for, or
 * AF_UNSPEC without one. */
int xlb_family_prefix(const char **s);

#endif
