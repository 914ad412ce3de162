// SPDX-License-Identifier: GPL-2.0
/* ICMPv6 and IPv6 fragments (bpf/icmp6.h, bpf/frag.h): echo requests to
 * an IPv6 VIP answered, neighbour discovery and other types left to the
 * kernel, errors (destination unreachable, packet too big, time exceeded,
 * parameter problem) about tracked flows translated both ways with the
 * flow's NAT, and fragments of flows followed as IPv4's. Every output is
 * compared byte for byte with a packet built here from scratch (the
 * ICMPv6 checksum over the new outer pseudo-header, the quoted L4
 * checksum over the quoted one), and verified on its own. Rows run as in
 * cases.c; these build their input themselves (row.build). */
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb.skel.h"
#include "xlb_frag.h"
#include "cases6.h"

#define ROUTER6_BE	40		/* fd00::28, a router on the backends' side */
#define ROUTER6_CL	39		/* fd00::27, one on the client's side */
#define FRAG6_ID_C	0x51510000	/* the client's datagrams: + port */
#define FRAG6_ID_B	0x61610000	/* the backend's answers: + port */
#define DGRAM6_PLEN	40		/* UDP payload, in 2 fragments */
#define FRAG6_CUT	24		/* bytes of the UDP part in the first */

/* The output verified on its own, then byte for byte want. */
static void expect_same6(struct tctx *t, const struct pkt_buf *want,
			 const char *what)
{
	char why[128];

	if (pkt6_verify(&t->out, why, sizeof(why)))
		tfail(t, "output: %s", why);
	expect_same(t, want, what);
}

/* ---- Echo and other types ------------------------------------------ */

/* Variants of an ICMPv6 row (in.mut; in.flags is the type, 0: 128). */
enum { I6_NONE, I6_SRC_MCAST, I6_SRC_UNSPEC, I6_SRC_LOOP, I6_HBH, I6_VLAN,
       I6_FRAG, I6_TRUNC };

static struct pkt6_desc echo;

/* An ICMPv6 message from the client (hop limit 57, 9 bytes of data) to
 * in.daddr (fd00::<n>, 0: the VIP). */
static int build_icmp6(struct tctx *t, const struct row *r)
{
	struct pkt6_desc *d = &echo;

	memset(d, 0, sizeof(*d));
	mac_of(CLIENT6, d->smac);
	memcpy(d->dmac, t->fx.lb_mac, 6);
	d->proto = IPPROTO_ICMPV6;
	d->hop = 57;
	d->flow = 0x00054321;
	ip6_of(d->saddr, CLIENT6);
	ip6_of(d->daddr, row_daddr6(r));
	d->icmp_type = r->in.flags ? r->in.flags : 128;
	d->icmp_rest = 0x42420001;		/* id, sequence */
	d->plen = 9;
	memcpy(d->payload, "pingpong!", 9);
	switch (r->in.mut) {
	case I6_SRC_MCAST:
		memset(d->saddr, 0, 16);
		d->saddr[0] = 0xff;
		d->saddr[1] = 0x02;
		d->saddr[15] = 1;		/* ff02::1 */
		break;
	case I6_SRC_UNSPEC:
		memset(d->saddr, 0, 16);	/* :: */
		break;
	case I6_SRC_LOOP:
		memset(d->saddr, 0, 16);
		d->saddr[15] = 1;		/* ::1 */
		break;
	case I6_HBH:
		d->ext[0].type = 0;
		d->n_ext = 1;
		break;
	case I6_VLAN:
		d->vlan_tci = 10;
		break;
	case I6_FRAG:
		d->ext[0].type = 44;
		d->ext[0].frag_off = 1;		/* first, more to come */
		d->ext[0].frag_id = 0x1234;
		d->n_ext = 1;
		break;
	}
	pkt6_build(d, &t->in);
	if (r->in.mut == I6_TRUNC) {
		/* 6 bytes of ICMPv6: header cut, payload_len too. */
		t->in.len = ETH_HLEN + 40 + 6;
		t->in.d[ETH_HLEN + 4] = 0;
		t->in.d[ETH_HLEN + 5] = 6;
	}
	return 0;
}

