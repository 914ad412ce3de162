// SPDX-License-Identifier: GPL-2.0
/* `show servers state` in HAProxy's format (version 1), `show info`, and
 * the proxies' numbering (`iid`) that `show stat` shares. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ctl_int.h"
#include "xlb_stats.h"

static void proxy_add(struct proxies *px, struct proxy p)
{
	int k = px->n++;

	for (; k > 0 && px->p[k - 1].line > p.line; k--)
		px->p[k] = px->p[k - 1];
	px->p[k] = p;
}

static bool is_listen(const struct xlb_config *cfg, int fe, int be)
{
	return !strcmp(cfg->frontends[fe].name, cfg->backends[be].name) &&
	       cfg->frontends[fe].line == cfg->backends[be].line;
}

void xlb_ctl_proxies_of(const struct xlb_config *cfg, struct proxies *px)
{
	int i, j;

	px->n = 0;
	for (i = 0; i < cfg->nfrontends; i++) {
		struct proxy p = { .fe = i, .be = -1,
				   .line = cfg->frontends[i].line };

		for (j = 0; j < cfg->nbackends; j++)
			if (is_listen(cfg, i, j))
				p.be = j;
		proxy_add(px, p);
	}
	for (j = 0; j < cfg->nbackends; j++) {
		for (i = 0; i < cfg->nfrontends; i++)
			if (is_listen(cfg, i, j))
				break;
		if (i == cfg->nfrontends)
			proxy_add(px, (struct proxy){ .fe = -1, .be = j,
					.line = cfg->backends[j].line });
	}
}

int xlb_ctl_backend_iid(const struct proxies *px, int be)
{
	int k;

	for (k = 0; k < px->n; k++)
		if (px->p[k].be == be)
			return k + 1;
	return 0;
}

/* ---- show servers state ---- */

/* HAProxy's enum healthcheck_status numbers. */
static int check_status_num(const struct xlb_srv *s)
{
	static const struct { const char *st; int n; } nums[] = {
		{ "", 1 }, { "INI", 1 }, { "SOCKERR", 5 }, { "L4OK", 6 },
		{ "L4TOUT", 7 }, { "L4CON", 8 }, { "L7TOUT", 12 },
		{ "L7RSP", 13 }, { "L7OK", 15 }, { "L7OKC", 16 },
		{ "L7STS", 17 },
	};
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (!strcmp(nums[i].st, s->check_status))
			return nums[i].n;
	return 0;
}

/* CHK_RES_UNKNOWN 0, FAILED 2, PASSED 3. */
static int check_result(const struct xlb_srv *s)
{
	size_t n = strlen(s->check_status);

	if (!s->cfg.check || !n || !strcmp(s->check_status, "INI"))
		return 0;
	return n >= 2 && !strcmp(s->check_status + n - 2, "OK") ? 3 : 2;
}

/* CHK_ST_CONFIGURED 0x2, CHK_ST_ENABLED 0x4, CHK_ST_PAUSED 0x8. */
static int check_state(const struct xlb_srv *s)
{
	int st = 0;

	if (!s->cfg.check)
		return 0;
	st = 0x2;
	if (!s->check_disabled) {
		st |= 0x4;
		if (s->admin == XLB_ADMIN_MAINT)
			st |= 0x8;
	}
	return st;
}

