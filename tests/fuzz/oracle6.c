// SPDX-License-Identifier: GPL-2.0
/* The oracle's reading of an IPv6 frame (RFC 8200, 4443, 793, 768) and of
 * what xlb sent for one, written from the RFCs and issue #4's contract
 * rather than from bpf/parse.h:
 * - the fixed header must lie in the frame, with version 6 and a
 *   payload_len of 1 or more that the frame holds (0 is a jumbogram, not
 *   on Ethernet); extension headers after it: hop-by-hop (0) and
 *   destination options (60) are walked, at most 4, each inside the frame
 *   and payload_len; a routing header (43) or a 5th extension header makes
 *   the packet the kernel's (pass_ipv6_ext); a Fragment header (44) too
 *   (pass_fragment); a header cut or past payload_len makes it
 *   pass_malformed, as does an upper-layer header (TCP doff, UDP length,
 *   ICMPv6's 8 bytes) outside payload_len;
 * - well-formed for xlb: untagged, such a chain, then a whole TCP or UDP
 *   header (UDP length <= the datagram);
 * - an ICMPv6 echo request (128) is answerable when untagged, without
 *   extension headers and from a unicast source (not ::, ::1, ff00::/8);
 *   an error (1 to 4) is translatable when untagged and it quotes an IPv6
 *   header and 8 bytes of TCP/UDP right after it, inside the message, sent
 *   to the quote's source. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include "pkt.h"
#include "fuzz.h"

void fz_ip6(__u8 a[16], unsigned int n)
{
	memset(a, 0, 16);
	a[0] = 0xfd;
	a[14] = n >> 8;
	a[15] = n;
}

int fz_n6(const __u8 a[16])
{
	static const __u8 pre[14] = { 0xfd };

	return memcmp(a, pre, 14) ? -1 : (a[14] << 8) | a[15];
}

int fz_has_neigh6(const __u8 a[16])
{
	int n = fz_n6(a);

	return (n >= 11 && n <= 40) || (n >= 100 && n <= 103);
}

void fz_mac_of6(const __u8 a[16], unsigned char mac[6])
{
	fz_mac_of(FZ_IP(10, 0, 0, a[15]), mac);
}

static int is_ext(__u8 t)
{
	return t == 0 || t == 60 || t == 43 || t == 44;
}

/* The quote of an ICMPv6 error: an IPv6 header and 8 bytes of L4. */
static void classify_err6(const struct fz_buf *b, struct fz_class *c)
{
	const unsigned char *q = b->d + c->l4 + 8;
	unsigned int qlen = c->room - 8;

	if (qlen < 48) {
		c->bad6 = 1;
		c->why = "ICMPv6 error quoting less than an IPv6 header and 8 bytes";
		return;
	}
	if ((q[0] >> 4) != 6) {
		c->bad6 = 1;
		c->why = "ICMPv6 error quoting a header of version != 6";
		return;
	}
	c->q_l3 = c->l4 + 8;
	c->q_ihl = 40;
	c->q_proto = q[6];
	memcpy(c->q_saddr6, q + 8, 16);
	memcpy(c->q_daddr6, q + 24, 16);
	c->q_sport = fz_get16(q + 40);
	c->q_dport = fz_get16(q + 42);
	c->why = "ICMPv6 error about no TCP/UDP packet of the balancer's";
	if (c->vlan || (c->q_proto != IPPROTO_TCP && c->q_proto != IPPROTO_UDP) ||
	    memcmp(c->q_saddr6, c->daddr6, 16))
		return;
	c->err_ok = 1;
	c->why = "an ICMPv6 error quoting TCP/UDP";
}

