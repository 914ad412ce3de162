/* SPDX-License-Identifier: GPL-2.0 */
/* What the IPv6 rows share (cases_ipv6.c, cases_ipv6_icmp.c): the
 * services, building an IPv6 row's input from its pspec (in.v6 set;
 * in.client and in.daddr are fd00::<n>, 0 for CLIENT6 and VIP6) and the
 * packet it must be forwarded as, built from scratch with pkt6_build()
 * (fresh checksums over the IPv6 pseudo-header) for check_tx() (checks.c,
 * both families). */
#ifndef XLBT_CASES6_H
#define XLBT_CASES6_H

#include "cases.h"

/* Service ids, and backend ids BID(id, slot). They are those of other
 * tables' services, which never run at the same time (each table starts
 * from a reset). */
enum { SVC6_WEB = 4, SVC6_DNS = 5, SVC6_NONEIGH = 6, SVC6_KILL = 7 };
#define KILL6_A		BID(SVC6_KILL, 0)	/* [fd00::f]:6001 */
#define KILL6_B		BID(SVC6_KILL, 1)	/* [fd00::10]:6002 */

/* setup_std's IPv4 services, and beside them: [fd00::1]:80/tcp leastconn
 * over [fd00::b-d]:5001-5003; :53/udp over [fd00::15-16]:5353-5354;
 * :81/tcp over [fd00::32] (no neighbour); :84/tcp over [fd00::f]:6001 and
 * [fd00::10]:6002; fd00::1 in "vips"; IPv6 forwarding on lbside. */
int setup6(struct tctx *t);
int backend6(struct tctx *t, __u32 id, unsigned int n, __u16 port,
	     __u32 weight, __u32 flags);
/* n backends fd00::<first + i>:port + i, UP, weight 1 (BID(svc, i)). */
int pool6(struct tctx *t, __u32 svc, __u16 vport, __u8 proto,
	  unsigned int first, __u16 port, int n);

void key6(struct xlb_flow_key *k, const void *src, const void *dst,
	  __u16 sport, __u16 dport, __u8 proto);
/* MAC 02:00:0a:00:00:<last byte> (cases.h). */
void mac6(const void *addr, unsigned char mac[6]);
unsigned int row_client6(const struct row *r);
unsigned int row_daddr6(const struct row *r);

/* The input as built (before malformations). */
extern struct pkt6_desc in6;

/* Changes to a well-formed IPv6 packet (pspec.mut of a v6 row). */
enum pmut6 {
	M6_NONE = 0,
	M6_VLAN = 64,		/* 802.1Q tag, VID 10 */
	M6_UDP_NOCSUM,		/* UDP checksum 0 (not valid IPv6, sent as is) */
	M6_UDP_CSUM0,		/* reply whose rewritten checksum computes to 0 */
	M6_HBH_DST,		/* hop-by-hop (8 bytes), destination options
				 * (24 bytes) before the L4 header */
	M6_DST8,		/* destination options (8 bytes) */
	M6_EXT4,		/* hop-by-hop + 3 destination options: as
				 * many as are walked */
	M6_EXT5,		/* hop-by-hop + 4 destination options */
	M6_ROUTING,		/* a routing header (43) */
	M6_HBH_ROUTING,		/* hop-by-hop, then a routing header */
	M6_FRAG_LATER,		/* a Fragment header, offset 8 (later part) */
	M6_AH,			/* next header 51 (AH) */
	M6_ESP,			/* 50 (ESP) */
	M6_HBH_ESP,		/* hop-by-hop, then ESP */
	M6_NONXT,		/* 59 (no next header) */
	M6_UNKNOWN,		/* 253 (experimental) */
	/* malformed, made after the build */
	M6_PLEN_BIG,		/* payload_len 100 more than the frame holds */
	M6_PLEN_ZERO,		/* payload_len 0 (a jumbogram's) */
	M6_PLEN_L4,		/* payload_len 10: the TCP header past it */
	M6_VERSION4,		/* version 4 in the IPv6 header */
	M6_IP_TRUNC,		/* frame cut 30 bytes into the IPv6 header */
	M6_EXT_TRUNC,		/* hop-by-hop of 32 bytes, frame and
				 * payload_len cut 16 bytes into it */
	M6_EXT_STUB,		/* frame cut 4 bytes into a hop-by-hop */
	M6_EXT_PAST_PLEN,	/* hop-by-hop of 16 bytes, payload_len 12 (the
				 * frame holds the whole packet) */
	M6_EXT_PAST_FRAME,	/* hop-by-hop's length field 20 (168 bytes):
				 * past payload_len and the frame */
	M6_DOFF4,		/* TCP doff 4 */
	M6_DOFF15,		/* TCP doff 15: past the packet */
	M6_TCP_TRUNC,		/* TCP header cut at 10 bytes (payload_len
				 * too) */
	M6_UDP_LEN4,		/* UDP length field 4 */
	M6_UDP_LEN_BIG,		/* UDP length 40 more than the datagram */
	M6_UDP_TRUNC,		/* UDP header cut at 6 bytes (payload_len
				 * too) */
};

/* Builds the input of a v6 TCP/UDP row (PK_TCP, PK_UDP; PK_GC and
 * PK_NONE only set the row's flow key). */
int build6(struct tctx *t, const struct row *r);
/* expect_pkt() of a v6 row. */
int expect6_pkt(struct tctx *t, const struct row *r,
		const struct fx_flow *fa, struct pkt_buf *want);
/* What every v6 row gets besides check_row(): check_tx() when it
 * forwarded its TCP/UDP packet. */
int check6(struct tctx *t, const struct row *r);

#define V6		.build = build6, .check = check6
#define TCP6(c, v, f)	{ .kind = PK_TCP, .v6 = 1, .cport = (c), .vport = (v), \
			  .flags = (f) }
#define BTCP6(c, v, f)	{ .kind = PK_TCP, .v6 = 1, .from = FROM_BACKEND, \
			  .cport = (c), .vport = (v), .flags = (f) }
#define MAL6(c, v, f, m) { .kind = PK_TCP, .v6 = 1, .cport = (c), \
			  .vport = (v), .flags = (f), .mut = (m) }
#define BMAL6(c, v, f, m) { .kind = PK_TCP, .v6 = 1, .from = FROM_BACKEND, \
			  .cport = (c), .vport = (v), .flags = (f), .mut = (m) }
#define UDP6(c, m)	{ .kind = PK_UDP, .v6 = 1, .cport = (c), .vport = 53, \
			  .plen = 5, .mut = (m) }
#define BUDP6(c, m)	{ .kind = PK_UDP, .v6 = 1, .from = FROM_BACKEND, \
			  .cport = (c), .vport = 53, .plen = 6, .mut = (m) }
#define GC6(c, v, s)	{ .kind = PK_GC, .v6 = 1, .cport = (c), .vport = (v), \
			  .advance_s = (s) }
#define NONE6(v)	{ .kind = PK_NONE, .v6 = 1, .vport = (v) }

#endif
