// SPDX-License-Identifier: GPL-2.0
/* `show stat` in HAProxy 2.6's CSV (its standard fields, in its order). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ctl_int.h"
#include "xlb_stats.h"

/* HAProxy 2.6's standard fields; the per-module ones after "-" (ssl, h1,
 * h2) are left out. */
#define STAT_FIELDS(X) \
	X(pxname) X(svname) X(qcur) X(qmax) X(scur) X(smax) X(slim) X(stot) \
	X(bin) X(bout) X(dreq) X(dresp) X(ereq) X(econ) X(eresp) X(wretr) \
	X(wredis) X(status) X(weight) X(act) X(bck) X(chkfail) X(chkdown) \
	X(lastchg) X(downtime) X(qlimit) X(pid) X(iid) X(sid) X(throttle) \
	X(lbtot) X(tracked) X(type) X(rate) X(rate_lim) X(rate_max) \
	X(check_status) X(check_code) X(check_duration) X(hrsp_1xx) \
	X(hrsp_2xx) X(hrsp_3xx) X(hrsp_4xx) X(hrsp_5xx) X(hrsp_other) \
	X(hanafail) X(req_rate) X(req_rate_max) X(req_tot) X(cli_abrt) \
	X(srv_abrt) X(comp_in) X(comp_out) X(comp_byp) X(comp_rsp) \
	X(lastsess) X(last_chk) X(last_agt) X(qtime) X(ctime) X(rtime) \
	X(ttime) X(agent_status) X(agent_code) X(agent_duration) \
	X(check_desc) X(agent_desc) X(check_rise) X(check_fall) \
	X(check_health) X(agent_rise) X(agent_fall) X(agent_health) X(addr) \
	X(cookie) X(mode) X(algo) X(conn_rate) X(conn_rate_max) X(conn_tot) \
	X(intercepted) X(dcon) X(dses) X(wrew) X(connect) X(reuse) \
	X(cache_lookups) X(cache_hits) X(srv_icur) X(src_ilim) X(qtime_max) \
	X(ctime_max) X(rtime_max) X(ttime_max) X(eint) X(idle_conn_cur) \
	X(safe_conn_cur) X(used_conn_cur) X(need_conn_est) X(uweight) \
	X(agg_server_status) X(agg_server_check_status) X(agg_check_status)

#define AS_ENUM(f) F_##f,
#define AS_NAME(f) #f,
enum { STAT_FIELDS(AS_ENUM) F_NR };
static const char *const field_names[F_NR] = { STAT_FIELDS(AS_NAME) };

/* HAProxy's `type` field. */
enum { T_FRONTEND = 0, T_BACKEND = 1, T_SERVER = 2 };

/* ---- show stat ---- */

struct row {
	const char *v[F_NR];
	char buf[4096];
	size_t used;
};

static void __attribute__((format(printf, 3, 4)))
set(struct row *r, int f, const char *fmt, ...)
{
	size_t room = sizeof(r->buf) - r->used;
	va_list ap;
	int n;

	if (room < 2)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->used, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	r->v[f] = r->buf + r->used;
	r->used += ((size_t)n < room ? (size_t)n : room - 1) + 1;
}

static void setu(struct row *r, int f, unsigned long long v)
{
	set(r, f, "%llu", v);
}

/* A CSV field: quoted (quotes doubled) when it holds a comma or a quote,
 * line breaks turned into spaces. */
static void csv_put(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s == '\r' || *s == '\n' ? ' ' : *s, out);
	}
	fputc('"', out);
}

static void row_emit(FILE *out, const struct row *r)
{
	int i;

	for (i = 0; i < F_NR; i++) {
		if (r->v[i])
			csv_put(out, r->v[i]);
		fputc(',', out);
	}
	fputc('\n', out);
}

/* What a BACKEND row (and its frontends) sums over its servers. */
struct be_sum {
	int64_t scur;
	uint64_t stot, bin, bout;
	uint32_t rate;
	uint32_t wact, wbck;	/* weights of usable servers */
	int act, bck;
};

/* `show stat` arguments: no-maint, up, and "<proxy|iid> <type> <sid>". */
struct stat_filter {
	bool no_maint, up;
	const char *proxy;	/* NULL = all; a name, or an iid */
	int types;		/* 1 frontend | 2 backend | 4 server */
	long sid;		/* -1 = all */
};

