// SPDX-License-Identifier: GPL-2.0
/* What GET /metrics answers: HAProxy's exporter names with an xlb_ prefix.
 * Read at scrape time, in O(servers + frontends): states, weights and check
 * counters from the agent's memory, active counts and per-CPU traffic from
 * the maps. The flow table is never walked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "agent.h"
#include "metrics_text.h"
#include "reasons.h"
#include "xlb_backend.h"
#include "xlb_stats.h"

_Static_assert(sizeof(struct xlb_traffic) % 8 == 0, "per-CPU stride");

void xlb_mbuf_printf(struct xlb_mbuf *b, const char *fmt, ...)
{
	size_t need, cap;
	va_list ap;
	char *p;
	int n;

	while (!b->oom) {
		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, b->cap - b->len, fmt,
			      ap);
		va_end(ap);
		if (n < 0)
			break;
		if ((size_t)n < b->cap - b->len) {
			b->len += n;
			return;
		}
		need = b->len + n + 1;
		if (b->max && need > b->max)
			break;
		for (cap = b->cap ? b->cap : 4096; cap < need; cap *= 2)
			;
		if (b->max && cap > b->max)
			cap = b->max;
		p = realloc(b->p, cap);
		if (!p)
			break;
		b->p = p;
		b->cap = cap;
	}
	b->oom = true;
}

void xlb_mbuf_free(struct xlb_mbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = false;
}

/* A server as one scrape sees it. */
struct snap_srv {
	const struct xlb_srv *s;
	int pool;		/* index in cfg->backends; nbackends if none */
	int64_t active;
	int64_t half_open;	/* of active, TCP handshakes not completed */
	struct xlb_traffic t;
	const char *state;	/* xlb_state_word() */
};

struct snap {
	struct xlb_agent *a;
	time_t now;
	int ncpu;
	void *pcpu;		/* one per-CPU lookup */
	struct snap_srv *srv;
	int nsrv;
};

struct mdef {
	const char *name, *type, *help;
};

static void family(struct xlb_mbuf *b, const struct mdef *d)
{
	xlb_mbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", d->name, d->help,
			d->name, d->type);
}

/* A label value: backslash, double quote and line feed escaped. */
static void label(struct xlb_mbuf *b, const char *name, const char *v,
		  size_t max)
{
	size_t i, from = 0;

	xlb_mbuf_printf(b, "%s=\"", name);
	for (i = 0; i < max && v[i]; i++) {
		if (v[i] != '\\' && v[i] != '"' && v[i] != '\n')
			continue;
		xlb_mbuf_printf(b, "%.*s\\%c", (int)(i - from), v + from,
				v[i] == '\n' ? 'n' : v[i]);
		from = i + 1;
	}
	xlb_mbuf_printf(b, "%.*s\"", (int)(i - from), v + from);
}

/* Adds id's counters, summed over CPUs, to *out. */
static void traffic_add(const struct snap *sn, int fd, uint32_t id,
			struct xlb_traffic *out)
{
	const struct xlb_traffic *v = sn->pcpu;
	int c;

	if (fd < 0 || !sn->ncpu || bpf_map_lookup_elem(fd, &id, sn->pcpu))
		return;
	for (c = 0; c < sn->ncpu; c++) {
		out->packets += v[c].packets;
		out->bytes += v[c].bytes;
		out->reply_packets += v[c].reply_packets;
		out->reply_bytes += v[c].reply_bytes;
		out->new_flows += v[c].new_flows;
	}
}

static uint64_t reason_sum(const struct snap *sn, int fd, uint32_t r)
{
	const uint64_t *v = sn->pcpu;
	uint64_t sum = 0;
	int c;

	if (fd < 0 || !sn->ncpu || bpf_map_lookup_elem(fd, &r, sn->pcpu))
		return 0;
	for (c = 0; c < sn->ncpu; c++)
		sum += v[c];
	return sum;
}

static int srv_cmp(const void *x, const void *y)
{
	const struct snap_srv *p = x, *q = y;

	if (p->pool != q->pool)
		return p->pool - q->pool;
	return p->s < q->s ? -1 : p->s > q->s;
}

static int pool_of(const struct xlb_config *cfg, const char *backend)
{
	int i;

	for (i = 0; i < cfg->nbackends; i++)
		if (!strcmp(cfg->backends[i].name, backend))
			return i;
	return cfg->nbackends;
}

