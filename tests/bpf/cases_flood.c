// SPDX-License-Identifier: GPL-2.0
/* TCP corner cases, a full flow table, half-open accounting and the SYN
 * flood guard. Rows run as in cases.c: a setup resets, the rows after it
 * continue. Every row here also checks that the counts are exactly what
 * the flow table holds (counts_match): active = forward entries holding
 * a count, half_open = those still holding it as half-open. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "cases.h"
#include "maps.h"

/* VIP:87/tcp leastconn over one backend, 10.0.0.18:7101. */
#define FLOOD_BE	BID(SVC_FLOOD, 0)
#define FPORT		87

#define R_RSTFULL	R(XLB_R_TX_RST_TABLE_FULL)
#define R_FLOOD		R(XLB_R_DROP_SYN_FLOOD)
#define R_EXPIRED	R(XLB_R_FLOW_EXPIRED)
#define HALF(x)		((x) + 1)
#define FGC(c, s)	GC(c, FPORT, s)
#define FTCP(c, f)	TCP(c, FPORT, f)
#define FBTCP(c, f)	BTCP(c, FPORT, f)

/* The invariant of every row below: the counts are the flow table's. */
static int counts_match(struct tctx *t, const struct row *r)
{
	long long act[FX_NBACKENDS] = {}, half[FX_NBACKENDS] = {};
	const struct xlb_flow *v;
	int i;

	for (i = 0; i < t->after.n; i++) {
		v = &t->after.e[i].v;
		if (v->dir != XLB_DIR_FORWARD || v->backend >= FX_NBACKENDS)
			continue;
		if (v->counted == XLB_COUNT_HALF) {
			act[v->backend]++;
			half[v->backend]++;
		} else if (v->counted == XLB_COUNT_OPEN) {
			act[v->backend]++;
		} else if (v->counted != XLB_COUNT_NONE) {
			tfail(t, "a forward entry's counted word is %u",
			      v->counted);
		}
		if (v->proto == IPPROTO_TCP &&
		    (v->counted == XLB_COUNT_HALF) !=
		    (v->state == XLB_TCP_SYN_SENT || v->state == XLB_TCP_SYN_RECV))
			tfail(t, "a flow in state %u has counted %u", v->state,
			      v->counted);
	}
	for (i = 0; i < FX_NBACKENDS; i++)
		if (fx_conns(&t->fx, i) != act[i] ||
		    fx_half_open(&t->fx, i) != half[i])
			tfail(t, "backend %d: active %lld half_open %lld, the flow table holds %lld and %lld",
			      i, (long long)fx_conns(&t->fx, i),
			      (long long)fx_half_open(&t->fx, i), act[i], half[i]);
	return 0;
}

static int setup_flood_pool(struct tctx *t)
{
	return setup_std(t) ||
	       pool(t, SVC_FLOOD, FPORT, IPPROTO_TCP, XLB_ALGO_LEASTCONN,
		    IP4(10, 0, 0, 18), 7101, NULL, 1);
}

/* Fill the flows map with unrelated reply entries (no count) until the
 * kernel refuses one (E2BIG), then free `room` of them again. */
static int fill_table(struct tctx *t, int room)
{
	struct xlb_flow_key k;
	struct xlb_flow v = { .dir = XLB_DIR_REPLY, .proto = IPPROTO_TCP,
			      .family = XLB_AF_INET };
	int i, n = 0;

	for (i = 0; i < 4 * FX_MAX_FLOWS; i++) {
		fx_key4(&k, IP4(172, 16, 0, 1) + i, VIP, 9000, 1024,
			IPPROTO_TCP);
		if (bpf_map_update_elem(t->fx.flows, &k, &v, BPF_NOEXIST)) {
			if (errno != E2BIG)
				return -1;
			break;
		}
		n++;
	}
	if (n >= 4 * FX_MAX_FLOWS)
		return errno = ENOSPC, -1;	/* never full? */
	for (i = 0; i < room; i++) {
		fx_key4(&k, IP4(172, 16, 0, 1) + n - 1 - i, VIP, 9000, 1024,
			IPPROTO_TCP);
		if (bpf_map_delete_elem(t->fx.flows, &k))
			return -1;
	}
	return 0;
}