/* The echo reply: MACs and addresses swapped, hop limit 64, type 129,
 * the rest (flow label, id, sequence, data) as it was. */
static int check_echo6(struct tctx *t, const struct row *r)
{
	struct pkt6_desc e = echo;
	struct pkt_buf want;

	memcpy(e.smac, echo.dmac, 6);
	memcpy(e.dmac, echo.smac, 6);
	memcpy(e.saddr, echo.daddr, 16);
	memcpy(e.daddr, echo.saddr, 16);
	e.hop = 64;
	e.icmp_type = 129;
	pkt6_build(&e, &want);
	expect_same6(t, &want, "echo reply");
	return 0;
}

/* ---- Errors -------------------------------------------------------- */

/* An ICMPv6 error frame from osrc to odst quoting the first quote bytes
 * (0: all) of the IPv6 packet described by inner. */
static void icmp6_frame(struct pkt_buf *b, const unsigned char *dmac,
			const unsigned char *smac, const __u8 *osrc,
			const __u8 *odst, __u8 type, __u8 code, __u32 rest,
			const struct pkt6_desc *inner, unsigned int quote)
{
	struct pkt6_desc o = {};
	struct pkt_buf ib;
	unsigned int ilen;

	pkt6_build(inner, &ib);
	ilen = ib.len - ETH_HLEN;
	if (!quote || quote > ilen)
		quote = ilen;
	memcpy(o.dmac, dmac, 6);
	memcpy(o.smac, smac, 6);
	o.proto = IPPROTO_ICMPV6;
	o.hop = 63;
	memcpy(o.saddr, osrc, 16);
	memcpy(o.daddr, odst, 16);
	o.icmp_type = type;
	o.icmp_code = code;
	o.icmp_rest = rest;
	memcpy(o.payload, ib.d + ETH_HLEN, quote);
	o.plen = quote;
	pkt6_build(&o, b);
}

static struct {
	struct pkt_buf want;
	int l4_whole;		/* the quote holds the whole inner datagram */
} err;

/* The flow's packets as each side sees them: towards the backend
 * ([fd00::1]:port -> backend) and towards the client (VIP -> client). */
static int flow_descs6(struct tctx *t, const struct row *r,
		       struct pkt6_desc *to_be, struct pkt6_desc *to_cl)
{
	const struct fx_flow *f = fx_find(&t->before, &t->fkey);

	if (!f) {
		tfail(t, "no flow for port %u", r->in.cport);
		return -1;
	}
	memset(to_be, 0, sizeof(*to_be));
	to_be->proto = t->fkey.proto;
	memcpy(to_be->saddr, &f->v.nat_src, 16);
	memcpy(to_be->daddr, &f->v.nat_dst, 16);
	to_be->sport = ntohs(f->v.nat_sport);
	to_be->dport = ntohs(f->v.nat_dport);
	to_be->tcp_flags = PSH | ACK;
	to_be->seq = 1000001 + r->in.cport;
	to_be->ack_seq = 7000001;
	to_be->flow = 0x000abcde;
	to_be->plen = r->in.plen;
	memcpy(to_be->payload, "0123456789abcdefghij", 20);
	*to_cl = *to_be;
	ip6_of(to_cl->saddr, VIP6);
	ip6_of(to_cl->daddr, CLIENT6);
	to_cl->sport = r->in.vport;
	to_cl->dport = r->in.cport;
	to_cl->seq = 7000001;
	to_cl->ack_seq = 1000001 + r->in.cport;
	return 0;
}

static void build_key(struct tctx *t, const struct row *r)
{
	__u8 c[16], v[16];

	ip6_of(c, CLIENT6);
	ip6_of(v, VIP6);
	key6(&t->fkey, c, v, r->in.cport, r->in.vport,
	     r->in.udp ? IPPROTO_UDP : IPPROTO_TCP);
}

