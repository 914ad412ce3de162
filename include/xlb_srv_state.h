/* SPDX-License-Identifier: GPL-2.0 */
/* Map "server_state": array, backend id -> struct xlb_srv_state. The agent
 * writes it whenever a server's runtime state changes, so that `xlb
 * status`, bpftool and a restarted agent see admin state, weight and
 * health even when the agent that set them is gone. The data path never
 * reads it. */
#ifndef XLB_SRV_STATE_H
#define XLB_SRV_STATE_H

#include <linux/types.h>

struct xlb_srv_state {
	__u32 in_use;
	__u32 admin;		/* 0 ready, 1 drain, 2 maint */
	__u32 weight;		/* runtime weight, 0..256 */
	__u32 check;		/* 1 when health checks are configured */
	__u32 check_disabled;	/* `disable health` */
	__u32 up;
	__s32 health;		/* HAProxy's counter, 0..rise+fall-1 */
	__u32 rise, fall;
	char status[16];	/* "UP", "DOWN 1/2", "MAINT", "no check"... */
	char check_status[8];	/* L4OK, L4CON, L4TOUT, L7OK, L7STS... */
	__s32 check_code;	/* HTTP status of the last L7 check */
	__u32 check_duration_ms;
	__u64 chkfail;		/* failed checks */
	__u64 chkdown;		/* UP -> DOWN transitions */
	__s64 lastchg;		/* wall clock (s) of the last change */
	__u64 downtime_s;	/* total time DOWN before down_since */
	__s64 down_since;	/* wall clock (s), 0 while UP */
	__s64 smax;		/* highest active count seen */
};

#endif
