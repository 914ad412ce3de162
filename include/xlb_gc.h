/* SPDX-License-Identifier: GPL-2.0 */
/* The expiry program's input and output. The agent (or `xlb gc`) runs
 * xlb_gc with BPF_PROG_TEST_RUN; the "packet" is a struct xlb_gc_args and
 * comes back with the result filled in. */
#ifndef XLB_GC_H
#define XLB_GC_H

#include <linux/types.h>

struct xlb_gc_result {
	__u64 scanned;		/* entries visited */
	__u64 removed;		/* flows deleted (both entries) */
	__u64 expired;		/* of those, still open: count given back */
	__u64 killed;		/* flows shut down by a kill request */
};

struct xlb_gc_args {
	__u64 advance_ns;	/* pretend this much more time has passed
				 * (tests); 0 in normal runs */
	__u32 kill;		/* 1: also shut down every flow of backend */
	__u32 kill_backend;	/* (count given back, both entries marked
				 * XLB_EV_KILLED) */
	struct xlb_gc_result result;
	__u8 pad[24];		/* test_run wants at least an Ethernet frame */
};

#endif