/* in.from: which side the error comes from (FROM_BACKEND: a router
 * there, about what the balancer sent the backend; FROM_CLIENT: a router
 * on the client's side, about what it sent the client; with in.client
 * set, the peer itself); in.flags: the type, in.mut: the code; in.kill:
 * quote only 8 bytes of L4; rest: packet too big's MTU 1280, parameter
 * problem's pointer 6. */
static int build_err6(struct tctx *t, const struct row *r)
{
	const struct fx_flow *f;
	struct pkt6_desc be, cl, *q, *qe;
	unsigned char rmac[6], emac[6];
	__u32 rest = r->in.flags == 2 ? 1280 : r->in.flags == 4 ? 6 : 0;
	unsigned int quote = r->in.kill ? 40 + 8 : 0;
	__u8 osrc[16], odst[16], esrc[16], edst[16];

	build_key(t, r);
	f = fx_find(&t->before, &t->fkey);
	if (flow_descs6(t, r, &be, &cl))
		return -1;
	if (r->in.from == FROM_BACKEND) {
		q = &be;		/* quoted as sent to the backend */
		qe = &cl;		/* ... as the client sent it */
		ip6_of(qe->saddr, CLIENT6);
		ip6_of(qe->daddr, VIP6);
		qe->sport = r->in.cport;
		qe->dport = r->in.vport;
		qe->seq = be.seq;
		qe->ack_seq = be.ack_seq;
		if (r->in.client)
			memcpy(osrc, be.daddr, 16);	/* the backend */
		else
			ip6_of(osrc, ROUTER6_BE);
		memcpy(odst, be.saddr, 16);
		ip6_of(esrc, VIP6);
		ip6_of(edst, CLIENT6);
		mac_of(CLIENT6, emac);
	} else {
		q = &cl;		/* quoted as sent to the client */
		qe = &be;		/* ... as the backend sent it */
		memcpy(qe->saddr, &f->v.nat_dst, 16);
		memcpy(qe->daddr, &f->v.nat_src, 16);
		qe->sport = ntohs(f->v.nat_dport);
		qe->dport = ntohs(f->v.nat_sport);
		qe->seq = cl.seq;
		qe->ack_seq = cl.ack_seq;
		if (r->in.client)
			ip6_of(osrc, CLIENT6);
		else
			ip6_of(osrc, ROUTER6_CL);
		ip6_of(odst, VIP6);
		memcpy(esrc, &f->v.nat_src, 16);
		memcpy(edst, &f->v.nat_dst, 16);
		mac6(edst, emac);
	}
	mac6(osrc, rmac);
	icmp6_frame(&t->in, t->fx.lb_mac, rmac, osrc, odst, r->in.flags,
		    r->in.mut, rest, q, quote);
	icmp6_frame(&err.want, emac, t->fx.lb_mac, esrc, edst, r->in.flags,
		    r->in.mut, rest, qe, quote);
	err.l4_whole = !quote;
	return 0;
}

/* Malformed or unmatched variants of a backend-side packet too big:
 * in.kill 1: quote cut inside the inner IPv6 header (20 bytes);
 * 2: inner header and only 4 bytes of L4; 3: a source port no flow has;
 * 4: sent to another address than the quoted source; 5: the quoted
 * header's version is 4; 6: the quoted packet carries destination
 * options (README: such a quote matches no flow). */
static int build_err6_bad(struct tctx *t, const struct row *r)
{
	struct pkt6_desc be, cl;
	unsigned char rmac[6];
	__u8 osrc[16], odst[16];

	build_key(t, r);
	if (flow_descs6(t, r, &be, &cl))
		return -1;
	if (r->in.kill == 3)
		be.sport = 1999;	/* [fd00::1]:1999: no such flow */
	if (r->in.kill == 6) {
		be.ext[0].type = 60;
		be.n_ext = 1;
	}
	ip6_of(osrc, ROUTER6_BE);
	mac6(osrc, rmac);
	if (r->in.kill == 4)
		ip6_of(odst, 2);
	else
		memcpy(odst, be.saddr, 16);
	icmp6_frame(&t->in, t->fx.lb_mac, rmac, osrc, odst, 2, 0, 1280, &be,
		    r->in.kill == 1 ? 20 : r->in.kill == 2 ? 44 : 0);
	if (r->in.kill == 5) {
		t->in.d[ETH_HLEN + 48] = 0x40;	/* the quote's version */
		pkt6_fix_l4_csum(&t->in);
	}
	return 0;
}