/* Every server in use, by backend in configuration order, then by id. */
static void snap_servers(struct snap *sn)
{
	struct xlb_agent *a = sn->a;
	int cfd = xlb_loader_map_fd(a->l, "backend_conns");
	int sfd = xlb_loader_map_fd(a->l, "backend_stats");
	struct xlb_backend_conns c;
	int i;

	for (i = 0; i < XLB_MAX_BACKENDS; i++) {
		const struct xlb_srv *s = &a->srv[i];
		struct snap_srv *x = &sn->srv[sn->nsrv];
		uint32_t id = i;

		if (!s->in_use)
			continue;
		x->s = s;
		x->pool = pool_of(a->cfg, s->backend);
		if (cfd < 0 || bpf_map_lookup_elem(cfd, &id, &c))
			memset(&c, 0, sizeof(c));
		x->active = c.active;
		x->half_open = c.half_open;
		memset(&x->t, 0, sizeof(x->t));
		traffic_add(sn, sfd, id, &x->t);
		x->state = xlb_state_word(s->admin, s->cfg.check, s->up,
					  s->weight);
		sn->nsrv++;
	}
	qsort(sn->srv, sn->nsrv, sizeof(*sn->srv), srv_cmp);
}

enum {
	SM_CUR, SM_HALF, SM_MAX, SM_TOT, SM_WEIGHT, SM_BIN, SM_BOUT, SM_PIN, SM_POUT,
	SM_CHKFAIL, SM_CHKDOWN, SM_LASTCHG, SM_DOWNTIME, SM_CHKDUR, SM_NR
};

static const struct mdef srv_defs[SM_NR] = {
	[SM_CUR] = { "xlb_server_current_sessions", "gauge",
		"Connections the server holds now (flows counted from their "
		"first SYN until closed or expired)." },
	[SM_HALF] = { "xlb_server_half_open_sessions", "gauge",
		"Of current_sessions, the TCP connections whose handshake has "
		"not completed yet (SYN_SENT, SYN_RECV)." },
	[SM_MAX] = { "xlb_server_max_sessions", "gauge",
		"Highest number of connections the server held at once "
		"(sampled by the agent every 100 ms)." },
	[SM_TOT] = { "xlb_server_sessions_total", "counter",
		"Connections (new flows) sent to the server." },
	[SM_WEIGHT] = { "xlb_server_weight", "gauge",
		"Runtime weight of the server (0 to 256; 0 takes no new "
		"connections)." },
	[SM_BIN] = { "xlb_server_bytes_in_total", "counter",
		"Bytes (IP packets) forwarded to the server." },
	[SM_BOUT] = { "xlb_server_bytes_out_total", "counter",
		"Bytes (IP packets) forwarded from the server to clients." },
	[SM_PIN] = { "xlb_server_packets_in_total", "counter",
		"Packets forwarded to the server." },
	[SM_POUT] = { "xlb_server_packets_out_total", "counter",
		"Packets forwarded from the server to clients." },
	[SM_CHKFAIL] = { "xlb_server_check_failures_total", "counter",
		"Failed health checks." },
	[SM_CHKDOWN] = { "xlb_server_check_up_down_total", "counter",
		"UP to DOWN transitions caused by health checks." },
	[SM_LASTCHG] = { "xlb_server_last_status_change_seconds", "gauge",
		"Seconds since the server's last change of state." },
	[SM_DOWNTIME] = { "xlb_server_downtime_seconds_total", "counter",
		"Total time the server was DOWN, in seconds." },
	[SM_CHKDUR] = { "xlb_server_check_last_duration_seconds", "gauge",
		"Duration of the last health check, in seconds (servers with "
		"checks only)." },
};

static const struct mdef srv_status_def = { "xlb_server_status", "gauge",
	"Current state of the server: 1 for its state (UP, DOWN, MAINT, DRAIN, "
	"NOLB), 0 for the others." };

static long long since(time_t now, time_t t)
{
	return t && now > t ? (long long)(now - t) : 0;
}

