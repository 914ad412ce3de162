// SPDX-License-Identifier: GPL-2.0
/* IPv6 TCP and UDP (issue #4): full NAT exactly as for IPv4 (least
 * connection, both flow entries with family 6, counts), extension headers
 * walked (hop-by-hop and destination options, at most 4) and kept,
 * routing headers and longer chains passed (pass_ipv6_ext), malformed
 * packets passed untouched, RSTs in IPv6, IPv4 and IPv6 services side by
 * side. The shared pieces are cases6.h's; ICMPv6 and fragments are in
 * cases_ipv6_icmp.c. Rows run as in cases.c. */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include "xlb_limits.h"
#include "cases6.h"

/* ---- Row-specific setups and checks -------------------------------- */

static int setup6_fwd_off(struct tctx *t)
{
	return setup6(t) || fx_set_forwarding6(&t->fx, 0);
}

/* IPv6 web backends with 2, 0 and 1 active connections. */
static int setup6_preset(struct tctx *t)
{
	return setup6(t) || fx_set_conns(&t->fx, BID(SVC6_WEB, 0), 2) ||
	       fx_set_conns(&t->fx, BID(SVC6_WEB, 2), 1);
}

/* IPv6 web pool: nothing available (down, weight 0, down); DNS pool
 * down. */
static int setup6_none(struct tctx *t)
{
	return setup6(t) ||
	       backend6(t, BID(SVC6_WEB, 0), 11, 5001, 1, 0) ||
	       backend6(t, BID(SVC6_WEB, 1), 12, 5002, 0, XLB_BACKEND_UP) ||
	       backend6(t, BID(SVC6_WEB, 2), 13, 5003, 1, 0) ||
	       backend6(t, BID(SVC6_DNS, 0), 21, 5353, 1, 0) ||
	       backend6(t, BID(SVC6_DNS, 1), 22, 5354, 1, 0);
}

/* The IPv6 web service's pool holds an IPv4 backend, which the agent
 * never writes (a bind uses only servers of its own family). */
static int setup6_mixed(struct tctx *t)
{
	__u32 bid = BID(SVC_WEB, 0), slot;
	int i;

	if (setup6(t))
		return -1;
	for (i = 0; i < 3; i++) {
		slot = SVC6_WEB * XLB_MAX_SVC_BACKENDS + i;
		if (bpf_map_update_elem(t->fx.svc_backends, &slot, &bid, BPF_ANY))
			return -1;
	}
	return 0;
}

/* The flows map filled with unrelated IPv6 reply entries until the
 * kernel refuses one. */
static int setup6_full(struct tctx *t)
{
	struct xlb_flow_key k;
	struct xlb_flow v = { .dir = XLB_DIR_REPLY, .proto = IPPROTO_TCP,
			      .family = XLB_AF_INET6 };
	__u8 src[16], dst[16];
	int i;

	if (setup6(t))
		return -1;
	ip6_of(dst, VIP6);
	for (i = 0; i < 4 * FX_MAX_FLOWS; i++) {
		ip6_of(src, 0x1000 + i);
		src[1] = 0x77;
		key6(&k, src, dst, 9000, 1024, IPPROTO_TCP);
		if (bpf_map_update_elem(t->fx.flows, &k, &v, BPF_NOEXIST))
			return errno == E2BIG ? 0 : -1;
	}
	return errno = ENOSPC, -1;	/* never full? */
}

