/* SPDX-License-Identifier: GPL-2.0 */
/* The agent's one event loop (epoll): every socket of every module (health
 * checks, control socket, metrics) is a watch; nothing blocks. */
#ifndef XLB_LOOP_H
#define XLB_LOOP_H

#include <stdint.h>
#include <sys/epoll.h>

struct xlb_agent;
struct xlb_watch;

typedef void (*xlb_watch_fn)(struct xlb_agent *a, struct xlb_watch *w,
			     uint32_t events);

/* Embed one in your own struct; the loop hands it back to fn. */
struct xlb_watch {
	int fd;
	xlb_watch_fn fn;
};

int xlb_loop_init(struct xlb_agent *a);
void xlb_loop_fini(struct xlb_agent *a);
/* events: EPOLLIN, EPOLLOUT... Returns 0 or -errno. */
int xlb_loop_add(struct xlb_agent *a, struct xlb_watch *w, uint32_t events);
int xlb_loop_mod(struct xlb_agent *a, struct xlb_watch *w, uint32_t events);
/* Before closing w->fd. */
void xlb_loop_del(struct xlb_agent *a, struct xlb_watch *w);
/* Wait at most timeout_ms and dispatch what is ready. */
int xlb_loop_once(struct xlb_agent *a, int timeout_ms);

#endif
