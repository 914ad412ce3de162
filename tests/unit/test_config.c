// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the HAProxy-syntax configuration parser (agent/config.c).
 *
 * A table of {name, config text, expected error or notice, structure check}.
 * Every case parses its text as file "t"; an expected error is a substring
 * of the single error line, so it names the line: "t:5: error: ...".
 * Run from the repository root (or pass the root as argv[1]): the tutorial's
 * compose/haproxy.cfg is loaded from there. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"

struct tcase {
	const char *name;
	const char *text;
	const char *err;	/* NULL: must load; else in the error line */
	const char *notice;	/* NULL, or must be in the notices */
	const char *no_notice;	/* NULL, or must not be in the notices */
	/* NULL, or returns what is wrong with the parsed config */
	const char *(*check)(const struct xlb_config *c);
};

#define EXPECT(cond) do { if (!(cond)) return #cond; } while (0)

static struct xlb_config *cfg;
static int passed, failed;

static bool is_v4(const struct xlb_cfg_addr *a, const char *s)
{
	struct in_addr v4;

	return inet_pton(AF_INET, s, &v4) == 1 && a->family == AF_INET &&
	       a->v4.s_addr == v4.s_addr;
}

static bool is_v6(const struct xlb_cfg_addr *a, const char *s)
{
	struct in6_addr v6;

	return inet_pton(AF_INET6, s, &v6) == 1 && a->family == AF_INET6 &&
	       !memcmp(&a->v6, &v6, sizeof(v6));
}

static const struct xlb_cfg_backend *backend_of(const struct xlb_config *c,
						int fe)
{
	int i = c->frontends[fe].backend;

	return i >= 0 && i < c->nbackends ? &c->backends[i] : NULL;
}

/* The usual head: lines 1-3. Backend "b" starts on line 4. */
#define FE "frontend f\n    bind *:80\n    default_backend b\n"
#define BE FE "backend b\n"

static const char *chk_comments(const struct xlb_config *c)
{
	const struct xlb_cfg_backend *b = backend_of(c, 0);

	EXPECT(c->nfrontends == 1 && c->frontends[0].nbinds == 1);
	EXPECT(c->frontends[0].binds[0].wildcard);
	EXPECT(c->frontends[0].binds[0].port == 80);
	EXPECT(b && b->nservers == 1);
	EXPECT(b->servers[0].port == 8080 && !b->servers[0].check);
	EXPECT(is_v4(&b->servers[0].addr, "127.0.0.1"));
	return NULL;
}

static const char *chk_listen(const struct xlb_config *c)
{
	const struct xlb_cfg_frontend *f = &c->frontends[0];
	const struct xlb_cfg_backend *b = backend_of(c, 0);

	EXPECT(c->nfrontends == 1 && c->nbackends == 1);
	EXPECT(!strcmp(f->name, "web") && b && !strcmp(b->name, "web"));
	EXPECT(f->nbinds == 2);
	EXPECT(!f->binds[0].wildcard && is_v4(&f->binds[0].addr, "10.0.0.1"));
	EXPECT(f->binds[0].port == 443 && f->binds[0].proto == IPPROTO_TCP);
	EXPECT(f->binds[1].wildcard && f->binds[1].port == 8443);
	EXPECT(f->binds[0].line == 2);
	EXPECT(b->algo == XLB_CFG_ROUNDROBIN && b->nservers == 2);
	EXPECT(b->servers[0].check && b->servers[0].weight == 1);
	EXPECT(!b->servers[1].check && b->servers[1].weight == 3);
	EXPECT(b->servers[1].line == 5);
	return NULL;
}

static const char *chk_rr(const struct xlb_config *c)
{
	EXPECT(c->backends[0].algo == XLB_CFG_ROUNDROBIN);
	return NULL;
}

static const char *chk_lc(const struct xlb_config *c)
{
	EXPECT(c->backends[0].algo == XLB_CFG_LEASTCONN);
	return NULL;
}

static const char *chk_inherit(const struct xlb_config *c)
{
	EXPECT(c->nbackends == 3);
	EXPECT(c->backends[0].algo == XLB_CFG_LEASTCONN);	/* inherited */
	EXPECT(c->backends[1].algo == XLB_CFG_ROUNDROBIN);	/* own */
	EXPECT(c->backends[2].algo == XLB_CFG_LEASTCONN);	/* listen */
	return NULL;
}

static const char *chk_weights(const struct xlb_config *c)
{
	EXPECT(c->backends[0].servers[0].weight == 0);
	EXPECT(c->backends[0].servers[1].weight == 256);
	return NULL;
}

static const char *chk_udp(const struct xlb_config *c)
{
	EXPECT(c->nfrontends == 2);
	EXPECT(c->frontends[0].binds[0].proto == IPPROTO_UDP);
	EXPECT(c->frontends[0].binds[0].wildcard);
	EXPECT(c->frontends[0].binds[0].port == 53);
	EXPECT(c->frontends[1].binds[0].proto == IPPROTO_TCP);
	EXPECT(c->frontends[1].binds[0].port == 53);
	return NULL;
}

static const char *chk_default_server(const struct xlb_config *c)
{
	const struct xlb_cfg_backend *b = &c->backends[0];

	EXPECT(b->nservers == 3);
	EXPECT(b->servers[0].weight == 5 && b->servers[0].check);
	EXPECT(b->servers[1].weight == 2 && !b->servers[1].check);
	EXPECT(b->servers[2].disabled && b->servers[2].weight == 5);
	b = &c->backends[1];	/* default-server stays in its section */
	EXPECT(b->servers[0].weight == 1 && !b->servers[0].check);
	return NULL;
}

static const char *chk_defaults_server(const struct xlb_config *c)
{
	EXPECT(c->backends[0].servers[0].weight == 7);
	EXPECT(c->backends[0].servers[0].check);
	EXPECT(!c->backends[0].servers[0].disabled);
	return NULL;
}

static const char *chk_source(const struct xlb_config *c)
{
	EXPECT(c->backends[0].has_source);
	EXPECT(is_v4(&c->backends[0].source, "10.0.0.9"));
	EXPECT(!c->backends[1].has_source);
	return NULL;
}

static const char *chk_defaults_source(const struct xlb_config *c)
{
	EXPECT(c->backends[0].has_source);
	EXPECT(is_v4(&c->backends[0].source, "192.168.1.1"));
	return NULL;
}

static const char *chk_daemon(const struct xlb_config *c)
{
	EXPECT(c->daemon);
	return NULL;
}

static const char *chk_no_daemon(const struct xlb_config *c)
{
	EXPECT(!c->daemon);
	return NULL;
}

static const char *chk_localhost(const struct xlb_config *c)
{
	EXPECT(is_v4(&c->backends[0].servers[0].addr, "127.0.0.1"));
	EXPECT(!strcmp(c->backends[0].servers[0].host, "localhost"));
	return NULL;
}

static const char *chk_to_listen(const struct xlb_config *c)
{
	EXPECT(c->nfrontends == 2 && c->nbackends == 1);
	EXPECT(c->frontends[0].backend == 0 && c->frontends[1].backend == 0);
	return NULL;
}

static const char *chk_quotes(const struct xlb_config *c)
{
	EXPECT(c->backends[0].servers[0].port == 81);
	EXPECT(!strcmp(c->backends[0].servers[0].name, "s1"));
	EXPECT(!strcmp(c->backends[0].servers[1].name, "s2"));
	EXPECT(c->backends[0].servers[1].weight == 2);
	return NULL;
}

/* Health checks, server options, httpchk, stats. */

static const struct xlb_cfg_server *srv_of(const struct xlb_config *c,
					   int be, int i)
{
	return &c->backends[be].servers[i];
}

/* inter, fastinter, downinter of server i of backend be */
static bool inters(const struct xlb_config *c, int be, int i, uint32_t inter,
		   uint32_t fast, uint32_t down)
{
	const struct xlb_cfg_check *k = &srv_of(c, be, i)->chk;

	return k->inter_ms == inter && k->fastinter_ms == fast &&
	       k->downinter_ms == down;
}

static const char *chk_all_opts(const struct xlb_config *c)
{
	const struct xlb_cfg_server *s = srv_of(c, 0, 0);

	EXPECT(s->check && inters(c, 0, 0, 2000, 500, 5000));
	EXPECT(s->chk.rise == 4 && s->chk.fall == 5);
	EXPECT(s->chk.port == 8080 && s->chk.has_addr);
	EXPECT(is_v4(&s->chk.addr, "10.0.0.5"));
	EXPECT(s->slowstart_ms == 60000 && s->maxconn == 100);
	EXPECT(s->shutdown_sessions && s->backup && !s->disabled);
	EXPECT(s->weight == 1 && s->port == 1);
	return NULL;
}

static const char *chk_check_defaults(const struct xlb_config *c)
{
	for (int i = 0; i < 2; i++) {
		const struct xlb_cfg_server *s = srv_of(c, 0, i);

		EXPECT(s->check == !i);
		EXPECT(inters(c, 0, i, 2000, 2000, 2000));
		EXPECT(s->chk.rise == 2 && s->chk.fall == 3);
		EXPECT(!s->chk.port && !s->chk.has_addr);
		EXPECT(!s->backup && !s->slowstart_ms && !s->maxconn);
		EXPECT(!s->shutdown_sessions);
	}
	return NULL;
}

static const char *chk_time_units(const struct xlb_config *c)
{
	static const uint32_t ms[] = { 250, 250, 1000, 60000, 3600000,
				       86400000, 1 };

	for (int i = 0; i < 7; i++)
		EXPECT(inters(c, 0, i, ms[i], ms[i], ms[i]));
	EXPECT(srv_of(c, 0, 7)->slowstart_ms == 10000);
	EXPECT(srv_of(c, 0, 8)->slowstart_ms == 0);
	return NULL;
}

/* fastinter and downinter follow inter unless set, whatever the order */
static const char *chk_inter_line(const struct xlb_config *c)
{
	EXPECT(inters(c, 0, 0, 500, 500, 500));
	EXPECT(inters(c, 0, 1, 500, 100, 500));	/* fastinter first */
	EXPECT(inters(c, 0, 2, 500, 500, 3000));
	EXPECT(inters(c, 0, 3, 2000, 100, 2000));	/* no inter */
	EXPECT(inters(c, 0, 4, 2000, 2000, 7));
	return NULL;
}

static const char *chk_inter_default_server(const struct xlb_config *c)
{
	EXPECT(inters(c, 0, 0, 500, 500, 500));	/* default-server inter */
	EXPECT(inters(c, 0, 1, 700, 700, 700));	/* line's inter wins */
	EXPECT(inters(c, 0, 2, 500, 50, 500));	/* line's fastinter */
	EXPECT(inters(c, 1, 0, 800, 100, 800));	/* ds fastinter, line inter */
	EXPECT(inters(c, 1, 1, 2000, 100, 2000));
	EXPECT(inters(c, 2, 0, 2000, 2000, 2000));	/* stays in section */
	return NULL;
}

