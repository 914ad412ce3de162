// SPDX-License-Identifier: GPL-2.0
/* `xlb check` and `xlb run` show the services a configuration resolved to. */
#include <string.h>

#include "config.h"
#include "config_values.h"

/* As written in the file: `random(N)` with its N. */
static const char *algo_name(const struct xlb_cfg_backend *be, char *buf,
			     size_t len)
{
	if (be->algo == XLB_CFG_RANDOM) {
		snprintf(buf, len, "random(%u)", be->draws);
		return buf;
	}
	return be->algo == XLB_CFG_ROUNDROBIN ? "roundrobin" : "leastconn";
}

/* A word the configuration splitter reads back: quoted when needed. */
static void print_word(const char *w, FILE *out)
{
	if (*w && !strpbrk(w, " \t\r\n\"'#\\")) {
		fputs(w, out);
		return;
	}
	fputc('"', out);
	for (; *w; w++) {
		if (*w == '"' || *w == '\\')
			fputc('\\', out);
		if (*w == '\r' || *w == '\n' || *w == '\t')
			fprintf(out, "\\%c", *w == '\r' ? 'r' :
				*w == '\n' ? 'n' : 't');
		else
			fputc(*w, out);
	}
	fputc('"', out);
}

/* Non-default settings only, besides check's inter, rise and fall. */
static void print_server(const struct xlb_cfg_server *s, FILE *out)
{
	const struct xlb_cfg_check *c = &s->chk;
	char a[XLB_HOSTPORT_STRLEN];

	fprintf(out, "  server %s %s weight %u", s->name,
		xlb_hostport_str(&s->addr, s->port, a, sizeof(a)), s->weight);
	if (s->check) {
		fprintf(out, " check inter %u", c->inter_ms);
		if (c->fastinter_ms != c->inter_ms)
			fprintf(out, " fastinter %u", c->fastinter_ms);
		if (c->downinter_ms != c->inter_ms)
			fprintf(out, " downinter %u", c->downinter_ms);
		fprintf(out, " rise %u fall %u", c->rise, c->fall);
		if (c->port)
			fprintf(out, " port %u", c->port);
		if (c->has_addr)
			fprintf(out, " addr %s",
				xlb_addr_str(&c->addr, a, sizeof(a)));
	}
	if (s->backup)
		fprintf(out, " backup");
	if (s->slowstart_ms)
		fprintf(out, " slowstart %u", s->slowstart_ms);
	if (s->maxconn)
		fprintf(out, " maxconn %u", s->maxconn);
	if (s->shutdown_sessions)
		fprintf(out, " on-marked-down shutdown-sessions");
	fprintf(out, "%s\n", s->disabled ? " disabled" : "");
}

/* How the servers with `check` are checked. */
static void print_check(const struct xlb_cfg_backend *be, FILE *out)
{
	const struct xlb_cfg_httpchk *h = &be->http;

	if (!h->enabled) {
		fprintf(out, "  check: tcp connect");
	} else {
		fprintf(out, "  check: http %s %s", h->method, h->uri);
		if (strcmp(h->version, "HTTP/1.0"))
			fprintf(out, " %s", h->version);
		if (h->expect_status)
			fprintf(out, " expect status %d", h->expect_status);
		if (h->expect_string[0]) {
			fprintf(out, " expect string ");
			print_word(h->expect_string, out);
		}
		if (!h->expect_status && !h->expect_string[0])
			fprintf(out, " expect 2xx/3xx");
	}
	if (be->timeout_check_ms)
		fprintf(out, " timeout %u", be->timeout_check_ms);
	fputc('\n', out);
}

static void print_servers(const struct xlb_cfg_backend *be, FILE *out)
{
	char a[XLB_ADDR_STRLEN];
	bool check = false;

	for (int i = 0; i < be->nservers; i++) {
		print_server(&be->servers[i], out);
		check |= be->servers[i].check;
	}
	if (!be->nservers)
		fprintf(out, "  no server: connections are refused\n");
	if (check)
		print_check(be, out);
	if (be->has_source)
		fprintf(out, "  source %s\n",
			xlb_addr_str(&be->source, a, sizeof(a)));
}

void xlb_config_print(const struct xlb_config *cfg, FILE *out)
{
	bool used[XLB_CFG_MAX_BACKENDS] = { false };
	char buf[64], algo[16];

	for (int i = 0; i < cfg->nfrontends; i++) {
		const struct xlb_cfg_frontend *fe = &cfg->frontends[i];

		fprintf(out, "frontend %s:", fe->name);
		for (int j = 0; j < fe->nbinds; j++) {
			const struct xlb_cfg_bind *b = &fe->binds[j];
			struct xlb_cfg_bind tcp = *b;

			/* the protocol is printed as a word, not udp@ */
			tcp.proto = IPPROTO_TCP;
			xlb_format_bind(&tcp, buf, sizeof(buf));
			fprintf(out, "%s %s %s", j ? "," : "",
				b->proto == IPPROTO_UDP ? "udp" : "tcp", buf);
		}
		if (fe->backend < 0 || fe->backend >= cfg->nbackends) {
			fprintf(out, " -> no backend\n");
			continue;
		}
		used[fe->backend] = true;
		fprintf(out, " -> backend %s (%s)\n",
			cfg->backends[fe->backend].name,
			algo_name(&cfg->backends[fe->backend], algo, sizeof(algo)));
		print_servers(&cfg->backends[fe->backend], out);
	}
	for (int i = 0; i < cfg->nbackends; i++) {
		if (used[i])
			continue;
		fprintf(out, "backend %s (%s): not used by any frontend\n",
			cfg->backends[i].name,
			algo_name(&cfg->backends[i], algo, sizeof(algo)));
		print_servers(&cfg->backends[i], out);
	}
}
