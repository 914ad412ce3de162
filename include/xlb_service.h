/* SPDX-License-Identifier: GPL-2.0 */
/* A service (VIP) and the slots of its backend pool. */
#ifndef XLB_SERVICE_H
#define XLB_SERVICE_H

#include <linux/types.h>
#include "xlb_addr.h"

/* Map "services": hash, struct xlb_svc_key -> struct xlb_svc. */
struct xlb_svc_key {
	struct xlb_addr vip;
	__be16 port;
	__u8 proto;		/* IPPROTO_TCP / IPPROTO_UDP */
	__u8 family;		/* XLB_AF_INET / XLB_AF_INET6 */
};

enum xlb_algo {
	XLB_ALGO_LEASTCONN = 0,
	XLB_ALGO_ROUNDROBIN = 1,
	XLB_ALGO_RANDOM = 2,	/* HAProxy's `random(draws)`: the least
				 * loaded of `draws` servers drawn at
				 * random, by weight (bpf/select_random.h) */
};

/* random(N): N from 1 (plain weighted random) to XLB_RANDOM_MAX_DRAWS;
 * `balance random` alone means XLB_RANDOM_DEFAULT_DRAWS, as in HAProxy. */
#define XLB_RANDOM_DEFAULT_DRAWS	2
#define XLB_RANDOM_MAX_DRAWS		8

struct xlb_svc {
	__u32 id;		/* index into svc_stats, svc_cursor, slots */
	__u32 nbackends;	/* slots used: 0..XLB_MAX_SVC_BACKENDS */
	__u32 algo;		/* enum xlb_algo */
	__u32 draws;		/* XLB_ALGO_RANDOM: servers drawn per new
				 * flow (0 means the default); was the
				 * reserved `flags` word, always written 0,
				 * so pinned maps keep their layout */
};

/* Map "vips": hash, struct xlb_vip_key -> __u32 (1). Every address some
 * service listens on, whatever its port and protocol: the data path
 * answers ICMP echo requests to these (bpf/icmp.h). Kept by the agent in
 * step with "services" (agent/sync.c). */
struct xlb_vip_key {
	struct xlb_addr addr;
	__u8 family;		/* XLB_AF_INET / XLB_AF_INET6 */
	__u8 pad[3];
};

/* Map "svc_backends": array, key id * XLB_MAX_SVC_BACKENDS + slot -> backend
 * id (index into "backends"). */

/* Map "svc_cursor": array, key service id -> round robin: the position,
 * advanced atomically by every new flow; leastconn: the slot after the one
 * chosen last, where the next scan starts (ties take turns). */
struct xlb_svc_cursor {
	__u32 next;
};

#endif
