// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <unistd.h>
#include "agent.h"
#include "loop.h"

int xlb_loop_init(struct xlb_agent *a)
{
	a->epfd = epoll_create1(EPOLL_CLOEXEC);
	return a->epfd < 0 ? -errno : 0;
}

void xlb_loop_fini(struct xlb_agent *a)
{
	if (a->epfd >= 0)
		close(a->epfd);
	a->epfd = -1;
}

int xlb_loop_add(struct xlb_agent *a, struct xlb_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	return epoll_ctl(a->epfd, EPOLL_CTL_ADD, w->fd, &ev) ? -errno : 0;
}

int xlb_loop_mod(struct xlb_agent *a, struct xlb_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	return epoll_ctl(a->epfd, EPOLL_CTL_MOD, w->fd, &ev) ? -errno : 0;
}

void xlb_loop_del(struct xlb_agent *a, struct xlb_watch *w)
{
	epoll_ctl(a->epfd, EPOLL_CTL_DEL, w->fd, NULL);
}

int xlb_loop_once(struct xlb_agent *a, int timeout_ms)
{
	struct epoll_event evs[64];
	int i, n;

	n = epoll_wait(a->epfd, evs, 64, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++) {
		struct xlb_watch *w = evs[i].data.ptr;

		w->fn(a, w, evs[i].events);
	}
	return n;
}
