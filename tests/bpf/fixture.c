// SPDX-License-Identifier: GPL-2.0
/* Loading the real objects and driving their maps for the fixture tests. */
#define _GNU_SOURCE		/* program_invocation_short_name */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb.skel.h"
#include "xlb_gc.skel.h"
#include "xlb_config_map.h"
#include "xlb_limits.h"
#include "gc.h"
#include "maps.h"
#include "fixture.h"
#include "loadobj.h"

int fx_open_sized(struct fx *f, int ifindex, __u32 flows)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	const char *me = program_invocation_short_name;
	struct xlb_settings st;
	char dir[64];
	__u32 zero = 0, ifx = ifindex;
	int err;

	memset(f, 0, sizeof(*f));
	f->ifindex = ifindex;
	lo_libbpf_quiet();
	f->ncpus = libbpf_num_possible_cpus();
	if (f->ncpus <= 0)
		return -EINVAL;
	err = lo_if_mac(ifindex, f->lb_mac);
	if (err) {
		fprintf(stderr, "%s: ifindex %d: cannot read its MAC: %s\n",
			me, ifindex, strerror(-err));
		return err;
	}
	snprintf(dir, sizeof(dir), FX_PIN_FMT, (int)getpid());
	err = lo_pins_open(dir);
	if (err)
		return err;
	oo.pin_root_path = lo_pins_dir();

	f->gc = xlb_gc_bpf__open_opts(&oo);
	if (!f->gc)
		return fprintf(stderr, "%s: cannot open xlb_gc\n", me), -EINVAL;
	lo_pins_note(f->gc->obj);
	bpf_map__set_max_entries(f->gc->maps.flows, flows);
	err = xlb_gc_bpf__load(f->gc);
	if (err)
		return fprintf(stderr, "%s: cannot load xlb_gc: %s\n", me,
			       strerror(-err)), err;
	f->lb = xlb_bpf__open_opts(&oo);
	if (!f->lb)
		return fprintf(stderr, "%s: cannot open xlb\n", me), -EINVAL;
	lo_pins_note(f->lb->obj);
	/* As agent/loader.c does: the kernel adds BPF_F_RDONLY_PROG to a
	 * devmap, so libbpf's pinned-map check refuses to reuse it by pin;
	 * share it by fd. */
	bpf_map__set_pin_path(f->lb->maps.tx_ports, NULL);
	err = bpf_map__reuse_fd(f->lb->maps.tx_ports,
				bpf_map__fd(f->gc->maps.tx_ports));
	if (err)
		return fprintf(stderr, "%s: cannot share tx_ports: %s\n", me,
			       strerror(-err)), err;
	bpf_map__set_max_entries(f->lb->maps.flows, flows);
	err = xlb_bpf__load(f->lb);
	if (err)
		return fprintf(stderr, "%s: cannot load xlb: %s\n", me,
			       strerror(-err)), err;

	f->prog = bpf_program__fd(f->lb->progs.xlb_xdp);
	f->gc_prog = bpf_program__fd(f->gc->progs.xlb_gc);
	/* The xlb object's fds: they must be the very maps the gc object
	 * pinned, which the first map update through the other side shows. */
	f->services = bpf_map__fd(f->lb->maps.services);
	f->svc_backends = bpf_map__fd(f->lb->maps.svc_backends);
	f->svc_cursor = bpf_map__fd(f->lb->maps.svc_cursor);
	f->backends = bpf_map__fd(f->lb->maps.backends);
	f->conns = bpf_map__fd(f->lb->maps.backend_conns);
	f->flows = bpf_map__fd(f->gc->maps.flows);
	f->reasons = bpf_map__fd(f->lb->maps.reasons);
	f->tx_ports = bpf_map__fd(f->lb->maps.tx_ports);
	f->settings = bpf_map__fd(f->gc->maps.settings);
	f->syn_bucket = bpf_map__fd(f->lb->maps.syn_bucket);

	xlb_settings_defaults(&st);
	if (bpf_map_update_elem(f->settings, &zero, &st, BPF_ANY) ||
	    bpf_map_update_elem(f->tx_ports, &ifx, &ifx, BPF_ANY)) {
		err = -errno;
		fprintf(stderr, "%s: cannot write settings/tx_ports: %s\n", me,
			strerror(errno));
		return err;
	}
	return 0;
}

int fx_open(struct fx *f, int ifindex)
{
	return fx_open_sized(f, ifindex, FX_MAX_FLOWS);
}

void fx_close(struct fx *f)
{
	xlb_bpf__destroy(f->lb);
	xlb_gc_bpf__destroy(f->gc);
	f->lb = NULL;
	f->gc = NULL;
	lo_pins_remove();
}

