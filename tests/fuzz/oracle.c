// SPDX-License-Identifier: GPL-2.0
/* The oracle's reading of a frame, written from the RFCs rather than from
 * bpf/parse.h, so that it can disagree with the data path. A frame is
 * well-formed for xlb only if it is untagged Ethernet + IPv4 with a valid
 * IHL and tot_len (IHL*4 <= tot_len, the datagram inside the frame; bytes
 * after it are padding), not a fragment, and carries a whole TCP header
 * (doff >= 5, doff*4 bytes inside the datagram) or UDP header (8 bytes
 * inside the datagram, 8 <= length <= the datagram's payload), as a
 * receiving host checks (RFC 791, 793, 768; Linux's tcp_v4_rcv and
 * __udp4_lib_rcv drop the others). Checksums are not part of it: a NAT
 * forwards a segment with a wrong checksum, and keeps it wrong.
 *
 * Beyond that (bpf/frag.h, bpf/icmp.h): a first fragment (MF, offset 0)
 * with a whole TCP/UDP header in it (a UDP length >= 8, the datagram's),
 * a later fragment (an offset) with a valid IPv4 header, an ICMP echo
 * request without IP options, and an ICMP error (3, 11, 12) quoting an
 * IPv4 header and 8 bytes of TCP/UDP inside its datagram, each untagged,
 * are well-formed for what xlb does with them; fuzz.c says when it may.
 * IPv6 frames are read by oracle6.c (fz_classify6), with the same fields
 * and a few of their own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include "pkt.h"
#include "fuzz.h"

int fz_has_neigh(__u32 ip)
{
	unsigned int o = ip & 0xff;

	switch (ip & 0xffffff00) {
	case FZ_IP(10, 0, 0, 0):
		return (o >= 11 && o <= 40) || (o >= 100 && o <= 103);
	case FZ_IP(10, 0, 2, 0):
		return o >= 11 && o <= 12;
	case FZ_IP(10, 0, 3, 0):
		return o == 11;
	}
	return 0;
}

void fz_mac_of(__u32 ip, unsigned char mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x00;
	mac[2] = 0x0a;
	mac[3] = 0x00;
	mac[4] = (ip >> 8) & 0xff;
	mac[5] = ip & 0xff;
}

static void l4_csum(const struct fz_buf *b, const struct fz_class *c,
		    int *ok)
{
	const unsigned char *l4 = b->d + c->l4;
	unsigned int n;
	__u32 sum;

	*ok = 0;
	if (c->proto == IPPROTO_TCP) {
		n = c->l4len;
	} else if (c->proto == IPPROTO_UDP) {
		if (c->udp_nocsum) {
			*ok = 1;
			return;
		}
		n = c->udp_len;
	} else {
		return;
	}
	if (c->l4 + n > b->len)
		return;
	sum = pkt_pseudo_sum(c->saddr, c->daddr, c->proto, n);
	*ok = pkt_fold(pkt_sum(l4, n, sum)) == 0xffff;
}

static void classify_icmp(const struct fz_buf *b, struct fz_class *c)
{
	const unsigned char *ic = b->d + c->l4, *q;
	unsigned int qlen;

	c->why = "ICMP header beyond tot_len";
	if (c->room < 8)
		return;
	c->icmp_ok = 1;
	c->why = "ICMP (not an echo request or an error quoting TCP/UDP)";
	c->icmp_type = ic[0];
	c->icmp_code = ic[1];
	c->icmp_csum_ok = pkt_fold(pkt_sum(ic, c->l4len, 0)) == 0xffff;
	if (c->vlan || c->frag)
		return;
	if (c->icmp_type == 8) {
		c->echo_ok = c->ihl == 20;
		c->why = c->echo_ok ? "an ICMP echo request" :
			 "an ICMP echo request with IP options";
		return;
	}
	if (c->icmp_type != 3 && c->icmp_type != 11 && c->icmp_type != 12)
		return;
	qlen = c->l4len - 8;
	q = ic + 8;
	if (qlen < 20 || (q[0] >> 4) != 4 || (q[0] & 0x0f) < 5)
		return;
	c->q_l3 = c->l4 + 8;
	c->q_ihl = (q[0] & 0x0f) * 4;
	if (qlen < c->q_ihl + 8)
		return;
	c->q_proto = q[9];
	c->q_saddr = fz_get32(q + 12);
	c->q_daddr = fz_get32(q + 16);
	c->q_sport = fz_get16(q + c->q_ihl);
	c->q_dport = fz_get16(q + c->q_ihl + 2);
	c->q_ip_csum_ok = pkt_fold(pkt_sum(q, c->q_ihl, 0)) == 0xffff;
	c->err_ok = (c->q_proto == IPPROTO_TCP || c->q_proto == IPPROTO_UDP) &&
		    !(fz_get16(q + 6) & 0x1fff) && c->q_saddr == c->daddr;
	if (c->err_ok)
		c->why = "an ICMP error quoting TCP/UDP";
}

int fz_l4_hdr(struct fz_class *c, const unsigned char *l4, int v6)
{
	if (c->proto == IPPROTO_TCP) {
		c->why = v6 ? "TCP header beyond payload_len" :
			      "TCP header beyond tot_len";
		if (c->room < 20)
			return -1;
		c->tcp_flags = l4[13];
		c->doff = (l4[12] >> 4) * 4;
		c->why = "TCP doff < 5";
		if (c->doff < 20)
			return -1;
		c->why = v6 ? "TCP header (doff) beyond payload_len" :
			      "TCP header (doff) beyond tot_len";
		return c->doff > c->room ? -1 : 0;
	}
	c->why = v6 ? "UDP header beyond payload_len" :
		      "UDP header beyond tot_len";
	if (c->room < 8)
		return -1;
	c->udp_len = fz_get16(l4 + 4);
	c->udp_nocsum = fz_get16(l4 + 6) == 0;
	c->why = "UDP length < 8";
	return c->udp_len < 8 ? -1 : 0;
}

void fz_classify(const struct fz_buf *b, struct fz_class *c)
{
	fz_classify_lax(b, c, 0);
}

void fz_classify_lax(const struct fz_buf *b, struct fz_class *c, int lax)
{
	const unsigned char *d = b->d, *ip, *l4;
	__u16 t;

	memset(c, 0, sizeof(*c));
	c->len = b->len;
	c->why = "shorter than Ethernet";
	if (b->len < ETH_HLEN)
		return;
	c->eth = 1;
	c->l3 = ETH_HLEN;
	t = fz_get16(d + 12);
	if (t == ETH_P_8021Q || t == ETH_P_8021AD) {
		c->vlan = 1;
		c->why = "VLAN tag cut off";
		if (b->len < ETH_HLEN + 4)
			return;
		t = fz_get16(d + 16);
		c->l3 += 4;
	}
	c->etype = t;
	if (t == ETH_P_IPV6) {
		fz_classify6(b, c);
		return;
	}
	c->why = "not IPv4";
	if (t != ETH_P_IP)
		return;
	ip = d + c->l3;
	c->why = "IPv4 header cut off";
	if (b->len < c->l3 + 20)
		return;
	c->why = "IPv4 version is not 4";
	if ((ip[0] >> 4) != 4)
		return;
	c->ihl = (ip[0] & 0x0f) * 4;
	c->why = "IHL < 5";
	if (c->ihl < 20)
		return;
	c->why = "IPv4 header (IHL) beyond the frame";
	if (c->l3 + c->ihl > b->len)
		return;
	c->ip_hdr = 1;
	c->tot_len = fz_get16(ip + 2);
	c->ip_id = fz_get16(ip + 4);
	c->proto = ip[9];
	c->saddr = fz_get32(ip + 12);
	c->daddr = fz_get32(ip + 16);
	c->l4 = c->l3 + c->ihl;
	c->ip_csum_ok = pkt_fold(pkt_sum(ip, c->ihl, 0)) == 0xffff;
	c->frag_later = (fz_get16(ip + 6) & 0x1fff) != 0;
	c->frag_first = !c->frag_later && (fz_get16(ip + 6) & 0x2000);
	c->frag = c->frag_first || c->frag_later;
	/* The ports as xlb would key the packet: the first 4 bytes after
	 * the IPv4 header, wherever tot_len ends. */
	if (c->l4 + 4 <= b->len) {
		c->ports = 1;
		c->sport = fz_get16(d + c->l4);
		c->dport = fz_get16(d + c->l4 + 2);
	}
	c->why = "tot_len < IHL*4";
	if (c->tot_len < c->ihl)
		return;
	c->why = "tot_len beyond the frame";
	if (c->l3 + c->tot_len > b->len)
		return;
	c->ip_ok = 1;
	c->l4len = c->tot_len - c->ihl;
	/* Where an L4 header must end: the datagram's end (tot_len); with
	 * FZ_LAX_TOTLEN the frame's, as the data path reads it. */
	c->room = lax & FZ_LAX_TOTLEN ? b->len - c->l4 : c->l4len;
	c->later_ok = c->frag_later && !c->vlan;
	l4 = d + c->l4;
	if (c->proto == IPPROTO_ICMP && !c->frag_later) {
		c->why = "an ICMP fragment";
		if (!c->frag)
			classify_icmp(b, c);
		return;
	}
	if (c->frag_later) {
		c->why = "IPv4 later fragment";
		return;
	}
	if (c->proto != IPPROTO_TCP && c->proto != IPPROTO_UDP) {
		c->why = "not TCP/UDP";
		return;
	}
	if (fz_l4_hdr(c, l4, 0))
		return;
	c->l4_hdr = 1;
	if (c->proto == IPPROTO_UDP) {
		/* A first fragment's UDP length is the whole datagram's. */
		c->first_ok = c->frag_first && !c->vlan;
		c->why = "UDP length beyond the datagram";
		if (c->udp_len > c->l4len && !(lax & FZ_LAX_UDPLEN))
			return;
	}
	c->first_ok = c->frag_first && !c->vlan;
	c->l4_ok = 1;
	if (!c->frag)
		l4_csum(b, c, &c->l4_csum_ok);
	if (c->frag) {
		c->why = "IPv4 first fragment";
		return;
	}
	if (c->vlan) {
		c->why = "VLAN-tagged";
		return;
	}
	c->why = "";
	c->wellformed = 1;
}

