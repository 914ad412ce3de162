// SPDX-License-Identifier: GPL-2.0
/* Backup servers, maxconn and scaled map weights (bpf/select.h). Rows run
 * as in cases.c: a setup resets, the rows after it continue. */
#include <linux/bpf.h>
#include <linux/in.h>
#include "cases.h"

#define TIER_IP		IP4(10, 0, 0, 24)
#define TIER_PORT	7000

/* VIP:85/tcp leastconn and VIP:86/tcp roundrobin, each over four slots
 * 10.0.0.24-27:7000-7003: active, backup, active, backup. The actives are
 * UP when actives_up; the backups always are. */
static int tier(struct tctx *t, int actives_up)
{
	static const struct { __u32 svc, port, algo; } s[] = {
		{ SVC_TIER, 85, XLB_ALGO_LEASTCONN },
		{ SVC_TIER_RR, 86, XLB_ALGO_ROUNDROBIN },
	};
	__u32 i, slot, fl;

	if (setup_std(t))
		return -1;
	for (i = 0; i < 2; i++) {
		if (pool(t, s[i].svc, s[i].port, IPPROTO_TCP, s[i].algo,
			 TIER_IP, TIER_PORT, NULL, 4))
			return -1;
		for (slot = 0; slot < 4; slot++) {
			fl = slot & 1 ? XLB_BACKEND_UP | XLB_BACKEND_BACKUP :
			     actives_up ? XLB_BACKEND_UP : 0;
			if (fx_backend(&t->fx, BID(s[i].svc, slot),
				       TIER_IP + slot, TIER_PORT + slot, 1, fl))
				return -1;
		}
	}
	return 0;
}

static int setup_tier_up(struct tctx *t)
{
	return tier(t, 1);
}

/* Actives up but with 50 connections each; the backups idle. */
static int setup_tier_loaded(struct tctx *t)
{
	return tier(t, 1) || fx_set_conns(&t->fx, BID(SVC_TIER, 0), 50) ||
	       fx_set_conns(&t->fx, BID(SVC_TIER, 2), 50);
}

static int setup_tier_down(struct tctx *t)
{
	return tier(t, 0);
}

/* Actives down; the first backup has 5 connections, the second none. */
static int setup_tier_busy1(struct tctx *t)
{
	return tier(t, 0) || fx_set_conns(&t->fx, BID(SVC_TIER, 1), 5);
}

/* Actives down, and the first backup too. */
static int setup_tier_b1_down(struct tctx *t)
{
	return tier(t, 0) ||
	       fx_backend(&t->fx, BID(SVC_TIER, 1), TIER_IP + 1, TIER_PORT + 1,
			  1, XLB_BACKEND_BACKUP);
}

/* Actives down; the first backup (both services) has maxconn 2. */
static int setup_tier_b1_max2(struct tctx *t)
{
	return tier(t, 0) || fx_set_maxconn(&t->fx, BID(SVC_TIER, 1), 2) ||
	       fx_set_maxconn(&t->fx, BID(SVC_TIER_RR, 1), 2);
}

/* ... and has reached it. */
static int setup_tier_b1_full(struct tctx *t)
{
	return setup_tier_b1_max2(t) ||
	       fx_set_conns(&t->fx, BID(SVC_TIER, 1), 2) ||
	       fx_set_conns(&t->fx, BID(SVC_TIER_RR, 1), 2);
}

/* Actives UP but each at its maxconn of 1. */
static int setup_tier_actives_full(struct tctx *t)
{
	return tier(t, 1) || fx_set_maxconn(&t->fx, BID(SVC_TIER, 0), 1) ||
	       fx_set_maxconn(&t->fx, BID(SVC_TIER, 2), 1) ||
	       fx_set_conns(&t->fx, BID(SVC_TIER, 0), 1) ||
	       fx_set_conns(&t->fx, BID(SVC_TIER, 2), 1);
}

/* Web pool weights 100, 1, 1; slot 0 maxconn 3. */
static int setup_max_lc(struct tctx *t)
{
	static const __u32 w[] = { 100, 1, 1 };

	return setup_std(t) ||
	       pool(t, SVC_WEB, 80, IPPROTO_TCP, XLB_ALGO_LEASTCONN,
		    IP4(10, 0, 0, 11), 5001, w, 3) ||
	       fx_set_maxconn(&t->fx, BID(SVC_WEB, 0), 3);
}

/* Web pool weights 10, 1, 1 with counts 2, 5, 5: slot 0's (2+1)/10 would
 * win, but its maxconn is 2. */