static const char *chk_inter_defaults(const struct xlb_config *c)
{
	EXPECT(inters(c, 0, 0, 800, 20, 9000));
	EXPECT(inters(c, 0, 1, 400, 20, 9000));
	EXPECT(inters(c, 1, 0, 400, 400, 9000));	/* defaults only */
	EXPECT(inters(c, 1, 1, 60, 60, 9000));
	EXPECT(inters(c, 2, 0, 2000, 2000, 2000));	/* new defaults */
	return NULL;
}

static const char *chk_rise_fall(const struct xlb_config *c)
{
	EXPECT(srv_of(c, 0, 0)->chk.rise == 1 && srv_of(c, 0, 0)->chk.fall == 1);
	EXPECT(srv_of(c, 0, 1)->chk.rise == 10 && srv_of(c, 0, 1)->chk.fall == 1);
	return NULL;
}

static const char *chk_addr(const struct xlb_config *c)
{
	EXPECT(srv_of(c, 0, 0)->chk.has_addr);
	EXPECT(is_v4(&srv_of(c, 0, 0)->chk.addr, "192.168.7.7"));
	EXPECT(is_v4(&srv_of(c, 0, 0)->addr, "127.0.0.1"));
	EXPECT(srv_of(c, 0, 1)->chk.has_addr);
	EXPECT(is_v4(&srv_of(c, 0, 1)->chk.addr, "127.0.0.1"));
	EXPECT(!srv_of(c, 0, 2)->chk.has_addr);
	return NULL;
}

/* defaults' default-server, overridden on the line */
static const char *chk_opts_inherited(const struct xlb_config *c)
{
	const struct xlb_cfg_server *a = srv_of(c, 0, 0), *b = srv_of(c, 0, 1);

	EXPECT(a->check && a->backup && a->slowstart_ms == 5000);
	EXPECT(a->maxconn == 50 && a->shutdown_sessions);
	EXPECT(a->chk.port == 9000 && a->chk.rise == 5 && a->chk.fall == 6);
	EXPECT(!b->check && !b->backup && !b->disabled);
	EXPECT(b->maxconn == 0 && b->chk.port == 9001);
	return NULL;
}

static bool http_is(const struct xlb_cfg_httpchk *h, const char *m,
		    const char *uri, const char *v)
{
	return h->enabled && !strcmp(h->method, m) && !strcmp(h->uri, uri) &&
	       !strcmp(h->version, v);
}

static const char *chk_httpchk_forms(const struct xlb_config *c)
{
	EXPECT(c->nbackends == 5);
	EXPECT(http_is(&c->backends[0].http, "OPTIONS", "/", "HTTP/1.0"));
	EXPECT(http_is(&c->backends[1].http, "OPTIONS", "/health", "HTTP/1.0"));
	EXPECT(http_is(&c->backends[2].http, "GET", "/h?x=1", "HTTP/1.0"));
	EXPECT(http_is(&c->backends[3].http, "HEAD", "/", "HTTP/1.1"));
	EXPECT(!c->backends[4].http.enabled);	/* tcp-check last */
	for (int i = 0; i < 5; i++)
		EXPECT(!c->backends[i].http.expect_status &&
		       !c->backends[i].http.expect_string[0]);
	return NULL;
}

static const char *chk_tcp_default(const struct xlb_config *c)
{
	const struct xlb_cfg_httpchk *h = &c->backends[0].http;

	EXPECT(!h->enabled && !c->backends[0].timeout_check_ms);
	EXPECT(!strcmp(h->method, "OPTIONS") && !strcmp(h->uri, "/"));
	EXPECT(!strcmp(h->version, "HTTP/1.0"));
	return NULL;
}

static const char *chk_httpchk_inherited(const struct xlb_config *c)
{
	EXPECT(c->nbackends == 4);
	EXPECT(http_is(&c->backends[0].http, "GET", "/ping", "HTTP/1.0"));
	EXPECT(c->backends[0].http.expect_status == 204);
	EXPECT(c->backends[0].timeout_check_ms == 3000);
	EXPECT(!c->backends[1].http.enabled);	/* option tcp-check */
	EXPECT(c->backends[1].timeout_check_ms == 500);
	/* its own expect replaces the inherited one */
	EXPECT(http_is(&c->backends[2].http, "GET", "/ping", "HTTP/1.0"));
	EXPECT(!c->backends[2].http.expect_status);
	EXPECT(!strcmp(c->backends[2].http.expect_string, "pong"));
	/* a new defaults section resets */
	EXPECT(!c->backends[3].http.enabled && !c->backends[3].timeout_check_ms);
	return NULL;
}

static const char *chk_expect(const struct xlb_config *c)
{
	const struct xlb_cfg_httpchk *h = &c->backends[0].http;

	EXPECT(h->enabled && h->expect_status == 200);	/* both apply */
	EXPECT(!strcmp(h->expect_string, "OK"));
	h = &c->backends[1].http;	/* the later of a kind wins */
	EXPECT(h->expect_status == 503 && !h->expect_string[0]);
	EXPECT(!strcmp(c->backends[2].http.expect_string, "all good"));
	EXPECT(!strcmp(c->backends[3].http.expect_string, "a b"));
	EXPECT(!strcmp(c->backends[4].http.expect_string, "it's \"ok\""));
	return NULL;
}

static const char *chk_stats_default(const struct xlb_config *c)
{
	EXPECT(!strcmp(c->stats_socket, XLB_DEFAULT_SOCKET));
	EXPECT(!c->metrics[0]);
	return NULL;
}

static const char *chk_stats(const struct xlb_config *c)
{
	EXPECT(!strcmp(c->stats_socket, "/run/lb/admin.sock"));
	EXPECT(!strcmp(c->metrics, "*:9100"));
	return NULL;
}

static const char *chk_stats_unix(const struct xlb_config *c)
{
	EXPECT(!strcmp(c->stats_socket, "/tmp/x.sock"));
	EXPECT(!strcmp(c->metrics, "127.0.0.1:9101"));
	return NULL;
}

static const char *chk_metrics_empty_host(const struct xlb_config *c)
{
	EXPECT(!strcmp(c->metrics, ":9100"));
	return NULL;
}


