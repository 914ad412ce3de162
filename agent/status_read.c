// SPDX-License-Identifier: GPL-2.0
/* `xlb status`: reading the pinned maps (only those, never the agent's
 * memory). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "paths.h"
#include "status_int.h"

#define PIN_ROOT	xlb_pin_root()
#define FLOW_WALK_MAX	(10ull * 1000 * 1000)
#define FLOW_BATCH	4096

#define MAP(n, k, v) { #n, sizeof(k), sizeof(v) }
static const struct {
	const char *name;
	__u32 key_size, value_size;
} map_defs[M_NR] = {
	[M_SERVICES] = MAP(services, struct xlb_svc_key, struct xlb_svc),
	[M_SVC_BACKENDS] = MAP(svc_backends, __u32, __u32),
	[M_BACKENDS] = MAP(backends, __u32, struct xlb_backend),
	[M_BACKEND_CONNS] = MAP(backend_conns, __u32, struct xlb_backend_conns),
	[M_FLOWS] = MAP(flows, struct xlb_flow_key, struct xlb_flow),
	[M_SVC_STATS] = MAP(svc_stats, __u32, struct xlb_traffic),
	[M_BACKEND_STATS] = MAP(backend_stats, __u32, struct xlb_traffic),
	[M_REASONS] = MAP(reasons, __u32, __u64),
	[M_SVC_NAMES] = MAP(svc_names, __u32, struct xlb_svc_name),
	[M_BACKEND_NAMES] = MAP(backend_names, __u32, struct xlb_backend_name),
	[M_SERVER_STATE] = MAP(server_state, __u32, struct xlb_srv_state),
};

_Static_assert(sizeof(struct xlb_traffic) % 8 == 0 &&
	       sizeof(struct xlb_traffic) <= 8 * 8, "per-CPU sum");

int xlb_status_open_maps(struct status *st)
{
	struct bpf_map_info info;
	char path[128];
	__u32 len;
	int i, err;

	for (i = 0; i < M_NR; i++) {
		snprintf(path, sizeof(path), "%s/%s", PIN_ROOT, map_defs[i].name);
		st->fd[i] = bpf_obj_get(path);
		if (st->fd[i] < 0 && i >= M_OPTIONAL && errno == ENOENT)
			continue;
		if (st->fd[i] < 0) {
			err = -errno;
			fprintf(stderr, "xlb: no running xlb: %s: %s\n", path,
				strerror(-err));
			return err;
		}
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(st->fd[i], &info, &len)) {
			err = -errno;
			fprintf(stderr, "xlb: %s: %s\n", path, strerror(-err));
			return err;
		}
		if (i >= M_OPTIONAL &&
		    (info.key_size != map_defs[i].key_size ||
		     info.value_size != map_defs[i].value_size)) {
			close(st->fd[i]);	/* another version's: unused */
			st->fd[i] = -1;
			continue;
		}
		if (info.key_size != map_defs[i].key_size ||
		    info.value_size != map_defs[i].value_size) {
			fprintf(stderr, "xlb: %s: key/value of %u/%u bytes, "
				"expected %u/%u: pinned by another xlb "
				"version?\n", path, info.key_size,
				info.value_size, map_defs[i].key_size,
				map_defs[i].value_size);
			return -EPROTO;
		}
		st->max[i] = info.max_entries;
	}
	return 0;
}

/* Sum a per-CPU value made of __u64 words; zero when the lookup fails. */
void xlb_status_pcpu_sum(const struct status *st, int m, __u32 id, void *out)
{
	size_t size = map_defs[m].value_size, stride = (size + 7) & ~7ul;
	__u64 sum[8] = {}, v;
	size_t c, w;

	if (id < st->max[m] && !bpf_map_lookup_elem(st->fd[m], &id, st->pcpu))
		for (c = 0; c < (size_t)st->ncpu; c++)
			for (w = 0; w < size / 8; w++) {
				memcpy(&v, (char *)st->pcpu + c * stride + w * 8,
				       sizeof(v));
				sum[w] += v;
			}
	memcpy(out, sum, size);
}

