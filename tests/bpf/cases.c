// SPDX-License-Identifier: GPL-2.0
/* The base fixture table (the other tables: cases_tiers.c, cases_reset.c).
 * Rows run top to bottom; a row with a setup starts from a reset state (no
 * flows, counts and cursors 0), the rows after it continue its flows until
 * the next setup. */
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "cases.h"

int pool(struct tctx *t, __u32 svc, __u32 vip_port, __u8 proto, __u32 algo,
	 __u32 first_ip, __u16 port, const __u32 *w, int n)
{
	__u32 bids[8];
	int i, err;

	for (i = 0; i < n; i++) {
		bids[i] = BID(svc, i);
		err = fx_backend(&t->fx, bids[i], first_ip + i, port + i,
				 w ? w[i] : 1, XLB_BACKEND_UP);
		if (err)
			return err;
	}
	return fx_service(&t->fx, svc, VIP, vip_port, proto, algo, bids, n);
}

/* See cases.h; 10.0.0.50 has no neighbour. */
int setup_std(struct tctx *t)
{
	return fx_reset(&t->fx) || fx_set_forwarding(&t->fx, 1) ||
	       pool(t, SVC_WEB, 80, IPPROTO_TCP, XLB_ALGO_LEASTCONN,
		    IP4(10, 0, 0, 11), 5001, NULL, 3) ||
	       pool(t, SVC_DNS, 53, IPPROTO_UDP, XLB_ALGO_LEASTCONN,
		    IP4(10, 0, 0, 21), 5353, NULL, 2) ||
	       pool(t, SVC_NONEIGH, 81, IPPROTO_TCP, XLB_ALGO_LEASTCONN,
		    BE_NONEIGH, 5001, NULL, 1) ||
	       pool(t, SVC_RR, 82, IPPROTO_TCP, XLB_ALGO_ROUNDROBIN,
		    IP4(10, 0, 0, 31), 8080, NULL, 3);
}

/* As run.sh leaves it: net.ipv4.ip_forward=0, so lbside's forwarding
 * is 0 too. */
static int setup_fwd_off(struct tctx *t)
{
	return setup_std(t) || fx_set_forwarding(&t->fx, 0);
}

/* Web backends with 2, 0 and 1 active connections. */
static int setup_preset(struct tctx *t)
{
	return setup_std(t) || fx_set_conns(&t->fx, 0, 2) ||
	       fx_set_conns(&t->fx, 2, 1);
}

/* Web pool: 10.0.0.11 weight 3, 10.0.0.12 weight 1. */
static int setup_weights(struct tctx *t)
{
	static const __u32 w[] = { 3, 1 };

	return setup_std(t) ||
	       pool(t, SVC_WEB, 80, IPPROTO_TCP, XLB_ALGO_LEASTCONN,
		    IP4(10, 0, 0, 11), 5001, w, 2);
}

/* Web pool: slot 0 not UP, slot 1 weight 0, slot 2 fine. */
static int setup_unavailable(struct tctx *t)
{
	return setup_std(t) ||
	       fx_backend(&t->fx, 0, IP4(10, 0, 0, 11), 5001, 1, 0) ||
	       fx_backend(&t->fx, 1, IP4(10, 0, 0, 12), 5002, 0,
			  XLB_BACKEND_UP);
}

/* Web pool: nothing available (down, weight 0, down). */
static int setup_none(struct tctx *t)
{
	return setup_unavailable(t) ||
	       fx_backend(&t->fx, 2, IP4(10, 0, 0, 13), 5003, 1, 0);
}

/* Round-robin pool with counts 5, 0, 0: they must not matter. */
static int setup_rr(struct tctx *t)
{
	return setup_std(t) || fx_set_conns(&t->fx, SVC_RR * 8, 5);
}

static int check_udp_ffff(struct tctx *t, const struct row *r)
{
	struct pkt_off o;

	pkt_offsets(&t->out, &o);
	if (t->out.d[o.l4 + 6] != 0xff || t->out.d[o.l4 + 7] != 0xff)
		tfail(t, "UDP checksum 0x%02x%02x, want 0xffff",
		      t->out.d[o.l4 + 6], t->out.d[o.l4 + 7]);
	return 0;
}

