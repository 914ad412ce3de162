// SPDX-License-Identifier: GPL-2.0
/* Refusals and shut-down sessions: a SYN with no backend answered by a
 * RST, UDP with no backend dropped, and the kill pass of xlb_gc (HAProxy
 * `on-marked-down shutdown-sessions`) after which every TCP packet of a
 * killed flow is answered by a RST (bpf/reset.h). Rows run as in cases.c. */
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "cases.h"

#define KILL_A		BID(SVC_KILL, 0)	/* 10.0.0.15:6001 */
#define KILL_B		BID(SVC_KILL, 1)	/* 10.0.0.16:6002 */
#define KILL(v, be)	{ .kind = PK_GC, .vport = (v), .kill = 1, .kill_be = (be) }
#define R_KILLED	R(XLB_R_TX_RST_KILLED)

/* Web pool: nothing available (down, weight 0, down). */
static int setup_web_none(struct tctx *t)
{
	return setup_std(t) ||
	       fx_backend(&t->fx, BID(SVC_WEB, 0), IP4(10, 0, 0, 11), 5001, 1, 0) ||
	       fx_backend(&t->fx, BID(SVC_WEB, 1), IP4(10, 0, 0, 12), 5002, 0,
			  XLB_BACKEND_UP) ||
	       fx_backend(&t->fx, BID(SVC_WEB, 2), IP4(10, 0, 0, 13), 5003, 1, 0);
}

/* DNS pool: both down. */
static int setup_dns_none(struct tctx *t)
{
	return setup_std(t) ||
	       fx_backend(&t->fx, BID(SVC_DNS, 0), IP4(10, 0, 0, 21), 5353, 1, 0) ||
	       fx_backend(&t->fx, BID(SVC_DNS, 1), IP4(10, 0, 0, 22), 5354, 1, 0);
}

/* VIP:84/tcp leastconn over A = 10.0.0.15:6001 and B = 10.0.0.16:6002. */
static int setup_kill(struct tctx *t)
{
	return setup_std(t) ||
	       pool(t, SVC_KILL, 84, IPPROTO_TCP, XLB_ALGO_LEASTCONN,
		    IP4(10, 0, 0, 15), 6001, NULL, 2);
}

/* After a kill of backend r->in.kill_be: every entry is still there; both
 * entries of its flows carry XLB_EV_KILLED, the forward one also RST,
 * state CLOSE and no count; every other entry is as it was. */
static int check_killed(struct tctx *t, const struct row *r)
{
	const struct fx_flow *e, *b;
	int i;

	if (t->after.n != t->before.n)
		tfail(t, "%d entries, were %d: a kill removes nothing",
		      t->after.n, t->before.n);
	for (i = 0; i < t->after.n; i++) {
		e = &t->after.e[i];
		b = fx_find(&t->before, &e->k);
		if (!b) {
			tfail(t, "entry %d appeared", i);
			continue;
		}
		if (e->v.backend != r->in.kill_be) {
			if (memcmp(&e->v, &b->v, sizeof(e->v)))
				tfail(t, "an entry of backend %u changed",
				      e->v.backend);
			continue;
		}
		if (!(e->v.events & XLB_EV_KILLED))
			tfail(t, "%s entry of backend %u: events 0x%x, no KILLED",
			      e->v.dir == XLB_DIR_FORWARD ? "forward" : "reply",
			      e->v.backend, e->v.events);
		if (e->v.dir == XLB_DIR_FORWARD &&
		    (!(e->v.events & XLB_EV_RST) ||
		     e->v.state != XLB_TCP_CLOSE || e->v.counted))
			tfail(t, "killed forward entry: events 0x%x state %u counted %u, want RST, CLOSE, 0",
			      e->v.events, e->v.state, e->v.counted);
	}
	return 0;
}

/* The RST to a backend comes from the balancer's address towards it and
 * the flow's source port, and goes to the backend's configured address,
 * port and MAC (the byte comparison already holds it to the input). */
static int check_rst_to_backend(struct tctx *t, const struct row *r)
{
	const struct fx_flow *fa = fx_find(&t->before, &t->fkey);
	const unsigned char *ip = t->out.d + 14, *tcp = ip + 20;
	struct xlb_backend b;
	unsigned char mac[6];

	if (!fa || fx_get_backend(&t->fx, fa->v.backend, &b)) {
		tfail(t, "no flow or backend to check the RST against");
		return 0;
	}
	mac_of(ntohl(b.addr.a[0]), mac);
	if (memcmp(ip + 12, &b.src.a[0], 4) || memcmp(ip + 16, &b.addr.a[0], 4) ||
	    memcmp(tcp, &fa->v.nat_sport, 2) || memcmp(tcp + 2, &b.port, 2) ||
	    memcmp(t->out.d, mac, 6) || memcmp(t->out.d + 6, t->fx.lb_mac, 6))
		tfail(t, "RST not from 10.0.0.1:%u to backend %u's address, port and MAC",
		      ntohs(fa->v.nat_sport), fa->v.backend);
	return 0;
}

