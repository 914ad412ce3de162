/* SPDX-License-Identifier: GPL-2.0 */
/* Incremental Internet checksum update (RFC 1624, eqn. 3):
 * HC' = ~(~HC + ~m + m'), on 16-bit words as they lie in memory, so byte
 * order never matters. */
#ifndef XLB_BPF_CSUM_H
#define XLB_BPF_CSUM_H

#include <linux/types.h>
#include "xlb_addr.h"

static __always_inline __u16 csum_fold32(__u32 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)s;
}

static __always_inline void csum_replace4(__u16 *sum, __be32 from, __be32 to)
{
	__u32 s = (__u16)~*sum;

	s += (__u16)~(from & 0xffff);
	s += (__u16)~(from >> 16);
	s += (to & 0xffff) + (to >> 16);
	*sum = ~csum_fold32(s);
}

static __always_inline void csum_replace2(__u16 *sum, __be16 from, __be16 to)
{
	__u32 s = (__u16)~*sum;

	s += (__u16)~from;
	s += to;
	*sum = ~csum_fold32(s);
}

/* Add the change of a 16-byte (IPv6) address from old to v to sum. */
static __always_inline void csum_replace16(__u16 *sum, const __be32 *old,
					   const struct xlb_addr *v)
{
#pragma unroll
	for (int i = 0; i < 4; i++)
		csum_replace4(sum, old[i], v->a[i]);
}

#endif
