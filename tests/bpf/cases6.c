// SPDX-License-Identifier: GPL-2.0
/* The IPv6 rows' shared pieces (cases6.h): addresses, services, building
 * an IPv6 TCP/UDP row's input and the packet the data path must send for
 * it (checked by checks.c's check_tx, as the IPv4 rows' are). */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb.skel.h"
#include "xlb_limits.h"
#include "cases6.h"

struct pkt6_desc in6;

/* ---- Addresses and setup ------------------------------------------- */

void key6(struct xlb_flow_key *k, const void *src, const void *dst,
	  __u16 sport, __u16 dport, __u8 proto)
{
	memset(k, 0, sizeof(*k));
	memcpy(&k->src, src, 16);
	memcpy(&k->dst, dst, 16);
	k->sport = htons(sport);
	k->dport = htons(dport);
	k->proto = proto;
	k->family = XLB_AF_INET6;
}

void mac6(const void *addr, unsigned char mac[6])
{
	mac_of(((const __u8 *)addr)[15], mac);
}

unsigned int row_client6(const struct row *r)
{
	return r->in.client ? r->in.client : CLIENT6;
}

unsigned int row_daddr6(const struct row *r)
{
	return r->in.daddr ? r->in.daddr : VIP6;
}

int backend6(struct tctx *t, __u32 id, unsigned int n, __u16 port,
	     __u32 weight, __u32 flags)
{
	struct xlb_backend b = {
		.port = htons(port), .family = XLB_AF_INET6, .weight = weight,
		.flags = flags, .ifindex = t->fx.ifindex,
	};

	ip6_of((__u8 *)&b.addr, n);
	ip6_of((__u8 *)&b.src, VIP6);
	return bpf_map_update_elem(t->fx.backends, &id, &b, BPF_ANY) ? -errno : 0;
}

int pool6(struct tctx *t, __u32 svc, __u16 vport, __u8 proto,
	  unsigned int first, __u16 port, int n)
{
	struct xlb_svc_key k = {
		.port = htons(vport), .proto = proto, .family = XLB_AF_INET6,
	};
	struct xlb_svc s = { .id = svc, .nbackends = n,
			     .algo = XLB_ALGO_LEASTCONN };
	__u32 bid, slot;
	int i;

	for (i = 0; i < n; i++) {
		bid = BID(svc, i);
		slot = svc * XLB_MAX_SVC_BACKENDS + i;
		if (backend6(t, bid, first + i, port + i, 1, XLB_BACKEND_UP) ||
		    bpf_map_update_elem(t->fx.svc_backends, &slot, &bid, BPF_ANY))
			return -1;
	}
	ip6_of((__u8 *)&k.vip, VIP6);
	return bpf_map_update_elem(t->fx.services, &k, &s, BPF_ANY) ? -errno : 0;
}

/* The agent keeps every service address in "vips" (ICMPv6 echo). */
static int vip6_on(struct tctx *t)
{
	struct xlb_vip_key vk = { .family = XLB_AF_INET6 };
	int fd = bpf_map__fd(t->fx.lb->maps.vips);
	unsigned char k[sizeof(vk)];
	__u32 one = 1;

	while (!bpf_map_get_next_key(fd, NULL, k))
		if (bpf_map_delete_elem(fd, k))
			return -1;
	ip6_of((__u8 *)&vk.addr, VIP6);
	return bpf_map_update_elem(fd, &vk, &one, BPF_ANY);
}

int setup6(struct tctx *t)
{
	return setup_std(t) || fx_set_forwarding6(&t->fx, 1) || vip6_on(t) ||
	       pool6(t, SVC6_WEB, 80, IPPROTO_TCP, 11, 5001, 3) ||
	       pool6(t, SVC6_DNS, 53, IPPROTO_UDP, 21, 5353, 2) ||
	       pool6(t, SVC6_NONEIGH, 81, IPPROTO_TCP, 50, 5001, 1) ||
	       pool6(t, SVC6_KILL, 84, IPPROTO_TCP, 15, 6001, 2);
}

/* ---- Building ------------------------------------------------------ */

static void add_ext(struct pkt6_desc *d, __u8 type, __u8 hdrlen)
{
	d->ext[d->n_ext].type = type;
	d->ext[d->n_ext].hdrlen = hdrlen;
	d->n_ext++;
}

