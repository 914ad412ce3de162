/* SPDX-License-Identifier: GPL-2.0 */
/* The fuzz harness (tests/fuzz/): shared types of the generator (gen.c),
 * the independent oracle (oracle.c), the reason table (reasons.c) and the
 * driver (fuzz.c). See fuzz.c for what is checked. */
#ifndef XLBF_FUZZ_H
#define XLBF_FUZZ_H

#include <stddef.h>
#include <linux/types.h>
#include "xlb_flow.h"
#include "xlb_stats.h"

/* Frames up to 1600 bytes (tests/bpf's pkt_buf holds 512). */
#define FZ_MAX		2048

struct fz_buf {
	unsigned char d[FZ_MAX];
	unsigned int len;
};

/* ---- The topology run.sh builds (tests/bpf's, a few more neighbours) */
#define FZ_IP(a, b, c, d) (((__u32)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))
#define FZ_VIP		FZ_IP(10, 0, 0, 1)	/* lbside's address */
#define FZ_LBSRC	FZ_IP(10, 0, 0, 1)	/* the balancer's source */
/* Permanent neighbours: on lbside 10.0.0.11-40 and 10.0.0.100-103, on
 * lbside2 (attached) 10.0.2.11-12, on lbside3 (not attached) 10.0.3.11;
 * MAC 02:00:0a:00:<third octet>:<last octet>. No other has one. */
int fz_has_neigh(__u32 ip);
void fz_mac_of(__u32 ip, unsigned char mac[6]);

/* ---- Services and backends (fuzz.c installs them) */
struct fz_svc {
	__u32 id;
	__u16 port;
	__u8 proto;
	__u32 algo;
	int nb;
	__u32 bids[4];
};

struct fz_be {
	__u32 id;
	__u32 ip;
	__u32 src;		/* the balancer's address towards it */
	__u16 port;
	__u32 weight;		/* map weight (x16 scale) */
	__u32 flags;
	__u32 maxconn;
};

extern const struct fz_svc fz_svcs[];
extern const int fz_nsvcs;
extern const struct fz_be fz_bes[];
extern const int fz_nbes;
/* The service at VIP:port/proto, or NULL. */
const struct fz_svc *fz_svc_at(__u32 daddr, __u16 dport, __u8 proto);

/* ---- IPv6 (run.sh: lbside also holds fd00::1/64, VIP6 and the
 * balancer's source; permanent neighbours fd00::b-28 (backends) and
 * fd00::64-67 (clients), MAC 02:00:0a:00:00:<last byte> as their IPv4
 * twins; fd00::32 and the clients fd00::68-6b have none). Addresses are
 * fd00::<n>, n < 65536. */
#define FZ_VIP6		1
void fz_ip6(__u8 a[16], unsigned int n);
/* n of fd00::<n>, or -1 when the address is not of that form. */
int fz_n6(const __u8 a[16]);
int fz_has_neigh6(const __u8 a[16]);
void fz_mac_of6(const __u8 a[16], unsigned char mac[6]);

struct fz_be6 {
	__u32 id;
	unsigned int n;		/* fd00::<n>; the source is always fd00::1 */
	__u16 port;
	__u32 weight, flags, maxconn;
};

extern const struct fz_svc fz_svcs6[];
extern const int fz_nsvcs6;
extern const struct fz_be6 fz_bes6[];
extern const int fz_nbes6;
/* The IPv6 service at [daddr]:port/proto, or NULL. */
const struct fz_svc *fz_svc6_at(const __u8 daddr[16], __u16 dport,
				__u8 proto);

/* ---- PRNG (xoshiro256**, seeded by splitmix64): FUZZ_SEED reproduces */
struct fz_rng {
	__u64 s[4];
};
void fz_rng_seed(struct fz_rng *r, __u64 seed);
__u64 fz_rnd64(struct fz_rng *r);
/* Uniform in [0, n); n > 0. */
__u32 fz_rnd(struct fz_rng *r, __u32 n);
/* 1 with probability pct/100. */
int fz_pct(struct fz_rng *r, __u32 pct);

