// SPDX-License-Identifier: GPL-2.0
/* random(N) (bpf/select.h, random_pick): only available servers are
 * drawn, the less loaded of the draws wins, the full scan takes over when
 * the draws find nothing (backups, a mostly-down pool, an unknown
 * reference weight), and with every server down a SYN still gets its RST.
 * Rows run as in cases.c: a setup resets, the rows after it continue.
 * Every pool is the web service's (VIP:80), switched to random. */
#include <errno.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb.skel.h"
#include "cases.h"

#define RND_IP		IP4(10, 0, 0, 11)
#define RND_PORT	5001
#define SLOT(i)		BID(SVC_WEB, i)
/* Set as the cursor before the draws: only the full scan moves it. */
#define RND_MARK	77

/* The reference weight of every CPU (bpf/select.h: struct rnd, whose
 * first word it is; the rest is scratch): as the data path has it after
 * its first new flow on each CPU. 0 means not known yet. */
static int set_wmax(struct tctx *t, __u32 wmax)
{
	struct bpf_map *m = t->fx.lb->maps.svc_rnd;
	size_t sz = (bpf_map__value_size(m) + 7) & ~7ul;	/* per CPU */
	char *v = calloc(t->fx.ncpus, sz);
	__u32 key = SVC_WEB;
	int c, err = 0;

	if (!v)
		return -1;
	for (c = 0; c < t->fx.ncpus; c++)
		*(__u32 *)(v + c * sz) = wmax;
	if (bpf_map_update_elem(bpf_map__fd(m), &key, v, BPF_ANY))
		err = -1;
	free(v);
	return err;
}

/* Does some CPU hold reference weight wmax? */
static int has_wmax(struct tctx *t, __u32 wmax)
{
	struct bpf_map *m = t->fx.lb->maps.svc_rnd;
	size_t sz = (bpf_map__value_size(m) + 7) & ~7ul;
	char *v = calloc(t->fx.ncpus, sz);
	__u32 key = SVC_WEB;
	int c, found = 0;

	if (v && !bpf_map_lookup_elem(bpf_map__fd(m), &key, v))
		for (c = 0; c < t->fx.ncpus; c++)
			found |= *(__u32 *)(v + c * sz) == wmax;
	free(v);
	return found;
}

/* The web service as random(draws) over n servers RND_IP+i, weights w
 * (1 when NULL), all UP, every CPU's reference weight wmax. */
static int rnd_pool(struct tctx *t, __u32 draws, const __u32 *w, int n,
		    __u32 wmax)
{
	struct xlb_svc_key k = {
		.port = htons(80), .proto = IPPROTO_TCP, .family = XLB_AF_INET,
	};
	struct xlb_svc s;

	k.vip.a[0] = htonl(VIP);
	if (setup_std(t) || pool(t, SVC_WEB, 80, IPPROTO_TCP, XLB_ALGO_RANDOM,
				 RND_IP, RND_PORT, w, n) ||
	    bpf_map_lookup_elem(t->fx.services, &k, &s))
		return -1;
	s.draws = draws;
	return bpf_map_update_elem(t->fx.services, &k, &s, BPF_ANY) ||
	       set_wmax(t, wmax);
}

static int set_flags(struct tctx *t, int slot, __u32 weight, __u32 flags)
{
	return fx_backend(&t->fx, SLOT(slot), RND_IP + slot, RND_PORT + slot,
			  weight, flags);
}

/* Three equal servers with 0, 10 and 100 connections; the cursor at a
 * mark only the full scan would move. */
static int setup_three(struct tctx *t)
{
	return rnd_pool(t, 2, NULL, 3, 1) ||
	       fx_set_conns(&t->fx, SLOT(1), 10) ||
	       fx_set_conns(&t->fx, SLOT(2), 100) ||
	       fx_set_cursor(&t->fx, SVC_WEB, RND_MARK);
}

/* Eight slots, two available: 0 and 5 UP; 1 and 6 DOWN, 2 weight 0, 3 at
 * its maxconn (1), 4 a backup, 7 DOWN. */
static int setup_mixed(struct tctx *t)
{
	return rnd_pool(t, 2, NULL, 8, 1) || set_flags(t, 1, 1, 0) ||
	       set_flags(t, 2, 0, XLB_BACKEND_UP) ||
	       fx_set_maxconn(&t->fx, SLOT(3), 1) ||
	       fx_set_conns(&t->fx, SLOT(3), 1) ||
	       set_flags(t, 4, 1, XLB_BACKEND_UP | XLB_BACKEND_BACKUP) ||
	       set_flags(t, 6, 1, 0) || set_flags(t, 7, 1, 0);
}

