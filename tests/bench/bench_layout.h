/* SPDX-License-Identifier: GPL-2.0 */
/* Benchmark only: what the benchmark wrapper (bpf/xlb_bench.bpf.c) and its
 * drivers in tests/bench agree on. The addresses of a synthetic flow
 * table, computed from a flow's index on both sides, so that the wrapper
 * can walk a million pre-filled flows without a table of its own; and the
 * wrapper's control block. Host byte order unless said otherwise. */
#ifndef XLB_BENCH_LAYOUT_H
#define XLB_BENCH_LAYOUT_H

#include <linux/types.h>

/* The balancer: VIP and its own address towards the backends. */
#define BL_LB_IP	0x0a000001u	/* 10.0.0.1 */
#define BL_GW_IP	0x0a0000feu	/* 10.0.0.254: route to the clients */
/* Backend addresses: 10.0.1.1 .. 10.0.1.16 (permanent neighbours). */
#define BL_BE_IP0	0x0a000101u
#define BL_BE_IPS	16

/* Pre-filled flows: client 10.128.0.0/10 (via the gateway), to VIP:80;
 * flow i goes to filler backend i % BL_FILL_BACKENDS, whose address is
 * BL_BE_IP0 + b % 16 and port 6000 + b, on NAT source port
 * 1024 + i / BL_FILL_BACKENDS: every key of up to 16M flows is unique. */
#define BL_CLIENT_IP0	0x0a800000u	/* 10.128.0.0 */
#define BL_NEW_IP0	0x0ac00000u	/* 10.192.0.0: new flows' clients */
#define BL_VPORT	80
#define BL_FILL_BACKENDS 256
#define BL_FILL_BE_PORT0 6000
#define BL_SVC_BE_PORT0	7000		/* service pool backends */
#define BL_FILL_BID0	0		/* filler backend ids 0..255 */
#define BL_SVC_BID0	1000		/* pool backend ids 1000..1255 */

static inline __u32 bl_client_ip(__u32 base, __u32 i)
{
	return base + (i >> 14);
}

static inline __u16 bl_client_port(__u32 i)
{
	return 1024 + (i & 0x3fff);
}

static inline __u32 bl_fill_backend(__u32 i)
{
	return i % BL_FILL_BACKENDS;
}

static inline __u32 bl_be_ip(__u32 b)
{
	return BL_BE_IP0 + b % BL_BE_IPS;
}

static inline __u16 bl_fill_be_port(__u32 b)
{
	return BL_FILL_BE_PORT0 + b;
}

static inline __u16 bl_nat_port(__u32 i)
{
	return 1024 + i / BL_FILL_BACKENDS;
}

/* What the wrapper does around each call of the real entry. */
enum bench_mode {
	BENCH_SAME = 0,		/* the same packet every iteration */
	BENCH_NEW_TUPLE,	/* client address:port from a counter: a new
				 * flow every iteration */
	BENCH_SPREAD_FWD,	/* client packet of pre-filled flow
				 * (counter % nflows) */
	BENCH_SPREAD_REV,	/* backend packet of the same */
};

struct bench_ctl {
	__u32 mode;		/* enum bench_mode */
	__u32 nflows;		/* BENCH_SPREAD_*: flows to walk */
	__u32 seq;		/* counter the tuple comes from (written by
				 * the program) */
	__u32 pad;
	__u64 iters;		/* wrapper calls (written by the program) */
};

#endif
