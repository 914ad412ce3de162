/* SPDX-License-Identifier: GPL-2.0 */
/* Choosing a backend for a new flow: weighted least-connection (exact scan,
 * integers only), weighted round robin, and random(N) (the least loaded of
 * N servers drawn by weight), over one service's pool. The scans run under
 * bpf_loop() so the verifier checks one iteration, not 256. */
#ifndef XLB_BPF_SELECT_H
#define XLB_BPF_SELECT_H

#include "maps.h"

static __always_inline const struct xlb_backend *
slot_backend(__u32 svc_id, __u32 idx, __u32 *bid)
{
	__u32 key = svc_id * XLB_MAX_SVC_BACKENDS + idx;
	const struct xlb_backend *be;
	__u32 *id = bpf_map_lookup_elem(&svc_backends, &key);

	if (!id)
		return 0;
	*bid = *id;
	be = bpf_map_lookup_elem(&backends, bid);
	if (!be || !(be->flags & XLB_BACKEND_UP) || be->weight == 0)
		return 0;
	return be;
}

/* Round robin's position, advanced atomically by every new flow. */
static __always_inline __u32 svc_next(__u32 svc_id)
{
	struct xlb_svc_cursor *c = bpf_map_lookup_elem(&svc_cursor, &svc_id);

	return c ? __sync_fetch_and_add(&c->next, 1) : 0;
}

/* Least-connection's scan starts just after the slot it chose last, so
 * equal backends take turns, and a backend that is down does not hand its
 * turn to its neighbour (a start that merely advanced by one would give
 * the next slot two turns in three). */
static __always_inline __u32 svc_start(__u32 svc_id)
{
	struct xlb_svc_cursor *c = bpf_map_lookup_elem(&svc_cursor, &svc_id);

	return c ? c->next : 0;
}

static __always_inline void svc_chose(__u32 svc_id, __u32 slot)
{
	struct xlb_svc_cursor *c = bpf_map_lookup_elem(&svc_cursor, &svc_id);

	if (c)
		c->next = slot + 1;
}

struct scan {
	__u32 svc;
	__u32 n;
	__u32 start;
	__u32 found;
	__u32 best;
	__u32 best_slot;
	__u32 pos;		/* round robin: the weight position sought */
	__u64 best_load;
	__u64 best_w;
	__u64 acc;		/* round robin: weights summed so far */
	__u32 backup_found;	/* the first available backup server, in */
	__u32 backup_slot;	/* pool order (HAProxy without allbackups) */
	__u32 backup;
	__u32 wmax;		/* leastconn scan: largest active weight seen
				 * (random's reference, see struct rnd) */
};

/* Active count of bid, or -1 when it is at its maxconn. The load
 * least-connection compares is this count: established + half-open flows
 * (struct xlb_backend_conns), every connection handed out, as HAProxy
 * counts; a flood's half-open flows are kept out of it by the expiry
 * program (short half-open timeout) and the SYN rate guard, not by
 * weighting them less. */
static __always_inline __s64 active_of(const struct xlb_backend *be, __u32 bid)
{
	struct xlb_backend_conns *c = bpf_map_lookup_elem(&backend_conns, &bid);
	__s64 a;

	if (!c)
		return -1;
	a = c->active > 0 ? c->active : 0;
	if (be->maxconn && a >= be->maxconn)
		return -1;
	return a;
}

/* Backups are only remembered: used when no active server is available. */
static __always_inline int note_backup(struct scan *s,
				       const struct xlb_backend *be,
				       __u32 bid, __u32 idx)
{
	if (!(be->flags & XLB_BACKEND_BACKUP))
		return 0;
	/* No "found yet" flag in the test: 6.1's verifier checks a bpf_loop
	 * callback once, with the caller's initial values, and would prune
	 * the comparison as dead code. backup_slot starts at ~0. */
	if (active_of(be, bid) >= 0 && idx < s->backup_slot) {
		s->backup_found = 1;
		s->backup_slot = idx;
		s->backup = bid;
	}
	return 1;
}

/* Keep bid if its (active + 1) / weight is strictly below the best so
 * far, compared by cross-multiplication; the +1 makes an idle heavy
 * server win over an idle light one, as HAProxy does. best starts as an
 * impossible load (see note_backup on why no "found" flag): any real
 * backend is better. */
