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

static int fail(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *msg, size_t len, const char *fmt, ...)
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
		return fail(msg, len, "'%s' is not a number", s);
	if (*out > max)
		return fail(msg, len, "%s is out of range 0..%lu", s, max);
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
		return fail(msg, len,
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
		return fail(msg, len,
			    "invalid time '%s': unknown unit '%s' (us, ms, s, m, h, d)",
			    s, s + n);
too_large:
	return fail(msg, len, "time '%s' is too large (max %lums)", s,
		    TIME_MAX_MS);
}

int xlb_parse_port(const char *s, uint16_t *port, char *msg, size_t len)
{
	unsigned long v;
	int n;

	if (!*s)
		return fail(msg, len, "missing port");
	if (*s == '+' || *s == '-')
		return fail(msg, len, "port offset '%s' is not supported", s);
	n = scan_digits(s, &v);
	if (n > 0 && s[n] == '-')
		return fail(msg, len, "port range '%s' is not supported", s);
	if (n <= 0 || s[n])
		return fail(msg, len, "invalid port '%s'", s);
	if (v < 1 || v > 65535)
		return fail(msg, len, "port %s is out of range 1..65535", s);
	*port = (uint16_t)v;
	return 0;
}

int xlb_parse_ipv4(const char *s, struct xlb_cfg_addr *addr, char *msg,
		   size_t len)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, s, &addr->v4) != 1)
		return fail(msg, len, "'%s' is not an IPv4 address", s);
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
		return fail(msg, len, "source '%s': IPv6 is not supported yet", s);
	if (strchr(s, ':'))
		return fail(msg, len, "source port in '%s' is not supported (use 'source ADDR')",
			    s);
	if (xlb_parse_ipv4(s, addr, msg, len))
		return fail(msg, len, "source '%s' is not an IPv4 address", s);
	return 0;
}

/* Split "HOST:PORT" at its colon into host (a copy, hlen bytes) and port. */
static int split_hostport(const char *s, char *host, size_t hlen,
			  uint16_t *port, char *msg, size_t len)
{
	const char *colon = strchr(s, ':');
	char why[XLB_MSG_LEN];

	if (is_ipv6(s))
		return fail(msg, len, "'%s': IPv6 services are not supported yet",
			    s);
	if (!colon)
		return fail(msg, len, "missing port in '%s' (expected HOST:PORT)",
			    s);
	if ((size_t)(colon - s) >= hlen)
		return fail(msg, len, "host name in '%.40s...' is too long", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (xlb_parse_port(colon + 1, port, why, sizeof(why)))
		return fail(msg, len, "%s in '%s'", why, s);
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
			return fail(msg, len,
				    "'%s': IPv6 services are not supported yet", s);
		else if (!prefix_is(s, n, "tcp") && !prefix_is(s, n, "tcp4") &&
			 !prefix_is(s, n, "ipv4"))
			return fail(msg, len,
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
		return fail(msg, len,
			    "bind address '%s' is not an IPv4 address (or '*')",
			    host);
	return 0;
}

int xlb_parse_server_addr(const char *s, struct xlb_cfg_server *srv,
			  char *msg, size_t len)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int ret;

	if (!strncmp(s, "ipv4@", 5))
		s += 5;
	else if (!strncmp(s, "ipv6@", 5))
		return fail(msg, len, "'%s': IPv6 servers are not supported yet",
			    s);
	else if (strchr(s, '@'))
		return fail(msg, len, "server address '%s' is not supported (HOST:PORT expected)",
			    s);
	if (split_hostport(s, srv->host, sizeof(srv->host), &srv->port, msg,
			   len))
		return -EINVAL;
	if (!*srv->host)
		return fail(msg, len, "missing host in '%s'", s);
	if (!xlb_parse_ipv4(srv->host, &srv->addr, msg, len))
		return 0;
	ret = getaddrinfo(srv->host, NULL, &hints, &res);
	if (ret)
		return fail(msg, len, "cannot resolve '%s': %s", srv->host,
			    ret == EAI_SYSTEM ? strerror(errno) :
			    gai_strerror(ret));
	memset(&srv->addr, 0, sizeof(srv->addr));
	srv->addr.family = AF_INET;
	srv->addr.v4 = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
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
		return fail(msg, len, "empty %s name", what);
	if (strlen(name) >= XLB_NAME_MAX)
		return fail(msg, len, "%s name '%s' is too long (max %d characters)",
			    what, name, XLB_NAME_MAX - 1);
	for (c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("-_.:", *c))
			return fail(msg, len, "invalid character '%c' in %s name '%s'",
				    *c, what, name);
	return 0;
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
			return fail(msg, len, "too many words on one line (max %d)",
				    max);
		argv[argc++] = out = s;
		for (; *s; s++) {
			if (quote && *s == quote) {
				quote = 0;
				continue;
			}
			if (!quote) {
				if (*s == '"' || *s == '\'') {
					quote = *s;
					continue;
				}
				if (strchr(" \t\r#", *s))
					break;
				if (*s == '\\' && s[1])
					s++;
			}
			*out++ = *s;
		}
		if (quote)
			return fail(msg, len, "missing closing quote %c", quote);
		c = *s;
		*out = '\0';
		if (!c || c == '#')
			return argc;
		s++;
	}
}

