/* SPDX-License-Identifier: GPL-2.0 */
/* The parser's internals, shared by its files and by nothing else in the
 * agent: config.c reads sections, frontends, backends and dispatches
 * the directives; config_check.c handles servers, health checks (`option
 * httpchk`, `http-check`) and `stats`; config_bind.c `bind`;
 * config_family.c checks that IPv4 and IPv6 binds find servers of their
 * family. */
#ifndef XLB_CONFIG_CHECK_H
#define XLB_CONFIG_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "config.h"

enum xlb_section { SEC_NONE, SEC_GLOBAL, SEC_DEFAULTS, SEC_FRONTEND,
		   SEC_BACKEND, SEC_LISTEN };

/* What a `server` or `default-server` line sets. */
struct xlb_srv_opts {
	uint32_t weight;
	bool check;
	bool disabled;
	bool backup;
	bool shutdown_sessions;
	struct xlb_cfg_check chk;	/* fastinter_ms, downinter_ms 0: unset */
	uint32_t slowstart_ms;
	uint32_t maxconn;
};

struct xlb_parser {
	const char *name;
	struct xlb_config *cfg;
	FILE *err;
	FILE *notice;
	int line;
	enum xlb_section sec;
	/* the frontend and backend being parsed (both for a listen) */
	struct xlb_cfg_frontend *fe;
	struct xlb_cfg_backend *be;
	struct xlb_srv_opts srv;	/* default-server of this section */
	bool own_expect;	/* an `http-check expect` in this section */
	/* set by the last `defaults` section, copied into each backend */
	enum xlb_algo_cfg def_algo;
	uint32_t def_draws;
	struct xlb_srv_opts def_srv;
	bool def_has_source;
	struct xlb_cfg_addr def_source;
	struct xlb_cfg_httpchk def_http;
	uint32_t def_timeout_check;
	int dflt_line[XLB_CFG_MAX_FRONTENDS];	/* default_backend lines */
	bool is_listen[XLB_CFG_MAX_FRONTENDS];
	int expect_line[XLB_CFG_MAX_BACKENDS];	/* the first, per backend */
	int socket_line, metrics_line;	/* `stats socket`, `stats metrics` */
};

/* One line to err or notice: "NAME:LINE: error: MESSAGE". Returns -EINVAL
 * for an error, 0 for a notice. */
int xlb_report(struct xlb_parser *p, bool is_err, int line, const char *fmt,
	       ...) __attribute__((format(printf, 4, 5)));

#define error_at(p, line, ...) xlb_report(p, true, line, __VA_ARGS__)
#define notice_at(p, line, ...) xlb_report(p, false, line, __VA_ARGS__)
#define perr(p, ...) error_at(p, (p)->line, __VA_ARGS__)
#define pnote(p, ...) notice_at(p, (p)->line, __VA_ARGS__)

/* HAProxy's defaults: weight 1, inter 2000 ms, rise 2, fall 3. */
void xlb_srv_opts_init(struct xlb_srv_opts *o);

/* Not enabled, OPTIONS / HTTP/1.0, no expectation. */
void xlb_httpchk_init(struct xlb_cfg_httpchk *h);

/* Directives of config_check.c, argv[0] being the keyword. `option` (and
 * `no option`) of any name: httpchk and tcp-check choose the check, the
 * others are noticed. */
int xlb_do_option(struct xlb_parser *p, int argc, char **argv);
int xlb_do_http_check(struct xlb_parser *p, int argc, char **argv);
int xlb_do_server(struct xlb_parser *p, int argc, char **argv);
int xlb_do_default_server(struct xlb_parser *p, int argc, char **argv);
int xlb_do_stats(struct xlb_parser *p, int argc, char **argv);
/* `bind ADDR:PORT[,...] [v4v6|v6only]` (config_bind.c). */
int xlb_do_bind(struct xlb_parser *p, int argc, char **argv);

/* Once the whole file is read (config_family.c): every bind has a server
 * of its family in its backend, or the backend has none at all; notices
 * for backends with servers of both families. */
int xlb_check_families(struct xlb_parser *p);

#endif