void fz_key_of(const struct fz_class *c, struct xlb_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	if (c->v6) {
		memcpy(&k->src, c->saddr6, 16);
		memcpy(&k->dst, c->daddr6, 16);
		k->sport = __builtin_bswap16(c->sport);
		k->dport = __builtin_bswap16(c->dport);
		k->proto = c->proto;
		k->family = XLB_AF_INET6;
		return;
	}
	k->src.a[0] = __builtin_bswap32(c->saddr);
	k->dst.a[0] = __builtin_bswap32(c->daddr);
	k->sport = __builtin_bswap16(c->sport);
	k->dport = __builtin_bswap16(c->dport);
	k->proto = c->proto;
	k->family = XLB_AF_INET;
}

void fz_csums(const struct fz_buf *b, int *ip_ok, int *l4_ok)
{
	struct fz_class o;

	fz_classify(b, &o);
	*ip_ok = o.ip_hdr && o.ip_csum_ok;
	*l4_ok = o.l4_ok && o.l4_csum_ok;
}

void fz_hexdump(const char *indent, const struct fz_buf *b, unsigned int max)
{
	unsigned int i, n = b->len < max ? b->len : max;

	for (i = 0; i < n; i++) {
		if (i % 16 == 0)
			printf("%s%04x:", indent, i);
		printf(" %02x", b->d[i]);
		if (i % 16 == 15 || i + 1 == n)
			printf("\n");
	}
	if (!b->len)
		printf("%s(empty)\n", indent);
	else if (n < b->len)
		printf("%s... %u more bytes (FUZZ_TRACE=1 shows all)\n", indent,
		       b->len - n);
}

