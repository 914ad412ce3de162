// SPDX-License-Identifier: GPL-2.0
/* The generator: valid packets of real flows (both sides, so that the
 * state machine moves), first packets to every service, packets to
 * nothing, fragmented datagrams of flows (later parts queued, some sent
 * before their first), ICMP echo requests and errors quoting flows from
 * either side, mutations of all of those (truncation at every length, bit
 * flips, IHL 0-15, tot_len, doff 0-15, flags, checksums, UDP length,
 * fragment bits, IP options, VLAN and QinQ tags, version, padding,
 * protocol, ethertype, addresses, ports), IPv6 extension-header chains,
 * ARP, odd ethertypes and random bytes; IPv6 services, flows, fragments,
 * ICMPv6 and their mutations come from gen6.c. Every choice comes from one
 * seeded PRNG; the other inputs are what the data path answered (the
 * source ports it drew, which flows it made), so FUZZ_SEED replays the
 * same packets up to those ports, and exactly up to the first batch where
 * the SYN flood guard (timed by the clock) refused a different SYN.
 * Checksums are computed from scratch (tests/bpf/pkt.c's sums). */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include "pkt.h"
#include "fuzz.h"

const char *const fz_kind_names[FK_MAX] = {
	[FK_FLOW] = "flow", [FK_NEW] = "new", [FK_OTHER] = "other",
	[FK_FRAG] = "fragment", [FK_ICMP] = "icmp",
	[FK_MUTATED] = "mutated", [FK_RANDOM] = "random",
	[FK_IPV6] = "ipv6", [FK_NEW6] = "new6", [FK_ICMP6] = "icmp6",
	[FK_ARP] = "arp", [FK_ETHERTYPE] = "ethertype",
};

