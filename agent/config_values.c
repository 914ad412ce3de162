// SPDX-License-Identifier: GPL-2.0
/* Value parsers for the HAProxy-syntax configuration: see config_values.h. */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
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

int xlb_parse_ipv4(const char *s, struct xlb_cfg_addr *addr, char *msg,
		   size_t len)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, s, &addr->v4) != 1)
		return xlb_fail(msg, len, "'%s' is not an IPv4 address", s);
	addr->family = AF_INET;
	return 0;
}

static bool is_ipv6(const char *s)
{
	const char *c = strchr(s, ':');

	return *s == '[' || (c && strchr(c + 1, ':'));
}

int xlb_parse_source(const char *s, struct xlb_cfg_addr *addr, char *msg,
		     size_t len)
{
	if (is_ipv6(s))
		return xlb_fail(msg, len, "source '%s': IPv6 is not supported yet", s);
	if (strchr(s, ':'))
		return xlb_fail(msg, len, "source port in '%s' is not supported (use 'source ADDR')",
				s);
	if (xlb_parse_ipv4(s, addr, msg, len))
		return xlb_fail(msg, len, "source '%s' is not an IPv4 address", s);
	return 0;
}

/* Split "HOST:PORT" at its colon into host (a copy, hlen bytes) and port. */
static int split_hostport(const char *s, char *host, size_t hlen,
			  uint16_t *port, char *msg, size_t len)
{
	const char *colon = strchr(s, ':');
	char why[XLB_MSG_LEN];

	if (is_ipv6(s))
		return xlb_fail(msg, len, "'%s': IPv6 services are not supported yet",
				s);
	if (!colon)
		return xlb_fail(msg, len, "missing port in '%s' (expected HOST:PORT)",
				s);
	if ((size_t)(colon - s) >= hlen)
		return xlb_fail(msg, len, "host name in '%.40s...' is too long", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (xlb_parse_port(colon + 1, port, why, sizeof(why)))
		return xlb_fail(msg, len, "%s in '%s'", why, s);
	return 0;
}

static bool prefix_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !strncmp(s, word, n);
}

int xlb_parse_bind_addr(const char *s, struct xlb_cfg_bind *b, char *msg,
			size_t len)
{
	const char *at = strchr(s, '@');
	char host[64];

	memset(b, 0, sizeof(*b));
	b->proto = IPPROTO_TCP;
	if (at) {
		size_t n = (size_t)(at - s);

		if (prefix_is(s, n, "udp") || prefix_is(s, n, "udp4"))
			b->proto = IPPROTO_UDP;
		else if (prefix_is(s, n, "ipv6") || prefix_is(s, n, "tcp6") ||
			 prefix_is(s, n, "udp6"))
			return xlb_fail(msg, len,
					"'%s': IPv6 services are not supported yet", s);
		else if (!prefix_is(s, n, "tcp") && !prefix_is(s, n, "tcp4") &&
			 !prefix_is(s, n, "ipv4"))
			return xlb_fail(msg, len,
					"address prefix '%.*s@' in '%s' is not supported (tcp@ or udp@)",
					(int)n, s, s);
		s = at + 1;
	}
	if (split_hostport(s, host, sizeof(host), &b->port, msg, len))
		return -EINVAL;
	if (!*host || !strcmp(host, "*") || !strcmp(host, "0.0.0.0")) {
		b->wildcard = true;
		return 0;
	}
	if (xlb_parse_ipv4(host, &b->addr, msg, len))
		return xlb_fail(msg, len,
				"bind address '%s' is not an IPv4 address (or '*')",
				host);
	return 0;
}

int xlb_resolve_ipv4(const char *host, struct xlb_cfg_addr *addr, char *msg,
		     size_t len)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int ret;

	if (!xlb_parse_ipv4(host, addr, msg, len))
		return 0;
	ret = getaddrinfo(host, NULL, &hints, &res);
	if (ret)
		return xlb_fail(msg, len, "cannot resolve '%s': %s", host,
				ret == EAI_SYSTEM ? strerror(errno) :
				gai_strerror(ret));
	memset(addr, 0, sizeof(*addr));
	addr->family = AF_INET;
	addr->v4 = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return 0;
}

int xlb_parse_server_addr(const char *s, struct xlb_cfg_server *srv,
			  char *msg, size_t len)
{
	if (!strncmp(s, "ipv4@", 5))
		s += 5;
	else if (!strncmp(s, "ipv6@", 5))
		return xlb_fail(msg, len, "'%s': IPv6 servers are not supported yet",
				s);
	else if (strchr(s, '@'))
		return xlb_fail(msg, len, "server address '%s' is not supported (HOST:PORT expected)",
				s);
	if (split_hostport(s, srv->host, sizeof(srv->host), &srv->port, msg,
			   len))
		return -EINVAL;
	if (!*srv->host)
		return xlb_fail(msg, len, "missing host in '%s'", s);
	return xlb_resolve_ipv4(srv->host, &srv->addr, msg, len);
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
		return xlb_fail(msg, len, "'%s': expected ADDR:PORT, ADDR an IPv4 address or '*'",
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
	char a[INET_ADDRSTRLEN] = "*";

	if (!b->wildcard)
		inet_ntop(AF_INET, &b->addr.v4, a, sizeof(a));
	snprintf(buf, len, "%s%s:%u", b->proto == IPPROTO_UDP ? "udp@" : "",
		 a, b->port);
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
