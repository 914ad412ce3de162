// SPDX-License-Identifier: GPL-2.0
/* ICMP and IP fragments (bpf/icmp.h, bpf/frag.h): echo requests to a VIP
 * answered, ICMP errors about tracked flows translated both ways, IPv4
 * fragments of a flow's datagram all rewritten alike. Every output is
 * compared byte for byte with a packet built here from scratch (fresh
 * checksums everywhere: outer IP, ICMP over the whole message, the quoted
 * IP header and the quoted L4 checksum), and verified on its own. Rows run
 * as in cases.c; these build their input themselves (row.build). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include "xlb_frag.h"
#include "cases.h"

#define ROUTER_BE	IP4(10, 0, 0, 40)	/* a router on the backends' side */
#define ROUTER_CL	IP4(10, 0, 0, 39)	/* one on the client's side */
#define FRAG_ID_C	0x5151			/* the client's datagram */
#define FRAG_ID_B	0x6161			/* the backend's answer */
#define DGRAM_PLEN	40			/* UDP payload, in 3 fragments */

static int vips_fd = -1, frags_fd = -1;

static int pinned(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), FX_PIN_FMT "/%s", (int)getpid(), name);
	return bpf_obj_get(path);
}

static int clear_map(int fd)
{
	unsigned char k[64];

	while (!bpf_map_get_next_key(fd, NULL, k))
		if (bpf_map_delete_elem(fd, k))
			return -1;
	return 0;
}

/* setup_std, no fragment entries, and VIP in "vips" (as the agent does
 * for every service address). */
static int setup_icmp(struct tctx *t)
{
	struct xlb_vip_key vk = { .family = XLB_AF_INET };
	__u32 one = 1;

	if (vips_fd < 0)
		vips_fd = pinned("vips");
	if (frags_fd < 0)
		frags_fd = pinned("frags");
	if (vips_fd < 0 || frags_fd < 0 || setup_std(t) ||
	    clear_map(vips_fd) || clear_map(frags_fd))
		return -1;
	vk.addr.a[0] = htonl(VIP);
	return bpf_map_update_elem(vips_fd, &vk, &one, BPF_ANY);
}

/* ---- echo ---------------------------------------------------------- */

/* An echo request from the client, TTL 57, 8 bytes of data; in.daddr and
 * in.mut (MUT_VLAN, MUT_IP_OPTS, MUT_FRAG_*) as in other rows. */
static int build_echo(struct tctx *t, const struct row *r)
{
	struct pkt_desc *d = &t->desc;

	memset(d, 0, sizeof(*d));
	mac_of(CLIENT, d->smac);
	memcpy(d->dmac, t->fx.lb_mac, 6);
	d->proto = IPPROTO_ICMP;
	d->ttl = 57;
	d->saddr = CLIENT;
	d->daddr = r->in.daddr ? r->in.daddr : VIP;
	d->plen = 8;
	memcpy(d->payload, "pingpong", 8);
	d->vlan_tci = r->in.mut == MUT_VLAN ? 10 : 0;
	d->ip_opt_words = r->in.mut == MUT_IP_OPTS ? 1 : 0;
	d->frag_off = r->in.mut == MUT_FRAG_MF ? 0x2000 :
		      r->in.mut == MUT_FRAG_OFF ? 0x0010 : 0;
	pkt_build(d, &t->in);
	return 0;
}

static int check_echo_reply(struct tctx *t, const struct row *r)
{
	struct pkt_desc e = t->desc;
	struct pkt_buf want;
	struct pkt_off o;
	char why[128];

	memcpy(e.smac, t->desc.dmac, 6);
	memcpy(e.dmac, t->desc.smac, 6);
	e.saddr = t->desc.daddr;
	e.daddr = t->desc.saddr;
	e.ttl = 64;
	pkt_build(&e, &want);
	pkt_offsets(&want, &o);
	want.d[o.l4] = 0;			/* echo reply */
	pkt_fix_l4_csum(&want);
	if (pkt_verify(&t->out, why, sizeof(why)))
		tfail(t, "reply: %s", why);
	pkt_offsets(&t->out, &o);
	if (pkt_fold(pkt_sum(t->out.d + o.l4, o.l4len, 0)) != 0xffff)
		tfail(t, "ICMP checksum 0x%04x is wrong",
		      pkt_get16(t->out.d + o.l4 + 2));
	expect_same(t, &want, "echo reply");
	return 0;
}