/* net.<family>.conf.<the interface>.forwarding = on. */
static int set_forwarding(struct fx *f, const char *family, int on)
{
	char name[IF_NAMESIZE], path[128];
	FILE *fp;
	int err = 0;

	if (!if_indextoname(f->ifindex, name))
		return -errno;
	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/forwarding",
		 family, name);
	fp = fopen(path, "w");
	if (!fp)
		return -errno;
	if (fprintf(fp, "%d\n", !!on) < 0)
		err = -EIO;
	if (fclose(fp) && !err)
		err = -errno;
	return err;
}

int fx_set_forwarding(struct fx *f, int on)
{
	return set_forwarding(f, "ipv4", on);
}

int fx_set_forwarding6(struct fx *f, int on)
{
	return set_forwarding(f, "ipv6", on);
}

void fx_key4(struct xlb_flow_key *k, __u32 src, __u32 dst, __u16 sport,
	     __u16 dport, __u8 proto)
{
	memset(k, 0, sizeof(*k));
	k->src.a[0] = htonl(src);
	k->dst.a[0] = htonl(dst);
	k->sport = htons(sport);
	k->dport = htons(dport);
	k->proto = proto;
	k->family = XLB_AF_INET;
}

static int delete_all(int fd, size_t ksz)
{
	unsigned char key[128], next[128];
	void *prev = NULL;
	int n = 0;

	/* Restart from the top after each delete: iteration order changes. */
	while (!bpf_map_get_next_key(fd, prev, next)) {
		memcpy(key, next, ksz);
		if (bpf_map_delete_elem(fd, key))
			return -errno;
		n++;
	}
	return n;
}

int fx_reset(struct fx *f)
{
	struct xlb_backend_conns zc = {};
	struct xlb_svc_cursor zcur = {};
	struct xlb_backend zb = {};
	struct xlb_settings st;
	void *zbucket;
	__u32 i, zero = 0;
	int err;

	if (delete_all(f->flows, sizeof(struct xlb_flow_key)) < 0 ||
	    delete_all(f->services, sizeof(struct xlb_svc_key)) < 0)
		return -errno;
	for (i = 0; i < FX_NBACKENDS; i++)
		if (bpf_map_update_elem(f->conns, &i, &zc, BPF_ANY) ||
		    bpf_map_update_elem(f->backends, &i, &zb, BPF_ANY))
			return -errno;
	for (i = 0; i < FX_NSERVICES; i++)
		if (bpf_map_update_elem(f->svc_cursor, &i, &zcur, BPF_ANY))
			return -errno;
	xlb_settings_defaults(&st);
	err = fx_settings(f, &st);
	if (err)
		return err;
	/* Per-CPU values: rounded up to 8 bytes each. */
	zbucket = calloc(f->ncpus,
			 (bpf_map__value_size(f->lb->maps.syn_bucket) + 7) & ~7u);
	if (!zbucket)
		return -ENOMEM;
	if (bpf_map_update_elem(f->syn_bucket, &zero, zbucket, BPF_ANY))
		err = -errno;
	free(zbucket);
	return err;
}

int fx_settings(struct fx *f, const struct xlb_settings *s)
{
	__u32 zero = 0;

	return bpf_map_update_elem(f->settings, &zero, s, BPF_ANY) ? -errno : 0;
}

int fx_backend(struct fx *f, __u32 id, __u32 ip, __u16 port, __u32 weight,
	       __u32 flags)
{
	struct xlb_backend b = {
		.port = htons(port), .family = XLB_AF_INET, .weight = weight,
		.flags = flags, .ifindex = f->ifindex,
	};

	b.addr.a[0] = htonl(ip);
	b.src.a[0] = htonl(IP4(10, 0, 0, 1));
	return bpf_map_update_elem(f->backends, &id, &b, BPF_ANY) ? -errno : 0;
}

int fx_service(struct fx *f, __u32 id, __u32 vip, __u16 port, __u8 proto,
	       __u32 algo, const __u32 *bids, __u32 n)
{
	struct xlb_svc_key k = {
		.port = htons(port), .proto = proto, .family = XLB_AF_INET,
	};
	struct xlb_svc s = { .id = id, .nbackends = n, .algo = algo };
	__u32 i, slot;

	k.vip.a[0] = htonl(vip);
	for (i = 0; i < n; i++) {
		slot = id * XLB_MAX_SVC_BACKENDS + i;
		if (bpf_map_update_elem(f->svc_backends, &slot, &bids[i], BPF_ANY))
			return -errno;
	}
	return bpf_map_update_elem(f->services, &k, &s, BPF_ANY) ? -errno : 0;
}

int fx_get_service(struct fx *f, __u32 vip, __u16 port, __u8 proto,
		   struct xlb_svc *s)
{
	struct xlb_svc_key k = {
		.port = htons(port), .proto = proto, .family = XLB_AF_INET,
	};

	k.vip.a[0] = htonl(vip);
	return bpf_map_lookup_elem(f->services, &k, s) ? -errno : 0;
}