/* ---- PRNG */
static __u64 splitmix(__u64 *x)
{
	__u64 z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void fz_rng_seed(struct fz_rng *r, __u64 seed)
{
	__u64 x = seed;
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static __u64 rotl(__u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

__u64 fz_rnd64(struct fz_rng *r)
{
	__u64 *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

__u32 fz_rnd(struct fz_rng *r, __u32 n)
{
	return (__u32)(((fz_rnd64(r) >> 32) * (__u64)n) >> 32);
}

int fz_pct(struct fz_rng *r, __u32 pct)
{
	return fz_rnd(r, 100) < pct;
}

/* ---- Descriptions */
struct desc {
	char *s;
	size_t n, at;
};

static void dadd(struct desc *d, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (d->at >= d->n)
		return;
	va_start(ap, fmt);
	k = vsnprintf(d->s + d->at, d->n - d->at, fmt, ap);
	va_end(ap);
	if (k > 0)
		d->at += (size_t)k;
}

/* ---- Building */
static const __u32 clients[] = {
	FZ_IP(10, 0, 0, 100), FZ_IP(10, 0, 0, 101), FZ_IP(10, 0, 0, 102),
	FZ_IP(10, 0, 0, 103),	/* with a neighbour entry */
	FZ_IP(10, 0, 0, 104), FZ_IP(10, 0, 0, 107),	/* without */
};

struct spec {
	unsigned char smac[6], dmac[6];
	__u8 proto;
	__u32 saddr, daddr;
	__u16 sport, dport;
	__u8 flags;
	__u32 seq, ack;
	unsigned int ipopt, tcpopt;	/* bytes, multiples of 4 */
	unsigned int plen;
	int udp_nocsum;
};

static void fill(struct fz_gen *g, unsigned char *p, unsigned int n)
{
	while (n--)
		*p++ = (unsigned char)fz_rnd64(&g->r);
}

/* Offset of the L3 header after up to two tags, and its ethertype. */
static unsigned int l3_of(const struct fz_buf *b, __u16 *etype)
{
	unsigned int l3 = ETH_HLEN;
	__u16 t = b->len >= ETH_HLEN ? fz_get16(b->d + 12) : 0;
	int i;

	for (i = 0; i < 2; i++) {
		if ((t != ETH_P_8021Q && t != ETH_P_8021AD) ||
		    b->len < l3 + 4)
			break;
		t = fz_get16(b->d + l3 + 2);
		l3 += 4;
	}
	if (etype)
		*etype = t;
	return l3;
}

/* Recompute the checksums where the header fields allow it (a mutated
 * packet may keep them consistent, so that only the mutation is wrong).
 * A UDP checksum of 0 ("none") stays 0 unless udp_new. */
static void fix_csums2(struct fz_buf *b, int ip_too, int udp_new)
{
	unsigned int l3 = l3_of(b, NULL), ihl, tot, n;
	unsigned char *ip = b->d + l3, *l4, *check;
	__u32 sum;
	__u16 c;

	if (b->len < l3 + 20 || (ip[0] >> 4) != 4)
		return;
	ihl = (ip[0] & 0x0f) * 4;
	if (ihl < 20 || l3 + ihl > b->len)
		return;
	if (ip_too) {
		fz_put16(ip + 10, 0);
		fz_put16(ip + 10, ~pkt_fold(pkt_sum(ip, ihl, 0)));
	}
	tot = fz_get16(ip + 2);
	if (tot < ihl || l3 + tot > b->len)
		return;
	n = tot - ihl;
	l4 = ip + ihl;
	if (ip[9] == IPPROTO_TCP) {
		if (n < 18)
			return;
		check = l4 + 16;
	} else if (ip[9] == IPPROTO_UDP) {
		if (n < 8 || (fz_get16(l4 + 6) == 0 && !udp_new))
			return;
		if (fz_get16(l4 + 4) >= 8 && fz_get16(l4 + 4) <= n)
			n = fz_get16(l4 + 4);
		check = l4 + 6;
	} else {
		return;
	}
	fz_put16(check, 0);
	sum = pkt_pseudo_sum(fz_get32(ip + 12), fz_get32(ip + 16), ip[9], n);
	c = ~pkt_fold(pkt_sum(l4, n, sum));
	if (ip[9] == IPPROTO_UDP && c == 0)
		c = 0xffff;
	fz_put16(check, c);
}

static void fix_csums(struct fz_buf *b, int ip_too)
{
	fix_csums2(b, ip_too, 0);
}

static void build(struct fz_gen *g, const struct spec *s, struct fz_buf *b)
{
	unsigned char *d = b->d, *ip, *l4;
	unsigned int ihl = 20 + s->ipopt, l4hdr, i, tot;

	memcpy(d, s->dmac, 6);
	memcpy(d + 6, s->smac, 6);
	fz_put16(d + 12, ETH_P_IP);
	ip = d + ETH_HLEN;
	l4hdr = s->proto == IPPROTO_TCP ? 20 + s->tcpopt : 8;
	tot = ihl + l4hdr + s->plen;
	ip[0] = 0x40 | (ihl / 4);
	ip[1] = fz_pct(&g->r, 90) ? 0 : (unsigned char)fz_rnd(&g->r, 256);
	fz_put16(ip + 2, tot);
	fz_put16(ip + 4, fz_rnd(&g->r, 65536));
	fz_put16(ip + 6, fz_pct(&g->r, 50) ? 0x4000 : 0);	/* DF or not */
	ip[8] = 64;
	ip[9] = s->proto;
	fz_put16(ip + 10, 0);
	fz_put32(ip + 12, s->saddr);
	fz_put32(ip + 16, s->daddr);
	/* Options: NOPs, a router alert, an end of list. */
	for (i = 20; i < ihl; i++)
		ip[i] = 1;
	if (s->ipopt >= 4 && fz_pct(&g->r, 50)) {
		ip[20] = 0x94;
		ip[21] = 4;
		ip[22] = ip[23] = 0;
	}
	if (s->ipopt && fz_pct(&g->r, 30))
		ip[ihl - 1] = 0;
	l4 = ip + ihl;
	if (s->proto == IPPROTO_TCP) {
		pkt_put_tcp(l4, s->sport, s->dport, s->seq, s->ack, s->flags,
			    l4hdr, s->tcpopt >= 4 ? 1460 : 0);
		if (s->tcpopt >= 16) {
			l4[26] = 8;	/* timestamps */
			l4[27] = 10;
			fill(g, l4 + 28, 8);
		}
	} else {
		pkt_put_udp(l4, s->sport, s->dport, l4hdr + s->plen);
	}
	fill(g, l4 + l4hdr, s->plen);
	b->len = ETH_HLEN + tot;
	fz_put16(ip + 10, ~pkt_fold(pkt_sum(ip, ihl, 0)));
	if (!(s->proto == IPPROTO_UDP && s->udp_nocsum))
		fix_csums2(b, 0, 1);
}

static unsigned int pick_plen(struct fz_gen *g)
{
	unsigned int r = fz_rnd(&g->r, 100);

	if (r < 35)
		return 0;
	if (r < 80)
		return 1 + fz_rnd(&g->r, 64);
	if (r < 95)
		return 65 + fz_rnd(&g->r, 500);
	return 1000 + fz_rnd(&g->r, 401);	/* up to a 1500-byte MTU */
}

static void opts(struct fz_gen *g, struct spec *s)
{
	s->ipopt = fz_pct(&g->r, 10) ? 4 * (1 + fz_rnd(&g->r, 10)) : 0;
	if (s->proto == IPPROTO_TCP)
		s->tcpopt = fz_pct(&g->r, 30) ? 4 * (1 + fz_rnd(&g->r, 10)) : 0;
	s->udp_nocsum = s->proto == IPPROTO_UDP && fz_pct(&g->r, 10);
}

static __u8 client_flags(struct fz_gen *g, unsigned int *plen)
{
	unsigned int r = fz_rnd(&g->r, 100);

	*plen = 0;
	if (r < 30)
		return 0x10;			/* ACK */
	if (r < 55) {
		*plen = pick_plen(g);
		return 0x18;			/* PSH|ACK */
	}
	if (r < 67)
		return 0x11;			/* FIN|ACK */
	if (r < 71)
		return 0x04;			/* RST */
	if (r < 75)
		return 0x14;			/* RST|ACK */
	if (r < 85)
		return 0x02;			/* SYN, again */
	*plen = fz_pct(&g->r, 50) ? pick_plen(g) : 0;
	return fz_rnd(&g->r, 256);
}

static __u8 server_flags(struct fz_gen *g, unsigned int *plen)
{
	unsigned int r = fz_rnd(&g->r, 100);

	*plen = 0;
	if (r < 25)
		return 0x12;			/* SYN|ACK */
	if (r < 45)
		return 0x10;
	if (r < 65) {
		*plen = pick_plen(g);
		return 0x18;
	}
	if (r < 77)
		return 0x11;
	if (r < 81)
		return 0x04;
	if (r < 85)
		return 0x14;
	*plen = fz_pct(&g->r, 50) ? pick_plen(g) : 0;
	return fz_rnd(&g->r, 256);
}

static const char *flag_str(__u8 f, char *buf)
{
	static const char names[] = "FSRPAUEC";
	int i, k = 0;

	for (i = 0; i < 8; i++)
		if (f & (1 << i))
			buf[k++] = names[i];
	if (!k)
		buf[k++] = '-';
	buf[k] = 0;
	return buf;
}

/* A flow of the model of family v6 (a few tries), or NULL. */
static struct fz_mflow *pick_flow_fam(struct fz_gen *g, int v6);

static struct fz_mflow *pick_flow(struct fz_gen *g)
{
	/* Mostly the latest flows (the model is oldest first), so that
	 * flows live through their states; any flow otherwise. */
	int i = fz_pct(&g->r, 70) ?
		g->nm - 1 - (int)fz_rnd(&g->r, g->nm < 48 ? g->nm : 48) :
		(int)fz_rnd(&g->r, g->nm);

	return &g->m[i];
}

static struct fz_mflow *pick_flow_fam(struct fz_gen *g, int v6)
{
	struct fz_mflow *m;
	int k;

	for (k = 0; k < 8 && g->nm; k++) {
		m = pick_flow(g);
		if (m->v6 == v6)
			return m;
	}
	return NULL;
}

/* The IPv6 half's output appended to a description. */
static void d6(struct desc *d)
{
	d->at = strnlen(d->s, d->n);
}

/* The spec of a packet of flow m from one side, without flags. */
static void flow_spec(struct fz_gen *g, const struct fz_mflow *m,
		      int from_client, struct spec *s)
{
	memset(s, 0, sizeof(*s));
	s->proto = m->proto;
	memcpy(s->dmac, g->lb_mac, 6);
	if (from_client) {
		fz_mac_of(m->cip, s->smac);
		s->saddr = m->cip;
		s->daddr = FZ_VIP;
		s->sport = m->cport;
		s->dport = m->vport;
		s->seq = m->cseq;
		s->ack = m->sseq;
	} else {
		fz_mac_of(m->bip, s->smac);
		s->saddr = m->bip;
		s->daddr = m->lip;
		s->sport = m->bport;
		s->dport = m->nport;
		s->seq = m->sseq;
		s->ack = m->cseq;
	}
}

static void desc_spec(struct desc *d, const char *what, const struct spec *s)
{
	char fb[12];

	dadd(d, "%s %s %u.%u:%u>%u.%u:%u", what, s->proto == IPPROTO_TCP ?
	     "tcp" : "udp", (s->saddr >> 8) & 0xff, s->saddr & 0xff, s->sport,
	     (s->daddr >> 8) & 0xff, s->daddr & 0xff, s->dport);
	if (s->proto == IPPROTO_TCP)
		dadd(d, " %s", flag_str(s->flags, fb));
}

/* A packet of a known flow, from the client or from the backend. */
static void gen_flow(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	struct fz_mflow *m = pick_flow(g);
	int from_client = fz_pct(&g->r, 50);
	unsigned int plen;
	struct spec s;
	__u8 f = 0;

	if (m->v6) {
		if (m->proto == IPPROTO_TCP)
			f = from_client ? client_flags(g, &plen) :
					  server_flags(g, &plen);
		else
			plen = pick_plen(g);
		if (from_client)
			m->cseq += plen;
		else
			m->sseq += plen;
		fz_gen_flow6(g, m, from_client, f, plen, b, d->s + d->at,
			     d->n - d->at);
		d6(d);
		return;
	}
	flow_spec(g, m, from_client, &s);
	opts(g, &s);
	if (s.proto == IPPROTO_TCP)
		s.flags = from_client ? client_flags(g, &s.plen) :
					server_flags(g, &s.plen);
	else
		s.plen = pick_plen(g);
	if (from_client)
		m->cseq += s.plen;
	else
		m->sseq += s.plen;
	build(g, &s, b);
	desc_spec(d, from_client ? "flow client" : "flow backend", &s);
	dadd(d, " len %u", b->len);
	g->kinds[FK_FLOW]++;
}

/* The first packet of a flow to one of the services. */
static void gen_new(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	static const struct { __u16 port; __u8 proto; unsigned int w; } t[] = {
		{ 80, IPPROTO_TCP, 40 }, { 443, IPPROTO_TCP, 15 },
		{ 81, IPPROTO_TCP, 8 }, { 82, IPPROTO_TCP, 7 },
		{ 53, IPPROTO_UDP, 18 }, { 54, IPPROTO_UDP, 6 },
		{ 84, IPPROTO_TCP, 4 }, { 85, IPPROTO_TCP, 2 },
	};
	unsigned int r = fz_rnd(&g->r, 100), i;
	struct spec s = {};

	for (i = 0; i < sizeof(t) / sizeof(t[0]) - 1 && r >= t[i].w; i++)
		r -= t[i].w;
	s.proto = t[i].proto;
	s.dport = t[i].port;
	s.saddr = clients[fz_rnd(&g->r, sizeof(clients) / sizeof(clients[0]))];
	/* A small pool of ports, so that tuples come back (retransmitted
	 * SYNs, new SYNs on closed flows), and any port. */
	s.sport = fz_pct(&g->r, 60) ? 40000 + fz_rnd(&g->r, 400) :
				      1 + fz_rnd(&g->r, 65535);
	s.daddr = FZ_VIP;
	fz_mac_of(s.saddr, s.smac);
	memcpy(s.dmac, g->lb_mac, 6);
	opts(g, &s);
	s.flags = 0x02;
	s.seq = (__u32)fz_rnd64(&g->r);
	s.plen = s.proto == IPPROTO_UDP ? pick_plen(g) :
		 fz_pct(&g->r, 5) ? pick_plen(g) : 0;	/* TFO-like data */
	build(g, &s, b);
	dadd(d, "new %s .%u:%u>vip:%u len %u", s.proto == IPPROTO_TCP ?
	     "syn" : "udp", s.saddr & 0xff, s.sport, s.dport, b->len);
	g->kinds[FK_NEW]++;
}

/* Valid TCP/UDP that is no service's and no flow's (mostly). */
static void gen_other(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	struct spec s = {};
	char fb[12];

	s.proto = fz_pct(&g->r, 60) ? IPPROTO_TCP : IPPROTO_UDP;
	s.saddr = fz_pct(&g->r, 70) ?
		  clients[fz_rnd(&g->r, sizeof(clients) / sizeof(clients[0]))] :
		  (__u32)fz_rnd64(&g->r);
	switch (fz_rnd(&g->r, 3)) {
	case 0: s.daddr = FZ_VIP; break;
	case 1: s.daddr = FZ_IP(10, 0, 0, 2 + fz_rnd(&g->r, 250)); break;
	default: s.daddr = (__u32)fz_rnd64(&g->r);
	}
	s.sport = fz_rnd(&g->r, 65536);
	s.dport = fz_pct(&g->r, 50) ? fz_rnd(&g->r, 1024) :
				      fz_rnd(&g->r, 65536);
	fz_mac_of(s.saddr, s.smac);
	memcpy(s.dmac, g->lb_mac, 6);
	opts(g, &s);
	s.flags = fz_pct(&g->r, 50) ? 0x02 : fz_rnd(&g->r, 256);
	s.plen = pick_plen(g);
	build(g, &s, b);
	dadd(d, "other %s %08x:%u>%08x:%u", s.proto == IPPROTO_TCP ? "tcp" :
	     "udp", s.saddr, s.sport, s.daddr, s.dport);
	if (s.proto == IPPROTO_TCP)
		dadd(d, " %s", flag_str(s.flags, fb));
	dadd(d, " len %u", b->len);
	g->kinds[FK_OTHER]++;
}

static void gen_mutated(struct fz_gen *g, struct fz_buf *b, struct desc *d);

/* ---- Fragments and ICMP */
static void fix_ip_csum(struct fz_buf *b)
{
	unsigned int l3 = l3_of(b, NULL), ihl;
	unsigned char *ip = b->d + l3;

	if (b->len < l3 + 20)
		return;
	ihl = (ip[0] & 0x0f) * 4;
	if (ihl < 20 || l3 + ihl > b->len)
		return;
	fz_put16(ip + 10, 0);
	fz_put16(ip + 10, ~pkt_fold(pkt_sum(ip, ihl, 0)));
}

/* Bytes [from, to) of full's L4 part as a fragment of it. */
static void frag_of(const struct fz_buf *full, unsigned int ihl,
		    unsigned int from, unsigned int to, int more,
		    struct fz_buf *f)
{
	unsigned int hl = ETH_HLEN + ihl;

	memcpy(f->d, full->d, hl);
	memcpy(f->d + hl, full->d + hl + from, to - from);
	f->len = hl + to - from;
	fz_put16(f->d + ETH_HLEN + 2, ihl + to - from);
	fz_put16(f->d + ETH_HLEN + 6, (more ? 0x2000 : 0) | (from / 8));
	fix_ip_csum(f);
}

static void pend_push(struct fz_gen *g, const struct fz_buf *b)
{
	int n = sizeof(g->pend) / sizeof(g->pend[0]);

	if (g->npend < n)
		g->pend[g->npend++] = *b;
	else
		g->pend[fz_rnd(&g->r, n)] = *b;
}

/* A datagram of a known flow (or a new one) cut in two or three: the
 * first fragment now (or, out of order, a later one), the rest queued. */
static void gen_frag(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	static struct fz_buf full, parts[3];
	unsigned int ihl, l4hdr, l4len, ru, cut, cut2, n = 2, i, first;
	struct spec s;

	struct fz_mflow *fm = g->nm && fz_pct(&g->r, 70) ?
			      pick_flow_fam(g, 0) : NULL;

	if (fm) {
		int from_client = fz_pct(&g->r, 50);

		flow_spec(g, fm, from_client, &s);
		s.flags = fz_pct(&g->r, 80) ? 0x18 : fz_rnd(&g->r, 256);
		desc_spec(d, from_client ? "frag client" : "frag backend", &s);
	} else {
		memset(&s, 0, sizeof(s));
		s.proto = fz_pct(&g->r, 60) ? IPPROTO_UDP : IPPROTO_TCP;
		s.saddr = clients[fz_rnd(&g->r, sizeof(clients) /
					 sizeof(clients[0]))];
		s.daddr = FZ_VIP;
		s.sport = 40000 + fz_rnd(&g->r, 400);
		s.dport = s.proto == IPPROTO_UDP ? 53 : 80;
		s.flags = 0x02;
		fz_mac_of(s.saddr, s.smac);
		memcpy(s.dmac, g->lb_mac, 6);
		desc_spec(d, "frag new", &s);
	}
	s.ipopt = fz_pct(&g->r, 10) ? 4 * (1 + fz_rnd(&g->r, 10)) : 0;
	s.tcpopt = s.proto == IPPROTO_TCP && fz_pct(&g->r, 20) ? 12 : 0;
	s.plen = 16 + fz_rnd(&g->r, 1300);
	build(g, &s, &full);
	ihl = 20 + s.ipopt;
	l4hdr = s.proto == IPPROTO_TCP ? 20 + s.tcpopt : 8;
	l4len = l4hdr + s.plen;
	ru = (l4hdr + 7) & ~7u;
	cut = ru + 8 * fz_rnd(&g->r, (l4len - 1 - ru) / 8 + 1);
	cut2 = l4len;
	if (l4len - cut > 16 && fz_pct(&g->r, 30)) {
		cut2 = cut + 8 * (1 + fz_rnd(&g->r, (l4len - cut - 9) / 8 + 1));
		if (cut2 < l4len)
			n = 3;
		else
			cut2 = l4len;
	}
	frag_of(&full, ihl, 0, cut, 1, &parts[0]);
	frag_of(&full, ihl, cut, cut2, n == 3, &parts[1]);
	if (n == 3)
		frag_of(&full, ihl, cut2, l4len, 0, &parts[2]);
	first = fz_pct(&g->r, 10) ? 1 : 0;	/* out of order */
	*b = parts[first];
	for (i = 0; i < n; i++)
		if (i != first)
			pend_push(g, &parts[i]);
	dadd(d, " id %u: %s of %u (cuts %u,%u) len %u",
	     fz_get16(b->d + ETH_HLEN + 4), first ? "a later part" :
	     "the first part", n, cut, cut2, b->len);
	g->kinds[FK_FRAG]++;
}

/* gen6.c's fragments: the first now (or, out of order, a later one),
 * the rest queued. */
static void gen_frag6(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	static struct fz_buf parts[3];
	int k = fz_gen_frag6(g, parts, d->s + d->at, d->n - d->at), i,
	    first = fz_pct(&g->r, 10) ? 1 : 0;

	d6(d);
	*b = parts[first];
	for (i = 0; i < k; i++)
		if (i != first)
			pend_push(g, &parts[i]);
	dadd(d, " %s len %u", first ? "a later part" : "the first part",
	     b->len);
}

static void build_icmp(struct fz_gen *g, const unsigned char *dmac,
		       __u32 saddr, __u32 daddr, unsigned int ipopt,
		       unsigned char *msg, unsigned int mlen, struct fz_buf *b)
{
	unsigned char *ip = b->d + ETH_HLEN;
	unsigned int ihl = 20 + ipopt, i;

	memcpy(b->d, dmac, 6);
	fz_mac_of(saddr, b->d + 6);
	fz_put16(b->d + 12, ETH_P_IP);
	ip[0] = 0x40 | (ihl / 4);
	ip[1] = 0;
	fz_put16(ip + 2, ihl + mlen);
	fz_put16(ip + 4, fz_rnd(&g->r, 65536));
	fz_put16(ip + 6, fz_pct(&g->r, 50) ? 0x4000 : 0);
	ip[8] = fz_pct(&g->r, 50) ? 64 : 1 + fz_rnd(&g->r, 255);
	ip[9] = IPPROTO_ICMP;
	fz_put16(ip + 10, 0);
	fz_put32(ip + 12, saddr);
	fz_put32(ip + 16, daddr);
	for (i = 20; i < ihl; i++)
		ip[i] = 1;
	fz_put16(msg + 2, 0);
	fz_put16(msg + 2, ~pkt_fold(pkt_sum(msg, mlen, 0)));
	memcpy(ip + ihl, msg, mlen);
	b->len = ETH_HLEN + ihl + mlen;
	fz_put16(ip + 10, ~pkt_fold(pkt_sum(ip, ihl, 0)));
}

static void gen_echo(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	static const __u32 bad[] = { FZ_IP(0, 1, 2, 3), FZ_IP(127, 0, 0, 1),
				     FZ_IP(224, 0, 0, 5), 0xffffffff };
	unsigned char msg[128];
	unsigned int n = 8 + (fz_pct(&g->r, 70) ? fz_rnd(&g->r, 64) : 0);
	__u32 src, dst;

	src = fz_pct(&g->r, 90) ?
	      clients[fz_rnd(&g->r, sizeof(clients) / sizeof(clients[0]))] :
	      bad[fz_rnd(&g->r, 4)];
	dst = fz_pct(&g->r, 80) ? FZ_VIP : FZ_IP(10, 0, 0, fz_rnd(&g->r, 256));
	fill(g, msg, n);
	msg[0] = 8;
	msg[1] = fz_pct(&g->r, 95) ? 0 : fz_rnd(&g->r, 256);
	build_icmp(g, g->lb_mac, src, dst, fz_pct(&g->r, 10) ? 4 : 0, msg, n,
		   b);
	dadd(d, "icmp echo %08x>%08x len %u", src, dst, b->len);
	g->kinds[FK_ICMP]++;
}

/* An ICMP error about a packet the balancer sent for a known flow, from
 * either side (the peer itself or a router on the way), or about a
 * packet of no flow. */
static void gen_icmp_err(struct fz_gen *g, struct fz_buf *b,
			 struct desc *d)
{
	static struct fz_buf inner;
	unsigned char msg[FZ_MAX];
	unsigned int qlen, ilen, n;
	int from_backend = fz_pct(&g->r, 50);
	struct spec s = {};
	__u32 src, dst;
	__u8 type;

	struct fz_mflow *m = g->nm && fz_pct(&g->r, 85) ?
			     pick_flow_fam(g, 0) : NULL;

	if (m) {
		s.proto = m->proto;
		if (from_backend) {
			s.saddr = m->lip;
			s.daddr = m->bip;
			s.sport = m->nport;
			s.dport = m->bport;
		} else {
			s.saddr = FZ_VIP;
			s.daddr = m->cip;
			s.sport = m->vport;
			s.dport = m->cport;
		}
	} else {
		s.proto = fz_pct(&g->r, 50) ? IPPROTO_TCP : IPPROTO_UDP;
		s.saddr = from_backend ? FZ_LBSRC : FZ_VIP;
		s.daddr = FZ_IP(10, 0, 0, 11 + fz_rnd(&g->r, 100));
		s.sport = fz_rnd(&g->r, 65536);
		s.dport = fz_rnd(&g->r, 65536);
	}
	s.flags = 0x18;
	s.seq = (__u32)fz_rnd64(&g->r);
	s.plen = fz_rnd(&g->r, 64);
	s.udp_nocsum = s.proto == IPPROTO_UDP && fz_pct(&g->r, 10);
	s.ipopt = fz_pct(&g->r, 10) ? 8 : 0;
	build(g, &s, &inner);
	ilen = inner.len - ETH_HLEN;
	/* RFC 792's 8 bytes, or more as Linux sends (up to 576 in all). */
	qlen = 20 + s.ipopt + (fz_pct(&g->r, 50) ? 8 : 8 + fz_rnd(&g->r, 60));
	if (qlen > ilen)
		qlen = ilen;
	switch (fz_rnd(&g->r, 10)) {
	case 0: case 1: case 2: case 3: case 4: case 5: type = 3; break;
	case 6: case 7: type = 11; break;
	case 8: type = 12; break;
	default: type = fz_rnd(&g->r, 256); break;
	}
	memset(msg, 0, 8);
	msg[0] = type;
	msg[1] = type == 3 ? fz_rnd(&g->r, 16) : type == 11 ?
		 fz_rnd(&g->r, 2) : 0;
	if (type == 3 && msg[1] == 4)
		fz_put16(msg + 6, 576 + fz_rnd(&g->r, 1000));	/* next MTU */
	if (type == 12)
		msg[4] = fz_rnd(&g->r, 40);			/* pointer */
	memcpy(msg + 8, inner.d + ETH_HLEN, qlen);
	n = 8 + qlen;
	/* From the peer the packet went to, or a router before it. */
	src = fz_pct(&g->r, 70) ? s.daddr : FZ_IP(10, 0, 0, 30 + fz_rnd(&g->r, 5));
	dst = s.saddr;
	build_icmp(g, g->lb_mac, src, dst, 0, msg, n, b);
	dadd(d, "icmp error %u/%u from %s about %s %08x:%u>%08x:%u, quote %u "
	     "len %u", type, msg[1], from_backend ? "backend side" :
	     "client side", s.proto == IPPROTO_TCP ? "tcp" : "udp", s.saddr,
	     s.sport, s.daddr, s.dport, qlen, b->len);
	g->kinds[FK_ICMP]++;
}

/* ---- Mutations */
enum mut {
	M_TRUNC, M_BITFLIP, M_BYTE, M_IHL, M_TOTLEN, M_DOFF, M_FLAGS,
	M_CSUM_IP, M_CSUM_L4, M_UDPLEN, M_FRAG, M_IPOPT, M_VLAN, M_VERSION,
	M_PAD, M_SHRINK, M_PROTO, M_ETYPE, M_ADDR, M_PORT, M_MAX,
};

/* Relative weights. */
static const unsigned int mut_w[M_MAX] = {
	[M_TRUNC] = 14, [M_BITFLIP] = 8, [M_BYTE] = 6, [M_IHL] = 8,
	[M_TOTLEN] = 10, [M_DOFF] = 8, [M_FLAGS] = 6, [M_CSUM_IP] = 4,
	[M_CSUM_L4] = 4, [M_UDPLEN] = 6, [M_FRAG] = 6, [M_IPOPT] = 4,
	[M_VLAN] = 6, [M_VERSION] = 3, [M_PAD] = 3, [M_SHRINK] = 3,
	[M_PROTO] = 3, [M_ETYPE] = 2, [M_ADDR] = 3, [M_PORT] = 3,
};

struct lay {
	unsigned int l3, ihl, l4;
	__u16 etype;
	int ip;			/* IPv4 header with a usable IHL in frame */
};

static void layout(const struct fz_buf *b, struct lay *y)
{
	const unsigned char *ip;

	memset(y, 0, sizeof(*y));
	y->l3 = l3_of(b, &y->etype);
	y->ihl = 20;
	y->l4 = y->l3 + 20;
	if (y->etype != ETH_P_IP || b->len < y->l3 + 20)
		return;
	ip = b->d + y->l3;
	if ((ip[0] & 0x0f) >= 5 && y->l3 + (ip[0] & 0x0f) * 4 <= b->len)
		y->ihl = (ip[0] & 0x0f) * 4;
	y->l4 = y->l3 + y->ihl;
	y->ip = 1;
}

int fz_insert(struct fz_buf *b, unsigned int at, unsigned int n)
{
	if (b->len + n > FZ_MAX || at > b->len)
		return -1;
	memmove(b->d + at + n, b->d + at, b->len - at);
	b->len += n;
	return 0;
}

static void mutate(struct fz_gen *g, struct fz_buf *b, enum mut m,
		   struct desc *d)
{
	struct lay y;
	unsigned char *ip, *l4;
	unsigned int i, n, r;

	layout(b, &y);
	ip = b->d + y.l3;
	l4 = b->d + y.l4;
	switch (m) {
	case M_TRUNC: {
		/* At every length, but often right at a header's edge. */
		static const unsigned int l4edge[] = { 0, 2, 4, 8, 13, 14, 18,
						       20 };

		if (b->len <= ETH_HLEN)
			break;
		r = fz_rnd(&g->r, 100);
		if (r < 4)
			n = fz_rnd(&g->r, ETH_HLEN);	/* the kernel refuses */
		else if (r < 12)
			n = y.l3 + (r & 1 ? 0 : 20) + fz_rnd(&g->r, 5) - 2;
		else if (r < 35)
			n = y.l4 + l4edge[fz_rnd(&g->r, 8)] +
			    fz_rnd(&g->r, 5) - 2;
		else
			n = ETH_HLEN + fz_rnd(&g->r, b->len - ETH_HLEN);
		if (n >= b->len)
			n = b->len - 1;
		dadd(d, " trunc(%u)", n);
		b->len = n;
		break;
	}
	case M_BITFLIP:
		n = 1 + fz_rnd(&g->r, 4);
		dadd(d, " flip(");
		for (i = 0; i < n && b->len; i++) {
			unsigned int lim = y.l4 + 24 < b->len ? y.l4 + 24 :
				b->len, at = fz_rnd(&g->r, lim), bit =
				fz_rnd(&g->r, 8);

			b->d[at] ^= 1 << bit;
			dadd(d, "%s%u.%u", i ? "," : "", at, bit);
		}
		dadd(d, ")");
		break;
	case M_BYTE: {
		unsigned int lim = y.l4 + 24 < b->len ? y.l4 + 24 : b->len;

		if (!lim)
			break;
		i = fz_rnd(&g->r, lim);
		b->d[i] = fz_rnd(&g->r, 256);
		dadd(d, " byte(%u=%02x)", i, b->d[i]);
		break;
	}
	case M_IHL:
		if (!y.ip)
			break;
		n = fz_rnd(&g->r, 16);
		ip[0] = (ip[0] & 0xf0) | n;
		dadd(d, " ihl(%u)", n);
		break;
	case M_TOTLEN:
		if (!y.ip)
			break;
		switch (fz_rnd(&g->r, 6)) {
		case 0: n = fz_rnd(&g->r, 65536); break;
		case 1: n = b->len - y.l3 + fz_rnd(&g->r, 61) - 30; break;
		case 2: n = y.ihl + fz_rnd(&g->r, 28); break;	/* L4 cut */
		case 3: n = y.ihl + 8 - fz_rnd(&g->r, 4); break;
		case 4: n = b->len - y.l3 + 1 + fz_rnd(&g->r, 4); break;
		default: n = fz_rnd(&g->r, y.ihl + 1); break;
		}
		n &= 0xffff;
		fz_put16(ip + 2, n);
		dadd(d, " totlen(%u)", n);
		break;
	case M_DOFF:
		if (!y.ip || y.l4 + 13 > b->len)
			break;
		n = fz_rnd(&g->r, 16);
		l4[12] = (n << 4) | (l4[12] & 0x0f);
		dadd(d, " doff(%u)", n);
		break;
	case M_FLAGS: {
		static const __u8 odd[] = { 0x03, 0x06, 0x05, 0x07, 0x3f, 0xff,
					    0x00, 0x12, 0x29, 0xc2, 0x01 };

		if (!y.ip || y.l4 + 14 > b->len)
			break;
		l4[13] = fz_pct(&g->r, 50) ? odd[fz_rnd(&g->r, sizeof(odd))] :
					     fz_rnd(&g->r, 256);
		dadd(d, " flags(%02x)", l4[13]);
		break;
	}
	case M_CSUM_IP:
		if (!y.ip)
			break;
		n = 1 + fz_rnd(&g->r, 0xffff);
		fz_put16(ip + 10, fz_get16(ip + 10) ^ n);
		dadd(d, " ipcsum(^%04x)", n);
		break;
	case M_CSUM_L4:
		if (!y.ip)
			break;
		i = y.l4 + (ip[9] == IPPROTO_UDP ? 6 : 16);
		if (i + 2 > b->len)
			break;
		n = 1 + fz_rnd(&g->r, 0xffff);
		fz_put16(b->d + i, fz_get16(b->d + i) ^ n);
		dadd(d, " l4csum(^%04x)", n);
		break;
	case M_UDPLEN:
		if (!y.ip || y.l4 + 6 > b->len)
			break;
		r = b->len - y.l4;
		switch (fz_rnd(&g->r, 5)) {
		case 0: n = fz_rnd(&g->r, 8); break;
		case 1: n = r + 1 + fz_rnd(&g->r, 100); break;
		case 2: n = r > 8 ? 8 + fz_rnd(&g->r, r - 8) : 8; break;
		case 3: n = 0xffff; break;
		default: n = fz_rnd(&g->r, 65536); break;
		}
		fz_put16(l4 + 4, n);
		dadd(d, " udplen(%u)", n);
		break;
	case M_FRAG:
		if (!y.ip)
			break;
		switch (fz_rnd(&g->r, 4)) {
		case 0: n = 0x2000; break;			/* MF */
		case 1: n = 1 + fz_rnd(&g->r, 0x1fff); break;	/* offset */
		case 2: n = 0x2000 | (1 + fz_rnd(&g->r, 0x1fff)); break;
		default: n = 0x4000; break;	/* DF: not a fragment */
		}
		if (fz_pct(&g->r, 10))
			n |= 0x8000;		/* the reserved bit */
		fz_put16(ip + 6, n);
		dadd(d, " frag(%04x)", n);
		break;
	case M_IPOPT:
		/* Well-formed: options inserted, IHL and tot_len follow. */
		if (!y.ip || y.ihl >= 60)
			break;
		n = 4 * (1 + fz_rnd(&g->r, (60 - y.ihl) / 4));
		if (fz_insert(b, y.l4, n))
			break;
		ip = b->d + y.l3;
		for (i = 0; i < n; i++)
			b->d[y.l4 + i] = fz_pct(&g->r, 80) ? 1 :
					 fz_rnd(&g->r, 256);
		ip[0] = (ip[0] & 0xf0) | ((y.ihl + n) / 4);
		fz_put16(ip + 2, fz_get16(ip + 2) + n);
		dadd(d, " ipopt(+%u)", n);
		break;
	case M_VLAN:
		r = fz_rnd(&g->r, 4);
		n = r == 3 ? 8 : 4;
		if (fz_insert(b, 12, n))
			break;
		if (r == 3) {			/* QinQ */
			fz_put16(b->d + 12, ETH_P_8021AD);
			fz_put16(b->d + 14, fz_rnd(&g->r, 4096));
			fz_put16(b->d + 16, ETH_P_8021Q);
			fz_put16(b->d + 18, fz_rnd(&g->r, 4096));
		} else {
			fz_put16(b->d + 12, r == 2 ? ETH_P_8021AD :
						     ETH_P_8021Q);
			/* r == 1: a priority tag, VID 0 */
			fz_put16(b->d + 14, r == 1 ? 0x6000 :
						     fz_rnd(&g->r, 65536));
		}
		dadd(d, " vlan(%s)", r == 3 ? "qinq" : r == 2 ? "8021ad" :
					     r == 1 ? "prio" : "8021q");
		break;
	case M_VERSION:
		if (!y.ip)
			break;
		n = fz_rnd(&g->r, 16);
		ip[0] = (n << 4) | (ip[0] & 0x0f);
		dadd(d, " version(%u)", n);
		break;
	case M_PAD:
		n = 1 + fz_rnd(&g->r, 60);
		if (b->len + n > FZ_MAX)
			break;
		fill(g, b->d + b->len, n);
		b->len += n;
		dadd(d, " pad(+%u)", n);
		break;
	case M_SHRINK:
		/* tot_len short of the frame, the rest is padding. */
		if (!y.ip || b->len <= y.l4 + 20)
			break;
		n = y.ihl + 20 + fz_rnd(&g->r, b->len - y.l4 - 20);
		fz_put16(ip + 2, n);
		dadd(d, " shrink(%u)", n);
		break;
	case M_PROTO: {
		static const __u8 p[] = { 0, 1, 2, 4, 41, 47, 50, 58, 132,
					  255 };

		if (!y.ip)
			break;
		ip[9] = fz_pct(&g->r, 60) ? p[fz_rnd(&g->r, sizeof(p))] :
					    fz_rnd(&g->r, 256);
		dadd(d, " proto(%u)", ip[9]);
		break;
	}
	case M_ETYPE: {
		static const __u16 t[] = { ETH_P_IPV6, ETH_P_ARP, 0x8847,
					   0x88cc, 0x0000, 0xffff, 0x05dc };

		n = fz_pct(&g->r, 50) ? t[fz_rnd(&g->r, sizeof(t) / 2)] :
					fz_rnd(&g->r, 65536);
		fz_put16(b->d + y.l3 - 2, n);
		dadd(d, " etype(%04x)", n);
		break;
	}
	case M_ADDR:
		if (!y.ip)
			break;
		i = fz_pct(&g->r, 50) ? 12 : 16;
		switch (fz_rnd(&g->r, 4)) {
		case 0: n = FZ_VIP; break;
		case 1: n = FZ_IP(10, 0, 0, fz_rnd(&g->r, 256)); break;
		case 2: n = FZ_IP(10, 0, 0, 11 + fz_rnd(&g->r, 10)); break;
		default: n = (__u32)fz_rnd64(&g->r); break;
		}
		fz_put32(ip + i, n);
		dadd(d, " %s(%08x)", i == 12 ? "saddr" : "daddr", n);
		break;
	case M_PORT: {
		static const __u16 ports[] = { 80, 443, 81, 82, 53, 54, 84,
					       85, 8080, 5353, 0, 65535 };

		if (!y.ip || y.l4 + 4 > b->len)
			break;
		i = fz_pct(&g->r, 50) ? 0 : 2;
		n = fz_pct(&g->r, 50) ? ports[fz_rnd(&g->r, 12)] :
					fz_rnd(&g->r, 65536);
		fz_put16(l4 + i, n);
		dadd(d, " %s(%u)", i ? "dport" : "sport", n);
		break;
	}
	case M_MAX:
		break;
	}
}

static enum mut pick_mut(struct fz_gen *g)
{
	unsigned int tot = 0, r, i;

	for (i = 0; i < M_MAX; i++)
		tot += mut_w[i];
	r = fz_rnd(&g->r, tot);
	for (i = 0; i < M_MAX - 1 && r >= mut_w[i]; i++)
		r -= mut_w[i];
	return i;
}

static int is_ipv6(const struct fz_buf *b)
{
	__u16 t;

	l3_of(b, &t);
	return t == ETH_P_IPV6;
}

/* An IPv6 frame: mostly its own mutations, now and then the generic
 * ones (truncation, bit flips, bytes, tags, padding, ethertype). */
static void gen_mutated6(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	static const enum mut any[] = { M_TRUNC, M_BITFLIP, M_BYTE, M_VLAN,
					 M_PAD, M_ETYPE };
	int n = 1 + fz_rnd(&g->r, 3), i;

	dadd(d, " |");
	for (i = 0; i < n; i++) {
		if (fz_pct(&g->r, 75)) {
			fz_mutate6(g, b, d->s + d->at, d->n - d->at);
			d6(d);
		} else {
			mutate(g, b, any[fz_rnd(&g->r, 6)], d);
		}
	}
	if (fz_pct(&g->r, 60)) {
		fz_fix_csums6(b);
		dadd(d, " csum-fixed");
	}
	g->kinds[FK_MUTATED]++;
}

static void gen_mutated(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	enum mut ms[3];
	int n = 1 + fz_rnd(&g->r, 3), i, trunc = 0, csum = 0;

	if (is_ipv6(b)) {
		gen_mutated6(g, b, d);
		return;
	}
	for (i = 0; i < n; i++) {
		ms[i] = pick_mut(g);
		if (ms[i] == M_TRUNC)
			trunc = 1;
		if (ms[i] == M_CSUM_IP || ms[i] == M_CSUM_L4)
			csum = 1;
	}
	dadd(d, " |");
	for (i = 0; i < n; i++)
		if (ms[i] != M_TRUNC)
			mutate(g, b, ms[i], d);
	/* Most mutants get their checksums made right again, so that the
	 * mutation itself is what is wrong with them. */
	if (!csum && fz_pct(&g->r, 60)) {
		fix_csums(b, 1);
		dadd(d, " csum-fixed");
	}
	if (trunc)
		mutate(g, b, M_TRUNC, d);
	g->kinds[FK_MUTATED]++;
}

/* ---- Not IPv4 */
static void gen_ipv6(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	static const __u8 ext[] = { 0, 43, 44, 60, 51, 135, 139, 140 };
	static const __u8 last[] = { 6, 17, 58, 59, 6, 17 };
	unsigned char *p = b->d, *ip6, *nh;
	unsigned int n = fz_rnd(&g->r, 6), i, at, hl;
	__u8 fin;

	memcpy(p, g->lb_mac, 6);
	fz_mac_of(clients[0], p + 6);
	fz_put16(p + 12, ETH_P_IPV6);
	ip6 = p + ETH_HLEN;
	memset(ip6, 0, 40);
	ip6[0] = 0x60;
	ip6[7] = 64;
	ip6[8] = 0xfd;
	ip6[23] = 0x64;
	ip6[24] = 0xfd;
	ip6[39] = fz_pct(&g->r, 70) ? 1 : fz_rnd(&g->r, 256);
	nh = ip6 + 6;
	at = ETH_HLEN + 40;
	dadd(d, "ipv6");
	for (i = 0; i < n; i++) {
		__u8 t = fz_pct(&g->r, 85) ? ext[fz_rnd(&g->r, sizeof(ext))] :
					     fz_rnd(&g->r, 256);

		*nh = t;
		hl = t == 44 ? 8 : t == 51 ? 8 + 4 * fz_rnd(&g->r, 4) :
		     8 * (1 + fz_rnd(&g->r, 4));
		fill(g, p + at, hl);
		if (t == 51)
			p[at + 1] = hl / 4 - 2;
		else if (t != 44)
			p[at + 1] = hl / 8 - 1;
		if (t == 44 && fz_pct(&g->r, 50))
			fz_put16(p + at + 2, fz_get16(p + at + 2) & ~0xfff9);
		nh = p + at;
		at += hl;
		dadd(d, " %u", t);
	}
	fin = fz_pct(&g->r, 85) ? last[fz_rnd(&g->r, sizeof(last))] :
				  fz_rnd(&g->r, 256);
	*nh = fin;
	dadd(d, " -> %u", fin);
	hl = fin == 6 ? 20 : 8;
	fill(g, p + at, hl);
	if (fin == 6 || fin == 17) {
		fz_put16(p + at, 40000 + fz_rnd(&g->r, 100));
		fz_put16(p + at + 2, fin == 6 ? 80 : 53);
		if (fin == 6) {
			p[at + 12] = 5 << 4;
			p[at + 13] = 0x02;
		} else {
			fz_put16(p + at + 4, 8);
		}
	}
	at += hl;
	b->len = at + (fz_pct(&g->r, 50) ? fz_rnd(&g->r, 64) : 0);
	fill(g, p + at, b->len - at);
	fz_put16(ip6 + 4, fz_pct(&g->r, 80) ? b->len - ETH_HLEN - 40 :
					      fz_rnd(&g->r, 65536));
	if (fz_pct(&g->r, 25)) {
		i = ETH_HLEN + fz_rnd(&g->r, b->len - ETH_HLEN);
		b->len = i;
		dadd(d, " trunc(%u)", i);
	}
	g->kinds[FK_IPV6]++;
}

static void gen_arp(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	unsigned char *p = b->d, *a;

	memset(p, 0xff, 6);
	fz_mac_of(clients[0], p + 6);
	fz_put16(p + 12, ETH_P_ARP);
	a = p + ETH_HLEN;
	fz_put16(a, 1);
	fz_put16(a + 2, ETH_P_IP);
	a[4] = 6;
	a[5] = 4;
	fz_put16(a + 6, 1 + fz_rnd(&g->r, 2));
	memcpy(a + 8, p + 6, 6);
	fz_put32(a + 14, clients[0]);
	memset(a + 18, 0, 6);
	fz_put32(a + 24, FZ_VIP);
	b->len = fz_pct(&g->r, 80) ? 60 : ETH_HLEN + fz_rnd(&g->r, 46);
	memset(p + 42, 0, 18);
	dadd(d, "arp len %u", b->len);
	g->kinds[FK_ARP]++;
}

static void gen_ethertype(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	__u16 t = fz_rnd(&g->r, 65536);

	b->len = ETH_HLEN + fz_rnd(&g->r, 200);
	fill(g, b->d, b->len);
	memcpy(b->d, g->lb_mac, 6);
	fz_put16(b->d + 12, t);
	dadd(d, "ethertype %04x len %u", t, b->len);
	g->kinds[FK_ETHERTYPE]++;
}

/* Random bytes; half with a plausible start so they reach deeper. */
static void gen_random(struct fz_gen *g, struct fz_buf *b, struct desc *d)
{
	static const __u16 ports[] = { 80, 443, 81, 82, 53, 54 };
	unsigned int l3 = ETH_HLEN;
	unsigned char *ip;

	b->len = ETH_HLEN + (fz_pct(&g->r, 50) ? fz_rnd(&g->r, 115) :
						 fz_rnd(&g->r, 1587));
	fill(g, b->d, b->len);
	dadd(d, "random len %u", b->len);
	if (fz_pct(&g->r, 50)) {
		g->kinds[FK_RANDOM]++;
		return;
	}
	memcpy(b->d, g->lb_mac, 6);
	if (fz_pct(&g->r, 10) && b->len >= 18) {
		fz_put16(b->d + 12, ETH_P_8021Q);
		l3 += 4;
	}
	fz_put16(b->d + l3 - 2, ETH_P_IP);
	ip = b->d + l3;
	if (b->len >= l3 + 20) {
		ip[0] = fz_pct(&g->r, 70) ? 0x45 : 0x40 | fz_rnd(&g->r, 16);
		fz_put16(ip + 2, fz_pct(&g->r, 60) ? b->len - l3 :
						     fz_rnd(&g->r, 65536));
		if (fz_pct(&g->r, 70))
			fz_put16(ip + 6, 0);
		ip[9] = fz_pct(&g->r, 50) ? IPPROTO_TCP : IPPROTO_UDP;
		fz_put32(ip + 16, FZ_VIP);
	}
	if (b->len >= l3 + 24)
		fz_put16(ip + 22, ports[fz_rnd(&g->r, 6)]);
	if (fz_pct(&g->r, 50))
		fix_csums(b, 1);
	dadd(d, " (IPv4 start)");
	g->kinds[FK_RANDOM]++;
}

void fz_gen_next(struct fz_gen *g, struct fz_buf *b, char *s, size_t n)
{
	struct desc d = { .s = s, .n = n };
	unsigned int r = fz_rnd(&g->r, 1000);

	s[0] = 0;
	if (g->npend && fz_pct(&g->r, 30)) {
		/* A fragment queued by gen_frag(). */
		int i = fz_rnd(&g->r, g->npend);

		*b = g->pend[i];
		g->pend[i] = g->pend[--g->npend];
		dadd(&d, "queued fragment id %u off %u len %u",
		     b->len >= 20 ? fz_get16(b->d + 18) : 0,
		     b->len >= 22 ? (fz_get16(b->d + 20) & 0x1fff) * 8 : 0,
		     b->len);
		g->kinds[FK_FRAG]++;
		if (fz_pct(&g->r, 25))
			gen_mutated(g, b, &d);
		return;
	}
	if (r < 850) {
		unsigned int k = fz_rnd(&g->r, 100);

		if (!g->nm)
			k = 50 + k / 2;		/* no flow to send on */
		if (k < 50) {
			gen_flow(g, b, &d);
		} else if (k < 70 && fz_pct(&g->r, 40)) {
			fz_gen_new6(g, b, s, n);
			d6(&d);
		} else if (k < 70) {
			gen_new(g, b, &d);
		} else if (k < 78) {
			gen_other(g, b, &d);
		} else if (k < 87 && fz_pct(&g->r, 35)) {
			gen_frag6(g, b, &d);
		} else if (k < 87) {
			gen_frag(g, b, &d);
		} else if (k < 94 && fz_pct(&g->r, 45)) {
			fz_gen_icmp6(g, b, s, n);
			d6(&d);
		} else if (k < 90) {
			gen_echo(g, b, &d);
		} else {
			gen_icmp_err(g, b, &d);
		}
		if (r >= 450)
			gen_mutated(g, b, &d);
	} else if (r < 930) {
		gen_random(g, b, &d);
	} else if (r < 970) {
		gen_ipv6(g, b, &d);
	} else if (r < 985) {
		gen_arp(g, b, &d);
	} else {
		gen_ethertype(g, b, &d);
	}
}

void fz_gen_clear(struct fz_gen *g)
{
	g->nm = 0;
}

/* The model never draws from the PRNG, so that the packet stream of a
 * seed does not depend on how many flows the data path made. */
static void model_put(struct fz_gen *g, const struct fz_mflow *m)
{
	if (g->nm < FZ_MODEL_MAX)
		g->m[g->nm++] = *m;
	else
		g->m[g->replace++ % FZ_MODEL_MAX] = *m;
}

static void seqs(struct fz_mflow *m)
{
	__u64 x = ((__u64)(m->cip ^ m->cip6[15] ^ (m->cip6[14] << 8)) << 32) ^
		  ((__u64)m->cport << 16) ^ m->vport;

	m->cseq = (__u32)splitmix(&x);
	m->sseq = (__u32)splitmix(&x);
}

void fz_gen_learn(struct fz_gen *g, const struct fz_buf *in,
		  const struct fz_buf *out)
{
	struct fz_class ci, co;
	struct fz_mflow m = {};

	fz_classify(in, &ci);
	fz_classify(out, &co);
	if (!ci.ports || !co.ports || ci.v6 != co.v6)
		return;
	m.proto = ci.proto;
	m.v6 = ci.v6;
	memcpy(m.cip6, ci.saddr6, 16);
	memcpy(m.bip6, co.daddr6, 16);
	memcpy(m.lip6, co.saddr6, 16);
	m.cip = ci.saddr;
	m.cport = ci.sport;
	m.vport = ci.dport;
	m.bip = co.daddr;
	m.lip = co.saddr;
	m.bport = co.dport;
	m.nport = co.sport;
	seqs(&m);
	model_put(g, &m);
}

void fz_gen_add(struct fz_gen *g, const struct xlb_flow_key *k,
		const struct xlb_flow *v)
{
	struct fz_mflow m = {};

	m.proto = k->proto;
	m.v6 = k->family == XLB_AF_INET6;
	if (m.v6) {
		memcpy(m.cip6, &k->src, 16);
		memcpy(m.bip6, &v->nat_dst, 16);
		memcpy(m.lip6, &v->nat_src, 16);
	}
	m.cip = __builtin_bswap32(k->src.a[0]);
	m.cport = __builtin_bswap16(k->sport);
	m.vport = __builtin_bswap16(k->dport);
	m.bip = __builtin_bswap32(v->nat_dst.a[0]);
	m.lip = __builtin_bswap32(v->nat_src.a[0]);
	m.bport = __builtin_bswap16(v->nat_dport);
	m.nport = __builtin_bswap16(v->nat_sport);
	seqs(&m);
	model_put(g, &m);
}