static int setup_max_lc_full(struct tctx *t)
{
	static const __u32 w[] = { 10, 1, 1 };

	return setup_std(t) ||
	       pool(t, SVC_WEB, 80, IPPROTO_TCP, XLB_ALGO_LEASTCONN,
		    IP4(10, 0, 0, 11), 5001, w, 3) ||
	       fx_set_maxconn(&t->fx, BID(SVC_WEB, 0), 2) ||
	       fx_set_conns(&t->fx, BID(SVC_WEB, 0), 2) ||
	       fx_set_conns(&t->fx, BID(SVC_WEB, 1), 5) ||
	       fx_set_conns(&t->fx, BID(SVC_WEB, 2), 5);
}

/* Round-robin pool (1, 1, 1), slot 0 maxconn 1. */
static int setup_max_rr(struct tctx *t)
{
	return setup_std(t) || fx_set_maxconn(&t->fx, BID(SVC_RR, 0), 1);
}

/* Every web backend at its maxconn (1). */
static int setup_max_all(struct tctx *t)
{
	int i;

	if (setup_std(t))
		return -1;
	for (i = 0; i < 3; i++)
		if (fx_set_maxconn(&t->fx, BID(SVC_WEB, i), 1) ||
		    fx_set_conns(&t->fx, BID(SVC_WEB, i), 1))
			return -1;
	return 0;
}

/* Map weights as the agent writes them: configured x XLB_WEIGHT_SCALE.
 * Web pool configured 3:1, round-robin pool configured 1:1:1. */
static int setup_scaled(struct tctx *t)
{
	static const __u32 lc[] = { 3 * XLB_WEIGHT_SCALE, XLB_WEIGHT_SCALE };
	static const __u32 rr[] = { XLB_WEIGHT_SCALE, XLB_WEIGHT_SCALE,
				    XLB_WEIGHT_SCALE };

	return setup_std(t) ||
	       pool(t, SVC_WEB, 80, IPPROTO_TCP, XLB_ALGO_LEASTCONN,
		    IP4(10, 0, 0, 11), 5001, lc, 2) ||
	       pool(t, SVC_RR, 82, IPPROTO_TCP, XLB_ALGO_ROUNDROBIN,
		    IP4(10, 0, 0, 31), 8080, rr, 3);
}

#define NEW_TO(c, v, b)	TCP(c, v, SYN), .action = XDP_TX, .reasons = R_NEW, \
			.flags = F_MODEL, .be = BE(b)

/* Round-robin pool configured 3:1 (map 48:16). */
static int setup_scaled_rr31(struct tctx *t)
{
	static const __u32 w[] = { 3 * XLB_WEIGHT_SCALE, XLB_WEIGHT_SCALE };

	return setup_std(t) ||
	       pool(t, SVC_RR, 82, IPPROTO_TCP, XLB_ALGO_ROUNDROBIN,
		    IP4(10, 0, 0, 31), 8080, w, 2);
}