/* ---- errors -------------------------------------------------------- */

/* An ICMP error frame from osrc to odst quoting the first quote bytes
 * (0: all) of the IP packet described by inner; checksums from scratch. */
static void icmp_frame(struct pkt_buf *b, const unsigned char *dmac,
		       const unsigned char *smac, __u32 osrc, __u32 odst,
		       __u8 type, __u8 code, __u32 rest,
		       const struct pkt_desc *inner, unsigned int quote)
{
	struct pkt_buf ib;
	struct pkt_off io;
	unsigned char *ip, *icmp;
	unsigned int ilen;

	pkt_build(inner, &ib);
	pkt_offsets(&ib, &io);
	ilen = ib.len - io.l3;
	if (!quote || quote > ilen)
		quote = ilen;
	memset(b, 0, sizeof(*b));
	memcpy(b->d, dmac, 6);
	memcpy(b->d + 6, smac, 6);
	pkt_put16(b->d + 12, 0x0800);
	ip = b->d + 14;
	ip[0] = 0x45;
	pkt_put16(ip + 2, 20 + 8 + quote);
	pkt_put16(ip + 4, 0x4321);
	ip[8] = 63;
	ip[9] = IPPROTO_ICMP;
	pkt_put32(ip + 12, osrc);
	pkt_put32(ip + 16, odst);
	icmp = ip + 20;
	icmp[0] = type;
	icmp[1] = code;
	pkt_put32(icmp + 4, rest);
	memcpy(icmp + 8, ib.d + io.l3, quote);
	b->len = 14 + 20 + 8 + quote;
	pkt_fix_ip_csum(b);
	pkt_fix_l4_csum(b);
}

/* What an error row sends and what must come out, kept for its check. */
static struct {
	struct pkt_buf want;
	int l4_whole;		/* the quote holds the whole inner datagram */
} err;

/* The flow's packets as each side sees them: towards the backend (LB
 * source:port -> backend) and towards the client (VIP -> client). */
static int flow_descs(struct tctx *t, const struct row *r,
		      struct pkt_desc *to_be, struct pkt_desc *to_cl)
{
	const struct fx_flow *f = fx_find(&t->before, &t->fkey);
	__u8 proto = t->fkey.proto;

	if (!f) {
		tfail(t, "no flow for port %u", r->in.cport);
		return -1;
	}
	memset(to_be, 0, sizeof(*to_be));
	to_be->proto = proto;
	to_be->saddr = ntohl(f->v.nat_src.a[0]);
	to_be->daddr = ntohl(f->v.nat_dst.a[0]);
	to_be->sport = ntohs(f->v.nat_sport);
	to_be->dport = ntohs(f->v.nat_dport);
	to_be->tcp_flags = 0x18;		/* PSH|ACK */
	to_be->seq = 1000001 + r->in.cport;
	to_be->ack_seq = 7000001;
	to_be->frag_off = proto == IPPROTO_TCP ? 0x4000 : 0;
	to_be->plen = r->in.plen;
	memcpy(to_be->payload, "0123456789abcdefghij", 20);
	*to_cl = *to_be;
	to_cl->saddr = VIP;
	to_cl->daddr = CLIENT;
	to_cl->sport = r->in.vport;
	to_cl->dport = r->in.cport;
	to_cl->seq = 7000001;
	to_cl->ack_seq = 1000001 + r->in.cport;
	return 0;
}

/* in.from: which side the error comes from (FROM_BACKEND: a router
 * there, about what the balancer sent the backend; FROM_CLIENT: a router
 * on the client's side, about what it sent the client); in.flags: the
 * ICMP type, in.mut: the code; in.kill: quote only 8 bytes of L4. */