/* The quoted datagram's L4 checksum, over the quoted pseudo-header,
 * when the quote holds all of it. */
static int inner_l4_ok(const unsigned char *q, unsigned int len)
{
	unsigned int plen = (q[4] << 8) | q[5];

	if (40 + plen > len)
		return 1;
	if (q[6] == IPPROTO_UDP && !(q[40 + 6] | q[40 + 7]))
		return 1;
	return pkt_fold(pkt_sum(q + 40, plen,
				pkt6_pseudo_sum(q + 8, q + 24, q[6], plen))) ==
	       0xffff;
}

static int check_err6(struct tctx *t, const struct row *r)
{
	struct pkt6_off o;

	if (pkt6_offsets(&t->out, &o) || o.proto != IPPROTO_ICMPV6 ||
	    o.l4len < 8 + 40 + 8) {
		tfail(t, "output is not an ICMPv6 error quoting a packet");
		return 0;
	}
	if (err.l4_whole && !inner_l4_ok(t->out.d + o.l4 + 8, o.l4len - 8))
		tfail(t, "quoted %s checksum is wrong",
		      t->out.d[o.l4 + 8 + 6] == IPPROTO_TCP ? "TCP" : "UDP");
	expect_same6(t, &err.want, "ICMPv6 error");
	return 0;
}

/* ---- Fragments ----------------------------------------------------- */

/* A UDP datagram of DGRAM6_PLEN bytes of data with a Fragment header
 * (atomic: offset 0, M clear; else the first of two), after a hop-by-hop
 * header if hbh. */
static void dgram6_desc(struct pkt6_desc *d, const void *s, const void *dst,
			__u16 sp, __u16 dp, __u32 id, int atomic, int hbh)
{
	unsigned int i;

	memset(d, 0, sizeof(*d));
	d->proto = IPPROTO_UDP;
	memcpy(d->saddr, s, 16);
	memcpy(d->daddr, dst, 16);
	d->sport = sp;
	d->dport = dp;
	d->plen = DGRAM6_PLEN;
	for (i = 0; i < DGRAM6_PLEN; i++)
		d->payload[i] = 'A' + i;
	if (hbh)
		d->ext[d->n_ext++].type = 0;
	d->ext[d->n_ext].type = 44;
	d->ext[d->n_ext].frag_off = !atomic;
	d->ext[d->n_ext].frag_id = id;
	d->n_ext++;
}

/* Fragment i (0 or 1) of the datagram d: the UDP part cut at FRAG6_CUT;
 * the Fragment header says where each part goes. An atomic one whole. */
static void frag6_frame(struct pkt_buf *b, const unsigned char *dmac,
			const unsigned char *smac, const struct pkt6_desc *d,
			int i)
{
	struct pkt_buf whole;
	unsigned int hl = ETH_HLEN + 40 + 8 * d->n_ext,
		     from = i ? FRAG6_CUT : 0,
		     to = i ? 8 + DGRAM6_PLEN : FRAG6_CUT;
	unsigned char *fh = b->d + hl - 8;

	pkt6_build(d, &whole);
	if (!d->ext[d->n_ext - 1].frag_off) {
		*b = whole;
		memcpy(b->d, dmac, 6);
		memcpy(b->d + 6, smac, 6);
		return;
	}
	memset(b, 0, sizeof(*b));
	memcpy(b->d, whole.d, hl);
	memcpy(b->d, dmac, 6);
	memcpy(b->d + 6, smac, 6);
	memcpy(b->d + hl, whole.d + hl + from, to - from);
	b->len = hl + to - from;
	b->d[ETH_HLEN + 4] = 0;
	b->d[ETH_HLEN + 5] = b->len - ETH_HLEN - 40;
	fh[2] = from >> 8;
	fh[3] = (from & 0xf8) | !i;
}

