// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE	/* EAI_NODATA, EAI_ADDRFAMILY */
/* IP addresses of both families: see config_addr.h. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "config_addr.h"
#include "config_values.h"

bool xlb_addr_parse(const char *s, struct xlb_cfg_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a->v6) == 1)
		a->family = AF_INET6;
	return a->family != 0;
}

const char *xlb_addr_str(const struct xlb_cfg_addr *a, char *buf, size_t len)
{
	const void *p = a->family == AF_INET ? (const void *)&a->v4 :
						(const void *)&a->v6;

	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    !inet_ntop(a->family, p, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

const char *xlb_hostport_str(const struct xlb_cfg_addr *a, uint16_t port,
			     char *buf, size_t len)
{
	char ip[XLB_ADDR_STRLEN];
	bool v6 = a->family == AF_INET6;

	snprintf(buf, len, "%s%s%s:%u", v6 ? "[" : "",
		 xlb_addr_str(a, ip, sizeof(ip)), v6 ? "]" : "", port);
	return buf;
}

const char *xlb_family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

bool xlb_addr_eq(const struct xlb_cfg_addr *a, const struct xlb_cfg_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

bool xlb_addr_is_any(const struct xlb_cfg_addr *a)
{
	if (a->family == AF_INET)
		return a->v4.s_addr == htonl(INADDR_ANY);
	return a->family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&a->v6);
}

bool xlb_addr_is_linklocal(const struct xlb_cfg_addr *a)
{
	return a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->v6);
}

bool xlb_addr_is_v4mapped(const struct xlb_cfg_addr *a)
{
	return a->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a->v6);
}

void xlb_addr_to_map(const struct xlb_cfg_addr *a, struct xlb_addr *out,
		     uint8_t *family)
{
	memset(out, 0, sizeof(*out));
	if (a->family == AF_INET6) {
		memcpy(out->a, &a->v6, sizeof(out->a));
		*family = XLB_AF_INET6;
	} else {
		out->a[0] = a->v4.s_addr;
		*family = XLB_AF_INET;
	}
}

void xlb_addr_from_map(const struct xlb_addr *in, uint8_t family,
		       struct xlb_cfg_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == XLB_AF_INET6) {
		a->family = AF_INET6;
		memcpy(&a->v6, in->a, sizeof(a->v6));
	} else {
		a->family = AF_INET;
		a->v4.s_addr = in->a[0];
	}
}

int xlb_split_hostport(const char *s, char *host, size_t hlen,
		       uint16_t *port, char *msg, size_t len)
{
	const char *h = s, *end, *p;
	struct xlb_cfg_addr whole;
	char why[XLB_MSG_LEN];

	if (*s == '[') {
		end = strchr(s, ']');
		if (!end)
			return xlb_fail(msg, len, "missing ']' in '%s'", s);
		h = s + 1;
		if (!end[1])
			return xlb_fail(msg, len, "missing port in '%s' (expected [ADDRESS]:PORT)",
					s);
		if (end[1] != ':')
			return xlb_fail(msg, len, "unexpected '%s' after ']' in '%s' (expected [ADDRESS]:PORT)",
					end + 1, s);
		p = end + 2;
	} else {
		end = strrchr(s, ':');
		if (!end)
			return xlb_fail(msg, len, "missing port in '%s' (expected HOST:PORT)",
					s);
		p = end + 1;
	}
	if ((size_t)(end - h) >= hlen)
		return xlb_fail(msg, len, "host name in '%.40s...' is too long", s);
	memcpy(host, h, (size_t)(end - h));
	host[end - h] = '\0';
	/* "2001:db8::1" alone reads as host "2001:db8:" and port 1: say what
	 * was probably meant. */
	if (*s != '[' && strchr(host, ':') && !xlb_addr_parse(host, &whole) &&
	    xlb_addr_parse(s, &whole))
		return xlb_fail(msg, len, "missing port in '%s' (an IPv6 address with a port is written [%s]:PORT)",
				s, s);
	if (xlb_parse_port(p, port, why, sizeof(why)))
		return xlb_fail(msg, len, "%s in '%s'", why, s);
	return 0;
}

/* getaddrinfo() for one family: 0, or the EAI_ error. */
static int lookup(const char *host, int family, struct xlb_cfg_addr *a)
{
	struct addrinfo hints = { .ai_family = family,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int ret = getaddrinfo(host, NULL, &hints, &res);

	if (ret)
		return ret;
	memset(a, 0, sizeof(*a));
	a->family = res->ai_family;
	if (a->family == AF_INET)
		a->v4 = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	else
		a->v6 = ((struct sockaddr_in6 *)res->ai_addr)->sin6_addr;
	freeaddrinfo(res);
	return 0;
}

int xlb_resolve_host(const char *host, int family, struct xlb_cfg_addr *a,
		     char *msg, size_t len)
{
	int ret;

	if (xlb_addr_parse(host, a)) {
		if (family && a->family != family)
			return xlb_fail(msg, len, "'%s' is not an %s address",
					host, xlb_family_name(family));
		return 0;
	}
	/* A colon is never part of a name: a mistyped literal. */
	if (strchr(host, ':') || strchr(host, '%'))
		return xlb_fail(msg, len, "'%s' is not an IPv4 or IPv6 address",
				host);
	ret = lookup(host, family ? family : AF_INET, a);
	if (ret && !family)
		ret = lookup(host, AF_INET6, a);
	if (!ret)
		return 0;
	if (family && (ret == EAI_NODATA || ret == EAI_ADDRFAMILY ||
		       ret == EAI_NONAME) && !lookup(host, AF_UNSPEC, a))
		return xlb_fail(msg, len, "'%s' has no %s address", host,
				xlb_family_name(family));
	return xlb_fail(msg, len, "cannot resolve '%s': %s", host,
			ret == EAI_SYSTEM ? strerror(errno) : gai_strerror(ret));
}

int xlb_family_prefix(const char **s)
{
	if (!strncmp(*s, "ipv4@", 5)) {
		*s += 5;
		return AF_INET;
	}
	if (!strncmp(*s, "ipv6@", 5)) {
		*s += 5;
		return AF_INET6;
	}
	return AF_UNSPEC;
}
