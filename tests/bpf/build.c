// SPDX-License-Identifier: GPL-2.0
/* Building an IPv4 row's input packet (build_input: from the client, or
 * from the backend of the row's flow, then malformed as in.mut says) and
 * the packet the balancer must send for it (expect_pkt), both from
 * scratch with fresh checksums. The IPv6 rows' are cases6.c's. */
#include <string.h>
#include <arpa/inet.h>
#include <linux/in.h>
#include "cases.h"

__u32 row_client(const struct row *r)
{
	return r->in.client ? r->in.client : CLIENT;
}

__u32 row_daddr(const struct row *r)
{
	return r->in.daddr ? r->in.daddr : VIP;
}

/* The packet the balancer must send for the input desc: from scratch,
 * with fresh checksums. From the client, the backend's address and port
 * come from its configuration, only the source port from the flow. */
static int expect_desc(struct tctx *t, const struct row *r,
		       const struct fx_flow *fa, struct pkt_desc *e)
{
	struct xlb_backend b;

	*e = t->desc;
	memcpy(e->smac, t->fx.lb_mac, 6);
	if (r->in.from == FROM_BACKEND) {
		mac_of(row_client(r), e->dmac);
		e->saddr = row_daddr(r);
		e->daddr = row_client(r);
		e->sport = r->in.vport;
		e->dport = r->in.cport + t->iter;
		return 0;
	}
	if (!fa || fx_get_backend(&t->fx, fa->v.backend, &b))
		return -1;
	mac_of(ntohl(b.addr.a[0]), e->dmac);
	e->saddr = ntohl(b.src.a[0]);
	e->daddr = ntohl(b.addr.a[0]);
	e->sport = ntohs(fa->v.nat_sport);
	e->dport = ntohs(b.port);
	return 0;
}

const struct fx_flow *row_flow(struct tctx *t, __u16 cport)
{
	const struct fx_flow *fwd = fx_find(&t->before, &t->fkey);

	if (!fwd)
		tfail(t, "no flow for port %u: the backend has nothing to answer",
		      cport);
	return fwd;
}

int expect_pkt(struct tctx *t, const struct row *r, const struct fx_flow *fa,
	       struct pkt_buf *want)
{
	struct pkt_desc e;

	if (expect_desc(t, r, fa, &e))
		return -1;
	pkt_build(&e, want);
	return 0;
}

/* Choose the first payload word so that the rewritten datagram's sum is
 * 0xffff: its checksum computes to 0 and must go out as 0xffff (RFC 768). */
static void force_zero_csum(struct tctx *t, const struct row *r)
{
	struct pkt_desc e;
	struct pkt_buf b;

	expect_desc(t, r, NULL, &e);
	e.payload[0] = e.payload[1] = 0;
	e.udp_nocsum = 1;
	pkt_build(&e, &b);
	pkt_put16(t->desc.payload, ~pkt_l4_sum(&b));
}

static void malform(struct pkt_buf *b, int mut)
{
	struct pkt_off o;
	unsigned char *ip, *l4;
	unsigned int ihl;

	pkt_offsets(b, &o);
	ip = b->d + o.l3;
	l4 = b->d + o.l4;
	ihl = o.l4 - o.l3;
	switch (mut) {
	case MUT_ETH_SHORT:
		b->len = 13;
		return;
	case MUT_VLAN_TRUNC:
		pkt_put16(b->d + 12, 0x8100);
		b->len = 16;
		return;
	case MUT_IP_TRUNC:
		b->len = o.l3 + 12;
		return;
	case MUT_IHL4:
		ip[0] = 0x44;
		break;
	case MUT_IHL15:
		ip[0] = 0x4f;
		break;
	case MUT_TOTLEN_BIG:
		pkt_put16(ip + 2, b->len - o.l3 + 100);
		break;
	case MUT_TOTLEN_SMALL:
		pkt_put16(ip + 2, 10);
		break;
	case MUT_DOFF4:
		l4[12] = 0x40;
		pkt_fix_l4_csum(b);
		return;
	case MUT_DOFF15:
		l4[12] = 0xf0;
		pkt_fix_l4_csum(b);
		return;
	case MUT_TCP_TRUNC:
		b->len = o.l4 + 10;
		pkt_put16(ip + 2, ihl + 10);
		break;
	case MUT_UDP_LEN4:
		pkt_put16(l4 + 4, 4);
		pkt_fix_l4_csum(b);
		return;
	case MUT_UDP_TRUNC:
		b->len = o.l4 + 6;
		pkt_put16(ip + 2, ihl + 6);
		break;
	default:
		return;
	}
	pkt_fix_ip_csum(b);
}

