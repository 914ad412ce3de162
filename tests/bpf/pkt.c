// SPDX-License-Identifier: GPL-2.0
/* Building and checking test packets. Checksums are always computed from
 * scratch here, never incrementally, so that they check the data path's
 * incremental updates independently. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include <linux/in.h>
#include "pkt.h"

__u32 pkt_sum(const void *p, size_t n, __u32 sum)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (c[i] << 8) | c[i + 1];
	if (n & 1)
		sum += c[n - 1] << 8;
	return sum;
}

__u16 pkt_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

__u32 pkt_pseudo_sum(__u32 saddr, __u32 daddr, __u8 proto, __u16 l4len)
{
	return (saddr >> 16) + (saddr & 0xffff) + (daddr >> 16) +
	       (daddr & 0xffff) + proto + l4len;
}

void pkt_put_tcp(unsigned char *l4, __u16 sport, __u16 dport, __u32 seq,
		 __u32 ack_seq, __u8 flags, unsigned int hdrlen, __u16 mss)
{
	unsigned int i;

	pkt_put16(l4, sport);
	pkt_put16(l4 + 2, dport);
	pkt_put32(l4 + 4, seq);
	pkt_put32(l4 + 8, ack_seq);
	l4[12] = (hdrlen / 4) << 4;
	l4[13] = flags;
	pkt_put16(l4 + 14, 64240);
	pkt_put32(l4 + 16, 0);		/* checksum, urgent pointer */
	for (i = 20; i < hdrlen; i++)
		l4[i] = 1;		/* NOP */
	if (mss) {
		l4[20] = 2;
		l4[21] = 4;
		pkt_put16(l4 + 22, mss);
	}
}

void pkt_put_udp(unsigned char *l4, __u16 sport, __u16 dport, __u16 len)
{
	pkt_put16(l4, sport);
	pkt_put16(l4 + 2, dport);
	pkt_put16(l4 + 4, len);
	pkt_put16(l4 + 6, 0);
}

void pkt_offsets(const struct pkt_buf *b, struct pkt_off *o)
{
	unsigned int ihl, tot;

	o->l3 = ETH_HLEN;
	if (b->len >= ETH_HLEN && pkt_get16(b->d + 12) == ETH_P_8021Q)
		o->l3 += 4;
	o->l4 = o->l4len = 0;
	if (b->len < o->l3 + sizeof(struct iphdr))
		return;
	ihl = (b->d[o->l3] & 0x0f) * 4;
	tot = pkt_get16(b->d + o->l3 + 2);
	o->l4 = o->l3 + ihl;
	o->l4len = tot > ihl ? tot - ihl : 0;
}

void pkt_fix_ip_csum(struct pkt_buf *b)
{
	struct pkt_off o;
	unsigned char *ip;
	unsigned int ihl;

	pkt_offsets(b, &o);
	ip = b->d + o.l3;
	ihl = (ip[0] & 0x0f) * 4;
	if (ihl < sizeof(struct iphdr))
		ihl = sizeof(struct iphdr);
	pkt_put16(ip + 10, 0);
	pkt_put16(ip + 10, (__u16)~pkt_fold(pkt_sum(ip, ihl, 0)));
}

void pkt_fix_l4_csum(struct pkt_buf *b)
{
	struct pkt_off o;
	unsigned char *ip, *l4;
	__u32 sum;
	__u16 c;
	__u8 proto;

	pkt_offsets(b, &o);
	ip = b->d + o.l3;
	l4 = b->d + o.l4;
	proto = ip[9];
	if (o.l4 + o.l4len > b->len)
		return;
	if (proto == IPPROTO_ICMP) {
		pkt_put16(l4 + 2, 0);
		pkt_put16(l4 + 2, (__u16)~pkt_fold(pkt_sum(l4, o.l4len, 0)));
		return;
	}
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return;
	unsigned char *check = l4 + (proto == IPPROTO_TCP ? 16 : 6);

	pkt_put16(check, 0);
	sum = pkt_pseudo_sum(pkt_get32(ip + 12), pkt_get32(ip + 16), proto,
			     o.l4len);
	c = ~pkt_fold(pkt_sum(l4, o.l4len, sum));
	if (proto == IPPROTO_UDP && c == 0)
		c = 0xffff;	/* RFC 768: 0 means "no checksum" */
	pkt_put16(check, c);
}