/* in.plen: the fragment (0 first, 1 last) of the client's datagram
 * (in.from FROM_CLIENT, to in.vport) or of the backend's answer (on the
 * flow of in.cport); in.kill: an atomic fragment instead; in.mut: 1 for a
 * hop-by-hop header before the Fragment header. */
static int build_frag6(struct tctx *t, const struct row *r)
{
	const struct fx_flow *f;
	unsigned char smac[6];
	struct pkt6_desc d;
	__u8 c[16], v[16];

	ip6_of(c, CLIENT6);
	ip6_of(v, VIP6);
	key6(&t->fkey, c, v, r->in.cport, r->in.vport, IPPROTO_UDP);
	if (r->in.from == FROM_CLIENT) {
		dgram6_desc(&d, c, v, r->in.cport, r->in.vport,
			    FRAG6_ID_C + r->in.cport, r->in.kill, r->in.mut);
		mac_of(CLIENT6, smac);
		frag6_frame(&t->in, t->fx.lb_mac, smac, &d, r->in.plen);
		return 0;
	}
	f = fx_find(&t->before, &t->fkey);
	if (!f) {
		tfail(t, "no flow for the backend to answer");
		return -1;
	}
	dgram6_desc(&d, &f->v.nat_dst, &f->v.nat_src, ntohs(f->v.nat_dport),
		    ntohs(f->v.nat_sport), FRAG6_ID_B + r->in.cport, r->in.kill,
		    r->in.mut);
	mac6(d.saddr, smac);
	frag6_frame(&t->in, t->fx.lb_mac, smac, &d, r->in.plen);
	return 0;
}

/* The same fragment of the translated datagram, built from scratch (the
 * UDP checksum in the first covers the whole translated datagram, so a
 * byte-for-byte match holds it); for a first fragment, its datagram's
 * entry in "frags": family 6, the 32-bit id, the flow key it matched. */
static int check_frag6(struct tctx *t, const struct row *r)
{
	const struct fx_flow *f = fx_find(&t->after, &t->fkey);
	int back = r->in.from == FROM_BACKEND;
	struct xlb_frag_key k = { .proto = IPPROTO_UDP,
				  .family = XLB_AF_INET6 };
	struct xlb_flow_key want_k;
	unsigned char dmac[6];
	struct pkt6_desc d;
	struct pkt_buf want;
	struct xlb_frag v;
	__u8 c[16], vip[16];
	unsigned int fh;

	if (!f) {
		tfail(t, "no flow after the fragment");
		return 0;
	}
	ip6_of(c, CLIENT6);
	ip6_of(vip, VIP6);
	if (!back) {
		dgram6_desc(&d, &f->v.nat_src, &f->v.nat_dst,
			    ntohs(f->v.nat_sport), ntohs(f->v.nat_dport),
			    FRAG6_ID_C + r->in.cport, r->in.kill, r->in.mut);
		want_k = t->fkey;
	} else {
		dgram6_desc(&d, vip, c, r->in.vport, r->in.cport,
			    FRAG6_ID_B + r->in.cport, r->in.kill, r->in.mut);
		key6(&want_k, &f->v.nat_dst, &f->v.nat_src,
		     ntohs(f->v.nat_dport), ntohs(f->v.nat_sport), IPPROTO_UDP);
	}
	mac6(d.daddr, dmac);
	frag6_frame(&want, dmac, t->fx.lb_mac, &d, r->in.plen);
	expect_same(t, &want, "fragment");
	if (r->in.plen || r->in.kill)
		return 0;
	fh = ETH_HLEN + 40 + 8 * (r->in.mut ? 1 : 0);
	memcpy(&k.src, t->in.d + ETH_HLEN + 8, 16);
	memcpy(&k.dst, t->in.d + ETH_HLEN + 24, 16);
	memcpy(&k.id, t->in.d + fh + 4, 4);
	if (bpf_map_lookup_elem(bpf_map__fd(t->fx.lb->maps.frags), &k, &v))
		tfail(t, "no entry in frags for the datagram (family 6, 32-bit id)");
	else if (memcmp(&v.flow, &want_k, sizeof(want_k)))
		tfail(t, "frags entry holds another flow key");
	return 0;
}