/* ---- Generator */
/* A flow the generator knows (from the flow table or from the output of
 * the packet that created it): enough to build both directions. */
struct fz_mflow {
	__u8 proto;
	__u32 cip;		/* client, host order */
	__u16 cport, vport;
	__u32 bip;		/* backend */
	__u32 lip;		/* balancer's source address towards it */
	__u16 bport;
	__u16 nport;		/* balancer's source port towards the backend */
	__u32 cseq, sseq;
	__u8 v6;		/* IPv6: the addresses are these */
	__u8 cip6[16], bip6[16], lip6[16];
};

#define FZ_MODEL_MAX	8192

enum fz_kind {
	FK_FLOW,		/* valid packet of a known flow, either side */
	FK_NEW,			/* valid first packet to a service (SYN/UDP) */
	FK_OTHER,		/* valid IPv4 TCP/UDP to no service or flow */
	FK_FRAG,		/* fragments of a flow's or a new datagram */
	FK_ICMP,		/* echo requests, errors quoting flows */
	FK_MUTATED,		/* one of the above, mutated */
	FK_RANDOM,		/* random bytes (some with a plausible prefix) */
	FK_IPV6,		/* IPv6 with an extension-header chain */
	FK_NEW6,		/* first packet to an IPv6 service, some
				 * behind extension headers */
	FK_ICMP6,		/* ICMPv6 echo requests, errors quoting
				 * flows, neighbour discovery */
	FK_ARP,
	FK_ETHERTYPE,		/* random ethertype */
	FK_MAX,
};

struct fz_gen {
	struct fz_rng r;
	unsigned char lb_mac[6];
	struct fz_mflow m[FZ_MODEL_MAX];
	int nm;
	unsigned int replace;	/* next slot to overwrite when full */
	/* Later fragments waiting to be sent (after their first, or before
	 * it: out of order). */
	struct fz_buf pend[32];
	int npend;
	__u64 kinds[FK_MAX];
};

/* Build the next input into b; desc gets a one-line description. */
void fz_gen_next(struct fz_gen *g, struct fz_buf *b, char *desc, size_t n);
/* Learn a new flow from a forwarded first packet (output's tuple). */
void fz_gen_learn(struct fz_gen *g, const struct fz_buf *in,
		  const struct fz_buf *out);
void fz_gen_clear(struct fz_gen *g);
/* Open n bytes at offset at of b (the rest moved up): 0, or -1 when b
 * would outgrow FZ_MAX or at is past its end. */
int fz_insert(struct fz_buf *b, unsigned int at, unsigned int n);
/* Add one forward entry of the flow table to the model. */
void fz_gen_add(struct fz_gen *g, const struct xlb_flow_key *k,
		const struct xlb_flow *v);
extern const char *const fz_kind_names[FK_MAX];