static void classify_icmp6(const struct fz_buf *b, struct fz_class *c)
{
	const unsigned char *ic = b->d + c->l4;
	static const __u8 zero[16];
	__u8 one[16] = { [15] = 1 };

	if (c->room < 8) {
		c->bad6 = 1;
		c->why = "ICMPv6 header beyond payload_len";
		return;
	}
	c->icmp_ok = 1;
	c->icmp_type = ic[0];
	c->icmp_code = ic[1];
	c->icmp_csum_ok = pkt_fold(pkt_sum(ic, c->room,
					   pkt6_pseudo_sum(c->saddr6, c->daddr6,
							   58, c->room))) ==
			  0xffff;
	c->why = "ICMPv6 (not an echo request or an error)";
	if (c->icmp_type == 128) {
		c->echo_ok = !c->vlan && !c->n_ext && c->saddr6[0] != 0xff &&
			     memcmp(c->saddr6, zero, 16) &&
			     memcmp(c->saddr6, one, 16);
		c->why = c->echo_ok ? "an ICMPv6 echo request" :
			 "an ICMPv6 echo request not to answer here";
		return;
	}
	if (c->icmp_type >= 1 && c->icmp_type <= 4)
		classify_err6(b, c);
}

void fz_classify6(const struct fz_buf *b, struct fz_class *c)
{
	const unsigned char *ip = b->d + c->l3, *h, *l4;
	unsigned int at, used = 0, end, hl;
	int frag_seen = 0;
	__u8 nh;

	c->why = "IPv6 header cut off";
	c->bad6 = 1;
	if (b->len < c->l3 + 40)
		return;
	c->why = "IPv6 version is not 6";
	if ((ip[0] >> 4) != 6)
		return;
	c->v6 = 1;
	memcpy(c->saddr6, ip + 8, 16);
	memcpy(c->daddr6, ip + 24, 16);
	c->plen6 = fz_get16(ip + 4);
	c->why = "IPv6 payload_len 0 (a jumbogram)";
	if (!c->plen6)
		return;
	c->why = "IPv6 payload_len beyond the frame";
	end = c->l3 + 40 + c->plen6;
	if (end > b->len)
		return;
	c->bad6 = 0;
	c->ip_hdr = c->ip_ok = 1;
	at = c->l3 + 40;
	nh = ip[6];
	while (is_ext(nh)) {
		if (nh == 43 || c->n_ext == 4) {
			c->ext_pass = 1;
			c->why = nh == 43 ? "an IPv6 routing header" :
				 "more than 4 IPv6 extension headers";
			return;
		}
		h = b->d + at;
		hl = nh == 44 ? 8 : (h[1] + 1) * 8;
		c->bad6 = 1;
		c->why = "IPv6 extension header cut off";
		if (at + 2 > b->len)
			return;
		if (nh == 44) {
			c->why = "two IPv6 Fragment headers";
			if (frag_seen)
				return;
			c->why = "IPv6 Fragment header beyond payload_len";
			if (used + 8 > c->plen6)
				return;
			frag_seen = 1;
			c->frag_nh6 = h[0];
			c->frag_id6 = fz_get32(h + 4);
			if (fz_get16(h + 2) & 0xfff8) {
				/* A later fragment: no upper-layer header. */
				c->bad6 = 0;
				c->frag = c->frag_later = 1;
				c->later_ok = !c->vlan;
				c->proto = h[0];
				c->why = "IPv6 later fragment";
				return;
			}
			/* M: the first; else atomic, a whole datagram. */
			c->frag = c->frag_first = fz_get16(h + 2) & 1;
		}
		c->why = "IPv6 extension header beyond payload_len";
		if (used + hl > c->plen6 || at + hl > b->len)
			return;
		c->bad6 = 0;
		at += hl;
		used += hl;
		nh = h[0];
		c->n_ext++;
	}
	c->proto = nh;
	c->l4 = at;
	c->l4len = c->room = c->plen6 - used;
	l4 = b->d + at;
	if (c->l4 + 4 <= end && (nh == IPPROTO_TCP || nh == IPPROTO_UDP)) {
		c->ports = 1;
		c->sport = fz_get16(l4);
		c->dport = fz_get16(l4 + 2);
	}
	if (c->frag_first && nh != IPPROTO_TCP && nh != IPPROTO_UDP) {
		c->why = "an IPv6 first fragment, not TCP/UDP";
		return;
	}
	if (nh == 58) {
		classify_icmp6(b, c);
		return;
	}
	if (nh != IPPROTO_TCP && nh != IPPROTO_UDP) {
		c->why = "IPv6, not TCP/UDP/ICMPv6";
		return;
	}
	c->bad6 = 1;
	if (fz_l4_hdr(c, l4, 1))
		return;
	if (nh == IPPROTO_UDP) {
		/* A first fragment's UDP length is the whole datagram's. */
		c->why = "UDP length beyond the datagram";
		if (c->udp_len > c->room && !c->frag_first)
			return;
	}
	c->bad6 = 0;
	c->l4_hdr = c->l4_ok = 1;
	if (c->frag_first) {
		/* Its checksum covers the whole datagram: not checked. */
		c->first_ok = !c->vlan;
		c->why = "IPv6 first fragment";
		return;
	}
	if (nh == IPPROTO_TCP || !c->udp_nocsum) {
		unsigned int n = nh == IPPROTO_TCP ? c->room : c->udp_len;

		c->l4_csum_ok = pkt_fold(pkt_sum(l4, n,
			pkt6_pseudo_sum(c->saddr6, c->daddr6, nh, n))) == 0xffff;
	} else {
		c->l4_csum_ok = 1;
	}
	c->why = "VLAN-tagged";
	if (c->vlan)
		return;
	c->why = "";
	c->wellformed = 1;
}

