/* SPDX-License-Identifier: GPL-2.0 */
/* Remembering a first fragment's datagram for the fragments that follow
 * it (the policy is in frag.h). */
#ifndef XLB_BPF_FRAG_TRACK_H
#define XLB_BPF_FRAG_TRACK_H

#include "conntrack.h"

/* The entry under construction, in per-CPU memory: the verifier's 512
 * bytes of stack hold the deepest call chain, and this one is deep. */
struct frag_scratch {
	struct xlb_frag_key k;
	struct xlb_frag v;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct frag_scratch);
} frag_scratch SEC(".maps");

/* A first fragment went on as a packet of the flow at key (its key as it
 * arrived, either direction): its datagram's later fragments follow it.
 * Called after the verdict, before the program returns, so the packet is
 * not yet sent; a fragment that did not go on leaves no entry, and its
 * followers go to the kernel with it. */
static __noinline void frag_remember(const struct pkt *p,
				     const struct xlb_flow_key *key)
{
	struct frag_scratch *s;
	__u32 zero = 0;

	s = bpf_map_lookup_elem(&frag_scratch, &zero);
	if (!s)
		return;
	__builtin_memset(&s->k, 0, sizeof(s->k));
	s->k.src = key->src;
	s->k.dst = key->dst;
	s->k.id = p->frag_id;
	s->k.proto = p->frag_proto;
	s->k.family = key->family;
	s->v.flow = *key;
	s->v.created_ns = bpf_ktime_get_ns();
	if (!bpf_map_update_elem(&frags, &s->k, &s->v, BPF_ANY))
		count_reason(XLB_R_FRAG_FIRST);
}

#endif
