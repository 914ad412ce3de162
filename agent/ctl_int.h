/* SPDX-License-Identifier: GPL-2.0 */
/* The control socket's insides, shared by its four files and nothing
 * else: ctl.c (the socket, its clients, lines and ';'), ctl_cmds.c (the
 * command table and the commands that change state), ctl_servers.c
 * (`add server`, `del server`, `set server ... addr`), ctl_stat.c (`show
 * stat`, `show servers state`, `show info` and the once-a-second sampler
 * behind their rates and maxima). */
#ifndef XLB_CTL_INT_H
#define XLB_CTL_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "agent.h"

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

#endif