static int setup_full(struct tctx *t)
{
	return setup_flood_pool(t) || fill_table(t, 0);
}

static int setup_full_but_one(struct tctx *t)
{
	return setup_flood_pool(t) || fill_table(t, 1);
}

static int setup_full_but_two(struct tctx *t)
{
	return setup_flood_pool(t) || fill_table(t, 2);
}

/* Room for one flow, and one NAT source port (2000). */
static int setup_full_one_port(struct tctx *t)
{
	struct xlb_settings st;

	xlb_settings_defaults(&st);
	st.port_min = st.port_max = 2000;
	return setup_full_but_two(t) || fx_settings(&t->fx, &st);
}

/* The flood guard at 3 new TCP flows per second. Its buckets are per
 * CPU: stay on one CPU so that the rows see one bucket. */
static int setup_rate(struct tctx *t)
{
	struct xlb_settings st;
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) || setup_flood_pool(t))
		return -1;
	xlb_settings_defaults(&st);
	st.syn_rate = 3;
	return fx_settings(&t->fx, &st);
}

#define CM	.check = counts_match

static const struct row rows[] = {
	/* A full table: the SYN is refused with a RST, never dropped
	 * silently, and nothing is counted. */
	{ "table full: SYN answered RST|ACK from the VIP (tx_rst_table_full), no flow, counts 0",
	  setup_full, FTCP(45000, SYN), .action = XDP_TX, .reasons = R_RSTFULL,
	  .flags = F_RST | F_NOSTATE | F_NOFLOW, .conns = CONNS(0), CM },
	{ "table full: UDP dropped (drop_table_full), no flow", NULL,
	  UDP(5000, MUT_NONE), .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_TABLE_FULL), .flags = UNTOUCHED | F_NOFLOW,
	  CM },
	{ "room for one entry: the reply entry fits, the forward one not: undone, RST, counts 0",
	  setup_full_but_one, FTCP(45000, SYN), .action = XDP_TX,
	  .reasons = R_RSTFULL, .flags = F_RST | F_NOSTATE | F_NOFLOW,
	  .conns = CONNS(0), CM },
	/* Room for exactly one flow, then full. */
	{ "room for one flow: SYN :45000 tracked, half-open", setup_full_but_two,
	  FTCP(45000, SYN), .action = XDP_TX, .reasons = R_NEW,
	  .cnt = CNT(1), .half = HALF(1), CM },
	{ "now full: SYN :45001 refused by RST, counts 1/1", NULL,
	  FTCP(45001, SYN), .action = XDP_TX, .reasons = R_RSTFULL,
	  .flags = F_RST | F_NOSTATE | F_NOFLOW, .conns = CONNS(1), CM },
	{ "full: SYN :45000 retransmitted follows its flow", NULL,
	  FTCP(45000, SYN), .action = XDP_TX, .reasons = R_TX, .cnt = CNT(1),
	  .half = HALF(1), CM },
	{ "full: its SYN-ACK", NULL, FBTCP(45000, SYN | ACK), .action = XDP_TX,
	  .reasons = R_TX, .state = ST(XLB_TCP_SYN_RECV), .half = HALF(1), CM },
	{ "full: client RST|ACK (ACK and RST at once): released once, 0/0",
	  NULL, FTCP(45000, RST | ACK), .action = XDP_TX, .reasons = R_CLOSE,
	  .state = ST(XLB_TCP_CLOSE), .cnt = CNT(0), .half = HALF(0), CM },
	{ "full: new SYN on the closed tuple: its entries reused, fresh flow",
	  NULL, FTCP(45000, SYN), .action = XDP_TX, .reasons = R_NEW,
	  .flags = F_FRESH, .cnt = CNT(1), .half = HALF(1), CM },
	{ "full: SYN :45001 still refused", NULL, FTCP(45001, SYN),
	  .action = XDP_TX, .reasons = R_RSTFULL,
	  .flags = F_RST | F_NOSTATE | F_NOFLOW, CM },

	/* Full, and the only NAT port held by a closed flow: a new flow of
	 * the same backend takes its port and entries over. */
	{ "one port, room for one flow: SYN :45000 on port 2000",
	  setup_full_one_port, FTCP(45000, SYN), .action = XDP_TX,
	  .reasons = R_NEW, .half = HALF(1), .nflows = NF(FX_MAX_FLOWS), CM },
	{ "... its RST: closed, 0/0", NULL, FTCP(45000, RST), .action = XDP_TX,
	  .reasons = R_CLOSE, .cnt = CNT(0), .half = HALF(0), CM },
	{ "full: SYN :45001 takes over the closed flow's port (flow_recycled)",
	  NULL, FTCP(45001, SYN), .action = XDP_TX,
	  .reasons = R_NEW | R(XLB_R_FLOW_RECYCLED), .cnt = CNT(1),
	  .half = HALF(1), .nflows = NF(FX_MAX_FLOWS), CM },
	{ "... the closed flow is gone", NULL, FTCP(45000, ACK),
	  PASS_R(XLB_R_PASS_NO_FLOW), CM },
	{ "the only port held by an open flow: SYN :45002 dropped (drop_no_port)",
	  NULL, FTCP(45002, SYN), .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_NO_PORT), .flags = UNTOUCHED | F_NOFLOW,
	  CM },

	/* Half-open accounting: counted from the SYN, moved to established
	 * once by the client's ACK after the SYN-ACK. */
	{ "SYN :46000: active 1, half-open 1", setup_flood_pool,
	  FTCP(46000, SYN), .action = XDP_TX, .reasons = R_NEW,
	  .state = ST(XLB_TCP_SYN_SENT), .cnt = CNT(1), .half = HALF(1), CM },
	{ "SYN retransmit: no second flow, nothing counted twice", NULL,
	  FTCP(46000, SYN), .action = XDP_TX, .reasons = R_TX, .cnt = CNT(1),
	  .half = HALF(1), .nflows = NF(2), CM },
	{ "SYN-ACK: SYN_RECV, still half-open", NULL, FBTCP(46000, SYN | ACK),
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_SYN_RECV),
	  .cnt = CNT(1), .half = HALF(1), CM },
	{ "SYN-ACK retransmit: nothing moves", NULL, FBTCP(46000, SYN | ACK),
	  .action = XDP_TX, .reasons = R_TX, .cnt = CNT(1), .half = HALF(1),
	  CM },
	{ "client ACK: ESTABLISHED, half-open 0, active 1", NULL,
	  FTCP(46000, ACK), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_ESTABLISHED), .cnt = CNT(1), .half = HALF(0), CM },
	{ "duplicate ACK: not moved twice", NULL, FTCP(46000, ACK),
	  .action = XDP_TX, .reasons = R_TX, .cnt = CNT(1), .half = HALF(0), CM },
	/* Simultaneous close: both FINs cross (neither acknowledges the
	 * other's), then both ACK. xlb sees a FIN each way: closed once. */
	{ "simultaneous close: backend FIN", NULL, FBTCP(46000, FIN | ACK),
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_CLOSE_WAIT),
	  .cnt = CNT(1), CM },
	{ "simultaneous close: client FIN crossing it: TIME_WAIT, 0/0", NULL,
	  FTCP(46000, FIN | ACK), .action = XDP_TX, .reasons = R_CLOSE,
	  .state = ST(XLB_TCP_TIME_WAIT), .cnt = CNT(0), .half = HALF(0), CM },
	{ "simultaneous close: backend's ACK of it", NULL, FBTCP(46000, ACK),
	  .action = XDP_TX, .reasons = R_TX, .cnt = CNT(0), CM },
	{ "simultaneous close: client's ACK", NULL, FTCP(46000, ACK),
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_TIME_WAIT),
	  .cnt = CNT(0), .half = HALF(0), CM },
	{ "new SYN on the TIME_WAIT tuple: fresh flow, half-open again", NULL,
	  FTCP(46000, SYN), .action = XDP_TX, .reasons = R_NEW,
	  .flags = F_FRESH, .state = ST(XLB_TCP_SYN_SENT), .cnt = CNT(1),
	  .half = HALF(1), .nflows = NF(2), CM },

	/* RST in every state: the count comes back once, from whichever
	 * counter holds it. */
	{ "RST in SYN_SENT: backend refuses the SYN", setup_flood_pool,
	  FTCP(46100, SYN), .action = XDP_TX, .reasons = R_NEW, CM },
	{ "... its RST|ACK: CLOSE, 0/0", NULL, FBTCP(46100, RST | ACK),
	  .action = XDP_TX, .reasons = R_CLOSE, .state = ST(XLB_TCP_CLOSE),
	  .cnt = CNT(0), .half = HALF(0), CM },
	{ "RST in SYN_RECV: SYN :46101", NULL, FTCP(46101, SYN),
	  .action = XDP_TX, .reasons = R_NEW, CM },
	{ "... SYN-ACK", NULL, FBTCP(46101, SYN | ACK), .action = XDP_TX,
	  .reasons = R_TX, CM },
	{ "... client RST (no ACK): CLOSE, 0/0", NULL, FTCP(46101, RST),
	  .action = XDP_TX, .reasons = R_CLOSE, .state = ST(XLB_TCP_CLOSE),
	  .cnt = CNT(0), .half = HALF(0), CM },
	{ "RST in ESTABLISHED: SYN :46102", NULL, FTCP(46102, SYN),
	  .action = XDP_TX, .reasons = R_NEW, CM },
	{ "... SYN-ACK", NULL, FBTCP(46102, SYN | ACK), .action = XDP_TX,
	  .reasons = R_TX, CM },
	{ "... ACK: 1/0", NULL, FTCP(46102, ACK), .action = XDP_TX,
	  .reasons = R_TX, .cnt = CNT(1), .half = HALF(0), CM },
	{ "... backend RST: CLOSE, 0/0", NULL, FBTCP(46102, RST),
	  .action = XDP_TX, .reasons = R_CLOSE, .state = ST(XLB_TCP_CLOSE),
	  .cnt = CNT(0), .half = HALF(0), CM },
	{ "... client RST after it: nothing more", NULL, FTCP(46102, RST | ACK),
	  .action = XDP_TX, .reasons = R_TX, .cnt = CNT(0), CM },
	{ "RST in FIN_WAIT: SYN :46103", NULL, FTCP(46103, SYN),
	  .action = XDP_TX, .reasons = R_NEW, CM },
	{ "... SYN-ACK", NULL, FBTCP(46103, SYN | ACK), .action = XDP_TX,
	  .reasons = R_TX, CM },
	{ "... ACK", NULL, FTCP(46103, ACK), .action = XDP_TX, .reasons = R_TX,
	  CM },
	{ "... client FIN: FIN_WAIT, 1/0", NULL, FTCP(46103, FIN | ACK),
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_FIN_WAIT),
	  .cnt = CNT(1), .half = HALF(0), CM },
	{ "... backend RST: 0/0", NULL, FBTCP(46103, RST | ACK),
	  .action = XDP_TX, .reasons = R_CLOSE, .state = ST(XLB_TCP_CLOSE),
	  .cnt = CNT(0), CM },
	{ "RST in CLOSE_WAIT: SYN :46104", NULL, FTCP(46104, SYN),
	  .action = XDP_TX, .reasons = R_NEW, CM },
	{ "... SYN-ACK", NULL, FBTCP(46104, SYN | ACK), .action = XDP_TX,
	  .reasons = R_TX, CM },
	{ "... ACK", NULL, FTCP(46104, ACK), .action = XDP_TX, .reasons = R_TX,
	  CM },
	{ "... backend FIN: CLOSE_WAIT", NULL, FBTCP(46104, FIN | ACK),
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_CLOSE_WAIT),
	  .cnt = CNT(1), CM },
	{ "... client RST: 0/0", NULL, FTCP(46104, RST), .action = XDP_TX,
	  .reasons = R_CLOSE, .state = ST(XLB_TCP_CLOSE), .cnt = CNT(0),
	  .conns = CONNS(0), CM },

	/* Half-open expiry. A backend looks flooded with more than 8
	 * half-open flows that are more than 1/8 of its active count; its
	 * half-open flows then expire after 5 s idle, else at IPVS's SYN
	 * timeouts. */
	{ "8 SYNs :47000-47007 left in SYN_SENT (8: not above the floor)",
	  setup_flood_pool, FTCP(47000, SYN), .repeat = 8, .action = XDP_TX,
	  .reasons = R_NEW, CM },
	{ "gc +6 s: kept (SYN_SENT 120 s)", NULL, FGC(47000, 6),
	  .action = XDP_PASS, .nflows = NF(16), .cnt = CNT(8), .half = HALF(8),
	  CM },
	{ "gc +121 s: all 8 expired, each count given back once: 0/0", NULL,
	  FGC(47000, 121), .action = XDP_PASS, .reasons = R_EXPIRED,
	  .gc_expired = 8, .gc_removed = 8, .flags = F_NOFLOW,
	  .nflows = NF(0), .cnt = CNT(0), .half = HALF(0), CM },
	{ "gc +1000 s: nothing left to give back", NULL, FGC(47000, 1000),
	  .action = XDP_PASS, .flags = F_NOSTATE, .conns = CONNS(0), CM },
	{ "a late RST finds no flow: passed (pass_no_flow), counts 0", NULL,
	  FTCP(47000, RST), PASS_R(XLB_R_PASS_NO_FLOW), CM },
	{ "9 SYNs :47100-47108 (flooded: 9 > 8, 9 of 9 active)", NULL,
	  FTCP(47100, SYN), .repeat = 9, .action = XDP_TX, .reasons = R_NEW,
	  CM },
	{ "... and a SYN-ACK for :47100: SYN_RECV", NULL,
	  FBTCP(47100, SYN | ACK), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_SYN_RECV), CM },
	{ "gc +4 s: kept (half-open timeout 5 s)", NULL, FGC(47100, 4),
	  .action = XDP_PASS, .nflows = NF(18), .cnt = CNT(9), .half = HALF(9),
	  CM },
	{ "gc +6 s: all 9 expired (SYN_SENT and SYN_RECV): 0/0", NULL,
	  FGC(47100, 6), .action = XDP_PASS, .reasons = R_EXPIRED,
	  .gc_expired = 9, .gc_removed = 9, .flags = F_NOFLOW, .nflows = NF(0),
	  .cnt = CNT(0), .half = HALF(0), CM },

	/* 63 established + 9 half-open: 9 of 72 is not above 1/8, IPVS's
	 * SYN timeout holds; 10 of 73 is. */
	{ "63 SYNs :48000-48062", setup_flood_pool, FTCP(48000, SYN),
	  .repeat = 63, .action = XDP_TX, .reasons = R_NEW, CM },
	{ "... 63 SYN-ACKs", NULL, FBTCP(48000, SYN | ACK), .repeat = 63,
	  .action = XDP_TX, .reasons = R_TX, CM },
	{ "... 63 ACKs: established", NULL, FTCP(48000, ACK), .repeat = 63,
	  .action = XDP_TX, .reasons = R_TX, CM },
	{ "9 SYNs :48100-48108: active 72, half-open 9", NULL,
	  FTCP(48100, SYN), .repeat = 9, .action = XDP_TX, .reasons = R_NEW,
	  CM },
	{ "gc +6 s: 9 of 72 half-open: kept (SYN_SENT 120 s)", NULL,
	  FGC(48100, 6), .action = XDP_PASS, .nflows = NF(144), .cnt = CNT(72),
	  .half = HALF(9), CM },
	{ "SYN :48109: active 73, half-open 10 (> 1/8)", NULL, FTCP(48109, SYN),
	  .action = XDP_TX, .reasons = R_NEW, .cnt = CNT(73), .half = HALF(10),
	  CM },
	{ "gc +6 s: the 10 half-open expired, the 63 established kept", NULL,
	  FGC(48100, 6), .action = XDP_PASS, .reasons = R_EXPIRED,
	  .gc_expired = 10, .gc_removed = 10, .flags = F_NOFLOW,
	  .nflows = NF(126), .conns = CONNS(63), .half = HALF(0), CM },

	/* A flow gone (expired) while both ends still think it is open:
	 * the next non-SYN gets a defined answer, the kernel's. */
	{ "SYN :49000", setup_flood_pool, FTCP(49000, SYN), .action = XDP_TX,
	  .reasons = R_NEW, CM },
	{ "... SYN-ACK", NULL, FBTCP(49000, SYN | ACK), .action = XDP_TX,
	  .reasons = R_TX, CM },
	{ "... ACK: ESTABLISHED", NULL, FTCP(49000, ACK), .action = XDP_TX,
	  .reasons = R_TX, .state = ST(XLB_TCP_ESTABLISHED), CM },
	{ "gc +901 s: expired, 0/0", NULL, FGC(49000, 901), .action = XDP_PASS,
	  .reasons = R_EXPIRED, .gc_expired = 1, .gc_removed = 1,
	  .flags = F_NOFLOW, .conns = CONNS(0), CM },
	{ "client data on the expired flow: passed to the kernel (pass_no_flow)",
	  NULL, { .kind = PK_TCP, .cport = 49000, .vport = FPORT,
		  .flags = PSH | ACK, .plen = 10 },
	  PASS_R(XLB_R_PASS_NO_FLOW), CM },

	/* The SYN flood guard: 3 new TCP flows per second per CPU. */
	{ "syn_rate 3: 3 SYNs pass (a second's worth)", setup_rate,
	  FTCP(50000, SYN), .repeat = 3, .action = XDP_TX, .reasons = R_NEW,
	  CM },
	{ "2 more SYNs at once: dropped (drop_syn_flood), nothing written",
	  NULL, FTCP(50003, SYN), .repeat = 2, .action = XDP_DROP,
	  .reasons = R_FLOOD, .flags = UNTOUCHED | F_NOFLOW, .conns = CONNS(3),
	  CM },
	{ "a retransmitted SYN of a tracked flow is not a new flow: forwarded",
	  NULL, FTCP(50000, SYN), .action = XDP_TX, .reasons = R_TX, CM },
	{ "its SYN-ACK and the client's ACK still forwarded", NULL,
	  FBTCP(50000, SYN | ACK), .action = XDP_TX, .reasons = R_TX, CM },
	{ "... ACK: established, active 3, half-open 2", NULL,
	  FTCP(50000, ACK), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_ESTABLISHED), .cnt = CNT(3), .half = HALF(2),
	  CM },
	{ "UDP is not limited by syn_rate", NULL, UDP(5000, MUT_NONE),
	  .action = XDP_TX, .reasons = R_NEW, CM },
};

ROW_TABLE(xlbt_flood, rows);