static int build_err(struct tctx *t, const struct row *r)
{
	const struct fx_flow *f = fx_find(&t->before, &t->fkey);
	struct pkt_desc be, cl, *q, *qe;
	unsigned char rmac[6], emac[6];
	__u32 rest = r->in.flags == 3 && r->in.mut == 4 ? 1400 : 0;
	unsigned int ihl = 20, quote = r->in.kill ? ihl + 8 : 0;
	__u32 osrc, odst, esrc, edst;

	if (flow_descs(t, r, &be, &cl))
		return -1;
	if (r->in.from == FROM_BACKEND) {
		q = &be;		/* quoted as sent to the backend */
		qe = &cl;		/* ... as the client sent it */
		qe->saddr = CLIENT;
		qe->daddr = VIP;
		qe->sport = r->in.cport;
		qe->dport = r->in.vport;
		qe->seq = be.seq;
		qe->ack_seq = be.ack_seq;
		mac_of(ROUTER_BE, rmac);
		osrc = ROUTER_BE;
		odst = be.saddr;
		esrc = VIP;
		edst = CLIENT;
		mac_of(CLIENT, emac);
	} else {
		q = &cl;		/* quoted as sent to the client */
		qe = &be;		/* ... as the backend sent it */
		qe->saddr = ntohl(f->v.nat_dst.a[0]);
		qe->daddr = ntohl(f->v.nat_src.a[0]);
		qe->sport = ntohs(f->v.nat_dport);
		qe->dport = ntohs(f->v.nat_sport);
		qe->seq = cl.seq;
		qe->ack_seq = cl.ack_seq;
		mac_of(ROUTER_CL, rmac);
		osrc = ROUTER_CL;
		odst = VIP;
		esrc = ntohl(f->v.nat_src.a[0]);
		edst = ntohl(f->v.nat_dst.a[0]);
		mac_of(edst, emac);
	}
	icmp_frame(&t->in, t->fx.lb_mac, rmac, osrc, odst, r->in.flags,
		   r->in.mut, rest, q, quote);
	icmp_frame(&err.want, emac, t->fx.lb_mac, esrc, edst, r->in.flags,
		   r->in.mut, rest, qe, quote);
	err.l4_whole = !quote;
	return 0;
}

/* Malformed or unmatched variants of a backend-side frag-needed:
 * in.kill 1: quote cut inside the inner IP header (12 bytes);
 * 2: inner header and only 4 bytes of L4; 3: a source port no flow has;
 * 4: sent to another address than the quoted source. */
static int build_err_bad(struct tctx *t, const struct row *r)
{
	struct pkt_desc be, cl;
	unsigned char rmac[6];
	__u32 odst;

	if (flow_descs(t, r, &be, &cl))
		return -1;
	if (r->in.kill == 3)
		be.sport = 1999;	/* 10.0.0.1:1999: no such flow */
	mac_of(ROUTER_BE, rmac);
	odst = r->in.kill == 4 ? IP4(10, 0, 0, 2) : be.saddr;
	icmp_frame(&t->in, t->fx.lb_mac, rmac, ROUTER_BE, odst, 3, 4, 1400,
		   &be, r->in.kill == 1 ? 12 : r->in.kill == 2 ? 24 : 0);
	return 0;
}

/* The quoted datagram's checksum, when the quote holds all of it. */
static int inner_l4_ok(const unsigned char *iip, unsigned int len)
{
	unsigned int ihl = (iip[0] & 0x0f) * 4, tot = pkt_get16(iip + 2);

	if (tot > len || tot <= ihl)
		return 1;
	if (iip[9] == IPPROTO_UDP && !pkt_get16(iip + ihl + 6))
		return 1;
	return pkt_fold(pkt_sum(iip + ihl, tot - ihl,
				pkt_pseudo_sum(pkt_get32(iip + 12),
					       pkt_get32(iip + 16), iip[9],
					       tot - ihl))) == 0xffff;
}

