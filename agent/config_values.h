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

/* The address of a server: "HOST:PORT", HOST an IPv4 literal or a name
 * resolved now (AF_INET). Fills srv->host, srv->addr and srv->port. */
int xlb_parse_server_addr(const char *s, struct xlb_cfg_server *srv,
			  char *msg, size_t len);

/* What a `server` or `default-server` line sets. */
struct xlb_srv_opts {
	uint32_t weight;
	bool check;
	bool disabled;
};

/* One server option at argv[0], argc words left. Returns how many words it
 * used, or -EINVAL. check, no-check, weight, disabled and enabled go into *o;
 * the health-check parameters that are accepted but not applied yet are
 * validated, *ignored set and a note written into msg. */
int xlb_parse_server_opt(int argc, char **argv, struct xlb_srv_opts *o,
			 bool *ignored, char *msg, size_t len);

/* Split a line into at most max words, in place: whitespace separates, '#'
 * ends the line, quotes group, a backslash escapes the next character.
 * Returns the number of words or -EINVAL. */
int xlb_split_words(char *s, char **argv, int max, char *msg, size_t len);

/* A section or server name: 1..XLB_NAME_MAX-1 of [A-Za-z0-9-_.:]. */
int xlb_check_name(const char *what, const char *name, char *msg, size_t len);

/* "*:80", "10.0.0.1:80", "udp@*:53". */
void xlb_format_bind(const struct xlb_cfg_bind *b, char *buf, size_t len);

#endif