void pkt_build(const struct pkt_desc *d, struct pkt_buf *b)
{
	unsigned int l3, ihl, l4hdr, i;
	unsigned char *ip, *l4;

	memset(b, 0, sizeof(*b));
	memcpy(b->d, d->dmac, 6);
	memcpy(b->d + 6, d->smac, 6);
	l3 = ETH_HLEN;
	if (d->vlan_tci) {
		pkt_put16(b->d + 12, ETH_P_8021Q);
		pkt_put16(b->d + 14, d->vlan_tci);
		pkt_put16(b->d + 16, ETH_P_IP);
		l3 += 4;
	} else {
		pkt_put16(b->d + 12, ETH_P_IP);
	}
	ip = b->d + l3;
	ihl = sizeof(struct iphdr) + d->ip_opt_words * 4;
	if (d->proto == IPPROTO_TCP)
		l4hdr = sizeof(struct tcphdr) + (d->tcp_mss ? 4 : 0) +
			d->tcp_opt_words * 4;
	else if (d->proto == IPPROTO_UDP)
		l4hdr = sizeof(struct udphdr);
	else
		l4hdr = sizeof(struct icmphdr);
	ip[0] = 0x40 | (ihl / 4);
	ip[1] = 0;
	pkt_put16(ip + 2, ihl + l4hdr + d->plen);
	pkt_put16(ip + 4, 0x1234);
	pkt_put16(ip + 6, d->frag_off);
	ip[8] = d->ttl ? d->ttl : 64;
	ip[9] = d->proto;
	pkt_put32(ip + 12, d->saddr);
	pkt_put32(ip + 16, d->daddr);
	for (i = sizeof(struct iphdr); i < ihl; i++)
		ip[i] = 1;	/* NOP */
	l4 = ip + ihl;
	if (d->proto == IPPROTO_TCP) {
		pkt_put_tcp(l4, d->sport, d->dport, d->seq, d->ack_seq,
			    d->tcp_flags, l4hdr, d->tcp_mss ? 1460 : 0);
	} else if (d->proto == IPPROTO_UDP) {
		pkt_put_udp(l4, d->sport, d->dport, l4hdr + d->plen);
	} else {
		l4[0] = ICMP_ECHO;
		pkt_put16(l4 + 4, 0x4242);
		pkt_put16(l4 + 6, 1);
	}
	memcpy(l4 + l4hdr, d->payload, d->plen);
	b->len = l3 + ihl + l4hdr + d->plen;
	pkt_fix_ip_csum(b);
	if (!(d->proto == IPPROTO_UDP && d->udp_nocsum))
		pkt_fix_l4_csum(b);
}

/* The Ethernet header of a RST reply (either family): back to in's
 * sender, untagged; out is zeroed first. Returns where its L3 header
 * goes. */
static unsigned char *rst_eth(const struct pkt_buf *in, struct pkt_buf *out,
			      __u16 proto)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->d, in->d + 6, 6);		/* to the sender's MAC */
	memcpy(out->d + 6, in->d, 6);		/* from the one it used */
	pkt_put16(out->d + 12, proto);
	return out->d + ETH_HLEN;
}

/* The TCP header of a RST reply (RFC 793, "Reset Generation") to the
 * segment itcp, seglen bytes of TCP header and data: ports swapped; if it
 * has ACK, RST with seq = its ack_seq, else RST|ACK, seq 0, ack = its seq
 * + data (+1 for SYN, +1 for FIN). The checksum is the caller's. */
static void rst_tcp(unsigned char *tcp, const unsigned char *itcp,
		    unsigned int seglen)
{
	unsigned char flags = itcp[13];
	unsigned int n;

	memcpy(tcp, itcp + 2, 2);		/* ports swapped */
	memcpy(tcp + 2, itcp, 2);
	if (flags & 0x10) {			/* ACK: seq = its ack */
		memcpy(tcp + 4, itcp + 8, 4);
		tcp[13] = 0x04;			/* RST */
	} else {
		n = seglen - (itcp[12] >> 4) * 4;
		n += !!(flags & 0x02) + !!(flags & 0x01);
		pkt_put32(tcp + 8, pkt_get32(itcp + 4) + n);
		tcp[13] = 0x14;			/* RST|ACK, seq 0 */
	}
	tcp[12] = 5 << 4;
}

