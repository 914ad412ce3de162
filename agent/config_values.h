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

/* An IPv4 literal. */
int xlb_parse_ipv4(const char *s, struct xlb_cfg_addr *addr, char *msg,
		   size_t len);

/* `source ADDR`: an IPv4 literal, without port. */
int xlb_parse_source(const char *s, struct xlb_cfg_addr *addr, char *msg,
		     size_t len);

/* One address of a bind line: "[proto@]HOST:PORT", HOST being "*", empty,
 * or an IPv4 literal (0.0.0.0 is the wildcard); "udp@" selects UDP. */
int xlb_parse_bind_addr(const char *s, struct xlb_cfg_bind *b, char *msg,
			size_t len);

/* A host: an IPv4 literal, or a name resolved now (AF_INET). */
int xlb_resolve_ipv4(const char *host, struct xlb_cfg_addr *addr, char *msg,
		     size_t len);

/* The address of a server: "HOST:PORT", HOST an IPv4 literal or a name
 * resolved now (AF_INET). Fills srv->host, srv->addr and srv->port. */
int xlb_parse_server_addr(const char *s, struct xlb_cfg_server *srv,
			  char *msg, size_t len);

/* `stats socket PATH`: an absolute path, "unix@" allowed, shorter than
 * size (the stats_socket field), copied into path. */
int xlb_parse_socket_path(const char *s, char *path, size_t size, char *msg,
			  size_t len);

/* `stats metrics ADDR:PORT`: ADDR an IPv4 literal, "*" or empty, PORT
 * 1..65535; copied as written into out (size bytes). */
int xlb_parse_metrics_addr(const char *s, char *out, size_t size, char *msg,
			   size_t len);

/* Split a line into at most max words, in place: whitespace separates, '#'
 * ends the line, quotes group, a backslash escapes the next character
 * (\r, \n, \t as in C) except between single quotes.
 * Returns the number of words or -EINVAL. */
int xlb_split_words(char *s, char **argv, int max, char *msg, size_t len);

/* A section or server name: 1..XLB_NAME_MAX-1 of [A-Za-z0-9-_.:]. */
int xlb_check_name(const char *what, const char *name, char *msg, size_t len);

/* "*:80", "10.0.0.1:80", "udp@*:53". */
void xlb_format_bind(const struct xlb_cfg_bind *b, char *buf, size_t len);

#endif
