// SPDX-License-Identifier: GPL-2.0
/* The health-check engine: one context per checked server, every check a
 * non-blocking socket in the agent's one event loop, HAProxy's parameters
 * and result words. Results go to xlb_srv_check_result(), which keeps
 * HAProxy's health counter; this file only runs checks and reports.
 *
 * Lifetime. Contexts are created and freed only in xlb_health_tick(),
 * which runs between loop turns, so a watch the loop is dispatching is
 * never freed under it. A reload or the control socket may change, retire
 * or reuse a server slot at any time (even while its check is in flight):
 * each context belongs to the slot whose s->chk points at it; an event for
 * a context that no longer matches its server (retired, reused, maint,
 * checks disabled) ends the check without reporting, and the next tick
 * closes the context.
 *
 * Scheduling (HAProxy's srv_getinter): the next check starts `inter`
 * after the end of the previous one while the server is UP at full health
 * (rise+fall-1), `downinter` while it is DOWN with health 0, `fastinter`
 * in between (a server starts UP with health = rise, so its first checks
 * use fastinter until it reaches full health). Counting from the end of a
 * check means a check never overlaps the previous one of its server. The
 * first checks of the contexts a tick creates (all of them at start) are
 * spread over the first interval, as HAProxy spreads its start times: the
 * k-th of n starts after inter * k / n. The timeout of a whole check is
 * `timeout check` of its backend if set, else `inter`.
 *
 * Closing. Every check socket is closed with SO_LINGER 0 (an RST), as
 * HAProxy does: the side that closes first keeps TIME_WAIT, and with
 * hundreds of servers checked every few hundred milliseconds those would
 * pile up by the thousand on the agent's host and eat its ephemeral ports.
 * The price is the same as with HAProxy: a server may log the check
 * connections as "reset by peer". */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "agent.h"
#include "health.h"
#include "log.h"
#include "loop.h"

/* An HTTP check reads at most this much of the response (HAProxy's
 * default buffer size): the status line and `expect string` must be in
 * it. */
#define CHK_RESP_MAX 16384

enum chk_state {
	CHK_IDLE,		/* waiting for its next start; no socket */
	CHK_CONNECTING,
	CHK_SENDING,		/* HTTP: connected, request not all sent */
	CHK_READING,		/* HTTP: waiting for the response */
};

struct xlb_check {
	struct xlb_watch w;	/* w.fd is -1 while idle */
	uint32_t id;		/* its server's slot in a->srv */
	enum chk_state state;
	bool started;		/* a check has run: the next one waits for
				 * the interval, not the start offset */
	bool http;		/* the running check is an HTTP one */
	uint64_t base_ms;	/* creation, or the end of the last check */
	uint32_t offset_ms;	/* first check: its share of the spread */
	uint64_t start_ms;	/* the running check's start and deadline */
	uint64_t deadline_ms;
	char target[64];	/* "addr:port", for messages */
	char req[512];		/* HTTP request and how much was sent */
	size_t reqlen, reqoff;
	char *resp;		/* HTTP response, CHK_RESP_MAX + 1 */
	size_t resplen;
};

struct health {
	struct xlb_check *ctx[XLB_MAX_BACKENDS];	/* by server id */
};

#define chk_of(wp) ((struct xlb_check *)((char *)(wp) - \
					offsetof(struct xlb_check, w)))

static bool wants_checks(const struct xlb_srv *s)
{
	return s->in_use && s->cfg.check && !s->check_disabled &&
	       s->admin != XLB_ADMIN_MAINT;
}

/* Is c still the check of its slot's server? */
static bool owns(const struct xlb_agent *a, const struct xlb_check *c)
{
	const struct xlb_srv *s = &a->srv[c->id];

	return s->chk == c && wants_checks(s);
}

static uint32_t inter_of(const struct xlb_srv *s)
{
	return s->cfg.chk.inter_ms ? s->cfg.chk.inter_ms : 2000;
}