/* The value of metric m for one server, or false if it has none. */
static bool srv_value(const struct snap *sn, const struct snap_srv *x, int m,
		      char *v, size_t len)
{
	const struct xlb_srv *s = x->s;
	unsigned long long u;

	switch (m) {
	case SM_CUR:
		snprintf(v, len, "%lld", (long long)x->active);
		return true;
	case SM_HALF:
		snprintf(v, len, "%lld", (long long)x->half_open);
		return true;
	case SM_MAX:
		snprintf(v, len, "%lld", (long long)(s->smax > x->active ?
						     s->smax : x->active));
		return true;
	case SM_WEIGHT:
		u = s->weight;
		break;
	case SM_TOT:
		u = x->t.new_flows;
		break;
	case SM_BIN:
		u = x->t.bytes;
		break;
	case SM_BOUT:
		u = x->t.reply_bytes;
		break;
	case SM_PIN:
		u = x->t.packets;
		break;
	case SM_POUT:
		u = x->t.reply_packets;
		break;
	case SM_CHKFAIL:
		u = s->chkfail;
		break;
	case SM_CHKDOWN:
		u = s->chkdown;
		break;
	case SM_LASTCHG:
		u = since(sn->now, s->lastchg);
		break;
	case SM_DOWNTIME:
		u = s->downtime_s + since(sn->now, s->down_since);
		break;
	case SM_CHKDUR:
		if (!s->cfg.check)
			return false;
		snprintf(v, len, "%u.%03u", s->check_duration_ms / 1000,
			 s->check_duration_ms % 1000);
		return true;
	default:
		return false;
	}
	snprintf(v, len, "%llu", u);
	return true;
}

static void srv_labels(struct xlb_mbuf *b, const char *name,
		       const struct snap_srv *x)
{
	xlb_mbuf_printf(b, "%s{", name);
	label(b, "proxy", x->s->backend, sizeof(x->s->backend));
	xlb_mbuf_printf(b, ",");
	label(b, "server", x->s->cfg.name, sizeof(x->s->cfg.name));
}

static void render_servers(const struct snap *sn, struct xlb_mbuf *b)
{
	static const char *const states[] = { "UP", "DOWN", "MAINT", "DRAIN",
					      "NOLB" };
	char v[48];
	bool head;
	size_t k;
	int m, i;

	family(b, &srv_status_def);
	for (i = 0; i < sn->nsrv; i++)
		for (k = 0; k < sizeof(states) / sizeof(states[0]); k++) {
			srv_labels(b, srv_status_def.name, &sn->srv[i]);
			xlb_mbuf_printf(b, ",state=\"%s\"} %d\n", states[k],
					!strcmp(states[k], sn->srv[i].state));
		}
	for (m = 0; m < SM_NR; m++) {
		/* A family without samples is left out. */
		head = false;
		for (i = 0; i < sn->nsrv; i++) {
			if (!srv_value(sn, &sn->srv[i], m, v, sizeof(v)))
				continue;
			if (!head)
				family(b, &srv_defs[m]);
			head = true;
			srv_labels(b, srv_defs[m].name, &sn->srv[i]);
			xlb_mbuf_printf(b, "} %s\n", v);
		}
	}
}

enum { BM_ACT, BM_BCK, BM_CUR, BM_TOT, BM_NR };

static const struct mdef be_defs[BM_NR] = {
	[BM_ACT] = { "xlb_backend_active_servers", "gauge",
		"Active (non-backup) servers taking new connections: UP, not "
		"draining." },
	[BM_BCK] = { "xlb_backend_backup_servers", "gauge",
		"Backup servers taking new connections: UP, not draining." },
	[BM_CUR] = { "xlb_backend_current_sessions", "gauge",
		"Connections the backend's servers hold now." },
	[BM_TOT] = { "xlb_backend_sessions_total", "counter",
		"Connections sent to the backend's current servers." },
};

static void render_backends(const struct snap *sn, struct xlb_mbuf *b)
{
	const struct xlb_config *cfg = sn->a->cfg;
	long long (*v)[BM_NR] = calloc(cfg->nbackends + 1, sizeof(*v));
	int m, i;

	if (!v) {
		b->oom = true;
		return;
	}
	for (i = 0; i < sn->nsrv; i++) {
		const struct snap_srv *x = &sn->srv[i];
		bool up = !strcmp(x->state, "UP");

		v[x->pool][x->s->cfg.backup ? BM_BCK : BM_ACT] += up;
		v[x->pool][BM_CUR] += x->active;
		v[x->pool][BM_TOT] += x->t.new_flows;
	}
	for (m = 0; m < BM_NR; m++) {
		family(b, &be_defs[m]);
		for (i = 0; i < cfg->nbackends; i++) {
			xlb_mbuf_printf(b, "%s{", be_defs[m].name);
			label(b, "proxy", cfg->backends[i].name,
			      sizeof(cfg->backends[i].name));
			xlb_mbuf_printf(b, "} %lld\n", v[i][m]);
		}
	}
	free(v);
}

enum { FM_TOT, FM_BIN, FM_BOUT, FM_PIN, FM_POUT, FM_NR };

