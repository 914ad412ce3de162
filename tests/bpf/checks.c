// SPDX-License-Identifier: GPL-2.0
/* The checks every row gets: verdict, reasons, output bytes against an
 * expected packet built from scratch (build.c, cases6.c), and the flow
 * table and counts against what the row says. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include "xlb_limits.h"
#include "cases6.h"

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

/* The row's client and destination as flow entries hold them. */
static void row_addrs(const struct row *r, struct xlb_addr *client,
		      struct xlb_addr *daddr)
{
	memset(client, 0, sizeof(*client));
	memset(daddr, 0, sizeof(*daddr));
	if (r->in.v6) {
		ip6_of((__u8 *)client, row_client6(r));
		ip6_of((__u8 *)daddr, row_daddr6(r));
	} else {
		client->a[0] = htonl(row_client(r));
		daddr->a[0] = htonl(row_daddr(r));
	}
}

/* An IPv4 address is the first word alone. */
static int addr_eq(const struct xlb_addr *a, const struct xlb_addr *b,
		   int v6)
{
	return v6 ? !memcmp(a, b, sizeof(*a)) : a->a[0] == b->a[0];
}

static const char *addr_str(const struct xlb_addr *a, int v6, char *buf)
{
	return inet_ntop(v6 ? AF_INET6 : AF_INET, a, buf, INET6_ADDRSTRLEN);
}

/* A flow the packet just created (either family): both entries as the
 * design says. */
static void check_new_flow(struct tctx *t, const struct row *r,
			   const struct fx_flow *fa, int replaced)
{
	const struct xlb_flow *v = &fa->v;
	int v6 = r->in.v6, tcp = fa->k.proto == IPPROTO_TCP, want;
	__u8 family = v6 ? XLB_AF_INET6 : XLB_AF_INET;
	struct xlb_addr client, daddr;
	struct xlb_flow_key rk;
	const struct fx_flow *rev;
	struct xlb_backend b = {};
	struct xlb_svc s = {};
	__u16 port = ntohs(v->nat_sport);
	char sa[INET6_ADDRSTRLEN], da[INET6_ADDRSTRLEN];
	unsigned char cmac[6];
	__u32 i, found = 0;

	row_addrs(r, &client, &daddr);
	if (row_service(t, r, &s))
		tfail(t, "no IPv%d service for the flow", v6 ? 6 : 4);
	for (i = 0; i < s.nbackends; i++)
		found |= fx_svc_slot(&t->fx, s.id, i) == v->backend;
	fx_get_backend(&t->fx, v->backend, &b);
	if (!found || !available(t, v->backend, &b) || b.family != family)
		tfail(t, "backend %u is not an available IPv%d backend of service %u (UP, weight > 0, below maxconn %u)",
		      v->backend, v6 ? 6 : 4, s.id, b.maxconn);
	for (i = 0; (b.flags & XLB_BACKEND_BACKUP) && i < s.nbackends; i++) {
		struct xlb_backend o;
		__u32 oid = fx_svc_slot(&t->fx, s.id, i);

		if (available(t, oid, &o) && !(o.flags & XLB_BACKEND_BACKUP))
			tfail(t, "backup %u chosen while active %u was available",
			      v->backend, oid);
	}
	if (v->dir != XLB_DIR_FORWARD || v->family != family ||
	    v->proto != fa->k.proto || v->events ||
	    v->counted != (tcp ? XLB_COUNT_HALF : XLB_COUNT_OPEN) ||
	    v->svc != s.id)
		tfail(t, "forward entry: dir %u family %u proto %u counted %u events 0x%x svc %u",
		      v->dir, v->family, v->proto, v->counted, v->events, v->svc);
	if (v->state != (tcp ? XLB_TCP_SYN_SENT : XLB_UDP))
		tfail(t, "new flow in state %u", v->state);
	if (!addr_eq(&v->nat_src, &b.src, v6) ||
	    !addr_eq(&v->nat_dst, &b.addr, v6) ||
	    v->nat_dport != b.port || v->ifindex != b.ifindex)
		tfail(t, "forward entry's NAT does not match backend %u",
		      v->backend);
	if (port < XLB_PORT_MIN_DEFAULT || port > XLB_PORT_MAX_DEFAULT)
		tfail(t, "source port %u outside %u-%u", port,
		      XLB_PORT_MIN_DEFAULT, XLB_PORT_MAX_DEFAULT);

	if (v6)
		key6(&rk, &b.addr, &b.src, ntohs(b.port), port, fa->k.proto);
	else
		fx_key4(&rk, ntohl(b.addr.a[0]), ntohl(b.src.a[0]),
			ntohs(b.port), port, fa->k.proto);
	rev = fx_find(&t->after, &rk);
	mac_of(v6 ? row_client6(r) : row_client(r), cmac);
	if (!rev) {
		tfail(t, "no reply entry for backend -> %s port %u",
		      addr_str(&b.src, v6, sa), port);
	} else if (rev->v.dir != XLB_DIR_REPLY || rev->v.family != family ||
		   rev->v.proto != fa->k.proto ||
		   !addr_eq(&rev->v.nat_src, &daddr, v6) ||
		   !addr_eq(&rev->v.nat_dst, &client, v6) ||
		   ntohs(rev->v.nat_sport) != r->in.vport ||
		   ntohs(rev->v.nat_dport) != r->in.cport + t->iter ||
		   rev->v.backend != v->backend || rev->v.svc != v->svc ||
		   rev->v.ifindex != (__u32)t->fx.ifindex) {
		tfail(t, "reply entry wrong: dir %u family %u proto %u nat %s port %u -> %s port %u backend %u ifindex %u",
		      rev->v.dir, rev->v.family, rev->v.proto,
		      addr_str(&rev->v.nat_src, v6, sa), ntohs(rev->v.nat_sport),
		      addr_str(&rev->v.nat_dst, v6, da), ntohs(rev->v.nat_dport),
		      rev->v.backend, rev->v.ifindex);
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

void expect_same(struct tctx *t, const struct pkt_buf *want, const char *what)
{
	if (t->out.len != want->len || memcmp(t->out.d, want->d, want->len)) {
		tfail(t, "output differs from the expected %s:", what);
		pkt_print_diff("       ", &t->out, want);
	}
}

void check_tx(struct tctx *t, const struct row *r)
{
	const struct fx_flow *fb = fx_find(&t->before, &t->fkey);
	const struct fx_flow *fa = fx_find(&t->after, &t->fkey);
	struct pkt_buf want;
	char why[128];
	int isnew, v6 = r->in.v6;

	if (v6 ? pkt6_verify(&t->out, why, sizeof(why)) :
		 pkt_verify(&t->out, why, sizeof(why)))
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
	if (v6 ? expect6_pkt(t, r, fa, &want) : expect_pkt(t, r, fa, &want)) {
		tfail(t, "cannot compute the expected packet");
		return;
	}
	expect_same(t, &want, "packet");
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
	expect_same(t, &want, "RST");
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
	if ((r->flags & F_SAME) && r->action != ACT_EINVAL)
		expect_same(t, &t->in, "input, untouched");
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
		check_tx(t, r);
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