/* HAProxy's srv_getinter(). */
static uint32_t interval(const struct xlb_srv *s)
{
	const struct xlb_cfg_check *k = &s->cfg.chk;
	int full = (int)(k->rise + k->fall) - 1;

	if (s->health >= full)
		return inter_of(s);
	if (!s->up && s->health <= 0)
		return k->downinter_ms ? k->downinter_ms : inter_of(s);
	return k->fastinter_ms ? k->fastinter_ms : inter_of(s);
}

static uint32_t timeout_of(const struct xlb_srv *s)
{
	if (s->pool && s->pool->timeout_check_ms)
		return s->pool->timeout_check_ms;
	return inter_of(s);
}

static uint64_t next_start(const struct xlb_check *c, const struct xlb_srv *s)
{
	uint32_t off = c->offset_ms;

	if (c->started)
		return c->base_ms + interval(s);
	/* A reload may have shortened inter since the offset was drawn. */
	return c->base_ms + (off < inter_of(s) ? off : inter_of(s));
}

static void close_sock(struct xlb_agent *a, struct xlb_check *c)
{
	if (c->w.fd >= 0) {
		xlb_loop_del(a, &c->w);
		close(c->w.fd);	/* SO_LINGER 0: an RST, no TIME_WAIT */
		c->w.fd = -1;
	}
	free(c->resp);
	c->resp = NULL;
	c->resplen = 0;
}

/* End the running check and report it, if c still checks that server. */
static void finish(struct xlb_agent *a, struct xlb_check *c, bool ok,
		   const char *status, int code, const char *desc)
{
	struct xlb_srv *s = &a->srv[c->id];
	uint64_t now = xlb_now_ms();
	uint32_t dur = (uint32_t)(now - c->start_ms);

	close_sock(a, c);
	c->state = CHK_IDLE;
	c->started = true;
	c->base_ms = now;
	if (!owns(a, c))
		return;	/* server gone or changed: the tick closes c */
	if (code)
		pr_debug("xlb: check %s/%s (%s): %s/%d in %ums%s%s\n",
			 s->backend, s->cfg.name, c->target, status, code, dur,
			 desc && *desc ? ": " : "", desc ? desc : "");
	else
		pr_debug("xlb: check %s/%s (%s): %s in %ums%s%s\n",
			 s->backend, s->cfg.name, c->target, status, dur,
			 desc && *desc ? ": " : "", desc ? desc : "");
	xlb_srv_check_result(a, s, ok, status, code, dur, desc);
}

/* The address a check goes to: `addr` and `port` if set, else the
 * server's. Returns the sockaddr length, 0 if unusable. */
static socklen_t target_of(const struct xlb_srv *s,
			   struct sockaddr_storage *ss, char *txt, size_t len)
{
	const struct xlb_cfg_addr *ad = s->cfg.chk.has_addr ? &s->cfg.chk.addr
							    : &s->cfg.addr;
	uint16_t port = s->cfg.chk.port ? s->cfg.chk.port : s->cfg.port;
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	/* "10.0.0.2:80" or "[2001:db8::2]:80": messages, and the Host
	 * header of an HTTP/1.1 check */
	xlb_hostport_str(ad, port, txt, len);
	ss->ss_family = ad->family;
	if (ad->family == AF_INET) {
		in->sin_addr = ad->v4;
		in->sin_port = htons(port);
		return sizeof(*in);
	}
	if (ad->family == AF_INET6) {
		in6->sin6_addr = ad->v6;
		in6->sin6_port = htons(port);
		return sizeof(*in6);
	}
	return 0;
}

/* `source ADDR` of the backend applies to the checks of the servers of its
 * family (as in HAProxy); the others, and every check without `source`,
 * leave from the host's normal source address. The port is left to
 * connect(), from the ephemeral range (the NAT range is reserved). */
static int bind_source(int fd, const struct xlb_srv *s, int family)
{
	const struct xlb_cfg_addr *src = s->pool ? &s->pool->source : NULL;
	struct sockaddr_storage ss = { .ss_family = family };
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	int one = 1;

	if (!src || !s->pool->has_source || src->family != family)
		return 0;
	if (family == AF_INET)
		in->sin_addr = src->v4;
	else
		in6->sin6_addr = src->v6;
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	return bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
		    sizeof(*in) : sizeof(*in6)) ? -errno : 0;
}

