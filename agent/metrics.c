// SPDX-License-Identifier: GPL-2.0
/* The metrics listener: HTTP/1.x over TCP, IPv4 or IPv6, in the agent's
 * event loop. GET (or HEAD) /metrics answers the Prometheus text exposition
 * (metrics_text.c); other paths 404, other methods 405, anything malformed
 * 400. One request per connection, closed after the answer. Nothing
 * blocks: requests are read as they arrive into a bounded buffer, answers
 * written on EPOLLOUT, and a timer closes clients that are too slow; when
 * every slot is taken, the oldest client still sending its request makes
 * room, so idle connections cannot lock scrapes out.
 *
 * Clients live in fixed slots, never freed while the agent runs: an event
 * the loop collected for a client closed earlier in the same batch finds
 * the slot free (ignored) or reused by a new connection, whose handlers
 * only act on what its socket really has. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include "agent.h"
#include "config_values.h"
#include "log.h"
#include "loop.h"
#include "metrics.h"
#include "metrics_text.h"

#define MAX_CLIENTS	32
#define REQ_MAX		4096	/* request line and headers */
#define READ_MS		10000	/* to send the request */
#define WRITE_MS	30000	/* to take the answer */
#define LINGER_MS	2000	/* after our FIN, reading theirs */
#define BODY_MAX	(64u << 20)

#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

enum cstate { C_READ, C_WRITE, C_LINGER };

struct client {
	struct xlb_watch w;
	bool used;
	enum cstate state;
	uint64_t since_ms, deadline_ms;
	size_t rlen;
	char req[REQ_MAX];
	char head[256];
	size_t hlen, off;	/* off: bytes of head + body written */
	struct xlb_mbuf body;
	bool send_body;
};

struct metrics {
	struct xlb_watch lw;	/* the listener */
	struct xlb_watch tw;	/* timerfd: timeouts, paused listener */
	bool paused;		/* out of fds: stop accepting for a tick */
	struct client c[MAX_CLIENTS];
};

static void client_close(struct xlb_agent *a, struct client *c)
{
	xlb_loop_del(a, &c->w);
	close(c->w.fd);
	xlb_mbuf_free(&c->body);
	c->w.fd = -1;
	c->used = false;
}

/* After the answer: our FIN, then read until theirs, so that what they
 * sent and we did not read never turns our close into a RST that could
 * destroy the answer in flight. */
static void start_linger(struct xlb_agent *a, struct client *c)
{
	xlb_mbuf_free(&c->body);
	shutdown(c->w.fd, SHUT_WR);
	c->state = C_LINGER;
	c->deadline_ms = xlb_now_ms() + LINGER_MS;
	if (xlb_loop_mod(a, &c->w, EPOLLIN | EPOLLRDHUP))
		client_close(a, c);
}

static void client_write(struct xlb_agent *a, struct client *c)
{
	size_t total = c->hlen + (c->send_body ? c->body.len : 0);
	struct iovec iov[2];
	ssize_t n;
	int k;

	while (c->off < total) {
		k = 0;
		if (c->off < c->hlen) {
			iov[k].iov_base = c->head + c->off;
			iov[k++].iov_len = c->hlen - c->off;
		}
		if (c->send_body && c->body.len) {
			size_t o = c->off > c->hlen ? c->off - c->hlen : 0;

			iov[k].iov_base = c->body.p + o;
			iov[k++].iov_len = c->body.len - o;
		}
		n = writev(c->w.fd, iov, k);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;		/* EPOLLOUT brings us back */
		if (n <= 0) {
			client_close(a, c);
			return;
		}
		c->off += n;
	}
	start_linger(a, c);
}