int fz_reason6(const struct fz_class *c)
{
	if (!c->v6 && !(c->etype == ETH_P_IPV6 && c->bad6))
		return -1;
	if (c->bad6)
		return XLB_R_PASS_MALFORMED;
	if (c->ext_pass)
		return XLB_R_PASS_IPV6_EXT;
	/* A first fragment of what is not TCP/UDP (bpf/frag.h). */
	if (c->frag_first && c->proto != IPPROTO_TCP &&
	    c->proto != IPPROTO_UDP)
		return XLB_R_PASS_FRAGMENT;
	return -1;
}

/* ---- Checks of what xlb sent ---------------------------------------- */

static char msg[256];

__attribute__((format(printf, 1, 2)))
static const char *why(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return msg;
}

static const char *a6(const __u8 *a, char *buf)
{
	int n = fz_n6(a);

	if (n >= 0)
		snprintf(buf, 16, "fd00::%x", n);
	else
		snprintf(buf, 16, "%02x%02x:%02x%02x..%02x", a[0], a[1], a[2],
			 a[3], a[15]);
	return buf;
}

/* Only the bytes in [rg[2k], rg[2k+1]) (and the MACs) changed. */
static const char *only_changed(const struct fz_buf *in,
				const struct fz_buf *out,
				const unsigned int *rg, int n)
{
	unsigned int i;
	int k;

	if (out->len != in->len)
		return why("sent with length %u, input %u", out->len, in->len);
	for (i = 12; i < in->len; i++) {
		if (in->d[i] == out->d[i])
			continue;
		for (k = 0; k < n; k++)
			if (i >= rg[2 * k] && i < rg[2 * k + 1])
				break;
		if (k == n)
			return why("sent with byte %u changed (0x%02x -> 0x%02x), which this rewrite must not touch",
				   i, in->d[i], out->d[i]);
	}
	return NULL;
}

/* The next hop of a packet to daddr for entry e: its neighbour (all of
 * them on lbside), or for a client without one the MACs its flow's
 * first packet came with. */
static const char *macs6(const struct fz_buf *out, const __u8 *daddr,
			 const struct xlb_flow *e, const unsigned char *lb_mac)
{
	unsigned char mac[6];
	char b[16];

	if (fz_has_neigh6(daddr)) {
		fz_mac_of6(daddr, mac);
		if (!memcmp(out->d, mac, 6) && !memcmp(out->d + 6, lb_mac, 6))
			return NULL;
	} else if (e->dir == XLB_DIR_REPLY &&
		   !memcmp(out->d, e->client_mac, 6) &&
		   !memcmp(out->d + 6, e->local_mac, 6)) {
		return NULL;
	}
	return why("sent to %s with the wrong MACs", a6(daddr, b));
}

