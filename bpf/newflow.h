/* SPDX-License-Identifier: GPL-2.0 */
/* Creating a flow: claim a source port by inserting the reply entry, then
 * the forward entry; undo on failure. */
#ifndef XLB_BPF_NEWFLOW_H
#define XLB_BPF_NEWFLOW_H

#include "conntrack.h"

#define NSEC_PER_SEC	1000000000ull

/* The SYN flood guard's token bucket, one per CPU (as Katran caps flow
 * inserts per CPU): tokens in billionths of a flow, refilled at syn_rate
 * flows per second up to one second's worth. Pinned, so that every
 * interface's program instance shares it. */
struct syn_bucket {
	__u64 stamp_ns;		/* last refill */
	__u64 tokens;		/* NSEC_PER_SEC per new flow */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct syn_bucket);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} syn_bucket SEC(".maps");

/* Does this CPU's bucket refuse one more new TCP flow now? Never when
 * syn_rate is 0. */
static __always_inline int syn_over_rate(void)
{
	struct xlb_settings *s;
	struct syn_bucket *b;
	__u32 zero = 0;
	__u64 now, cap, rate, add;

	s = bpf_map_lookup_elem(&settings, &zero);
	if (!s || !s->syn_rate)
		return 0;
	b = bpf_map_lookup_elem(&syn_bucket, &zero);
	if (!b)
		return 0;
	rate = s->syn_rate;
	cap = rate * NSEC_PER_SEC;
	now = bpf_ktime_get_ns();
	if (!b->stamp_ns || now - b->stamp_ns >= NSEC_PER_SEC) {
		b->tokens = cap;
	} else {
		add = (now - b->stamp_ns) * rate;	/* < 2^62: no overflow */
		b->tokens = b->tokens + add < cap ? b->tokens + add : cap;
	}
	b->stamp_ns = now;
	if (b->tokens < NSEC_PER_SEC)
		return 1;
	b->tokens -= NSEC_PER_SEC;
	return 0;
}

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
static __always_inline int port_recycle(const struct xlb_flow_key *rk,
					struct xlb_flow_key *fk)
{
	struct xlb_flow *r, *f;

	r = bpf_map_lookup_elem(&flows, rk);
	if (!r || r->dir != XLB_DIR_REPLY)
		return -1;
	flow_peer_key(fk, r);
	f = bpf_map_lookup_elem(&flows, fk);
	if (f && !flow_is_closed(f->events))
		return -1;
	bpf_map_delete_elem(&flows, rk);
	if (f)
		bpf_map_delete_elem(&flows, fk);
	count_reason(XLB_R_FLOW_RECYCLED);
	return 0;
}

/* The first port a client's connection tries: its own port, shifted by
 * a hash of its address, so that one client's ports map one to one onto
 * the balancer's (its ephemeral range is narrower than ours) and a client
 * reusing its port (as it does at thousands of connections per second,
 * once its old connection closed) gets the same balancer port again. The
 * backend then sees that tuple carry the same connection's TCP
 * timestamps, which only grow, and accepts the new SYN over its
 * TIME_WAIT; another connection's timestamps there (Linux offsets them per
 * connection) could be refused as old (PAWS) and cost the client a 1 s
 * SYN retransmission. nftables' SNAT keeps the client's port for the same
 * reason. */
static __always_inline __u32 port_first(const struct xlb_flow *rev)
{
	__u32 h = rev->nat_dst.a[0] ^ rev->nat_dst.a[1] ^ rev->nat_dst.a[2] ^
		  rev->nat_dst.a[3];

	h *= 0x9e3779b1u;
	return (h ^ (h >> 15)) + bpf_ntohs(rev->nat_dport);
}

/* Insert the reply entry (fp->rev, at key fp->rk) on a free source port.
 * Returns 0 and sets fp->fwd.nat_sport, or a reason. */
static __noinline int port_claim(struct flow_pair *fp)
{
	struct xlb_flow *fwd = &fp->fwd;
	struct xlb_flow_key *rk = &fp->rk;
	struct xlb_settings *s;
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
		__u32 r = i ? bpf_get_prandom_u32() : port_first(&fp->rev);
		__be16 port = bpf_htons(lo + r % span);
		long err;

		fwd->nat_sport = port;
		flow_peer_key(rk, fwd);
		err = bpf_map_update_elem(&flows, rk, &fp->rev, BPF_NOEXIST);
		/* A full table answers E2BIG before EEXIST on some kernels
		 * (6.1): a port whose key exists is held, whatever the error. */
		if (err && err != -17 && bpf_map_lookup_elem(&flows, rk))
			err = -17;
		/* Free ports first: a recycled port may still be in TIME_WAIT
		 * on the backend, which then rejects the new SYN (PAWS) and
		 * costs the client a 1 s retransmit. Recycle only after half
		 * the tries found no free one, or once the table is full:
		 * then a closed flow's port and entries are the only room. */
		if (err == -17 /* EEXIST */ &&
		    (i >= XLB_PORT_TRIES / 2 || full) &&
		    !port_recycle(rk, &fp->fk))
			err = bpf_map_update_elem(&flows, rk, &fp->rev,
						  BPF_NOEXIST);
		if (!err)
			return 0;
		/* No room (E2BIG, or ENOMEM): the next candidates may be
		 * closed flows' ports, so a table full of TIME_WAIT flows
		 * still takes new flows of their backends. */
		if (err != -17)
			full = 1;
	}
	return full ? XLB_R_DROP_TABLE_FULL : XLB_R_DROP_NO_PORT;
}

#endif