void pkt_build_rst_reply(const struct pkt_buf *in, struct pkt_buf *out)
{
	unsigned char *ip = rst_eth(in, out, ETH_P_IP);
	const unsigned char *iip;
	struct pkt_off o;

	pkt_offsets(in, &o);
	iip = in->d + o.l3;
	ip[0] = 0x45;
	pkt_put16(ip + 2, sizeof(struct iphdr) + sizeof(struct tcphdr));
	pkt_put16(ip + 6, 0x4000);			/* DF */
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, iip + 16, 4);		/* from its destination */
	memcpy(ip + 16, iip + 12, 4);		/* to its source */
	rst_tcp(ip + sizeof(struct iphdr), in->d + o.l4,
		pkt_get16(iip + 2) - (iip[0] & 0x0f) * 4);
	out->len = ETH_HLEN + sizeof(struct iphdr) + sizeof(struct tcphdr);
	pkt_fix_ip_csum(out);
	pkt_fix_l4_csum(out);
}

void pkt_build_arp(struct pkt_buf *b, const unsigned char *smac, __u32 sip,
		   __u32 tip)
{
	unsigned char *a;

	memset(b, 0, sizeof(*b));
	memset(b->d, 0xff, 6);
	memcpy(b->d + 6, smac, 6);
	pkt_put16(b->d + 12, ETH_P_ARP);
	a = b->d + ETH_HLEN;
	pkt_put16(a, 1);			/* Ethernet */
	pkt_put16(a + 2, ETH_P_IP);
	a[4] = 6;
	a[5] = 4;
	pkt_put16(a + 6, 1);		/* request */
	memcpy(a + 8, smac, 6);
	a[14] = sip >> 24; a[15] = sip >> 16; a[16] = sip >> 8; a[17] = sip;
	a[24] = tip >> 24; a[25] = tip >> 16; a[26] = tip >> 8; a[27] = tip;
	b->len = 60;			/* padded to the Ethernet minimum */
}

void pkt_build_ipv6_syn(struct pkt_buf *b, const unsigned char *smac,
			const unsigned char *dmac)
{
	unsigned char *ip6, *tcp;
	__u32 sum = 0;
	int i;

	memset(b, 0, sizeof(*b));
	memcpy(b->d, dmac, 6);
	memcpy(b->d + 6, smac, 6);
	pkt_put16(b->d + 12, ETH_P_IPV6);
	ip6 = b->d + ETH_HLEN;
	ip6[0] = 0x60;
	pkt_put16(ip6 + 4, sizeof(struct tcphdr));
	ip6[6] = IPPROTO_TCP;
	ip6[7] = 64;
	ip6[8] = 0xfd; ip6[23] = 0x64;		/* fd00::64 */
	ip6[24] = 0xfd; ip6[39] = 0x01;		/* fd00::1 */
	tcp = ip6 + sizeof(struct ipv6hdr);
	pkt_put_tcp(tcp, 40000, 80, 0, 0, 0x02, sizeof(struct tcphdr), 0);
	for (i = 8; i < 40; i += 2)
		sum += pkt_get16(ip6 + i);
	sum += IPPROTO_TCP + sizeof(struct tcphdr);
	pkt_put16(tcp + 16,
		  (__u16)~pkt_fold(pkt_sum(tcp, sizeof(struct tcphdr), sum)));
	b->len = ETH_HLEN + sizeof(struct ipv6hdr) + sizeof(struct tcphdr);
}