static const struct row rows[] = {
	/* Backup servers (HAProxy `backup`, without `option allbackups`):
	 * only when no active server is available, then the first
	 * available one in pool order takes every new flow. Leastconn. */
	{ "backups, actives up: 8 SYNs never go to a backup", setup_tier_up,
	  TCP(45000, 85, SYN), .repeat = 8, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL },
	{ "... counts 4,0,4,0", NULL, NONE(85), .conns = CONNS(4, 0, 4, 0) },
	{ "actives at 50 connections, backups idle: still an active",
	  setup_tier_loaded, NEW_TO(45000, 85, BID(SVC_TIER, 0)),
	  .cursor = CUR(0), .conns = CONNS(51, 0, 50, 0) },
	{ "actives down: 4 SYNs (scan starting at each slot) to the first backup",
	  setup_tier_down, TCP(45000, 85, SYN), .repeat = 4, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL, .be = BE(BID(SVC_TIER, 1)) },
	{ "... counts 0,4,0,0: the second backup never chosen", NULL, NONE(85),
	  .conns = CONNS(0, 4, 0, 0) },
	{ "actives down, scan starting at the second backup: the first",
	  setup_tier_down, NEW_TO(45000, 85, BID(SVC_TIER, 1)),
	  .cursor = CUR(3) },
	{ "actives down, first backup busier (5 vs 0): still the first",
	  setup_tier_busy1, NEW_TO(45000, 85, BID(SVC_TIER, 1)),
	  .cursor = CUR(3), .conns = CONNS(0, 6, 0, 0) },
	{ "actives down, first backup down too: the second backup",
	  setup_tier_b1_down, NEW_TO(45000, 85, BID(SVC_TIER, 3)) },
	{ "actives down, first backup at its maxconn (2): the second backup",
	  setup_tier_b1_full, NEW_TO(45000, 85, BID(SVC_TIER, 3)),
	  .conns = CONNS(0, 2, 0, 1) },
	{ "actives down, first backup maxconn 2: 3 SYNs", setup_tier_b1_max2,
	  TCP(45000, 85, SYN), .repeat = 3, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL },
	{ "... counts 0,2,0,1: two to the first backup, then the second",
	  NULL, NONE(85), .conns = CONNS(0, 2, 0, 1) },
	{ "actives UP but at their maxconn: the first backup",
	  setup_tier_actives_full, NEW_TO(45000, 85, BID(SVC_TIER, 1)),
	  .conns = CONNS(1, 1, 1, 0) },

	/* The same with roundrobin. */
	{ "roundrobin backups, actives up: 6 SYNs never go to a backup",
	  setup_tier_up, TCP(45000, 86, SYN), .repeat = 6, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL },
	{ "... counts 3,0,3,0", NULL, NONE(86), .conns = CONNS(3, 0, 3, 0) },
	{ "roundrobin, actives down: 3 SYNs to the first backup",
	  setup_tier_down, TCP(45000, 86, SYN), .repeat = 3, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL,
	  .be = BE(BID(SVC_TIER_RR, 1)) },
	{ "... counts 0,3,0,0", NULL, NONE(86), .conns = CONNS(0, 3, 0, 0) },
	{ "roundrobin, first backup at its maxconn: the second backup",
	  setup_tier_b1_full, NEW_TO(45000, 86, BID(SVC_TIER_RR, 3)),
	  .conns = CONNS(0, 2, 0, 1) },

	/* maxconn: a backend at it is skipped; 0 means no limit (every
	 * other row). */
	{ "leastconn, weights 100,1,1, slot 0 maxconn 3: 6 SYNs", setup_max_lc,
	  TCP(46000, 80, SYN), .repeat = 6, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL },
	{ "... counts 3,2,1: slot 0 stops at 3, the rest take turns", NULL, NONE(80),
	  .conns = CONNS(3, 2, 1) },
	{ "leastconn, slot 0 best by (active+1)/weight but at maxconn: skipped",
	  setup_max_lc_full, NEW_TO(46000, 80, BID(SVC_WEB, 1)),
	  .cursor = CUR(0), .conns = CONNS(2, 6, 5) },
	{ "roundrobin 1,1,1, slot 0 maxconn 1: 6 SYNs", setup_max_rr,
	  TCP(46000, 82, SYN), .repeat = 6, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL },
	{ "... counts 1,2,3: slot 0 stops at 1", NULL, NONE(82),
	  .conns = CONNS(1, 2, 3) },
	{ "every backend at its maxconn: the SYN is refused with a RST",
	  setup_max_all, TCP(46000, 80, SYN), .action = XDP_TX,
	  .reasons = R(XLB_R_TX_RST_NO_BACKEND),
	  .flags = F_RST | F_NOSTATE | F_NOFLOW, .conns = CONNS(1, 1, 1) },

	/* Weights as the agent writes them (x XLB_WEIGHT_SCALE). */
	{ "leastconn, map weights 48:16 (3:1 scaled): 8 SYNs", setup_scaled,
	  TCP(47000, 80, SYN), .repeat = 8, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL },
	{ "... counts 6:2, as with 3:1", NULL, NONE(80),
	  .conns = CONNS(6, 2) },
	/* Explicit counts, not F_MODEL (a restated rule agrees with
	 * itself): configured 1:1:1 must go in turn, as the README's demo
	 * shows, not 16 in a row to each (round robin walking map weights). */
	{ "roundrobin, map weights 16:16:16 (1:1:1 scaled): 3 SYNs",
	  setup_scaled, TCP(47000, 82, SYN), .repeat = 3, .action = XDP_TX,
	  .reasons = R_NEW },
	{ "... one each in turn: counts 1,1,1", NULL, NONE(82),
	  .conns = CONNS(1, 1, 1) },
	{ "roundrobin, map weights 48:16 (3:1 scaled): 8 SYNs", setup_scaled_rr31,
	  TCP(47000, 82, SYN), .repeat = 8, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL },
	{ "... counts 6:2 (A A A B twice)", NULL, NONE(82),
	  .conns = CONNS(6, 2) },
};

ROW_TABLE(xlbt_tiers, rows);