static const struct tcase cases[] = {
	{ .name = "comments, blank lines, CRLF, leading whitespace",
	  "# a comment\n"
	  "\n"
	  "   \t\n"
	  "frontend f   # trailing comment\n"
	  "\tbind *:80\r\n"
	  "  default_backend b\n"
	  "backend b\n"
	  "  server s1 127.0.0.1:8080 # check\n"
	  "# the end, no newline",
	  .check = chk_comments },
	{ .name = "listen section",
	  "listen web\n"
	  "    bind 10.0.0.1:443,*:8443\n"
	  "    balance roundrobin\n"
	  "    server a 127.0.0.1:1 check\n"
	  "    server b 127.0.0.2:2 weight 3\n",
	  .check = chk_listen },
	{ .name = "frontend to a listen's servers",
	  "listen web\n  bind *:80\n  server a 127.0.0.1:1\n"
	  "frontend f\n  bind *:81\n  default_backend web\n",
	  .check = chk_to_listen },
	{ .name = "balance roundrobin", BE "  balance roundrobin\n", .check = chk_rr },
	{ .name = "balance leastconn", BE "  balance leastconn\n", .check = chk_lc },
	{ .name = "roundrobin when nothing is said", BE, .check = chk_rr },
	{ .name = "balance in defaults inherited",
	  "defaults\n  balance leastconn\n"
	  "frontend f\n  bind *:80\n  default_backend b\n"
	  "frontend g\n  bind *:81\n  default_backend c\n"
	  "backend b\n  server s 127.0.0.1:1\n"
	  "backend c\n  balance roundrobin\n  server s 127.0.0.1:1\n"
	  "listen l\n  bind *:82\n  server s 127.0.0.1:1\n",
	  .check = chk_inherit },
	{ .name = "a new defaults section resets balance",
	  "defaults\n  balance leastconn\ndefaults\n" BE, .check = chk_rr },
	{ .name = "balance source refused", BE "  balance source\n",
	  "t:5: error: balance algorithm 'source' is not supported" },
	{ .name = "balance first refused", BE "  balance first\n",
	  "t:5: error: balance algorithm 'first'" },
	{ .name = "weight 0 and 256",
	  BE "  server s1 127.0.0.1:1 weight 0\n"
	  "  server s2 127.0.0.1:2 weight 256 check\n",
	  .check = chk_weights },
	{ .name = "weight 257", BE "  server s1 127.0.0.1:1 weight 257\n",
	  "t:5: error: server 's1': weight 257 is out of range 0..256" },
	{ .name = "weight -1", BE "  server s1 127.0.0.1:1 weight -1\n",
	  "t:5: error: server 's1': weight '-1' is not a number" },
	{ .name = "weight without value", BE "  server s1 127.0.0.1:1 weight\n",
	  "t:5: error: server 's1': option 'weight' needs a value" },
	{ .name = "server port 0", BE "  server s1 127.0.0.1:0\n",
	  "t:5: error: port 0 is out of range 1..65535 in '127.0.0.1:0'" },
	{ .name = "server port 65536", BE "  server s1 127.0.0.1:65536\n",
	  "t:5: error: port 65536 is out of range 1..65535" },
	{ .name = "server port not a number", BE "  server s1 127.0.0.1:http\n",
	  "t:5: error: invalid port 'http'" },
	{ .name = "server port range", BE "  server s1 127.0.0.1:80-90\n",
	  "t:5: error: port range '80-90' is not supported" },
	{ .name = "server port offset", BE "  server s1 127.0.0.1:+1\n",
	  "t:5: error: port offset '+1' is not supported" },
	{ .name = "server missing port", BE "  server s1 127.0.0.1\n",
	  "t:5: error: missing port in '127.0.0.1'" },
	{ .name = "server empty port", BE "  server s1 127.0.0.1:\n",
	  "t:5: error: missing port in '127.0.0.1:'" },
	{ .name = "bind missing port", "frontend f\n  bind 10.0.0.1\n",
	  "t:2: error: missing port in '10.0.0.1'" },
	{ .name = "bind port 0", "frontend f\n  bind *:0\n",
	  "t:2: error: port 0 is out of range 1..65535" },
	{ .name = "bind port range", "frontend f\n  bind *:8000-8010\n",
	  "t:2: error: port range '8000-8010' is not supported" },
	{ .name = "bind host name", "frontend f\n  bind localhost:80\n",
	  "t:2: error: bind address 'localhost' is not an IPv4 or IPv6 address (or '*')" },
	{ .name = "bind empty host is the wildcard", "frontend f\n  bind :80\n"
	  "  default_backend b\nbackend b\n" },
	{ .name = "unknown keyword in backend",
	  BE "  server s1 127.0.0.1:1\n  frobnicate yes\n",
	  "t:6: error: unknown keyword 'frobnicate' in 'backend' section" },
	{ .name = "unknown keyword in global", "global\n  daemon\n  foo\n",
	  "t:3: error: unknown keyword 'foo' in 'global' section" },
	{ .name = "unknown keyword in frontend", "frontend f\n\n  bnid *:80\n",
	  "t:3: error: unknown keyword 'bnid' in 'frontend' section" },
	{ .name = "keyword in the wrong section", BE "  bind *:81\n",
	  "t:5: error: 'bind' is not allowed in a 'backend' section" },
	{ .name = "directive outside any section", "\n  bind *:80\n",
	  "t:2: error: 'bind' outside any section" },
	{ .name = "unsupported section", "resolvers dns\n",
	  "t:1: error: section 'resolvers' is not supported" },
	{ .name = "unknown server option", BE "  server s1 127.0.0.1:1 check foo\n",
	  "t:5: error: server 's1': unknown server option 'foo'" },
	{ .name = "server option ssl", BE "  server s1 127.0.0.1:1 ssl verify none\n",
	  "t:5: error: server 's1': unknown server option 'ssl'" },
	{ .name = "health-check parameters applied",
	  BE "  server s1 127.0.0.1:1 check inter 2s fastinter 500 "
	  "downinter 5s rise 4 fall 5 port 8080 addr 10.0.0.5 slowstart 1m "
	  "maxconn 100 on-marked-down shutdown-sessions backup\n",
	  .no_notice = "s1", .check = chk_all_opts },
	{ .name = "bad inter", BE "  server s1 127.0.0.1:1 inter 2x\n",
	  "t:5: error: server 's1': option 'inter': invalid time '2x'" },
	{ .name = "rise without value", BE "  server s1 127.0.0.1:1 rise\n",
	  "t:5: error: server 's1': option 'rise' needs a value" },
	{ .name = "bad health-check port", BE "  server s1 127.0.0.1:1 port 0\n",
	  "t:5: error: server 's1': option 'port': port 0 is out of range" },
	{ .name = "server needs an address", BE "  server s1\n",
	  "t:5: error: 'server' needs a name and an address" },
	{ .name = "duplicate server", BE "  server s1 127.0.0.1:1\n"
	  "  server s1 127.0.0.1:2\n",
	  "t:6: error: server 's1' already defined at line 5" },
	{ .name = "IPv6 server behind an IPv4 bind", BE "  server s1 [::1]:80\n",
	  "t:2: error: bind *:80 of 'f' is IPv4, but backend 'b' has no IPv4 server: xlb does not translate between IPv4 and IPv6" },
	{ .name = "unix@ bind", "frontend f\n  bind unix@/tmp/s:1\n",
	  "t:2: error: address prefix 'unix@'" },
	{ .name = "udp@ bind, tcp on the same port",
	  "frontend dns\n  bind udp@*:53\n  default_backend b\n"
	  "frontend dnstcp\n  bind *:53\n  default_backend b\n"
	  "backend b\n  server s1 127.0.0.1:53\n",
	  .check = chk_udp },
	{ .name = "duplicate wildcard bind across frontends",
	  FE "frontend g\n  bind :80\n  default_backend b\nbackend b\n",
	  "t:5: error: bind *:80 already used by frontend 'f' (line 2)" },
	{ .name = "duplicate explicit bind on one line",
	  "frontend f\n  bind 10.0.0.1:80,10.0.0.2:80,10.0.0.1:80\n",
	  "t:2: error: bind 10.0.0.1:80 already used by frontend 'f' (line 2)" },
	{ .name = "duplicate udp bind",
	  "frontend f\n  bind udp@:53\n  bind udp@*:53\n",
	  "t:3: error: bind udp@*:53 already used by frontend 'f' (line 2)" },
	{ .name = "wildcard and explicit on one port",
	  "frontend f\n  bind *:80\n  bind 10.0.0.1:80\n  default_backend b\n"
	  "backend b\n" },
	{ .name = "missing backend",
	  "frontend f\n  bind *:80\n  default_backend nope\nbackend b\n",
	  "t:3: error: backend 'nope' not found" },
	{ .name = "no default_backend", "\nfrontend f\n  bind *:80\n",
	  "t:2: error: frontend 'f' has no default_backend" },
	{ .name = "frontend without bind", "frontend f\n  default_backend b\nbackend b\n",
	  "t:1: error: frontend 'f' has no bind" },
	{ .name = "listen without bind", "listen l\n  server s 127.0.0.1:1\n",
	  "t:1: error: listen 'l' has no bind" },
	{ .name = "default_backend in a listen", "listen l\n  default_backend b\n",
	  "t:2: error: 'default_backend' is not supported in a listen section" },
	{ .name = "two default_backend",
	  "frontend f\n  bind *:80\n  default_backend b\n  default_backend c\n",
	  "t:4: error: frontend 'f' already has default_backend 'b' (line 3)" },
	{ .name = "nothing to balance", "global\n  daemon\n",
	  "t:2: error: no frontend or listen section" },
	{ .name = "empty file", "", "t:1: error: no frontend or listen section" },
	{ .name = "duplicate frontend", FE "frontend f\n",
	  "t:4: error: frontend 'f' already defined at line 1" },
	{ .name = "listen named like a backend", BE "listen b\n",
	  "t:5: error: backend 'b' already defined at line 4" },
	{ .name = "section without name", "backend\n", "t:1: error: 'backend' needs a name" },
	{ .name = "frontend from defaults", "frontend f from d\n",
	  "t:1: error: unexpected 'from' after 'frontend f'" },
	{ .name = "name too long",
	  "backend b123456789012345678901234567890123456789012345678901234567890123\n",
	  "t:1: error: backend name 'b1234" },
	{ .name = "quoted space in a name", BE "  server \"s 1\" 127.0.0.1:1\n",
	  "t:5: error: invalid character ' ' in server name 's 1'" },
	{ .name = "bad character in name", "backend b/c\n",
	  "t:1: error: invalid character '/' in backend name 'b/c'" },
	{ .name = "mode http noticed",
	  "defaults\n  mode http\n" BE,
	  .notice = "t:2: notice: xlb works at layer 4: 'mode http' treated as 'mode tcp'" },
	{ .name = "mode tcp silent", "defaults\n  mode tcp\n" BE, .no_notice = "mode" },
	{ .name = "mode health refused", "defaults\n  mode health\n",
	  "t:2: error: mode 'health' is not supported" },
	{ .name = "option noticed", "defaults\n  option httplog\n  no option redispatch\n" BE,
	  .notice = "t:3: notice: 'no option redispatch' ignored" },
	{ .name = "option httplog noticed", "defaults\n  option httplog\n" BE,
	  .notice = "t:2: notice: 'option httplog' ignored: xlb works at layer 4" },
	{ .name = "timeouts noticed",
	  "defaults\n  timeout connect 5000ms\n  timeout client 1m\n"
	  "  timeout server 50000\n  timeout tunnel 1h\n" BE,
	  .notice = "t:3: notice: 'timeout client' ignored: xlb uses IPVS-style connection-tracking timeouts" },
	{ .name = "bad timeout value", "defaults\n  timeout connect 5x\n",
	  "t:2: error: timeout connect: invalid time '5x': unknown unit 'x'" },
	{ .name = "timeout without number", "defaults\n  timeout connect ms\n",
	  "t:2: error: timeout connect: invalid time 'ms'" },
	{ .name = "timeout too large", "defaults\n  timeout client 30d\n",
	  "t:2: error: timeout client: time '30d' is too large" },
	{ .name = "unknown timeout", "defaults\n  timeout fast 5s\n",
	  "t:2: error: unknown timeout 'fast'" },
	{ .name = "timeout without value", "defaults\n  timeout connect\n",
	  "t:2: error: 'timeout' needs a name and a time" },
	{ .name = "defaults retries/maxconn/log noticed",
	  "defaults\n  log global\n  retries 3\n  maxconn 100\n" BE,
	  .notice = "t:3: notice: 'retries' ignored" },
	{ .name = "global settings noticed, daemon set",
	  "global\n  log stdout format raw local0\n  daemon\n  maxconn 4096\n"
	  "  user haproxy\n  group haproxy\n  chroot /var/lib/haproxy\n"
	  "  pidfile /run/haproxy.pid\n  nbthread 4\n"
	  "  stats socket /run/haproxy.sock mode 660 level admin\n"
	  "  ca-base /etc/ssl/certs\n  crt-base /etc/ssl/private\n"
	  "  tune.ssl.default-dh-param 2048\n"
	  "  ssl-default-bind-options no-sslv3\n" BE,
	  .notice = "t:2: notice: 'log' ignored:", .check = chk_daemon },
	{ .name = "no daemon", BE, .check = chk_no_daemon },
	{ .name = "bind option ssl", "frontend f\n  bind *:443 ssl crt /x.pem\n",
	  "t:2: error: bind option 'ssl' is not supported (xlb works at layer 4)" },
	{ .name = "use_backend", FE "  use_backend b if { path /x }\n",
	  "t:4: error: 'use_backend' is not supported: layer-7 content switching" },
	{ .name = "acl", FE "  acl is_x path_beg /x\n", "t:4: error: 'acl' is not supported" },
	{ .name = "http-request", BE "  http-request set-header X 1\n",
	  "t:5: error: 'http-request' is not supported" },
	{ .name = "tcp-request", FE "  tcp-request connection reject\n",
	  "t:4: error: 'tcp-request' is not supported" },
	{ .name = "default-server",
	  FE "backend b\n  default-server weight 5 check\n"
	  "  server s1 127.0.0.1:1\n"
	  "  server s2 127.0.0.1:2 weight 2 no-check\n"
	  "  server s3 127.0.0.1:3 disabled\n"
	  "backend c\n  server s1 127.0.0.1:1\n",
	  .check = chk_default_server },
	{ .name = "default-server in defaults",
	  "defaults\n  default-server weight 7 check disabled\n"
	  FE "backend b\n  server s1 127.0.0.1:1 enabled\n",
	  .check = chk_defaults_server },
	{ .name = "default-server bad option", BE "  default-server foo\n",
	  "t:5: error: default-server: unknown server option 'foo'" },
	{ .name = "source",
	  FE "backend b\n  source 10.0.0.9\n  server s1 127.0.0.1:1\n"
	  "backend c\n",
	  .check = chk_source },
	{ .name = "source in defaults", "defaults\n  source 192.168.1.1\n" BE,
	  .check = chk_defaults_source },
	{ .name = "source with port", BE "  source 10.0.0.9:1234\n",
	  "t:5: error: source port in '10.0.0.9:1234' is not supported" },
	{ .name = "source not an address", BE "  source eth0\n",
	  "t:5: error: source 'eth0' is not an IPv4 or IPv6 address" },
	{ .name = "source usesrc", BE "  source 0.0.0.0 usesrc clientip\n",
	  "t:5: error: source option 'usesrc' is not supported" },
	{ .name = "backend without server", BE,
	  .notice = "t:4: notice: backend 'b' has no server" },
	{ .name = "unused backend noticed", BE "  server s 127.0.0.1:1\nbackend c\n",
	  .notice = "t:6: notice: backend 'c' is not used by any frontend" },
	{ .name = "unresolvable server name",
	  BE "  server s1 127.0.0.1:1\n  server s2 nosuchhost.invalid:80 check\n",
	  "t:6: error: cannot resolve 'nosuchhost.invalid': " },
	{ .name = "server by host name", BE "  server s1 localhost:80\n",
	  .check = chk_localhost },
	{ .name = "quotes and escapes", BE "  server \"s1\" '127.0.0.1:81' # x\n"
	  "  server s\\2 127.0.0.1:82 weight '2'\n",
	  .check = chk_quotes },
	{ .name = "unterminated quote", BE "  server \"s1 127.0.0.1:81\n",
	  "t:5: error: missing closing quote" },
};

