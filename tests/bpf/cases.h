/* SPDX-License-Identifier: GPL-2.0 */
/* The fixture table's row: {description, input packet, expected action,
 * expected reasons, checks on the output and on the maps}. Rows run in
 * order; a row with a setup starts from a reset state, a row without one
 * continues the previous rows' flows (documented sequences). */
#ifndef XLBT_CASES_H
#define XLBT_CASES_H

#include <limits.h>
#include "fixture.h"

/* The topology run.sh builds: lbside holds 10.0.0.1/24 (the VIP and the
 * balancer's source address). Permanent neighbours 10.0.0.11-40 and the
 * client 10.0.0.100 have MAC 02:00:0a:00:00:<last octet>; 10.0.0.50 and
 * 10.0.0.101 have no neighbour entry. */
#define VIP		IP4(10, 0, 0, 1)
#define CLIENT		IP4(10, 0, 0, 100)
#define CLIENT_NONEIGH	IP4(10, 0, 0, 101)
#define BE_NONEIGH	IP4(10, 0, 0, 50)
void mac_of(__u32 ip, unsigned char mac[6]);

/* IPv6 (cases_ipv6.c): lbside also holds fd00::1/64 (VIP6, the balancer's
 * source address); permanent neighbours fd00::b-fd00::28 (11-40) and
 * fd00::64 (100, the client) have MAC 02:00:0a:00:00:<last byte>, as
 * their IPv4 twins; fd00::32 (50) and fd00::65 (101) have none. */
#define VIP6		1
#define CLIENT6		100
/* fd00::<n> (n < 65536) into a[16], as on the wire. */
void ip6_of(__u8 a[16], unsigned int n);

enum pkind { PK_NONE, PK_TCP, PK_UDP, PK_ICMP, PK_ARP, PK_IPV6, PK_GC };
enum pfrom { FROM_CLIENT, FROM_BACKEND };

/* Changes to a well-formed packet. */
enum pmut {
	MUT_NONE,
	MUT_VLAN,		/* 802.1Q tag, VID 10 */
	MUT_IP_OPTS,		/* IHL 6 (one word of NOP options) */
	MUT_UDP_NOCSUM,		/* UDP checksum field 0 */
	MUT_UDP_CSUM0,		/* reply whose rewritten checksum computes to 0 */
	MUT_FRAG_MF,		/* first fragment: MF set */
	MUT_FRAG_OFF,		/* later fragment: offset 128 */
	MUT_OPTS_MAX,		/* IHL 15 (40 bytes of NOPs), TCP doff 15
				 * (MSS + 36 bytes of NOPs) */
	/* malformed, made after the build */
	MUT_ETH_SHORT,		/* 13 bytes: shorter than Ethernet */
	MUT_VLAN_TRUNC,		/* 802.1Q type, tag cut off */
	MUT_IP_TRUNC,		/* Ethernet + 12 bytes of IPv4 header */
	MUT_IHL4,		/* IHL 4 */
	MUT_IHL15,		/* IHL 15: header runs past the frame */
	MUT_TOTLEN_BIG,		/* tot_len 100 more than the frame holds */
	MUT_TOTLEN_SMALL,	/* tot_len 10 (< the header) */
	MUT_DOFF4,		/* TCP doff 4 */
	MUT_DOFF15,		/* TCP doff 15: past the packet */
	MUT_TCP_TRUNC,		/* TCP header cut at 10 bytes (tot_len too) */
	MUT_UDP_LEN4,		/* UDP length field 4 */
	MUT_UDP_TRUNC,		/* UDP header cut at 6 bytes (tot_len too) */
};

struct pspec {
	__u8 kind;		/* enum pkind */
	__u8 from;		/* enum pfrom: backend = the flow's backend */
	__u8 flags;		/* TCP flags */
	__u8 mut;		/* enum pmut */
	__u16 cport;		/* client port (identifies the flow) */
	__u16 vport;		/* service port */
	__u32 daddr;		/* 0: the VIP */
	__u32 client;		/* 0: CLIENT */
	__u8 plen;		/* payload bytes */
	__u8 udp;		/* PK_GC/PK_NONE: the flow is UDP */
	__u32 advance_s;	/* PK_GC: seconds to pretend have passed */
	__u8 kill;		/* PK_GC: a kill pass (shutdown-sessions) */
	__u32 kill_be;		/* PK_GC kill: the backend id */
	__u8 v6;		/* IPv6 (cases_ipv6.c): daddr and client
				 * are then fd00::<n> (0: VIP6, CLIENT6) */
};