/* "METHOD URI VERSION", Connection: close. No Host header for HTTP/1.0,
 * as HAProxy; HTTP/1.1 requires one and xlb has no `http-check send` to
 * add it, so it sends the target's address. */
static void build_request(struct xlb_check *c, const struct xlb_cfg_httpchk *h)
{
	size_t max = sizeof(c->req) - 1;
	int n;

	if (!strcmp(h->version, "HTTP/1.0"))
		n = snprintf(c->req, sizeof(c->req),
			     "%s %s %s\r\nConnection: close\r\n\r\n",
			     h->method, h->uri, h->version);
	else
		n = snprintf(c->req, sizeof(c->req),
			     "%s %s %s\r\nHost: %s\r\n"
			     "Connection: close\r\n\r\n",
			     h->method, h->uri, h->version, c->target);
	c->reqlen = n < 0 ? 0 : (size_t)n < max ? (size_t)n : max;
	c->reqoff = 0;
}

static void send_request(struct xlb_agent *a, struct xlb_check *c)
{
	ssize_t n;

	while (c->reqoff < c->reqlen) {
		n = send(c->w.fd, c->req + c->reqoff, c->reqlen - c->reqoff,
			 MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (c->state != CHK_SENDING) {
				c->state = CHK_SENDING;
				xlb_loop_mod(a, &c->w, EPOLLOUT);
			}
			return;
		}
		if (n < 0) {
			/* I/O error once connected: HAProxy's SOCKERR. */
			finish(a, c, false, "SOCKERR", 0, strerror(errno));
			return;
		}
		c->reqoff += n;
	}
	c->state = CHK_READING;
	xlb_loop_mod(a, &c->w, EPOLLIN | EPOLLRDHUP);
}

static void connected(struct xlb_agent *a, struct xlb_check *c)
{
	if (!c->http) {
		finish(a, c, true, "L4OK", 0, "");
		return;
	}
	send_request(a, c);
}

static void start_check(struct xlb_agent *a, struct xlb_check *c,
			uint64_t now)
{
	struct xlb_srv *s = &a->srv[c->id];
	struct sockaddr_storage ss;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	socklen_t sl;
	int fd, err;

	c->start_ms = now;
	c->deadline_ms = now + timeout_of(s);
	c->state = CHK_CONNECTING;
	c->http = s->pool && s->pool->http.enabled;
	sl = target_of(s, &ss, c->target, sizeof(c->target));
	if (!sl) {
		finish(a, c, false, "SOCKERR", 0, "no usable address");
		return;
	}
	if (c->http) {
		build_request(c, &s->pool->http);
		c->resp = malloc(CHK_RESP_MAX + 1);
		if (!c->resp) {
			finish(a, c, false, "SOCKERR", 0, strerror(ENOMEM));
			return;
		}
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		finish(a, c, false, "SOCKERR", 0, strerror(errno));
		return;
	}
	c->w.fd = fd;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	err = bind_source(fd, s, ss.ss_family);
	if (err) {
		finish(a, c, false, "SOCKERR", 0, strerror(-err));
		return;
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
		/* Connected at once (loopback): registered for the
		 * xlb_loop_mod() calls that follow. */
		err = xlb_loop_add(a, &c->w, EPOLLIN);
		if (err)
			finish(a, c, false, "SOCKERR", 0, strerror(-err));
		else
			connected(a, c);
		return;
	}
	if (errno != EINPROGRESS) {
		/* Refused or unreachable right away. */
		finish(a, c, false, "L4CON", 0, strerror(errno));
		return;
	}
	err = xlb_loop_add(a, &c->w, EPOLLOUT);
	if (err)
		finish(a, c, false, "SOCKERR", 0, strerror(-err));
}

