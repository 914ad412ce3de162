/* SPDX-License-Identifier: GPL-2.0 */
/* Map "settings": array of one, written by the agent. */
#ifndef XLB_CONFIG_MAP_H
#define XLB_CONFIG_MAP_H

#include <linux/types.h>
#include "xlb_flow.h"

struct xlb_settings {
	__u16 port_min;		/* source ports for NAT flows, host order */
	__u16 port_max;
	__u32 flags;		/* reserved */
	/* Idle timeout per enum xlb_tcp_state, seconds (IPVS defaults). */
	__u32 timeout_s[XLB_STATE_MAX];
	/* SYN flood guard: new TCP flows per second on each CPU (a token
	 * bucket holding one second's worth); over it a SYN is dropped and
	 * counted (drop_syn_flood). 0 = no limit. */
	__u32 syn_rate;
	/* Idle timeout of the half-open flows (SYN_SENT, SYN_RECV) of a
	 * backend that looks flooded: more than XLB_HALF_OPEN_FLOOR of them,
	 * and more than 1/XLB_HALF_OPEN_SHARE of its active count; seconds.
	 * IPVS's SYN timeouts otherwise. 0 = never shortened. */
	__u32 half_open_timeout_s;
};

/* A backend looks flooded (xlb_gc.bpf.c) when its half-open count is
 * above XLB_HALF_OPEN_FLOOR and above active / XLB_HALF_OPEN_SHARE. */
#define XLB_HALF_OPEN_FLOOR	8
#define XLB_HALF_OPEN_SHARE	8	/* 1/8 of its active count */
#define XLB_HALF_OPEN_TIMEOUT_DEFAULT	5	/* seconds */

#endif