/* Eight slots, only slot 6 UP: most draws miss, the scan finds it. */
static int setup_one_up(struct tctx *t)
{
	int i;

	if (rnd_pool(t, 2, NULL, 8, 1))
		return -1;
	for (i = 0; i < 8; i++)
		if (i != 6 && set_flags(t, i, 1, 0))
			return -1;
	return 0;
}

/* Actives (0, 2) down, backups (1, 3) up: draws skip backups, the scan
 * gives the first backup. */
static int setup_backups(struct tctx *t)
{
	return rnd_pool(t, 2, NULL, 4, 1) || set_flags(t, 0, 1, 0) ||
	       set_flags(t, 1, 1, XLB_BACKEND_UP | XLB_BACKEND_BACKUP) ||
	       set_flags(t, 2, 1, 0) ||
	       set_flags(t, 3, 1, XLB_BACKEND_UP | XLB_BACKEND_BACKUP);
}

static int setup_all_down(struct tctx *t)
{
	return rnd_pool(t, 2, NULL, 3, 1) || set_flags(t, 0, 1, 0) ||
	       set_flags(t, 1, 1, 0) || set_flags(t, 2, 1, 0);
}

static int setup_all_full(struct tctx *t)
{
	int i;

	if (rnd_pool(t, 2, NULL, 3, 1))
		return -1;
	for (i = 0; i < 3; i++)
		if (fx_set_maxconn(&t->fx, SLOT(i), 1) ||
		    fx_set_conns(&t->fx, SLOT(i), 1))
			return -1;
	return 0;
}

/* Weights 2, 3, 1 and no reference weight yet on any CPU. */
static int setup_unknown_wmax(struct tctx *t)
{
	static const __u32 w[] = { 2, 3, 1 };

	return rnd_pool(t, 2, w, 3, 0);
}

/* random(2) over two servers with 3 and 0 connections: no fewer slots
 * than draws, so the exact scan. */
static int setup_two(struct tctx *t)
{
	return rnd_pool(t, 2, NULL, 2, 1) || fx_set_conns(&t->fx, SLOT(0), 3);
}

/* random(1) over weights 7 and 1. */
static int setup_weighted(struct tctx *t)
{
	static const __u32 w[] = { 7, 1 };

	return rnd_pool(t, 1, w, 2, 7);
}

/* Every SYN: its flow went to an active server that was available (UP,
 * weight > 0, below its maxconn) before the packet. */
static int chk_available(struct tctx *t, const struct row *r)
{
	const struct fx_flow *f = fx_find(&t->after, &t->fkey);
	struct xlb_backend b;
	__u32 bid;

	if (!f)
		return tfail(t, "no flow entry"), 0;
	bid = f->v.backend;
	if (fx_get_backend(&t->fx, bid, &b))
		return tfail(t, "backend %u: no entry", bid), 0;
	if (!(b.flags & XLB_BACKEND_UP) || !b.weight ||
	    (b.flags & XLB_BACKEND_BACKUP) ||
	    (b.maxconn && t->c_before[bid] >= b.maxconn))
		tfail(t, "random chose backend %u: flags %#x weight %u, %lld of maxconn %u",
		      bid, b.flags, b.weight, (long long)t->c_before[bid],
		      b.maxconn);
	return 0;
}

static void want_conns(struct tctx *t, int slot, __s64 want)
{
	if (fx_conns(&t->fx, SLOT(slot)) != want)
		tfail(t, "slot %d: active %lld, want %lld", slot,
		      (long long)fx_conns(&t->fx, SLOT(slot)), (long long)want);
}

static void want_cursor(struct tctx *t, __u32 want)
{
	if (fx_cursor(&t->fx, SVC_WEB) != want)
		tfail(t, "cursor %u, want %u", fx_cursor(&t->fx, SVC_WEB), want);
}

/* Any two distinct draws of three hold slot 0 or 1, both below slot 2's
 * 100, so slot 2 never wins; the draws never moved the cursor. */
static int chk_three(struct tctx *t, const struct row *r)
{
	want_conns(t, 2, 100);
	if (fx_conns(&t->fx, SLOT(0)) + fx_conns(&t->fx, SLOT(1)) != 40)
		tfail(t, "slots 0 and 1: %lld + %lld, want 40 in all",
		      (long long)fx_conns(&t->fx, SLOT(0)),
		      (long long)fx_conns(&t->fx, SLOT(1)));
	want_cursor(t, RND_MARK);
	return 0;
}

