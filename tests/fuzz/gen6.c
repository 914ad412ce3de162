// SPDX-License-Identifier: GPL-2.0
/* The generator's IPv6 half (gen.c draws from it): first packets to the
 * IPv6 services, some behind extension-header chains (hop-by-hop and
 * destination options, up to 4 and one too many, routing headers,
 * fragments, AH, ESP), packets of IPv6 flows from either side, ICMPv6
 * (echo requests from good and bad sources, errors of every type quoting
 * flows from either side, neighbour discovery) and fragmented datagrams;
 * their mutations are mut6.c's. Checksums from scratch over the IPv6
 * pseudo-header (tests/bpf/pkt.c's sums); every choice from the one PRNG. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include "pkt.h"
#include "fuzz.h"
#include "gen6.h"

#define EXT_MAX	8

struct spec6 {
	unsigned char smac[6], dmac[6];
	__u8 proto;		/* 6, 17, 58, or any other (payload only) */
	__u8 saddr[16], daddr[16];
	__u16 sport, dport;
	__u8 flags;
	__u32 seq, ack;
	unsigned int tcpopt, plen;
	int udp_nocsum;
	__u8 ext[EXT_MAX], extlen[EXT_MAX];	/* type, length field */
	int next;
	__u8 itype, icode;	/* ICMPv6 */
	__u32 irest;
	const unsigned char *data;	/* ICMPv6 body after the 8 bytes */
	unsigned int dlen;
};

void fz6_fill(struct fz_gen *g, unsigned char *p, unsigned int n)
{
	while (n--)
		*p++ = (unsigned char)fz_rnd64(&g->r);
}

