// SPDX-License-Identifier: GPL-2.0
/* Benchmark part 1: the cases, how each is run and proved, the JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb_limits.h"
#include "bench_layout.h"
#include "xlb_bench.skel.h"	/* after bench_layout.h: struct bench_ctl */
#include "bench_cases.h"
#include "pkt.h"

enum kind { K_FLOOR, K_WRAP, K_NONSVC, K_EST_FWD, K_EST_REV, K_NEW };

struct bcase {
	const char *key;
	const char *desc;
	enum kind kind;
	__u32 mode;		/* enum bench_mode */
	__u32 algo;		/* K_NEW: the service's enum xlb_algo */
	int pool;		/* K_NEW: index into pool_sizes */
	int full_only;		/* only with the full table */
};

#define SAME(k, d, kind) { k, d, kind, BENCH_SAME, 0, 0, 0 }
#define SPREAD(k, d, kind, mode) { k, d, kind, mode, 0, 0, 1 }
#define NEW(k, d, algo, pool) { k, d, K_NEW, BENCH_NEW_TUPLE, algo, pool, 0 }
#define NEW_LC(pool) NEW("new_leastconn", "new flow, leastconn", \
			 XLB_ALGO_LEASTCONN, pool)
#define NEW_RND(pool) NEW("new_random2", "new flow, random(2)", \
			  XLB_ALGO_RANDOM, pool)

