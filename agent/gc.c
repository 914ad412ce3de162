// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "gc.h"

static int gc_pass(int prog_fd, struct xlb_gc_args *args,
		   struct xlb_gc_result *res)
{
	struct xlb_gc_args out = {};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = args,
		    .data_size_in = sizeof(*args), .data_out = &out,
		    .data_size_out = sizeof(out), .repeat = 1);

	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return -errno;
	if (opts.retval != 2 /* XDP_PASS */)
		return -EIO;
	if (res)
		*res = out.result;
	return 0;
}

int xlb_gc_run(int prog_fd, uint64_t advance_ns, struct xlb_gc_result *res)
{
	struct xlb_gc_args args = { .advance_ns = advance_ns };

	return gc_pass(prog_fd, &args, res);
}

int xlb_gc_kill(int prog_fd, uint32_t backend, struct xlb_gc_result *res)
{
	struct xlb_gc_args args = { .kill = 1, .kill_backend = backend };

	return gc_pass(prog_fd, &args, res);
}