int pkt_verify(const struct pkt_buf *b, char *why, size_t n)
{
	struct pkt_off o;
	const unsigned char *ip, *l4;
	unsigned int ihl;
	__u32 sum;
	__u8 proto;

	pkt_offsets(b, &o);
	ip = b->d + o.l3;
	if (b->len < o.l3 + sizeof(struct iphdr)) {
		snprintf(why, n, "too short for IPv4 (%u bytes)", b->len);
		return -1;
	}
	ihl = (ip[0] & 0x0f) * 4;
	if (pkt_fold(pkt_sum(ip, ihl, 0)) != 0xffff) {
		snprintf(why, n, "IPv4 header checksum 0x%04x is wrong",
			 pkt_get16(ip + 10));
		return -1;
	}
	if (o.l4 + o.l4len > b->len) {
		snprintf(why, n, "IP tot_len beyond the frame");
		return -1;
	}
	proto = ip[9];
	l4 = b->d + o.l4;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return 0;
	if (proto == IPPROTO_UDP && pkt_get16(l4 + 6) == 0)
		return 0;
	sum = pkt_pseudo_sum(pkt_get32(ip + 12), pkt_get32(ip + 16), proto,
			     o.l4len);
	if (pkt_fold(pkt_sum(l4, o.l4len, sum)) != 0xffff) {
		snprintf(why, n, "%s checksum 0x%04x is wrong",
			 proto == IPPROTO_TCP ? "TCP" : "UDP",
			 pkt_get16(l4 + (proto == IPPROTO_TCP ? 16 : 6)));
		return -1;
	}
	return 0;
}

void pkt_print_diff(const char *indent, const struct pkt_buf *got,
		    const struct pkt_buf *want)
{
	unsigned int i, n = got->len < want->len ? got->len : want->len;
	int shown = 0;

	if (got->len != want->len)
		printf("%slength %u, want %u\n", indent, got->len, want->len);
	for (i = 0; i < n && shown < 8; i++) {
		if (got->d[i] == want->d[i])
			continue;
		printf("%sbyte %u: 0x%02x, want 0x%02x\n", indent, i,
		       got->d[i], want->d[i]);
		shown++;
	}
}

/* ---- IPv6 ---------------------------------------------------------- */

__u32 pkt6_pseudo_sum(const __u8 *saddr, const __u8 *daddr, __u8 proto,
		      __u32 len)
{
	return pkt_sum(saddr, 16, 0) + pkt_sum(daddr, 16, 0) + (len >> 16) +
	       (len & 0xffff) + proto;
}

int pkt_is_ipv6(const struct pkt_buf *b)
{
	unsigned int l3 = ETH_HLEN;

	if (b->len >= ETH_HLEN + 4 && pkt_get16(b->d + 12) == ETH_P_8021Q)
		l3 += 4;
	return b->len >= l3 && pkt_get16(b->d + l3 - 2) == ETH_P_IPV6;
}

/* An extension header's length in bytes, from its first two bytes. */
static unsigned int ext_len(__u8 type, const unsigned char *h)
{
	if (type == 44)
		return 8;
	if (type == 51)
		return (h[1] + 2) * 4;
	return (h[1] + 1) * 8;
}

static int is_ext(__u8 t)
{
	return t == 0 || t == 43 || t == 44 || t == 60 || t == 51;
}

int pkt6_offsets(const struct pkt_buf *b, struct pkt6_off *o)
{
	unsigned int at, end;
	const unsigned char *h;
	__u8 t, cur;

	memset(o, 0, sizeof(*o));
	o->l3 = ETH_HLEN;
	if (b->len >= ETH_HLEN && pkt_get16(b->d + 12) == ETH_P_8021Q)
		o->l3 += 4;
	if (!pkt_is_ipv6(b) || b->len < o->l3 + sizeof(struct ipv6hdr))
		return -1;
	o->plen = pkt_get16(b->d + o->l3 + 4);
	end = o->l3 + sizeof(struct ipv6hdr) + o->plen;
	at = o->l3 + sizeof(struct ipv6hdr);
	t = b->d + o->l3 + 6 < b->d + b->len ? b->d[o->l3 + 6] : 0;
	while (is_ext(t)) {
		h = b->d + at;
		if (at + 8 > b->len)
			return -1;
		cur = t;
		at += ext_len(t, h);
		t = h[0];
		o->n_ext++;
		if (cur != 44)
			continue;
		if (pkt_get16(h + 2) & 0xfff8) {
			o->frag = 2;	/* no upper-layer header here */
			break;
		}
		if (pkt_get16(h + 2) & 1)
			o->frag = 1;	/* else atomic: a whole datagram */
	}
	o->proto = t;
	o->l4 = at;
	o->l4len = end > at ? end - at : 0;
	return at > b->len ? -1 : 0;
}