static __always_inline void consider(struct scan *s,
				     const struct xlb_backend *be, __u32 bid,
				     __u32 idx, __s64 active)
{
	__u64 load = (__u64)active + 1;

	if (load * s->best_w < s->best_load * be->weight) {
		s->best_load = load;
		s->best_w = be->weight;
		s->best = bid;
		s->best_slot = idx;
		s->found = 1;
	}
}

/* Least-connection: the minimum over the whole pool. The scan starts at a
 * rotating slot and only a strictly better backend replaces the best so
 * far, so equal backends take turns. */
static long leastconn_step(__u32 k, void *arg)
{
	struct scan *s = arg;
	const struct xlb_backend *be;
	__u32 idx = s->start + k, bid;
	__s64 active;

	if (idx >= s->n)
		idx -= s->n;
	be = slot_backend(s->svc, idx, &bid);
	if (!be || note_backup(s, be, bid, idx))
		return 0;
	if (be->weight > s->wmax)
		s->wmax = be->weight;
	active = active_of(be, bid);
	if (active < 0)
		return 0;
	consider(s, be, bid, idx, active);
	return 0;
}

/* random(N), HAProxy's `balance random(N)`: N servers drawn at random,
 * the least loaded of them by the same (active + 1) / weight as
 * leastconn. Cost O(N) instead of O(pool).
 *
 * Weights: each draw picks a slot uniformly and accepts it with
 * probability weight / wmax (rejection sampling), so a server is drawn in
 * proportion to its weight, as HAProxy's random draws on its weighted
 * ring; random(1) is plain weighted random. (Uniform draws compared by
 * load / weight alone would cap a heavy server at the share of flows it
 * is drawn in, about N / pool size, whatever its weight.)
 *
 * wmax, the largest weight among the service's active servers, is kept
 * per CPU by the data path itself: any server drawn heavier than it raises
 * it at once, and every full scan sets it. A reference above the true
 * largest weight keeps the draws exact and only costs rejections; when
 * those use up the tries, the full scan runs and puts it right. 0 (not
 * known yet, or no active server) means: scan. */
struct rnd {
	__u32 wmax;		/* kept from one new flow to the next */
	__u32 draws;		/* this selection: N, */
	__u32 taken;		/* draws accepted so far, */
	__u32 pad;
	struct scan s;		/* and the best of them */
};

/* Per CPU, per service id. In a map rather than in the caller's stack so
 * that the draw callback's every test depends on values the verifier
 * cannot know:
 * 6.1 checks a bpf_loop callback once, with the caller's values, and would
 * hard-wire tests on a stack struct's initial constants (note_backup).
 * Not pinned: a cache each loaded program builds for itself. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XLB_MAX_SERVICES);
	__type(key, __u32);
	__type(value, struct rnd);
} svc_rnd SEC(".maps");

/* Candidates picked per draw before giving up on it: with every server UP
 * and equal weights the first is always taken; the budget only runs out
 * when most of the pool is down, backup, full or much lighter than wmax. */
#define XLB_RANDOM_TRIES	4

/* bpf_loop() takes a stack pointer: the caller's scan, for its service
 * id only (no stack of its own to hold a pointer: the deepest call chain
 * is near the verifier's 512 bytes). */
static long random_step(__u32 k, void *arg)
{
	struct rnd *d = bpf_map_lookup_elem(&svc_rnd, &((struct scan *)arg)->svc);
	const struct xlb_backend *be;
	__u32 r = bpf_get_prandom_u32(), bid, idx;
	__s64 active;

	if (!d)
		return 1;

	/* Low 16 bits: the slot; high 16: the weight test. Once a draw is
	 * kept, the next come from the other n - 1 slots: the best so far
	 * is never drawn twice, so random(2) always compares two servers
	 * (with N > 2 a server that lost may be drawn again). */
	if (d->s.found) {
		idx = d->s.best_slot + 1 + (((r & 0xffff) * (d->s.n - 1)) >> 16);
		if (idx >= d->s.n)
			idx -= d->s.n;
	} else {
		idx = ((r & 0xffff) * d->s.n) >> 16;
	}
	be = slot_backend(d->s.svc, idx, &bid);
	if (!be || (be->flags & XLB_BACKEND_BACKUP))
		return 0;
	if (be->weight > d->wmax)
		d->wmax = be->weight;
	else if ((__u64)(r >> 16) * d->wmax >= (__u64)be->weight << 16)
		return 0;
	active = active_of(be, bid);
	if (active < 0)
		return 0;
	consider(&d->s, be, bid, idx, active);
	return ++d->taken >= d->draws;
}

