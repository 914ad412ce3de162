/* SPDX-License-Identifier: GPL-2.0 */
/* IP fragments of tracked flows (bpf/frag.h). */
#ifndef XLB_FRAG_H
#define XLB_FRAG_H

#include <linux/types.h>
#include "xlb_flow.h"

/* Map "frags": LRU hash, one datagram (RFC 791 and RFC 8200: source,
 * destination, protocol and identification) -> the flow its first
 * fragment belongs to. LRU: an evicted entry only sends that datagram's
 * later fragments to the kernel. */
struct xlb_frag_key {
	struct xlb_addr src;	/* IPv4: a[0] */
	struct xlb_addr dst;
	__be32 id;		/* IPv4: the 16-bit id, as it is on the wire,
				 * in the first two bytes */
	__u8 proto;		/* IPv6: the Fragment header's next header */
	__u8 family;		/* XLB_AF_INET / XLB_AF_INET6 */
	__u16 pad;
};

struct xlb_frag {
	struct xlb_flow_key flow;	/* key of the entry the first fragment
					 * matched (either direction) */
	__u64 created_ns;		/* older than XLB_FRAG_TTL_NS: ignored */
};

#define XLB_FRAG_ENTRIES	16384
/* Linux's net.ipv4.ipfrag_time: a reassembly gives up after 30 s. */
#define XLB_FRAG_TTL_NS		(30ull * 1000 * 1000 * 1000)

#endif