struct stat_ctx {
	struct xlb_agent *a;
	struct ctl_sampler *smp;
	struct counters c;
	const struct stat_filter *flt;
	time_t now;
	uint64_t now_ms;
	FILE *out;
};

static bool proxy_shown(const struct stat_ctx *x, const char *name, int iid)
{
	char id[16];

	if (!x->flt->proxy)
		return true;
	snprintf(id, sizeof(id), "%d", iid);
	return !strcmp(x->flt->proxy, name) || !strcmp(x->flt->proxy, id) ||
	       !strcmp(x->flt->proxy, "-1");
}

static void common(struct row *r, const char *px, const char *sv, int iid,
		   int sid, int type)
{
	set(r, F_pxname, "%s", px);
	set(r, F_svname, "%s", sv);
	setu(r, F_pid, 1);
	set(r, F_iid, "%d", iid);
	set(r, F_sid, "%d", sid);
	set(r, F_type, "%d", type);
	set(r, F_mode, "tcp");
}

static void server_row(struct stat_ctx *x, const struct xlb_cfg_backend *b,
		       int iid, struct xlb_srv *s, struct be_sum *sum)
{
	struct xlb_agent *a = x->a;
	uint32_t id = xlb_srv_id(a, s);
	const struct rate *rt = &x->smp->srv[id];
	int64_t cur = xlb_ctl_active(a, s);
	char st[32], ip[XLB_HOSTPORT_STRLEN];
	struct xlb_traffic t;
	struct row *r;

	xlb_ctl_traffic(&x->c, x->c.bfd, id, &t);
	sum->scur += cur;
	sum->stot += t.new_flows;
	sum->bin += t.bytes;
	sum->bout += t.reply_bytes;
	sum->rate += rt->rate;
	if (xlb_ctl_usable(s)) {
		if (s->cfg.backup) {
			sum->bck++;
			sum->wbck += s->weight;
		} else {
			sum->act++;
			sum->wact += s->weight;
		}
	}
	if ((x->flt->no_maint && s->admin == XLB_ADMIN_MAINT) ||
	    (x->flt->up && !xlb_srv_available(s)) ||
	    !(x->flt->types & 4) ||
	    (x->flt->sid != -1 && x->flt->sid != (long)id + 1) ||
	    !proxy_shown(x, b->name, iid))
		return;

	r = calloc(1, sizeof(*r));
	if (!r)
		return;
	common(r, b->name, s->cfg.name, iid, (int)id + 1, T_SERVER);
	setu(r, F_qcur, 0);
	setu(r, F_qmax, 0);
	set(r, F_scur, "%lld", (long long)cur);
	set(r, F_smax, "%lld", (long long)(s->smax > cur ? s->smax : cur));
	if (s->cfg.maxconn)
		setu(r, F_slim, s->cfg.maxconn);
	setu(r, F_stot, t.new_flows);
	setu(r, F_lbtot, t.new_flows);
	setu(r, F_bin, t.bytes);
	setu(r, F_bout, t.reply_bytes);
	set(r, F_status, "%s", xlb_srv_status(s, st, sizeof(st)));
	setu(r, F_weight, s->weight);
	setu(r, F_uweight, s->weight);
	setu(r, F_act, !s->cfg.backup);
	setu(r, F_bck, s->cfg.backup);
	setu(r, F_lastchg, xlb_ctl_since(s->lastchg, x->now));
	if (s->slowstart_from_ms && s->cfg.slowstart_ms &&
	    x->now_ms - s->slowstart_from_ms < s->cfg.slowstart_ms)
		setu(r, F_throttle, (x->now_ms - s->slowstart_from_ms) * 100 /
				    s->cfg.slowstart_ms);
	setu(r, F_rate, rt->rate);
	setu(r, F_rate_max, rt->rate_max);
	if (s->cfg.check) {
		uint64_t down = s->downtime_s;

		if (s->down_since && x->now > s->down_since)
			down += x->now - s->down_since;
		setu(r, F_chkfail, s->chkfail);
		setu(r, F_chkdown, s->chkdown);
		setu(r, F_downtime, down);
		set(r, F_check_status, "%s", s->check_status);
		if (s->check_code > 0)
			set(r, F_check_code, "%d", s->check_code);
		if (s->check_status[0] && strcmp(s->check_status, "INI"))
			setu(r, F_check_duration, s->check_duration_ms);
		if (s->check_desc[0])
			set(r, F_last_chk, "%s", s->check_desc);
		if (s->check_status[0])
			set(r, F_check_desc, "%s",
			    xlb_check_reason(s->check_status));
		setu(r, F_check_rise, s->cfg.chk.rise);
		setu(r, F_check_fall, s->cfg.chk.fall);
		set(r, F_check_health, "%d", s->health);
	}
	set(r, F_addr, "%s", xlb_hostport_str(&s->cfg.addr, s->cfg.port, ip,
					      sizeof(ip)));
	row_emit(x->out, r);
	free(r);
}

