// SPDX-License-Identifier: GPL-2.0
/* Value parsers for the HAProxy-syntax configuration: see config_values.h. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "config_values.h"

#define TIME_MAX_MS 2147483647UL	/* HAProxy's limit: 2^31-1 ms */

int xlb_fail(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Digits only; returns the number of digits, or -1 past ULONG_MAX/10. */
static int scan_digits(const char *s, unsigned long *out)
{
	unsigned long v = 0;
	int n = 0;

	for (; isdigit((unsigned char)s[n]); n++) {
		if (v > (~0UL - 9) / 10)
			return -1;
		v = v * 10 + (unsigned long)(s[n] - '0');
	}
	*out = v;
	return n;
}

int xlb_parse_uint(const char *s, unsigned long max, unsigned long *out,
		   char *msg, size_t len)
{
	int n = scan_digits(s, out);

	if (n <= 0 || s[n])
		return xlb_fail(msg, len, "'%s' is not a number", s);
	if (*out > max)
		return xlb_fail(msg, len, "%s is out of range 0..%lu", s, max);
	return 0;
}

int xlb_parse_time(const char *s, unsigned long *ms, char *msg, size_t len)
{
	static const struct {
		const char *unit;
		unsigned long mul, div;
	} units[] = {
		{ "", 1, 1 }, { "us", 1, 1000 }, { "ms", 1, 1 },
		{ "s", 1000, 1 }, { "m", 60000, 1 }, { "h", 3600000, 1 },
		{ "d", 86400000, 1 },
	};
	unsigned long v;
	int n = scan_digits(s, &v);
	size_t i;

	if (n == 0)
		return xlb_fail(msg, len,
				"invalid time '%s': expected a number with an optional unit (us, ms, s, m, h, d)",
				s);
	if (n < 0)
		goto too_large;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(s + n, units[i].unit))
			continue;
		if (v > TIME_MAX_MS / units[i].mul * units[i].div)
			break;
		*ms = (v * units[i].mul + units[i].div - 1) / units[i].div;
		if (*ms > TIME_MAX_MS)
			break;
		return 0;
	}
	if (i == sizeof(units) / sizeof(units[0]))
		return xlb_fail(msg, len,
				"invalid time '%s': unknown unit '%s' (us, ms, s, m, h, d)",
				s, s + n);
too_large:
	return xlb_fail(msg, len, "time '%s' is too large (max %lums)", s,
			TIME_MAX_MS);
}

int xlb_parse_port(const char *s, uint16_t *port, char *msg, size_t len)
{
	unsigned long v;
	int n;

	if (!*s)
		return xlb_fail(msg, len, "missing port");
	if (*s == '+' || *s == '-')
		return xlb_fail(msg, len, "port offset '%s' is not supported", s);
	n = scan_digits(s, &v);
	if (n > 0 && s[n] == '-')
		return xlb_fail(msg, len, "port range '%s' is not supported", s);
	if (n <= 0 || s[n])
		return xlb_fail(msg, len, "invalid port '%s'", s);
	if (v < 1 || v > 65535)
		return xlb_fail(msg, len, "port %s is out of range 1..65535", s);
	*port = (uint16_t)v;
	return 0;
}

/* Addresses the data path cannot use: bpf_fib_lookup() takes no
 * link-local address, and an IPv4-mapped one is IPv4 in disguise. */
static int routable(const char *what, const char *s,
		    const struct xlb_cfg_addr *a, char *msg, size_t len)
{
	struct xlb_cfg_addr v4 = { .family = AF_INET };
	char ip[XLB_ADDR_STRLEN];

	if (xlb_addr_is_linklocal(a))
		return xlb_fail(msg, len, "%s '%s' is link-local: xlb routes with bpf_fib_lookup(), which takes no link-local address (use a global or ULA one)",
				what, s);
	if (xlb_addr_is_v4mapped(a)) {
		memcpy(&v4.v4, &a->v6.s6_addr[12], sizeof(v4.v4));
		return xlb_fail(msg, len, "%s '%s' is an IPv4-mapped IPv6 address: write %s",
				what, s, xlb_addr_str(&v4, ip, sizeof(ip)));
	}
	return 0;
}

/* A literal that may stand in brackets, without a port: copied into out
 * (len bytes). Returns 0, 1 when a port follows, -1 when malformed. */
static int strip_brackets(const char *s, char *out, size_t len)
{
	const char *end;

	if (*s != '[') {
		snprintf(out, len, "%s", s);
		return strlen(s) < len ? 0 : -1;
	}
	end = strchr(s, ']');
	if (!end || (size_t)(end - s - 1) >= len)
		return -1;
	if (end[1])
		return end[1] == ':' ? 1 : -1;
	memcpy(out, s + 1, (size_t)(end - s - 1));
	out[end - s - 1] = '\0';
	return 0;
}

