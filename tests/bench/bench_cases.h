/* SPDX-License-Identifier: GPL-2.0 */
/* Benchmark part 1: the loaded wrapper, and the table of measured cases. */
#ifndef XLB_BENCH_CASES_H
#define XLB_BENCH_CASES_H

#include <linux/types.h>
#include "xlb_stats.h"
#include "fill.h"

#define MAX_RUNS 32

enum { PROG_XLB, PROG_WRAP, PROG_FLOOR, NPROGS };

/* Pool sizes of the new-flow cases; services 1..NPOOLS listen on
 * VIP:81.., service 0 (VIP:80) holds the pre-filled flows. */
#define NPOOLS 5
static const __u32 pool_sizes[NPOOLS] = { 3, 16, 64, 256, 1024 };

struct bench {
	struct xlb_bench_bpf *skel;
	int prog[NPROGS];
	int flows, reasons, svc_stats, conns, backends, services;
	int svc_backends, settings, tx_ports, pool;
	int ifindex, ncpus;
	__u32 max_flows;
	struct fill_env fe;
};

struct snap {
	__u64 reasons[XLB_R_MAX];
	struct xlb_traffic svc;
	__u64 iters, fallbacks;
};

struct run_opts {
	int runs, cpu;
	__u32 big;		/* flows in the full table */
	__u32 rep_fixed;	/* repeat for same-packet cases */
	__u32 rep_new;		/* repeat for new-flow cases */
	int prealloc;		/* EXPERIMENT: flows map preallocated */
};

int bench_snapshot(struct bench *b, __u32 svc, struct snap *s);
int bench_undo_new(struct bench *b, __u16 vport, __u32 seq0, __u32 n);
int bench_fill_big(struct bench *b, __u32 nflows, double *secs);
/* Every case, empty table then full, results to out (JSON). */
int bench_run_all(struct bench *b, const struct run_opts *o, const char *out);

#endif