static void backend_rows(struct stat_ctx *x, int bi, int iid,
			 struct be_sum *sum)
{
	const struct xlb_cfg_backend *b = &x->a->cfg->backends[bi];
	int j;
	const struct be_sample *bs = xlb_ctl_be_sample(x->smp, b->name, false);
	struct row *r;

	memset(sum, 0, sizeof(*sum));
	for (j = 0; j < b->nservers; j++) {
		struct xlb_srv *s = xlb_srv_find(x->a, b->name,
						 b->servers[j].name);

		if (s)
			server_row(x, b, iid, s, sum);
	}
	if (!(x->flt->types & 2) || !proxy_shown(x, b->name, iid) ||
	    (x->flt->sid != -1 && x->flt->sid != 0))
		return;
	r = calloc(1, sizeof(*r));
	if (!r)
		return;
	common(r, b->name, "BACKEND", iid, 0, T_BACKEND);
	setu(r, F_qcur, 0);
	setu(r, F_qmax, 0);
	set(r, F_scur, "%lld", (long long)sum->scur);
	set(r, F_smax, "%lld", (long long)(bs && bs->smax > sum->scur ?
					    bs->smax : sum->scur));
	setu(r, F_stot, sum->stot);
	setu(r, F_lbtot, sum->stot);
	setu(r, F_bin, sum->bin);
	setu(r, F_bout, sum->bout);
	set(r, F_status, "%s", sum->act || sum->bck ? "UP" : "DOWN");
	/* HAProxy: the active servers' weight, the backups' when no active
	 * server is usable. */
	setu(r, F_weight, sum->act ? sum->wact : sum->wbck);
	setu(r, F_uweight, sum->act ? sum->wact : sum->wbck);
	setu(r, F_act, sum->act);
	setu(r, F_bck, sum->bck);
	setu(r, F_rate, sum->rate);
	setu(r, F_rate_max, bs && bs->rate_max > sum->rate ? bs->rate_max :
							     sum->rate);
	/* HAProxy shows random(N) as "random". */
	set(r, F_algo, "%s", b->algo == XLB_CFG_ROUNDROBIN ? "roundrobin" :
			     b->algo == XLB_CFG_RANDOM ? "random" :
							 "leastconn");
	row_emit(x->out, r);
	free(r);
}

/* Active connections of a backend's servers (a frontend's scur). */
static int64_t backend_scur(struct xlb_agent *a, int bi)
{
	const struct xlb_cfg_backend *b = &a->cfg->backends[bi];
	int64_t n = 0;
	int j;

	for (j = 0; j < b->nservers; j++) {
		struct xlb_srv *s = xlb_srv_find(a, b->name,
						 b->servers[j].name);

		if (s)
			n += xlb_ctl_active(a, s);
	}
	return n;
}

