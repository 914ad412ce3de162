// SPDX-License-Identifier: GPL-2.0
/* Building a row's input packet and the checks every row gets: verdict,
 * reasons, output bytes against an expected packet built from scratch, and
 * the flow table and counts against what the row says. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include "xlb_limits.h"
#include "cases.h"

/* By enum value, so that it cannot drift when reasons are inserted: a
 * reason added at the end without a name fails to compile, one added in
 * the middle fails every row (check_reasons). */
static const char *const reason_names[] = {
	[XLB_R_FORWARD_TX] = "FORWARD_TX",
	[XLB_R_FORWARD_REDIRECT] = "FORWARD_REDIRECT",
	[XLB_R_PASS_NOT_IP] = "PASS_NOT_IP",
	[XLB_R_PASS_NOT_SERVICE] = "PASS_NOT_SERVICE",
	[XLB_R_PASS_MALFORMED] = "PASS_MALFORMED",
	[XLB_R_PASS_FRAGMENT] = "PASS_FRAGMENT",
	[XLB_R_PASS_IPV6_EXT] = "PASS_IPV6_EXT",
	[XLB_R_PASS_VLAN] = "PASS_VLAN",
	[XLB_R_PASS_NO_FLOW] = "PASS_NO_FLOW",
	[XLB_R_DROP_NO_NEIGH] = "DROP_NO_NEIGH",
	[XLB_R_DROP_NO_BACKEND] = "DROP_NO_BACKEND",
	[XLB_R_TX_RST_NO_BACKEND] = "TX_RST_NO_BACKEND",
	[XLB_R_TX_RST_KILLED] = "TX_RST_KILLED",
	[XLB_R_DROP_KILLED] = "DROP_KILLED",
	[XLB_R_DROP_NO_PORT] = "DROP_NO_PORT",
	[XLB_R_DROP_TABLE_FULL] = "DROP_TABLE_FULL",
	[XLB_R_DROP_SYN_RACE] = "DROP_SYN_RACE",
	[XLB_R_DROP_FIB] = "DROP_FIB",
	[XLB_R_DROP_NOT_ATTACHED] = "DROP_NOT_ATTACHED",
	[XLB_R_FLOW_CREATED] = "FLOW_CREATED",
	[XLB_R_FLOW_CLOSED] = "FLOW_CLOSED",
	[XLB_R_FLOW_RECYCLED] = "FLOW_RECYCLED",
	[XLB_R_FLOW_EXPIRED] = "FLOW_EXPIRED",
	[XLB_R_TX_RST_TABLE_FULL] = "TX_RST_TABLE_FULL",
	[XLB_R_DROP_SYN_FLOOD] = "DROP_SYN_FLOOD",
	[XLB_R_TX_ICMP_ECHO] = "TX_ICMP_ECHO",
	[XLB_R_PASS_ICMP_NO_FLOW] = "PASS_ICMP_NO_FLOW",
	[XLB_R_ICMP_ERROR_NAT] = "ICMP_ERROR_NAT",
	[XLB_R_FRAG_FIRST] = "FRAG_FIRST",
	[XLB_R_FRAG_FOLLOW] = "FRAG_FOLLOW",
};
_Static_assert(sizeof(reason_names) / sizeof(reason_names[0]) == XLB_R_MAX,
	       "reason_names: a reason of include/xlb_stats.h has no name");
/* struct row's reasons is a bit mask. */
_Static_assert(XLB_R_MAX <= 32, "more reasons than struct row's mask holds");

void mac_of(__u32 ip, unsigned char mac[6])
{
	static const unsigned char base[6] = { 0x02, 0x00, 0x0a, 0x00, 0x00 };

	memcpy(mac, base, 6);
	mac[5] = ip & 0xff;
}

void ip6_of(__u8 a[16], unsigned int n)
{
	memset(a, 0, 16);
	a[0] = 0xfd;
	a[14] = n >> 8;
	a[15] = n & 0xff;
}

