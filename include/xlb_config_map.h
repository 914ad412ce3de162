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
};

#endif