void fz6_dadd(char *d, size_t n, const char *fmt, ...)
{
	size_t at = strnlen(d, n);
	va_list ap;

	if (at + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(d + at, n - at, fmt, ap);
	va_end(ap);
}

static void build6(struct fz_gen *g, const struct spec6 *s, struct fz_buf *b)
{
	unsigned char *d = b->d, *ip = d + ETH_HLEN, *nh, *h, *l4;
	unsigned int at = ETH_HLEN + 40, n, l4hdr, i;

	memcpy(d, s->dmac, 6);
	memcpy(d + 6, s->smac, 6);
	fz_put16(d + 12, ETH_P_IPV6);
	fz_put32(ip, 0x60000000 | (fz_pct(&g->r, 50) ?
				   (__u32)fz_rnd(&g->r, 1u << 20) : 0));
	ip[7] = fz_pct(&g->r, 80) ? 64 : 1 + fz_rnd(&g->r, 255);
	memcpy(ip + 8, s->saddr, 16);
	memcpy(ip + 24, s->daddr, 16);
	nh = ip + 6;
	for (i = 0; i < (unsigned int)s->next; i++) {
		h = d + at;
		*nh = s->ext[i];
		n = fz6_ext_bytes(s->ext[i], s->extlen[i]);
		memset(h, 0, n);
		h[1] = s->ext[i] == 44 ? 0 : s->extlen[i];
		if (s->ext[i] == 0 || s->ext[i] == 60) {
			h[2] = 1;		/* PadN */
			h[3] = n - 4;
		} else if (s->ext[i] == 43) {
			h[2] = fz_rnd(&g->r, 5);	/* routing type */
			h[3] = fz_rnd(&g->r, 3);	/* segments left */
			fz6_fill(g, h + 4, n - 4);
		} else if (s->ext[i] == 44) {
			fz_put16(h + 2, fz_pct(&g->r, 50) ? 1 :
				 (__u16)(fz_rnd(&g->r, 65536) & 0xfff9));
			fz6_fill(g, h + 4, 4);
		} else {
			fz6_fill(g, h + 2, n - 2);
		}
		nh = h;
		at += n;
	}
	*nh = s->proto;
	l4 = d + at;
	if (s->proto == IPPROTO_TCP) {
		l4hdr = 20 + s->tcpopt;
		pkt_put_tcp(l4, s->sport, s->dport, s->seq, s->ack, s->flags,
			    l4hdr, s->tcpopt >= 4 ? 1440 : 0);
	} else if (s->proto == IPPROTO_UDP) {
		l4hdr = 8;
		pkt_put_udp(l4, s->sport, s->dport, 8 + s->plen);
	} else if (s->proto == 58) {
		l4hdr = 8;
		l4[0] = s->itype;
		l4[1] = s->icode;
		fz_put16(l4 + 2, 0);
		fz_put32(l4 + 4, s->irest);
	} else {
		l4hdr = 0;
	}
	if (s->data)
		memcpy(l4 + l4hdr, s->data, s->dlen);
	else
		fz6_fill(g, l4 + l4hdr, s->plen);
	b->len = at + l4hdr + (s->data ? s->dlen : s->plen);
	fz_put16(ip + 4, b->len - ETH_HLEN - 40);
	if (!(s->proto == IPPROTO_UDP && s->udp_nocsum)) {
		/* A UDP checksum field of 0 is left alone by the fixer. */
		if (s->proto == IPPROTO_UDP)
			fz_put16(l4 + 6, 1);
		fz_fix_csums6(b);
	}
}

static const unsigned int clients6[] = { 100, 101, 102, 103, 104, 107 };

static void pick_client(struct fz_gen *g, struct spec6 *s)
{
	fz_ip6(s->saddr, clients6[fz_rnd(&g->r, 6)]);
	fz_mac_of6(s->saddr, s->smac);
}

/* Mostly no extension header; else 1 to 4 hop-by-hop/destination
 * options; now and then one xlb does not walk. */
static void chain(struct fz_gen *g, struct spec6 *s, char *d, size_t n)
{
	static const __u8 odd[] = { 43, 44, 51, 50, 59 };
	unsigned int r = fz_rnd(&g->r, 100), k, i;

	s->next = 0;
	if (r < 75)
		return;
	k = r < 93 ? 1 + fz_rnd(&g->r, 4) : 5 + fz_rnd(&g->r, 2);
	for (i = 0; i < k && i < EXT_MAX; i++) {
		s->ext[i] = i == 0 && fz_pct(&g->r, 50) ? 0 : 60;
		s->extlen[i] = fz_pct(&g->r, 70) ? 0 : fz_rnd(&g->r, 4);
	}
	s->next = i;
	if (fz_pct(&g->r, 25)) {
		i = fz_rnd(&g->r, s->next);
		s->ext[i] = odd[fz_rnd(&g->r, sizeof(odd))];
		s->extlen[i] = fz_rnd(&g->r, 3);
		if (s->ext[i] == 50 || s->ext[i] == 59) {
			s->next = i;		/* no upper layer then */
			s->proto = s->ext[i];
		}
	}
	fz6_dadd(d, n, " ext[");
	for (i = 0; i < (unsigned int)s->next; i++)
		fz6_dadd(d, n, "%s%u", i ? "," : "", s->ext[i]);
	fz6_dadd(d, n, "]");
}

static unsigned int pick_plen6(struct fz_gen *g)
{
	unsigned int r = fz_rnd(&g->r, 100);

	if (r < 40)
		return 0;
	if (r < 85)
		return 1 + fz_rnd(&g->r, 64);
	if (r < 97)
		return 65 + fz_rnd(&g->r, 400);
	return 1000 + fz_rnd(&g->r, 380);
}

void fz_gen_new6(struct fz_gen *g, struct fz_buf *b, char *d, size_t n)
{
	static const struct { __u16 port; __u8 proto; unsigned int w; } t[] = {
		{ 80, IPPROTO_TCP, 38 }, { 443, IPPROTO_TCP, 10 },
		{ 53, IPPROTO_UDP, 25 }, { 81, IPPROTO_TCP, 8 },
		{ 82, IPPROTO_TCP, 7 }, { 54, IPPROTO_UDP, 6 },
		{ 8080, IPPROTO_TCP, 6 },
	};
	unsigned int r = fz_rnd(&g->r, 100), i;
	struct spec6 s = {};

	for (i = 0; i < sizeof(t) / sizeof(t[0]) - 1 && r >= t[i].w; i++)
		r -= t[i].w;
	s.proto = t[i].proto;
	s.dport = t[i].port;
	pick_client(g, &s);
	fz_ip6(s.daddr, fz_pct(&g->r, 95) ? FZ_VIP6 : 2 + fz_rnd(&g->r, 8));
	memcpy(s.dmac, g->lb_mac, 6);
	s.sport = fz_pct(&g->r, 60) ? 40000 + fz_rnd(&g->r, 400) :
				      1 + fz_rnd(&g->r, 65535);
	s.flags = fz_pct(&g->r, 92) ? 0x02 : fz_rnd(&g->r, 256);
	s.seq = (__u32)fz_rnd64(&g->r);
	s.tcpopt = s.proto == IPPROTO_TCP && fz_pct(&g->r, 40) ?
		   4 * (1 + fz_rnd(&g->r, 10)) : 0;
	s.udp_nocsum = s.proto == IPPROTO_UDP && fz_pct(&g->r, 5);
	s.plen = s.proto == IPPROTO_UDP ? pick_plen6(g) :
		 fz_pct(&g->r, 5) ? pick_plen6(g) : 0;
	fz6_dadd(d, n, "new6 %s fd00::%x:%u>[fd00::%x]:%u",
	     s.proto == IPPROTO_TCP ? "syn" : "udp", fz_n6(s.saddr), s.sport,
	     fz_n6(s.daddr), s.dport);
	chain(g, &s, d, n);
	build6(g, &s, b);
	fz6_dadd(d, n, " len %u", b->len);
	g->kinds[FK_NEW6]++;
}

/* Flow m's packet as each side sends it. */
static void flow_spec6(const struct fz_gen *g, const struct fz_mflow *m,
		       int from_client, struct spec6 *s)
{
	memset(s, 0, sizeof(*s));
	s->proto = m->proto;
	memcpy(s->dmac, g->lb_mac, 6);
	if (from_client) {
		memcpy(s->saddr, m->cip6, 16);
		fz_ip6(s->daddr, FZ_VIP6);
		s->sport = m->cport;
		s->dport = m->vport;
		s->seq = m->cseq;
		s->ack = m->sseq;
	} else {
		memcpy(s->saddr, m->bip6, 16);
		memcpy(s->daddr, m->lip6, 16);
		s->sport = m->bport;
		s->dport = m->nport;
		s->seq = m->sseq;
		s->ack = m->cseq;
	}
	fz_mac_of6(s->saddr, s->smac);
}

void fz_gen_flow6(struct fz_gen *g, const struct fz_mflow *m,
		  int from_client, __u8 flags, unsigned int plen,
		  struct fz_buf *b, char *d, size_t n)
{
	struct spec6 s;

	flow_spec6(g, m, from_client, &s);
	s.flags = flags;
	s.plen = plen;
	s.tcpopt = s.proto == IPPROTO_TCP && fz_pct(&g->r, 20) ?
		   4 * (1 + fz_rnd(&g->r, 10)) : 0;
	s.udp_nocsum = s.proto == IPPROTO_UDP && fz_pct(&g->r, 5);
	fz6_dadd(d, n, "flow6 %s %s fd00::%x:%u>fd00::%x:%u flags %02x",
	     from_client ? "client" : "backend",
	     s.proto == IPPROTO_TCP ? "tcp" : "udp", fz_n6(s.saddr), s.sport,
	     fz_n6(s.daddr), s.dport, flags);
	if (fz_pct(&g->r, 30))
		chain(g, &s, d, n);
	build6(g, &s, b);
	fz6_dadd(d, n, " len %u", b->len);
	g->kinds[FK_FLOW]++;
}

/* A packet of an IPv6 flow of the model, or NULL. */
static const struct fz_mflow *pick_v6(struct fz_gen *g)
{
	int i, k;

	for (k = 0; k < 8 && g->nm; k++) {
		i = fz_pct(&g->r, 70) ?
		    g->nm - 1 - (int)fz_rnd(&g->r, g->nm < 64 ? g->nm : 64) :
		    (int)fz_rnd(&g->r, g->nm);
		if (g->m[i].v6)
			return &g->m[i];
	}
	return NULL;
}

static void gen_echo6(struct fz_gen *g, struct fz_buf *b, char *d, size_t n)
{
	static const __u8 bad[][16] = {
		{ 0xff, 0x02, [15] = 1 }, { 0 }, { [15] = 1 },
		{ 0xfe, 0x80, [15] = 0x64 },	/* link-local: unicast */
	};
	static unsigned char data[128];
	struct spec6 s = {};
	unsigned int k;

	if (fz_pct(&g->r, 88)) {
		pick_client(g, &s);
	} else {
		k = fz_rnd(&g->r, 4);
		memcpy(s.saddr, bad[k], 16);
		fz_mac_of6(s.saddr, s.smac);
	}
	fz_ip6(s.daddr, fz_pct(&g->r, 80) ? FZ_VIP6 : fz_rnd(&g->r, 256));
	memcpy(s.dmac, g->lb_mac, 6);
	s.proto = 58;
	s.itype = 128;
	s.icode = fz_pct(&g->r, 95) ? 0 : fz_rnd(&g->r, 256);
	s.irest = (__u32)fz_rnd64(&g->r);
	s.dlen = fz_rnd(&g->r, 64);
	fz6_fill(g, data, s.dlen);
	s.data = data;
	fz6_dadd(d, n, "icmp6 echo %02x%02x..%x > fd00::%x", s.saddr[0],
	     s.saddr[1], s.saddr[15], fz_n6(s.daddr));
	if (fz_pct(&g->r, 10)) {
		s.ext[0] = fz_pct(&g->r, 50) ? 0 : 60;
		s.next = 1;
		fz6_dadd(d, n, " ext[%u]", s.ext[0]);
	}
	build6(g, &s, b);
	fz6_dadd(d, n, " len %u", b->len);
}

/* An error about a packet the balancer sent for an IPv6 flow, from
 * either side (the peer or a router on the way), or about none. */
static void gen_err6(struct fz_gen *g, struct fz_buf *b, char *d, size_t n)
{
	static struct fz_buf inner;
	static unsigned char quote[FZ_MAX];
	const struct fz_mflow *m = fz_pct(&g->r, 85) ? pick_v6(g) : NULL;
	int to_backend = fz_pct(&g->r, 50);
	struct spec6 q = {}, s = {};
	unsigned int ilen, qlen;

	q.proto = m ? m->proto : fz_pct(&g->r, 50) ? IPPROTO_TCP : IPPROTO_UDP;
	if (m && to_backend) {
		memcpy(q.saddr, m->lip6, 16);
		memcpy(q.daddr, m->bip6, 16);
		q.sport = m->nport;
		q.dport = m->bport;
	} else if (m) {
		fz_ip6(q.saddr, FZ_VIP6);
		memcpy(q.daddr, m->cip6, 16);
		q.sport = m->vport;
		q.dport = m->cport;
	} else {
		fz_ip6(q.saddr, FZ_VIP6);
		fz_ip6(q.daddr, 11 + fz_rnd(&g->r, 100));
		q.sport = fz_rnd(&g->r, 65536);
		q.dport = fz_rnd(&g->r, 65536);
	}
	q.flags = 0x18;
	q.seq = (__u32)fz_rnd64(&g->r);
	q.plen = fz_rnd(&g->r, 64);
	q.udp_nocsum = q.proto == IPPROTO_UDP && fz_pct(&g->r, 10);
	if (fz_pct(&g->r, 5)) {
		q.ext[0] = 60;		/* a quote xlb does not match */
		q.next = 1;
	}
	build6(g, &q, &inner);
	ilen = inner.len - ETH_HLEN;
	qlen = 48 + (fz_pct(&g->r, 50) ? 0 : fz_rnd(&g->r, 80));
	if (fz_pct(&g->r, 4))
		qlen = fz_rnd(&g->r, 48);	/* too short */
	if (qlen > ilen)
		qlen = ilen;
	memcpy(quote, inner.d + ETH_HLEN, qlen);
	s.proto = 58;
	s.itype = fz_pct(&g->r, 92) ? 1 + fz_rnd(&g->r, 4) : fz_rnd(&g->r, 256);
	s.icode = fz_rnd(&g->r, s.itype == 1 ? 8 : 3);
	s.irest = s.itype == 2 ? 1280 + fz_rnd(&g->r, 300) :
		  s.itype == 4 ? fz_rnd(&g->r, 60) : 0;
	s.data = quote;
	s.dlen = qlen;
	/* From the peer the packet went to, or a router before it. */
	if (fz_pct(&g->r, 60))
		memcpy(s.saddr, q.daddr, 16);
	else
		fz_ip6(s.saddr, 30 + fz_rnd(&g->r, 5));
	memcpy(s.daddr, q.saddr, 16);
	if (fz_pct(&g->r, 3))
		fz_ip6(s.daddr, 2);		/* not the quote's source */
	fz_mac_of6(s.saddr, s.smac);
	memcpy(s.dmac, g->lb_mac, 6);
	build6(g, &s, b);
	fz6_dadd(d, n, "icmp6 error %u/%u %s %s :%u>:%u quote %u len %u", s.itype,
	     s.icode, m ? (to_backend ? "about to-backend" : "about to-client") :
	     "about no flow", q.proto == IPPROTO_TCP ? "tcp" : "udp", q.sport,
	     q.dport, qlen, b->len);
}

void fz_gen_icmp6(struct fz_gen *g, struct fz_buf *b, char *d, size_t n)
{
	unsigned int r = fz_rnd(&g->r, 100);
	struct spec6 s = {};
	static unsigned char body[64];

	g->kinds[FK_ICMP6]++;
	if (r < 35) {
		gen_echo6(g, b, d, n);
		return;
	}
	if (r < 85) {
		gen_err6(g, b, d, n);
		return;
	}
	/* Neighbour discovery (133-137) and others: the kernel's. */
	pick_client(g, &s);
	fz_ip6(s.daddr, FZ_VIP6);
	if (fz_pct(&g->r, 40)) {
		memset(s.daddr, 0, 16);		/* ff02::1:ff00:1 */
		s.daddr[0] = 0xff;
		s.daddr[1] = 0x02;
		s.daddr[11] = 1;
		s.daddr[12] = 0xff;
		s.daddr[15] = 1;
	}
	memcpy(s.dmac, g->lb_mac, 6);
	s.proto = 58;
	s.itype = r < 97 ? 133 + fz_rnd(&g->r, 5) : fz_rnd(&g->r, 256);
	s.dlen = 16 + 8 * fz_rnd(&g->r, 4);
	fz6_fill(g, body, s.dlen);
	s.data = body;
	build6(g, &s, b);
	fz6_dadd(d, n, "icmp6 type %u len %u", s.itype, b->len);
}

/* ---- Fragments ------------------------------------------------------ */

int fz_gen_frag6(struct fz_gen *g, struct fz_buf parts[3], char *d, size_t n)
{
	static struct fz_buf full;
	const struct fz_mflow *m = fz_pct(&g->r, 70) ? pick_v6(g) : NULL;
	unsigned int hl, l4len, cut[4], k = 2, i, ru;
	unsigned char *fh;
	struct spec6 s;
	__u32 id = (__u32)fz_rnd64(&g->r);

	if (m) {
		int from_client = fz_pct(&g->r, 50);

		flow_spec6(g, m, from_client, &s);
		s.flags = fz_pct(&g->r, 80) ? 0x18 : fz_rnd(&g->r, 256);
		fz6_dadd(d, n, "frag6 %s", from_client ? "client" : "backend");
	} else {
		memset(&s, 0, sizeof(s));
		s.proto = fz_pct(&g->r, 70) ? IPPROTO_UDP : IPPROTO_TCP;
		pick_client(g, &s);
		fz_ip6(s.daddr, FZ_VIP6);
		memcpy(s.dmac, g->lb_mac, 6);
		s.sport = 40000 + fz_rnd(&g->r, 400);
		s.dport = s.proto == IPPROTO_UDP ? 53 : 80;
		s.flags = 0x02;
		fz6_dadd(d, n, "frag6 new");
	}
	if (fz_pct(&g->r, 15)) {
		s.ext[s.next] = 0;		/* hop-by-hop first */
		s.extlen[s.next++] = 0;
	}
	s.ext[s.next] = 44;
	s.extlen[s.next++] = 0;
	s.plen = 16 + fz_rnd(&g->r, 1300);
	build6(g, &s, &full);
	/* The Fragment header, whole-datagram checksum first. */
	hl = ETH_HLEN + 40 + 8 * s.next;
	fh = full.d + hl - 8;
	fz_put16(fh + 2, 0);
	fz_put32(fh + 4, id);
	if (s.proto == IPPROTO_UDP && !fz_get16(full.d + hl + 6))
		fz_put16(full.d + hl + 6, 1);
	fz_fix_csums6(&full);
	l4len = full.len - hl;
	ru = s.proto == IPPROTO_TCP ? 24 : 8;
	cut[0] = 0;
	cut[1] = ru + 8 * fz_rnd(&g->r, (l4len - 1 - ru) / 8 + 1);
	cut[2] = cut[3] = l4len;
	if (l4len - cut[1] > 16 && fz_pct(&g->r, 30)) {
		cut[2] = cut[1] + 8 * (1 + fz_rnd(&g->r, (l4len - cut[1] - 9) / 8));
		if (cut[2] < l4len)
			k = 3;
		else
			cut[2] = l4len;
	}
	if (k == 2)
		cut[2] = l4len;
	for (i = 0; i < k; i++) {
		struct fz_buf *p = &parts[i];
		unsigned int to = i + 1 < k ? cut[i + 1] : l4len;

		memcpy(p->d, full.d, hl);
		memcpy(p->d + hl, full.d + hl + cut[i], to - cut[i]);
		p->len = hl + to - cut[i];
		fz_put16(p->d + ETH_HLEN + 4, p->len - ETH_HLEN - 40);
		fz_put16(p->d + hl - 6, cut[i] | (i + 1 < k));
	}
	fz6_dadd(d, n, " %s fd00::%x:%u>fd00::%x:%u id %08x in %u (cuts %u,%u)",
	     s.proto == IPPROTO_TCP ? "tcp" : "udp", fz_n6(s.saddr), s.sport,
	     fz_n6(s.daddr), s.dport, id, k, cut[1], cut[2]);
	g->kinds[FK_FRAG]++;
	return k;
}