/* Zeroes when missing; false then. */
bool xlb_status_lookup(const struct status *st, int m, __u32 id, void *out)
{
	if (st->fd[m] < 0 || id >= st->max[m] ||
	    bpf_map_lookup_elem(st->fd[m], &id, out)) {
		memset(out, 0, map_defs[m].value_size);
		return false;
	}
	return true;
}

static int vip_cmp(const void *a, const void *b)
{
	const struct xlb_svc_key *x = &((const struct vip *)a)->key;
	const struct xlb_svc_key *y = &((const struct vip *)b)->key;
	int d = x->family - y->family;

	if (!d)
		d = memcmp(&x->vip, &y->vip, sizeof(x->vip));
	if (!d)
		d = ntohs(x->port) - ntohs(y->port);
	return d ? d : x->proto - y->proto;
}

int xlb_status_read_vips(struct status *st)
{
	struct xlb_svc_key k, prev;
	struct xlb_svc svc;
	int fd = st->fd[M_SERVICES];
	__u32 n;

	st->vips = calloc(st->max[M_SERVICES], sizeof(*st->vips));
	if (!st->vips)
		return -ENOMEM;
	/* A key deleted under the walk restarts it: bounded by max. */
	for (n = 0; n < st->max[M_SERVICES] &&
	     !bpf_map_get_next_key(fd, n ? &prev : NULL, &k); n++) {
		if (!bpf_map_lookup_elem(fd, &k, &svc)) {
			st->vips[st->nvips].key = k;
			st->vips[st->nvips++].id = svc.id;
		}
		prev = k;
	}
	qsort(st->vips, st->nvips, sizeof(*st->vips), vip_cmp);
	return 0;
}

static void count_flow(struct status *st, const struct xlb_flow *f)
{
	st->entries++;
	if (f->dir != XLB_DIR_FORWARD)
		return;
	st->conns++;
	if (f->state < XLB_STATE_MAX)
		st->by_state[f->state]++;
}

/* Count the flow table by batches (kernel 5.6+): they walk bucket by
 * bucket, where get_next_key restarts from the first key whenever the
 * previous one was deleted meanwhile and counts flows twice. */
int xlb_status_read_flows(struct status *st)
{
	struct xlb_flow_key *keys, in, out;
	struct xlb_flow *vals;
	bool first = true;
	__u32 n, i;
	int err;

	keys = calloc(FLOW_BATCH, sizeof(*keys));
	vals = calloc(FLOW_BATCH, sizeof(*vals));
	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		n = FLOW_BATCH;
		err = bpf_map_lookup_batch(st->fd[M_FLOWS], first ? NULL : &in,
					   &out, keys, vals, &n, NULL) ? -errno : 0;
		if (err && err != -ENOENT) {
			fprintf(stderr, "xlb: %s/flows: %s\n", PIN_ROOT,
				strerror(-err));
			break;
		}
		for (i = 0; i < n && !st->capped; i++) {
			count_flow(st, &vals[i]);
			st->capped = st->entries >= FLOW_WALK_MAX;
		}
		if (err || st->capped) {
			err = 0;
			break;
		}
		in = out;
		first = false;
	}
out:
	free(keys);
	free(vals);
	return err;
}

void xlb_status_read_service(struct status *st, __u32 id)
{
	__u32 k, bid;

	st->id = id;
	xlb_status_pcpu_sum(st, M_SVC_STATS, id, &st->t);
	st->nsrv = 0;
	for (k = 0; k < st->nm.nbackends && k < XLB_MAX_SVC_BACKENDS; k++) {
		struct server *s = &st->srv[st->nsrv];

		if (bpf_map_lookup_elem(st->fd[M_SVC_BACKENDS],
					&(__u32){ id * XLB_MAX_SVC_BACKENDS + k },
					&bid) || bid >= st->max[M_BACKENDS])
			continue;
		xlb_status_lookup(st, M_BACKENDS, bid, &s->be);
		xlb_status_lookup(st, M_BACKEND_NAMES, bid, &s->nm);
		xlb_status_lookup(st, M_BACKEND_CONNS, bid, &s->conns);
		xlb_status_pcpu_sum(st, M_BACKEND_STATS, bid, &s->t);
		s->has_ss = xlb_status_lookup(st, M_SERVER_STATE, bid, &s->ss) &&
			    s->ss.in_use;
		st->nsrv++;
	}
}