/* A first fragment that did not go on leaves no entry behind. */
static int check_no_frag6(struct tctx *t, const struct row *r)
{
	struct xlb_frag_key k = { .proto = IPPROTO_UDP,
				  .family = XLB_AF_INET6 };
	struct xlb_frag v;

	memcpy(&k.src, t->in.d + ETH_HLEN + 8, 16);
	memcpy(&k.dst, t->in.d + ETH_HLEN + 24, 16);
	memcpy(&k.id, t->in.d + ETH_HLEN + 40 + 4, 4);
	if (!bpf_map_lookup_elem(bpf_map__fd(t->fx.lb->maps.frags), &k, &v))
		tfail(t, "frags kept an entry for a datagram not forwarded");
	return 0;
}

#define ICMP6(ty, d, m)	{ .kind = PK_ICMP, .v6 = 1, .flags = (ty), \
			  .daddr = (d), .mut = (m) }
/* An error of type ty, code co, from side fr, about the flow of client
 * port c (TCP unless u), quoting p bytes of data after the L4 header
 * (short: only 8 bytes of L4); peer: from the peer, not a router. */
#define ERR6(fr, ty, co, c, v, u, p, short, peer) \
	{ .kind = PK_ICMP, .v6 = 1, .from = (fr), .flags = (ty), \
	  .mut = (co), .cport = (c), .vport = (v), .udp = (u), .plen = (p), \
	  .kill = (short), .client = (peer) }
#define BAD6(c, how)	{ .kind = PK_ICMP, .v6 = 1, .cport = (c), .vport = 80, \
			  .kill = (how) }
#define FRAG6(fr, c, v, i, atomic, hbh) { .kind = PK_UDP, .v6 = 1, \
			  .from = (fr), .cport = (c), .vport = (v), \
			  .plen = (i), .kill = (atomic), .mut = (hbh) }
#define ECHO6_PASS(x)	.build = build_icmp6, PASS_R(x)
#define ERR_OK		.build = build_err6, .action = XDP_TX, \
			.reasons = R_TX | R(XLB_R_ICMP_ERROR_NAT), \
			.flags = F_NOSTATE, .check = check_err6
#define FR		.build = build_frag6, .check = check_frag6
#define FRAG6_PASS	.build = build_frag6, PASS_R(XLB_R_PASS_FRAGMENT)

