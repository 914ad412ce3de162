/* SPDX-License-Identifier: GPL-2.0 */
/* A backend server and its active-connection count. */
#ifndef XLB_BACKEND_H
#define XLB_BACKEND_H

#include <linux/types.h>
#include "xlb_addr.h"

#define XLB_BACKEND_UP		(1u << 0)	/* may take new flows */
#define XLB_BACKEND_BACKUP	(1u << 1)	/* only when no active one is */

/* Map weights are configured weights times this, so that slowstart can
 * ramp even a weight-1 server in steps (HAProxy starts at ~1/16). */
#define XLB_WEIGHT_SCALE	16

/* Map "backends": array, backend id -> struct xlb_backend. Written only by
 * the agent. */
struct xlb_backend {
	struct xlb_addr addr;
	struct xlb_addr src;	/* balancer's address towards this backend */
	__be16 port;
	__u8 family;
	__u8 pad;
	__u32 weight;		/* effective, x XLB_WEIGHT_SCALE; 0 = no new
				 * flows (drain) */
	__u32 flags;		/* XLB_BACKEND_* */
	__u32 ifindex;		/* egress interface towards it (agent's route) */
	__u32 maxconn;		/* skipped at this many active; 0 = no limit */
};

/* Map "backend_conns": array, backend id -> struct xlb_backend_conns.
 * Written only with atomic adds. A new flow adds 1 to active, and a TCP
 * one also 1 to half_open; the client's ACK that makes it ESTABLISHED
 * takes its 1 back from half_open (once: whoever moves the flow's
 * "counted" word from XLB_COUNT_HALF to XLB_COUNT_OPEN); closing or
 * expiring takes 1 from active, and from half_open if the flow still held
 * one there (once: whoever swaps "counted" to XLB_COUNT_NONE).
 *
 * active is every connection handed out (HAProxy's scur) and the load
 * least-connection compares; half_open is the part of it still in the
 * handshake (SYN_SENT, SYN_RECV: IPVS's "inactive" before ESTABLISHED),
 * which the expiry program ages fast when it grows (a SYN flood). */
struct xlb_backend_conns {
	__s64 active;		/* counted flows: half-open + open */
	__s64 half_open;	/* of those, TCP flows not yet ESTABLISHED */
};

#endif
