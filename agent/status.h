/* SPDX-License-Identifier: GPL-2.0 */
/* `xlb status [--json]`: services, servers, flows and per-reason packet
 * counters, read from the maps pinned under /sys/fs/bpf/xlb. Works while
 * the agent runs and after it exited leaving its pins behind. */
#ifndef XLB_STATUS_H
#define XLB_STATUS_H

#include <stdbool.h>
#include <stdio.h>

/* Print the status to out: aligned text tables, or one JSON object when
 * json is set. "in" counts go client -> server, "out" server -> client.
 * Returns 0, or -errno after a message on stderr (-ENOENT with "xlb: no
 * running xlb: ..." when the pins are missing). */
int xlb_status(bool json, FILE *out);

#endif