/* A single colon after a host: an address (or name) with a port. */
static bool has_port(const char *s)
{
	const char *c = strchr(s, ':');

	return c && c == strrchr(s, ':');
}

int xlb_parse_source(const char *s, struct xlb_cfg_addr *addr, char *msg,
		     size_t len)
{
	const char *in = s;
	int family = xlb_family_prefix(&s);
	char lit[XLB_ADDR_STRLEN + 2];
	int ret = strip_brackets(s, lit, sizeof(lit));

	if (ret > 0 || (!ret && has_port(lit)))
		return xlb_fail(msg, len, "source port in '%s' is not supported (use 'source ADDR')",
				in);
	if (ret < 0 || !xlb_addr_parse(lit, addr))
		return xlb_fail(msg, len, "source '%s' is not an IPv4 or IPv6 address",
				in);
	if (family && addr->family != family)
		return xlb_fail(msg, len, "source '%s' is not an %s address", in,
				xlb_family_name(family));
	return routable("source", in, addr, msg, len);
}

static bool prefix_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !strncmp(s, word, n);
}

/* "proto@" of a bind: the protocol, and the family it forces (0: none). */
static int bind_prefix(const char *s, size_t n, int *proto, int *family)
{
	static const struct {
		const char *word;
		int proto, family;
	} prefixes[] = {
		{ "tcp", IPPROTO_TCP, 0 }, { "udp", IPPROTO_UDP, 0 },
		{ "tcp4", IPPROTO_TCP, AF_INET }, { "udp4", IPPROTO_UDP, AF_INET },
		{ "ipv4", IPPROTO_TCP, AF_INET },
		{ "tcp6", IPPROTO_TCP, AF_INET6 }, { "udp6", IPPROTO_UDP, AF_INET6 },
		{ "ipv6", IPPROTO_TCP, AF_INET6 },
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (prefix_is(s, n, prefixes[i].word)) {
			*proto = prefixes[i].proto;
			*family = prefixes[i].family;
			return 0;
		}
	return -EINVAL;
}

int xlb_parse_bind_addr(const char *s, struct xlb_cfg_bind *b, char *msg,
			size_t len)
{
	const char *at = strchr(s, '@'), *in = s;
	char host[64];
	int family = 0;

	memset(b, 0, sizeof(*b));
	b->proto = IPPROTO_TCP;
	if (at) {
		size_t n = (size_t)(at - s);

		if (bind_prefix(s, n, &b->proto, &family))
			return xlb_fail(msg, len,
					"address prefix '%.*s@' in '%s' is not supported (tcp@, udp@, ipv4@, ipv6@, tcp4@, tcp6@, udp4@, udp6@)",
					(int)n, s, s);
		s = at + 1;
	}
	if (xlb_split_hostport(s, host, sizeof(host), &b->port, msg, len))
		return -EINVAL;
	if (!*host || !strcmp(host, "*")) {
		b->wildcard = true;
		b->addr.family = family ? family : AF_INET;
		return 0;
	}
	if (!xlb_addr_parse(host, &b->addr))
		return xlb_fail(msg, len,
				"bind address '%s' is not an IPv4 or IPv6 address (or '*')",
				host);
	if (family && b->addr.family != family)
		return xlb_fail(msg, len, "bind address '%s' is not an %s address (%.*s@)",
				host, xlb_family_name(family), (int)(at - in), in);
	b->wildcard = xlb_addr_is_any(&b->addr);
	return routable("bind address", host, &b->addr, msg, len);
}

int xlb_parse_server_addr(const char *s, struct xlb_cfg_server *srv,
			  char *msg, size_t len)
{
	const char *in = s;
	int family = xlb_family_prefix(&s);

	if (strchr(s, '@'))
		return xlb_fail(msg, len, "server address '%s' is not supported (HOST:PORT expected)",
				in);
	if (xlb_split_hostport(s, srv->host, sizeof(srv->host), &srv->port,
			       msg, len))
		return -EINVAL;
	if (!*srv->host)
		return xlb_fail(msg, len, "missing host in '%s'", in);
	if (strchr(srv->host, ':') && !xlb_addr_parse(srv->host, &srv->addr))
		return xlb_fail(msg, len, "server address '%s' is not an IPv4 or IPv6 address",
				in);
	if (xlb_resolve_host(srv->host, family, &srv->addr, msg, len))
		return -EINVAL;
	/* HAProxy's "transparent" server (the client's own destination)
	 * has no meaning for a NAT balancer. */
	if (xlb_addr_is_any(&srv->addr))
		return xlb_fail(msg, len, "server address '%s' is unspecified: xlb needs the server's own address",
				in);
	return routable("server address", in, &srv->addr, msg, len);
}

int xlb_parse_check_addr(const char *s, struct xlb_cfg_addr *addr, char *msg,
			 size_t len)
{
	const char *in = s;
	int family = xlb_family_prefix(&s);
	char host[256];
	int ret = strip_brackets(s, host, sizeof(host));

	if (ret > 0 || (!ret && has_port(host)))
		return xlb_fail(msg, len, "'%s' has a port: give it with 'port'",
				in);
	if (ret < 0)
		return xlb_fail(msg, len, "'%s' is not an IPv4 or IPv6 address",
				in);
	if (strchr(host, '@'))
		return xlb_fail(msg, len, "'%s' is not supported (an address or a host name)",
				in);
	if (xlb_resolve_host(host, family, addr, msg, len))
		return -EINVAL;
	/* A link-local target would need a zone (the interface). */
	if (xlb_addr_is_linklocal(addr))
		return xlb_fail(msg, len, "'%s' is link-local: health checks go to a global or ULA address",
				in);
	return 0;
}

int xlb_parse_socket_path(const char *s, char *path, size_t size, char *msg,
			  size_t len)
{
	if (!strncmp(s, "unix@", 5))
		s += 5;
	if (*s != '/')
		return xlb_fail(msg, len, "'%s' is not an absolute path (xlb's control socket is a UNIX socket)",
				s);
	if (strlen(s) >= size)
		return xlb_fail(msg, len, "path '%.40s...' is too long (max %zu characters)",
				s, size - 1);
	strcpy(path, s);
	return 0;
}

int xlb_parse_metrics_addr(const char *s, char *out, size_t size, char *msg,
			   size_t len)
{
	struct xlb_cfg_bind b;

	if (strchr(s, '@'))
		return xlb_fail(msg, len, "'%s': expected ADDR:PORT, ADDR an IPv4 or IPv6 address, '*' or '::'",
				s);
	if (xlb_parse_bind_addr(s, &b, msg, len))
		return -EINVAL;
	if (strlen(s) >= size)
		return xlb_fail(msg, len, "'%s' is too long", s);
	strcpy(out, s);
	return 0;
}

void xlb_format_bind(const struct xlb_cfg_bind *b, char *buf, size_t len)
{
	const char *udp = b->proto == IPPROTO_UDP ? "udp@" : "";
	char hp[XLB_HOSTPORT_STRLEN];

	/* The IPv6 wildcard prints as "[::]:80" */
	if (b->wildcard && b->addr.family != AF_INET6)
		snprintf(buf, len, "%s*:%u", udp, b->port);
	else
		snprintf(buf, len, "%s%s", udp,
			 xlb_hostport_str(&b->addr, b->port, hp, sizeof(hp)));
}

int xlb_check_name(const char *what, const char *name, char *msg, size_t len)
{
	const char *c;

	if (!*name)
		return xlb_fail(msg, len, "empty %s name", what);
	if (strlen(name) >= XLB_NAME_MAX)
		return xlb_fail(msg, len, "%s name '%s' is too long (max %d characters)",
				what, name, XLB_NAME_MAX - 1);
	for (c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("-_.:", *c))
			return xlb_fail(msg, len, "invalid character '%c' in %s name '%s'",
					*c, what, name);
	return 0;
}

/* The character a backslash escapes: \r, \n and \t as in C. */
static char unescape(char c)
{
	return c == 'r' ? '\r' : c == 'n' ? '\n' : c == 't' ? '\t' : c;
}

int xlb_split_words(char *s, char **argv, int max, char *msg, size_t len)
{
	int argc = 0;

	for (;;) {
		char *out, quote = 0, c;

		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s || *s == '#')
			return argc;
		if (argc == max)
			return xlb_fail(msg, len, "too many words on one line (max %d)",
					max);
		argv[argc++] = out = s;
		for (; *s; s++) {
			char ch = *s;

			if (quote && ch == quote) {
				quote = 0;
				continue;
			}
			if (!quote && (ch == '"' || ch == '\'')) {
				quote = ch;
				continue;
			}
			if (!quote && strchr(" \t\r#", ch))
				break;
			/* as haproxy: no escape between single quotes */
			if (ch == '\\' && s[1] && quote != '\'')
				ch = unescape(*++s);
			*out++ = ch;
		}
		if (quote)
			return xlb_fail(msg, len, "missing closing quote %c", quote);
		c = *s;
		*out = '\0';
		if (!c || c == '#')
			return argc;
		s++;
	}
}