/* Servers' health-check options, option httpchk, http-check, stats. */
static const struct tcase check_cases[] = {
	{ .name = "check defaults: inter 2000, rise 2, fall 3",
	  BE "  server s1 127.0.0.1:1 check\n  server s2 127.0.0.1:2\n",
	  .check = chk_check_defaults },
	{ .name = "time units",
	  BE "  server s1 127.0.0.1:1 inter 250\n"
	  "  server s2 127.0.0.1:1 inter 250ms\n"
	  "  server s3 127.0.0.1:1 inter 1s\n"
	  "  server s4 127.0.0.1:1 inter 1m\n"
	  "  server s5 127.0.0.1:1 inter 1h\n"
	  "  server s6 127.0.0.1:1 inter 1d\n"
	  "  server s7 127.0.0.1:1 inter 10us\n"
	  "  server s8 127.0.0.1:1 slowstart 10s\n"
	  "  server s9 127.0.0.1:1 slowstart 0\n",
	  .check = chk_time_units },
	{ .name = "fastinter, downinter from inter on one line",
	  BE "  server s1 127.0.0.1:1 check inter 500\n"
	  "  server s2 127.0.0.1:1 check fastinter 100 inter 500\n"
	  "  server s3 127.0.0.1:1 check inter 500 downinter 3s\n"
	  "  server s4 127.0.0.1:1 check fastinter 100\n"
	  "  server s5 127.0.0.1:1 check downinter 7\n",
	  .check = chk_inter_line },
	{ .name = "fastinter, downinter from inter across default-server",
	  FE "backend b\n  default-server inter 500\n"
	  "  server s1 127.0.0.1:1 check\n"
	  "  server s2 127.0.0.1:1 check inter 700\n"
	  "  server s3 127.0.0.1:1 check fastinter 50\n"
	  "backend c\n  default-server fastinter 100\n"
	  "  server s1 127.0.0.1:1 check inter 800\n"
	  "  server s2 127.0.0.1:1 check\n"
	  "backend d\n  server s1 127.0.0.1:1 check\n",
	  .check = chk_inter_default_server },
	{ .name = "fastinter, downinter from inter across defaults",
	  "defaults\n  default-server inter 400 downinter 9s\n"
	  FE "backend b\n  default-server fastinter 20\n"
	  "  server s1 127.0.0.1:1 check inter 800\n"
	  "  server s2 127.0.0.1:1 check\n"
	  "backend c\n  server s1 127.0.0.1:1 check\n"
	  "  server s2 127.0.0.1:1 check inter 60\n"
	  "defaults\nbackend d\n  server s1 127.0.0.1:1 check\n",
	  .check = chk_inter_defaults },
	{ .name = "rise and fall", BE "  server s1 127.0.0.1:1 check rise 1 fall 1\n"
	  "  server s2 127.0.0.1:1 check fall 1 rise 10\n",
	  .check = chk_rise_fall },
	{ .name = "rise 0", BE "  server s1 127.0.0.1:1\n  server s2 127.0.0.1:1 check rise 0\n",
	  "t:6: error: server 's2': rise 0 is out of range 1..1000000000" },
	{ .name = "fall 0", BE "  server s1 127.0.0.1:1 check fall 0\n",
	  "t:5: error: server 's1': fall 0 is out of range 1.." },
	{ .name = "fall not a number", BE "  server s1 127.0.0.1:1 check fall x\n",
	  "t:5: error: server 's1': fall 'x' is not a number" },
	{ .name = "rise 0 in default-server", "defaults\n  default-server rise 0\n",
	  "t:2: error: default-server: rise 0 is out of range 1.." },
	{ .name = "inter 0", BE "  server s1 127.0.0.1:1 check inter 0\n",
	  "t:5: error: server 's1': option 'inter': time '0' must be at least 1ms" },
	{ .name = "bad fastinter unit", BE "  server s1 127.0.0.1:1 fastinter 1y\n",
	  "t:5: error: server 's1': option 'fastinter': invalid time '1y': unknown unit 'y'" },
	{ .name = "downinter without value", BE "  server s1 127.0.0.1:1 downinter\n",
	  "t:5: error: server 's1': option 'downinter' needs a value" },
	{ .name = "slowstart too large", BE "\n  server s1 127.0.0.1:1 slowstart 25d\n",
	  "t:6: error: server 's1': option 'slowstart': time '25d' is too large" },
	{ .name = "maxconn not a number", BE "  server s1 127.0.0.1:1 maxconn -1\n",
	  "t:5: error: server 's1': maxconn '-1' is not a number" },
	{ .name = "addr: literal and name",
	  BE "  server s1 127.0.0.1:1 check addr 192.168.7.7\n"
	  "  server s2 127.0.0.1:2 check addr localhost port 81\n"
	  "  server s3 127.0.0.1:3 check\n",
	  .check = chk_addr },
	{ .name = "addr with a port", BE "  server s1 127.0.0.1:1 addr 10.0.0.1:80\n",
	  "t:5: error: server 's1': option 'addr': '10.0.0.1:80' has a port: give it with 'port'" },
	{ .name = "addr unresolvable", BE "  server s1 127.0.0.1:1 addr nosuchhost.invalid\n",
	  "t:5: error: server 's1': option 'addr': cannot resolve 'nosuchhost.invalid'" },
	{ .name = "on-marked-down unknown action",
	  BE "  server s1 127.0.0.1:1 check on-marked-down mark-backup\n",
	  "t:5: error: server 's1': on-marked-down action 'mark-backup' is not supported (only 'shutdown-sessions')" },
	{ .name = "on-marked-up refused",
	  BE "  server s1 127.0.0.1:1 on-marked-up shutdown-backup-sessions\n",
	  "t:5: error: server 's1': on-marked-up action 'shutdown-backup-sessions' is not supported" },
	{ .name = "on-marked-down without action", BE "  server s1 127.0.0.1:1 on-marked-down\n",
	  "t:5: error: server 's1': option 'on-marked-down' needs a value" },
	{ .name = "options from defaults, overridden on the line",
	  "defaults\n  default-server check backup slowstart 5s maxconn 50 "
	  "on-marked-down shutdown-sessions port 9000 rise 5 fall 6 disabled\n"
	  FE "backend b\n  server s1 127.0.0.1:1 enabled\n"
	  "  server s2 127.0.0.1:2 no-check no-backup maxconn 0 port 9001 enabled\n",
	  .check = chk_opts_inherited },
	/* option httpchk */
	{ .name = "tcp connect check by default", BE "  server s1 127.0.0.1:1 check\n",
	  .check = chk_tcp_default },
	{ .name = "option httpchk forms",
	  FE "backend b\n  option httpchk\n"
	  "backend c\n  option httpchk /health\n"
	  "backend d\n  option httpchk GET /h?x=1\n"
	  "backend e\n  option httpchk HEAD / HTTP/1.1\n"
	  "backend g\n  option httpchk\n  option tcp-check\n",
	  .no_notice = "option", .check = chk_httpchk_forms },
	{ .name = "option httpchk: too many words",
	  BE "  option httpchk GET / HTTP/1.1 extra\n",
	  "t:5: error: option httpchk: unexpected 'extra' after the version" },
	{ .name = "option httpchk: bad version", BE "  option httpchk GET / HTTP/2\n",
	  "t:5: error: option httpchk: invalid version 'HTTP/2' (HTTP/1.0 or HTTP/1.1)" },
	{ .name = "option httpchk: headers after the version",
	  BE "  option httpchk GET / HTTP/1.1\\r\\nHost:\\ www\n",
	  "t:5: error: option httpchk: request headers after the version are not supported" },
	{ .name = "option httpchk: quoted headers after the version",
	  BE "  option httpchk GET / \"HTTP/1.1\\r\\nHost: www\"\n",
	  "t:5: error: option httpchk: request headers after the version are not supported" },
	{ .name = "option httpchk: bad method", BE "  option httpchk \"GE T\" /\n",
	  "t:5: error: option httpchk: invalid method 'GE T'" },
	{ .name = "option httpchk: method too long",
	  BE "  option httpchk ABCDEFGHIJKLMNOP /\n",
	  "t:5: error: option httpchk: invalid method 'ABCDEFGHIJKLMNOP' (a word of at most 15 characters)" },
	{ .name = "option httpchk: bad URI", BE "  option httpchk GET \"/a b\"\n",
	  "t:5: error: option httpchk: invalid URI '/a b'" },
	{ .name = "no option httpchk", BE "  no option httpchk\n",
	  "t:5: error: 'no option httpchk' is not supported" },
	{ .name = "option tcp-check with words", BE "  option tcp-check x\n",
	  "t:5: error: unexpected 'x' after 'option tcp-check'" },
	{ .name = "option httpchk in a frontend", FE "  option httpchk\nbackend b\n",
	  .notice = "t:4: notice: 'option httpchk' ignored: a frontend has no servers to check" },
	{ .name = "other check options noticed", BE "  option mysql-check user x\n",
	  .notice = "t:5: notice: 'option mysql-check' ignored: xlb checks servers with a TCP connect" },
	{ .name = "httpchk, expect and timeout check from defaults",
	  "defaults\n  option httpchk GET /ping\n  http-check expect status 204\n"
	  "  timeout check 3s\n"
	  FE "backend b\n"
	  "backend c\n  option tcp-check\n  timeout check 500\n"
	  "backend d\n  http-check expect string pong\n"
	  "defaults\nbackend e\n",
	  .no_notice = "timeout check", .check = chk_httpchk_inherited },
	/* http-check */
	{ .name = "http-check expect status and string",
	  FE "backend b\n  option httpchk\n  http-check expect status 200\n"
	  "  http-check expect string OK\n"
	  "backend c\n  option httpchk\n  http-check expect status 200\n"
	  "  http-check expect status 503\n"
	  "backend d\n  option httpchk\n  http-check expect string \"all good\"\n"
	  "backend e\n  option httpchk\n  http-check expect string a\\ b\n"
	  "backend g\n  option httpchk\n  http-check expect string 'it'\\''s \"ok\"'\n",
	  .check = chk_expect },
	{ .name = "http-check expect status 99", BE "  http-check expect status 99\n",
	  "t:5: error: http-check expect status '99' is not a status code 100..599" },
	{ .name = "http-check expect status 600", BE "  http-check expect status 600\n",
	  "t:5: error: http-check expect status '600' is not a status code" },
	{ .name = "http-check expect status range", BE "  http-check expect status 200-399\n",
	  "t:5: error: http-check expect status '200-399': lists and ranges are not supported" },
	{ .name = "http-check expect status word", BE "  http-check expect status ok\n",
	  "t:5: error: http-check expect status 'ok' is not a status code" },
	{ .name = "http-check expect status without code", BE "  http-check expect status\n",
	  "t:5: error: 'http-check expect status' needs a value" },
	{ .name = "http-check expect string, two words", BE "  http-check expect string all good\n",
	  "t:5: error: unexpected 'good' after 'http-check expect string all' (quote a text with spaces)" },
	{ .name = "http-check expect string empty", BE "  http-check expect string \"\"\n",
	  "t:5: error: 'http-check expect string' needs a text" },
	{ .name = "http-check expect rstatus", BE "  http-check expect rstatus ^2\n",
	  "t:5: error: 'http-check expect rstatus' is not supported (only 'status N' or 'string TEXT')" },
	{ .name = "http-check expect negated", BE "  http-check expect ! status 500\n",
	  "t:5: error: 'http-check expect !' is not supported" },
	{ .name = "http-check expect alone", BE "  http-check expect\n",
	  "t:5: error: 'http-check expect' needs 'status N' or 'string TEXT'" },
	{ .name = "http-check send", BE "  http-check send meth GET uri /\n",
	  "t:5: error: 'http-check send' is not supported" },
	{ .name = "http-check connect", "defaults\n  http-check connect\n",
	  "t:2: error: 'http-check connect' is not supported" },
	{ .name = "http-check disable-on-404", BE "  http-check disable-on-404\n",
	  "t:5: error: 'http-check disable-on-404' is not supported" },
	{ .name = "http-check alone", BE "  http-check\n",
	  "t:5: error: 'http-check' needs a rule" },
	{ .name = "http-check expect without option httpchk",
	  BE "  server s1 127.0.0.1:1 check\n  http-check expect status 200\n",
	  .notice = "t:6: notice: 'http-check expect' has no effect without 'option httpchk': backend 'b' checks with a TCP connect" },
	/* timeout check */
	{ .name = "bad timeout check", BE "  timeout check 5x\n",
	  "t:5: error: timeout check: invalid time '5x'" },
	{ .name = "timeout check in a frontend", FE "  timeout check 5s\nbackend b\n",
	  .notice = "t:4: notice: 'timeout check' ignored: a frontend has no servers to check" },
	/* stats */
	{ .name = "stats socket default, no metrics", BE, .check = chk_stats_default },
	{ .name = "stats socket and metrics",
	  "global\n  stats socket /run/lb/admin.sock mode 600 level admin expose-fd listeners\n"
	  "  stats metrics *:9100\n  stats timeout 2m\n  stats maxconn 10\n" BE,
	  .notice = "t:2: notice: stats socket options from 'mode' on ignored: xlb's socket is always mode 0600, root only",
	  .check = chk_stats },
	{ .name = "stats timeout noticed", "global\n  stats timeout 2m\n" BE,
	  .notice = "t:2: notice: 'stats timeout' ignored" },
	{ .name = "stats maxconn noticed", "global\n  stats maxconn 10\n" BE,
	  .notice = "t:2: notice: 'stats maxconn' ignored" },
	{ .name = "stats socket unix@, second socket ignored",
	  "global\n  stats socket unix@/tmp/x.sock\n  stats socket /tmp/y.sock\n"
	  "  stats metrics 127.0.0.1:9101\n" BE,
	  .notice = "t:3: notice: 'stats socket /tmp/y.sock' ignored: xlb has one control socket, /tmp/x.sock (line 2)",
	  .no_notice = "t:2:", .check = chk_stats_unix },
	{ .name = "stats metrics empty host", "global\n  stats metrics :9100\n" BE,
	  .check = chk_metrics_empty_host },
	{ .name = "stats socket without path", "global\n  daemon\n  stats socket\n",
	  "t:3: error: 'stats socket' needs a path, e.g. 'stats socket /run/xlb/xlb.sock'" },
	{ .name = "stats socket relative path", "global\n  stats socket xlb.sock\n",
	  "t:2: error: stats socket: 'xlb.sock' is not an absolute path" },
	{ .name = "stats socket TCP address", "global\n  stats socket ipv4@127.0.0.1:9999\n",
	  "t:2: error: stats socket: 'ipv4@127.0.0.1:9999' is not an absolute path" },
	{ .name = "stats socket path too long",
	  "global\n  stats socket /0123456789012345678901234567890123456789"
	  "012345678901234567890123456789012345678901234567890123456789012345678\n",
	  "t:2: error: stats socket: path '/012345678901234567890123456789012345678...' is too long (max 107 characters)" },
	{ .name = "stats metrics host name", "global\n  stats metrics localhost:9100\n",
	  "t:2: error: stats metrics: bind address 'localhost' is not an IPv4 or IPv6 address" },
	{ .name = "stats metrics port 0", "global\n  stats metrics *:0\n",
	  "t:2: error: stats metrics: port 0 is out of range 1..65535" },
	{ .name = "stats metrics port 65536", "global\n  stats metrics 127.0.0.1:65536\n",
	  "t:2: error: stats metrics: port 65536 is out of range 1..65535" },
	{ .name = "stats metrics without port", "global\n  stats metrics 127.0.0.1\n",
	  "t:2: error: stats metrics: missing port in '127.0.0.1'" },
	{ .name = "stats metrics udp", "global\n  stats metrics udp@*:9100\n",
	  "t:2: error: stats metrics: 'udp@*:9100': expected ADDR:PORT" },
	{ .name = "stats metrics without address", "global\n  stats metrics\n",
	  "t:2: error: 'stats metrics' needs one ADDR:PORT" },
	{ .name = "stats metrics twice", "global\n  stats metrics *:9100\n  stats metrics *:9101\n",
	  "t:3: error: 'stats metrics' already given at line 2" },
	{ .name = "stats enable in global", "global\n  stats enable\n",
	  "t:2: error: 'stats enable' is not supported (socket, metrics, timeout or maxconn)" },
	{ .name = "stats alone", "global\n  stats\n",
	  "t:2: error: 'stats' needs a keyword" },
};

