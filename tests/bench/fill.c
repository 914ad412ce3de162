// SPDX-License-Identifier: GPL-2.0
/* Benchmark only: synthetic established flows, batched into a flows map. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include "bench_layout.h"
#include "fill.h"

#define FILL_CHUNK 8192		/* flows per batch (2 entries each) */

__u64 fill_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void key4(struct xlb_flow_key *k, __u32 src, __u32 dst, __u16 sport,
		 __u16 dport)
{
	memset(k, 0, sizeof(*k));
	k->src.a[0] = htonl(src);
	k->dst.a[0] = htonl(dst);
	k->sport = htons(sport);
	k->dport = htons(dport);
	k->proto = IPPROTO_TCP;
	k->family = XLB_AF_INET;
}

void fill_pair(const struct fill_env *e, __u32 i, struct xlb_flow_key *fk,
	       struct xlb_flow *fv, struct xlb_flow_key *rk,
	       struct xlb_flow *rv)
{
	__u32 b = bl_fill_backend(i);
	__u32 cip = bl_client_ip(BL_CLIENT_IP0, i), bip = bl_be_ip(b);
	__u16 cport = bl_client_port(i), bport = bl_fill_be_port(b);
	__u16 nport = bl_nat_port(i);

	key4(fk, cip, BL_LB_IP, cport, BL_VPORT);
	key4(rk, bip, BL_LB_IP, bport, nport);
	memset(fv, 0, sizeof(*fv));
	fv->nat_src.a[0] = htonl(BL_LB_IP);
	fv->nat_dst.a[0] = htonl(bip);
	fv->nat_sport = htons(nport);
	fv->nat_dport = htons(bport);
	fv->backend = BL_FILL_BID0 + b;
	fv->svc = 0;
	fv->ifindex = e->ifindex;
	fv->dir = XLB_DIR_FORWARD;
	fv->state = XLB_TCP_ESTABLISHED;
	fv->family = XLB_AF_INET;
	fv->proto = IPPROTO_TCP;
	fv->events = XLB_EV_SYNACK | XLB_EV_ACK;
	fv->counted = XLB_COUNT_OPEN;	/* established: active, not half-open */
	fv->created_ns = fv->last_seen_ns = e->now_ns;

	*rv = *fv;
	rv->nat_src.a[0] = htonl(BL_LB_IP);
	rv->nat_dst.a[0] = htonl(cip);
	rv->nat_sport = htons(BL_VPORT);
	rv->nat_dport = htons(cport);
	rv->dir = XLB_DIR_REPLY;
	rv->events = 0;
	rv->counted = 0;
	memcpy(rv->client_mac, e->gw_mac, 6);
	memcpy(rv->local_mac, e->lb_mac, 6);
}

int fill_flows(int fd, const struct fill_env *e, __u32 first, __u32 n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, o);	/* BPF_ANY: batches take no other flag */
	struct xlb_flow_key *k;
	struct xlb_flow *v;
	__u32 done = 0, cnt, j;
	int err = 0;

	k = calloc(2 * FILL_CHUNK, sizeof(*k));
	v = calloc(2 * FILL_CHUNK, sizeof(*v));
	if (!k || !v) {
		err = -ENOMEM;
		goto out;
	}
	while (done < n) {
		cnt = n - done < FILL_CHUNK ? n - done : FILL_CHUNK;
		for (j = 0; j < cnt; j++)
			fill_pair(e, first + done + j, &k[2 * j], &v[2 * j],
				  &k[2 * j + 1], &v[2 * j + 1]);
		cnt *= 2;
		if (bpf_map_update_batch(fd, k, v, &cnt, &o)) {
			err = -errno;
			fprintf(stderr, "bench: flows: batch update at flow %u: "
				"%s\n", first + done, strerror(errno));
			goto out;
		}
		done += cnt / 2;
	}
out:
	free(k);
	free(v);
	return err;
}
