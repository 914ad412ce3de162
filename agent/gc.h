/* SPDX-License-Identifier: GPL-2.0 */
/* Running the in-kernel expiry program (bpf/xlb_gc.bpf.c). */
#ifndef XLB_GC_RUN_H
#define XLB_GC_RUN_H

#include <stdint.h>
#include "xlb_gc.h"

/* Pinned under the pin root (paths.h) by the agent. */
#define XLB_GC_PIN "prog_gc"

/* One pass over the flow table, as if advance_ns more had passed. */
int xlb_gc_run(int prog_fd, uint64_t advance_ns, struct xlb_gc_result *res);

/* The same pass, also shutting down every flow of backend (counts given
 * back now, both ends answered with RSTs by the data path). */
int xlb_gc_kill(int prog_fd, uint32_t backend, struct xlb_gc_result *res);

#endif