/* IPv6: binds, servers, source, check addr, metrics; families kept
 * apart. Backend "b6" (IPv6 servers) starts on line 4 after FE6. */
#define FE6 "frontend f\n    bind :::80\n    default_backend b6\n"
#define BE6 FE6 "backend b6\n"
#define SRV6 "  server s1 [2001:db8::11]:80\n"

static const struct xlb_cfg_bind *bind_of(const struct xlb_config *c, int fe,
					  int i)
{
	return &c->frontends[fe].binds[i];
}

static const char *chk_v6_binds(const struct xlb_config *c)
{
	const struct xlb_cfg_frontend *f = &c->frontends[0];

	EXPECT(f->nbinds == 9);
	/* [2001:db8::1]:80 and 2001:db8::2:81 (the last colon is the port) */
	EXPECT(!f->binds[0].wildcard && is_v6(&f->binds[0].addr, "2001:db8::1"));
	EXPECT(f->binds[0].port == 80 && f->binds[0].proto == IPPROTO_TCP);
	EXPECT(!f->binds[1].wildcard && is_v6(&f->binds[1].addr, "2001:db8::2"));
	EXPECT(f->binds[1].port == 81);
	/* :::82, [::]:83, ipv6@:84: every IPv6 address */
	for (int i = 2; i <= 4; i++) {
		EXPECT(f->binds[i].wildcard);
		EXPECT(f->binds[i].addr.family == AF_INET6);
		EXPECT(f->binds[i].port == 80 + i);
	}
	/* udp6@[fd00::5]:53: ULA, UDP */
	EXPECT(f->binds[5].proto == IPPROTO_UDP && f->binds[5].port == 53);
	EXPECT(is_v6(&f->binds[5].addr, "fd00::5") && !f->binds[5].wildcard);
	/* tcp6@2001:db8::3:85 */
	EXPECT(is_v6(&f->binds[6].addr, "2001:db8::3") && f->binds[6].port == 85);
	/* :86 and ipv4@*:87 stay IPv4 wildcards */
	EXPECT(f->binds[7].wildcard && f->binds[7].addr.family == AF_INET);
	EXPECT(f->binds[8].wildcard && f->binds[8].addr.family == AF_INET);
	EXPECT(f->binds[8].port == 87 && f->binds[8].line == 3);
	return NULL;
}

static const char *chk_v6_servers(const struct xlb_config *c)
{
	const struct xlb_cfg_backend *b = backend_of(c, 0);

	EXPECT(b && b->nservers == 4);
	EXPECT(is_v6(&b->servers[0].addr, "2001:db8::11"));
	EXPECT(b->servers[0].port == 80 && b->servers[0].check);
	EXPECT(!strcmp(b->servers[0].host, "2001:db8::11"));
	EXPECT(is_v6(&b->servers[1].addr, "2001:db8::12"));
	EXPECT(b->servers[1].port == 8080);
	EXPECT(is_v6(&b->servers[2].addr, "2001:db8::13"));
	EXPECT(b->servers[2].port == 80 && b->servers[2].weight == 3);
	EXPECT(is_v6(&b->servers[3].addr, "fd12:3456::14"));
	EXPECT(b->servers[3].line == 9);
	return NULL;
}

static const char *chk_v6_source_addr(const struct xlb_config *c)
{
	const struct xlb_cfg_backend *b = backend_of(c, 0);

	EXPECT(b->has_source && is_v6(&b->source, "2001:db8::9"));
	EXPECT(b->servers[0].chk.has_addr);
	EXPECT(is_v6(&b->servers[0].chk.addr, "2001:db8::5"));
	EXPECT(b->servers[0].chk.port == 8080);
	EXPECT(is_v6(&b->servers[1].chk.addr, "2001:db8::6"));
	EXPECT(is_v4(&b->servers[2].chk.addr, "127.0.0.1"));
	EXPECT(is_v6(&c->backends[1].source, "2001:db8::7"));
	EXPECT(is_v6(&c->backends[2].source, "2001:db8::8"));
	return NULL;
}

static const char *chk_dual(const struct xlb_config *c)
{
	const struct xlb_cfg_backend *b = backend_of(c, 0);

	EXPECT(c->frontends[0].nbinds == 2);
	EXPECT(bind_of(c, 0, 0)->addr.family == AF_INET);
	EXPECT(bind_of(c, 0, 1)->addr.family == AF_INET6);
	EXPECT(b->nservers == 3);
	EXPECT(is_v4(&b->servers[0].addr, "10.0.0.11"));
	EXPECT(is_v6(&b->servers[1].addr, "2001:db8::11"));
	return NULL;
}

static const char *chk_v4v6(const struct xlb_config *c)
{
	const struct xlb_cfg_frontend *f = &c->frontends[0];

	EXPECT(f->nbinds == 3);
	EXPECT(f->binds[0].wildcard && f->binds[0].addr.family == AF_INET6);
	EXPECT(f->binds[1].wildcard && f->binds[1].addr.family == AF_INET);
	EXPECT(f->binds[1].port == 80 && f->binds[1].line == 2);
	EXPECT(is_v6(&f->binds[2].addr, "2001:db8::1"));
	return NULL;
}

static const char *chk_metrics_v6(const struct xlb_config *c)
{
	EXPECT(!strcmp(c->metrics, "[::1]:9100"));
	return NULL;
}

