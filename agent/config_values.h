/* SPDX-License-Identifier: GPL-2.0 */
/* Value parsers for config.c: numbers, times, ports and addresses as written
 * in an HAProxy configuration. Each returns 0, or -EINVAL after writing a
 * one-line reason (naming the value) into msg. */
#ifndef XLB_CONFIG_VALUES_H
#define XLB_CONFIG_VALUES_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"

#define XLB_MSG_LEN 512

/* Write the reason into msg; returns -EINVAL. */
int xlb_fail(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Decimal digits only, 0..max. */
int xlb_parse_uint(const char *s, unsigned long max, unsigned long *out,
		   char *msg, size_t len);

/* HAProxy time: a number and an optional unit (us, ms, s, m, h, d; default
 * ms), in milliseconds, at most 2^31-1. */
int xlb_parse_time(const char *s, unsigned long *ms, char *msg, size_t len);

/* A port 1..65535; ranges and +/- offsets are refused. */
int xlb_parse_port(const char *s, uint16_t *port, char *msg, size_t len);

/* `source ADDR`: an IPv4 or IPv6 literal ("2001:db8::1", "[2001:db8::1]",
 * "ipv6@2001:db8::1"), without port; never link-local. */
int xlb_parse_source(const char *s, struct xlb_cfg_addr *addr, char *msg,
		     size_t len);

/* One address of a bind line: "[proto@]HOST:PORT", HOST being "*", empty,
 * 0.0.0.0 (every IPv4 address), "::" (every IPv6 one), or a literal of
 * either family ("[2001:db8::1]:80" or "2001:db8::1:80": the last colon
 * separates the port). Prefixes: tcp@, udp@ (UDP), and with a family
 * tcp4@, tcp6@, udp4@, udp6@, ipv4@, ipv6@ ("ipv6@:80" is "[::]:80"). */
int xlb_parse_bind_addr(const char *s, struct xlb_cfg_bind *b, char *msg,
			size_t len);

/* The address of a server: "[ipv4@|ipv6@]HOST:PORT", HOST a literal of
 * either family or a name resolved now (config_addr.h). Fills srv->host,
 * srv->addr and srv->port. Link-local and IPv4-mapped addresses are
 * refused: the data path cannot route to them. */
int xlb_parse_server_addr(const char *s, struct xlb_cfg_server *srv,
			  char *msg, size_t len);

/* `addr A` of a server (or `add server`): where health checks go, a
 * literal of either family ("[2001:db8::1]" too) or a name, no port. */
int xlb_parse_check_addr(const char *s, struct xlb_cfg_addr *addr, char *msg,
			 size_t len);

/* `stats socket PATH`: an absolute path, "unix@" allowed, shorter than
 * size (the stats_socket field), copied into path. */
int xlb_parse_socket_path(const char *s, char *path, size_t size, char *msg,
			  size_t len);

/* `stats metrics ADDR:PORT`: ADDR a literal of either family, "*" or
 * empty (every IPv4 address), "::" (every IPv6 one), PORT 1..65535;
 * copied as written into out (size bytes). */
int xlb_parse_metrics_addr(const char *s, char *out, size_t size, char *msg,
			   size_t len);

/* Split a line into at most max words, in place: whitespace separates, '#'
 * ends the line, quotes group, a backslash escapes the next character
 * (\r, \n, \t as in C) except between single quotes.
 * Returns the number of words or -EINVAL. */
int xlb_split_words(char *s, char **argv, int max, char *msg, size_t len);

/* A section or server name: 1..XLB_NAME_MAX-1 of [A-Za-z0-9-_.:]. */
int xlb_check_name(const char *what, const char *name, char *msg, size_t len);

/* "*:80", "10.0.0.1:80", "[::]:80", "[2001:db8::1]:80", "udp@*:53". */
void xlb_format_bind(const struct xlb_cfg_bind *b, char *buf, size_t len);

#endif