#define F_SAME		(1u << 0)	/* output bytes == input bytes */
#define F_NOSTATE	(1u << 1)	/* flows and backend_conns unchanged */
#define F_NOFLOW	(1u << 2)	/* the flow has no entry afterwards */
#define F_MODEL		(1u << 3)	/* backend = what the algorithm predicts */
#define F_FRESH		(1u << 4)	/* a new flow replaces a closed one */
#define F_RST		(1u << 5)	/* output = the RST reply to the input
					 * (RFC 793), built from scratch */

#define ACT_EINVAL	(-22)		/* the kernel refuses to run it */

/* Fields where 0 means "not checked": the value is stored plus one. */
#define ST(x)		((x) + 1)	/* the forward entry's state */
#define CNT(x)		((x) + 1)	/* backend_conns of the flow's backend */
#define BE(x)		((x) + 1)	/* the flow's backend id */
#define CUR(x)		((x) + 1)	/* service cursor set before the run */
#define NF(x)		((x) + 1)	/* flow entries afterwards */
#define CONNS_END	LLONG_MIN
/* backend_conns of the service's slots 0.. afterwards */
#define CONNS(...)	((const long long[]){ __VA_ARGS__, CONNS_END })

#define R(x)		(1u << (x))
#define R_TX		R(XLB_R_FORWARD_TX)
#define R_NEW		(R_TX | R(XLB_R_FLOW_CREATED))
#define R_CLOSE		(R_TX | R(XLB_R_FLOW_CLOSED))

struct tctx;

struct row {
	const char *desc;
	int (*setup)(struct tctx *t);
	struct pspec in;
	int repeat;		/* run n packets, cport + i (0: once) */
	int action;		/* XDP_* or ACT_EINVAL */
	__u32 reasons;		/* each +1 per packet, all others +0 */
	__u32 flags;		/* F_* */
	int state, cnt, be, cursor, nflows;	/* +1 encoded */
	const long long *conns;
	int half;		/* +1 encoded: half_open of the flow's backend */
	int gc_expired, gc_removed, gc_killed;	/* PK_GC */
	int (*check)(struct tctx *t, const struct row *r);
	/* Builds t->in itself instead of build_input() (t->fkey is set
	 * from in first); the output is then .check's to verify. */
	int (*build)(struct tctx *t, const struct row *r);
};

struct tctx {
	struct fx fx;
	struct fx_dump before, after;
	__u64 r_before[XLB_R_MAX], r_after[XLB_R_MAX];
	__s64 c_before[FX_NBACKENDS];
	__s64 h_before[FX_NBACKENDS];	/* half_open */
	__u32 cur_before;	/* cursor of the row's service */
	int svc_id;		/* the row's service, -1 if none */
	struct xlb_flow_key fkey;	/* the row's forward key */
	struct pkt_desc desc;	/* input, before malformations */
	struct pkt_buf in, out;
	struct xlb_gc_result gc;
	__u32 action;
	const struct row *row;
	int iter;
	int failed;
};

