// SPDX-License-Identifier: GPL-2.0
/* Benchmark part 1: the XDP program's cost per packet, with
 * BPF_PROG_TEST_RUN and repeat, through the benchmark wrapper
 * (bpf/xlb_bench.bpf.c: the real entry, packet restored after each
 * iteration), next to a trivial XDP_TX program (the floor) and the
 * wrapper's own save/restore. After every run xlb's own counters (reasons,
 * per-service stats) and the wrapper's iteration count must show that
 * every iteration took the path being measured; a run that does not is an
 * error, never a figure.
 *
 * Usage (inside tests/bench/part1_xdp.sh's namespace, maps pinned under a
 * private folder, $XLBB_PIN_DIR or /sys/fs/bpf/xlbb-PID, removed on every
 * exit):
 *   bench_xdp IFINDEX GW_MAC OUT.json [--quick] [--flows N] [--runs K]
 *             [--cpu C] [--prealloc] [--repeat-new N] */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb_config_map.h"
#include "xlb_limits.h"
#include "xlb_service.h"
#include "xlb_backend.h"
#include "xlb_stats.h"
#include "bench_layout.h"
#include "xlb_bench.skel.h"	/* after bench_layout.h: struct bench_ctl */
#include "bench_cases.h"
#include "fill.h"
#include "loadobj.h"
#include "pkt.h"