static int check_err(struct tctx *t, const struct row *r)
{
	const unsigned char *iip;
	struct pkt_off o;
	char why[128];

	if (pkt_verify(&t->out, why, sizeof(why)))
		tfail(t, "output: %s", why);
	pkt_offsets(&t->out, &o);
	if (o.l4 + o.l4len > t->out.len || o.l4len < 8 + 20 + 8) {
		tfail(t, "output too short for an ICMP error");
		return 0;
	}
	if (pkt_fold(pkt_sum(t->out.d + o.l4, o.l4len, 0)) != 0xffff)
		tfail(t, "ICMP checksum 0x%04x is wrong (over %u bytes)",
		      pkt_get16(t->out.d + o.l4 + 2), o.l4len);
	iip = t->out.d + o.l4 + 8;
	if (pkt_fold(pkt_sum(iip, (iip[0] & 0x0f) * 4, 0)) != 0xffff)
		tfail(t, "quoted IP header checksum 0x%04x is wrong",
		      pkt_get16(iip + 10));
	if (err.l4_whole && !inner_l4_ok(iip, o.l4len - 8))
		tfail(t, "quoted %s checksum is wrong",
		      iip[9] == IPPROTO_TCP ? "TCP" : "UDP");
	expect_same(t, &err.want, "ICMP error");
	return 0;
}

/* ---- fragments ----------------------------------------------------- */

/* A UDP datagram of DGRAM_PLEN bytes of data cut in three fragments:
 * UDP header + 16 bytes, 16 bytes at offset 24, 8 bytes at offset 40. */
static const unsigned int frag_off[4] = { 0, 24, 40, 48 };

static void frag_frame(struct pkt_buf *b, const unsigned char *dmac,
		       const unsigned char *smac, const struct pkt_desc *d,
		       __u16 id, int i)
{
	struct pkt_buf whole;
	struct pkt_off o;
	unsigned char *ip;
	unsigned int n = frag_off[i + 1] - frag_off[i];

	pkt_build(d, &whole);
	pkt_offsets(&whole, &o);
	memset(b, 0, sizeof(*b));
	memcpy(b->d, dmac, 6);
	memcpy(b->d + 6, smac, 6);
	pkt_put16(b->d + 12, 0x0800);
	ip = b->d + 14;
	memcpy(ip, whole.d + o.l3, 20);
	pkt_put16(ip + 2, 20 + n);
	pkt_put16(ip + 4, id);
	pkt_put16(ip + 6, (frag_off[i] / 8) | (i < 2 ? 0x2000 : 0));
	memcpy(ip + 20, whole.d + o.l4 + frag_off[i], n);
	b->len = 14 + 20 + n;
	pkt_fix_ip_csum(b);
}

static struct pkt_buf frag_out[2][3];	/* [from backend][fragment] */

static void dgram_desc(struct pkt_desc *d, __u32 s, __u32 dst, __u16 sp,
		       __u16 dp)
{
	unsigned int i;

	memset(d, 0, sizeof(*d));
	d->proto = IPPROTO_UDP;
	d->saddr = s;
	d->daddr = dst;
	d->sport = sp;
	d->dport = dp;
	d->plen = DGRAM_PLEN;
	for (i = 0; i < DGRAM_PLEN; i++)
		d->payload[i] = 'A' + i;
}

/* Fragment in.plen (0..2) of the client's datagram (in.from FROM_CLIENT)
 * or of the backend's answer; the client's first one creates the flow. */
static int build_frag(struct tctx *t, const struct row *r)
{
	const struct fx_flow *f = fx_find(&t->before, &t->fkey);
	unsigned char smac[6];
	struct pkt_desc d;

	if (r->in.from == FROM_CLIENT) {
		dgram_desc(&d, CLIENT, VIP, r->in.cport, r->in.vport);
		mac_of(CLIENT, smac);
		frag_frame(&t->in, t->fx.lb_mac, smac, &d, FRAG_ID_C,
			   r->in.plen);
		return 0;
	}
	if (!f) {
		tfail(t, "no flow for the backend to answer");
		return -1;
	}
	dgram_desc(&d, ntohl(f->v.nat_dst.a[0]), ntohl(f->v.nat_src.a[0]),
		   ntohs(f->v.nat_dport), ntohs(f->v.nat_sport));
	mac_of(d.saddr, smac);
	frag_frame(&t->in, t->fx.lb_mac, smac, &d, FRAG_ID_B, r->in.plen);
	return 0;
}

/* The same fragment of the translated datagram, built from scratch; for
 * a first fragment, the datagram's entry in "frags"; after the last one,
 * the reassembled datagram's UDP checksum. */