static const struct row rows[] = {
	/* No backend available (the SYN row itself: cases.c). */
	{ "UDP, no backend available: dropped, no flow", setup_dns_none,
	  UDP(5000, MUT_NONE), .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_NO_BACKEND), .flags = UNTOUCHED | F_NOFLOW,
	  .nflows = NF(0) },
	{ "no backend, SYN with IP options and MSS: 54-byte RST", setup_web_none,
	  MAL(42000, 80, SYN, MUT_IP_OPTS), .action = XDP_TX,
	  .reasons = R(XLB_R_TX_RST_NO_BACKEND),
	  .flags = F_RST | F_NOSTATE | F_NOFLOW, .nflows = NF(0) },
	{ "no backend, SYN with IHL 15, TCP doff 15 and 5 bytes of data: 54-byte RST|ACK, ack = seq + 6",
	  NULL, { .kind = PK_TCP, .cport = 42001, .vport = 80, .flags = SYN,
		  .mut = MUT_OPTS_MAX, .plen = 5 }, .action = XDP_TX,
	  .reasons = R(XLB_R_TX_RST_NO_BACKEND),
	  .flags = F_RST | F_NOSTATE | F_NOFLOW, .nflows = NF(0) },

	/* Kill: two flows on A, one on B, then A is marked down with
	 * shutdown-sessions. */
	{ "kill: SYN :44000 to A", setup_kill, TCP(44000, 84, SYN),
	  .action = XDP_TX, .reasons = R_NEW, .flags = F_MODEL,
	  .be = BE(KILL_A), .cnt = CNT(1) },
	{ "kill: A's SYN-ACK", NULL, BTCP(44000, 84, SYN | ACK),
	  .action = XDP_TX, .reasons = R_TX },
	{ "kill: client ACK, ESTABLISHED", NULL, TCP(44000, 84, ACK),
	  .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_ESTABLISHED) },
	{ "kill: SYN :44001 to B", NULL, TCP(44001, 84, SYN),
	  .action = XDP_TX, .reasons = R_NEW, .flags = F_MODEL,
	  .be = BE(KILL_B), .cnt = CNT(1) },
	{ "kill: SYN :44002 to A", NULL, TCP(44002, 84, SYN),
	  .action = XDP_TX, .reasons = R_NEW, .flags = F_MODEL,
	  .be = BE(KILL_A), .cnt = CNT(2), .conns = CONNS(2, 1) },
	{ "kill A: killed 2, A's count 0, B's untouched, entries kept", NULL,
	  KILL(84, KILL_A), .action = XDP_PASS, .gc_killed = 2,
	  .nflows = NF(6), .conns = CONNS(0, 1), .check = check_killed },
	{ "killed flow, client data with ACK: RST, seq = its ack", NULL,
	  { .kind = PK_TCP, .cport = 44000, .vport = 84, .flags = PSH | ACK,
	    .plen = 7 }, .action = XDP_TX, .reasons = R_KILLED,
	  .flags = F_RST | F_NOSTATE },
	{ "killed flow, backend data: RST to A from 10.0.0.1:its port", NULL,
	  { .kind = PK_TCP, .from = FROM_BACKEND, .cport = 44002, .vport = 84,
	    .flags = PSH | ACK, .plen = 9 }, .action = XDP_TX,
	  .reasons = R_KILLED, .flags = F_RST | F_NOSTATE,
	  .check = check_rst_to_backend },
	{ "killed flow, client FIN without ACK and 3 bytes: RST|ACK, ack = seq + 4",
	  NULL, { .kind = PK_TCP, .cport = 44002, .vport = 84, .flags = FIN,
		  .plen = 3 }, .action = XDP_TX, .reasons = R_KILLED,
	  .flags = F_RST | F_NOSTATE },
	{ "killed flow, backend FIN|ACK: RST, count not given back again", NULL,
	  BTCP(44002, 84, FIN | ACK), .action = XDP_TX, .reasons = R_KILLED,
	  .flags = F_RST | F_NOSTATE, .conns = CONNS(0, 1) },
	{ "B's flow still forwarded: its SYN-ACK", NULL,
	  BTCP(44001, 84, SYN | ACK), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_SYN_RECV), .cnt = CNT(1) },
	{ "kill A again: killed 0, nothing changes", NULL, KILL(84, KILL_A),
	  .action = XDP_PASS, .gc_killed = 0, .flags = F_NOSTATE,
	  .conns = CONNS(0, 1) },
	{ "new SYN on a killed tuple: a fresh flow, counted", NULL,
	  TCP(44000, 84, SYN), .action = XDP_TX, .reasons = R_NEW,
	  .flags = F_FRESH | F_MODEL, .be = BE(KILL_A),
	  .state = ST(XLB_TCP_SYN_SENT), .cnt = CNT(1), .conns = CONNS(1, 1) },
	{ "the fresh flow is forwarded: its SYN-ACK", NULL,
	  BTCP(44000, 84, SYN | ACK), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_SYN_RECV) },
	{ "gc +11 s: the killed flow removed at the CLOSE timeout, not expired",
	  NULL, GC(44002, 84, 11), .action = XDP_PASS, .gc_removed = 1,
	  .flags = F_NOFLOW, .nflows = NF(4), .conns = CONNS(1, 1) },

	/* UDP has no reset: a kill forgets the flow at once, so the
	 * backend's late datagram finds nothing and the client's next one
	 * starts a new flow (the backend's late datagram meets no flow and goes
	 * to the kernel like any non-service packet). */
	{ "kill UDP: datagram :5000 to the first DNS backend", setup_std,
	  UDP(5000, MUT_NONE), .action = XDP_TX, .reasons = R_NEW,
	  .cursor = CUR(0), .be = BE(BID(SVC_DNS, 0)) },
	{ "kill it: killed 1, count 0, both entries gone", NULL,
	  { .kind = PK_GC, .vport = 53, .udp = 1, .kill = 1,
	    .kill_be = BID(SVC_DNS, 0) }, .action = XDP_PASS, .gc_killed = 1,
	  .gc_removed = 1, .flags = F_NOFLOW, .nflows = NF(0),
	  .conns = CONNS(0, 0) },
	{ "killed UDP flow, client datagram: a new flow", NULL,
	  UDP(5000, MUT_NONE), .action = XDP_TX, .reasons = R_NEW,
	  .nflows = NF(2) },
};

ROW_TABLE(xlbt_reset, rows);
