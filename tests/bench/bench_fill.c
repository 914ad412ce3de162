// SPDX-License-Identifier: GPL-2.0
/* Benchmark only (part 4): put N synthetic established flows (2N entries,
 * tests/bench/bench_layout.h) into a running agent's pinned flows map, to
 * measure what a table of that size costs the agent and the kernel.
 * Usage: bench_fill PINNED_FLOWS_MAP N   -> {"flows": N, "seconds": S} */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "fill.h"

int main(int argc, char **argv)
{
	struct fill_env e = {};
	unsigned long n;
	__u64 t0;
	int fd, err;

	if (argc != 3 || !(n = strtoul(argv[2], NULL, 0)) || n > 16000000) {
		fprintf(stderr, "usage: %s PINNED_FLOWS_MAP N (1..16M)\n", argv[0]);
		return 2;
	}
	fd = bpf_obj_get(argv[1]);
	if (fd < 0) {
		fprintf(stderr, "bench_fill: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	e.now_ns = fill_now_ns();
	t0 = fill_now_ns();
	err = fill_flows(fd, &e, 0, n);
	close(fd);
	if (err)
		return 1;
	printf("{\"flows\": %lu, \"entries\": %lu, \"seconds\": %.3f}\n", n,
	       2 * n, (fill_now_ns() - t0) / 1e9);
	return 0;
}
