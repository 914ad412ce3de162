/* SPDX-License-Identifier: GPL-2.0 */
/* The configuration model: what `xlb` understands of an HAProxy config file.
 * config.c parses text into this; nothing here touches BPF. */
#ifndef XLB_CONFIG_H
#define XLB_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include "config_addr.h"

#define XLB_NAME_MAX 64
#define XLB_CFG_MAX_BINDS 16
#define XLB_CFG_MAX_FRONTENDS 64
#define XLB_CFG_MAX_BACKENDS 64
#define XLB_CFG_MAX_SERVERS 256 /* per backend */

enum xlb_algo_cfg { XLB_CFG_LEASTCONN = 0, XLB_CFG_ROUNDROBIN = 1,
		   XLB_CFG_RANDOM = 2 /* `random` or `random(N)` */ };

/* xlb does not translate between IPv4 and IPv6: a bind's connections go
 * to the servers of its backend that have the bind's family. */
struct xlb_cfg_bind {
	bool wildcard;		/* every address of the attached interfaces of
				 * addr.family: "*", an empty host or 0.0.0.0
				 * is IPv4 (as in HAProxy); "::" ("[::]:80",
				 * ":::80", "ipv6@:80") every global or ULA
				 * IPv6 address */
	struct xlb_cfg_addr addr;	/* the family always; the address
					 * when !wildcard */
	uint16_t port;		/* host order */
	int proto;		/* IPPROTO_TCP, or IPPROTO_UDP for "udp@" */
	int line;
};

/* Health-check parameters of one server, after `defaults` and
 * `default-server` inheritance, with HAProxy's defaults filled in. */
struct xlb_cfg_check {
	uint32_t inter_ms;	/* `inter`, default 2000 */
	uint32_t fastinter_ms;	/* `fastinter`, default inter */
	uint32_t downinter_ms;	/* `downinter`, default inter */
	uint32_t rise;		/* default 2 */
	uint32_t fall;		/* default 3 */
	uint16_t port;		/* `port`, 0 = the server's port */
	bool has_addr;		/* `addr` */
	struct xlb_cfg_addr addr;
};

struct xlb_cfg_server {
	char name[XLB_NAME_MAX];
	char host[256];		/* as written, for messages */
	struct xlb_cfg_addr addr;	/* resolved */
	uint16_t port;		/* host order */
	uint32_t weight;	/* 0..256, default 1 */
	bool disabled;
	bool check;		/* `check`: health checks enabled */
	struct xlb_cfg_check chk;
	bool backup;		/* `backup` */
	uint32_t slowstart_ms;	/* `slowstart`, 0 = none */
	uint32_t maxconn;	/* `maxconn`, 0 = no limit */
	bool shutdown_sessions;	/* `on-marked-down shutdown-sessions` */
	int line;
};

/* `option httpchk` and `http-check expect` of a backend. */
struct xlb_cfg_httpchk {
	bool enabled;		/* `option httpchk`: HTTP checks, else TCP */
	char method[16];	/* default "OPTIONS" */
	char uri[256];		/* default "/" */
	char version[16];	/* default "HTTP/1.0" */
	int expect_status;	/* `http-check expect status N`; 0 = 2xx/3xx */
	char expect_string[256];	/* `http-check expect string TEXT` */
};

struct xlb_cfg_backend {
	char name[XLB_NAME_MAX];
	enum xlb_algo_cfg algo;
	uint32_t draws;		/* XLB_CFG_RANDOM: N of random(N) */
	bool has_source;
	struct xlb_cfg_addr source;	/* `source ADDR` */
	struct xlb_cfg_httpchk http;
	uint32_t timeout_check_ms;	/* `timeout check`, 0 = use inter */
	int nservers;
	struct xlb_cfg_server servers[XLB_CFG_MAX_SERVERS];
	int line;
};

struct xlb_cfg_frontend {
	char name[XLB_NAME_MAX];
	int nbinds;
	struct xlb_cfg_bind binds[XLB_CFG_MAX_BINDS];
	char default_backend[XLB_NAME_MAX];
	int backend;		/* index into xlb_config.backends, -1 if none */
	int line;
};

#define XLB_DEFAULT_SOCKET "/run/xlb/xlb.sock"

struct xlb_config {
	char path[256];
	bool daemon;		/* `daemon` in global: noted, see README */
	char stats_socket[108];	/* `stats socket PATH`, default above */
	char metrics[64];	/* `stats metrics ADDR:PORT` (xlb's), "" = off */
	int nfrontends;
	struct xlb_cfg_frontend frontends[XLB_CFG_MAX_FRONTENDS];
	int nbackends;
	struct xlb_cfg_backend backends[XLB_CFG_MAX_BACKENDS];
};

/* Parse PATH into *cfg (heap-allocate it: it is large). On error prints
 * "PATH:LINE: message" to err and returns -EINVAL (or -errno when the file
 * cannot be read); *cfg is then undefined. Notices (layer-7 directives that
 * xlb accepts but does not apply) go to notice, which may be NULL. */
int xlb_config_load(const char *path, struct xlb_config *cfg, FILE *err,
		    FILE *notice);

/* Same, from a string; name is used in messages in place of a path. */
int xlb_config_parse(const char *name, const char *text,
		     struct xlb_config *cfg, FILE *err, FILE *notice);

/* Print the resolved services, one line per bind and server. */
void xlb_config_print(const struct xlb_config *cfg, FILE *out);

#endif