int build_input(struct tctx *t, const struct row *r)
{
	const struct pspec *s = &r->in;
	struct pkt_desc *d = &t->desc;
	unsigned char cmac[6];
	__u16 cport = s->cport + t->iter;
	__u8 proto = s->kind == PK_UDP || s->udp ? IPPROTO_UDP : IPPROTO_TCP;
	const struct fx_flow *fwd;
	unsigned int i;

	memset(d, 0, sizeof(*d));
	memset(&t->in, 0, sizeof(t->in));
	fx_key4(&t->fkey, row_client(r), row_daddr(r), cport, s->vport, proto);
	mac_of(row_client(r), cmac);
	if (r->build)
		return r->build(t, r);
	switch (s->kind) {
	case PK_NONE:
	case PK_GC:
		return 0;
	case PK_ARP:
		pkt_build_arp(&t->in, cmac, row_client(r), row_daddr(r));
		return 0;
	case PK_IPV6:
		pkt_build_ipv6_syn(&t->in, cmac, t->fx.lb_mac);
		return 0;
	}
	d->proto = s->kind == PK_ICMP ? IPPROTO_ICMP : proto;
	memcpy(d->dmac, t->fx.lb_mac, 6);
	if (s->from == FROM_CLIENT) {
		memcpy(d->smac, cmac, 6);
		d->saddr = row_client(r);
		d->daddr = row_daddr(r);
		d->sport = cport;
		d->dport = s->vport;
		d->seq = 1000000 + cport;
		d->ack_seq = 7000000;
	} else {
		fwd = row_flow(t, cport);
		if (!fwd)
			return -1;
		mac_of(ntohl(fwd->v.nat_dst.a[0]), d->smac);
		d->saddr = ntohl(fwd->v.nat_dst.a[0]);
		d->daddr = ntohl(fwd->v.nat_src.a[0]);
		d->sport = ntohs(fwd->v.nat_dport);
		d->dport = ntohs(fwd->v.nat_sport);
		d->seq = 7000000;
		d->ack_seq = 1000001 + cport;
	}
	d->tcp_flags = s->flags;
	d->tcp_mss = !!(s->flags & 0x02);
	if (d->proto == IPPROTO_TCP)
		d->frag_off = 0x4000;	/* DF, as Linux sends TCP */
	d->plen = s->plen;
	for (i = 0; i < s->plen && i < sizeof(d->payload); i++)
		d->payload[i] = 'a' + i % 26;
	switch (s->mut) {
	case MUT_VLAN:
		d->vlan_tci = 10;
		break;
	case MUT_IP_OPTS:
		d->ip_opt_words = 1;
		break;
	case MUT_OPTS_MAX:
		d->ip_opt_words = 10;
		d->tcp_opt_words = d->tcp_mss ? 9 : 10;
		break;
	case MUT_UDP_NOCSUM:
		d->udp_nocsum = 1;
		break;
	case MUT_UDP_CSUM0:
		force_zero_csum(t, r);
		break;
	case MUT_FRAG_MF:
		d->frag_off = 0x2000;
		break;
	case MUT_FRAG_OFF:
		d->frag_off = 0x0010;
		break;
	}
	pkt_build(d, &t->in);
	malform(&t->in, s->mut);
	return 0;
}