/* ---- Oracle: an independent reading of the frame */
struct fz_class {
	unsigned int len;
	int eth;		/* at least an Ethernet header */
	int vlan;		/* outer ethertype 802.1Q / 802.1ad */
	__u16 etype;		/* after at most one tag, as xlb reads it */
	unsigned int l3, l4;
	int ip_hdr;		/* version 4, IHL >= 5, header in the frame */
	int ip_ok;		/* and IHL*4 <= tot_len, datagram in frame */
	int frag;		/* MF or an offset */
	int frag_first;		/* MF, offset 0 */
	int frag_later;		/* an offset */
	unsigned int ihl, tot_len, l4len;	/* l4len = tot_len - IHL*4 */
	unsigned int room;	/* bytes an L4 header may take (l4len) */
	__u8 proto;
	__u16 ip_id;
	__u32 saddr, daddr;	/* host order */
	int ports;		/* source and destination ports in the frame */
	__u16 sport, dport;
	__u8 tcp_flags;
	unsigned int doff, udp_len;
	int l4_hdr;		/* whole TCP/UDP header inside the datagram
				 * (doff >= 5 / UDP length >= 8) */
	int l4_ok;		/* and UDP length <= l4len */
	int ip_csum_ok, l4_csum_ok, udp_nocsum;
	int wellformed;		/* untagged IPv4, not a fragment, l4_ok */
	int first_ok;		/* untagged first fragment with l4_hdr */
	int later_ok;		/* untagged later fragment (IPv4 valid) */
	/* ICMP */
	int icmp_ok;		/* 8-byte ICMP header inside the datagram */
	__u8 icmp_type, icmp_code;
	int icmp_csum_ok;
	int echo_ok;		/* untagged, unfragmented echo request, no
				 * IP options */
	int err_ok;		/* untagged, unfragmented error (3, 11, 12)
				 * quoting an IPv4 header and 8 bytes (inside
				 * the datagram) of TCP/UDP, not a later
				 * fragment, sent to the quote's source */
	unsigned int q_l3, q_ihl;	/* the quote (offsets in the frame) */
	__u8 q_proto;
	__u32 q_saddr, q_daddr;
	__u16 q_sport, q_dport;
	int q_ip_csum_ok;
	const char *why;	/* why not well-formed, for the report */
	/* IPv6 (oracle6.c); saddr, daddr, q_saddr, q_daddr stay 0 */
	int v6;			/* ethertype IPv6, fixed header in frame */
	__u8 saddr6[16], daddr6[16];
	unsigned int plen6;	/* payload_len */
	int n_ext;		/* hop-by-hop/destination options walked */
	int ext_pass;		/* a routing header or a 5th extension
				 * header: pass_ipv6_ext */
	int bad6;		/* malformed for xlb: pass_malformed */
	__u32 frag_id6;		/* the Fragment header's id (frag set) */
	__u8 frag_nh6;		/* ... and its next header */
	__u8 q_saddr6[16], q_daddr6[16];
};

void fz_classify(const struct fz_buf *b, struct fz_class *c);
/* The same, laxer: FUZZ_TOLERATE lets a run go on past known data-path
 * bugs, to look for others (never in make test). */
#define FZ_LAX_TOTLEN	1	/* L4/ICMP header past tot_len, in frame */
#define FZ_LAX_UDPLEN	2	/* UDP length past the datagram */
void fz_classify_lax(const struct fz_buf *b, struct fz_class *c, int lax);
/* The TCP or UDP header (c->proto) at l4, in c->room bytes: TCP flags
 * and doff, or UDP length and a checksum of 0 (none), into c. 0 when the
 * header is whole (doff >= 5 inside room, UDP length >= 8), else -1 and
 * c->why (the limit named as the family's: tot_len, payload_len); the
 * UDP length against the datagram is the caller's. */
int fz_l4_hdr(struct fz_class *c, const unsigned char *l4, int v6);
/* The key xlb looks the packet up with (c->ports must be set). */
void fz_key_of(const struct fz_class *c, struct xlb_flow_key *k);
/* Checksums of the IPv4 header and TCP/UDP of an untagged frame. */
void fz_csums(const struct fz_buf *b, int *ip_ok, int *l4_ok);
/* The IPv6 part of fz_classify_lax (oracle6.c); c->etype is ETH_P_IPV6
 * and c->l3, c->vlan are set. */
void fz_classify6(const struct fz_buf *b, struct fz_class *c);

/* A later IPv6 fragment sent on: only its addresses rewritten, as the
 * flow entry e of its first fragment says (oracle6.c). */
const char *fz_check_follow6(const struct fz_buf *in,
			     const struct fz_buf *out,
			     const struct fz_class *ci,
			     const struct xlb_flow *e,
			     const unsigned char *lb_mac);
/* ---- IPv6 verdict checks (oracle6.c): NULL when the output is right,
 * else why not (a static buffer). e: the flow entry the packet matched
 * (a forwarded one: after the run; an ICMP error's: before). */
const char *fz_check_nat6(const struct fz_buf *in, const struct fz_buf *out,
			  const struct fz_class *ci, const struct xlb_flow *e,
			  const unsigned char *lb_mac);
const char *fz_check_echo6(const struct fz_buf *in, const struct fz_buf *out,
			   const struct fz_class *ci);