/* IPv4 and IPv6 flows side by side, each on its family's pool. */
static int check_families(struct tctx *t, const struct row *r)
{
	int i, n4 = 0, n6 = 0;
	__s64 a4 = 0, a6 = 0;

	check6(t, r);
	for (i = 0; i < t->after.n; i++) {
		const struct fx_flow *e = &t->after.e[i];

		if (e->k.family != e->v.family)
			tfail(t, "entry %d: key family %u, entry family %u", i,
			      e->k.family, e->v.family);
		if (e->k.family == XLB_AF_INET)
			n4++;
		else if (e->k.family == XLB_AF_INET6)
			n6++;
		if (e->v.dir != XLB_DIR_FORWARD)
			continue;
		if (e->k.family == XLB_AF_INET &&
		    e->v.backend / 8 != SVC_WEB && e->v.backend / 8 != SVC_DNS)
			tfail(t, "IPv4 flow on backend %u", e->v.backend);
		if (e->k.family == XLB_AF_INET6 && e->v.backend / 8 != SVC6_WEB &&
		    e->v.backend / 8 != SVC6_DNS)
			tfail(t, "IPv6 flow on backend %u", e->v.backend);
	}
	for (i = 0; i < 3; i++) {
		a4 += fx_conns(&t->fx, BID(SVC_WEB, i));
		a6 += fx_conns(&t->fx, BID(SVC6_WEB, i));
	}
	if (n4 != 4 || n6 != 4 || a4 != 1 || a6 != 1)
		tfail(t, "%d IPv4 and %d IPv6 entries, web counts %lld (IPv4) and %lld (IPv6); want 4, 4, 1, 1",
		      n4, n6, (long long)a4, (long long)a6);
	return 0;
}

#define R_RST_NB	R(XLB_R_TX_RST_NO_BACKEND)
#define R_KILLED	R(XLB_R_TX_RST_KILLED)
#define KILL6(be)	{ .kind = PK_GC, .v6 = 1, .vport = 84, .kill = 1, \
			  .kill_be = (be) }
#define PASS6(x)	V6, PASS_R(x)
/* The live flow's ACK (:40000) malformed as m: untouched, pass_malformed. */
#define MALFORMED6(m)	MAL6(40000, 80, ACK, m), PASS6(XLB_R_PASS_MALFORMED)
/* The ACK of the flow :40010 under another next header: no service's. */
#define OTHER6(m)	MAL6(40010, 80, ACK, m), PASS6(XLB_R_PASS_NOT_SERVICE)