static int chk_mixed(struct tctx *t, const struct row *r)
{
	static const int none[] = { 1, 2, 4, 6, 7 };
	size_t i;

	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		want_conns(t, none[i], 0);
	want_conns(t, 3, 1);
	if (fx_conns(&t->fx, SLOT(0)) + fx_conns(&t->fx, SLOT(5)) != 40)
		tfail(t, "slots 0 and 5: %lld + %lld, want 40 in all",
		      (long long)fx_conns(&t->fx, SLOT(0)),
		      (long long)fx_conns(&t->fx, SLOT(5)));
	return 0;
}

/* The scan ran (from slot 0, it chose slot 1, whose 1/3 is the least
 * (active + 1) / weight, and left the cursor just past it) and taught
 * this CPU the largest weight, 3. */
static int chk_learnt(struct tctx *t, const struct row *r)
{
	if (!has_wmax(t, 3))
		tfail(t, "no CPU learnt the reference weight 3");
	want_cursor(t, 2);
	return 0;
}

/* Weighted draws: about 7 in 8 of 100 flows to slot 0 (load plays no
 * part with one draw). Unweighted draws would give it about 50; below 70
 * by chance is 5 standard deviations away (p < 1e-6). */
static int chk_weighted(struct tctx *t, const struct row *r)
{
	__s64 a = fx_conns(&t->fx, SLOT(0)), b = fx_conns(&t->fx, SLOT(1));

	if (a + b != 100 || a < 70)
		tfail(t, "weights 7:1 got %lld:%lld of 100, want >= 70 for the first",
		      (long long)a, (long long)b);
	return 0;
}

#define SYNS(c, n)	TCP(c, 80, SYN), .repeat = (n), .action = XDP_TX, \
			.reasons = R_NEW
#define RST_ROW		TCP(49000, 80, SYN), .action = XDP_TX, \
			.reasons = R(XLB_R_TX_RST_NO_BACKEND), \
			.flags = F_RST | F_NOSTATE | F_NOFLOW

static const struct row rows[] = {
	{ "random(2), loads 0,10,100: 30 SYNs, each to an available server",
	  setup_three, SYNS(48000, 30), .check = chk_available },
	{ "... the most loaded never drawn best: 100 stays, 0 and 1 took 30; "
	  "cursor unmoved (draws, no scan)", NULL, NONE(80),
	  .check = chk_three },
	{ "random(2), 2 of 8 available (down, weight 0, maxconn, backup): "
	  "40 SYNs, each to an available active server", setup_mixed,
	  SYNS(48100, 40), .check = chk_available },
	{ "... the six others untouched, the two took all 40", NULL, NONE(80),
	  .check = chk_mixed },
	{ "random(2), only slot 6 of 8 UP: 10 SYNs all to it (draws or scan)",
	  setup_one_up, SYNS(48200, 10), .flags = F_MODEL,
	  .be = BE(SLOT(6)) },
	{ "... counts 0,0,0,0,0,0,10,0", NULL, NONE(80),
	  .conns = CONNS(0, 0, 0, 0, 0, 0, 10, 0) },
	{ "random(2), actives down: 4 SYNs to the first backup (the scan)",
	  setup_backups, SYNS(48300, 4), .flags = F_MODEL,
	  .be = BE(SLOT(1)) },
	{ "... counts 0,4,0,0", NULL, NONE(80), .conns = CONNS(0, 4, 0, 0) },
	{ "random(2), every server down: the SYN is refused with a RST",
	  setup_all_down, RST_ROW },
	{ "random(2), every server at its maxconn: RST", setup_all_full,
	  RST_ROW, .conns = CONNS(1, 1, 1) },
	{ "random(2), reference weight unknown: the exact scan (leastconn's "
	  "choice) learns it", setup_unknown_wmax, SYNS(48400, 1),
	  .flags = F_MODEL, .cursor = CUR(0), .be = BE(SLOT(1)),
	  .check = chk_learnt },
	{ "random(2) over 2 servers (3 and 0 connections): the exact scan, "
	  "4 SYNs as leastconn", setup_two, SYNS(48500, 4), .flags = F_MODEL },
	{ "... counts 4,3: slot 1 until even, then the tie's turn", NULL,
	  NONE(80), .conns = CONNS(4, 3) },
	{ "random(1), weights 7:1: 100 SYNs", setup_weighted, SYNS(48600, 100) },
	{ "... about 7 in 8 to the heavier one", NULL, NONE(80),
	  .check = chk_weighted },
};

ROW_TABLE(xlbt_random, rows);