const char *fz_check_nat6(const struct fz_buf *in, const struct fz_buf *out,
			  const struct fz_class *ci, const struct xlb_flow *e,
			  const unsigned char *lb_mac)
{
	unsigned int l3 = ci->l3, l4 = ci->l4,
		     ck = l4 + (ci->proto == IPPROTO_TCP ? 16 : 6);
	const unsigned int rg[] = { l3 + 8, l3 + 40, l4, l4 + 4, ck, ck + 2 };
	struct fz_class co;
	const char *w;
	char b1[16], b2[16];

	w = only_changed(in, out, rg, 3);
	if (w)
		return w;
	fz_classify(out, &co);
	if (!(co.wellformed || co.first_ok) ||
	    memcmp(co.saddr6, &e->nat_src, 16) ||
	    memcmp(co.daddr6, &e->nat_dst, 16) ||
	    co.sport != __builtin_bswap16(e->nat_sport) ||
	    co.dport != __builtin_bswap16(e->nat_dport))
		return why("forwarded as [%s]:%u > [%s]:%u, not the flow's NAT (to [%s]:%u)",
			   a6(co.saddr6, b1), co.sport, a6(co.daddr6, b2),
			   co.dport, a6((const __u8 *)&e->nat_dst, b2),
			   __builtin_bswap16(e->nat_dport));
	w = macs6(out, co.daddr6, e, lb_mac);
	if (w)
		return w;
	if (ci->l4_csum_ok && !co.l4_csum_ok)
		return why("the input's %s checksum was valid, the output's is not",
			   ci->proto == IPPROTO_TCP ? "TCP" : "UDP");
	if (ci->proto == IPPROTO_UDP && ci->udp_nocsum != co.udp_nocsum)
		return why("UDP checksum %s on the way",
			   ci->udp_nocsum ? "appeared" : "became 0 (none)");
	return NULL;
}

const char *fz_check_follow6(const struct fz_buf *in,
			     const struct fz_buf *out,
			     const struct fz_class *ci,
			     const struct xlb_flow *e,
			     const unsigned char *lb_mac)
{
	const unsigned int rg[] = { ci->l3 + 8, ci->l3 + 40 };
	struct fz_class co;
	const char *w;

	w = only_changed(in, out, rg, 1);
	if (w)
		return w;
	fz_classify(out, &co);
	if (!co.v6 || memcmp(co.saddr6, &e->nat_src, 16) ||
	    memcmp(co.daddr6, &e->nat_dst, 16))
		return why("later fragment not sent with its flow's addresses");
	return macs6(out, co.daddr6, e, lb_mac);
}

const char *fz_check_echo6(const struct fz_buf *in, const struct fz_buf *out,
			   const struct fz_class *ci)
{
	unsigned int l3 = ci->l3, l4 = ci->l4;
	const unsigned int rg[] = { l3 + 7, l3 + 40, l4, l4 + 4 };
	struct fz_class co;
	const char *w;

	if (!ci->echo_ok || fz_n6(ci->daddr6) != FZ_VIP6)
		return why("an echo reply to what is not an echo request to the IPv6 VIP from a unicast source, without extension headers");
	w = only_changed(in, out, rg, 2);
	if (w)
		return w;
	fz_classify(out, &co);
	if (memcmp(out->d, in->d + 6, 6) || memcmp(out->d + 6, in->d, 6) ||
	    memcmp(co.saddr6, ci->daddr6, 16) ||
	    memcmp(co.daddr6, ci->saddr6, 16) || !co.icmp_ok ||
	    co.icmp_type != 129 || co.icmp_code != ci->icmp_code ||
	    out->d[l3 + 7] != 64)
		return why("not an echo reply (129, hop limit 64) to the request's sender");
	if (ci->icmp_csum_ok && !co.icmp_csum_ok)
		return why("the input's ICMPv6 checksum was valid, the output's is not");
	return NULL;
}

/* The visible part of the quoted packet's L4 checksum equation: the
 * pseudo-header's addresses, the ports and the checksum field. */
static __u32 quote_sum6(const struct fz_buf *b, unsigned int q,
			unsigned int ck)
{
	return pkt_sum(b->d + q + 8, 32, 0) + pkt_sum(b->d + q + 40, 4, 0) +
	       fz_get16(b->d + ck);
}