/* Accepted, validated, not applied yet. */
enum opt_value { V_NONE, V_TIME, V_UINT, V_PORT, V_IPV4, V_WORD };
static const struct {
	const char *kw;
	enum opt_value value;
} later_opts[] = {
	{ "inter", V_TIME }, { "fastinter", V_TIME }, { "downinter", V_TIME },
	{ "rise", V_UINT }, { "fall", V_UINT }, { "port", V_PORT },
	{ "addr", V_IPV4 }, { "slowstart", V_TIME }, { "backup", V_NONE },
	{ "maxconn", V_UINT }, { "on-marked-down", V_WORD },
	{ "on-marked-up", V_WORD },
};

static int later_opt(int argc, char **argv, char *msg, size_t len)
{
	char why[XLB_MSG_LEN];
	struct xlb_cfg_addr addr;
	unsigned long v;
	uint16_t port;
	size_t i, n = sizeof(later_opts) / sizeof(later_opts[0]);
	int ret = 0;

	for (i = 0; i < n && strcmp(argv[0], later_opts[i].kw); i++)
		;
	if (i == n)
		return fail(msg, len, "unknown server option '%s'", argv[0]);
	if (later_opts[i].value == V_NONE) {
		snprintf(msg, len, "'%s' not applied yet: used as a normal server",
			 argv[0]);
		return 1;
	}
	if (argc < 2)
		return fail(msg, len, "option '%s' needs a value", argv[0]);
	switch (later_opts[i].value) {
	case V_TIME:
		ret = xlb_parse_time(argv[1], &v, why, sizeof(why));
		break;
	case V_UINT:
		ret = xlb_parse_uint(argv[1], 1000000000, &v, why, sizeof(why));
		break;
	case V_PORT:
		ret = xlb_parse_port(argv[1], &port, why, sizeof(why));
		break;
	case V_IPV4:
		ret = xlb_parse_ipv4(argv[1], &addr, why, sizeof(why));
		break;
	default:
		break;
	}
	if (ret)
		return fail(msg, len, "option '%s': %s", argv[0], why);
	snprintf(msg, len, "'%s %s' not applied yet (ignored)", argv[0],
		 argv[1]);
	return 2;
}

int xlb_parse_server_opt(int argc, char **argv, struct xlb_srv_opts *o,
			 bool *ignored, char *msg, size_t len)
{
	char why[XLB_MSG_LEN];
	unsigned long v;

	*ignored = false;
	if (!strcmp(argv[0], "check")) {
		o->check = true;
	} else if (!strcmp(argv[0], "no-check")) {
		o->check = false;
	} else if (!strcmp(argv[0], "disabled")) {
		o->disabled = true;
	} else if (!strcmp(argv[0], "enabled")) {
		o->disabled = false;
	} else if (!strcmp(argv[0], "weight")) {
		if (argc < 2)
			return fail(msg, len, "option 'weight' needs a value");
		if (xlb_parse_uint(argv[1], 256, &v, why, sizeof(why)))
			return fail(msg, len, "weight %s", why);
		o->weight = (uint32_t)v;
		return 2;
	} else {
		*ignored = true;
		return later_opt(argc, argv, msg, len);
	}
	return 1;
}