/* The tables, run in this order (test_bpf.c); each starts with a setup. */
struct row_table {
	const char *name;
	const struct row *rows;
	int n;
};
#define ROW_TABLE(var, rows) \
	const struct row_table var = { #var, rows, sizeof(rows) / sizeof(rows[0]) }
extern const struct row_table xlbt_base;	/* cases.c */
extern const struct row_table xlbt_tiers;	/* cases_tiers.c */
extern const struct row_table xlbt_reset;	/* cases_reset.c */
extern const struct row_table xlbt_icmp;	/* cases_icmp.c */
extern const struct row_table xlbt_flood;	/* cases_flood.c */
extern const struct row_table xlbt_ipv6;	/* cases_ipv6.c */
extern const struct row_table xlbt_ipv6_icmp;	/* cases_ipv6_icmp.c */
extern const struct row_table xlbt_random;	/* cases_random.c */

/* Shared by the case files (cases.c). Service ids; a pool's backend ids
 * are service id * 8 + slot. */
enum { SVC_WEB, SVC_DNS, SVC_NONEIGH, SVC_RR, SVC_TIER, SVC_TIER_RR,
       SVC_KILL, SVC_FLOOD, SVC_END };
#define BID(svc, slot)	((svc) * 8 + (slot))
/* A pool of n backends first_ip+i:port+i, UP, weight w[i] (1 if w is
 * NULL), as service svc on VIP:vip_port. */
int pool(struct tctx *t, __u32 svc, __u32 vip_port, __u8 proto, __u32 algo,
	 __u32 first_ip, __u16 port, const __u32 *w, int n);
/* VIP:80/tcp leastconn 10.0.0.11-13:5001-5003; VIP:53/udp
 * 10.0.0.21-22:5353-5354; VIP:81/tcp 10.0.0.50; VIP:82/tcp roundrobin
 * 10.0.0.31-33:8080-8082; forwarding on. */
int setup_std(struct tctx *t);

#define SYN	0x02
#define FIN	0x01
#define RST	0x04
#define PSH	0x08
#define ACK	0x10

#define TCP(c, v, f)	{ .kind = PK_TCP, .cport = (c), .vport = (v), .flags = (f) }
#define BTCP(c, v, f)	{ .kind = PK_TCP, .from = FROM_BACKEND, .cport = (c), \
			  .vport = (v), .flags = (f) }
#define MAL(c, v, f, m)	{ .kind = PK_TCP, .cport = (c), .vport = (v), \
			  .flags = (f), .mut = (m) }
#define UDP(c, m)	{ .kind = PK_UDP, .cport = (c), .vport = 53, .plen = 5, \
			  .mut = (m) }
#define BUDP(c, m)	{ .kind = PK_UDP, .from = FROM_BACKEND, .cport = (c), \
			  .vport = 53, .plen = 6, .mut = (m) }
#define GC(c, v, s)	{ .kind = PK_GC, .cport = (c), .vport = (v), .advance_s = (s) }
#define NONE(v)		{ .kind = PK_NONE, .vport = (v) }
#define UNTOUCHED	(F_SAME | F_NOSTATE)
#define PASS_R(x)	.action = XDP_PASS, .reasons = R(x), .flags = UNTOUCHED

/* The service the row's packet is for (its family's VIP, or in.daddr, on
 * in.vport, TCP or UDP as in.kind/in.udp say): 0, or -errno. */
int row_service(struct tctx *t, const struct row *r, struct xlb_svc *s);

void tfail(struct tctx *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The generic checks of a row once its packet ran (checks.c). */
void check_row(struct tctx *t, const struct row *r);
/* A forwarded TCP/UDP packet of either family (check_row's for IPv4,
 * check6's): the output verified, byte for byte the packet built from
 * scratch; from the client, the flow fresh or tracked as the row says,
 * a new one's entries and counts as the design says. */
void check_tx(struct tctx *t, const struct row *r);
/* The output must be want, byte for byte (else where they differ). */
void expect_same(struct tctx *t, const struct pkt_buf *want,
		 const char *what);

/* IPv4 rows' packets (build.c). in.client and in.daddr, or CLIENT, VIP. */
__u32 row_client(const struct row *r);
__u32 row_daddr(const struct row *r);
/* The forward entry (before the run, t->fkey) a backend's packet on
 * client port cport answers; NULL, after tfail, when there is none. */
const struct fx_flow *row_flow(struct tctx *t, __u16 cport);
/* Build the row's input; -1 (after tfail) when it cannot. */
int build_input(struct tctx *t, const struct row *r);
/* The packet the balancer must send for the input: from the client, to
 * the backend of the forward entry fa. -1 when there is none. */
int expect_pkt(struct tctx *t, const struct row *r, const struct fx_flow *fa,
	       struct pkt_buf *want);

#endif