static const struct tcase v6_cases[] = {
	{ .name = "IPv6 binds: brackets, last colon, wildcards, prefixes",
	  "frontend f\n"
	  "  bind [2001:db8::1]:80,2001:db8::2:81,:::82,[::]:83,ipv6@:84\n"
	  "  bind udp6@[fd00::5]:53,tcp6@2001:db8::3:85,:86,ipv4@*:87\n"
	  "  default_backend b\n"
	  "backend b\n  server s4 10.0.0.1:80\n  server s6 [2001:db8::11]:80\n",
	  .check = chk_v6_binds },
	{ .name = "IPv6 servers: brackets, last colon, ipv6@, ULA",
	  BE6 "  server s1 [2001:db8::11]:80 check\n"
	  "  server s2 2001:db8::12:8080\n"
	  "  server s3 ipv6@[2001:db8::13]:80 weight 3\n"
	  "\n  server s4 fd12:3456::14:80\n",
	  .no_notice = "has 0", .check = chk_v6_servers },
	{ .name = "IPv6 source, check addr, defaults",
	  "defaults\n  source [2001:db8::8]\n"
	  FE6 "backend b6\n  source 2001:db8::9\n"
	  "  server s1 [2001:db8::11]:80 check addr 2001:db8::5 port 8080\n"
	  "  server s2 [2001:db8::12]:80 check addr [2001:db8::6]\n"
	  "  server s3 [2001:db8::13]:80 check addr ipv4@localhost\n"
	  "backend c\n  source ipv6@2001:db8::7\n"
	  "backend d\n",
	  .check = chk_v6_source_addr },
	{ .name = "IPv4 and IPv6 side by side, one backend",
	  "frontend f\n  bind *:80\n  bind :::80\n  default_backend b\n"
	  "backend b\n  balance leastconn\n  server a 10.0.0.11:80\n"
	  "  server b [2001:db8::11]:80\n  server c 10.0.0.12:80\n",
	  .notice = "t:5: notice: backend 'b' has 2 IPv4 and 1 IPv6 servers: IPv4 binds use the IPv4 ones, IPv6 binds the IPv6 ones (xlb does not translate between IPv4 and IPv6)",
	  .check = chk_dual },
	{ .name = "one family: no mixing notice",
	  BE6 SRV6, .no_notice = "IPv4 and" },
	{ .name = "source of one family in a mixed backend noticed",
	  "frontend f\n  bind *:80\n  bind :::80\n  default_backend b\n"
	  "backend b\n  source 10.0.0.1\n  server a 10.0.0.11:80\n" SRV6,
	  .notice = "t:5: notice: backend 'b': source 10.0.0.1 applies to its IPv4 servers only; the others use the source address of their route" },
	{ .name = "IPv6 bind, empty backend: a notice, no error",
	  BE6, .notice = "t:4: notice: backend 'b6' has no server" },
	{ .name = "bind :::80 v4v6 is both wildcards; v6only is the default",
	  "frontend f\n  bind :::80 v4v6\n  bind [2001:db8::1]:81 v6only\n"
	  "  default_backend b\nbackend b\n  server a 10.0.0.11:80\n" SRV6,
	  .check = chk_v4v6 },
	{ .name = "bind v4v6 and *:80 clash",
	  "frontend f\n  bind *:80\n  bind :::80 v4v6\n",
	  "t:3: error: bind *:80 already used by frontend 'f' (line 2)" },
	{ .name = "bind v4v6, IPv6 servers only",
	  "frontend f\n  bind :::80 v4v6\n  default_backend b6\nbackend b6\n" SRV6,
	  "t:2: error: bind *:80 of 'f' is IPv4, but backend 'b6' has no IPv4 server" },
	{ .name = "IPv6 and IPv4 wildcards on one port do not clash",
	  "frontend f\n  bind :80,:::80\n  default_backend b\n"
	  "backend b\n  server a 10.0.0.11:80\n" SRV6 },
	{ .name = "duplicate IPv6 wildcard bind",
	  "frontend f\n  bind :::80\n  bind [::]:80\n",
	  "t:3: error: bind [::]:80 already used by frontend 'f' (line 2)" },
	{ .name = "duplicate IPv6 bind, two spellings",
	  "frontend f\n  bind [2001:db8::1]:80,2001:db8:0::1:80\n",
	  "t:2: error: bind [2001:db8::1]:80 already used by frontend 'f' (line 2)" },
	{ .name = "stats metrics on IPv6", "global\n  stats metrics [::1]:9100\n" BE6 SRV6,
	  .check = chk_metrics_v6 },
	{ .name = "stats metrics on the IPv6 wildcard", "global\n  stats metrics :::9100\n" BE6 SRV6 },
	/* families apart */
	{ .name = "IPv6 bind, IPv4 servers",
	  "frontend f\n  bind *:80\n  bind :::80\n  default_backend b\n"
	  "backend b\n  server a 10.0.0.11:80\n",
	  "t:3: error: bind [::]:80 of 'f' is IPv6, but backend 'b' has no IPv6 server: xlb does not translate between IPv4 and IPv6" },
	{ .name = "explicit IPv6 bind in a listen, IPv4 servers",
	  "listen web\n  bind 10.0.0.1:80,[2001:db8::1]:443\n  server a 10.0.0.11:80\n",
	  "t:2: error: bind [2001:db8::1]:443 of 'web' is IPv6, but backend 'web' has no IPv6 server" },
	{ .name = "udp IPv4 bind, IPv6 servers",
	  "frontend f\n  bind udp@:53\n  default_backend b6\nbackend b6\n"
	  "  server s1 [2001:db8::11]:53\n",
	  "t:2: error: bind udp@*:53 of 'f' is IPv4, but backend 'b6' has no IPv4 server" },
	/* bad binds */
	{ .name = "bind: bad IPv6", "frontend f\n  bind [2001:db8::zz]:80\n",
	  "t:2: error: bind address '2001:db8::zz' is not an IPv4 or IPv6 address (or '*')" },
	{ .name = "bind: IPv6 without a port", "frontend f\n  bind [2001:db8::1]\n",
	  "t:2: error: missing port in '[2001:db8::1]' (expected [ADDRESS]:PORT)" },
	{ .name = "bind: bare IPv6 reads its last group as the port",
	  "frontend f\n  bind 2001:db8::1\n",
	  "t:2: error: missing port in '2001:db8::1' (an IPv6 address with a port is written [2001:db8::1]:PORT)" },
	{ .name = "bind: missing ]", "frontend f\n  bind [2001:db8::1:80\n",
	  "t:2: error: missing ']' in '[2001:db8::1:80'" },
	{ .name = "bind: junk after ]", "frontend f\n  bind [2001:db8::1]80\n",
	  "t:2: error: unexpected '80' after ']' in '[2001:db8::1]80'" },
	{ .name = "bind: IPv6 port 0", "frontend f\n  bind [::]:0\n",
	  "t:2: error: port 0 is out of range 1..65535 in '[::]:0'" },
	{ .name = "bind: ipv4@ with an IPv6 address", "frontend f\n  bind ipv4@[2001:db8::1]:80\n",
	  "t:2: error: bind address '2001:db8::1' is not an IPv4 address (ipv4@)" },
	{ .name = "bind: ipv6@ with an IPv4 address", "frontend f\n  bind ipv6@10.0.0.1:80\n",
	  "t:2: error: bind address '10.0.0.1' is not an IPv6 address (ipv6@)" },
	{ .name = "bind: link-local", "frontend f\n  bind [fe80::1]:80\n",
	  "t:2: error: bind address 'fe80::1' is link-local" },
	{ .name = "bind: IPv4-mapped", "frontend f\n  bind [::ffff:10.0.0.1]:80\n",
	  "t:2: error: bind address '::ffff:10.0.0.1' is an IPv4-mapped IPv6 address: write 10.0.0.1" },
	{ .name = "bind: zone", "frontend f\n  bind [fe80::1%eth0]:80\n",
	  "t:2: error: bind address 'fe80::1%eth0' is not an IPv4 or IPv6 address" },
	/* bad servers */
	{ .name = "server: bad IPv6", BE6 "  server s1 2001:db8::zz:80\n",
	  "t:5: error: server address '2001:db8::zz:80' is not an IPv4 or IPv6 address" },
	{ .name = "server: bad IPv6 in brackets", BE6 "  server s1 [2001:db8::zz]:80\n",
	  "t:5: error: server address '[2001:db8::zz]:80' is not an IPv4 or IPv6 address" },
	{ .name = "server: IPv6 without a port", BE6 "  server s1 2001:db8::11\n",
	  "t:5: error: missing port in '2001:db8::11' (an IPv6 address with a port is written [2001:db8::11]:PORT)" },
	{ .name = "server: bracketed IPv6 without a port", BE6 "  server s1 [2001:db8::11]\n",
	  "t:5: error: missing port in '[2001:db8::11]'" },
	{ .name = "server: IPv6 port out of range", BE6 "  server s1 [2001:db8::11]:65536\n",
	  "t:5: error: port 65536 is out of range 1..65535 in '[2001:db8::11]:65536'" },
	{ .name = "server: link-local", BE6 "  server s1 [fe80::11]:80\n",
	  "t:5: error: server address '[fe80::11]:80' is link-local: xlb routes with bpf_fib_lookup(), which takes no link-local address (use a global or ULA one)" },
	{ .name = "server: IPv4-mapped", BE6 "  server s1 [::ffff:10.0.0.2]:80\n",
	  "t:5: error: server address '[::ffff:10.0.0.2]:80' is an IPv4-mapped IPv6 address: write 10.0.0.2" },
	{ .name = "server: unspecified", BE6 "  server s1 [::]:80\n",
	  "t:5: error: server address '[::]:80' is unspecified" },
	{ .name = "server: ipv6@ with an IPv4 address", BE6 "  server s1 ipv6@10.0.0.2:80\n",
	  "t:5: error: '10.0.0.2' is not an IPv6 address" },
	{ .name = "server: ipv4@ with an IPv6 address", BE "  server s1 ipv4@[2001:db8::1]:80\n",
	  "t:5: error: '2001:db8::1' is not an IPv4 address" },
	{ .name = "server: other prefix", BE6 "  server s1 unix@/x:80\n",
	  "t:5: error: server address 'unix@/x:80' is not supported" },
	/* bad source and check addr */
	{ .name = "source: bad IPv6", BE6 "  source 2001:db8::zz\n",
	  "t:5: error: source '2001:db8::zz' is not an IPv4 or IPv6 address" },
	{ .name = "source: IPv6 with a port", BE6 "  source [2001:db8::9]:1234\n",
	  "t:5: error: source port in '[2001:db8::9]:1234' is not supported (use 'source ADDR')" },
	{ .name = "source: link-local", BE6 "  source fe80::9\n",
	  "t:5: error: source 'fe80::9' is link-local" },
	{ .name = "source: ipv6@ with IPv4", BE6 "  source ipv6@10.0.0.9\n",
	  "t:5: error: source 'ipv6@10.0.0.9' is not an IPv6 address" },
	{ .name = "addr: IPv6 with a port", BE6 "  server s1 [2001:db8::11]:80 addr [2001:db8::5]:80\n",
	  "t:5: error: server 's1': option 'addr': '[2001:db8::5]:80' has a port: give it with 'port'" },
	{ .name = "addr: bad IPv6", BE6 "  server s1 [2001:db8::11]:80 addr 2001:db8::zz\n",
	  "t:5: error: server 's1': option 'addr': '2001:db8::zz' is not an IPv4 or IPv6 address" },
	{ .name = "addr: link-local", BE6 "  server s1 [2001:db8::11]:80 addr fe80::5\n",
	  "t:5: error: server 's1': option 'addr': 'fe80::5' is link-local" },
	{ .name = "stats metrics: IPv6 without a port", "global\n  stats metrics [::1]\n",
	  "t:2: error: stats metrics: missing port in '[::1]'" },
};