static const struct row rows[] = {
	/* Echo. */
	{ "ICMPv6 echo request to [fd00::1] (in vips): answered (129, hop limit 64, swapped)",
	  setup6, ICMP6(128, 0, I6_NONE), .build = build_icmp6,
	  .action = XDP_TX, .reasons = R(XLB_R_TX_ICMP_ECHO),
	  .flags = F_NOSTATE, .check = check_echo6 },
	{ "echo request to fd00::2 (not a VIP): passes untouched", NULL,
	  ICMP6(128, 2, I6_NONE), ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "echo request to the VIP from ff02::1 (multicast): the kernel's", NULL,
	  ICMP6(128, 0, I6_SRC_MCAST), ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "echo request to the VIP from :: (unspecified): the kernel's", NULL,
	  ICMP6(128, 0, I6_SRC_UNSPEC), ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "echo request to the VIP from ::1 (loopback): the kernel's", NULL,
	  ICMP6(128, 0, I6_SRC_LOOP), ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "echo request to the VIP behind a hop-by-hop header: the kernel's",
	  NULL, ICMP6(128, 0, I6_HBH), ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "VLAN-tagged echo request to the VIP: passes", NULL,
	  ICMP6(128, 0, I6_VLAN), ECHO6_PASS(XLB_R_PASS_VLAN) },
	{ "first fragment of an echo request to the VIP: the kernel's", NULL,
	  ICMP6(128, 0, I6_FRAG), ECHO6_PASS(XLB_R_PASS_FRAGMENT) },
	{ "echo request cut at 6 bytes of ICMPv6: malformed, untouched", NULL,
	  ICMP6(128, 0, I6_TRUNC), ECHO6_PASS(XLB_R_PASS_MALFORMED) },
	{ "echo reply (129) to the VIP: the kernel's", NULL,
	  ICMP6(129, 0, I6_NONE), ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "router solicitation (133) to the VIP: the kernel's", NULL,
	  ICMP6(133, 0, I6_NONE), ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "router advertisement (134): the kernel's", NULL,
	  ICMP6(134, 0, I6_NONE), ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "neighbour solicitation (135) for the VIP: the kernel's", NULL,
	  ICMP6(135, 0, I6_NONE), ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "neighbour advertisement (136): the kernel's", NULL,
	  ICMP6(136, 0, I6_NONE), ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "redirect (137): the kernel's", NULL, ICMP6(137, 0, I6_NONE),
	  ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },
	{ "MLD query (130): the kernel's", NULL, ICMP6(130, 0, I6_NONE),
	  ECHO6_PASS(XLB_R_PASS_NOT_SERVICE) },

	/* Errors about a TCP flow. */
	{ "errors: IPv6 SYN :45000 to [fd00::1]:80", NULL, TCP6(45000, 80, SYN),
	  V6, .action = XDP_TX, .reasons = R_NEW, .nflows = NF(2) },
	{ "errors: the backend's SYN-ACK", NULL, BTCP6(45000, 80, SYN | ACK),
	  V6, .action = XDP_TX, .reasons = R_TX },
	{ "packet too big (MTU 1280) from the backends' side about a segment to the backend: to the client from [fd00::1], quoting client:45000 -> [fd00::1]:80, MTU kept, TCP checksum in the quote too",
	  NULL, ERR6(FROM_BACKEND, 2, 0, 45000, 80, 0, 12, 0, 0), ERR_OK },
	{ "packet too big quoting only 8 bytes of TCP: translated the same",
	  NULL, ERR6(FROM_BACKEND, 2, 0, 45000, 80, 0, 12, 1, 0), ERR_OK },
	{ "time exceeded from the client's side about a segment to the client: to the backend from [fd00::1], quoting backend -> [fd00::1]:port",
	  NULL, ERR6(FROM_CLIENT, 3, 0, 45000, 80, 0, 6, 0, 0), ERR_OK },
	{ "destination unreachable (address) from the client's side, 8-byte quote",
	  NULL, ERR6(FROM_CLIENT, 1, 3, 45000, 80, 0, 0, 1, 0), ERR_OK },
	{ "parameter problem (pointer 6) from the backend itself: to the client",
	  NULL, ERR6(FROM_BACKEND, 4, 1, 45000, 80, 0, 3, 0, 1), ERR_OK },
	{ "error about no tracked flow: passes untouched", NULL,
	  BAD6(45000, 3), .build = build_err6_bad,
	  PASS_R(XLB_R_PASS_ICMP_NO_FLOW) },
	{ "error sent elsewhere than the quoted source: passes", NULL,
	  BAD6(45000, 4), .build = build_err6_bad,
	  PASS_R(XLB_R_PASS_ICMP_NO_FLOW) },
	{ "error quoting the flow's packet with destination options: no flow (README's limit)",
	  NULL, BAD6(45000, 6), .build = build_err6_bad,
	  PASS_R(XLB_R_PASS_ICMP_NO_FLOW) },
	{ "truncated error (quote cut in the IPv6 header): passes untouched",
	  NULL, BAD6(45000, 1), .build = build_err6_bad,
	  PASS_R(XLB_R_PASS_MALFORMED) },
	{ "truncated error (4 bytes of L4 quoted): passes untouched", NULL,
	  BAD6(45000, 2), .build = build_err6_bad,
	  PASS_R(XLB_R_PASS_MALFORMED) },
	{ "error quoting a version 4 header: passes untouched", NULL,
	  BAD6(45000, 5), .build = build_err6_bad,
	  PASS_R(XLB_R_PASS_MALFORMED) },
	{ "the flow still works: client ACK", NULL, TCP6(45000, 80, ACK), V6,
	  .action = XDP_TX, .reasons = R_TX, .state = ST(XLB_TCP_ESTABLISHED),
	  .nflows = NF(2), .cnt = CNT(1) },

	/* Errors about a UDP flow: the quoted UDP checksum follows. */
	{ "errors: datagram :5000 to [fd00::1]:53", NULL, UDP6(5000, M6_NONE),
	  V6, .action = XDP_TX, .reasons = R_NEW },
	{ "port unreachable from the backend itself: to the client, UDP checksum in the quote updated",
	  NULL, ERR6(FROM_BACKEND, 1, 4, 5000, 53, 1, 5, 0, 1), ERR_OK },
	{ "port unreachable from the client about the answer: to the backend",
	  NULL, ERR6(FROM_CLIENT, 1, 4, 5000, 53, 1, 7, 0, 1), ERR_OK },
	{ "packet too big from the client's side about the answer: to the backend, MTU kept",
	  NULL, ERR6(FROM_CLIENT, 2, 0, 5000, 53, 1, 9, 0, 0), ERR_OK },

	/* Fragments (bpf/frag.h): as for IPv4, a first fragment goes as its
	 * flow's packet (a new UDP flow's too) and its datagram is
	 * remembered by the Fragment header's 32-bit id; later fragments get
	 * the same address rewrite; one whose first was not seen, or of what
	 * is no flow's, goes to the kernel. */
	{ "first fragment :5100 -> [fd00::1]:53: a new flow, NAT'd (UDP checksum of the whole datagram), the datagram remembered",
	  setup6, FRAG6(FROM_CLIENT, 5100, 53, 0, 0, 0), FR, .action = XDP_TX,
	  .reasons = R_NEW | R(XLB_R_FRAG_FIRST), .nflows = NF(2),
	  .cnt = CNT(1) },
	{ "its last fragment: the same address rewrite, Fragment header kept",
	  NULL, FRAG6(FROM_CLIENT, 5100, 53, 1, 0, 0), FR, .action = XDP_TX,
	  .reasons = R_TX | R(XLB_R_FRAG_FOLLOW), .nflows = NF(2) },
	{ "the backend's answer in two: first fragment to the client", NULL,
	  FRAG6(FROM_BACKEND, 5100, 53, 0, 0, 0), FR, .action = XDP_TX,
	  .reasons = R_TX | R(XLB_R_FRAG_FIRST), .nflows = NF(2) },
	{ "its last fragment", NULL, FRAG6(FROM_BACKEND, 5100, 53, 1, 0, 0),
	  FR, .action = XDP_TX, .reasons = R_TX | R(XLB_R_FRAG_FOLLOW) },
	{ "a later fragment whose first was not seen: passes untouched", NULL,
	  FRAG6(FROM_CLIENT, 5101, 53, 1, 0, 0), FRAG6_PASS },
	{ "first fragment behind a hop-by-hop header: a flow, both headers kept",
	  NULL, FRAG6(FROM_CLIENT, 5102, 53, 0, 0, 1), FR, .action = XDP_TX,
	  .reasons = R_NEW | R(XLB_R_FRAG_FIRST), .nflows = NF(4) },
	{ "an atomic fragment (offset 0, M clear): a whole datagram, a flow",
	  NULL, FRAG6(FROM_CLIENT, 5103, 53, 0, 1, 0), FR, .action = XDP_TX,
	  .reasons = R_NEW, .nflows = NF(6) },
	{ "first fragment to [fd00::1]:9999 (no service): passes, no entry kept",
	  NULL, FRAG6(FROM_CLIENT, 5104, 9999, 0, 0, 0), .build = build_frag6,
	  PASS_R(XLB_R_PASS_NOT_SERVICE), .check = check_no_frag6 },
	{ "its last fragment: passes untouched", NULL,
	  FRAG6(FROM_CLIENT, 5104, 9999, 1, 0, 0), FRAG6_PASS },
};

ROW_TABLE(xlbt_ipv6_icmp, rows);