static const struct bcase cases[] = {
	SAME("floor", "trivial XDP_TX program (floor)", K_FLOOR),
	SAME("wrap_only", "wrapper save+restore only, no xlb", K_WRAP),
	SAME("non_service", "non-service packet (TCP to VIP:22)", K_NONSVC),
	SAME("est_fwd", "established flow, client -> backend", K_EST_FWD),
	SAME("est_rev", "established flow, backend -> client", K_EST_REV),
	SPREAD("est_fwd_spread", "established, client -> backend, each "
	       "packet another flow of the table", K_EST_FWD, BENCH_SPREAD_FWD),
	SPREAD("est_rev_spread", "established, backend -> client, each "
	       "packet another flow of the table", K_EST_REV, BENCH_SPREAD_REV),
	/* Side by side, so that whatever drifts within a round hits both. */
	NEW_LC(0), NEW_RND(0), NEW_LC(1), NEW_RND(1), NEW_LC(2), NEW_RND(2),
	NEW_LC(3), NEW_RND(3), NEW_LC(4), NEW_RND(4),
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

struct result {
	int ran, supported, verified;
	__u32 repeat;
	int n;
	double ns[MAX_RUNS];	/* test_run's own figure (whole ns) */
	double wall[MAX_RUNS];	/* wall time of the call / repeat */
	char why[160];
};

static struct result res[2][NCASES];	/* [empty table, full table] */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Pool size of a new-flow case, and whether xlb itself accepts it. */
static __u32 case_pool(const struct bcase *c)
{
	return c->kind == K_NEW ? pool_sizes[c->pool] : 0;
}

static int case_supported(const struct bcase *c)
{
	return case_pool(c) <= XLB_MAX_SVC_BACKENDS;
}

static __u32 case_svc(const struct bcase *c)
{
	return c->kind == K_NEW ? bench_svc(c->algo, c->pool) : 0;
}

static void build_pkt(const struct bench *b, const struct bcase *c,
		      struct pkt_buf *p)
{
	struct pkt_desc d = {
		.proto = IPPROTO_TCP, .tcp_flags = 0x10 /* ACK */,
		.seq = 1000, .ack_seq = 2000, .plen = 10,
	};

	memcpy(d.smac, b->fe.gw_mac, 6);
	memcpy(d.dmac, b->fe.lb_mac, 6);
	d.saddr = bl_client_ip(BL_CLIENT_IP0, 0);
	d.sport = bl_client_port(0);
	d.daddr = BL_LB_IP;
	d.dport = BL_VPORT;
	switch (c->kind) {
	case K_NONSVC:
		d.dport = 22;
		break;
	case K_EST_REV:
		d.saddr = bl_be_ip(bl_fill_backend(0));
		d.sport = bl_fill_be_port(bl_fill_backend(0));
		d.dport = bl_nat_port(0);
		break;
	case K_NEW:
		d.tcp_flags = 0x02;	/* SYN */
		d.saddr = bl_client_ip(BL_NEW_IP0, 0);
		d.dport = bench_vport(c->algo, c->pool);
		break;
	default:
		break;
	}
	pkt_build(&d, p);
}

/* What xlb's counters must show after rep iterations of case c: these
 * reasons exactly rep each, every other reason unchanged. */
static int verify(const struct bcase *c, const struct snap *a,
		  const struct snap *z, __u32 rep, __u32 retval, char *why,
		  size_t n)
{
	__u64 want[XLB_R_MAX] = {}, d;
	__u64 svc_got = 0;
	const char *svc_what = NULL;
	__u32 r, act = XDP_TX;

	switch (c->kind) {
	case K_FLOOR:
	case K_WRAP:
		break;
	case K_NONSVC:
		want[XLB_R_PASS_NOT_SERVICE] = rep;
		act = XDP_PASS;
		break;
	case K_EST_FWD:
		want[XLB_R_FORWARD_TX] = rep;
		svc_what = "service packets";
		svc_got = z->svc.packets - a->svc.packets;
		break;
	case K_EST_REV:
		want[XLB_R_FORWARD_TX] = rep;
		svc_what = "service reply packets";
		svc_got = z->svc.reply_packets - a->svc.reply_packets;
		break;
	case K_NEW:
		want[XLB_R_FORWARD_TX] = rep;
		want[XLB_R_FLOW_CREATED] = rep;
		svc_what = "service new flows";
		svc_got = z->svc.new_flows - a->svc.new_flows;
		break;
	}
	if (c->kind != K_FLOOR && z->iters - a->iters != rep) {
		snprintf(why, n, "wrapper ran %llu times, want %u",
			 (unsigned long long)(z->iters - a->iters), rep);
		return -1;
	}
	/* Reasons first: a drop names itself there. */
	for (r = 0; c->kind != K_FLOOR && c->kind != K_WRAP && r < XLB_R_MAX; r++) {
		d = z->reasons[r] - a->reasons[r];
		if (d != want[r]) {
			snprintf(why, n, "reason %u moved by %llu, want %llu "
				 "(repeat %u)", r, (unsigned long long)d,
				 (unsigned long long)want[r], rep);
			return -1;
		}
	}
	if (svc_what && svc_got != rep) {
		snprintf(why, n, "%s moved by %llu, want %u", svc_what,
			 (unsigned long long)svc_got, rep);
		return -1;
	}
	/* Which selection path: the scan moves the cursor, the draws do
	 * not (BENCH_CURSOR_MARK). */
	if (c->kind == K_NEW && c->algo == XLB_ALGO_RANDOM &&
	    z->cursor != BENCH_CURSOR_MARK) {
		snprintf(why, n, "random(2) fell back to the full scan (cursor "
			 "%#x)", z->cursor);
		return -1;
	}
	if (c->kind == K_NEW && c->algo == XLB_ALGO_LEASTCONN &&
	    z->cursor == BENCH_CURSOR_MARK) {
		snprintf(why, n, "leastconn never scanned (cursor unmoved)");
		return -1;
	}
	if (retval != act) {
		snprintf(why, n, "action %u, want %u", retval, act);
		return -1;
	}
	return 0;
}

/* One run of case c, checked; its figures kept in r when keep is set. */
static int run_one(struct bench *b, const struct bcase *c, struct result *r,
		   __u32 nflows, int keep)
{
	struct xdp_md ctx = { .ingress_ifindex = b->ifindex };
	struct bench_ctl *ctl = &b->skel->bss->ctl;
	struct pkt_buf p;
	struct snap s0, s1;
	__u32 seq0, svc = case_svc(c);
	double t0, t1;
	int prog;
	LIBBPF_OPTS(bpf_test_run_opts, t);

	build_pkt(b, c, &p);
	ctx.data_end = p.len;
	t.data_in = p.d;
	t.data_size_in = p.len;
	t.ctx_in = &ctx;
	t.ctx_size_in = sizeof(ctx);
	t.repeat = r->repeat;
	prog = c->kind == K_FLOOR ? PROG_FLOOR :
	       c->kind == K_WRAP ? PROG_WRAP : PROG_XLB;

	ctl->mode = c->mode;
	ctl->nflows = nflows;
	seq0 = ctl->seq;
	if (c->kind == K_NEW && bench_set_cursor(b, svc, BENCH_CURSOR_MARK))
		return snprintf(r->why, sizeof(r->why), "cannot set the cursor"), -1;
	if (bench_snapshot(b, svc, &s0))
		return snprintf(r->why, sizeof(r->why), "cannot read counters"), -1;
	t0 = now_s();
	if (bpf_prog_test_run_opts(b->prog[prog], &t)) {
		snprintf(r->why, sizeof(r->why), "test_run: %s", strerror(errno));
		return -1;
	}
	t1 = now_s();
	if (bench_snapshot(b, svc, &s1))
		return snprintf(r->why, sizeof(r->why), "cannot read counters"), -1;
	/* Undo first, whatever the verdict: the next case starts from the
	 * same table. */
	if (c->kind == K_NEW && bench_undo_new(b, bench_vport(c->algo, c->pool),
					       seq0, r->repeat))
		return snprintf(r->why, sizeof(r->why), "cannot undo new flows"), -1;
	if (verify(c, &s0, &s1, r->repeat, t.retval, r->why, sizeof(r->why)))
		return -1;
	/* The kernel's figure leaves out the time the test was scheduled
	 * out (others' load); the wall time does not. */
	if (keep) {
		r->ns[r->n] = t.duration;
		r->wall[r->n] = (t1 - t0) * 1e9 / r->repeat;
		r->n++;
	}
	return 0;
}

/* All cases of one table, interleaved: round k runs every case once, so
 * that drift over the run hits every case alike. */
static int run_phase(struct bench *b, const struct run_opts *o, int full)
{
	struct result *r;
	int k, err = 0;
	size_t i;

	for (i = 0; i < NCASES; i++) {
		r = &res[full][i];
		r->supported = case_supported(&cases[i]);
		r->ran = r->supported && (full || !cases[i].full_only);
		r->verified = r->ran;
		r->repeat = cases[i].kind == K_NEW ? o->rep_new : o->rep_fixed;
		if (!r->supported)
			snprintf(r->why, sizeof(r->why),
				 "not supported (limit %d)", XLB_MAX_SVC_BACKENDS);
	}
	for (k = 0; k < o->runs; k++) {
		for (i = 0; i < NCASES; i++) {
			r = &res[full][i];
			if (!r->ran || !r->verified)
				continue;
			/* A new-flow run measured right after another
			 * kind of case costs up to 20% more (seen here:
			 * whichever new-flow case came first in a round
			 * was the slowest, even with the flows map
			 * preallocated): an untimed run of the same case
			 * first puts every case in the same state. */
			if ((cases[i].kind == K_NEW &&
			     run_one(b, &cases[i], r, full ? o->big : 1, 0)) ||
			    run_one(b, &cases[i], r, full ? o->big : 1, 1)) {
				r->verified = 0;
				err = -1;
				fprintf(stderr, "bench: %s (%s table): %s\n",
					cases[i].desc, full ? "full" : "empty",
					r->why);
			}
		}
	}
	return err;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[MAX_RUNS];

	if (!n)
		return 0;
	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_d);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void json_case(FILE *f, const struct bcase *c, const struct result *r,
		      int full, __u32 flows, int last)
{
	int i;

	fprintf(f, "    {\"key\": \"%s\", \"desc\": \"%s\", \"table\": \"%s\", "
		"\"flows_in_table\": %u, \"backends\": ", c->key, c->desc,
		full ? "full" : "empty", flows);
	if (case_pool(c))
		fprintf(f, "%u", case_pool(c));
	else
		fprintf(f, "null");
	fprintf(f, ", \"algo\": \"%s\", \"supported\": %s, \"ran\": %s, "
		"\"verified\": %s, \"repeat\": %u, \"ns\": [",
		c->kind != K_NEW ? "" :
		c->algo == XLB_ALGO_RANDOM ? "random(2)" : "leastconn",
		r->supported ? "true" : "false", r->ran ? "true" : "false",
		r->ran && r->verified ? "true" : "false", r->repeat);
	for (i = 0; i < r->n; i++)
		fprintf(f, "%s%.0f", i ? ", " : "", r->ns[i]);
	fprintf(f, "], \"wall_ns\": [");
	for (i = 0; i < r->n; i++)
		fprintf(f, "%s%.2f", i ? ", " : "", r->wall[i]);
	fprintf(f, "], \"median_ns\": ");
	if (r->ran && r->verified && r->n)
		fprintf(f, "%.2f", median(r->ns, r->n));
	else
		fprintf(f, "null");
	fprintf(f, ", \"note\": \"%s\"}%s\n", r->why, last ? "" : ",");
}

static int write_json(const char *path, const struct run_opts *o,
		      const struct bench *b, double fill_s)
{
	FILE *f = fopen(path, "w");
	int full, last;
	size_t i, j, n = 0;

	if (!f)
		return fprintf(stderr, "bench: %s: %s\n", path, strerror(errno)),
		       -errno;
	fprintf(f, "{\n  \"part\": \"xdp\",\n  \"runs\": %d,\n  \"cpu\": %d,\n"
		"  \"repeat_same_packet\": %u,\n  \"repeat_new_flow\": %u,\n"
		"  \"flows_full_table\": %u,\n  \"flows_max_entries\": %u,\n"
		"  \"fill_seconds\": %.3f,\n  \"flows_prealloc\": %s,\n"
		"  \"path_check\": \"reasons, service stats and wrapper "
		"iterations moved by exactly the repeat count; new flows: the "
		"service cursor moved (leastconn's scan) or not (random's "
		"draws)\",\n"
		"  \"ns_is\": \"test_run's own duration per iteration (whole "
		"ns, time scheduled out excluded); wall_ns: wall time of the "
		"call / repeat\",\n  \"cases\": [\n", o->runs, o->cpu,
		o->rep_fixed, o->rep_new, o->big, b->max_flows, fill_s,
		o->prealloc ? "true" : "false");
	for (full = 0; full < 2; full++)
		for (i = 0; i < NCASES; i++)
			n += full || !cases[i].full_only;
	for (full = 0, j = 0; full < 2; full++)
		for (i = 0; i < NCASES; i++) {
			if (!full && cases[i].full_only)
				continue;
			last = ++j == n;
			json_case(f, &cases[i], &res[full][i], full,
				  full ? o->big : 1, last);
		}
	fprintf(f, "  ]\n}\n");
	return fclose(f) ? -errno : 0;
}

int bench_run_all(struct bench *b, const struct run_opts *o, const char *out)
{
	double fill_s = 0;
	int err, err2;

	err = run_phase(b, o, 0);
	fprintf(stderr, "bench: filling %u flows (%u entries)\n", o->big,
		2 * o->big);
	if (bench_fill_big(b, o->big, &fill_s))
		return -1;
	err2 = run_phase(b, o, 1);
	if (write_json(out, o, b, fill_s))
		return -1;
	return err || err2 ? -1 : 0;
}
