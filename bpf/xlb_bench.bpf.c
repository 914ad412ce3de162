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
 * Backend selection is xlb's own (select.h), whatever the service's
 * algorithm: the wrapper has no selection code of its own. */
#include "bench_layout.h"

struct bench_ctl ctl;

/* xlb.bpf.c itself, its entry turned into an inline function
 * xlb_entry() (SEC() emptied for that file only: it holds just the entry
 * point and the license, every map is in the headers). */
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

/* Headers the entry may rewrite: Ethernet, IPv4 (no options) and TCP up
 * to its flags and checksum; packets are at least this long. */
#define BENCH_HDR 56

struct hdr_copy {
	__u64 w[BENCH_HDR / 8];
};

/* The saved headers live in global data, not on the stack: the entry's
 * deepest call chain may use nearly all of the verifier's 512 bytes by
 * itself, and the wrapper's frame comes on top of it. One copy does:
 * test_run runs one program instance on one CPU. */
static struct hdr_copy saved;

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