static const char *reason_phrase(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 500: return "Internal Server Error";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

/* Send the answer: the head, then c->body (already rendered for a 200,
 * text for the others). */
static void respond(struct xlb_agent *a, struct client *c, int code,
		    bool head_only, const char *text)
{
	int n;

	if (code != 200) {
		xlb_mbuf_free(&c->body);
		xlb_mbuf_printf(&c->body, "%s\n", text);
	}
	n = snprintf(c->head, sizeof(c->head),
		     "HTTP/1.1 %d %s\r\n"
		     "Content-Type: %s\r\n"
		     "Content-Length: %zu\r\n"
		     "%s"
		     "Connection: close\r\n\r\n", code, reason_phrase(code),
		     code == 200 ? "text/plain; version=0.0.4" :
				   "text/plain; charset=utf-8",
		     c->body.oom ? 0 : c->body.len,
		     code == 405 ? "Allow: GET, HEAD\r\n" : "");
	c->hlen = n > 0 && (size_t)n < sizeof(c->head) ? (size_t)n : 0;
	c->send_body = !head_only && !c->body.oom;
	c->off = 0;
	c->state = C_WRITE;
	c->deadline_ms = xlb_now_ms() + WRITE_MS;
	if (xlb_loop_mod(a, &c->w, EPOLLOUT))
		client_close(a, c);
	else
		client_write(a, c);
}

static bool is_tchar(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') ||
	       (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* Header lines: "name: value", no folding, no control bytes; up to the
 * empty line. */
static bool headers_ok(const char *h)
{
	const char *eol, *p;

	for (; *h; h = eol + 1) {
		eol = strchr(h, '\n');
		if (!eol)
			return false;
		if (eol == h || (eol == h + 1 && *h == '\r'))
			return true;
		for (p = h; p < eol && is_tchar(*p); p++)
			;
		if (p == h || *p != ':')
			return false;
		for (; p < eol; p++)
			if ((unsigned char)*p < 0x20 && *p != '\t' &&
			    !(*p == '\r' && p + 1 == eol))
				return false;
	}
	return false;
}

/* What to answer to a complete request head (NUL-terminated in c->req):
 * the status code, and the text of an error. */
static int route(struct client *c, bool *head, const char **text)
{
	char *line = c->req, *eol = strchr(line, '\n');
	char *method, *target, *version, *sp1, *sp2, *q;

	*text = "Bad Request";
	if (!headers_ok(eol + 1))
		return 400;
	if (eol > line && eol[-1] == '\r')
		eol--;
	*eol = 0;
	sp1 = strchr(line, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || strchr(sp2 + 1, ' '))
		return 400;
	*sp1 = *sp2 = 0;
	method = line;
	target = sp1 + 1;
	version = sp2 + 1;
	for (q = method; is_tchar(*q); q++)
		;
	if (q == method || *q || strncmp(version, "HTTP/", 5))
		return 400;
	if (strcmp(version + 5, "1.0") && strcmp(version + 5, "1.1")) {
		if (version[5] < '2' || version[5] > '9' ||
		    (version[6] && version[6] != '.'))
			return 400;
		*text = "HTTP/1.0 or HTTP/1.1 only";
		return 505;
	}
	if (!strncasecmp(target, "http://", 7)) {	/* absolute-form */
		target = strchr(target + 7, '/');
		if (!target)
			target = "/";
	}
	if (*target != '/')
		return 400;
	for (q = target; *q; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
			return 400;
	*head = !strcmp(method, "HEAD");
	if (!*head && strcmp(method, "GET")) {
		*text = "Method Not Allowed: GET or HEAD";
		return 405;
	}
	if (strncmp(target, "/metrics", 8) || !strchr("?#", target[8])) {
		*text = "Not Found: the metrics are at /metrics";
		return 404;
	}
	return 200;
}

static void handle_request(struct xlb_agent *a, struct client *c)
{
	const char *text;
	bool head = false;
	int code = route(c, &head, &text);

	if (code == 200) {
		xlb_mbuf_free(&c->body);
		c->body.max = BODY_MAX;
		xlb_metrics_render(a, &c->body);
		if (c->body.oom) {
			pr_warn("xlb: metrics: out of memory building the "
				"answer\n");
			code = 500;
			text = "Internal Server Error: out of memory";
		}
	}
	respond(a, c, code, head, text);
}

/* End of the request head: an empty line (CRLF, or a bare LF). */
static bool head_complete(const char *p)
{
	return strstr(p, "\n\r\n") || strstr(p, "\n\n");
}

static void client_read(struct xlb_agent *a, struct client *c)
{
	char drain[4096];
	ssize_t n;

	for (;;) {
		if (c->state == C_LINGER)
			n = read(c->w.fd, drain, sizeof(drain));
		else
			n = read(c->w.fd, c->req + c->rlen,
				 sizeof(c->req) - 1 - c->rlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {	/* their FIN, or an error */
			client_close(a, c);
			return;
		}
		if (c->state == C_LINGER)
			continue;
		c->rlen += n;
		c->req[c->rlen] = 0;
		if (strlen(c->req) != c->rlen) {	/* a NUL byte */
			respond(a, c, 400, false, "Bad Request");
			return;
		}
		if (head_complete(c->req)) {
			handle_request(a, c);
			return;
		}
		if (c->rlen == sizeof(c->req) - 1) {
			respond(a, c, 400, false,
				"Bad Request: request head too large");
			return;
		}
	}
}

static void on_client(struct xlb_agent *a, struct xlb_watch *w,
		      uint32_t events)
{
	struct client *c = container_of(w, struct client, w);

	if (!c->used)
		return;		/* closed earlier in this batch */
	if (c->state != C_WRITE)
		client_read(a, c);
	else if (events & (EPOLLERR | EPOLLHUP))
		client_close(a, c);
	else
		client_write(a, c);
}

/* A free slot; when none, the oldest client that has not finished its
 * request (or is lingering) gives up its own. */
static struct client *free_slot(struct xlb_agent *a, struct metrics *m)
{
	struct client *old = NULL;
	int i;

	for (i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &m->c[i];

		if (!c->used)
			return c;
		if (c->state != C_WRITE &&
		    (!old || c->since_ms < old->since_ms))
			old = c;
	}
	if (old)
		client_close(a, old);
	return old;
}

static void on_accept(struct xlb_agent *a, struct xlb_watch *w,
		      uint32_t events)
{
	struct metrics *m = container_of(w, struct metrics, lw);
	struct client *c;
	int fd;

	for (;;) {
		fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				/* The listener would wake us again at once:
				 * rest until the next timer tick. */
				pr_warn("xlb: metrics: accept: %s\n",
					strerror(errno));
				if (!xlb_loop_mod(a, w, 0))
					m->paused = true;
			}
			return;
		}
		c = free_slot(a, m);
		if (!c) {	/* every slot is sending an answer */
			close(fd);
			continue;
		}
		xlb_mbuf_free(&c->body);
		memset(c, 0, sizeof(*c));
		c->w.fd = fd;
		c->w.fn = on_client;
		c->state = C_READ;
		c->since_ms = xlb_now_ms();
		c->deadline_ms = c->since_ms + READ_MS;
		if (xlb_loop_add(a, &c->w, EPOLLIN | EPOLLRDHUP)) {
			close(fd);
			continue;
		}
		c->used = true;
	}
}

static void on_timer(struct xlb_agent *a, struct xlb_watch *w,
		     uint32_t events)
{
	struct metrics *m = container_of(w, struct metrics, tw);
	uint64_t ticks, now = xlb_now_ms();
	int i;

	if (read(w->fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		pr_debug("xlb: metrics: timer: %s\n", strerror(errno));
	for (i = 0; i < MAX_CLIENTS; i++)
		if (m->c[i].used && now >= m->c[i].deadline_ms)
			client_close(a, &m->c[i]);
	if (m->paused && !xlb_loop_mod(a, &m->lw, EPOLLIN))
		m->paused = false;
}

static int listen_on(const char *spec, int *fdp)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	struct xlb_cfg_bind b;
	char msg[160];
	int fd, one = 1;

	if (strchr(spec, '@'))
		snprintf(msg, sizeof(msg), "expected ADDR:PORT, ADDR an IPv4 "
			 "or IPv6 address, '*' or '::'");
	if (strchr(spec, '@') || xlb_parse_bind_addr(spec, &b, msg,
						     sizeof(msg))) {
		pr_warn("xlb: metrics %s: %s\n", spec, msg);
		return -EINVAL;
	}
	/* The wildcards are those of a bind: "*" every IPv4 address, "::"
	 * every IPv6 one (IPV6_V6ONLY, whatever net.ipv6.bindv6only says). */
	ss.ss_family = b.addr.family;
	if (b.addr.family == AF_INET6) {
		in6->sin6_port = htons(b.port);
		in6->sin6_addr = b.addr.v6;
	} else {
		in->sin_port = htons(b.port);
		in->sin_addr = b.addr.v4;
	}
	fd = socket(b.addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		goto fail;
	/* A restart must not wait for the last one's TIME_WAITs; a port
	 * still listened on is refused all the same. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (b.addr.family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, b.addr.family == AF_INET6 ?
		 sizeof(*in6) : sizeof(*in)) || listen(fd, 64))
		goto fail;
	*fdp = fd;
	return 0;
fail:
	{
		int err = -errno;

		pr_warn("xlb: metrics %s: %s\n", spec, strerror(-err));
		if (fd >= 0)
			close(fd);
		return err;
	}
}

int xlb_metrics_start(struct xlb_agent *a, const char *addr)
{
	struct itimerspec its = { .it_interval = { 1, 0 },
				  .it_value = { 1, 0 } };
	struct metrics *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return -ENOMEM;
	m->lw.fd = m->tw.fd = -1;
	a->metrics = m;
	err = listen_on(addr, &m->lw.fd);
	if (err)
		goto fail;
	m->lw.fn = on_accept;
	m->tw.fn = on_timer;
	m->tw.fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (m->tw.fd < 0 || timerfd_settime(m->tw.fd, 0, &its, NULL)) {
		err = -errno;
		pr_warn("xlb: metrics: timer: %s\n", strerror(-err));
		goto fail;
	}
	err = xlb_loop_add(a, &m->lw, EPOLLIN);
	if (!err)
		err = xlb_loop_add(a, &m->tw, EPOLLIN);
	if (err) {
		pr_warn("xlb: metrics: event loop: %s\n", strerror(-err));
		goto fail;
	}
	pr_info("xlb: metrics on http://%s/metrics\n", addr);
	return 0;
fail:
	xlb_metrics_stop(a);
	return err;
}

void xlb_metrics_stop(struct xlb_agent *a)
{
	struct metrics *m = a->metrics;
	int i;

	if (!m)
		return;
	for (i = 0; i < MAX_CLIENTS; i++)
		if (m->c[i].used)
			client_close(a, &m->c[i]);
	if (m->lw.fd >= 0) {
		xlb_loop_del(a, &m->lw);
		close(m->lw.fd);
	}
	if (m->tw.fd >= 0) {
		xlb_loop_del(a, &m->tw);
		close(m->tw.fd);
	}
	free(m);
	a->metrics = NULL;
}