static const struct mdef fe_defs[FM_NR] = {
	[FM_TOT] = { "xlb_frontend_sessions_total", "counter",
		"Connections (new flows) the frontend balanced." },
	[FM_BIN] = { "xlb_frontend_bytes_in_total", "counter",
		"Bytes (IP packets) received from clients and forwarded." },
	[FM_BOUT] = { "xlb_frontend_bytes_out_total", "counter",
		"Bytes (IP packets) forwarded back to clients." },
	[FM_PIN] = { "xlb_frontend_packets_in_total", "counter",
		"Packets received from clients and forwarded." },
	[FM_POUT] = { "xlb_frontend_packets_out_total", "counter",
		"Packets forwarded back to clients." },
};

static void render_frontends(const struct snap *sn, struct xlb_mbuf *b)
{
	const struct xlb_config *cfg = sn->a->cfg;
	int fd = xlb_loader_map_fd(sn->a->l, "svc_stats");
	int n = cfg->nfrontends, m, i;
	struct xlb_traffic *t = calloc(n ? n : 1, sizeof(*t));
	unsigned long long v;

	if (!t) {
		b->oom = true;
		return;
	}
	/* A frontend's IPv4 and IPv6 binds are a service each (agent.h). */
	for (i = 0; i < n; i++)
		for (m = 0; m < 2; m++)
			if (sn->a->svc_id[i][m] < XLB_MAX_SERVICES)
				traffic_add(sn, fd, sn->a->svc_id[i][m],
					    &t[i]);
	for (m = 0; m < FM_NR; m++) {
		family(b, &fe_defs[m]);
		for (i = 0; i < n; i++) {
			v = m == FM_TOT ? t[i].new_flows :
			    m == FM_BIN ? t[i].bytes :
			    m == FM_BOUT ? t[i].reply_bytes :
			    m == FM_PIN ? t[i].packets : t[i].reply_packets;
			xlb_mbuf_printf(b, "%s{", fe_defs[m].name);
			label(b, "proxy", cfg->frontends[i].name,
			      sizeof(cfg->frontends[i].name));
			xlb_mbuf_printf(b, "} %llu\n", v);
		}
	}
	free(t);
}

static const struct mdef dp_packets = { "xlb_datapath_packets_total",
	"counter", "Packets seen by the XDP program, by what it did with them "
	"(forward_*, pass_*, drop_*, tx_rst_*)." };
static const struct mdef dp_events = { "xlb_datapath_flow_events_total",
	"counter", "Flow events in the data path and the expiry: created, "
	"closed (FIN both ways or RST), recycled (a closed flow's source port "
	"reused), expired (idle past its timeout while open); an ICMP error "
	"about a flow translated (flow_icmp_error), a fragmented datagram of a "
	"flow remembered (flow_frag_first) and its later fragments sent on "
	"(flow_frag_follow)." };
static const struct mdef start_def = { "xlb_agent_start_time_seconds",
	"gauge", "Start time of the agent, seconds since the Unix epoch." };

static void render_datapath(const struct snap *sn, struct xlb_mbuf *b)
{
	int fd = xlb_loader_map_fd(sn->a->l, "reasons");
	uint64_t v[XLB_R_MAX];
	char buf[16];
	int pass, r;

	for (r = 0; r < XLB_R_MAX; r++)
		v[r] = reason_sum(sn, fd, r);
	for (pass = 0; pass < 2; pass++) {
		family(b, pass ? &dp_events : &dp_packets);
		for (r = 0; r < XLB_R_MAX; r++)
			if (xlb_reason_is_event(r) == pass)
				xlb_mbuf_printf(b, "%s{%s=\"%s\"} %llu\n",
						pass ? dp_events.name :
						       dp_packets.name,
						pass ? "event" : "reason",
						xlb_reason_name(r, buf),
						(unsigned long long)v[r]);
	}
	family(b, &start_def);
	xlb_mbuf_printf(b, "%s %lld\n", start_def.name,
			(long long)sn->a->started);
}

void xlb_metrics_render(struct xlb_agent *a, struct xlb_mbuf *b)
{
	struct snap sn = { .a = a, .now = time(NULL) };
	int ncpu = libbpf_num_possible_cpus();

	sn.ncpu = ncpu > 0 ? ncpu : 0;
	sn.pcpu = calloc(sn.ncpu ? sn.ncpu : 1, sizeof(struct xlb_traffic));
	sn.srv = calloc(XLB_MAX_BACKENDS, sizeof(*sn.srv));
	if (!sn.pcpu || !sn.srv || !a->cfg) {
		b->oom = true;
		goto out;
	}
	snap_servers(&sn);
	render_servers(&sn, b);
	render_backends(&sn, b);
	render_frontends(&sn, b);
	render_datapath(&sn, b);
out:
	free(sn.pcpu);
	free(sn.srv);
}