/* The forwarded packet for the input in6: from scratch. From the
 * client, the backend's address and port come from its configuration,
 * only the source port from the flow. */
static int expect6(struct tctx *t, const struct row *r,
		   const struct fx_flow *fa, struct pkt6_desc *e)
{
	struct xlb_backend b;

	*e = in6;
	memcpy(e->smac, t->fx.lb_mac, 6);
	if (r->in.from == FROM_BACKEND) {
		ip6_of(e->saddr, row_daddr6(r));
		ip6_of(e->daddr, row_client6(r));
		mac6(e->daddr, e->dmac);
		e->sport = r->in.vport;
		e->dport = r->in.cport + t->iter;
		return 0;
	}
	if (!fa || fx_get_backend(&t->fx, fa->v.backend, &b))
		return -1;
	memcpy(e->saddr, &b.src, 16);
	memcpy(e->daddr, &b.addr, 16);
	mac6(e->daddr, e->dmac);
	e->sport = ntohs(fa->v.nat_sport);
	e->dport = ntohs(b.port);
	return 0;
}

/* Choose the first payload word so that the rewritten datagram sums to
 * 0xffff: its checksum computes to 0 and must go out as 0xffff. */
static void force_zero_csum6(struct tctx *t, const struct row *r)
{
	struct pkt6_desc e;
	struct pkt_buf b;

	expect6(t, r, NULL, &e);
	e.payload[0] = e.payload[1] = 0;
	e.udp_nocsum = 1;
	pkt6_build(&e, &b);
	pkt_put16(in6.payload, ~pkt_l4_sum(&b));
}

static void ext_chain(struct pkt6_desc *d, int mut)
{
	int i;

	switch (mut) {
	case M6_HBH_DST:
		add_ext(d, 0, 0);
		add_ext(d, 60, 2);
		break;
	case M6_DST8:
		add_ext(d, 60, 0);
		break;
	case M6_EXT4:
	case M6_EXT5:
		add_ext(d, 0, 1);
		for (i = 0; i < (mut == M6_EXT4 ? 3 : 4); i++)
			add_ext(d, 60, i & 1);
		break;
	case M6_ROUTING:
		add_ext(d, 43, 2);
		break;
	case M6_HBH_ROUTING:
		add_ext(d, 0, 0);
		add_ext(d, 43, 2);
		break;
	case M6_FRAG_LATER:
		add_ext(d, 44, 0);
		d->ext[0].frag_off = 8;
		d->ext[0].frag_id = 0x77665544;
		break;
	case M6_EXT_TRUNC:
		add_ext(d, 0, 3);
		break;
	case M6_EXT_STUB:
	case M6_EXT_PAST_FRAME:
		add_ext(d, 0, 0);
		break;
	case M6_EXT_PAST_PLEN:
		add_ext(d, 0, 1);
		break;
	}
}

/* An upper layer that is not TCP/UDP: the bytes of one, after the
 * header the mutation names. */
static __u8 other_proto(int mut)
{
	switch (mut) {
	case M6_AH:		return 51;
	case M6_ESP:
	case M6_HBH_ESP:	return 50;
	case M6_NONXT:		return 59;
	case M6_UNKNOWN:	return 253;
	}
	return 0;
}

static void malform6(struct pkt_buf *b, int mut)
{
	struct pkt6_off o;
	unsigned char *ip, *l4;

	pkt6_offsets(b, &o);
	ip = b->d + o.l3;
	l4 = b->d + o.l4;
	switch (mut) {
	case M6_PLEN_BIG:
		pkt_put16(ip + 4, o.plen + 100);
		break;
	case M6_PLEN_ZERO:
		pkt_put16(ip + 4, 0);
		break;
	case M6_PLEN_L4:
		pkt_put16(ip + 4, o.l4 - o.l3 - 40 + 10);
		break;
	case M6_VERSION4:
		ip[0] = 0x40 | (ip[0] & 0x0f);
		break;
	case M6_IP_TRUNC:
		b->len = o.l3 + 30;
		break;
	case M6_EXT_TRUNC:
		b->len = o.l3 + 40 + 16;
		pkt_put16(ip + 4, 16);
		break;
	case M6_EXT_STUB:
		b->len = o.l3 + 40 + 4;
		pkt_put16(ip + 4, 4);
		break;
	case M6_EXT_PAST_PLEN:
		pkt_put16(ip + 4, 12);
		break;
	case M6_EXT_PAST_FRAME:
		ip[40 + 1] = 20;
		break;
	case M6_DOFF4:
		l4[12] = 0x40;
		pkt6_fix_l4_csum(b);
		break;
	case M6_DOFF15:
		l4[12] = 0xf0;
		pkt6_fix_l4_csum(b);
		break;
	case M6_TCP_TRUNC:
		b->len = o.l4 + 10;
		pkt_put16(ip + 4, o.l4 - o.l3 - 40 + 10);
		break;
	case M6_UDP_LEN4:
		pkt_put16(l4 + 4, 4);
		break;
	case M6_UDP_LEN_BIG:
		pkt_put16(l4 + 4, o.l4len + 40);
		break;
	case M6_UDP_TRUNC:
		b->len = o.l4 + 6;
		pkt_put16(ip + 4, o.l4 - o.l3 - 40 + 6);
		break;
	}
}