/* Parse text as file "t"; the caller frees *err and *note. */
static int parse(const char *text, char **err, char **note)
{
	size_t elen, nlen;
	FILE *e = open_memstream(err, &elen);
	FILE *n = open_memstream(note, &nlen);
	int ret;

	if (!e || !n) {
		perror("open_memstream");
		exit(2);
	}
	ret = xlb_config_parse("t", text, cfg, e, n);
	fclose(e);
	fclose(n);
	return ret;
}

static void fail(const char *name, const char *why, const char *err,
		 const char *note)
{
	failed++;
	fprintf(stderr, "FAIL %s: %s\n", name, why);
	if (err && *err)
		fprintf(stderr, "  error output: %s", err);
	if (note && *note)
		fprintf(stderr, "  notices:\n%s", note);
}

static void run_case(const struct tcase *t)
{
	char *err = NULL, *note = NULL, why[512];
	int ret = parse(t->text, &err, &note);
	const char *bad = NULL;

	if (!t->err && ret)
		snprintf(why, sizeof(why), "expected success, got %d", ret);
	else if (!t->err && *err)
		snprintf(why, sizeof(why), "success but error output");
	else if (t->err && ret != -EINVAL)
		snprintf(why, sizeof(why), "expected -EINVAL, got %d", ret);
	else if (t->err && !strstr(err, t->err))
		snprintf(why, sizeof(why), "error does not contain \"%s\"",
			 t->err);
	else if (t->err && (strncmp(err, "t:", 2) ||
			    strchr(err, '\n') != err + strlen(err) - 1))
		snprintf(why, sizeof(why), "error is not one \"t:LINE:\" line");
	else if (t->notice && !strstr(note, t->notice))
		snprintf(why, sizeof(why), "notices do not contain \"%s\"",
			 t->notice);
	else if (t->no_notice && strstr(note, t->no_notice))
		snprintf(why, sizeof(why), "notices contain \"%s\"",
			 t->no_notice);
	else if (!t->err && t->check && (bad = t->check(cfg)))
		snprintf(why, sizeof(why), "check failed: %s", bad);
	else
		why[0] = '\0';
	if (why[0])
		fail(t->name, why, err, note);
	else
		passed++;
	free(err);
	free(note);
}

/* A name's IPv6 address with ipv6@: localhost's ::1 where the hosts file
 * has it, else a plain error. */
static void run_v6_names(void)
{
	struct addrinfo hints = { .ai_family = AF_INET6 }, *res;
	bool has6 = getaddrinfo("localhost", NULL, &hints, &res) == 0;
	char *err = NULL, *note = NULL;
	int ret;

	if (has6)
		freeaddrinfo(res);
	ret = parse(BE6 "  server s1 ipv6@localhost:80\n", &err, &note);
	if (has6 ? ret || !is_v6(&cfg->backends[0].servers[0].addr, "::1") :
		   ret != -EINVAL ||
		   !strstr(err, "t:5: error: 'localhost' has no IPv6 address"))
		fail("server ipv6@localhost", has6 ? "expected ::1" :
		     "expected 'has no IPv6 address'", err, note);
	else
		passed++;
	free(err);
	free(note);
	/* without a prefix a name gives its IPv4 address, as HAProxy's libc
	 * resolution */
	ret = parse(BE "  server s1 localhost:80\n", &err, &note);
	if (ret || !is_v4(&cfg->backends[0].servers[0].addr, "127.0.0.1"))
		fail("server name prefers IPv4", "expected 127.0.0.1", err,
		     note);
	else
		passed++;
	free(err);
	free(note);
}