__u32 fx_svc_slot(struct fx *f, __u32 svc, __u32 slot)
{
	__u32 key = svc * XLB_MAX_SVC_BACKENDS + slot, bid = ~0u;

	bpf_map_lookup_elem(f->svc_backends, &key, &bid);
	return bid;
}

int fx_get_backend(struct fx *f, __u32 id, struct xlb_backend *b)
{
	return bpf_map_lookup_elem(f->backends, &id, b) ? -errno : 0;
}

int fx_set_maxconn(struct fx *f, __u32 id, __u32 maxconn)
{
	struct xlb_backend b;

	if (bpf_map_lookup_elem(f->backends, &id, &b))
		return -errno;
	b.maxconn = maxconn;
	return bpf_map_update_elem(f->backends, &id, &b, BPF_ANY) ? -errno : 0;
}

int fx_set_conns(struct fx *f, __u32 bid, __s64 active)
{
	struct xlb_backend_conns c = { .active = active };

	return bpf_map_update_elem(f->conns, &bid, &c, BPF_ANY) ? -errno : 0;
}

__s64 fx_conns(struct fx *f, __u32 bid)
{
	struct xlb_backend_conns c = { .active = -12345 };

	bpf_map_lookup_elem(f->conns, &bid, &c);
	return c.active;
}

__s64 fx_half_open(struct fx *f, __u32 bid)
{
	struct xlb_backend_conns c = { .half_open = -12345 };

	bpf_map_lookup_elem(f->conns, &bid, &c);
	return c.half_open;
}

int fx_set_cursor(struct fx *f, __u32 svc, __u32 next)
{
	struct xlb_svc_cursor c = { .next = next };

	return bpf_map_update_elem(f->svc_cursor, &svc, &c, BPF_ANY) ? -errno : 0;
}

__u32 fx_cursor(struct fx *f, __u32 svc)
{
	struct xlb_svc_cursor c = {};

	bpf_map_lookup_elem(f->svc_cursor, &svc, &c);
	return c.next;
}

int fx_reasons(struct fx *f, __u64 out[XLB_R_MAX])
{
	__u64 v[256];
	__u32 r;
	int c;

	if (f->ncpus > 256)
		return -E2BIG;
	for (r = 0; r < XLB_R_MAX; r++) {
		out[r] = 0;
		if (bpf_map_lookup_elem(f->reasons, &r, v))
			return -errno;
		for (c = 0; c < f->ncpus; c++)
			out[r] += v[c];
	}
	return 0;
}

static int cmp_flow(const void *a, const void *b)
{
	return memcmp(&((const struct fx_flow *)a)->k,
		      &((const struct fx_flow *)b)->k, sizeof(struct xlb_flow_key));
}

int fx_dump_flows(struct fx *f, struct fx_dump *d)
{
	struct xlb_flow_key k, *prev = NULL;

	d->n = 0;
	while (!bpf_map_get_next_key(f->flows, prev, &k)) {
		if (d->n == FX_MAX_FLOWS)
			return -E2BIG;
		d->e[d->n].k = k;
		if (bpf_map_lookup_elem(f->flows, &k, &d->e[d->n].v))
			return -errno;
		prev = &d->e[d->n].k;
		d->n++;
	}
	qsort(d->e, d->n, sizeof(d->e[0]), cmp_flow);
	return 0;
}

const struct fx_flow *fx_find(const struct fx_dump *d,
			      const struct xlb_flow_key *k)
{
	struct fx_flow key = { .k = *k };

	return bsearch(&key, d->e, d->n, sizeof(d->e[0]), cmp_flow);
}

int fx_run(struct fx *f, const struct pkt_buf *in, struct pkt_buf *out,
	   __u32 *action)
{
	struct xdp_md ctx = {
		.data_end = in->len, .ingress_ifindex = f->ifindex,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in->d,
		    .data_size_in = in->len, .data_out = out->d,
		    .data_size_out = sizeof(out->d), .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = 1);

	memset(out, 0, sizeof(*out));
	if (bpf_prog_test_run_opts(f->prog, &o))
		return -errno;
	out->len = o.data_size_out;
	*action = o.retval;
	return 0;
}

int fx_gc(struct fx *f, __u64 advance_ns, struct xlb_gc_result *r)
{
	return xlb_gc_run(f->gc_prog, advance_ns, r);
}

int fx_gc_kill(struct fx *f, __u32 bid, struct xlb_gc_result *r)
{
	struct xlb_gc_args args = { .kill = 1, .kill_backend = bid }, out = {};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = &args,
		    .data_size_in = sizeof(args), .data_out = &out,
		    .data_size_out = sizeof(out), .repeat = 1);

	if (bpf_prog_test_run_opts(f->gc_prog, &o))
		return -errno;
	if (o.retval != XDP_PASS)
		return -EIO;
	*r = out.result;
	return 0;
}