/* ---- Datagram records: open addressing, grown as needed. */
struct dg_slot {
	struct fz_dgram d;
	struct xlb_flow_key k;
	int used;
};

static struct dg_slot *dg;
static size_t dg_cap, dg_n;

static size_t dg_hash(const struct fz_dgram *d)
{
	__u64 x = ((__u64)d->src << 32 | d->dst) * 0x9e3779b97f4a7c15ull;
	int i;

	for (i = 0; d->v6 && i < 16; i++)
		x = (x ^ d->src6[i] ^ ((__u64)d->dst6[i] << 8)) *
		    0x9e3779b97f4a7c15ull;
	x ^= ((__u64)d->id << 8 | d->proto) * 0xbf58476d1ce4e5b9ull;
	return (size_t)(x ^ (x >> 29));
}

static int dg_eq(const struct fz_dgram *a, const struct fz_dgram *b)
{
	return a->src == b->src && a->dst == b->dst && a->id == b->id &&
	       a->proto == b->proto && a->v6 == b->v6 &&
	       !memcmp(a->src6, b->src6, 16) && !memcmp(a->dst6, b->dst6, 16);
}

static struct dg_slot *dg_slot_of(const struct fz_dgram *d)
{
	size_t i = dg_hash(d) & (dg_cap - 1);

	while (dg[i].used && !dg_eq(&dg[i].d, d))
		i = (i + 1) & (dg_cap - 1);
	return &dg[i];
}

void fz_frag_put(const struct fz_dgram *d, const struct xlb_flow_key *k)
{
	struct dg_slot *s;

	if (dg_n * 2 >= dg_cap) {
		struct dg_slot *old = dg;
		size_t oc = dg_cap, i;

		dg_cap = dg_cap ? dg_cap * 2 : 4096;
		dg = calloc(dg_cap, sizeof(*dg));
		if (!dg) {
			printf("FAIL fuzz: out of memory\n");
			exit(1);
		}
		for (i = 0; i < oc; i++)
			if (old[i].used)
				*dg_slot_of(&old[i].d) = old[i];
		free(old);
	}
	s = dg_slot_of(d);
	if (!s->used)
		dg_n++;
	s->used = 1;
	s->d = *d;
	s->k = *k;
}

const struct xlb_flow_key *fz_frag_get(const struct fz_dgram *d)
{
	struct dg_slot *s;

	if (!dg_cap)
		return NULL;
	s = dg_slot_of(d);
	return s->used ? &s->k : NULL;
}
