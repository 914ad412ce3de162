/* SPDX-License-Identifier: GPL-2.0 */
/* Test packets: built from a description with full, from-scratch checksums
 * (IPv4 header, TCP/UDP over the pseudo-header), verified the same way. */
#ifndef XLBT_PKT_H
#define XLBT_PKT_H

#include <stddef.h>
#include <linux/types.h>

#define PKT_MAX 512

/* Big-endian fields, as on the wire. */
static inline void pkt_put16(unsigned char *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void pkt_put32(unsigned char *p, __u32 v)
{
	pkt_put16(p, v >> 16);
	pkt_put16(p + 2, v & 0xffff);
}

static inline __u16 pkt_get16(const unsigned char *p)
{
	return (p[0] << 8) | p[1];
}

static inline __u32 pkt_get32(const unsigned char *p)
{
	return ((__u32)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

struct pkt_buf {
	unsigned char d[PKT_MAX];
	unsigned int len;
};

/* Host byte order everywhere; pkt_build puts it on the wire. */
struct pkt_desc {
	unsigned char smac[6];
	unsigned char dmac[6];
	__u16 vlan_tci;		/* 0: untagged, else an 802.1Q tag */
	__u8 proto;		/* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP */
	__u8 ttl;		/* 0: 64 */
	__u32 saddr, daddr;
	__u16 sport, dport;
	__u16 frag_off;		/* flags and offset, as in the header */
	__u8 ip_opt_words;	/* IPv4 options (NOPs), 32-bit words */
	__u8 tcp_flags;
	__u8 tcp_mss;		/* 1: an MSS option (doff 6) */
	__u8 tcp_opt_words;	/* then this many 32-bit words of NOPs */
	__u32 seq, ack_seq;
	int udp_nocsum;		/* UDP checksum field left 0 */
	unsigned char payload[64];
	unsigned int plen;
};

/* Offsets of the headers in a built packet. */
struct pkt_off {
	unsigned int l3, l4, l4len;	/* l4len: UDP/TCP header + payload */
};

void pkt_build(const struct pkt_desc *d, struct pkt_buf *b);
/* The upper-layer headers the builders here (and tests/fuzz's) write,
 * either family, host order in. A TCP header of hdrlen bytes (20 +
 * options): window 64240, checksum and urgent pointer 0, options NOPs,
 * an MSS option of mss first unless mss is 0 (hdrlen >= 24 then). */
void pkt_put_tcp(unsigned char *l4, __u16 sport, __u16 dport, __u32 seq,
		 __u32 ack_seq, __u8 flags, unsigned int hdrlen, __u16 mss);
/* A UDP header: ports, length, checksum 0 (none yet). */
void pkt_put_udp(unsigned char *l4, __u16 sport, __u16 dport, __u16 len);
void pkt_offsets(const struct pkt_buf *b, struct pkt_off *o);
/* The reset a host with no such connection sends back for the TCP segment
 * in (RFC 793, "Reset Generation"), as the balancer builds it: MACs,
 * addresses and ports swapped; if in has ACK, RST with seq = its ack_seq;
 * else RST|ACK, seq 0, ack = seq + payload (+1 for SYN, +1 for FIN). IPv4
 * header of 20 bytes (tos 0, id 0, DF, TTL 64), TCP header of 20 (window
 * 0, urgent 0): 54 bytes, checksums computed from scratch. in must be an
 * untagged IPv4 TCP frame. */
void pkt_build_rst_reply(const struct pkt_buf *in, struct pkt_buf *out);
void pkt_build_arp(struct pkt_buf *b, const unsigned char *smac, __u32 sip,
		   __u32 tip);
void pkt_build_ipv6_syn(struct pkt_buf *b, const unsigned char *smac,
			const unsigned char *dmac);

/* One's complement sum of n bytes (16-bit big-endian words), not folded. */
__u32 pkt_sum(const void *p, size_t n, __u32 sum);
__u16 pkt_fold(__u32 sum);
/* Sum of the IPv4 pseudo-header for l4len bytes of proto. */
__u32 pkt_pseudo_sum(__u32 saddr, __u32 daddr, __u8 proto, __u16 l4len);
/* Recompute the IPv4 header / L4 checksums in place (after a mutation). */
void pkt_fix_ip_csum(struct pkt_buf *b);
void pkt_fix_l4_csum(struct pkt_buf *b);

/* 0 when the IPv4 header and TCP/UDP checksums are valid (a UDP checksum
 * of 0 counts as "none", valid); else -1 with the reason in why. */
int pkt_verify(const struct pkt_buf *b, char *why, size_t n);

/* Print where a and b differ (offset, bytes), at most a few lines. */
void pkt_print_diff(const char *indent, const struct pkt_buf *got,
		    const struct pkt_buf *want);

/* ---- IPv6 (RFC 8200): the same, with extension headers and ICMPv6 ---- */

#define PKT6_MAX_EXT	8
#ifndef IPPROTO_ICMPV6
#define IPPROTO_ICMPV6	58
#endif

/* One extension header, in the order it appears. */
struct pkt6_ext {
	__u8 type;		/* its own next-header value: 0 hop-by-hop,
				 * 43 routing, 44 fragment, 60 destination
				 * options, 51 AH, anything else as opaque
				 * (8-byte units) */
	__u8 hdrlen;		/* the length field: 8-byte units after the
				 * first 8 (AH: 4-byte units after the first
				 * 8; fragment: ignored, always 8 bytes) */
	__u16 frag_off;		/* fragment: offset (bytes, a multiple of 8)
				 * | 1 for M (more fragments) */
	__u32 frag_id;
};

/* Host byte order; addresses as on the wire. */
struct pkt6_desc {
	unsigned char smac[6];
	unsigned char dmac[6];
	__u16 vlan_tci;		/* 0: untagged, else an 802.1Q tag */
	__u8 proto;		/* upper layer: IPPROTO_TCP, IPPROTO_UDP,
				 * IPPROTO_ICMPV6; another value: the
				 * payload alone, no header */
	__u8 hop;		/* hop limit; 0: 64 */
	__u32 flow;		/* traffic class << 20 | flow label */
	__u8 saddr[16], daddr[16];
	struct pkt6_ext ext[PKT6_MAX_EXT];
	int n_ext;
	__u16 sport, dport;
	__u8 tcp_flags;
	__u8 tcp_mss;		/* 1: an MSS option (doff 6) */
	__u32 seq, ack_seq;
	int udp_nocsum;		/* UDP checksum field left 0 */
	__u8 icmp_type, icmp_code;
	__u32 icmp_rest;	/* ICMPv6 bytes 4-7: echo id << 16 | seq,
				 * packet too big: the MTU, parameter
				 * problem: the pointer */
	unsigned char payload[256];
	unsigned int plen;
};

/* Where a built IPv6 frame's parts are (pkt6_offsets). */
struct pkt6_off {
	unsigned int l3;	/* the fixed header */
	unsigned int l4;	/* the upper-layer header (after the chain) */
	unsigned int l4len;	/* payload_len - the extension headers */
	unsigned int plen;	/* payload_len */
	__u8 proto;		/* the chain's last next header */
	int n_ext;		/* extension headers walked */
	int frag;		/* a fragment header: 1 first (offset 0, M),
				 * 2 later (an offset); 0 also atomic */
};

void pkt6_build(const struct pkt6_desc *d, struct pkt_buf *b);
/* -1 when the frame is not IPv6 or its chain runs out of the frame. */
int pkt6_offsets(const struct pkt_buf *b, struct pkt6_off *o);
int pkt_is_ipv6(const struct pkt_buf *b);
/* Sum of the IPv6 pseudo-header (RFC 8200 8.1) for len bytes of proto. */
__u32 pkt6_pseudo_sum(const __u8 *saddr, const __u8 *daddr, __u8 proto,
		      __u32 len);
/* Recompute the TCP/UDP/ICMPv6 checksum in place (after a mutation). */
void pkt6_fix_l4_csum(struct pkt_buf *b);
/* The folded sum of b's upper-layer datagram (the IP header's length)
 * with its pseudo-header, either family: 0xffff when its checksum is
 * right. */
__u16 pkt_l4_sum(const struct pkt_buf *b);
/* 0 when payload_len fits the frame, the chain is whole and the
 * TCP/UDP/ICMPv6 checksum is right (UDP 0 counts as none); else -1 and
 * why. */
int pkt6_verify(const struct pkt_buf *b, char *why, size_t n);
/* pkt_build_rst_reply for an IPv6 TCP segment (extension headers
 * allowed): Ethernet + IPv6 40 (traffic class and flow label 0, hop
 * limit 64) + TCP 20: 74 bytes. */
void pkt6_build_rst_reply(const struct pkt_buf *in, struct pkt_buf *out);

#define IP4(a, b, c, d) (((__u32)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

#endif
