// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE	/* accept4 */
/* The control socket: HAProxy's stats socket, non-blocking in the agent's
 * event loop. A client sends newline-terminated lines, each one or more
 * commands separated by ';'; every command's answer ends with an empty
 * line. Without `prompt`, the connection closes once the lines received
 * are answered (so `echo "show stat" | socat stdio SOCKET` works); with
 * it, a "> " prompt follows each answer and the client leaves with `quit`
 * or EOF. Buffers are bounded; output waits for EPOLLOUT; a client that
 * makes no progress for CTL_IDLE_MS is dropped, and when all the slots are
 * taken the one idle the longest makes room. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include "ctl.h"
#include "ctl_int.h"
#include "log.h"
#include "loop.h"

#define CTL_LINE_MAX	16384	/* a line: HAProxy's bufsize */
#define CTL_CLIENTS_MAX	64
#define CTL_IDLE_MS	10000	/* HAProxy's default `stats timeout` */
#define CTL_BACKLOG	16

struct ctl_client {
	struct xlb_watch w;
	struct ctl_client *next;
	char in[CTL_LINE_MAX];
	size_t inlen;
	char *out;		/* the answer being written */
	size_t outlen, outpos;
	bool prompt;
	bool eof;		/* the client shut its side */
	bool done;		/* close once the answer is out */
	bool closed;		/* waiting to be freed (see reap()) */
	uint32_t events;
	uint64_t last_ms;	/* last progress either way */
};

struct ctl {
	struct xlb_watch lw;	/* listener */
	struct xlb_watch tw;	/* once a second: sampler, idle clients */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;
	ino_t ino;
	struct ctl_client *clients, *dead;
	int nclients;
	struct ctl_sampler *smp;
};

static struct ctl *ctl_of(struct xlb_agent *a)
{
	return a->ctl;
}

/* Closed clients are freed one timer tick later: an event already fetched
 * in the same epoll batch may still point at one. */
