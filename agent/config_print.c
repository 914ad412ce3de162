// SPDX-License-Identifier: GPL-2.0
/* `xlb check` and `xlb run` show the services a configuration resolved to. */
#include <arpa/inet.h>

#include "config.h"
#include "config_values.h"

static const char *algo_name(enum xlb_algo_cfg algo)
{
	return algo == XLB_CFG_ROUNDROBIN ? "roundrobin" : "leastconn";
}

static void print_servers(const struct xlb_cfg_backend *be, FILE *out)
{
	char a[INET_ADDRSTRLEN];

	for (int i = 0; i < be->nservers; i++) {
		const struct xlb_cfg_server *s = &be->servers[i];

		inet_ntop(AF_INET, &s->addr.v4, a, sizeof(a));
		fprintf(out, "  server %s %s:%u weight %u%s%s\n", s->name, a,
			s->port, s->weight, s->check ? " check" : "",
			s->disabled ? " disabled" : "");
	}
	if (!be->nservers)
		fprintf(out, "  no server: connections are refused\n");
	if (be->has_source) {
		inet_ntop(AF_INET, &be->source.v4, a, sizeof(a));
		fprintf(out, "  source %s\n", a);
	}
}

void xlb_config_print(const struct xlb_config *cfg, FILE *out)
{
	bool used[XLB_CFG_MAX_BACKENDS] = { false };
	char buf[64];

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
			algo_name(cfg->backends[fe->backend].algo));
		print_servers(&cfg->backends[fe->backend], out);
	}
	for (int i = 0; i < cfg->nbackends; i++) {
		if (used[i])
			continue;
		fprintf(out, "backend %s (%s): not used by any frontend\n",
			cfg->backends[i].name,
			algo_name(cfg->backends[i].algo));
		print_servers(&cfg->backends[i], out);
	}
}
