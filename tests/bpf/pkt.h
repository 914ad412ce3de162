/* SPDX-License-Identifier: GPL-2.0 */
/* Test packets: built from a description with full, from-scratch checksums
 * (IPv4 header, TCP/UDP over the pseudo-header), verified the same way. */
#ifndef XLBT_PKT_H
#define XLBT_PKT_H

#include <stddef.h>
#include <linux/types.h>

#define PKT_MAX 512

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

#define IP4(a, b, c, d) (((__u32)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

#endif