static void client_close(struct xlb_agent *a, struct ctl_client *c)
{
	struct ctl *ctl = ctl_of(a);
	struct ctl_client **pp;
	char buf[4096];
	int i;

	if (c->closed)
		return;
	for (pp = &ctl->clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	xlb_loop_del(a, &c->w);
	/* Unread input would make the close a reset, which can overtake
	 * the answer's last bytes: read a little of it first. */
	for (i = 0; i < 16 && recv(c->w.fd, buf, sizeof(buf), MSG_DONTWAIT) > 0;
	     i++)
		;
	close(c->w.fd);
	c->w.fd = -1;
	c->closed = true;
	free(c->out);
	c->out = NULL;
	c->next = ctl->dead;
	ctl->dead = c;
	ctl->nclients--;
}

static void reap(struct ctl *ctl)
{
	struct ctl_client *c;

	while ((c = ctl->dead)) {
		ctl->dead = c->next;
		free(c);
	}
}

/* Split a line into commands at ';' and each into words at blanks; a
 * backslash escapes the next character. In place. */
static void run_line(struct xlb_agent *a, struct ctl_client *c, char *line,
		     FILE *out)
{
	struct ctl_req r = { .a = a, .smp = ctl_of(a)->smp, .out = out,
			     .prompt = c->prompt };
	char *argv[CTL_MAX_WORDS], *p = line, *w = line;
	bool more = true, in_word = false;
	int argc = 0;

	while (more && !r.quit) {
		char ch = *p;

		if (ch == '\\' && p[1]) {
			if (!in_word && argc < CTL_MAX_WORDS)
				argv[argc++] = w;
			in_word = true;
			*w++ = p[1];
			p += 2;
			continue;
		}
		if (ch && ch != ';' && ch != ' ' && ch != '\t') {
			if (!in_word && argc < CTL_MAX_WORDS)
				argv[argc++] = w;
			in_word = true;
			*w++ = ch;
			p++;
			continue;
		}
		/* End of a word (blank, ';' or the end). */
		p++;
		*w++ = 0;
		in_word = false;
		if (ch == ' ' || ch == '\t')
			continue;
		more = ch == ';';
		if (!argc)
			continue;	/* empty command: nothing to say */
		xlb_ctl_exec(&r, argc, argv);
		if (!r.quit)
			fputc('\n', out);
		argc = 0;
	}
	c->prompt = r.prompt;
	if (r.quit)
		c->done = true;
	else if (c->prompt)
		fputs("> ", out);
}

/* Answer the next line, if one is complete (or the last one at EOF).
 * Returns true if it answered one. */
static bool answer_line(struct xlb_agent *a, struct ctl_client *c)
{
	char *nl = memchr(c->in, '\n', c->inlen);
	char *buf = NULL;
	size_t len = 0, n;
	FILE *out;

	if (!nl && c->inlen == sizeof(c->in)) {
		c->out = strdup("Command line too long.\n\n");
		c->outlen = c->out ? strlen(c->out) : 0;
		c->outpos = 0;
		c->done = true;
		return true;
	}
	if (!nl && !(c->eof && c->inlen))
		return false;
	n = nl ? (size_t)(nl - c->in) : c->inlen;
	c->in[n] = 0;		/* the '\n', or the room left at EOF */
	if (n && c->in[n - 1] == '\r')
		c->in[n - 1] = 0;
	out = open_memstream(&buf, &len);
	if (!out) {
		c->done = true;
		return true;
	}
	run_line(a, c, c->in, out);
	fclose(out);
	n = nl ? n + 1 : c->inlen;
	memmove(c->in, c->in + n, c->inlen - n);
	c->inlen -= n;
	free(c->out);
	c->out = buf;
	c->outlen = len;
	c->outpos = 0;
	return true;
}

static bool has_line(const struct ctl_client *c)
{
	return memchr(c->in, '\n', c->inlen) ||
	       (c->eof && c->inlen) || c->inlen == sizeof(c->in);
}

/* Write what can be written; false if the client is gone. */
static bool flush_out(struct ctl_client *c)
{
	while (c->outpos < c->outlen) {
		ssize_t n = send(c->w.fd, c->out + c->outpos,
				 c->outlen - c->outpos,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK;
		}
		c->outpos += n;
		c->last_ms = xlb_now_ms();
	}
	free(c->out);
	c->out = NULL;
	c->outlen = c->outpos = 0;
	return true;
}

/* Read what there is room for; false on a read error. */
static bool fill_in(struct ctl_client *c)
{
	while (!c->eof && c->inlen < sizeof(c->in)) {
		ssize_t n = recv(c->w.fd, c->in + c->inlen,
				 sizeof(c->in) - c->inlen, MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK;
		}
		if (n == 0)
			c->eof = true;
		c->inlen += n;
		c->last_ms = xlb_now_ms();
	}
	return true;
}

/* Answer lines while nothing waits to be written: one answer in flight at
 * most, so a client that sends much and reads nothing holds one answer. */
static void pump(struct xlb_agent *a, struct ctl_client *c)
{
	uint32_t ev = 0;

	for (;;) {
		if (!flush_out(c)) {
			client_close(a, c);
			return;
		}
		if (c->outlen || c->done)
			break;
		if (!answer_line(a, c))
			break;
		/* Without prompt, close once the lines received so far are
		 * answered (HAProxy's non-interactive mode). */
		if (!c->prompt && !has_line(c))
			c->done = true;
	}
	if (!c->outlen && (c->done || c->eof)) {
		client_close(a, c);
		return;
	}
	if (c->outlen)
		ev |= EPOLLOUT;
	else if (!c->eof && c->inlen < sizeof(c->in))
		ev |= EPOLLIN;
	if (ev != c->events && !xlb_loop_mod(a, &c->w, ev))
		c->events = ev;
}

static void on_client(struct xlb_agent *a, struct xlb_watch *w, uint32_t ev)
{
	struct ctl_client *c = (struct ctl_client *)w;

	if (c->closed)
		return;
	if ((ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !fill_in(c)) {
		client_close(a, c);
		return;
	}
	pump(a, c);
}

/* Every slot taken: the client idle the longest makes room, so that
 * silent connections cannot lock the socket. */
static void evict_oldest(struct xlb_agent *a)
{
	struct ctl_client *c, *old = NULL;

	for (c = ctl_of(a)->clients; c; c = c->next)
		if (!old || c->last_ms < old->last_ms)
			old = c;
	if (old)
		client_close(a, old);
}

static void on_accept(struct xlb_agent *a, struct xlb_watch *w, uint32_t ev)
{
	struct ctl *ctl = ctl_of(a);
	struct ctl_client *c;
	int fd;

	for (;;) {
		fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				pr_warn("xlb: control socket: accept: %s\n",
					strerror(errno));
			return;
		}
		if (ctl->nclients >= CTL_CLIENTS_MAX)
			evict_oldest(a);
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->w.fd = fd;
		c->w.fn = on_client;
		c->events = EPOLLIN;
		c->last_ms = xlb_now_ms();
		if (xlb_loop_add(a, &c->w, EPOLLIN)) {
			close(fd);
			free(c);
			continue;
		}
		c->next = ctl->clients;
		ctl->clients = c;
		ctl->nclients++;
	}
}

static void on_timer(struct xlb_agent *a, struct xlb_watch *w, uint32_t ev)
{
	struct ctl *ctl = ctl_of(a);
	struct ctl_client *c, *next;
	uint64_t ticks, now = xlb_now_ms();

	if (read(w->fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		pr_debug("xlb: control socket timer: %s\n", strerror(errno));
	reap(ctl);
	for (c = ctl->clients; c; c = next) {
		next = c->next;
		if (now - c->last_ms >= CTL_IDLE_MS)
			client_close(a, c);
	}
	xlb_ctl_sample(a, ctl->smp);
}

/* mkdir -p of path's folder, 0755. */
static int make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = 0;
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* A socket file already there: refuse if someone answers on it, remove it
 * if it is stale, refuse anything that is not a socket. */
static int clear_stale(const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, err;

	if (lstat(sun->sun_path, &st)) {
		if (errno == ENOENT)
			return 0;
		pr_warn("xlb: stats socket %s: %s\n", sun->sun_path,
			strerror(errno));
		return -errno;
	}
	if (!S_ISSOCK(st.st_mode)) {
		pr_warn("xlb: stats socket %s: exists and is not a socket; "
			"not touching it\n", sun->sun_path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) ?
	      errno : 0;
	close(fd);
	if (!err) {
		pr_warn("xlb: stats socket %s: another process is listening "
			"on it (another xlb agent?)\n", sun->sun_path);
		return -EADDRINUSE;
	}
	if (unlink(sun->sun_path) && errno != ENOENT) {
		pr_warn("xlb: stats socket %s: cannot remove the stale socket: "
			"%s\n", sun->sun_path, strerror(errno));
		return -errno;
	}
	return 0;
}

static int listen_on(struct ctl *ctl, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd, err;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		pr_warn("xlb: stats socket %s: path too long\n", path);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, path);
	err = make_parent(path);
	if (err) {
		pr_warn("xlb: stats socket %s: cannot create its folder: %s\n",
			path, strerror(-err));
		return err;
	}
	err = clear_stale(&sun);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	old = umask(0177);	/* the socket file: 0600 */
	err = bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ? -errno : 0;
	umask(old);
	if (!err && listen(fd, CTL_BACKLOG))
		err = -errno;
	if (!err && stat(path, &st))
		err = -errno;
	if (err) {
		pr_warn("xlb: stats socket %s: %s\n", path, strerror(-err));
		close(fd);
		return err;
	}
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	ctl->lw.fd = fd;
	ctl->lw.fn = on_accept;
	return 0;
}

static int start_timer(struct ctl *ctl)
{
	struct itimerspec its = {
		.it_interval = { .tv_sec = 1 },
		.it_value = { .tv_sec = 1 },
	};

	ctl->tw.fd = timerfd_create(CLOCK_MONOTONIC,
				    TFD_NONBLOCK | TFD_CLOEXEC);
	ctl->tw.fn = on_timer;
	if (ctl->tw.fd < 0)
		return -errno;
	if (timerfd_settime(ctl->tw.fd, 0, &its, NULL))
		return -errno;
	return 0;
}

int xlb_ctl_start(struct xlb_agent *a, const char *path)
{
	struct ctl *ctl = calloc(1, sizeof(*ctl));
	int err;

	if (!ctl)
		return -ENOMEM;
	ctl->lw.fd = ctl->tw.fd = -1;
	a->ctl = ctl;
	ctl->smp = xlb_ctl_sampler_new();
	if (!ctl->smp) {
		xlb_ctl_stop(a);
		return -ENOMEM;
	}
	/* listen_on() says why it failed. */
	err = listen_on(ctl, path && path[0] ? path : XLB_DEFAULT_SOCKET);
	if (err) {
		xlb_ctl_stop(a);
		return err;
	}
	err = xlb_loop_add(a, &ctl->lw, EPOLLIN);
	if (!err)
		err = start_timer(ctl);
	if (!err)
		err = xlb_loop_add(a, &ctl->tw, EPOLLIN);
	if (err) {
		pr_warn("xlb: stats socket %s: %s\n", ctl->path,
			strerror(-err));
		xlb_ctl_stop(a);
		return err;
	}
	xlb_ctl_sample(a, ctl->smp);
	pr_info("xlb: stats socket %s (mode 0600)\n", ctl->path);
	return 0;
}

void xlb_ctl_stop(struct xlb_agent *a)
{
	struct ctl *ctl = ctl_of(a);
	struct stat st;

	if (!ctl)
		return;
	while (ctl->clients)
		client_close(a, ctl->clients);
	reap(ctl);
	if (ctl->tw.fd >= 0) {
		xlb_loop_del(a, &ctl->tw);
		close(ctl->tw.fd);
	}
	if (ctl->lw.fd >= 0) {
		xlb_loop_del(a, &ctl->lw);
		close(ctl->lw.fd);
		/* Remove the file only if it is still ours. */
		if (!stat(ctl->path, &st) && st.st_dev == ctl->dev &&
		    st.st_ino == ctl->ino)
			unlink(ctl->path);
	}
	free(ctl->smp);
	free(ctl);
	a->ctl = NULL;
}
