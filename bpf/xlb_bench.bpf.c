// SPDX-License-Identifier: GPL-2.0
/* BENCHMARK ONLY: never attached, never loaded by the agent. Drives xlb's
 * real entry point (bpf/xlb.bpf.c, compiled in here as an inline function,
 * with the same maps pinned by name) under BPF_PROG_TEST_RUN with repeat.
 *
 * test_run does not restore the packet between iterations: from the 2nd
 * one on, xlb would see its own NAT output and take another path. So the
 * wrapper saves the headers it may rewrite, calls the entry, and puts them
 * back; for new flows it also gives each iteration a new client tuple (a
 * counter), since the same SYN again would meet the flow it just created.
 * The cost of the save/restore alone is measured separately
 * (xlb_bench_wrap_only), next to a trivial XDP_TX program (the floor).
 * The driver checks xlb's own counters after every run.
 *
 * EXPERIMENTS (bench_ctl.algo != BENCH_ALGO_REAL): backend selection by
 * power of two choices, and an exact scan over pools larger than xlb's
 * 256-slot limit. They replace select_backend() here only, to measure
 * what such a mode would cost; xlb itself does not have them. */
#include "select.h"
#include "bench_layout.h"

struct bench_ctl ctl;

/* Pool for the experiments: slot -> backend id. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BENCH_POOL_MAX);
	__type(key, __u32);
	__type(value, __u32);
} bench_pool SEC(".maps");

static __always_inline int real_select_backend(const struct xlb_svc *svc,
					       __u32 *out)
{
	return select_backend(svc, out);
}

/* Slot idx of service svc_id: xlb's own slots, or bench_pool when set. */
static __always_inline const struct xlb_backend *
bench_slot(__u32 svc_id, __u32 idx, __u32 *bid)
{
	const struct xlb_backend *be;
	__u32 *id;

	if (!ctl.pool_n)
		return slot_backend(svc_id, idx, bid);
	id = bpf_map_lookup_elem(&bench_pool, &idx);
	if (!id)
		return 0;
	*bid = *id;
	be = bpf_map_lookup_elem(&backends, bid);
	if (!be || !(be->flags & XLB_BACKEND_UP) || be->weight == 0)
		return 0;
	return be;
}

/* EXPERIMENT: Envoy's LEAST_REQUEST with choice_count 2 over the counts
 * xlb keeps: two distinct random slots, the one with the lower
 * (active + 1) / weight wins (first on a tie). Falls back to the exact
 * scan when neither is available. */
static __always_inline int p2c_select(const struct xlb_svc *svc, __u32 *out)
{
	const struct xlb_backend *a, *b;
	__u32 n = ctl.pool_n ? ctl.pool_n : svc->nbackends;
	__u32 r, i, j, ida = 0, idb = 0;
	__s64 la, lb;

	if (n == 0 || n > BENCH_POOL_MAX)
		return -1;
	r = bpf_get_prandom_u32();
	i = r % n;
	j = n > 1 ? (i + 1 + (r >> 16) % (n - 1)) % n : i;
	a = bench_slot(svc->id, i, &ida);
	b = bench_slot(svc->id, j, &idb);
	la = a ? active_of(a, ida) : -1;
	lb = b ? active_of(b, idb) : -1;
	if (la >= 0 && (lb < 0 || (__u64)(la + 1) * b->weight <=
				  (__u64)(lb + 1) * a->weight)) {
		*out = ida;
		return 0;
	}
	if (lb >= 0) {
		*out = idb;
		return 0;
	}
	ctl.fallbacks++;
	return real_select_backend(svc, out);
}

/* EXPERIMENT: xlb's exact least-connection step (select.h's
 * leastconn_step, line for line, slots through bench_slot()) from a
 * bpf_loop() call of its own. In xlb_xdp, clang merges select_backend()'s
 * two bpf_loop() calls (round robin, leastconn) into one call instruction
 * fed two callbacks, and the verifier inlines bpf_loop only at a site with
 * one callback: every step there is an indirect call. This one is
 * inlined. Also the scan of pools over xlb's 256-slot limit. */
static long pool_scan_step(__u32 k, void *arg)
{
	struct scan *s = arg;
	const struct xlb_backend *be;
	__u32 idx = s->start + k, bid = 0;
	__s64 active;
	__u64 load;

	if (idx >= s->n)
		idx -= s->n;
	be = bench_slot(s->svc, idx, &bid);
	if (!be || note_backup(s, be, bid, idx))
		return 0;
	active = active_of(be, bid);
	if (active < 0)
		return 0;
	load = (__u64)active + 1;
	if (!s->found || load * s->best_w < s->best_load * be->weight) {
		s->best_load = load;
		s->best_w = be->weight;
		s->best = bid;
		s->found = 1;
	}
	return 0;
}

