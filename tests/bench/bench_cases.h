/* SPDX-License-Identifier: GPL-2.0 */
/* Benchmark part 1: the loaded wrapper, and the table of measured cases. */
#ifndef XLB_BENCH_CASES_H
#define XLB_BENCH_CASES_H

#include <linux/types.h>
#include "xlb_stats.h"
#include "xlb_service.h"
#include "bench_layout.h"
#include "fill.h"

#define MAX_RUNS 32

enum { PROG_XLB, PROG_WRAP, PROG_FLOOR, NPROGS };

/* Pool sizes of the new-flow cases. Service 0 (VIP:80) holds the
 * pre-filled flows; pool i is service 1 + i (VIP:81 + i) with leastconn
 * and service 1 + NPOOLS + i (VIP:81 + NPOOLS + i) with random(2), both
 * over the same backends. */
#define NPOOLS 5
static const __u32 pool_sizes[NPOOLS] = { 3, 16, 64, 256, 1024 };

static inline __u32 bench_svc(__u32 algo, int pool)
{
	return 1 + pool + (algo == XLB_ALGO_RANDOM ? NPOOLS : 0);
}

static inline __u16 bench_vport(__u32 algo, int pool)
{
	return BL_VPORT + bench_svc(algo, pool);
}

/* Written into a new-flow service's svc_cursor before each run: only
 * the full scan moves it (bpf/select.h, svc_chose), so after a leastconn
 * run it must have moved and after a random run it must not have (no
 * iteration fell back to the scan). */
#define BENCH_CURSOR_MARK	0xb0000000u

struct bench {
	struct xlb_bench_bpf *skel;
	int prog[NPROGS];
	int flows, reasons, svc_stats, conns, backends, services;
	int svc_backends, cursor, rnd, settings, tx_ports;
	int ifindex, ncpus;
	__u32 max_flows;
	struct fill_env fe;
};

struct snap {
	__u64 reasons[XLB_R_MAX];
	struct xlb_traffic svc;
	__u64 iters;
	__u32 cursor;		/* the service's svc_cursor */
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
int bench_set_cursor(struct bench *b, __u32 svc, __u32 next);
int bench_fill_big(struct bench *b, __u32 nflows, double *secs);
/* Every case, empty table then full, results to out (JSON). */
int bench_run_all(struct bench *b, const struct run_opts *o, const char *out);

#endif