/* The status line: "HTTP/x.y NNN[ reason]". Returns the code, or -1. */
static int parse_status(const char *line, size_t len, char *reason,
			size_t rlen)
{
	const char *p = line, *end = line + len;
	int code;
	size_t n;

	if (len < 12 || memcmp(p, "HTTP/", 5) || p[5] < '0' || p[5] > '9' ||
	    p[6] != '.' || p[7] < '0' || p[7] > '9' || p[8] != ' ')
		return -1;
	p += 9;
	if (p[0] < '1' || p[0] > '5' || p[1] < '0' || p[1] > '9' ||
	    p[2] < '0' || p[2] > '9')
		return -1;
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	p += 3;
	if (p < end && *p != ' ' && *p != '\r')
		return -1;
	while (p < end && *p == ' ')
		p++;
	while (end > p && (end[-1] == '\r' || end[-1] == ' '))
		end--;
	n = (size_t)(end - p) < rlen - 1 ? (size_t)(end - p) : rlen - 1;
	memcpy(reason, p, n);
	reason[n] = 0;
	return code;
}

/* Decide an HTTP check on what was read so far; done: nothing more will
 * come (peer closed, buffer full). Returns true once finished. */
static bool decide(struct xlb_agent *a, struct xlb_check *c, bool done)
{
	const struct xlb_cfg_httpchk *h;
	struct xlb_srv *s = &a->srv[c->id];
	char reason[128];
	const char *eol, *body;
	bool pass;
	int code;

	if (c->resplen >= CHK_RESP_MAX)
		done = true;
	eol = memchr(c->resp, '\n', c->resplen);
	if (!eol) {
		if (done)
			finish(a, c, false, "L7RSP", 0, c->resplen ?
			       "no status line" : "empty response");
		return done;
	}
	code = parse_status(c->resp, eol - c->resp, reason, sizeof(reason));
	if (code < 0) {
		finish(a, c, false, "L7RSP", 0, "bad status line");
		return true;
	}
	if (!owns(a, c) || !s->pool) {
		/* Server gone or changed: ends it, reports nothing. */
		finish(a, c, false, "L7RSP", code, "");
		return true;
	}
	h = &s->pool->http;
	pass = h->expect_status ? code == h->expect_status :
				  code >= 200 && code < 400;
	if (!pass) {
		finish(a, c, false, "L7STS", code, reason);
		return true;
	}
	if (!h->expect_string[0]) {
		finish(a, c, true, "L7OK", code, reason);
		return true;
	}
	/* `expect string`: in the body only. */
	c->resp[c->resplen] = 0;
	body = strstr(eol, "\r\n\r\n");
	body = body ? body + 4 : NULL;
	if (!body) {
		body = strstr(eol, "\n\n");
		body = body ? body + 2 : NULL;
	}
	if (body && memmem(body, c->resplen - (body - c->resp),
			   h->expect_string, strlen(h->expect_string))) {
		finish(a, c, true, "L7OK", code, reason);
		return true;
	}
	if (done)
		finish(a, c, false, "L7RSP", code, "string not found");
	return done;
}

static void read_response(struct xlb_agent *a, struct xlb_check *c)
{
	ssize_t n;

	for (;;) {
		n = recv(c->w.fd, c->resp + c->resplen,
			 CHK_RESP_MAX - c->resplen, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			int e = errno;

			/* A reset after a decidable answer still counts. */
			if (c->resplen && decide(a, c, true))
				return;
			finish(a, c, false, "SOCKERR", 0, strerror(e));
			return;
		}
		c->resplen += n;
		if (decide(a, c, n == 0))
			return;
	}
}

static void on_event(struct xlb_agent *a, struct xlb_watch *w, uint32_t ev)
{
	struct xlb_check *c = chk_of(w);
	int err = 0;
	socklen_t len = sizeof(err);

	if (c->w.fd < 0)
		return;
	switch (c->state) {
	case CHK_CONNECTING:
		if (getsockopt(c->w.fd, SOL_SOCKET, SO_ERROR, &err, &len))
			err = errno;
		if (err)
			finish(a, c, false,
			       err == ETIMEDOUT ? "L4TOUT" : "L4CON", 0,
			       strerror(err));
		else if (ev & (EPOLLOUT | EPOLLIN))
			connected(a, c);
		else if (ev & (EPOLLERR | EPOLLHUP))
			finish(a, c, false, "L4CON", 0, "connection closed");
		break;
	case CHK_SENDING:
		send_request(a, c);
		break;
	case CHK_READING:
		read_response(a, c);
		break;
	case CHK_IDLE:
		break;
	}
}