const char *fz_check_icmp_nat6(const struct fz_buf *in,
			       const struct fz_buf *out,
			       const struct fz_class *ci,
			       const struct xlb_flow *e,
			       const unsigned char *lb_mac);
/* A RST to an IPv6 TCP segment: to its sender, 74 bytes, checksum right;
 * byte for byte tests/bpf/pkt.c's when the input was well-formed. */
const char *fz_check_rst6(const struct fz_buf *in, const struct fz_buf *out,
			  const struct fz_class *ci);
/* What an IPv6 frame must get, when the oracle can tell: the reason's
 * index (pass_malformed, pass_fragment, pass_ipv6_ext), else -1. */
int fz_reason6(const struct fz_class *c);

/* ---- The IPv6 generator (gen6.c), called by gen.c */
struct fz_gen;
void fz_gen_new6(struct fz_gen *g, struct fz_buf *b, char *d, size_t n);
/* A packet of IPv6 flow m from one side, TCP flags and payload length
 * chosen by the caller (gen.c's gen_flow). */
void fz_gen_flow6(struct fz_gen *g, const struct fz_mflow *m,
		  int from_client, __u8 flags, unsigned int plen,
		  struct fz_buf *b, char *d, size_t n);
void fz_gen_icmp6(struct fz_gen *g, struct fz_buf *b, char *d, size_t n);
/* An IPv6 datagram (of a flow, or new) with a Fragment header, cut in
 * 2 or 3 parts: returns how many. */
int fz_gen_frag6(struct fz_gen *g, struct fz_buf parts[3], char *d,
		 size_t n);
/* A mutation of an IPv6 frame (payload_len, chains, version, next
 * headers, L4 fields); appends what it did to d. */
void fz_mutate6(struct fz_gen *g, struct fz_buf *b, char *d, size_t n);
/* Recompute an IPv6 frame's TCP/UDP/ICMPv6 checksum where its headers
 * allow (a mutant keeps only its mutation wrong). */
void fz_fix_csums6(struct fz_buf *b);

/* ---- Reasons: names and which are events, from the header compiled in */
enum fz_rclass { RC_PASS, RC_DROP, RC_TX, RC_REDIRECT, RC_OTHER };

struct fz_reason {
	char name[64];
	int event;		/* "(event)" in its comment */
	enum fz_rclass cls;	/* from the name: pass_, drop_, forward_tx... */
};

extern struct fz_reason fz_reasons[XLB_R_MAX];
/* Parse include/xlb_stats.h (as compiled in); falls back to the four
 * known events if it cannot. Prints a note then. */
void fz_reasons_init(void);
/* The index of the reason named so ("frag_follow"), or -1. */
int fz_reason_find(const char *name);

/* ---- Helpers */
static inline __u16 fz_get16(const unsigned char *p)
{
	return (p[0] << 8) | p[1];
}

static inline __u32 fz_get32(const unsigned char *p)
{
	return ((__u32)p[0] << 24) | ((__u32)p[1] << 16) | (p[2] << 8) | p[3];
}

static inline void fz_put16(unsigned char *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void fz_put32(unsigned char *p, __u32 v)
{
	fz_put16(p, v >> 16);
	fz_put16(p + 2, v);
}

/* At most max bytes of b, 16 a line. */
void fz_hexdump(const char *indent, const struct fz_buf *b, unsigned int max);

/* ---- Datagrams whose first fragment xlb sent on (fuzz.c): RFC 791's
 * and RFC 8200's datagram key -> the flow key that fragment had. Kept
 * for the whole run
 * (a superset of the data path's LRU map, which may forget). */
struct fz_dgram {
	__u32 src, dst;		/* host order */
	__u32 id;		/* IPv4: 16 bits; IPv6: the Fragment
				 * header's 32 */
	__u8 proto;
	__u8 v6;		/* IPv6: src6, dst6 instead */
	__u8 src6[16], dst6[16];
};

void fz_frag_put(const struct fz_dgram *d, const struct xlb_flow_key *k);
const struct xlb_flow_key *fz_frag_get(const struct fz_dgram *d);

#endif
