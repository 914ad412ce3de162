/* SPDX-License-Identifier: GPL-2.0 */
/* The control socket's insides, shared by its six files and nothing
 * else: ctl.c (the socket, its clients, lines and ';'), ctl_cmds.c (the
 * command table and the commands that change state), ctl_servers.c
 * (`add server`, `del server`, `set server ... addr`), ctl_stat.c (`show
 * stat`), ctl_state.c (`show servers state`, `show info`, the proxies'
 * numbering), ctl_counters.c (counters summed, row helpers, and the
 * once-a-second sampler behind the rates and maxima). */
#ifndef XLB_CTL_INT_H
#define XLB_CTL_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "agent.h"
#include "xlb_stats.h"

#define CTL_MAX_WORDS 64

struct ctl_sampler;

/* One command being answered. */
struct ctl_req {
	struct xlb_agent *a;
	struct ctl_sampler *smp;
	FILE *out;		/* the answer; every line ends with '\n' */
	bool prompt;		/* interactive (`prompt` toggles it) */
	bool quit;		/* `quit`: close once the answer is out */
};

/* Run one command, argv[0..argc-1] its words (argc >= 1). ctl.c adds the
 * empty line that ends every answer. */
void xlb_ctl_exec(struct ctl_req *r, int argc, char **argv);

/* Rates (new flows per second) and maxima (smax) for `show stat`. */
struct ctl_sampler *xlb_ctl_sampler_new(void);
void xlb_ctl_sample(struct xlb_agent *a, struct ctl_sampler *smp);

void xlb_ctl_show_stat(struct ctl_req *r, int argc, char **argv);
void xlb_ctl_show_servers_state(struct ctl_req *r, int argc, char **argv);
void xlb_ctl_show_info(struct ctl_req *r, int argc, char **argv);

void xlb_ctl_add_server(struct ctl_req *r, int argc, char **argv);
void xlb_ctl_del_server(struct ctl_req *r, int argc, char **argv);
/* `set server B/S addr ADDR [port PORT]`, argv as typed, for server s. */
void xlb_ctl_set_addr(struct ctl_req *r, struct xlb_srv *s, int argc,
		      char **argv);

/* Index of a backend section of the running configuration, or -1. */
int xlb_ctl_backend(const struct xlb_agent *a, const char *name);

/* ---- ctl_counters.c ---- */

struct rate {
	uint64_t flows;		/* new flows at the last sample */
	uint32_t rate, rate_max;
	bool valid;
};

struct be_sample {
	char name[XLB_NAME_MAX];	/* "" = free */
	int64_t smax;
	uint32_t rate_max;
	bool seen;
};

struct ctl_sampler {
	uint64_t last_ms;
	struct rate srv[XLB_MAX_BACKENDS];
	struct rate svc[XLB_MAX_SERVICES];
	struct be_sample be[XLB_CFG_MAX_BACKENDS];
	uint32_t conn_rate_max;
};

/* Per-CPU counters, summed. */
struct counters {
	int ncpu;
	int bfd, sfd;		/* backend_stats, svc_stats */
	struct xlb_traffic *pc;
};

void xlb_ctl_counters_open(const struct xlb_agent *a, struct counters *c);
void xlb_ctl_counters_close(struct counters *c);
/* The sample of backend name; a new one if add and there is room. */
struct be_sample *xlb_ctl_be_sample(struct ctl_sampler *smp, const char *name,
				    bool add);
/* Map fd's entry id, summed over the CPUs (zeros when unreadable). */
void xlb_ctl_traffic(const struct counters *c, int fd, uint32_t id,
		     struct xlb_traffic *t);
/* Usable for new flows: what HAProxy counts in a backend's act/bck. */
bool xlb_ctl_usable(const struct xlb_srv *s);
/* Seconds from t to now, 0 if t is unset or ahead. */
unsigned long long xlb_ctl_since(time_t t, time_t now);
/* The server's active connections, never below 0. */
int64_t xlb_ctl_active(const struct xlb_agent *a, const struct xlb_srv *s);

/* ---- ctl_state.c ---- */

/* The proxies in the order of the file, as HAProxy numbers them (`iid`
 * is the index + 1): a `listen` section is one proxy, its frontend and
 * backend sharing name and line. */
struct proxy {
	int fe, be;		/* indexes in the configuration, or -1 */
	int line;
};

struct proxies {
	int n;
	struct proxy p[XLB_CFG_MAX_FRONTENDS + XLB_CFG_MAX_BACKENDS];
};

void xlb_ctl_proxies_of(const struct xlb_config *cfg, struct proxies *px);
/* The iid of backend be's proxy, 0 if none. */
int xlb_ctl_backend_iid(const struct proxies *px, int be);

#endif