const char *fz_check_icmp_nat6(const struct fz_buf *in,
			       const struct fz_buf *out,
			       const struct fz_class *ci,
			       const struct xlb_flow *e,
			       const unsigned char *lb_mac)
{
	unsigned int q = ci->q_l3, ck = 0, qend = ci->l4 + ci->room;
	unsigned int rg[] = { ci->l3 + 8, ci->l3 + 40, ci->l4 + 2, ci->l4 + 4,
			      q + 8, q + 44, 0, 0 };
	struct fz_class co;
	const char *w;
	char b1[16], b2[16];
	int n = 3;

	if (ci->q_proto == IPPROTO_UDP && q + 48 <= qend)
		ck = q + 46;
	else if (ci->q_proto == IPPROTO_TCP && q + 58 <= qend)
		ck = q + 56;
	if (ck) {
		rg[6] = ck;
		rg[7] = ck + 2;
		n = 4;
	}
	w = only_changed(in, out, rg, n);
	if (w)
		return w;
	fz_classify(out, &co);
	if (!co.err_ok || memcmp(co.saddr6, &e->nat_src, 16) ||
	    memcmp(co.daddr6, &e->nat_dst, 16) ||
	    memcmp(co.q_saddr6, &e->nat_dst, 16) ||
	    memcmp(co.q_daddr6, &e->nat_src, 16) ||
	    co.q_sport != __builtin_bswap16(e->nat_dport) ||
	    co.q_dport != __builtin_bswap16(e->nat_sport))
		return why("ICMPv6 error sent as %s > %s quoting :%u > :%u, not as the flow's NAT says",
			   a6(co.saddr6, b1), a6(co.daddr6, b2), co.q_sport,
			   co.q_dport);
	w = macs6(out, co.daddr6, e, lb_mac);
	if (w)
		return w;
	if (ci->icmp_csum_ok && !co.icmp_csum_ok)
		return why("the input's ICMPv6 checksum was valid, the output's is not");
	if (!ck)
		return NULL;
	if (ci->q_proto == IPPROTO_UDP && !fz_get16(in->d + ck))
		return fz_get16(out->d + ck) ?
		       why("the quote's UDP checksum 0 (none) became 0x%04x",
			   fz_get16(out->d + ck)) : NULL;
	if (pkt_fold(quote_sum6(in, q, ck)) % 0xffff !=
	    pkt_fold(quote_sum6(out, q, ck)) % 0xffff ||
	    (ci->q_proto == IPPROTO_UDP && !fz_get16(out->d + ck)))
		return why("the quote's %s checksum 0x%04x -> 0x%04x does not follow its new addresses and ports",
			   ci->q_proto == IPPROTO_TCP ? "TCP" : "UDP",
			   fz_get16(in->d + ck), fz_get16(out->d + ck));
	return NULL;
}

const char *fz_check_rst6(const struct fz_buf *in, const struct fz_buf *out,
			  const struct fz_class *ci)
{
	static struct pkt_buf pin, want;
	struct fz_class co;

	if (!ci->v6 || !(ci->wellformed || ci->first_ok) ||
	    ci->proto != IPPROTO_TCP)
		return why("a RST answered a frame that is not well-formed IPv6 TCP");
	/* A first fragment's RST cannot acknowledge the whole segment: only
	 * the generic checks below. */
	if (ci->wellformed && in->len <= PKT_MAX) {
		memset(&pin, 0, sizeof(pin));
		pin.len = in->len;
		memcpy(pin.d, in->d, in->len);
		pkt6_build_rst_reply(&pin, &want);
		if (out->len != want.len || memcmp(out->d, want.d, want.len))
			return why("the RST reply is not the one RFC 793 asks for (%u bytes, want %u)",
				   out->len, want.len);
		return NULL;
	}
	fz_classify(out, &co);
	if (out->len != 74 || !co.wellformed || !co.l4_csum_ok ||
	    memcmp(co.saddr6, ci->daddr6, 16) ||
	    memcmp(co.daddr6, ci->saddr6, 16) || co.sport != ci->dport ||
	    co.dport != ci->sport || !(co.tcp_flags & 0x04) ||
	    memcmp(out->d, in->d + 6, 6) || memcmp(out->d + 6, in->d, 6))
		return why("a RST that is not a valid 74-byte RST to the input's sender");
	return NULL;
}