static void free_ctx(struct xlb_agent *a, struct health *h, uint32_t id)
{
	struct xlb_check *c = h->ctx[id];

	close_sock(a, c);
	if (a->srv[id].chk == c)
		a->srv[id].chk = NULL;
	h->ctx[id] = NULL;
	free(c);
}

int xlb_health_start(struct xlb_agent *a)
{
	struct health *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	a->health = h;
	return 0;
}

/* Create and close contexts to follow the servers; returns how many
 * were created, their ids in fresh[]. */
static int reconcile(struct xlb_agent *a, struct health *h, uint64_t now,
		     uint32_t *fresh)
{
	struct xlb_check *c;
	uint32_t id;
	int n = 0;

	for (id = 0; id < XLB_MAX_BACKENDS; id++) {
		struct xlb_srv *s = &a->srv[id];

		if (h->ctx[id] && !owns(a, h->ctx[id]))
			free_ctx(a, h, id);
		if (h->ctx[id] || !wants_checks(s))
			continue;
		c = calloc(1, sizeof(*c));
		if (!c) {
			pr_warn("xlb: %s/%s: no memory for its health check\n",
				s->backend, s->cfg.name);
			continue;
		}
		c->w.fd = -1;
		c->w.fn = on_event;
		c->id = id;
		c->base_ms = now;
		h->ctx[id] = c;
		s->chk = c;
		fresh[n++] = id;
	}
	return n;
}

void xlb_health_tick(struct xlb_agent *a, uint64_t now_ms)
{
	static uint32_t fresh[XLB_MAX_BACKENDS];
	struct health *h = a->health;
	struct xlb_check *c;
	uint32_t id;
	int i, n;

	if (!h)
		return;
	n = reconcile(a, h, now_ms, fresh);
	for (i = 0; i < n; i++)
		h->ctx[fresh[i]]->offset_ms = (uint32_t)(
			(uint64_t)inter_of(&a->srv[fresh[i]]) * i / n);
	for (id = 0; id < XLB_MAX_BACKENDS; id++) {
		c = h->ctx[id];
		if (!c)
			continue;
		if (c->state == CHK_IDLE) {
			if (now_ms >= next_start(c, &a->srv[id]))
				start_check(a, c, now_ms);
		} else if (now_ms >= c->deadline_ms) {
			/* Connected or not decides L4 or L7. */
			if (c->state == CHK_CONNECTING)
				finish(a, c, false, "L4TOUT", 0, "");
			else
				finish(a, c, false, "L7TOUT", 0, "");
		}
	}
}

int xlb_health_next_ms(struct xlb_agent *a, uint64_t now_ms, int limit_ms)
{
	struct health *h = a->health;
	uint64_t due, first = UINT64_MAX;
	struct xlb_check *c;
	uint32_t id;

	if (!h)
		return limit_ms;
	for (id = 0; id < XLB_MAX_BACKENDS; id++) {
		c = h->ctx[id];
		if (!c)
			continue;
		due = c->state == CHK_IDLE ? next_start(c, &a->srv[id]) :
					     c->deadline_ms;
		if (due < first)
			first = due;
	}
	if (first == UINT64_MAX)
		return limit_ms;
	if (first <= now_ms)
		return 0;
	return first - now_ms < (uint64_t)limit_ms ? (int)(first - now_ms) :
						      limit_ms;
}

void xlb_health_stop(struct xlb_agent *a)
{
	struct health *h = a->health;
	uint32_t id;

	if (!h)
		return;
	for (id = 0; id < XLB_MAX_BACKENDS; id++)
		if (h->ctx[id])
			free_ctx(a, h, id);
	free(h);
	a->health = NULL;
}
