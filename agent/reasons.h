/* SPDX-License-Identifier: GPL-2.0 */
/* Names shown to people for the data path's counters and a server's state,
 * shared by `xlb status` and the metrics so both say the same words. */
#ifndef XLB_REASONS_H
#define XLB_REASONS_H

#include <stdbool.h>
#include <stdint.h>

/* "forward_tx", "drop_no_neigh"... for enum xlb_reason; a value without a
 * name yet gets "reason_N" in buf (at least 16 bytes). */
const char *xlb_reason_name(unsigned int reason, char *buf);
/* The flow_* counters count events (a flow created, closed...), not
 * packets: the packet that created a flow is also counted as forwarded. */
bool xlb_reason_is_event(unsigned int reason);

/* "SYN_SENT", "ESTABLISHED"... for enum xlb_tcp_state; "?" if unknown. */
const char *xlb_flow_state_name(unsigned int state);

/* The plain state of a server, without HAProxy's check counters: "MAINT"
 * (admin), "DOWN" (checks say so), "DRAIN" (admin drain or weight 0: no
 * new flows), else "UP". */
const char *xlb_state_word(unsigned int admin, bool check, bool up,
			   uint32_t weight);

#endif