static int check_udp_zero(struct tctx *t, const struct row *r)
{
	struct pkt_off o;

	pkt_offsets(&t->out, &o);
	if (t->out.d[o.l4 + 6] || t->out.d[o.l4 + 7])
		tfail(t, "UDP checksum 0x%02x%02x, want 0 (none)",
		      t->out.d[o.l4 + 6], t->out.d[o.l4 + 7]);
	return 0;
}

static const struct row rows[] = {
	/* bpf_fib_lookup() answers FWD_DISABLED when the interface it is
	 * given does not forward IPv4, even with BPF_FIB_LOOKUP_OUTPUT (6.18):
	 * the agent turns forwarding on for each attached interface. Without
	 * it the SYN is dropped before any state is written. All the rows
	 * below turn lbside's forwarding on (setup_std). */
	{ "SYN with forwarding off on lbside: dropped (DROP_FIB), no state",
	  setup_fwd_off, TCP(39000, 80, SYN), .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_FIB), .flags = F_SAME | F_NOSTATE },
	/* Not the balancer's: to the kernel, untouched. */
	{ "ARP request passes untouched", setup_std, { .kind = PK_ARP },
	  PASS_R(XLB_R_PASS_NOT_IP) },
	{ "IPv6 SYN to no service passes untouched", NULL, { .kind = PK_IPV6 },
	  PASS_R(XLB_R_PASS_NOT_SERVICE) },
	{ "ICMP echo to the VIP, not in vips: passes untouched", NULL,
	  { .kind = PK_ICMP },
	  PASS_R(XLB_R_PASS_NOT_SERVICE) },
	{ "SYN to VIP:8080 (no service) passes untouched", NULL,
	  TCP(40000, 8080, SYN), PASS_R(XLB_R_PASS_NOT_SERVICE) },
	{ "SYN to 10.0.0.2:80 (not a VIP) passes untouched", NULL,
	  { .kind = PK_TCP, .cport = 40000, .vport = 80, .flags = SYN,
	    .daddr = IP4(10, 0, 0, 2) }, PASS_R(XLB_R_PASS_NOT_SERVICE) },
	{ "stray ACK to the VIP, no flow: passes, no entry", NULL,
	  TCP(40000, 80, ACK), PASS_R(XLB_R_PASS_NO_FLOW) },
	{ "stray RST to the VIP, no flow: passes, no entry", NULL,
	  TCP(40000, 80, RST), PASS_R(XLB_R_PASS_NO_FLOW) },
	{ "stray FIN|ACK to the VIP, no flow: passes", NULL,
	  TCP(40000, 80, FIN | ACK), PASS_R(XLB_R_PASS_NO_FLOW) },
	{ "stray SYN|ACK to the VIP, no flow: passes", NULL,
	  TCP(40000, 80, SYN | ACK), PASS_R(XLB_R_PASS_NO_FLOW) },
	{ "VLAN-tagged SYN to the VIP passes untouched", NULL,
	  MAL(40000, 80, SYN, MUT_VLAN), PASS_R(XLB_R_PASS_VLAN) },
	{ "SYN to VIP:81, backend 10.0.0.50 has no neighbour: drop, nothing written",
	  NULL, TCP(40000, 81, SYN), .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_NO_NEIGH), .flags = UNTOUCHED, .nflows = NF(0),
	  .conns = CONNS(0) },

	/* A TCP flow's life (sequence). */
	{ "SYN 10.0.0.100:40000 -> VIP:80: new flow, NAT to a backend",
	  setup_std, TCP(40000, 80, SYN), .action = XDP_TX, .reasons = R_NEW,
	  .state = ST(XLB_TCP_SYN_SENT), .cnt = CNT(1), .nflows = NF(2) },
	{ "backend's SYN-ACK: back to 10.0.0.1:80 -> client", NULL,
	  BTCP(40000, 80, SYN | ACK), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_SYN_RECV), .cnt = CNT(1) },
	{ "SYN retransmit: same backend, same port, count 1", NULL,
	  TCP(40000, 80, SYN), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_SYN_RECV), .cnt = CNT(1), .nflows = NF(2) },
	{ "client ACK: ESTABLISHED", NULL, TCP(40000, 80, ACK),
	  .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_ESTABLISHED), .cnt = CNT(1) },
	{ "client data (odd length)", NULL,
	  { .kind = PK_TCP, .cport = 40000, .vport = 80, .flags = PSH | ACK,
	    .plen = 7 }, .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_ESTABLISHED) },
	{ "backend data", NULL,
	  { .kind = PK_TCP, .from = FROM_BACKEND, .cport = 40000, .vport = 80,
	    .flags = PSH | ACK, .plen = 33 }, .action = XDP_TX,
	  .reasons = R_TX, .state = ST(XLB_TCP_ESTABLISHED) },
	{ "client FIN: FIN_WAIT, still counted", NULL,
	  TCP(40000, 80, FIN | ACK), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_FIN_WAIT), .cnt = CNT(1) },
	{ "backend FIN: TIME_WAIT, count back to 0", NULL,
	  BTCP(40000, 80, FIN | ACK), .action = XDP_TX, .reasons = R_CLOSE,
	  .state = ST(XLB_TCP_TIME_WAIT), .cnt = CNT(0) },
	{ "client's last ACK: count stays 0", NULL, TCP(40000, 80, ACK),
	  .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_TIME_WAIT), .cnt = CNT(0) },
	{ "client FIN|ACK retransmit: still 0, never -1", NULL,
	  TCP(40000, 80, FIN | ACK), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_TIME_WAIT), .cnt = CNT(0) },
	{ "backend FIN|ACK retransmit: still 0", NULL,
	  BTCP(40000, 80, FIN | ACK), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_TIME_WAIT), .cnt = CNT(0), .conns = CONNS(0, 0, 0) },
	{ "new SYN on the TIME_WAIT tuple: a fresh flow, counted again", NULL,
	  TCP(40000, 80, SYN), .action = XDP_TX, .reasons = R_NEW,
	  .flags = F_FRESH, .state = ST(XLB_TCP_SYN_SENT), .cnt = CNT(1),
	  .nflows = NF(2) },

	/* RST closes (sequences on other flows). */
	{ "SYN 10.0.0.100:40001", setup_std, TCP(40001, 80, SYN),
	  .action = XDP_TX, .reasons = R_NEW, .cnt = CNT(1) },
	{ "backend's SYN-ACK", NULL, BTCP(40001, 80, SYN | ACK),
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_SYN_RECV) },
	{ "client RST: CLOSE, count 0", NULL, TCP(40001, 80, RST | ACK),
	  .action = XDP_TX, .reasons = R_CLOSE, .state = ST(XLB_TCP_CLOSE),
	  .cnt = CNT(0) },
	{ "backend RST after it: still 0", NULL, BTCP(40001, 80, RST),
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_CLOSE),
	  .cnt = CNT(0) },
	{ "SYN 10.0.0.100:40002", NULL, TCP(40002, 80, SYN),
	  .action = XDP_TX, .reasons = R_NEW, .cnt = CNT(1), .nflows = NF(4) },
	{ "backend answers the SYN with RST|ACK: CLOSE, count 0", NULL,
	  BTCP(40002, 80, RST | ACK), .action = XDP_TX, .reasons = R_CLOSE,
	  .state = ST(XLB_TCP_CLOSE), .cnt = CNT(0), .conns = CONNS(0, 0, 0) },
	{ "new SYN on the CLOSE tuple: a fresh flow", NULL,
	  TCP(40002, 80, SYN), .action = XDP_TX, .reasons = R_NEW,
	  .flags = F_FRESH, .state = ST(XLB_TCP_SYN_SENT), .cnt = CNT(1) },
	{ "SYN 10.0.0.100:40005", NULL, TCP(40005, 80, SYN),
	  .action = XDP_TX, .reasons = R_NEW, .cnt = CNT(1) },
	{ "backend's SYN-ACK", NULL, BTCP(40005, 80, SYN | ACK),
	  .action = XDP_TX, .reasons = R_TX },
	{ "client FIN", NULL, TCP(40005, 80, FIN | ACK), .action = XDP_TX,
	  .reasons = R_TX, .cnt = CNT(1) },
	{ "backend FIN: count 0", NULL, BTCP(40005, 80, FIN | ACK),
	  .action = XDP_TX, .reasons = R_CLOSE, .cnt = CNT(0) },
	{ "client RST after both FINs: CLOSE, count still 0 (never -1)", NULL,
	  TCP(40005, 80, RST), .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_CLOSE), .cnt = CNT(0) },
	{ "SYN with IP options and MSS: NAT with valid checksums", NULL,
	  MAL(40003, 80, SYN, MUT_IP_OPTS), .action = XDP_TX,
	  .reasons = R_NEW, .cnt = CNT(1) },

	/* A client without a neighbour entry: answered via its SYN's MAC. */
	{ "SYN from 10.0.0.101 (no neighbour entry)", setup_std,
	  { .kind = PK_TCP, .cport = 40000, .vport = 80, .flags = SYN,
	    .client = CLIENT_NONEIGH }, .action = XDP_TX, .reasons = R_NEW },
	{ "SYN-ACK to it goes to the MAC its SYN came from", NULL,
	  { .kind = PK_TCP, .from = FROM_BACKEND, .cport = 40000, .vport = 80,
	    .flags = SYN | ACK, .client = CLIENT_NONEIGH }, .action = XDP_TX,
	  .reasons = R_TX, .state = ST(XLB_TCP_SYN_RECV) },

	/* Malformed or fragmented, on the tuple of a live flow: untouched. */
	{ "SYN 10.0.0.100:40000 (a live flow for the cases below)", setup_std,
	  TCP(40000, 80, SYN), .action = XDP_TX, .reasons = R_NEW },
	{ "13-byte frame: the kernel refuses it before XDP", NULL,
	  MAL(40000, 80, ACK, MUT_ETH_SHORT), .action = ACT_EINVAL,
	  .flags = F_NOSTATE },
	{ "802.1Q type with the tag cut off", NULL,
	  MAL(40000, 80, ACK, MUT_VLAN_TRUNC), PASS_R(XLB_R_PASS_MALFORMED) },
	{ "IPv4 header cut at 12 bytes", NULL,
	  MAL(40000, 80, ACK, MUT_IP_TRUNC), PASS_R(XLB_R_PASS_MALFORMED) },
	{ "IHL 4", NULL, MAL(40000, 80, ACK, MUT_IHL4),
	  PASS_R(XLB_R_PASS_MALFORMED) },
	{ "IHL 15, past the frame", NULL, MAL(40000, 80, ACK, MUT_IHL15),
	  PASS_R(XLB_R_PASS_MALFORMED) },
	{ "tot_len 100 bytes more than the frame", NULL,
	  MAL(40000, 80, ACK, MUT_TOTLEN_BIG), PASS_R(XLB_R_PASS_MALFORMED) },
	{ "tot_len 10, shorter than the header", NULL,
	  MAL(40000, 80, ACK, MUT_TOTLEN_SMALL), PASS_R(XLB_R_PASS_MALFORMED) },
	{ "TCP doff 4", NULL, MAL(40000, 80, ACK, MUT_DOFF4),
	  PASS_R(XLB_R_PASS_MALFORMED) },
	{ "TCP doff 15, past the packet", NULL, MAL(40000, 80, ACK, MUT_DOFF15),
	  PASS_R(XLB_R_PASS_MALFORMED) },
	{ "TCP header cut at 10 bytes", NULL,
	  MAL(40000, 80, ACK, MUT_TCP_TRUNC), PASS_R(XLB_R_PASS_MALFORMED) },
	{ "new SYN with TCP header cut at 10 bytes", NULL,
	  MAL(40100, 80, SYN, MUT_TCP_TRUNC), PASS_R(XLB_R_PASS_MALFORMED) },
	{ "first fragment (MF) of a stray ACK: a packet like any (no flow)",
	  NULL, MAL(40101, 80, ACK, MUT_FRAG_MF), PASS_R(XLB_R_PASS_NO_FLOW) },
	{ "later fragment (offset 128) to the VIP", NULL,
	  MAL(40000, 80, ACK, MUT_FRAG_OFF), PASS_R(XLB_R_PASS_FRAGMENT) },
	{ "UDP length 4", NULL, UDP(5000, MUT_UDP_LEN4),
	  PASS_R(XLB_R_PASS_MALFORMED) },
	{ "UDP header cut at 6 bytes", NULL, UDP(5000, MUT_UDP_TRUNC),
	  PASS_R(XLB_R_PASS_MALFORMED) },
	{ "the live flow still works after all that", NULL,
	  BTCP(40000, 80, SYN | ACK), .action = XDP_TX, .reasons = R_TX,
	  .nflows = NF(2), .cnt = CNT(1) },

	/* UDP. */
	{ "UDP 10.0.0.100:5000 -> VIP:53: new flow, checksum rewritten",
	  setup_std, UDP(5000, MUT_NONE), .action = XDP_TX, .reasons = R_NEW,
	  .state = ST(XLB_UDP), .cnt = CNT(1), .nflows = NF(2) },
	{ "UDP reply: back to VIP:53 -> client", NULL, BUDP(5000, MUT_NONE),
	  .action = XDP_TX, .reasons = R_TX, .nflows = NF(2) },
	{ "UDP second datagram: same flow", NULL, UDP(5000, MUT_NONE),
	  .action = XDP_TX, .reasons = R_TX, .nflows = NF(2), .cnt = CNT(1) },
	{ "UDP reply whose new checksum computes to 0: sent as 0xffff", NULL,
	  BUDP(5000, MUT_UDP_CSUM0), .action = XDP_TX, .reasons = R_TX,
	  .check = check_udp_ffff },
	{ "UDP without checksum (0): stays 0", NULL,
	  UDP(5001, MUT_UDP_NOCSUM), .action = XDP_TX, .reasons = R_NEW,
	  .check = check_udp_zero },
	{ "UDP reply without checksum: stays 0", NULL,
	  BUDP(5001, MUT_UDP_NOCSUM), .action = XDP_TX, .reasons = R_TX,
	  .check = check_udp_zero, .conns = CONNS(1, 1) },

	/* Least connection. */
	{ "3 SYNs, 3 idle equal backends: one each (ties rotate)", setup_std,
	  TCP(42000, 80, SYN), .repeat = 3, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL, .cnt = CNT(1) },
	{ "... counts 1,1,1", NULL, NONE(80),
	  .conns = CONNS(1, 1, 1) },
	{ "counts 2,0,1, cursor 0: SYN goes to the idle one", setup_preset,
	  TCP(42000, 80, SYN), .cursor = CUR(0), .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL, .be = BE(1),
	  .conns = CONNS(2, 1, 1) },
	{ "counts 2,0,1, cursor 1: same", setup_preset, TCP(42000, 80, SYN),
	  .cursor = CUR(1), .action = XDP_TX, .reasons = R_NEW,
	  .flags = F_MODEL, .be = BE(1) },
	{ "counts 2,0,1, cursor 2: same", setup_preset, TCP(42000, 80, SYN),
	  .cursor = CUR(2), .action = XDP_TX, .reasons = R_NEW,
	  .flags = F_MODEL, .be = BE(1) },
	{ "weights 3:1, 4 SYNs: each as (active+1)/weight says", setup_weights,
	  TCP(42000, 80, SYN), .repeat = 4, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL },
	{ "... counts 3:1", NULL, NONE(80),
	  .conns = CONNS(3, 1) },
	{ "weights 3:1, 4 more SYNs", NULL, TCP(42004, 80, SYN), .repeat = 4,
	  .action = XDP_TX, .reasons = R_NEW, .flags = F_MODEL },
	{ "... counts 6:2", NULL, NONE(80),
	  .conns = CONNS(6, 2) },
	{ "down and weight-0 backends never chosen: 5 SYNs all to slot 2",
	  setup_unavailable, TCP(42000, 80, SYN), .repeat = 5,
	  .action = XDP_TX, .reasons = R_NEW, .flags = F_MODEL, .be = BE(2) },
	{ "... counts 0,0,5", NULL, NONE(80),
	  .conns = CONNS(0, 0, 5) },
	/* Refused at once rather than black-holed: more no-backend rows
	 * in cases_reset.c. */
	{ "no backend available: SYN answered RST|ACK from VIP:80, no flow",
	  setup_none, TCP(42000, 80, SYN), .action = XDP_TX,
	  .reasons = R(XLB_R_TX_RST_NO_BACKEND),
	  .flags = F_RST | F_NOSTATE | F_NOFLOW, .nflows = NF(0) },

	/* Round robin. */
	{ "roundrobin, counts 5,0,0: 6 SYNs in turn", setup_rr,
	  TCP(43000, 82, SYN), .repeat = 6, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL },
	{ "... two each: counts 7,2,2", NULL, NONE(82),
	  .conns = CONNS(7, 2, 2) },

	/* Expiry (the xlb_gc program). */
	{ "SYN 10.0.0.100:41000 (left in SYN_SENT)", setup_std,
	  TCP(41000, 80, SYN), .action = XDP_TX, .reasons = R_NEW },
	{ "gc +100 s: SYN_SENT (120 s) not expired yet", NULL,
	  GC(41000, 80, 100), .action = XDP_PASS, .gc_expired = 0,
	  .gc_removed = 0, .nflows = NF(2), .cnt = CNT(1) },
	{ "gc +121 s: expired, count 0, both entries gone", NULL,
	  GC(41000, 80, 121), .action = XDP_PASS,
	  .reasons = R(XLB_R_FLOW_EXPIRED), .gc_expired = 1, .gc_removed = 1,
	  .flags = F_NOFLOW, .nflows = NF(0), .cnt = CNT(0),
	  .conns = CONNS(0, 0, 0) },
	{ "SYN 10.0.0.100:41001", NULL, TCP(41001, 80, SYN),
	  .action = XDP_TX, .reasons = R_NEW },
	{ "SYN-ACK", NULL, BTCP(41001, 80, SYN | ACK), .action = XDP_TX,
	  .reasons = R_TX },
	{ "ACK", NULL, TCP(41001, 80, ACK), .action = XDP_TX, .reasons = R_TX },
	{ "client FIN", NULL, TCP(41001, 80, FIN | ACK), .action = XDP_TX,
	  .reasons = R_TX },
	{ "backend FIN: closed, count 0", NULL, BTCP(41001, 80, FIN | ACK),
	  .action = XDP_TX, .reasons = R_CLOSE, .cnt = CNT(0) },
	{ "gc +121 s: the closed flow removed, not expired (count given back)",
	  NULL, GC(41001, 80, 121), .action = XDP_PASS, .gc_expired = 0,
	  .gc_removed = 1, .flags = F_NOFLOW, .nflows = NF(0), .cnt = CNT(0) },
	{ "SYN 10.0.0.100:41002", NULL, TCP(41002, 80, SYN),
	  .action = XDP_TX, .reasons = R_NEW },
	{ "SYN-ACK", NULL, BTCP(41002, 80, SYN | ACK), .action = XDP_TX,
	  .reasons = R_TX },
	{ "ACK: ESTABLISHED", NULL, TCP(41002, 80, ACK), .action = XDP_TX,
	  .reasons = R_TX, .state = ST(XLB_TCP_ESTABLISHED) },
	{ "gc +100 s: ESTABLISHED (900 s) kept", NULL, GC(41002, 80, 100),
	  .action = XDP_PASS, .gc_expired = 0, .gc_removed = 0,
	  .nflows = NF(2), .cnt = CNT(1), .state = ST(XLB_TCP_ESTABLISHED) },
	{ "gc +901 s: ESTABLISHED expired, count 0", NULL, GC(41002, 80, 901),
	  .action = XDP_PASS, .reasons = R(XLB_R_FLOW_EXPIRED),
	  .gc_expired = 1, .gc_removed = 1, .flags = F_NOFLOW,
	  .nflows = NF(0), .cnt = CNT(0) },
	{ "UDP 10.0.0.100:5000 -> VIP:53", NULL, UDP(5000, MUT_NONE),
	  .action = XDP_TX, .reasons = R_NEW },
	{ "gc +299 s: UDP (300 s) kept", NULL,
	  { .kind = PK_GC, .cport = 5000, .vport = 53, .udp = 1, .advance_s = 299 },
	  .action = XDP_PASS, .nflows = NF(2), .cnt = CNT(1) },
	{ "gc +301 s: UDP expired", NULL,
	  { .kind = PK_GC, .cport = 5000, .vport = 53, .udp = 1, .advance_s = 301 },
	  .action = XDP_PASS, .reasons = R(XLB_R_FLOW_EXPIRED),
	  .gc_expired = 1, .gc_removed = 1, .flags = F_NOFLOW,
	  .nflows = NF(0), .cnt = CNT(0) },
};

ROW_TABLE(xlbt_base, rows);
