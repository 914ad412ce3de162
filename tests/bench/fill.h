/* SPDX-License-Identifier: GPL-2.0 */
/* Benchmark only: filling a flow table with synthetic established flows
 * (tests/bench/bench_layout.h says which), two entries each, as the data
 * path would have written them. */
#ifndef XLB_BENCH_FILL_H
#define XLB_BENCH_FILL_H

#include <linux/types.h>
#include "xlb_flow.h"

struct fill_env {
	__u32 ifindex;		/* towards clients and backends */
	__u8 lb_mac[6];		/* our MAC */
	__u8 gw_mac[6];		/* the clients' previous hop */
	__u64 now_ns;		/* CLOCK_MONOTONIC, as bpf_ktime_get_ns() */
};

/* The forward (client -> VIP) and reply entries of pre-filled flow i. */
void fill_pair(const struct fill_env *e, __u32 i, struct xlb_flow_key *fk,
	       struct xlb_flow *fv, struct xlb_flow_key *rk,
	       struct xlb_flow *rv);
/* Insert flows [first, first + n) into the flows map fd with batched
 * updates. Returns 0 or -errno (after printing what failed). */
int fill_flows(int fd, const struct fill_env *e, __u32 first, __u32 n);
__u64 fill_now_ns(void);

#endif