static int check_frag(struct tctx *t, const struct row *r)
{
	const struct fx_flow *f = fx_find(&t->after, &t->fkey);
	int i = r->in.plen, back = r->in.from == FROM_BACKEND;
	struct xlb_frag_key k = { .proto = IPPROTO_UDP, .family = XLB_AF_INET };
	unsigned char dmac[6], dg[64];
	struct xlb_flow_key want_k;
	struct pkt_desc d;
	struct pkt_buf want;
	struct xlb_frag v;
	__u32 s;
	int j;

	if (!f) {
		tfail(t, "no flow after the fragment");
		return 0;
	}
	if (!back) {
		dgram_desc(&d, ntohl(f->v.nat_src.a[0]), ntohl(f->v.nat_dst.a[0]),
			   ntohs(f->v.nat_sport), ntohs(f->v.nat_dport));
		want_k = t->fkey;
	} else {
		dgram_desc(&d, VIP, CLIENT, r->in.vport, r->in.cport);
		fx_key4(&want_k, ntohl(f->v.nat_dst.a[0]),
			ntohl(f->v.nat_src.a[0]), ntohs(f->v.nat_dport),
			ntohs(f->v.nat_sport), IPPROTO_UDP);
	}
	mac_of(d.daddr, dmac);
	frag_frame(&want, dmac, t->fx.lb_mac, &d, back ? FRAG_ID_B : FRAG_ID_C,
		   i);
	/* A fragment's UDP checksum covers the datagram: checked below. */
	if (t->out.len < 34 || pkt_fold(pkt_sum(t->out.d + 14, 20, 0)) != 0xffff)
		tfail(t, "output: IPv4 header checksum wrong");
	expect_same(t, &want, "fragment");
	frag_out[back][i] = t->out;

	if (i == 0) {
		memcpy(&k.src, t->in.d + 14 + 12, 4);
		memcpy(&k.dst, t->in.d + 14 + 16, 4);
		memcpy(&k.id, t->in.d + 14 + 4, 2);
		if (bpf_map_lookup_elem(frags_fd, &k, &v))
			tfail(t, "no entry in frags for the datagram");
		else if (memcmp(&v.flow, &want_k, sizeof(want_k)))
			tfail(t, "frags entry holds another flow key");
	}
	if (i == 2) {
		for (j = 0; j < 3; j++)
			memcpy(dg + frag_off[j], frag_out[back][j].d + 34,
			       frag_off[j + 1] - frag_off[j]);
		s = pkt_pseudo_sum(d.saddr, d.daddr, IPPROTO_UDP, 48);
		if (pkt_fold(pkt_sum(dg, 48, s)) != 0xffff)
			tfail(t, "reassembled datagram: UDP checksum wrong");
	}
	return 0;
}

/* A first fragment that did not go on leaves no entry behind. */
static int check_no_frag_entry(struct tctx *t, const struct row *r)
{
	struct xlb_frag_key k = { .proto = t->in.d[14 + 9],
				  .family = XLB_AF_INET };
	struct xlb_frag v;

	memcpy(&k.src, t->in.d + 14 + 12, 4);
	memcpy(&k.dst, t->in.d + 14 + 16, 4);
	memcpy(&k.id, t->in.d + 14 + 4, 2);
	if (!bpf_map_lookup_elem(frags_fd, &k, &v))
		tfail(t, "frags kept an entry for a datagram not forwarded");
	return 0;
}

#define ECHO(d, m)	{ .kind = PK_ICMP, .daddr = (d), .mut = (m) }
/* An ICMP error of type ty, code co, from side fr, about the flow of
 * client port c (TCP unless u), quoting p bytes of data after the L4
 * header (short: only 8 bytes of L4). */
#define ERR(fr, ty, co, c, v, u, p, short) \
	{ .kind = PK_ICMP, .from = (fr), .flags = (ty), .mut = (co), \
	  .cport = (c), .vport = (v), .udp = (u), .plen = (p), .kill = (short) }