/* The checksum field of the upper-layer header at l4, or NULL. */
static unsigned char *l4_check6(unsigned char *l4, __u8 proto)
{
	if (proto == IPPROTO_TCP)
		return l4 + 16;
	if (proto == IPPROTO_UDP || proto == IPPROTO_ICMPV6)
		return l4 + (proto == IPPROTO_UDP ? 6 : 2);
	return NULL;
}

static __u16 l4_csum6(const struct pkt_buf *b, const struct pkt6_off *o,
		      unsigned int len)
{
	const unsigned char *ip = b->d + o->l3;

	return pkt_fold(pkt_sum(b->d + o->l4, len,
				pkt6_pseudo_sum(ip + 8, ip + 24, o->proto,
						len)));
}

__u16 pkt_l4_sum(const struct pkt_buf *b)
{
	const unsigned char *ip;
	struct pkt6_off o6;
	struct pkt_off o;

	if (pkt_is_ipv6(b)) {
		pkt6_offsets(b, &o6);
		return l4_csum6(b, &o6, o6.l4len);
	}
	pkt_offsets(b, &o);
	ip = b->d + o.l3;
	return pkt_fold(pkt_sum(b->d + o.l4, o.l4len,
				pkt_pseudo_sum(pkt_get32(ip + 12),
					       pkt_get32(ip + 16), ip[9],
					       o.l4len)));
}

void pkt6_fix_l4_csum(struct pkt_buf *b)
{
	struct pkt6_off o;
	unsigned char *ck;
	unsigned int len;
	__u16 c;

	if (pkt6_offsets(b, &o) || o.frag == 2)
		return;
	ck = l4_check6(b->d + o.l4, o.proto);
	len = o.proto == IPPROTO_UDP && o.l4 + 6 <= b->len ?
	      pkt_get16(b->d + o.l4 + 4) : o.l4len;
	if (!ck || o.l4 + len > b->len || ck + 2 > b->d + o.l4 + len)
		return;
	pkt_put16(ck, 0);
	c = ~l4_csum6(b, &o, len);
	if (o.proto == IPPROTO_UDP && c == 0)
		c = 0xffff;	/* 0 would mean "none" */
	pkt_put16(ck, c);
}

void pkt6_build(const struct pkt6_desc *d, struct pkt_buf *b)
{
	unsigned int l3, at, l4hdr, i, n;
	unsigned char *ip, *nh, *h, *l4;
	const struct pkt6_ext *e;

	memset(b, 0, sizeof(*b));
	memcpy(b->d, d->dmac, 6);
	memcpy(b->d + 6, d->smac, 6);
	l3 = ETH_HLEN;
	if (d->vlan_tci) {
		pkt_put16(b->d + 12, ETH_P_8021Q);
		pkt_put16(b->d + 14, d->vlan_tci);
		l3 += 4;
	}
	pkt_put16(b->d + l3 - 2, ETH_P_IPV6);
	ip = b->d + l3;
	pkt_put32(ip, 0x60000000 | (d->flow & 0x0fffffff));
	ip[7] = d->hop ? d->hop : 64;
	memcpy(ip + 8, d->saddr, 16);
	memcpy(ip + 24, d->daddr, 16);
	nh = ip + 6;
	at = l3 + sizeof(struct ipv6hdr);
	for (i = 0; i < (unsigned int)d->n_ext && i < PKT6_MAX_EXT; i++) {
		e = &d->ext[i];
		h = b->d + at;
		*nh = e->type;
		h[1] = e->type == 44 ? 0 : e->hdrlen;
		n = ext_len(e->type, h);
		if (e->type == 44) {
			pkt_put16(h + 2, e->frag_off);
			pkt_put32(h + 4, e->frag_id);
		} else if (e->type == 0 || e->type == 60) {
			h[2] = 1;		/* PadN over the rest */
			h[3] = n - 4;
		} else if (e->type == 43) {
			h[2] = 0;		/* routing type 0 */
			h[3] = 1;		/* segments left */
		}
		nh = h;
		at += n;
	}
	*nh = d->proto;
	l4 = b->d + at;
	if (d->proto == IPPROTO_TCP)
		l4hdr = sizeof(struct tcphdr) + (d->tcp_mss ? 4 : 0);
	else if (d->proto == IPPROTO_UDP || d->proto == IPPROTO_ICMPV6)
		l4hdr = 8;
	else
		l4hdr = 0;
	if (d->proto == IPPROTO_TCP)
		pkt_put_tcp(l4, d->sport, d->dport, d->seq, d->ack_seq,
			    d->tcp_flags, l4hdr, d->tcp_mss ? 1460 : 0);
	else if (d->proto == IPPROTO_UDP)
		pkt_put_udp(l4, d->sport, d->dport, l4hdr + d->plen);
	else if (d->proto == IPPROTO_ICMPV6) {
		l4[0] = d->icmp_type;
		l4[1] = d->icmp_code;
		pkt_put32(l4 + 4, d->icmp_rest);
	}
	memcpy(l4 + l4hdr, d->payload, d->plen);
	b->len = at + l4hdr + d->plen;
	pkt_put16(ip + 4, b->len - l3 - sizeof(struct ipv6hdr));
	if (!(d->proto == IPPROTO_UDP && d->udp_nocsum))
		pkt6_fix_l4_csum(b);
}

