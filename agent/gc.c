// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "gc.h"

int xlb_gc_run(int prog_fd, uint64_t advance_ns, struct xlb_gc_result *res)
{
	struct xlb_gc_args args = { .advance_ns = advance_ns }, out = {};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = &args,
		    .data_size_in = sizeof(args), .data_out = &out,
		    .data_size_out = sizeof(out), .repeat = 1);

	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return -errno;
	if (opts.retval != 2 /* XDP_PASS */)
		return -EIO;
	if (res)
		*res = out.result;
	return 0;
}