#define BAD(c, how)	{ .kind = PK_ICMP, .cport = (c), .vport = 80, .kill = (how) }
#define FRAG(fr, c, v, i) { .kind = PK_UDP, .from = (fr), .cport = (c), \
			    .vport = (v), .plen = (i) }
#define R_ERR		(R_TX | R(XLB_R_ICMP_ERROR_NAT))
#define R_FOLLOW	(R_TX | R(XLB_R_FRAG_FOLLOW))

static const struct row rows[] = {
	/* Echo. */
	{ "echo request to the VIP: answered (type 0, TTL 64, swapped)",
	  setup_icmp, ECHO(0, MUT_NONE), .build = build_echo,
	  .action = XDP_TX, .reasons = R(XLB_R_TX_ICMP_ECHO),
	  .flags = F_NOSTATE, .check = check_echo_reply },
	{ "echo request to 10.0.0.2 (not a VIP): passes untouched", NULL,
	  ECHO(IP4(10, 0, 0, 2), MUT_NONE), .build = build_echo,
	  PASS_R(XLB_R_PASS_NOT_SERVICE) },
	{ "echo request to the VIP with IP options: the kernel's", NULL,
	  ECHO(0, MUT_IP_OPTS), .build = build_echo,
	  PASS_R(XLB_R_PASS_NOT_SERVICE) },
	{ "VLAN-tagged echo request to the VIP: passes", NULL,
	  ECHO(0, MUT_VLAN), .build = build_echo, PASS_R(XLB_R_PASS_VLAN) },

	/* Errors about a TCP flow. */
	{ "errors: SYN :45000 to VIP:80", NULL, TCP(45000, 80, SYN),
	  .action = XDP_TX, .reasons = R_NEW, .nflows = NF(2) },
	{ "errors: the backend's SYN-ACK", NULL, BTCP(45000, 80, SYN | ACK),
	  .action = XDP_TX, .reasons = R_TX },
	{ "frag-needed (MTU 1400) from the backends' side about a segment to the backend: to the client from the VIP, quoting client:45000 -> VIP:80 (TCP checksum in the quote too)",
	  NULL, ERR(FROM_BACKEND, 3, 4, 45000, 80, 0, 12, 0),
	  .build = build_err, .action = XDP_TX, .reasons = R_ERR,
	  .flags = F_NOSTATE, .check = check_err },
	{ "frag-needed quoting only 8 bytes of TCP: translated the same",
	  NULL, ERR(FROM_BACKEND, 3, 4, 45000, 80, 0, 12, 1),
	  .build = build_err, .action = XDP_TX, .reasons = R_ERR,
	  .flags = F_NOSTATE, .check = check_err },
	{ "time exceeded from the client's side about a segment to the client: to the backend from 10.0.0.1, quoting backend -> 10.0.0.1:port",
	  NULL, ERR(FROM_CLIENT, 11, 0, 45000, 80, 0, 6, 0),
	  .build = build_err, .action = XDP_TX, .reasons = R_ERR,
	  .flags = F_NOSTATE, .check = check_err },
	{ "host unreachable from the client's side, 8-byte quote", NULL,
	  ERR(FROM_CLIENT, 3, 1, 45000, 80, 0, 0, 1), .build = build_err,
	  .action = XDP_TX, .reasons = R_ERR, .flags = F_NOSTATE,
	  .check = check_err },
	{ "error about no tracked flow: passes untouched", NULL,
	  BAD(45000, 3), .build = build_err_bad,
	  PASS_R(XLB_R_PASS_ICMP_NO_FLOW) },
	{ "error sent elsewhere than the quoted source: passes", NULL,
	  BAD(45000, 4), .build = build_err_bad,
	  PASS_R(XLB_R_PASS_ICMP_NO_FLOW) },
	{ "truncated error (quote cut in the IP header): passes untouched",
	  NULL, BAD(45000, 1), .build = build_err_bad,
	  PASS_R(XLB_R_PASS_MALFORMED) },
	{ "truncated error (4 bytes of L4 quoted): passes untouched", NULL,
	  BAD(45000, 2), .build = build_err_bad,
	  PASS_R(XLB_R_PASS_MALFORMED) },

	/* Errors about a UDP flow: the quoted UDP checksum follows. */
	{ "errors: datagram :5000 to VIP:53", NULL, UDP(5000, MUT_NONE),
	  .action = XDP_TX, .reasons = R_NEW },
	{ "port unreachable from the backend: to the client, UDP checksum in the quote updated",
	  NULL, ERR(FROM_BACKEND, 3, 3, 5000, 53, 1, 5, 0),
	  .build = build_err, .action = XDP_TX, .reasons = R_ERR,
	  .flags = F_NOSTATE, .check = check_err },
	{ "port unreachable from the client about the answer: to the backend",
	  NULL, ERR(FROM_CLIENT, 3, 3, 5000, 53, 1, 7, 0),
	  .build = build_err, .action = XDP_TX, .reasons = R_ERR,
	  .flags = F_NOSTATE, .check = check_err },

	/* Fragments: a datagram in three, each way. */
	{ "first fragment :5100 -> VIP:53: a new flow, the datagram remembered",
	  setup_icmp, FRAG(FROM_CLIENT, 5100, 53, 0), .build = build_frag,
	  .action = XDP_TX, .reasons = R_NEW | R(XLB_R_FRAG_FIRST),
	  .nflows = NF(2), .check = check_frag },
	{ "second fragment: the same rewrite (IP header only)", NULL,
	  FRAG(FROM_CLIENT, 5100, 53, 1), .build = build_frag,
	  .action = XDP_TX, .reasons = R_FOLLOW, .nflows = NF(2),
	  .check = check_frag },
	{ "last fragment: same; the reassembled datagram's checksum holds",
	  NULL, FRAG(FROM_CLIENT, 5100, 53, 2), .build = build_frag,
	  .action = XDP_TX, .reasons = R_FOLLOW, .nflows = NF(2),
	  .check = check_frag },
	{ "the backend's answer in three: first fragment to the client", NULL,
	  FRAG(FROM_BACKEND, 5100, 53, 0), .build = build_frag,
	  .action = XDP_TX, .reasons = R_TX | R(XLB_R_FRAG_FIRST),
	  .nflows = NF(2), .check = check_frag },
	{ "its second fragment", NULL, FRAG(FROM_BACKEND, 5100, 53, 1),
	  .build = build_frag, .action = XDP_TX, .reasons = R_FOLLOW,
	  .check = check_frag },
	{ "its last fragment; reassembled checksum holds", NULL,
	  FRAG(FROM_BACKEND, 5100, 53, 2), .build = build_frag,
	  .action = XDP_TX, .reasons = R_FOLLOW, .check = check_frag },
	{ "a later fragment of another datagram (no first seen): passes",
	  NULL, { .kind = PK_TCP, .cport = 5100, .vport = 53, .flags = ACK,
		  .mut = MUT_FRAG_OFF }, PASS_R(XLB_R_PASS_FRAGMENT) },
	{ "first fragment to VIP:9999 (no service): passes, no entry kept",
	  NULL, { .kind = PK_UDP, .cport = 5101, .vport = 9999, .plen = 5,
		  .mut = MUT_FRAG_MF }, PASS_R(XLB_R_PASS_NOT_SERVICE),
	  .check = check_no_frag_entry },
	{ "its later fragment: passes", NULL,
	  { .kind = PK_UDP, .cport = 5101, .vport = 9999, .plen = 5,
	    .mut = MUT_FRAG_OFF }, PASS_R(XLB_R_PASS_FRAGMENT) },
	{ "first fragment of a TCP SYN to VIP:80: a flow too", NULL,
	  MAL(45100, 80, SYN, MUT_FRAG_MF), .action = XDP_TX,
	  .reasons = R_NEW | R(XLB_R_FRAG_FIRST), .nflows = NF(4) },
	{ "first fragment of an echo request to the VIP: the kernel's", NULL,
	  ECHO(0, MUT_FRAG_MF), .build = build_echo,
	  PASS_R(XLB_R_PASS_FRAGMENT) },
	{ "later fragment of an echo request: the kernel's", NULL,
	  ECHO(0, MUT_FRAG_OFF), .build = build_echo,
	  PASS_R(XLB_R_PASS_FRAGMENT) },
};

ROW_TABLE(xlbt_icmp, rows);