/* Generated texts: one past each limit of config.h. */
static void run_limits(void)
{
	size_t cap = 1 << 20;
	char *text = malloc(cap);
	struct tcase t = { 0 };
	char expect[128];
	int n, i;

	if (!text)
		exit(2);
	n = snprintf(text, cap, "frontend f\n  bind *:1");
	for (i = 2; i <= XLB_CFG_MAX_BINDS + 1; i++)
		n += snprintf(text + n, cap - n, ",*:%d", i);
	snprintf(text + n, cap - n, "\n");
	t = (struct tcase){ .name = "too many binds", text,
			    "t:2: error: too many bind addresses in 'f' (max 16)" };
	run_case(&t);

	n = snprintf(text, cap, BE);
	for (i = 1; i <= XLB_CFG_MAX_SERVERS + 1; i++)
		n += snprintf(text + n, cap - n, "  server s%d 127.0.0.1:%d\n",
			      i, i);
	snprintf(expect, sizeof(expect), "t:%d: error: too many servers in 'b' (max %d)",
		 XLB_CFG_MAX_SERVERS + 5, XLB_CFG_MAX_SERVERS);
	t = (struct tcase){ .name = "too many servers", text, expect };
	run_case(&t);

	n = snprintf(text, cap, FE);
	for (i = 0; i <= XLB_CFG_MAX_BACKENDS; i++)
		n += snprintf(text + n, cap - n, "backend b%d\n", i);
	snprintf(expect, sizeof(expect), "t:%d: error: too many backend and listen sections (max %d)",
		 XLB_CFG_MAX_BACKENDS + 4, XLB_CFG_MAX_BACKENDS);
	t = (struct tcase){ .name = "too many backends", text, expect };
	run_case(&t);

	n = 0;
	for (i = 0; i <= XLB_CFG_MAX_FRONTENDS; i++)
		n += snprintf(text + n, cap - n, "frontend f%d\n", i);
	snprintf(expect, sizeof(expect), "t:%d: error: too many frontend and listen sections (max %d)",
		 XLB_CFG_MAX_FRONTENDS + 1, XLB_CFG_MAX_FRONTENDS);
	t = (struct tcase){ .name = "too many frontends", text, expect };
	run_case(&t);

	memset(text, 'x', 5000);
	text[5000] = '\0';
	t = (struct tcase){ .name = "line too long", text, "t:1: error: line too long" };
	run_case(&t);
	free(text);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &cap, '\0', f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* Replace every "appN:" with "127.0.0.1:" (the names resolve only in the
 * compose network). */
static char *substitute_apps(const char *text)
{
	char *out = malloc(strlen(text) * 3 + 1), *o = out;

	if (!out)
		exit(2);
	while (*text) {
		if (!strncmp(text, "app", 3) && text[3] >= '1' &&
		    text[3] <= '9' && text[4] == ':') {
			o += sprintf(o, "127.0.0.1:");
			text += 5;
		} else {
			*o++ = *text++;
		}
	}
	*o = '\0';
	return out;
}

static const char *chk_tutorial(const struct xlb_config *c)
{
	const struct xlb_cfg_frontend *f = &c->frontends[0];
	const struct xlb_cfg_backend *b = backend_of(c, 0);

	EXPECT(c->nfrontends == 1 && c->nbackends == 1 && c->daemon);
	EXPECT(!strcmp(f->name, "http_front") && f->nbinds == 1);
	EXPECT(f->binds[0].wildcard && f->binds[0].port == 80);
	EXPECT(f->binds[0].proto == IPPROTO_TCP);
	EXPECT(b && !strcmp(b->name, "servers"));
	EXPECT(b->algo == XLB_CFG_LEASTCONN && b->nservers == 3);
	for (int i = 0; i < 3; i++) {
		EXPECT(b->servers[i].check && b->servers[i].weight == 1);
		EXPECT(!b->servers[i].disabled);
		EXPECT(b->servers[i].port == 5001 + i);
		EXPECT(is_v4(&b->servers[i].addr, "127.0.0.1"));
		EXPECT(b->servers[i].line == 20 + i);
	}
	return NULL;
}

static void run_tutorial(const char *root)
{
	static const char expect_print[] =
		"frontend http_front: tcp *:80 -> backend servers (leastconn)\n"
		"  server server1 127.0.0.1:5001 weight 1 check inter 2000 rise 2 fall 3\n"
		"  server server2 127.0.0.1:5002 weight 1 check inter 2000 rise 2 fall 3\n"
		"  server server3 127.0.0.1:5003 weight 1 check inter 2000 rise 2 fall 3\n"
		"  check: tcp connect\n";
	char path[2048], expect[4096], *text, *out = NULL, *err, *note;
	struct addrinfo hints = { .ai_family = AF_INET }, *res;
	struct tcase t = { .name = "tutorial haproxy.cfg, app names -> 127.0.0.1" };
	size_t len;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/compose/haproxy.cfg", root);
	text = read_all(path);
	if (!text) {
		fail(t.name, "cannot read compose/haproxy.cfg (run from the repository root)",
		     NULL, NULL);
		return;
	}
	t.text = substitute_apps(text);
	t.notice = "t:7: notice: xlb works at layer 4: 'mode http' treated as 'mode tcp'";
	t.check = chk_tutorial;
	run_case(&t);

	/* the listing of the resolved services */
	ret = parse(t.text, &err, &note);
	f = open_memstream(&out, &len);
	xlb_config_print(cfg, f);
	fclose(f);
	if (ret || strcmp(out, expect_print))
		fail("tutorial print", "xlb_config_print output differs", out,
		     NULL);
	else
		passed++;
	free(out);
	free(err);
	free(note);
	free((char *)t.text);

	/* verbatim, through xlb_config_load: app1 resolves in compose only */
	if (getaddrinfo("app1", NULL, &hints, &res) == 0) {
		freeaddrinfo(res);
		expect[0] = '\0';
	} else {
		snprintf(expect, sizeof(expect),
			 "%s:20: error: cannot resolve 'app1': ", path);
	}
	f = open_memstream(&err, &len);
	ret = xlb_config_load(path, cfg, f, NULL);
	fclose(f);
	if (expect[0] ? ret != -EINVAL || !strstr(err, expect) :
			ret || strcmp(cfg->path, path))
		fail("tutorial haproxy.cfg verbatim",
		     expect[0] ? "expected 'cannot resolve' at line 20" :
				 "expected to load", err, NULL);
	else
		passed++;
	free(err);
	free(text);
}

static void run_load_missing(void)
{
	char *err;
	size_t len;
	FILE *f = open_memstream(&err, &len);
	int ret = xlb_config_load("/nonexistent/xlb.cfg", cfg, f, NULL);

	fclose(f);
	if (ret != -ENOENT ||
	    strcmp(err, "/nonexistent/xlb.cfg: cannot read: No such file or directory\n"))
		fail("load of a missing file", "expected -ENOENT and 'cannot read'",
		     err, NULL);
	else
		passed++;
	free(err);
}

static const struct {
	const char *name, *text, *expect;
} prints[] = {
	{ "print",
	  "frontend f\n  bind 10.0.0.1:80,udp@*:53\n  default_backend b\n"
	  "backend b\n  balance roundrobin\n  source 10.0.0.1\n"
	  "  server s1 127.0.0.1:8080 weight 0 disabled check\n"
	  "backend spare\n",
	  "frontend f: tcp 10.0.0.1:80, udp *:53 -> backend b (roundrobin)\n"
	  "  server s1 127.0.0.1:8080 weight 0 check inter 2000 rise 2 fall 3 disabled\n"
	  "  check: tcp connect\n"
	  "  source 10.0.0.1\n"
	  "backend spare (roundrobin): not used by any frontend\n"
	  "  no server: connections are refused\n" },
	{ "print: server options, http check",
	  FE "backend b\n  balance leastconn\n"
	  "  option httpchk\n  http-check expect status 200\n"
	  "  server s1 10.0.0.2:80 check backup slowstart 10s\n"
	  "  server s2 10.0.0.3:80 weight 3 check inter 1s fastinter 200 "
	  "downinter 5s rise 1 fall 2 port 8080 addr 10.0.0.9 maxconn 100 "
	  "on-marked-down shutdown-sessions\n"
	  "  server s3 10.0.0.4:80 backup inter 3s\n",
	  "frontend f: tcp *:80 -> backend b (leastconn)\n"
	  "  server s1 10.0.0.2:80 weight 1 check inter 2000 rise 2 fall 3 backup slowstart 10000\n"
	  "  server s2 10.0.0.3:80 weight 3 check inter 1000 fastinter 200 downinter 5000 rise 1 fall 2 port 8080 addr 10.0.0.9 maxconn 100 on-marked-down shutdown-sessions\n"
	  "  server s3 10.0.0.4:80 weight 1 backup\n"
	  "  check: http OPTIONS / expect status 200\n" },
	{ "print: http check with version, string, timeout",
	  FE "backend b\n  option httpchk GET /health HTTP/1.1\n"
	  "  http-check expect string \"up and \\\"ok\\\"\"\n  timeout check 3s\n"
	  "  server s1 10.0.0.2:80 check\n",
	  "frontend f: tcp *:80 -> backend b (roundrobin)\n"
	  "  server s1 10.0.0.2:80 weight 1 check inter 2000 rise 2 fall 3\n"
	  "  check: http GET /health HTTP/1.1 expect string \"up and \\\"ok\\\"\" timeout 3000\n" },
	{ "print: http check, 2xx/3xx; no check line without check",
	  FE "backend b\n  option httpchk /\n  server s1 10.0.0.2:80 check\n"
	  "backend c\n  option httpchk\n  server s1 10.0.0.2:80\n",
	  "frontend f: tcp *:80 -> backend b (roundrobin)\n"
	  "  server s1 10.0.0.2:80 weight 1 check inter 2000 rise 2 fall 3\n"
	  "  check: http OPTIONS / expect 2xx/3xx\n"
	  "backend c (roundrobin): not used by any frontend\n"
	  "  server s1 10.0.0.2:80 weight 1\n" },
	{ "print: IPv6 binds, servers, check addr, source",
	  "frontend f\n  bind [2001:db8::1]:80,:::443,udp6@:53,*:80\n"
	  "  default_backend b\n"
	  "backend b\n  balance leastconn\n  source 2001:db8::9\n"
	  "  server s1 2001:db8::11:8080 check addr 2001:db8::5 port 81\n"
	  "  server s2 10.0.0.2:80\n",
	  "frontend f: tcp [2001:db8::1]:80, tcp [::]:443, udp [::]:53, tcp *:80 -> backend b (leastconn)\n"
	  "  server s1 [2001:db8::11]:8080 weight 1 check inter 2000 rise 2 fall 3 port 81 addr 2001:db8::5\n"
	  "  server s2 10.0.0.2:80 weight 1\n"
	  "  check: tcp connect\n"
	  "  source 2001:db8::9\n" },
};

static void run_print(void)
{
	for (size_t i = 0; i < sizeof(prints) / sizeof(prints[0]); i++) {
		char *out = NULL;
		size_t len;
		FILE *f;

		/* NULL err and notice streams must be accepted */
		if (xlb_config_parse("t", prints[i].text, cfg, NULL, NULL)) {
			fail(prints[i].name, "parse failed", NULL, NULL);
			continue;
		}
		f = open_memstream(&out, &len);
		xlb_config_print(cfg, f);
		fclose(f);
		if (strcmp(out, prints[i].expect))
			fail(prints[i].name, "xlb_config_print output differs",
			     out, NULL);
		else
			passed++;
		free(out);
	}
}

static bool same_checks(const struct xlb_cfg_backend *a,
			const struct xlb_cfg_backend *b)
{
	const struct xlb_cfg_check *x = &a->servers[0].chk;
	const struct xlb_cfg_check *y = &b->servers[0].chk;
	const struct xlb_cfg_httpchk *g = &a->http, *h = &b->http;

	return a->servers[0].check == b->servers[0].check &&
	       x->inter_ms == y->inter_ms && x->fastinter_ms == y->fastinter_ms &&
	       x->downinter_ms == y->downinter_ms && x->rise == y->rise &&
	       x->fall == y->fall && g->enabled == h->enabled &&
	       !strcmp(g->method, h->method) && !strcmp(g->uri, h->uri) &&
	       !strcmp(g->version, h->version) &&
	       g->expect_status == h->expect_status &&
	       !strcmp(g->expect_string, h->expect_string) &&
	       a->timeout_check_ms == b->timeout_check_ms;
}

/* What is printed parses back to the same checks (prints[2]: a quoted
 * expect string). */
static void run_print_reparse(void)
{
	static const char head[] = FE "backend b\n";
	struct xlb_config *again = malloc(sizeof(*again));
	char *out = NULL, *text, *line, *save;
	size_t len, n = sizeof(head) - 1;
	FILE *f;
	const char *why = NULL;

	if (!again || xlb_config_parse("t", prints[2].text, cfg, NULL, NULL))
		exit(2);
	f = open_memstream(&out, &len);
	xlb_config_print(cfg, f);
	fclose(f);
	text = malloc(n + len * 2 + 64);
	if (!text)
		exit(2);
	memcpy(text, head, n);
	/* "  server ..." lines as they are; "  check: http M U V expect
	 * string S timeout T" back into directives */
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "  server ", 9)) {
			n += (size_t)sprintf(text + n, "%s\n", line);
		} else if (!strncmp(line, "  check: http ", 14)) {
			char *ex = strstr(line, " expect string "), *to;

			to = strstr(line, " timeout ");
			*ex = *to = '\0';
			n += (size_t)sprintf(text + n,
					     "  option httpchk %s\n  http-check expect string %s\n  timeout check %s\n",
					     line + 14, ex + 15, to + 9);
		}
	}
	text[n] = '\0';
	if (xlb_config_parse("t", text, again, NULL, NULL))
		why = "printed settings do not parse";
	else if (!same_checks(&again->backends[0], &cfg->backends[0]))
		why = "printed settings parse to different values";
	if (why)
		fail("print parses back", why, text, NULL);
	else
		passed++;
	free(text);
	free(out);
	free(again);
}

/* balance random / random(N): HAProxy's N draws, the least loaded kept. */
static const char *chk_draws(const struct xlb_config *c, uint32_t n)
{
	EXPECT(c->backends[0].algo == XLB_CFG_RANDOM);
	EXPECT(c->backends[0].draws == n);
	return NULL;
}

static const char *chk_random(const struct xlb_config *c)
{
	return chk_draws(c, 2);
}

static const char *chk_random1(const struct xlb_config *c)
{
	return chk_draws(c, 1);
}

static const char *chk_random8(const struct xlb_config *c)
{
	return chk_draws(c, 8);
}

static const char *chk_random3(const struct xlb_config *c)
{
	return chk_draws(c, 3);
}

static const char *chk_random_replaced(const struct xlb_config *c)
{
	EXPECT(c->backends[0].algo == XLB_CFG_LEASTCONN);
	EXPECT(c->backends[0].draws == 0);
	return NULL;
}

/* `xlb check` shows it as written. */
static const char *chk_random_print(const struct xlb_config *c)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	bool ok;

	EXPECT(f);
	xlb_config_print(c, f);
	fclose(f);
	ok = out && strstr(out, "-> backend b (random(4))");
	free(out);
	EXPECT(ok);
	return NULL;
}

static const struct tcase random_cases[] = {
	{ .name = "balance random: 2 draws", BE "  balance random\n",
	  .check = chk_random },
	{ .name = "balance random(1): weighted random",
	  BE "  balance random(1)\n", .check = chk_random1 },
	{ .name = "balance random(8)", BE "  balance random(8)\n",
	  .check = chk_random8 },
	{ .name = "balance random(N) in defaults, inherited with its N",
	  "defaults\n  balance random(3)\n" BE "  server s 127.0.0.1:1\n",
	  .check = chk_random3 },
	{ .name = "a backend's own balance replaces random(N)",
	  "defaults\n  balance random(3)\n" BE "  balance leastconn\n",
	  .check = chk_random_replaced },
	{ .name = "balance random(4) printed as written",
	  BE "  balance random(4)\n  server s 127.0.0.1:1\n",
	  .check = chk_random_print },
	{ .name = "balance random(0) refused", BE "  balance random(0)\n",
	  "t:5: error: 'balance random(0)': draws must be a number from 1 to 8" },
	{ .name = "balance random(9) refused", BE "  balance random(9)\n",
	  "t:5: error: 'balance random(9)': draws must be" },
	{ .name = "balance random() refused", BE "  balance random()\n",
	  "t:5: error: 'balance random()': draws must be" },
	{ .name = "balance random(2 refused", BE "  balance random(2\n",
	  "t:5: error: 'balance random(2': draws must be" },
	{ .name = "balance random(x) refused", BE "  balance random(x)\n",
	  "t:5: error: 'balance random(x)': draws must be" },
	{ .name = "balance random(-1) refused", BE "  balance random(-1)\n",
	  "t:5: error: 'balance random(-1)': draws must be" },
	{ .name = "balance random(2) then a word", BE "  balance random(2) x\n",
	  "t:5: error: unexpected 'x' after 'balance random(2)'" },
	{ .name = "balance randomly refused", BE "  balance randomly\n",
	  "t:5: error: balance algorithm 'randomly' is not supported" },
};

int main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : ".";

	cfg = malloc(sizeof(*cfg));
	if (!cfg) {
		fprintf(stderr, "config: cannot allocate %zu bytes\n",
			sizeof(*cfg));
		return 2;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	for (size_t i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++)
		run_case(&check_cases[i]);
	for (size_t i = 0; i < sizeof(v6_cases) / sizeof(v6_cases[0]); i++)
		run_case(&v6_cases[i]);
	run_v6_names();
	for (size_t i = 0; i < sizeof(random_cases) / sizeof(random_cases[0]); i++)
		run_case(&random_cases[i]);
	run_limits();
	run_tutorial(root);
	run_load_missing();
	run_print();
	run_print_reparse();
	free(cfg);
	printf("config: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
