// SPDX-License-Identifier: GPL-2.0
/* Mutations of IPv6 frames for the fuzzer (gen6.c builds them): payload_len,
 * next headers, inserted, resized, truncated and looping extension-header
 * chains, version, addresses, ports, TCP/UDP fields, ICMPv6 types,
 * truncation at every header edge; and the checksum fixer that keeps a
 * mutant's only fault its mutation. */
#include <stdio.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include "pkt.h"
#include "fuzz.h"
#include "gen6.h"

/* The L3 offset after at most one tag (as xlb reads it), or 0 when the
 * frame is not IPv6 with its fixed header whole. */
static unsigned int l3_of6(const struct fz_buf *b)
{
	unsigned int l3 = ETH_HLEN;
	__u16 t;

	if (b->len < ETH_HLEN)
		return 0;
	t = fz_get16(b->d + 12);
	if ((t == ETH_P_8021Q || t == ETH_P_8021AD) && b->len >= 18) {
		t = fz_get16(b->d + 16);
		l3 += 4;
	}
	return t == ETH_P_IPV6 && b->len >= l3 + 40 ? l3 : 0;
}

/* Walk the chain (any known extension header) to the upper layer: its
 * offset and protocol; 0 if the chain leaves the frame or a later
 * fragment has none. */
static unsigned int l4_of6(const struct fz_buf *b, unsigned int l3,
			   __u8 *proto)
{
	unsigned int at = l3 + 40;
	__u8 nh = b->d[l3 + 6], cur;
	int i;

	for (i = 0; i < 16; i++) {
		if (nh != 0 && nh != 60 && nh != 43 && nh != 44 && nh != 51)
			break;
		if (at + 8 > b->len)
			return 0;
		if (nh == 44 && (fz_get16(b->d + at + 2) & 0xfff8))
			return 0;
		cur = nh;
		nh = b->d[at];
		at += fz6_ext_bytes(cur, b->d[at + 1]);
	}
	*proto = nh;
	return at <= b->len ? at : 0;
}

void fz_fix_csums6(struct fz_buf *b)
{
	unsigned int l3 = l3_of6(b), at, end, n, off;
	unsigned char *ip;
	__u8 nh, cur;
	__u16 c;
	int i;

	if (!l3)
		return;
	ip = b->d + l3;
	end = l3 + 40 + fz_get16(ip + 4);
	if ((ip[0] >> 4) != 6 || end > b->len)
		return;
	at = l3 + 40;
	nh = ip[6];
	for (i = 0; i < 16; i++) {
		if (nh != 0 && nh != 60 && nh != 43 && nh != 44 && nh != 51)
			break;
		if (at + 8 > end || (nh == 44 && (fz_get16(b->d + at + 2) &
						  0xfff9)))
			return;	/* cut, or a fragment: no whole datagram */
		cur = nh;
		nh = b->d[at];
		at += fz6_ext_bytes(cur, b->d[at + 1]);
	}
	if (at > end)
		return;
	n = end - at;
	if (nh == IPPROTO_TCP && n >= 18)
		off = 16;
	else if (nh == IPPROTO_UDP && n >= 8 && fz_get16(b->d + at + 6))
		off = 6;
	else if (nh == 58 && n >= 4)
		off = 2;
	else
		return;
	if (nh == IPPROTO_UDP && fz_get16(b->d + at + 4) >= 8 &&
	    fz_get16(b->d + at + 4) <= n)
		n = fz_get16(b->d + at + 4);
	fz_put16(b->d + at + off, 0);
	c = ~pkt_fold(pkt_sum(b->d + at, n,
			      pkt6_pseudo_sum(ip + 8, ip + 24, nh, n)));
	if (nh == IPPROTO_UDP && !c)
		c = 0xffff;
	fz_put16(b->d + at + off, c);
}

/* ---- Mutations ------------------------------------------------------ */

enum m6 { M6_PLEN, M6_NH, M6_INSERT, M6_LOOP, M6_EXTLEN, M6_VERSION,
	  M6_ADDR, M6_PORT, M6_L4FIELD, M6_TRUNC, M6_ICMPTYPE, M6_MAX };

