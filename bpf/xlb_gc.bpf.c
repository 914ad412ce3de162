// SPDX-License-Identifier: GPL-2.0
/* Idle-flow expiry, run by the agent through BPF_PROG_TEST_RUN. It lives in
 * BPF so that it gives a flow's count back with the same atomic exchange as
 * the data path: whichever side closes the flow first decrements, once. */
#include "conntrack.h"
#include "xlb_gc.h"

struct bpf_map;

struct gc_ctx {
	__u64 now;
	__u32 kill;
	__u32 kill_backend;
	__u64 timeout_ns[XLB_STATE_MAX];
	__u64 half_open_ns;	/* a flooded backend's half-open flows */
	__u64 longest_ns;
	struct xlb_gc_result r;
};

/* Which backends look flooded, decided once at the start of a pass from
 * their counts: more than XLB_HALF_OPEN_FLOOR half-open flows, and more
 * than 1/XLB_HALF_OPEN_SHARE of the backend's active count (handshakes
 * that never complete: a SYN flood). Their half-open flows (SYN_SENT,
 * SYN_RECV) get the short half-open timeout, so that a flood cannot hold
 * a large part of the backend's least-connection load for long; a normal
 * handshake lasts a round trip, and keeps IPVS's timeouts. */
static __u8 flooded[XLB_MAX_BACKENDS];

static long flood_step(__u32 i, void *arg)
{
	struct xlb_backend_conns *c;
	__u32 bid = i;

	if (i >= XLB_MAX_BACKENDS)
		return 1;
	c = bpf_map_lookup_elem(&backend_conns, &bid);
	flooded[i] = c && c->half_open > XLB_HALF_OPEN_FLOOR &&
		     c->half_open * XLB_HALF_OPEN_SHARE > c->active;
	return 0;
}

/* Idle timeout of a flow in state. */
static __always_inline __u64 idle_timeout(const struct gc_ctx *g,
					  const struct xlb_flow *f, __u8 state)
{
	__u32 bid = f->backend;
	__u64 t = g->timeout_ns[state];

	if ((state == XLB_TCP_SYN_SENT || state == XLB_TCP_SYN_RECV) &&
	    g->half_open_ns && g->half_open_ns < t &&
	    bid < XLB_MAX_BACKENDS && flooded[bid])
		return g->half_open_ns;
	return t;
}

static long gc_one(struct bpf_map *map, struct xlb_flow_key *key,
		   struct xlb_flow *f, struct gc_ctx *g)
{
	struct xlb_flow_key pk;
	struct xlb_flow *peer;
	__u64 last = f->last_seen_ns;
	__u8 state;

	g->r.scanned++;
	flow_peer_key(&pk, f);
	peer = bpf_map_lookup_elem(&flows, &pk);
	if (f->dir != XLB_DIR_FORWARD) {
		/* Reply entries go with their forward entry; one whose
		 * forward entry vanished (a race with recycling) is removed
		 * once it is older than any timeout. */
		if (!peer && g->now - last > g->longest_ns)
			bpf_map_delete_elem(&flows, key);
		return 0;
	}
	if (g->kill && f->backend == g->kill_backend &&
	    !(f->events & XLB_EV_KILLED)) {
		if (flow_release(f))
			g->r.killed++;
		if (f->proto != IPPROTO_TCP) {
			/* UDP has no reset: forget the flow, so the next
			 * datagram starts a new one on a live server. */
			if (peer)
				bpf_map_delete_elem(&flows, &pk);
			bpf_map_delete_elem(&flows, key);
			g->r.removed++;
			return 0;
		}
		/* TCP: both entries stay until the CLOSE timeout, answering
		 * each packet with a RST so that both ends learn of it. */
		__sync_fetch_and_or(&f->events, XLB_EV_KILLED | XLB_EV_RST);
		f->state = XLB_TCP_CLOSE;
		if (peer)
			__sync_fetch_and_or(&peer->events, XLB_EV_KILLED);
		f->last_seen_ns = g->now;
		return 0;
	}
	if (peer && peer->last_seen_ns > last)
		last = peer->last_seen_ns;
	state = flow_state_of(f->proto, f->events);
	if (state >= XLB_STATE_MAX)
		return 0;
	if (g->now < last || g->now - last <= idle_timeout(g, f, state))
		return 0;
	if (flow_release(f)) {
		g->r.expired++;
		count_reason(XLB_R_FLOW_EXPIRED);
	}
	if (peer)
		bpf_map_delete_elem(&flows, &pk);
	bpf_map_delete_elem(&flows, key);
	g->r.removed++;
	return 0;
}

SEC("xdp")
int xlb_gc(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct xlb_gc_args *args = data;
	struct xlb_settings *s;
	struct gc_ctx g = {};
	__u32 zero = 0, i;

	s = bpf_map_lookup_elem(&settings, &zero);
	if (!s)
		return XDP_ABORTED;
	g.now = bpf_ktime_get_ns();
	if ((void *)(args + 1) > end)
		return XDP_ABORTED;
	g.now += args->advance_ns;
	g.kill = args->kill;
	g.kill_backend = args->kill_backend;
	g.half_open_ns = (__u64)s->half_open_timeout_s * 1000000000ull;
	for (i = 0; i < XLB_STATE_MAX; i++) {
		g.timeout_ns[i] = (__u64)s->timeout_s[i] * 1000000000ull;
		if (g.timeout_ns[i] > g.longest_ns)
			g.longest_ns = g.timeout_ns[i];
	}
	if (g.half_open_ns)
		bpf_loop(XLB_MAX_BACKENDS, flood_step, NULL, 0);
	bpf_for_each_map_elem(&flows, gc_one, &g, 0);
	args = (void *)(long)ctx->data;
	if ((void *)(args + 1) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	args->result = g.r;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