int row_service(struct tctx *t, const struct row *r, struct xlb_svc *s)
{
	struct xlb_svc_key k = {
		.port = htons(r->in.vport), .family = XLB_AF_INET6,
		.proto = r->in.kind == PK_UDP || r->in.udp ? IPPROTO_UDP :
							    IPPROTO_TCP,
	};

	if (!r->in.v6)
		return fx_get_service(&t->fx, r->in.daddr ? r->in.daddr : VIP,
				      r->in.vport, k.proto, s);
	ip6_of((__u8 *)&k.vip, r->in.daddr ? r->in.daddr : VIP6);
	return bpf_map_lookup_elem(t->fx.services, &k, s) ? -errno : 0;
}

void tfail(struct tctx *t, const char *fmt, ...)
{
	va_list ap;

	if (!t->failed)
		printf("FAIL %s\n", t->row->desc);
	t->failed = 1;
	printf("     ");
	if (t->row->repeat)
		printf("[packet %d] ", t->iter + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static __u32 row_client(const struct row *r)
{
	return r->in.client ? r->in.client : CLIENT;
}

static __u32 row_daddr(const struct row *r)
{
	return r->in.daddr ? r->in.daddr : VIP;
}

/* The packet the balancer must send for the input desc: from scratch,
 * with fresh checksums. From the client, the backend's address and port
 * come from its configuration, only the source port from the flow. */
static int expect_desc(struct tctx *t, const struct row *r,
		       const struct fx_flow *fa, struct pkt_desc *e)
{
	struct xlb_backend b;

	*e = t->desc;
	memcpy(e->smac, t->fx.lb_mac, 6);
	if (r->in.from == FROM_BACKEND) {
		mac_of(row_client(r), e->dmac);
		e->saddr = row_daddr(r);
		e->daddr = row_client(r);
		e->sport = r->in.vport;
		e->dport = r->in.cport + t->iter;
		return 0;
	}
	if (!fa || fx_get_backend(&t->fx, fa->v.backend, &b))
		return -1;
	mac_of(ntohl(b.addr.a[0]), e->dmac);
	e->saddr = ntohl(b.src.a[0]);
	e->daddr = ntohl(b.addr.a[0]);
	e->sport = ntohs(fa->v.nat_sport);
	e->dport = ntohs(b.port);
	return 0;
}

static void force_zero_csum(struct tctx *t, const struct row *r)
{
	struct pkt_desc e;
	struct pkt_buf b;
	struct pkt_off o;
	__u32 s;
	__u16 x;

	/* Choose the first payload word so that the rewritten datagram's
	 * sum is 0xffff: its checksum computes to 0 and must go out as
	 * 0xffff (RFC 768). */
	expect_desc(t, r, NULL, &e);
	e.payload[0] = e.payload[1] = 0;
	e.udp_nocsum = 1;
	pkt_build(&e, &b);
	pkt_offsets(&b, &o);
	s = pkt_pseudo_sum(e.saddr, e.daddr, IPPROTO_UDP, o.l4len);
	x = ~pkt_fold(pkt_sum(b.d + o.l4, o.l4len, s));
	t->desc.payload[0] = x >> 8;
	t->desc.payload[1] = x & 0xff;
}

static void set16(unsigned char *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void malform(struct pkt_buf *b, int mut)
{
	struct pkt_off o;
	unsigned char *ip, *l4;
	unsigned int ihl;

	pkt_offsets(b, &o);
	ip = b->d + o.l3;
	l4 = b->d + o.l4;
	ihl = o.l4 - o.l3;
	switch (mut) {
	case MUT_ETH_SHORT:
		b->len = 13;
		return;
	case MUT_VLAN_TRUNC:
		set16(b->d + 12, 0x8100);
		b->len = 16;
		return;
	case MUT_IP_TRUNC:
		b->len = o.l3 + 12;
		return;
	case MUT_IHL4:
		ip[0] = 0x44;
		break;
	case MUT_IHL15:
		ip[0] = 0x4f;
		break;
	case MUT_TOTLEN_BIG:
		set16(ip + 2, b->len - o.l3 + 100);
		break;
	case MUT_TOTLEN_SMALL:
		set16(ip + 2, 10);
		break;
	case MUT_DOFF4:
		l4[12] = 0x40;
		pkt_fix_l4_csum(b);
		return;
	case MUT_DOFF15:
		l4[12] = 0xf0;
		pkt_fix_l4_csum(b);
		return;
	case MUT_TCP_TRUNC:
		b->len = o.l4 + 10;
		set16(ip + 2, ihl + 10);
		break;
	case MUT_UDP_LEN4:
		set16(l4 + 4, 4);
		pkt_fix_l4_csum(b);
		return;
	case MUT_UDP_TRUNC:
		b->len = o.l4 + 6;
		set16(ip + 2, ihl + 6);
		break;
	default:
		return;
	}
	pkt_fix_ip_csum(b);
}

int build_input(struct tctx *t, const struct row *r)
{
	const struct pspec *s = &r->in;
	struct pkt_desc *d = &t->desc;
	unsigned char cmac[6];
	__u16 cport = s->cport + t->iter;
	__u8 proto = s->kind == PK_UDP || s->udp ? IPPROTO_UDP : IPPROTO_TCP;
	const struct fx_flow *fwd;
	unsigned int i;

	memset(d, 0, sizeof(*d));
	memset(&t->in, 0, sizeof(t->in));
	fx_key4(&t->fkey, row_client(r), row_daddr(r), cport, s->vport, proto);
	mac_of(row_client(r), cmac);
	if (r->build)
		return r->build(t, r);
	switch (s->kind) {
	case PK_NONE:
	case PK_GC:
		return 0;
	case PK_ARP:
		pkt_build_arp(&t->in, cmac, row_client(r), row_daddr(r));
		return 0;
	case PK_IPV6:
		pkt_build_ipv6_syn(&t->in, cmac, t->fx.lb_mac);
		return 0;
	}
	d->proto = s->kind == PK_ICMP ? IPPROTO_ICMP : proto;
	memcpy(d->dmac, t->fx.lb_mac, 6);
	if (s->from == FROM_CLIENT) {
		memcpy(d->smac, cmac, 6);
		d->saddr = row_client(r);
		d->daddr = row_daddr(r);
		d->sport = cport;
		d->dport = s->vport;
		d->seq = 1000000 + cport;
		d->ack_seq = 7000000;
	} else {
		fwd = fx_find(&t->before, &t->fkey);
		if (!fwd) {
			tfail(t, "no flow for port %u: the backend has nothing to answer",
			      cport);
			return -1;
		}
		mac_of(ntohl(fwd->v.nat_dst.a[0]), d->smac);
		d->saddr = ntohl(fwd->v.nat_dst.a[0]);
		d->daddr = ntohl(fwd->v.nat_src.a[0]);
		d->sport = ntohs(fwd->v.nat_dport);
		d->dport = ntohs(fwd->v.nat_sport);
		d->seq = 7000000;
		d->ack_seq = 1000001 + cport;
	}
	d->tcp_flags = s->flags;
	d->tcp_mss = !!(s->flags & 0x02);
	if (d->proto == IPPROTO_TCP)
		d->frag_off = 0x4000;	/* DF, as Linux sends TCP */
	d->plen = s->plen;
	for (i = 0; i < s->plen && i < sizeof(d->payload); i++)
		d->payload[i] = 'a' + i % 26;
	switch (s->mut) {
	case MUT_VLAN:
		d->vlan_tci = 10;
		break;
	case MUT_IP_OPTS:
		d->ip_opt_words = 1;
		break;
	case MUT_OPTS_MAX:
		d->ip_opt_words = 10;
		d->tcp_opt_words = d->tcp_mss ? 9 : 10;
		break;
	case MUT_UDP_NOCSUM:
		d->udp_nocsum = 1;
		break;
	case MUT_UDP_CSUM0:
		force_zero_csum(t, r);
		break;
	case MUT_FRAG_MF:
		d->frag_off = 0x2000;
		break;
	case MUT_FRAG_OFF:
		d->frag_off = 0x0010;
		break;
	}
	pkt_build(d, &t->in);
	malform(&t->in, s->mut);
	return 0;
}

static void check_reasons(struct tctx *t, const struct row *r)
{
	__u64 got;
	int i, want;

	for (i = 0; i < XLB_R_MAX; i++) {
		if (!reason_names[i])
			tfail(t, "reason %d has no name in tests/bpf/checks.c", i);
		got = t->r_after[i] - t->r_before[i];
		want = (r->reasons >> i) & 1;
		/* An expiry pass counts each flow it expired. */
		if (r->in.kind == PK_GC && i == XLB_R_FLOW_EXPIRED)
			want = r->gc_expired;
		if (got != (__u64)want)
			tfail(t, "reason %s: +%llu, want +%d",
			      reason_names[i] ? reason_names[i] : "?",
			      (unsigned long long)got, want);
	}
}

static void check_nostate(struct tctx *t)
{
	int i;

	if (t->after.n != t->before.n)
		tfail(t, "flow table: %d entries, was %d", t->after.n,
		      t->before.n);
	else if (memcmp(t->after.e, t->before.e,
			t->after.n * sizeof(t->after.e[0])))
		tfail(t, "flow table entries changed");
	for (i = 0; i < FX_NBACKENDS; i++) {
		if (fx_conns(&t->fx, i) != t->c_before[i])
			tfail(t, "backend_conns[%d] = %lld, was %lld", i,
			      (long long)fx_conns(&t->fx, i),
			      (long long)t->c_before[i]);
		if (fx_half_open(&t->fx, i) != t->h_before[i])
			tfail(t, "backend_conns[%d].half_open = %lld, was %lld",
			      i, (long long)fx_half_open(&t->fx, i),
			      (long long)t->h_before[i]);
	}
}

/* Available for a new flow: UP, weight > 0, below its maxconn. */
static int available(struct tctx *t, __u32 bid, struct xlb_backend *b)
{
	__s64 a;

	if (bid >= FX_NBACKENDS || fx_get_backend(&t->fx, bid, b) ||
	    !(b->flags & XLB_BACKEND_UP) || !b->weight)
		return 0;
	a = t->c_before[bid] > 0 ? t->c_before[bid] : 0;
	return !b->maxconn || a < (__s64)b->maxconn;
}

/* A flow the packet just created: both entries as the design says. */
static void check_new_flow(struct tctx *t, const struct row *r,
			   const struct fx_flow *fa, int replaced)
{
	const struct xlb_flow *v = &fa->v;
	struct xlb_flow_key rk;
	const struct fx_flow *rev;
	struct xlb_backend b = {};
	struct xlb_svc s = {};
	__u16 port = ntohs(v->nat_sport);
	unsigned char cmac[6];
	__u32 i, found = 0;
	int tcp = fa->k.proto == IPPROTO_TCP, want;

	if (row_service(t, r, &s))
		tfail(t, "no service for the flow");
	for (i = 0; i < s.nbackends; i++)
		found |= fx_svc_slot(&t->fx, s.id, i) == v->backend;
	fx_get_backend(&t->fx, v->backend, &b);
	if (!found || !available(t, v->backend, &b))
		tfail(t, "backend %u is not an available backend of service %u (UP, weight > 0, below maxconn %u)",
		      v->backend, s.id, b.maxconn);
	for (i = 0; (b.flags & XLB_BACKEND_BACKUP) && i < s.nbackends; i++) {
		struct xlb_backend o;
		__u32 oid = fx_svc_slot(&t->fx, s.id, i);

		if (available(t, oid, &o) && !(o.flags & XLB_BACKEND_BACKUP))
			tfail(t, "backup %u chosen while active %u was available",
			      v->backend, oid);
	}
	if (v->dir != XLB_DIR_FORWARD || v->family != XLB_AF_INET ||
	    v->proto != fa->k.proto || v->events ||
	    v->counted != (tcp ? XLB_COUNT_HALF : XLB_COUNT_OPEN) ||
	    v->svc != s.id)
		tfail(t, "forward entry: dir %u family %u proto %u counted %u events 0x%x svc %u",
		      v->dir, v->family, v->proto, v->counted, v->events, v->svc);
	if (v->state != (fa->k.proto == IPPROTO_TCP ? XLB_TCP_SYN_SENT : XLB_UDP))
		tfail(t, "new flow in state %u", v->state);
	if (memcmp(&v->nat_src, &b.src, sizeof(b.src)) ||
	    memcmp(&v->nat_dst, &b.addr, sizeof(b.addr)) ||
	    v->nat_dport != b.port || v->ifindex != b.ifindex)
		tfail(t, "forward entry's NAT does not match backend %u",
		      v->backend);
	if (port < XLB_PORT_MIN_DEFAULT || port > XLB_PORT_MAX_DEFAULT)
		tfail(t, "source port %u outside %u-%u", port,
		      XLB_PORT_MIN_DEFAULT, XLB_PORT_MAX_DEFAULT);

	fx_key4(&rk, ntohl(b.addr.a[0]), ntohl(b.src.a[0]), ntohs(b.port),
		port, fa->k.proto);
	rev = fx_find(&t->after, &rk);
	mac_of(row_client(r), cmac);
	if (!rev) {
		tfail(t, "no reply entry for backend -> 10.0.0.1:%u", port);
	} else if (rev->v.dir != XLB_DIR_REPLY ||
		   ntohl(rev->v.nat_src.a[0]) != row_daddr(r) ||
		   ntohl(rev->v.nat_dst.a[0]) != row_client(r) ||
		   ntohs(rev->v.nat_sport) != r->in.vport ||
		   ntohs(rev->v.nat_dport) != r->in.cport + t->iter ||
		   rev->v.backend != v->backend || rev->v.svc != v->svc ||
		   rev->v.ifindex != (__u32)t->fx.ifindex) {
		tfail(t, "reply entry wrong: dir %u nat %08x:%u -> %08x:%u backend %u ifindex %u",
		      rev->v.dir, ntohl(rev->v.nat_src.a[0]),
		      ntohs(rev->v.nat_sport), ntohl(rev->v.nat_dst.a[0]),
		      ntohs(rev->v.nat_dport), rev->v.backend, rev->v.ifindex);
	} else if (memcmp(rev->v.client_mac, cmac, 6) ||
		   memcmp(rev->v.local_mac, t->fx.lb_mac, 6)) {
		tfail(t, "reply entry: client/local MAC not those of the SYN");
	}
	/* A closed flow whose port it took over (flow_recycled) made way. */
	want = t->before.n + (replaced ? 0 : 2) -
	       2 * (int)(t->r_after[XLB_R_FLOW_RECYCLED] -
			 t->r_before[XLB_R_FLOW_RECYCLED]);
	if (t->after.n != want)
		tfail(t, "flow table: %d entries, want %d", t->after.n, want);
	if (fx_conns(&t->fx, v->backend) != t->c_before[v->backend] + 1)
		tfail(t, "backend_conns[%u] = %lld, want %lld", v->backend,
		      (long long)fx_conns(&t->fx, v->backend),
		      (long long)t->c_before[v->backend] + 1);
	/* A TCP flow starts half-open; UDP has no handshake. */
	if (fx_half_open(&t->fx, v->backend) != t->h_before[v->backend] + tcp)
		tfail(t, "backend_conns[%u].half_open = %lld, want %lld",
		      v->backend, (long long)fx_half_open(&t->fx, v->backend),
		      (long long)t->h_before[v->backend] + tcp);
}

static void check_tx(struct tctx *t, const struct row *r,
		     const struct fx_flow *fb, const struct fx_flow *fa)
{
	struct pkt_desc e;
	struct pkt_buf want;
	char why[128];
	int isnew;

	if (pkt_verify(&t->out, why, sizeof(why)))
		tfail(t, "output: %s", why);
	if (r->in.from == FROM_CLIENT) {
		if (!fa) {
			tfail(t, "XDP_TX but no forward entry");
			return;
		}
		isnew = !fb || fb->v.created_ns != fa->v.created_ns;
		if ((r->flags & F_FRESH) && !(fb && isnew))
			tfail(t, "the closed flow was not replaced by a fresh one");
		else if (!(r->flags & F_FRESH) && fb && isnew)
			tfail(t, "an open flow was replaced");
		if (isnew)
			check_new_flow(t, r, fa, !!fb);
		else if (fa->v.backend != fb->v.backend ||
			 fa->v.nat_sport != fb->v.nat_sport ||
			 memcmp(&fa->v.nat_dst, &fb->v.nat_dst,
				sizeof(fa->v.nat_dst)))
			tfail(t, "tracked flow changed backend or port");
	}
	if (expect_desc(t, r, fa, &e)) {
		tfail(t, "cannot compute the expected packet");
		return;
	}
	pkt_build(&e, &want);
	if (t->out.len != want.len || memcmp(t->out.d, want.d, want.len)) {
		tfail(t, "output packet differs from the expected one:");
		pkt_print_diff("       ", &t->out, &want);
	}
}

/* The output must be the RST a host without the connection would send
 * back to the input's sender, byte for byte. */
static void check_rst(struct tctx *t)
{
	int v6 = pkt_is_ipv6(&t->in);
	unsigned int want_len = v6 ? 74 : 54;
	struct pkt_buf want;
	char why[128];

	if (v6 ? pkt6_verify(&t->out, why, sizeof(why)) :
		 pkt_verify(&t->out, why, sizeof(why)))
		tfail(t, "RST: %s", why);
	if (t->out.len != want_len)
		tfail(t, "RST frame of %u bytes, want %u (Ethernet, IPv%d %d, TCP 20)",
		      t->out.len, want_len, v6 ? 6 : 4, v6 ? 40 : 20);
	if (v6)
		pkt6_build_rst_reply(&t->in, &want);
	else
		pkt_build_rst_reply(&t->in, &want);
	if (t->out.len != want.len || memcmp(t->out.d, want.d, want.len)) {
		tfail(t, "output differs from the expected RST:");
		pkt_print_diff("       ", &t->out, &want);
	}
}

/* What the service's algorithm must pick, from the state before the run
 * (the rule of bpf/select.h, restated): leastconn by (active + 1) / map
 * weight; round robin walks configured-weight units, ceil(map weight /
 * XLB_WEIGHT_SCALE); backups only when no active server is available. */
static __u64 rr_weight(const struct xlb_svc *s, const struct xlb_backend *b)
{
	if (s->algo != XLB_ALGO_ROUNDROBIN)
		return b->weight;
	return (b->weight + XLB_WEIGHT_SCALE - 1) / XLB_WEIGHT_SCALE;
}

static int predict(struct tctx *t, const struct row *r, __u32 *out)
{
	struct xlb_svc s;
	struct xlb_backend b;
	__u64 load, best_load = 0, best_w = 0, total = 0, acc = 0, pos;
	__u32 i, idx, bid;
	int found = 0;

	if (row_service(t, r, &s) || !s.nbackends)
		return -1;
	/* Active (non-backup) servers first. */
	for (i = 0; i < s.nbackends; i++) {
		bid = fx_svc_slot(&t->fx, s.id, i);
		if (available(t, bid, &b) && !(b.flags & XLB_BACKEND_BACKUP))
			total += rr_weight(&s, &b);
	}
	pos = total ? t->cur_before % total : 0;
	for (i = 0; total && i < s.nbackends; i++) {
		idx = s.algo == XLB_ALGO_ROUNDROBIN ? i :
		      (t->cur_before % s.nbackends + i) % s.nbackends;
		bid = fx_svc_slot(&t->fx, s.id, idx);
		if (!available(t, bid, &b) || (b.flags & XLB_BACKEND_BACKUP))
			continue;
		if (s.algo == XLB_ALGO_ROUNDROBIN) {
			acc += rr_weight(&s, &b);
			if (pos < acc) {
				*out = bid;
				return 0;
			}
			continue;
		}
		load = t->c_before[bid] > 0 ? (__u64)t->c_before[bid] + 1 : 1;
		if (!found || load * best_w < best_load * b.weight) {
			best_load = load;
			best_w = b.weight;
			*out = bid;
			found = 1;
		}
	}
	if (found)
		return 0;
	/* None: the first available backup in slot order, whatever its load
	 * (HAProxy without `option allbackups`). */
	for (i = 0; i < s.nbackends; i++) {
		bid = fx_svc_slot(&t->fx, s.id, i);
		if (available(t, bid, &b) && (b.flags & XLB_BACKEND_BACKUP)) {
			*out = bid;
			return 0;
		}
	}
	return -1;
}

void check_row(struct tctx *t, const struct row *r)
{
	const struct fx_flow *fb = fx_find(&t->before, &t->fkey);
	const struct fx_flow *fa = fx_find(&t->after, &t->fkey);
	__u32 bid = fa ? fa->v.backend : fb ? fb->v.backend : ~0u, want = ~0u;
	struct xlb_flow_key rk;
	struct xlb_svc s;
	int i;

	check_reasons(t, r);
	/* A removal deletes the peer entry too, which the walk then may or
	 * may not have visited yet: n - removed <= scanned <= n. */
	if (r->in.kind == PK_GC &&
	    (t->gc.expired != (__u64)r->gc_expired ||
	     t->gc.removed != (__u64)r->gc_removed ||
	     t->gc.killed != (__u64)r->gc_killed ||
	     t->gc.scanned > (__u64)t->before.n ||
	     t->gc.scanned + t->gc.removed < (__u64)t->before.n))
		tfail(t, "gc: expired %llu removed %llu killed %llu scanned %llu, want %d %d %d and %d-%d scanned",
		      (unsigned long long)t->gc.expired,
		      (unsigned long long)t->gc.removed,
		      (unsigned long long)t->gc.killed,
		      (unsigned long long)t->gc.scanned, r->gc_expired,
		      r->gc_removed, r->gc_killed, t->before.n - r->gc_removed,
		      t->before.n);
	if ((r->flags & F_SAME) && r->action != ACT_EINVAL &&
	    (t->out.len != t->in.len || memcmp(t->out.d, t->in.d, t->in.len))) {
		tfail(t, "output is not the input untouched:");
		pkt_print_diff("       ", &t->out, &t->in);
	}
	if (r->flags & F_NOSTATE)
		check_nostate(t);
	if (r->flags & F_NOFLOW) {
		if (fa)
			tfail(t, "the flow still has its forward entry");
		if (fb) {
			/* Either family: the peer of the forward entry. */
			memset(&rk, 0, sizeof(rk));
			rk.src = fb->v.nat_dst;
			rk.dst = fb->v.nat_src;
			rk.sport = fb->v.nat_dport;
			rk.dport = fb->v.nat_sport;
			rk.proto = fb->k.proto;
			rk.family = fb->k.family;
			if (fx_find(&t->after, &rk))
				tfail(t, "the flow still has its reply entry");
		}
	}
	if ((int)t->action == XDP_TX && r->action == XDP_TX &&
	    (r->flags & F_RST))
		check_rst(t);
	else if ((int)t->action == XDP_TX && r->action == XDP_TX &&
		 (r->in.kind == PK_TCP || r->in.kind == PK_UDP) && !r->build)
		check_tx(t, r, fb, fa);
	if (r->state && (!fa || fa->v.state != r->state - 1))
		tfail(t, "forward entry state %d, want %d", fa ? fa->v.state : -1,
		      r->state - 1);
	if (r->cnt && (bid == ~0u || fx_conns(&t->fx, bid) != r->cnt - 1))
		tfail(t, "backend_conns[%d] = %lld, want %d", (int)bid,
		      bid == ~0u ? -1LL : (long long)fx_conns(&t->fx, bid),
		      r->cnt - 1);
	if (r->half && (bid == ~0u || fx_half_open(&t->fx, bid) != r->half - 1))
		tfail(t, "backend_conns[%d].half_open = %lld, want %d",
		      (int)bid, bid == ~0u ? -1LL :
		      (long long)fx_half_open(&t->fx, bid), r->half - 1);
	if (r->be && bid != (__u32)(r->be - 1))
		tfail(t, "flow went to backend %d, want %d", (int)bid, r->be - 1);
	if (r->nflows && t->after.n != r->nflows - 1)
		tfail(t, "flow table has %d entries, want %d", t->after.n,
		      r->nflows - 1);
	if (r->conns && !row_service(t, r, &s)) {
		for (i = 0; r->conns[i] != CONNS_END; i++) {
			bid = fx_svc_slot(&t->fx, s.id, i);
			if (fx_conns(&t->fx, bid) != r->conns[i])
				tfail(t, "slot %d (backend %u): active %lld, want %lld",
				      i, bid, (long long)fx_conns(&t->fx, bid),
				      r->conns[i]);
		}
	} else if (r->conns) {
		tfail(t, "no service to check counts on");
	}
	if (r->flags & F_MODEL) {
		if (predict(t, r, &want))
			tfail(t, "model: no backend to predict");
		else if (!fa || fa->v.backend != want)
			tfail(t, "leastconn/roundrobin chose backend %d, the rule says %u (cursor %u)",
			      fa ? (int)fa->v.backend : -1, want, t->cur_before);
	}
	if (r->check)
		r->check(t, r);
}
