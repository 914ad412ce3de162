/* SPDX-License-Identifier: GPL-2.0 */
/* Creating a flow: claim a source port by inserting the reply entry, then
 * the forward entry; undo on failure. */
#ifndef XLB_BPF_NEWFLOW_H
#define XLB_BPF_NEWFLOW_H

#include "conntrack.h"

/* Delete a closed flow (both entries) so its tuple or port can be reused.
 * The count was already given back when it closed. */
static __always_inline void flow_drop_closed(const struct xlb_flow_key *fwd_key,
					     const struct xlb_flow *fwd)
{
	struct xlb_flow_key rk;

	flow_peer_key(&rk, fwd);
	bpf_map_delete_elem(&flows, &rk);
	bpf_map_delete_elem(&flows, fwd_key);
}

/* A port held by a closed flow (TIME_WAIT/CLOSE) may be recycled: with
 * tens of thousands of ports and TIME_WAIT at 120 s, waiting for expiry
 * would cap new connections at a few hundred per second per backend. */
static __always_inline int port_recycle(const struct xlb_flow_key *rk)
{
	struct xlb_flow_key fk;
	struct xlb_flow *r, *f;

	r = bpf_map_lookup_elem(&flows, rk);
	if (!r || r->dir != XLB_DIR_REPLY)
		return -1;
	flow_peer_key(&fk, r);
	f = bpf_map_lookup_elem(&flows, &fk);
	if (f && !flow_is_closed(f->events))
		return -1;
	bpf_map_delete_elem(&flows, rk);
	if (f)
		bpf_map_delete_elem(&flows, &fk);
	count_reason(XLB_R_FLOW_RECYCLED);
	return 0;
}

/* Insert the reply entry on a free source port. Returns 0 and sets
 * fwd->nat_sport, or a reason. */
static __always_inline int port_claim(struct xlb_flow *fwd,
				      const struct xlb_flow *rev)
{
	struct xlb_settings *s;
	struct xlb_flow_key rk;
	__u32 zero = 0, span, i;
	__u16 lo = XLB_PORT_MIN_DEFAULT, hi = XLB_PORT_MAX_DEFAULT;
	int full = 0;

	s = bpf_map_lookup_elem(&settings, &zero);
	if (s && s->port_min && s->port_max >= s->port_min) {
		lo = s->port_min;
		hi = s->port_max;
	}
	span = (__u32)hi - lo + 1;
	for (i = 0; i < XLB_PORT_TRIES; i++) {
		__be16 port = bpf_htons(lo + bpf_get_prandom_u32() % span);
		long err;

		fwd->nat_sport = port;
		flow_peer_key(&rk, fwd);
		err = bpf_map_update_elem(&flows, &rk, rev, BPF_NOEXIST);
		if (err == -17 /* EEXIST */ && !port_recycle(&rk))
			err = bpf_map_update_elem(&flows, &rk, rev, BPF_NOEXIST);
		if (!err)
			return 0;
		if (err != -17)
			full = 1;
		if (full)
			break;
	}
	return full ? XLB_R_DROP_TABLE_FULL : XLB_R_DROP_NO_PORT;
}

#endif