static const struct row rows[] = {
	/* As for IPv4 (cases.c), bpf_fib_lookup() wants forwarding on the
	 * interface: the agent turns net.ipv6.conf.<if>.forwarding on. */
	{ "IPv6 SYN with IPv6 forwarding off on lbside: dropped (DROP_FIB), no state",
	  setup6_fwd_off, TCP6(40000, 80, SYN), V6, .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_FIB), .flags = F_SAME | F_NOSTATE },
	{ "IPv6 SYN to [fd00::1]:8080 (no service) passes untouched", setup6,
	  TCP6(40000, 8080, SYN), PASS6(XLB_R_PASS_NOT_SERVICE) },
	{ "IPv6 SYN to [fd00::2]:80 (not a VIP) passes untouched", NULL,
	  { .kind = PK_TCP, .v6 = 1, .cport = 40000, .vport = 80,
	    .flags = SYN, .daddr = 2 }, PASS6(XLB_R_PASS_NOT_SERVICE) },
	{ "IPv6 UDP to [fd00::1]:54 (no service) passes untouched", NULL,
	  { .kind = PK_UDP, .v6 = 1, .cport = 5000, .vport = 54, .plen = 3 },
	  PASS6(XLB_R_PASS_NOT_SERVICE) },
	{ "stray IPv6 ACK to the VIP, no flow: passes (the kernel resets)",
	  NULL, TCP6(40000, 80, ACK), PASS6(XLB_R_PASS_NO_FLOW) },
	{ "VLAN-tagged IPv6 SYN to the VIP passes untouched", NULL,
	  MAL6(40000, 80, SYN, M6_VLAN), PASS6(XLB_R_PASS_VLAN) },
	{ "IPv6 SYN to :81, backend fd00::32 has no neighbour: dropped, nothing written",
	  NULL, TCP6(40000, 81, SYN), V6, .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_NO_NEIGH), .flags = UNTOUCHED,
	  .nflows = NF(0) },

	/* A TCP flow's life (sequence). */
	{ "IPv6 SYN [fd00::64]:40000 -> [fd00::1]:80: new flow (family 6), NAT to the least loaded backend",
	  setup6, TCP6(40000, 80, SYN), V6, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL, .state = ST(XLB_TCP_SYN_SENT),
	  .cnt = CNT(1), .half = CNT(1), .nflows = NF(2) },
	{ "backend's SYN-ACK: back to [fd00::1]:80 -> client", NULL,
	  BTCP6(40000, 80, SYN | ACK), V6, .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_SYN_RECV), .cnt = CNT(1), .half = CNT(1) },
	{ "SYN retransmit: same backend, same port, count 1", NULL,
	  TCP6(40000, 80, SYN), V6, .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_SYN_RECV), .cnt = CNT(1), .nflows = NF(2) },
	{ "client ACK: ESTABLISHED, active 1, half-open 0", NULL,
	  TCP6(40000, 80, ACK), V6, .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_ESTABLISHED), .cnt = CNT(1), .half = CNT(0) },
	{ "client data (odd length)", NULL,
	  { .kind = PK_TCP, .v6 = 1, .cport = 40000, .vport = 80,
	    .flags = PSH | ACK, .plen = 7 }, V6, .action = XDP_TX,
	  .reasons = R_TX, .state = ST(XLB_TCP_ESTABLISHED) },
	{ "backend data", NULL,
	  { .kind = PK_TCP, .v6 = 1, .from = FROM_BACKEND, .cport = 40000,
	    .vport = 80, .flags = PSH | ACK, .plen = 33 }, V6,
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_ESTABLISHED) },
	{ "client FIN: FIN_WAIT, still counted", NULL,
	  TCP6(40000, 80, FIN | ACK), V6, .action = XDP_TX, .reasons = R_TX,
	  .state = ST(XLB_TCP_FIN_WAIT), .cnt = CNT(1) },
	{ "backend FIN: TIME_WAIT, count back to 0", NULL,
	  BTCP6(40000, 80, FIN | ACK), V6, .action = XDP_TX,
	  .reasons = R_CLOSE, .state = ST(XLB_TCP_TIME_WAIT), .cnt = CNT(0),
	  .half = CNT(0) },
	{ "client's last ACK: count stays 0", NULL, TCP6(40000, 80, ACK), V6,
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_TIME_WAIT),
	  .cnt = CNT(0) },
	{ "new SYN on the TIME_WAIT tuple: a fresh flow, counted again", NULL,
	  TCP6(40000, 80, SYN), V6, .action = XDP_TX, .reasons = R_NEW,
	  .flags = F_FRESH, .state = ST(XLB_TCP_SYN_SENT), .cnt = CNT(1),
	  .nflows = NF(2) },
	{ "SYN :40001", NULL, TCP6(40001, 80, SYN), V6, .action = XDP_TX,
	  .reasons = R_NEW, .cnt = CNT(1), .nflows = NF(4) },
	{ "its backend answers RST|ACK: CLOSE, count 0", NULL,
	  BTCP6(40001, 80, RST | ACK), V6, .action = XDP_TX,
	  .reasons = R_CLOSE, .state = ST(XLB_TCP_CLOSE), .cnt = CNT(0),
	  .half = CNT(0) },
	{ "SYN :40002 then client RST", NULL, TCP6(40002, 80, SYN), V6,
	  .action = XDP_TX, .reasons = R_NEW, .cnt = CNT(1) },
	{ "client RST: CLOSE, count 0", NULL, TCP6(40002, 80, RST | ACK), V6,
	  .action = XDP_TX, .reasons = R_CLOSE, .state = ST(XLB_TCP_CLOSE),
	  .cnt = CNT(0) },

	/* Extension headers: walked, kept as they are. */
	{ "SYN with hop-by-hop and destination options: walked, NAT'd, both kept",
	  setup6, MAL6(40010, 80, SYN, M6_HBH_DST), V6, .action = XDP_TX,
	  .reasons = R_NEW, .cnt = CNT(1), .nflows = NF(2) },
	{ "backend's SYN-ACK with destination options: back to the client, kept",
	  NULL, BMAL6(40010, 80, SYN | ACK, M6_DST8), V6, .action = XDP_TX,
	  .reasons = R_TX, .state = ST(XLB_TCP_SYN_RECV) },
	{ "client ACK behind 4 extension headers (as many as are walked): forwarded",
	  NULL, MAL6(40010, 80, ACK, M6_EXT4), V6, .action = XDP_TX,
	  .reasons = R_TX, .state = ST(XLB_TCP_ESTABLISHED) },
	{ "client data behind 5 extension headers: passes untouched (pass_ipv6_ext)",
	  NULL, { .kind = PK_TCP, .v6 = 1, .cport = 40010, .vport = 80,
		  .flags = PSH | ACK, .plen = 5, .mut = M6_EXT5 },
	  PASS6(XLB_R_PASS_IPV6_EXT) },
	{ "client data with a routing header: passes untouched (pass_ipv6_ext)",
	  NULL, { .kind = PK_TCP, .v6 = 1, .cport = 40010, .vport = 80,
		  .flags = PSH | ACK, .plen = 5, .mut = M6_ROUTING },
	  PASS6(XLB_R_PASS_IPV6_EXT) },
	{ "new SYN with hop-by-hop then a routing header: passes, no flow", NULL,
	  MAL6(40011, 80, SYN, M6_HBH_ROUTING), PASS6(XLB_R_PASS_IPV6_EXT) },
	{ "later fragment (Fragment header, offset 8) on the flow's tuple: the kernel's",
	  NULL, MAL6(40010, 80, ACK, M6_FRAG_LATER),
	  PASS6(XLB_R_PASS_FRAGMENT) },
	{ "AH (51) after the header: not a service's", NULL, OTHER6(M6_AH) },
	{ "ESP (50): not a service's", NULL, OTHER6(M6_ESP) },
	{ "hop-by-hop then ESP: not a service's", NULL, OTHER6(M6_HBH_ESP) },
	{ "no next header (59): not a service's", NULL, OTHER6(M6_NONXT) },
	{ "unknown next header (253): not a service's", NULL,
	  OTHER6(M6_UNKNOWN) },
	{ "the flow still works: backend data", NULL,
	  { .kind = PK_TCP, .v6 = 1, .from = FROM_BACKEND, .cport = 40010,
	    .vport = 80, .flags = PSH | ACK, .plen = 11 }, V6,
	  .action = XDP_TX, .reasons = R_TX, .cnt = CNT(1), .nflows = NF(2) },

	/* Malformed, on the tuple of a live flow: untouched, never sent. */
	{ "IPv6 SYN :40000 (a live flow for the cases below)", setup6,
	  TCP6(40000, 80, SYN), V6, .action = XDP_TX, .reasons = R_NEW },
	{ "payload_len 100 bytes more than the frame", NULL,
	  MALFORMED6(M6_PLEN_BIG) },
	{ "payload_len 0 (a jumbogram's, never on Ethernet)", NULL,
	  MALFORMED6(M6_PLEN_ZERO) },
	{ "payload_len 10: the TCP header past it (in the frame's padding)",
	  NULL, MALFORMED6(M6_PLEN_L4) },
	{ "version 4 in an IPv6 frame", NULL, MALFORMED6(M6_VERSION4) },
	{ "IPv6 header cut at 30 bytes", NULL, MALFORMED6(M6_IP_TRUNC) },
	{ "hop-by-hop of 32 bytes, frame and payload_len end 16 bytes into it",
	  NULL, MALFORMED6(M6_EXT_TRUNC) },
	{ "frame ends 4 bytes into a hop-by-hop header", NULL,
	  MALFORMED6(M6_EXT_STUB) },
	{ "hop-by-hop of 16 bytes past payload_len 12 (frame holds it all)",
	  NULL, MALFORMED6(M6_EXT_PAST_PLEN) },
	{ "hop-by-hop length 168 bytes, past payload_len and the frame", NULL,
	  MALFORMED6(M6_EXT_PAST_FRAME) },
	{ "TCP doff 4", NULL, MALFORMED6(M6_DOFF4) },
	{ "TCP doff 15, past the packet", NULL, MALFORMED6(M6_DOFF15) },
	{ "TCP header cut at 10 bytes", NULL, MALFORMED6(M6_TCP_TRUNC) },
	{ "new SYN, TCP header cut at 10 bytes", NULL,
	  MAL6(40100, 80, SYN, M6_TCP_TRUNC), PASS6(XLB_R_PASS_MALFORMED) },
	{ "UDP length 4", NULL, UDP6(5000, M6_UDP_LEN4),
	  PASS6(XLB_R_PASS_MALFORMED) },
	{ "UDP length 40 more than the datagram", NULL,
	  UDP6(5000, M6_UDP_LEN_BIG), PASS6(XLB_R_PASS_MALFORMED) },
	{ "UDP header cut at 6 bytes", NULL, UDP6(5000, M6_UDP_TRUNC),
	  PASS6(XLB_R_PASS_MALFORMED) },
	{ "the live flow still works after all that", NULL,
	  BTCP6(40000, 80, SYN | ACK), V6, .action = XDP_TX, .reasons = R_TX,
	  .nflows = NF(2), .cnt = CNT(1) },

	/* UDP. */
	{ "UDP [fd00::64]:5000 -> [fd00::1]:53: new flow, checksum over the new pseudo-header",
	  setup6, UDP6(5000, M6_NONE), V6, .action = XDP_TX, .reasons = R_NEW,
	  .state = ST(XLB_UDP), .cnt = CNT(1), .half = CNT(0), .nflows = NF(2) },
	{ "UDP reply: back to [fd00::1]:53 -> client", NULL,
	  BUDP6(5000, M6_NONE), V6, .action = XDP_TX, .reasons = R_TX,
	  .nflows = NF(2) },
	{ "UDP second datagram: same flow", NULL, UDP6(5000, M6_NONE), V6,
	  .action = XDP_TX, .reasons = R_TX, .nflows = NF(2), .cnt = CNT(1) },
	{ "UDP reply whose new checksum computes to 0: sent as 0xffff", NULL,
	  BUDP6(5000, M6_UDP_CSUM0), V6, .action = XDP_TX, .reasons = R_TX },
	{ "UDP with checksum 0 (invalid in IPv6): sent on as it is, still 0",
	  NULL, UDP6(5001, M6_UDP_NOCSUM), V6, .action = XDP_TX,
	  .reasons = R_NEW },
	{ "... its reply likewise; one flow on each DNS backend", NULL,
	  BUDP6(5001, M6_UDP_NOCSUM), V6, .action = XDP_TX, .reasons = R_TX,
	  .conns = CONNS(1, 1) },
	{ "UDP datagram behind hop-by-hop and destination options", NULL,
	  UDP6(5002, M6_HBH_DST), V6, .action = XDP_TX, .reasons = R_NEW,
	  .nflows = NF(6) },

	/* Least connection, as for IPv4. */
	{ "3 IPv6 SYNs, 3 idle equal backends: one each", setup6,
	  TCP6(42000, 80, SYN), .repeat = 3, V6, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL, .cnt = CNT(1) },
	{ "... counts 1,1,1", NULL, NONE6(80), V6, .conns = CONNS(1, 1, 1) },
	{ "counts 2,0,1, cursor 0: the SYN goes to the idle one", setup6_preset,
	  TCP6(42000, 80, SYN), V6, .cursor = CUR(0), .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL, .be = BE(BID(SVC6_WEB, 1)),
	  .conns = CONNS(2, 1, 1) },
	{ "counts 2,0,1, cursor 2: same", setup6_preset, TCP6(42000, 80, SYN),
	  V6, .cursor = CUR(2), .action = XDP_TX, .reasons = R_NEW,
	  .flags = F_MODEL, .be = BE(BID(SVC6_WEB, 1)) },
	{ "then 4 more: each as (active + 1) / weight says", NULL,
	  TCP6(42001, 80, SYN), .repeat = 4, V6, .action = XDP_TX,
	  .reasons = R_NEW, .flags = F_MODEL },

	/* IPv4 and IPv6 side by side: the same port, each on its own pool. */
	{ "side by side: IPv4 SYN 10.0.0.100:40000 -> VIP:80 to an IPv4 backend",
	  setup6, TCP(40000, 80, SYN), .action = XDP_TX, .reasons = R_NEW,
	  .nflows = NF(2), .conns = CONNS(1, 0, 0) },
	{ "IPv6 SYN [fd00::64]:40000 -> [fd00::1]:80 to an IPv6 backend", NULL,
	  TCP6(40000, 80, SYN), V6, .action = XDP_TX, .reasons = R_NEW,
	  .nflows = NF(4), .conns = CONNS(1, 0, 0) },
	{ "IPv4 backend's SYN-ACK", NULL, BTCP(40000, 80, SYN | ACK),
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_SYN_RECV) },
	{ "IPv6 backend's SYN-ACK", NULL, BTCP6(40000, 80, SYN | ACK), V6,
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_SYN_RECV) },
	{ "IPv4 UDP to VIP:53", NULL, UDP(5000, MUT_NONE), .action = XDP_TX,
	  .reasons = R_NEW },
	{ "IPv6 UDP to [fd00::1]:53: each family's flows and counts apart",
	  NULL, UDP6(5000, M6_NONE), .build = build6, .action = XDP_TX,
	  .reasons = R_NEW, .nflows = NF(8), .check = check_families },
	{ "an IPv6 service whose pool holds an IPv4 backend: dropped, no state",
	  setup6_mixed, TCP6(40000, 80, SYN), V6, .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_NO_BACKEND), .flags = UNTOUCHED },

	/* RSTs in IPv6: Ethernet + 40 + 20 bytes, from the address the
	 * packet was sent to. */
	{ "no IPv6 backend available: SYN answered RST|ACK from [fd00::1]:80 (74 bytes), no flow",
	  setup6_none, TCP6(42000, 80, SYN), V6, .action = XDP_TX,
	  .reasons = R_RST_NB, .flags = F_RST | F_NOSTATE | F_NOFLOW,
	  .nflows = NF(0) },
	{ "no backend, SYN behind hop-by-hop and destination options with 5 bytes: RST|ACK, ack = seq + 6, headers gone",
	  NULL, { .kind = PK_TCP, .v6 = 1, .cport = 42001, .vport = 80,
		  .flags = SYN, .plen = 5, .mut = M6_HBH_DST }, V6,
	  .action = XDP_TX, .reasons = R_RST_NB,
	  .flags = F_RST | F_NOSTATE | F_NOFLOW },
	{ "no IPv6 backend, UDP: dropped (drop_no_backend), no flow", NULL,
	  UDP6(5000, M6_NONE), V6, .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_NO_BACKEND), .flags = UNTOUCHED | F_NOFLOW },
	{ "table full: IPv6 SYN answered RST|ACK (tx_rst_table_full), no flow",
	  setup6_full, TCP6(45000, 80, SYN), V6, .action = XDP_TX,
	  .reasons = R(XLB_R_TX_RST_TABLE_FULL),
	  .flags = F_RST | F_NOSTATE | F_NOFLOW, .conns = CONNS(0, 0, 0) },
	{ "table full: IPv6 UDP dropped (drop_table_full)", NULL,
	  UDP6(5000, M6_NONE), V6, .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_TABLE_FULL), .flags = UNTOUCHED | F_NOFLOW },
	{ "kill: IPv6 SYN :44000 to A", setup6, TCP6(44000, 84, SYN), V6,
	  .action = XDP_TX, .reasons = R_NEW, .flags = F_MODEL,
	  .be = BE(KILL6_A), .cnt = CNT(1) },
	{ "kill: A's SYN-ACK", NULL, BTCP6(44000, 84, SYN | ACK), V6,
	  .action = XDP_TX, .reasons = R_TX },
	{ "kill: client ACK, ESTABLISHED", NULL, TCP6(44000, 84, ACK), V6,
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_ESTABLISHED) },
	{ "kill: SYN :44001 to B", NULL, TCP6(44001, 84, SYN), V6,
	  .action = XDP_TX, .reasons = R_NEW, .flags = F_MODEL,
	  .be = BE(KILL6_B), .conns = CONNS(1, 1) },
	{ "kill A: killed 1, A's count 0, B's untouched, entries kept", NULL,
	  KILL6(KILL6_A), V6, .action = XDP_PASS, .gc_killed = 1,
	  .nflows = NF(4), .conns = CONNS(0, 1) },
	{ "killed flow, client data with ACK: RST (74 bytes), seq = its ack",
	  NULL, { .kind = PK_TCP, .v6 = 1, .cport = 44000, .vport = 84,
		  .flags = PSH | ACK, .plen = 7 }, V6, .action = XDP_TX,
	  .reasons = R_KILLED, .flags = F_RST | F_NOSTATE },
	{ "killed flow, backend data: RST to A from [fd00::1]:its port", NULL,
	  { .kind = PK_TCP, .v6 = 1, .from = FROM_BACKEND, .cport = 44000,
	    .vport = 84, .flags = PSH | ACK, .plen = 9 }, V6,
	  .action = XDP_TX, .reasons = R_KILLED, .flags = F_RST | F_NOSTATE },
	{ "killed flow, client RST: dropped, nothing to answer", NULL,
	  TCP6(44000, 84, RST), V6, .action = XDP_DROP,
	  .reasons = R(XLB_R_DROP_KILLED), .flags = UNTOUCHED },
	{ "B's flow still forwarded: its SYN-ACK", NULL,
	  BTCP6(44001, 84, SYN | ACK), V6, .action = XDP_TX, .reasons = R_TX,
	  .cnt = CNT(1) },

	/* Expiry: IPv6 flows age as IPv4 ones. */
	{ "IPv6 SYN :41000 (left in SYN_SENT)", setup6, TCP6(41000, 80, SYN),
	  V6, .action = XDP_TX, .reasons = R_NEW },
	{ "gc +121 s: expired, count 0, both entries gone", NULL,
	  GC6(41000, 80, 121), V6, .action = XDP_PASS,
	  .reasons = R(XLB_R_FLOW_EXPIRED), .gc_expired = 1, .gc_removed = 1,
	  .flags = F_NOFLOW, .nflows = NF(0), .cnt = CNT(0), .half = CNT(0),
	  .conns = CONNS(0, 0, 0) },
	{ "IPv6 UDP :5000", NULL, UDP6(5000, M6_NONE), V6, .action = XDP_TX,
	  .reasons = R_NEW },
	{ "gc +301 s: UDP expired", NULL,
	  { .kind = PK_GC, .v6 = 1, .cport = 5000, .vport = 53, .udp = 1,
	    .advance_s = 301 }, V6, .action = XDP_PASS,
	  .reasons = R(XLB_R_FLOW_EXPIRED), .gc_expired = 1, .gc_removed = 1,
	  .flags = F_NOFLOW, .nflows = NF(0), .cnt = CNT(0) },
};

ROW_TABLE(xlbt_ipv6, rows);
