/* SPDX-License-Identifier: GPL-2.0 */
/* The control socket: HAProxy's runtime commands over a unix socket. */
#ifndef XLB_CTL_H
#define XLB_CTL_H

struct xlb_agent;

/* Listen on path (mode 0600), in the agent's event loop. */
int xlb_ctl_start(struct xlb_agent *a, const char *path);
void xlb_ctl_stop(struct xlb_agent *a);

#endif