/* 1 and *out set, or 0: no draw found an available active server (or the
 * pool is no larger than N, where every server would be drawn, or wmax is
 * not known yet); the caller then runs the exact scan, which also applies
 * the backup rule and finds the up servers of a mostly-down pool. */
static __always_inline int random_pick(const struct xlb_svc *svc,
				       struct scan *s, __u32 *out)
{
	__u32 draws = svc->draws ? svc->draws : XLB_RANDOM_DEFAULT_DRAWS;
	struct rnd *d;

	if (draws > XLB_RANDOM_MAX_DRAWS)
		draws = XLB_RANDOM_MAX_DRAWS;
	if (s->n <= draws)
		return 0;
	d = bpf_map_lookup_elem(&svc_rnd, &s->svc);
	if (!d || !d->wmax)
		return 0;
	d->draws = draws;
	d->taken = 0;
	d->s = (struct scan){ .svc = s->svc, .n = s->n,
			      .best_load = 1ull << 40, .best_w = 1 };
	bpf_loop(draws * XLB_RANDOM_TRIES, random_step, s, 0);
	if (!d->s.found)
		return 0;
	*out = d->s.best;
	return 1;
}

/* After a full scan of a random service: its largest active weight. */
static __always_inline void wmax_learnt(__u32 svc_id, __u32 wmax)
{
	struct rnd *d = bpf_map_lookup_elem(&svc_rnd, &svc_id);

	if (d)
		d->wmax = wmax;
}

/* Round robin counts in configured-weight units (map weights carry a
 * x16 scale for slowstart), so weights 1:2:3 repeat every 6 flows. */
static __always_inline __u64 rr_units(const struct xlb_backend *be)
{
	return (be->weight + XLB_WEIGHT_SCALE - 1) / XLB_WEIGHT_SCALE;
}

static long weight_sum_step(__u32 k, void *arg)
{
	struct scan *s = arg;
	const struct xlb_backend *be;
	__u32 bid;

	be = slot_backend(s->svc, k, &bid);
	if (be && !note_backup(s, be, bid, k) && active_of(be, bid) >= 0)
		s->acc += rr_units(be);
	return 0;
}

static long roundrobin_step(__u32 k, void *arg)
{
	struct scan *s = arg;
	const struct xlb_backend *be;
	__u32 bid;

	be = slot_backend(s->svc, k, &bid);
	if (!be || (be->flags & XLB_BACKEND_BACKUP) || active_of(be, bid) < 0)
		return 0;
	s->acc += rr_units(be);
	if (s->pos < s->acc) {
		s->best = bid;
		s->found = 1;
		return 1;
	}
	return 0;
}

static __always_inline int select_backend(const struct xlb_svc *svc,
					  __u32 *out)
{
	struct scan s = { .svc = svc->id, .n = svc->nbackends,
			  .best_load = 1ull << 40, .best_w = 1,
			  .backup_slot = ~0u };

	if (s.n == 0 || s.n > XLB_MAX_SVC_BACKENDS)
		return -1;
	if (svc->algo == XLB_ALGO_ROUNDROBIN) {
		/* Weighted round robin: position = cursor mod the total
		 * weight of the available backends, then walk to it. */
		bpf_loop(s.n, weight_sum_step, &s, 0);
		if (s.acc) {
			s.pos = svc_next(svc->id) % (__u32)s.acc;
			s.acc = 0;
			bpf_loop(s.n, roundrobin_step, &s, 0);
		}
	} else if (svc->algo == XLB_ALGO_RANDOM && random_pick(svc, &s, out)) {
		return 0;
	} else {
		/* Leastconn, or random's fallback, through this one
		 * bpf_loop() call: were there two, clang could merge them
		 * into one call fed two callbacks, which the verifier does
		 * not inline (each step an indirect call: 2x at 256). */
		s.start = svc_start(svc->id) % s.n;
		bpf_loop(s.n, leastconn_step, &s, 0);
		if (s.found)
			svc_chose(svc->id, s.best_slot);
		if (svc->algo == XLB_ALGO_RANDOM)
			wmax_learnt(svc->id, s.wmax);
	}
	if (s.found) {
		*out = s.best;
		return 0;
	}
	if (s.backup_found) {
		*out = s.backup;
		return 0;
	}
	return -1;
}

#endif