static __always_inline int pool_scan_select(const struct xlb_svc *svc,
					    __u32 *out)
{
	struct scan s = { .svc = svc->id };

	s.n = ctl.pool_n ? ctl.pool_n : svc->nbackends;
	if (s.n == 0 || s.n > BENCH_POOL_MAX)
		return -1;
	s.start = svc_next(svc->id) % s.n;
	bpf_loop(s.n, pool_scan_step, &s, 0);
	if (s.found) {
		*out = s.best;
		return 0;
	}
	if (s.backup_found) {
		*out = s.backup;
		return 0;
	}
	return -1;
}

static __always_inline int bench_select_backend(const struct xlb_svc *svc,
						__u32 *out)
{
	if (ctl.algo == BENCH_ALGO_P2C)
		return p2c_select(svc, out);
	if (ctl.algo == BENCH_ALGO_SCAN_POOL)
		return pool_scan_select(svc, out);
	return real_select_backend(svc, out);
}

/* The data path, handle_new() choosing through bench_select_backend();
 * then xlb.bpf.c itself, its entry turned into an inline function
 * xlb_entry() (SEC() emptied for that file only: it holds just the entry
 * point and the license, every map is in the headers). */
#define select_backend bench_select_backend
#include "handle.h"
#pragma push_macro("SEC")
#undef SEC
#define SEC(name)
#define xlb_xdp static __always_inline xlb_entry
#define LICENSE static __attribute__((unused)) xlb_entry_license
#include "xlb.bpf.c"
#undef LICENSE
#undef xlb_xdp
#undef SEC
#pragma pop_macro("SEC")
#undef select_backend

/* Headers the entry may rewrite: Ethernet, IPv4 (no options) and TCP up
 * to its flags and checksum; packets are at least this long. */
#define BENCH_HDR 56

struct hdr_copy {
	__u64 w[BENCH_HDR / 8];
};

/* The packet's tuple for this iteration (offsets of an untagged IPv4 TCP
 * frame without options). */
static __always_inline void set_tuple(void *data, __u32 saddr, __u16 sport,
				      __u16 dport)
{
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct tcphdr *tcp = (void *)(ip + 1);

	ip->saddr = bpf_htonl(saddr);
	tcp->source = bpf_htons(sport);
	if (dport)
		tcp->dest = bpf_htons(dport);
}

SEC("xdp")
int xlb_bench(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct hdr_copy saved;
	__u32 i, b;
	int rc;

	if (data + BENCH_HDR > end)
		return XDP_ABORTED;
	saved = *(struct hdr_copy *)data;
	ctl.iters++;
	switch (ctl.mode) {
	case BENCH_NEW_TUPLE:
		i = ctl.seq++;
		set_tuple(data, bl_client_ip(BL_NEW_IP0, i), bl_client_port(i), 0);
		break;
	case BENCH_SPREAD_FWD:
		i = ctl.nflows ? ctl.seq++ % ctl.nflows : 0;
		set_tuple(data, bl_client_ip(BL_CLIENT_IP0, i),
			  bl_client_port(i), 0);
		break;
	case BENCH_SPREAD_REV:
		i = ctl.nflows ? ctl.seq++ % ctl.nflows : 0;
		b = bl_fill_backend(i);
		set_tuple(data, bl_be_ip(b), bl_fill_be_port(b), bl_nat_port(i));
		break;
	}

	rc = xlb_entry(ctx);

	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + BENCH_HDR > end)
		return XDP_ABORTED;
	*(struct hdr_copy *)data = saved;
	return rc;
}

/* The wrapper's own cost: the same save and restore, no entry. */
SEC("xdp")
int xlb_bench_wrap_only(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct hdr_copy saved;

	if (data + BENCH_HDR > end)
		return XDP_ABORTED;
	saved = *(struct hdr_copy *)data;
	ctl.iters++;
	asm volatile("" ::: "memory");	/* as if the entry ran */
	*(struct hdr_copy *)data = saved;
	return XDP_TX;
}

/* The floor: the cheapest program test_run can time. */
SEC("xdp")
int xlb_bench_floor(struct xdp_md *ctx)
{
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