static int put(int fd, __u32 key, const void *val)
{
	if (bpf_map_update_elem(fd, &key, val, BPF_ANY)) {
		fprintf(stderr, "bench: map update (key %u): %s\n", key,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static int add_backend(struct bench *b, __u32 id, __u32 ip, __u16 port)
{
	struct xlb_backend be = {
		.port = htons(port), .family = XLB_AF_INET,
		.weight = XLB_WEIGHT_SCALE, .flags = XLB_BACKEND_UP,
		.ifindex = b->ifindex,
	};

	be.addr.a[0] = htonl(ip);
	be.src.a[0] = htonl(BL_LB_IP);
	return put(b->backends, id, &be);
}

static int add_service(struct bench *b, __u32 id, __u16 port, __u32 first_bid,
		       __u32 n, __u32 algo)
{
	struct xlb_svc_key k = {
		.port = htons(port), .proto = IPPROTO_TCP,
		.family = XLB_AF_INET,
	};
	struct xlb_svc s = { .id = id, .nbackends = n, .algo = algo,
			     .draws = algo == XLB_ALGO_RANDOM ? 2 : 0 };
	__u32 i, bid;
	int err;

	k.vip.a[0] = htonl(BL_LB_IP);
	for (i = 0; i < n && i < XLB_MAX_SVC_BACKENDS; i++) {
		bid = first_bid + i;
		err = put(b->svc_backends, id * XLB_MAX_SVC_BACKENDS + i, &bid);
		if (err)
			return err;
	}
	if (bpf_map_update_elem(b->services, &k, &s, BPF_ANY))
		return -errno;
	return 0;
}

/* random's per-CPU reference weight (bpf/select.h, struct rnd), as the
 * data path learns it at its first new flow on each CPU: without it, that
 * first flow runs the full scan, and the run would fail its path check. */
static int seed_wmax(struct bench *b, __u32 svc)
{
	/* Per-CPU values are 8-byte aligned, one after the other. */
	size_t sz = (bpf_map__value_size(b->skel->maps.svc_rnd) + 7) & ~7ul;
	char *v = calloc(b->ncpus, sz);
	int c, err = 0;

	if (!v)
		return -ENOMEM;
	for (c = 0; c < b->ncpus; c++)	/* wmax: the value's first word */
		*(__u32 *)(v + c * sz) = XLB_WEIGHT_SCALE;
	if (bpf_map_update_elem(b->rnd, &svc, v, BPF_ANY))
		err = -errno;
	free(v);
	return err;
}

/* Settings, devmap, backends (filler and pools), the services (VIP:80
 * with the pre-filled flows; a leastconn and a random(2) service per pool
 * size), and flow 0 (the measured established flow). */
static int setup_maps(struct bench *b)
{
	struct xlb_settings st = {
		.port_min = XLB_PORT_MIN_DEFAULT,
		.port_max = XLB_PORT_MAX_DEFAULT,
	};
	__u32 i, n, ifx = b->ifindex;
	int err = 0;

	for (i = 0; i < XLB_STATE_MAX; i++)
		st.timeout_s[i] = 900;
	err = put(b->settings, 0, &st) ?: put(b->tx_ports, ifx, &ifx);
	for (i = 0; !err && i < BL_FILL_BACKENDS; i++)
		err = add_backend(b, BL_FILL_BID0 + i, bl_be_ip(i),
				  bl_fill_be_port(i));
	for (i = 0; !err && i < XLB_MAX_SVC_BACKENDS; i++)
		err = add_backend(b, BL_SVC_BID0 + i, bl_be_ip(i),
				  BL_SVC_BE_PORT0 + i);
	if (err)
		return err;
	err = add_service(b, 0, BL_VPORT, BL_FILL_BID0, BL_FILL_BACKENDS,
			  XLB_ALGO_LEASTCONN);
	for (i = 0; !err && i < NPOOLS; i++) {
		/* A pool over xlb's limit is not measured (the case says
		 * so); its service gets 3 slots only to exist. */
		n = pool_sizes[i] <= XLB_MAX_SVC_BACKENDS ? pool_sizes[i] : 3;
		err = add_service(b, bench_svc(XLB_ALGO_LEASTCONN, i),
				  bench_vport(XLB_ALGO_LEASTCONN, i),
				  BL_SVC_BID0, n, XLB_ALGO_LEASTCONN) ?:
		      add_service(b, bench_svc(XLB_ALGO_RANDOM, i),
				  bench_vport(XLB_ALGO_RANDOM, i),
				  BL_SVC_BID0, n, XLB_ALGO_RANDOM) ?:
		      seed_wmax(b, bench_svc(XLB_ALGO_RANDOM, i));
	}
	if (err)
		return err;
	return fill_flows(b->flows, &b->fe, 0, 1);
}

static int bench_open(struct bench *b, int ifindex, const char *gw_mac,
	       __u32 max_flows, int prealloc)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	const char *env = getenv("XLBB_PIN_DIR");
	unsigned int mac[6];
	char dir[128];
	int err, i;

	memset(b, 0, sizeof(*b));
	b->ifindex = ifindex;
	b->ncpus = libbpf_num_possible_cpus();
	lo_libbpf_quiet();
	if (sscanf(gw_mac, "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2],
		   &mac[3], &mac[4], &mac[5]) != 6) {
		fprintf(stderr, "bench: '%s' is not a MAC address\n", gw_mac);
		return -EINVAL;
	}
	for (i = 0; i < 6; i++)
		b->fe.gw_mac[i] = mac[i];
	err = lo_if_mac(ifindex, b->fe.lb_mac);
	if (err)
		return fprintf(stderr, "bench: ifindex %d: %s\n", ifindex,
			       strerror(-err)), err;
	b->fe.ifindex = ifindex;
	b->fe.now_ns = fill_now_ns();

	if (env && strlen(env) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%s", env);
	else
		snprintf(dir, sizeof(dir), "/sys/fs/bpf/xlbb-%d", (int)getpid());
	err = lo_pins_open(dir);
	if (err)
		return err;
	oo.pin_root_path = lo_pins_dir();

	b->skel = xlb_bench_bpf__open_opts(&oo);
	if (!b->skel)
		return fprintf(stderr, "bench: cannot open xlb_bench\n"), -EINVAL;
	lo_pins_note(b->skel->obj);
	/* As `xlb run --flows N` does for the agent. */
	bpf_map__set_max_entries(b->skel->maps.flows, max_flows);
	/* EXPERIMENT (--prealloc): what xlb's new flows would cost with a
	 * preallocated table (xlb uses BPF_F_NO_PREALLOC, see bpf/maps.h). */
	if (prealloc)
		bpf_map__set_map_flags(b->skel->maps.flows, 0);
	err = xlb_bench_bpf__load(b->skel);
	if (err)
		return fprintf(stderr, "bench: cannot load xlb_bench: %s\n",
			       strerror(-err)), err;
	b->prog[PROG_XLB] = bpf_program__fd(b->skel->progs.xlb_bench);
	b->prog[PROG_WRAP] = bpf_program__fd(b->skel->progs.xlb_bench_wrap_only);
	b->prog[PROG_FLOOR] = bpf_program__fd(b->skel->progs.xlb_bench_floor);
#define FD(x) bpf_map__fd(b->skel->maps.x)
	b->flows = FD(flows);
	b->reasons = FD(reasons);
	b->svc_stats = FD(svc_stats);
	b->conns = FD(backend_conns);
	b->backends = FD(backends);
	b->services = FD(services);
	b->svc_backends = FD(svc_backends);
	b->cursor = FD(svc_cursor);
	b->rnd = FD(svc_rnd);
	b->settings = FD(settings);
	b->tx_ports = FD(tx_ports);
#undef FD
	b->max_flows = max_flows;
	return setup_maps(b);
}

static void bench_close(struct bench *b)
{
	xlb_bench_bpf__destroy(b->skel);
	b->skel = NULL;
	lo_pins_remove();
}

/* Sum a per-CPU u64 array entry-wise into out[n]. */
static int percpu_sum(struct bench *b, int fd, __u32 key, __u64 *out,
		      int nwords)
{
	__u64 v[256 * 8];
	int c, w;

	if (b->ncpus * nwords > (int)(sizeof(v) / sizeof(v[0])))
		return -E2BIG;
	if (bpf_map_lookup_elem(fd, &key, v))
		return -errno;
	for (w = 0; w < nwords; w++) {
		out[w] = 0;
		for (c = 0; c < b->ncpus; c++)
			out[w] += v[c * nwords + w];
	}
	return 0;
}

int bench_snapshot(struct bench *b, __u32 svc, struct snap *s)
{
	__u32 r;
	int err = 0;

	for (r = 0; r < XLB_R_MAX && !err; r++)
		err = percpu_sum(b, b->reasons, r, &s->reasons[r], 1);
	if (!err)
		err = percpu_sum(b, b->svc_stats, svc, (__u64 *)&s->svc,
				 sizeof(s->svc) / 8);
	s->iters = b->skel->bss->ctl.iters;
	s->cursor = ~0u;
	if (!err && svc && bpf_map_lookup_elem(b->cursor, &svc, &s->cursor))
		err = -errno;
	return err;
}

/* Delete the flows a new-flow run created (client tuples seq0..seq0+n)
 * and give the pool's counts back: the next run starts from the same
 * table. Not timed. */
int bench_undo_new(struct bench *b, __u16 vport, __u32 seq0, __u32 n)
{
	struct xlb_flow_key k, rk;
	struct xlb_backend_conns zero = {};
	struct xlb_flow f;
	__u32 i, s;

	for (i = 0; i < n; i++) {
		s = seq0 + i;
		memset(&k, 0, sizeof(k));
		k.src.a[0] = htonl(bl_client_ip(BL_NEW_IP0, s));
		k.dst.a[0] = htonl(BL_LB_IP);
		k.sport = htons(bl_client_port(s));
		k.dport = htons(vport);
		k.proto = IPPROTO_TCP;
		k.family = XLB_AF_INET;
		if (bpf_map_lookup_elem(b->flows, &k, &f))
			continue;
		memset(&rk, 0, sizeof(rk));
		rk.src = f.nat_dst;
		rk.dst = f.nat_src;
		rk.sport = f.nat_dport;
		rk.dport = f.nat_sport;
		rk.proto = f.proto;
		rk.family = f.family;
		bpf_map_delete_elem(b->flows, &rk);
		bpf_map_delete_elem(b->flows, &k);
	}
	for (i = 0; i < XLB_MAX_SVC_BACKENDS; i++)
		if (put(b->conns, BL_SVC_BID0 + i, &zero))
			return -errno;
	return 0;
}

int bench_set_cursor(struct bench *b, __u32 svc, __u32 next)
{
	struct xlb_svc_cursor c = { .next = next };

	return put(b->cursor, svc, &c);
}

int bench_fill_big(struct bench *b, __u32 nflows, double *secs)
{
	__u64 t0 = fill_now_ns();
	int err = fill_flows(b->flows, &b->fe, 1, nflows - 1);

	*secs = (fill_now_ns() - t0) / 1e9;
	return err;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "flows", required_argument, NULL, 'f' },
		{ "runs", required_argument, NULL, 'r' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "prealloc", no_argument, NULL, 'p' },
		{ "repeat-new", required_argument, NULL, 'n' },
		{}
	};
	struct run_opts o = { .runs = 9, .cpu = -1, .big = 1000000,
			      .rep_fixed = 1000000, .rep_new = 4000 };
	static struct bench b;
	int c, err, quick = 0, runs_set = 0, flows_set = 0;
	__u32 rep_new = 0;
	__u32 max;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'q')
			quick = 1;
		else if (c == 'f')
			o.big = strtoul(optarg, NULL, 0), flows_set = 1;
		else if (c == 'r')
			o.runs = atoi(optarg), runs_set = 1;
		else if (c == 'c')
			o.cpu = atoi(optarg);
		else if (c == 'p')
			o.prealloc = 1;
		else if (c == 'n')
			rep_new = strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	if (argc - optind != 3) {
		fprintf(stderr, "usage: %s IFINDEX GW_MAC OUT.json [--quick] "
			"[--flows N] [--runs K] [--cpu C] [--prealloc] "
			"[--repeat-new N]\n", argv[0]);
		return 2;
	}
	if (quick) {
		o.runs = runs_set ? o.runs : 3;
		o.rep_fixed = 100000;
		o.rep_new = 1000;
		o.big = flows_set ? o.big : 10000;
	}
	if (rep_new)
		o.rep_new = rep_new;
	if (o.runs < 1 || o.runs > MAX_RUNS || o.big < 2 || o.big > 8000000)
		return fprintf(stderr, "bench: --runs 1..%d, --flows 2..8000000\n",
			       MAX_RUNS), 2;
	if (o.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(o.cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			perror("bench: sched_setaffinity");
	}
	/* Two entries per flow, room for one run's new flows, a margin. */
	max = 2 * o.big + 2 * o.rep_new + 4096;
	err = bench_open(&b, atoi(argv[optind]), argv[optind + 1], max,
			 o.prealloc);
	if (!err)
		err = bench_run_all(&b, &o, argv[optind + 2]);
	bench_close(&b);
	return err ? 1 : 0;
}