static void server_state_row(FILE *out, int be_id, const char *be,
			     const struct xlb_agent *a, const struct xlb_srv *s,
			     time_t now)
{
	char ip[XLB_ADDR_STRLEN], caddr[XLB_ADDR_STRLEN] = "-";
	struct xlb_cfg_addr lit;
	const char *fqdn = "-";

	/* Addresses plain, IPv6 too: the line is space-separated. */
	xlb_addr_str(&s->cfg.addr, ip, sizeof(ip));
	if (s->cfg.chk.has_addr)
		xlb_addr_str(&s->cfg.chk.addr, caddr, sizeof(caddr));
	if (s->cfg.host[0] && !xlb_addr_parse(s->cfg.host, &lit))
		fqdn = s->cfg.host;
	fprintf(out, "%d %s %u %s %s %d %d %u %u %llu %d %d %d %d 0 0 0 %s %u "
		"- 0 %u %s - 0\n", be_id, be, xlb_srv_id(a, s) + 1, s->cfg.name,
		ip, xlb_srv_available(s) ? 2 : 0,
		s->admin == XLB_ADMIN_MAINT ? 1 :
		s->admin == XLB_ADMIN_DRAIN ? 8 : 0,
		s->weight, s->cfg.weight,
		xlb_ctl_since(s->lastchg, now),
		check_status_num(s), check_result(s), s->health, check_state(s),
		fqdn, s->cfg.port, s->cfg.chk.port, caddr);
}

void xlb_ctl_show_servers_state(struct ctl_req *r, int argc, char **argv)
{
	const struct xlb_config *cfg = r->a->cfg;
	time_t now = time(NULL);
	struct proxies *px;
	int only = -1, k, j;

	if (argc > 3) {
		only = xlb_ctl_backend(r->a, argv[3]);
		if (only < 0) {
			fprintf(r->out, "Can't find backend.\n");
			return;
		}
	}
	px = malloc(sizeof(*px));
	if (!px)
		return;
	xlb_ctl_proxies_of(cfg, px);
	fprintf(r->out, "1\n# be_id be_name srv_id srv_name srv_addr "
		"srv_op_state srv_admin_state srv_uweight srv_iweight "
		"srv_time_since_last_change srv_check_status srv_check_result "
		"srv_check_health srv_check_state srv_agent_state "
		"bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord "
		"srv_use_ssl srv_check_port srv_check_addr srv_agent_addr "
		"srv_agent_port\n");
	for (k = 0; k < px->n; k++) {
		int i = px->p[k].be;
		const struct xlb_cfg_backend *b;

		if (i < 0 || (only >= 0 && i != only))
			continue;
		b = &cfg->backends[i];
		for (j = 0; j < b->nservers; j++) {
			struct xlb_srv *s = xlb_srv_find(r->a, b->name,
							 b->servers[j].name);

			if (s)
				server_state_row(r->out, xlb_ctl_backend_iid(px, i),
						 b->name, r->a, s, now);
		}
	}
	free(px);
}

/* ---- show info ---- */

void xlb_ctl_show_info(struct ctl_req *r, int argc, char **argv)
{
	struct xlb_agent *a = r->a;
	long long up = (long long)(time(NULL) - a->started);
	uint64_t cum = 0, rate = 0;
	int64_t cur = 0;
	struct xlb_traffic t;
	struct counters c;
	uint32_t id;

	xlb_ctl_counters_open(a, &c);
	for (id = 0; id < XLB_MAX_BACKENDS; id++)
		if (a->srv[id].in_use)
			cur += xlb_ctl_active(a, &a->srv[id]);
	for (id = 0; id < XLB_MAX_SERVICES; id++) {
		if (!a->svc_name[id][0])
			continue;
		xlb_ctl_traffic(&c, c.sfd, id, &t);
		cum += t.new_flows;
		rate += r->smp->svc[id].rate;
	}
	xlb_ctl_counters_close(&c);
	if (up < 0)
		up = 0;
	fprintf(r->out, "Name: xlb\nPid: %d\n"
		"Uptime: %lldd %lldh%02lldm%02llds\nUptime_sec: %lld\n"
		"CurrConns: %lld\nCumConns: %llu\nConnRate: %llu\n"
		"MaxConnRate: %u\nStopping: %d\n", getpid(),
		up / 86400, up % 86400 / 3600, up % 3600 / 60, up % 60, up,
		(long long)cur, (unsigned long long)cum,
		(unsigned long long)rate, r->smp->conn_rate_max, a->stop);
}