int build6(struct tctx *t, const struct row *r)
{
	const struct pspec *s = &r->in;
	struct pkt6_desc *d = &in6;
	__u8 client[16], daddr[16];
	__u16 cport = s->cport + t->iter;
	__u8 proto = s->kind == PK_UDP || s->udp ? IPPROTO_UDP : IPPROTO_TCP;
	const struct fx_flow *fwd;
	unsigned int i;

	ip6_of(client, row_client6(r));
	ip6_of(daddr, row_daddr6(r));
	key6(&t->fkey, client, daddr, cport, s->vport, proto);
	if (s->kind != PK_TCP && s->kind != PK_UDP)
		return 0;
	memset(d, 0, sizeof(*d));
	d->proto = proto;
	memcpy(d->dmac, t->fx.lb_mac, 6);
	if (s->from == FROM_CLIENT) {
		mac6(client, d->smac);
		memcpy(d->saddr, client, 16);
		memcpy(d->daddr, daddr, 16);
		d->sport = cport;
		d->dport = s->vport;
		d->seq = 1000000 + cport;
		d->ack_seq = 7000000;
	} else {
		fwd = row_flow(t, cport);
		if (!fwd)
			return -1;
		memcpy(d->saddr, &fwd->v.nat_dst, 16);
		memcpy(d->daddr, &fwd->v.nat_src, 16);
		mac6(d->saddr, d->smac);
		d->sport = ntohs(fwd->v.nat_dport);
		d->dport = ntohs(fwd->v.nat_sport);
		d->seq = 7000000;
		d->ack_seq = 1000001 + cport;
	}
	d->hop = 61;
	d->flow = 0x00012345;		/* a flow label, kept as it is */
	d->tcp_flags = s->flags;
	d->tcp_mss = !!(s->flags & 0x02);
	d->plen = s->plen;
	for (i = 0; i < s->plen && i < sizeof(d->payload); i++)
		d->payload[i] = 'a' + i % 26;
	ext_chain(d, s->mut);
	if (other_proto(s->mut)) {
		if (s->mut == M6_HBH_ESP)
			add_ext(d, 0, 0);
		/* The TCP/UDP header's bytes, under another next header. */
		d->proto = other_proto(s->mut);
		d->plen = 24;
		pkt_put16(d->payload, cport);
		pkt_put16(d->payload + 2, s->vport);
		d->payload[12] = 0x50;
		d->payload[13] = s->flags;
	}
	switch (s->mut) {
	case M6_VLAN:
		d->vlan_tci = 10;
		break;
	case M6_UDP_NOCSUM:
		d->udp_nocsum = 1;
		break;
	case M6_UDP_CSUM0:
		force_zero_csum6(t, r);
		break;
	}
	pkt6_build(d, &t->in);
	malform6(&t->in, s->mut);
	return 0;
}

/* ---- Checks -------------------------------------------------------- */

int expect6_pkt(struct tctx *t, const struct row *r,
		const struct fx_flow *fa, struct pkt_buf *want)
{
	struct pkt6_desc e;

	if (expect6(t, r, fa, &e))
		return -1;
	pkt6_build(&e, want);
	return 0;
}

int check6(struct tctx *t, const struct row *r)
{
	if ((int)t->action == XDP_TX && r->action == XDP_TX &&
	    !(r->flags & F_RST) && (r->reasons & R_TX) &&
	    (r->in.kind == PK_TCP || r->in.kind == PK_UDP))
		check_tx(t, r);
	return 0;
}