static void frontend_row(struct stat_ctx *x, int fi, int iid)
{
	const struct xlb_config *cfg = x->a->cfg;
	const struct xlb_cfg_frontend *f = &cfg->frontends[fi];
	const struct xlb_cfg_backend *b = &cfg->backends[f->backend];
	const struct be_sample *bs = xlb_ctl_be_sample(x->smp, b->name, false);
	int64_t cur = backend_scur(x->a, f->backend);
	struct rate rt = {};
	struct xlb_traffic t = {}, one;
	struct row *r;
	int k;

	if (!(x->flt->types & 1) || !proxy_shown(x, f->name, iid) ||
	    (x->flt->sid != -1 && x->flt->sid != 0))
		return;
	r = calloc(1, sizeof(*r));
	if (!r)
		return;
	/* Its IPv4 and IPv6 binds are a service each (agent.h). */
	for (k = 0; k < 2; k++) {
		uint32_t svc = x->a->svc_id[fi][k];

		if (svc >= XLB_MAX_SERVICES)
			continue;
		xlb_ctl_traffic(&x->c, x->c.sfd, svc, &one);
		t.new_flows += one.new_flows;
		t.bytes += one.bytes;
		t.reply_bytes += one.reply_bytes;
		rt.rate += x->smp->svc[svc].rate;
		rt.rate_max += x->smp->svc[svc].rate_max;
	}
	common(r, f->name, "FRONTEND", iid, 0, T_FRONTEND);
	set(r, F_scur, "%lld", (long long)cur);
	set(r, F_smax, "%lld", (long long)(bs && bs->smax > cur ? bs->smax :
								   cur));
	setu(r, F_stot, t.new_flows);
	setu(r, F_bin, t.bytes);
	setu(r, F_bout, t.reply_bytes);
	set(r, F_status, "OPEN");
	setu(r, F_rate, rt.rate);
	setu(r, F_rate_max, rt.rate_max);
	setu(r, F_conn_rate, rt.rate);
	setu(r, F_conn_rate_max, rt.rate_max);
	setu(r, F_conn_tot, t.new_flows);
	row_emit(x->out, r);
	free(r);
}

static int parse_filter(struct ctl_req *r, int argc, char **argv,
			struct stat_filter *f)
{
	int i = 2;
	char *end;

	*f = (struct stat_filter){ .types = 7, .sid = -1 };
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "no-maint"))
			f->no_maint = true;
		else if (!strcmp(argv[i], "up"))
			f->up = true;
		else if (!strcmp(argv[i], "typed") ||
			 !strcmp(argv[i], "json") || !strcmp(argv[i], "desc")) {
			fprintf(r->out, "'show stat %s' is not supported by "
				"xlb (CSV only).\n", argv[i]);
			return -1;
		} else {
			break;
		}
	}
	if (i == argc)
		return 0;
	if (argc - i != 3) {
		fprintf(r->out, "Usage: show stat [no-maint|up]* "
			"[{<iid>|<proxy>} <type> <sid>]\n");
		return -1;
	}
	f->proxy = argv[i];
	f->types = (int)strtol(argv[i + 1], &end, 10);
	if (*end || !*argv[i + 1]) {
		fprintf(r->out, "Invalid type '%s'.\n", argv[i + 1]);
		return -1;
	}
	if (f->types == -1)
		f->types = 7;
	f->sid = strtol(argv[i + 2], &end, 10);
	if (*end || !*argv[i + 2]) {
		fprintf(r->out, "Invalid server id '%s'.\n", argv[i + 2]);
		return -1;
	}
	return 0;
}

void xlb_ctl_show_stat(struct ctl_req *r, int argc, char **argv)
{
	struct stat_filter flt;
	struct stat_ctx x = {
		.a = r->a, .smp = r->smp, .flt = &flt, .out = r->out,
		.now = time(NULL), .now_ms = xlb_now_ms(),
	};
	struct proxies *px;
	struct be_sum sum;
	int i;

	if (parse_filter(r, argc, argv, &flt))
		return;
	px = malloc(sizeof(*px));
	if (!px)
		return;
	xlb_ctl_proxies_of(r->a->cfg, px);
	xlb_ctl_counters_open(r->a, &x.c);
	fputs("# ", r->out);
	for (i = 0; i < F_NR; i++)
		fprintf(r->out, "%s,", field_names[i]);
	fputc('\n', r->out);
	/* HAProxy's order: each proxy's FRONTEND, servers, BACKEND. */
	for (i = 0; i < px->n; i++) {
		if (px->p[i].fe >= 0)
			frontend_row(&x, px->p[i].fe, i + 1);
		if (px->p[i].be >= 0)
			backend_rows(&x, px->p[i].be, i + 1, &sum);
	}
	xlb_ctl_counters_close(&x.c);
	free(px);
}