void fz_mutate6(struct fz_gen *g, struct fz_buf *b, char *d, size_t n)
{
	static const __u8 nhs[] = { 0, 60, 43, 44, 51, 50, 59, 6, 17, 58, 135 };
	unsigned int l3 = l3_of6(b), l4, v, i, k;
	unsigned char *ip;
	__u8 proto = 0;

	if (!l3)
		return;
	ip = b->d + l3;
	l4 = l4_of6(b, l3, &proto);
	switch ((enum m6)fz_rnd(&g->r, M6_MAX)) {
	case M6_PLEN:
		switch (fz_rnd(&g->r, 5)) {
		case 0: v = fz_rnd(&g->r, 65536); break;
		case 1: v = 0; break;
		case 2: v = b->len - l3 - 40 + 1 + fz_rnd(&g->r, 8); break;
		case 3: v = l4 > l3 + 40 ? l4 - l3 - 40 + fz_rnd(&g->r, 24) :
			    fz_rnd(&g->r, 48); break;
		default: v = b->len - l3 - 40 - fz_rnd(&g->r, 8); break;
		}
		v &= 0xffff;
		fz_put16(ip + 4, v);
		fz6_dadd(d, n, " plen(%u)", v);
		break;
	case M6_NH:
		ip[6] = fz_pct(&g->r, 80) ? nhs[fz_rnd(&g->r, sizeof(nhs))] :
					    fz_rnd(&g->r, 256);
		fz6_dadd(d, n, " nh(%u)", ip[6]);
		break;
	case M6_INSERT:
		/* A well-formed extension header right after the fixed
		 * header, payload_len following. */
		k = nhs[fz_rnd(&g->r, 5)];
		v = k == 44 ? 8 : 8 * (1 + fz_rnd(&g->r, 3));
		if (fz_insert(b, l3 + 40, v))
			break;
		ip = b->d + l3;
		memset(ip + 40, 0, v);
		ip[40] = ip[6];
		ip[41] = k == 44 ? 0 : k == 51 ? v / 4 - 2 : v / 8 - 1;
		if (k == 0 || k == 60) {
			ip[42] = 1;
			ip[43] = v - 4;
		} else {
			fz6_fill(g, ip + 42, v - 2);
			if (k == 44 && fz_pct(&g->r, 50)) {
				ip[42] = 0;	/* offset 0, M clear */
				ip[43] &= 0x06;
			}
		}
		ip[6] = k;
		fz_put16(ip + 4, fz_get16(ip + 4) + v);
		fz6_dadd(d, n, " insert(%u,%u)", k, v);
		break;
	case M6_LOOP:
		/* Destination options pointing at destination options to
		 * the end of the frame: a chain no walk may follow far. */
		k = 0;
		for (i = l3 + 40; i + 8 <= b->len && k < 200; i += 8, k++) {
			memset(b->d + i, 0, 8);
			b->d[i] = 60;
			b->d[i + 2] = 1;
			b->d[i + 3] = 4;
		}
		ip[6] = 60;
		if (fz_pct(&g->r, 50))
			fz_put16(ip + 4, b->len - l3 - 40);
		fz6_dadd(d, n, " loop(%u)", k);
		break;
	case M6_EXTLEN:
		if (l3 + 42 > b->len || (ip[6] != 0 && ip[6] != 60 &&
					 ip[6] != 43 && ip[6] != 51))
			break;
		ip[41] = fz_pct(&g->r, 50) ? fz_rnd(&g->r, 256) :
					     fz_rnd(&g->r, 8);
		fz6_dadd(d, n, " extlen(%u)", ip[41]);
		break;
	case M6_VERSION:
		v = fz_rnd(&g->r, 16);
		ip[0] = (v << 4) | (ip[0] & 0x0f);
		fz6_dadd(d, n, " version(%u)", v);
		break;
	case M6_ADDR: {
		static const unsigned int to[] = { 1, 11, 12, 21, 50, 100, 104,
						   2, 255 };

		i = fz_pct(&g->r, 50) ? 8 : 24;
		if (fz_pct(&g->r, 80))
			fz_ip6(ip + i, to[fz_rnd(&g->r, sizeof(to) / 4)]);
		else
			fz6_fill(g, ip + i, 16);
		fz6_dadd(d, n, " %s6", i == 8 ? "saddr" : "daddr");
		break;
	}
	case M6_PORT: {
		static const __u16 ports[] = { 80, 443, 53, 81, 82, 54, 8080,
					       5353, 0, 65535 };

		if (!l4 || l4 + 4 > b->len)
			break;
		i = fz_pct(&g->r, 50) ? 0 : 2;
		fz_put16(b->d + l4 + i, fz_pct(&g->r, 60) ?
			 ports[fz_rnd(&g->r, 10)] : fz_rnd(&g->r, 65536));
		fz6_dadd(d, n, " %s", i ? "dport" : "sport");
		break;
	}
	case M6_L4FIELD:
		if (!l4 || l4 + 14 > b->len)
			break;
		if (proto == IPPROTO_TCP) {
			if (fz_pct(&g->r, 50))
				b->d[l4 + 12] = fz_rnd(&g->r, 16) << 4;
			else
				b->d[l4 + 13] = fz_rnd(&g->r, 256);
			fz6_dadd(d, n, " tcp(%02x,%02x)", b->d[l4 + 12],
			     b->d[l4 + 13]);
		} else if (proto == IPPROTO_UDP) {
			fz_put16(b->d + l4 + 4, fz_pct(&g->r, 50) ?
				 fz_rnd(&g->r, 16) :
				 b->len - l4 + fz_rnd(&g->r, 40));
			fz6_dadd(d, n, " udplen(%u)", fz_get16(b->d + l4 + 4));
		} else {
			b->d[l4 + 2] ^= 1 + fz_rnd(&g->r, 255);
			fz6_dadd(d, n, " l4csum");
		}
		break;
	case M6_TRUNC: {
		unsigned int at;

		switch (fz_rnd(&g->r, 3)) {
		case 0: at = l3 + 40 - 2 + fz_rnd(&g->r, 8); break;
		case 1: at = (l4 ? l4 : l3 + 40) + fz_rnd(&g->r, 24); break;
		default: at = ETH_HLEN + fz_rnd(&g->r, b->len - ETH_HLEN); break;
		}
		if (at < b->len) {
			b->len = at;
			fz6_dadd(d, n, " trunc6(%u)", at);
		}
		break;
	}
	case M6_ICMPTYPE:
		if (proto != 58 || !l4 || l4 + 8 > b->len)
			break;
		b->d[l4] = fz_pct(&g->r, 50) ? 128 : fz_rnd(&g->r, 256);
		fz6_dadd(d, n, " icmptype(%u)", b->d[l4]);
		break;
	case M6_MAX:
		break;
	}
}