int pkt6_verify(const struct pkt_buf *b, char *why, size_t n)
{
	struct pkt6_off o;
	const unsigned char *ck;
	unsigned int len;

	if (pkt6_offsets(b, &o)) {
		snprintf(why, n, "not IPv6, or its header chain runs out of the frame (%u bytes)",
			 b->len);
		return -1;
	}
	if ((b->d[o.l3] >> 4) != 6) {
		snprintf(why, n, "IP version %u", b->d[o.l3] >> 4);
		return -1;
	}
	if (o.l3 + sizeof(struct ipv6hdr) + o.plen > b->len) {
		snprintf(why, n, "payload_len %u beyond the frame", o.plen);
		return -1;
	}
	if (o.l4 > o.l3 + sizeof(struct ipv6hdr) + o.plen) {
		snprintf(why, n, "extension headers beyond payload_len");
		return -1;
	}
	ck = l4_check6((unsigned char *)b->d + o.l4, o.proto);
	if (!ck || o.frag == 2)
		return 0;
	len = o.l4len;
	if (o.proto == IPPROTO_UDP) {
		if (len < 8 || pkt_get16(b->d + o.l4 + 4) > len ||
		    pkt_get16(b->d + o.l4 + 4) < 8) {
			snprintf(why, n, "UDP length %u, datagram %u",
				 len >= 8 ? pkt_get16(b->d + o.l4 + 4) : 0, len);
			return -1;
		}
		if (!pkt_get16(ck))
			return 0;
		len = pkt_get16(b->d + o.l4 + 4);
	}
	if (o.frag == 1)
		return 0;	/* the checksum covers the whole datagram */
	if (ck + 2 > b->d + o.l4 + len) {
		snprintf(why, n, "upper-layer header beyond payload_len");
		return -1;
	}
	if (l4_csum6(b, &o, len) != 0xffff) {
		snprintf(why, n, "%s checksum 0x%04x is wrong",
			 o.proto == IPPROTO_TCP ? "TCP" :
			 o.proto == IPPROTO_UDP ? "UDP" : "ICMPv6", pkt_get16(ck));
		return -1;
	}
	return 0;
}

void pkt6_build_rst_reply(const struct pkt_buf *in, struct pkt_buf *out)
{
	unsigned char *ip = rst_eth(in, out, ETH_P_IPV6);
	const unsigned char *iip;
	struct pkt6_off o;

	pkt6_offsets(in, &o);
	iip = in->d + o.l3;
	ip[0] = 0x60;
	pkt_put16(ip + 4, sizeof(struct tcphdr));
	ip[6] = IPPROTO_TCP;
	ip[7] = 64;
	memcpy(ip + 8, iip + 24, 16);		/* from its destination */
	memcpy(ip + 24, iip + 8, 16);		/* to its source */
	rst_tcp(ip + sizeof(struct ipv6hdr), in->d + o.l4, o.l4len);
	out->len = ETH_HLEN + sizeof(struct ipv6hdr) + sizeof(struct tcphdr);
	pkt6_fix_l4_csum(out);
}
