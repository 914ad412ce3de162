// SPDX-License-Identifier: GPL-2.0
/* Fuzzing the real XDP program: random and mutated packets (gen.c) through
 * xlb_xdp with BPF_PROG_TEST_RUN (the real objects, loaded as tests/bpf's
 * fixture does, with a private pin folder), each verdict judged by an
 * oracle that reads the packet on its own (oracle.c), and the flow table
 * and counts checked after every batch.
 *
 * Usage: fuzz_xdp IFINDEX [PACKETS]   (in tests/fuzz/run.sh's namespace)
 * Environment: FUZZ_SEED=N replays a run (the seed is printed first; the
 * packets are the same up to the NAT ports the data path draws),
 * FUZZ_PACKETS=N (default 100000), FUZZ_FLOWS=N (flow-table entries,
 * default 1536: full now and then), FUZZ_TRACE=1 prints every packet,
 * FUZZ_IFINDEX2/3 (run.sh: the attached and the unattached second
 * interface), FUZZ_TOLERATE=totlen,udplen (let a run go on past those
 * known data-path bugs, to look for others; counted, never in make test).
 *
 * Per packet:
 *  - the kernel runs it (frames under 14 bytes: it must refuse, EINVAL);
 *  - the action is PASS, DROP, TX or REDIRECT (never ABORTED), and exactly
 *    one packet reason moved (the non-event counters of the reasons map
 *    grew by 1 in all: reasons.c reads which are events from the header),
 *    of the action's kind (pass_* with XDP_PASS, drop_*, tx_* or
 *    forward_tx with XDP_TX, forward_redirect);
 *  - TX/REDIRECT with forward_*: the input was well-formed (oracle.c) and
 *    for a service on the VIP or a tracked flow (its tuple in the table
 *    before the run, or created by it), and the output is the input with
 *    only MACs, addresses, ports and checksums changed: to the flow's NAT
 *    tuple, to the next hop's MACs, with valid checksums where the
 *    input's were. Also (bpf/frag.h, bpf/icmp.h, when the data path has
 *    them): a first fragment of such a packet (frag_first); a later
 *    fragment of a datagram whose first fragment was sent on, with only
 *    its addresses rewritten as that flow's (frag_follow); an ICMP error
 *    quoting a packet the balancer sent for a tracked flow, translated
 *    (outer addresses, quoted addresses, ports, every checksum consistent:
 *    icmp_error_nat);
 *  - TX with tx_rst_*: a 54-byte RST to the input's sender, for a SYN to a
 *    service with no backend or a full table, or a packet of a killed
 *    flow, never for a RST; exactly the one RFC 793 asks for when the
 *    input was well-formed; tx_icmp_echo: the echo reply to an echo
 *    request to the VIP;
 *  - PASS hands the frame back unchanged; a well-formed frame is never
 *    called malformed, a fragment or not IP;
 *  - flow_created moves only for a forwarded, well-formed pure SYN (or
 *    datagram) to a service; flow_closed only for a FIN or RST of a
 *    tracked TCP flow; flow_expired never; no event twice.
 * Per batch (1000 packets), and before and after every expiry pass:
 *  - every entry has its peer, and the peer's peer is the entry; forward
 *    entries belong to a service on the VIP and one of its backends, with
 *    the NAT tuple of that backend; the state is the one its events give;
 *    "counted" is the one its events give (none once closed, half-open
 *    until the client's ACK after the SYN-ACK, open);
 *  - backend_conns of every backend: active = its forward entries holding
 *    a count, half_open = those holding a half-open one, never negative;
 *    all counts together = flows created - closed - expired - killed (the
 *    reasons map and the expiry program's results).
 * Every 3rd batch an expiry pass with a random advance (0 s..301 s), every
 * 7th a shutdown-sessions pass on a random backend, every 25th and at the
 * end a pass past every timeout: then the table is empty and every count
 * is 0. The configuration moves too: every 4th batch a backend goes down
 * or up, changes weight (0: drain) or maxconn; one batch in 10 runs with
 * the SYN flood guard at 20/s; a third of the time only 256 NAT source
 * ports are free (recycling, drop_no_port).
 *
 * IPv6 beside it (gen6.c, oracle6.c): services on [fd00::1], flows of
 * both families in one table; the same checks per packet (the NAT, echo
 * reply, ICMPv6 error translation, RST and fragment rewrites checked by
 * oracle6.c) and per batch (family-6 entries against their services and
 * backends, counted alike), and the exact reason where the oracle can
 * tell it: pass_malformed for a broken header or chain, pass_ipv6_ext for
 * a routing header or a 5th extension header, pass_fragment for a first
 * fragment of what is not TCP/UDP.
 *
 * On a failure: the seed, the packet's index and description, both frames
 * in hex, the action and the reason deltas; exit 1. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "fixture.h"
#include "gc.h"
#include "maps.h"		/* agent/maps.h: xlb_settings_defaults() */
#include "xlb_config_map.h"
#include "xlb_limits.h"
#include "fuzz.h"
#include "load.h"

#define BATCH		1000
#define GC_ALL_NS	(1000ull * 1000000000ull)	/* > every timeout */
#define NAT_PORT_MIN	1024	/* xlb_settings_defaults() */
#define NAT_PORT_MAX	32767

/* ---- The configuration under test */
#define UP XLB_BACKEND_UP
#define LB0 FZ_IP(10, 0, 0, 1)
const struct fz_be fz_bes[] = {
	{ 0, FZ_IP(10, 0, 0, 11), LB0, 8080, 16, UP, 0 },
	{ 1, FZ_IP(10, 0, 0, 12), LB0, 8080, 32, UP, 0 },
	{ 2, FZ_IP(10, 0, 0, 13), LB0, 8081, 16, UP, 8 },	/* maxconn 8 */
	{ 3, FZ_IP(10, 0, 0, 14), LB0, 8080, 16, UP | XLB_BACKEND_BACKUP, 0 },
	{ 4, FZ_IP(10, 0, 0, 15), LB0, 8443, 16, UP, 0 },
	{ 5, FZ_IP(10, 0, 0, 16), LB0, 8443, 48, UP, 0 },
	{ 6, FZ_IP(10, 0, 0, 17), LB0, 5353, 16, UP, 0 },
	{ 7, FZ_IP(10, 0, 0, 18), LB0, 5353, 16, UP, 0 },
	{ 8, FZ_IP(10, 0, 0, 19), LB0, 8080, 16, 0, 0 },	/* down */
	{ 9, FZ_IP(10, 0, 0, 50), LB0, 8080, 16, UP, 0 },	/* no neighbour */
	{ 10, FZ_IP(10, 0, 2, 11), FZ_IP(10, 0, 2, 1), 8080, 16, UP, 0 },
	{ 11, FZ_IP(10, 0, 3, 11), FZ_IP(10, 0, 3, 1), 8080, 16, UP, 0 },
};
const int fz_nbes = sizeof(fz_bes) / sizeof(fz_bes[0]);

const struct fz_svc fz_svcs[] = {
	{ 0, 80, IPPROTO_TCP, XLB_ALGO_LEASTCONN, 4, { 0, 1, 2, 3 } },
	{ 1, 443, IPPROTO_TCP, XLB_ALGO_ROUNDROBIN, 2, { 4, 5 } },
	{ 2, 53, IPPROTO_UDP, XLB_ALGO_LEASTCONN, 2, { 6, 7 } },
	{ 3, 81, IPPROTO_TCP, XLB_ALGO_LEASTCONN, 1, { 8 } },	/* RST */
	{ 4, 54, IPPROTO_UDP, XLB_ALGO_LEASTCONN, 1, { 8 } },	/* drop */
	{ 5, 82, IPPROTO_TCP, XLB_ALGO_LEASTCONN, 1, { 9 } },	/* no neigh */
	/* With run.sh's other interfaces (FUZZ_IFINDEX2, 3): a redirect
	 * between attached interfaces, and a backend behind one that is
	 * not attached (drop_not_attached). */
	{ 6, 84, IPPROTO_TCP, XLB_ALGO_LEASTCONN, 2, { 10, 0 } },
	{ 7, 85, IPPROTO_TCP, XLB_ALGO_LEASTCONN, 1, { 11 } },
};
const int fz_nsvcs = sizeof(fz_svcs) / sizeof(fz_svcs[0]);

/* Backends a shutdown-sessions pass may hit (they carry flows). */
static const __u32 kill_bids[] = { 0, 1, 2, 4, 5, 6, 7, 10, 12, 13, 15 };

/* Services installed (6 and 7 need run.sh's other interfaces). */
static int svc_on[FX_NSERVICES];

const struct fz_svc *fz_svc_at(__u32 daddr, __u16 dport, __u8 proto)
{
	int i;

	if (daddr != FZ_VIP)
		return NULL;
	for (i = 0; i < fz_nsvcs; i++)
		if (fz_svcs[i].port == dport && fz_svcs[i].proto == proto &&
		    svc_on[i])
			return &fz_svcs[i];
	return NULL;
}

/* IPv6 beside it (run.sh: fd00::1/64 on lbside, neighbours fd00::b-28
 * and the clients fd00::64-67): backends 12-18, services 8-12 on
 * [fd00::1]. The agent gives a service only servers of its family. */
const struct fz_be6 fz_bes6[] = {
	{ 12, 11, 8080, 16, UP, 0 },
	{ 13, 12, 8080, 32, UP, 0 },
	{ 14, 13, 8081, 16, UP, 8 },		/* maxconn 8 */
	{ 15, 21, 5353, 16, UP, 0 },
	{ 16, 22, 5353, 16, UP, 0 },
	{ 17, 19, 8080, 16, 0, 0 },		/* down */
	{ 18, 50, 8080, 16, UP, 0 },		/* no neighbour */
};
const int fz_nbes6 = sizeof(fz_bes6) / sizeof(fz_bes6[0]);

const struct fz_svc fz_svcs6[] = {
	{ 8, 80, IPPROTO_TCP, XLB_ALGO_LEASTCONN, 3, { 12, 13, 14 } },
	{ 9, 53, IPPROTO_UDP, XLB_ALGO_LEASTCONN, 2, { 15, 16 } },
	{ 10, 81, IPPROTO_TCP, XLB_ALGO_LEASTCONN, 1, { 17 } },	/* RST */
	{ 11, 82, IPPROTO_TCP, XLB_ALGO_LEASTCONN, 1, { 18 } },	/* no neigh */
	{ 12, 443, IPPROTO_TCP, XLB_ALGO_ROUNDROBIN, 2, { 12, 13 } },
};
const int fz_nsvcs6 = sizeof(fz_svcs6) / sizeof(fz_svcs6[0]);

const struct fz_svc *fz_svc6_at(const __u8 daddr[16], __u16 dport,
				__u8 proto)
{
	int i;

	if (fz_n6(daddr) != FZ_VIP6)
		return NULL;
	for (i = 0; i < fz_nsvcs6; i++)
		if (fz_svcs6[i].port == dport && fz_svcs6[i].proto == proto)
			return &fz_svcs6[i];
	return NULL;
}

static const struct fz_be6 *be6_of(__u32 id)
{
	int i;

	for (i = 0; i < fz_nbes6; i++)
		if (fz_bes6[i].id == id)
			return &fz_bes6[i];
	return NULL;
}

static const struct fz_be *be_of(__u32 id)
{
	int i;

	for (i = 0; i < fz_nbes; i++)
		if (fz_bes[i].id == id)
			return &fz_bes[i];
	return NULL;
}

/* ---- State */
enum { A_PASS, A_DROP, A_TX, A_REDIRECT, A_EINVAL, A_MAX };

struct ctx {
	struct fx fx;
	struct fz_gen gen;
	struct fz_rng sched;	/* gc schedule: apart from the packets */
	__u64 seed;
	long packets, idx;
	int trace;
	__u64 base[XLB_R_MAX];	/* reasons at the start */
	__u64 prev[XLB_R_MAX];	/* after the last packet or gc pass */
	__u64 delta[XLB_R_MAX];
	__u64 actions[A_MAX];
	__u64 killed;		/* counts given back by kill passes */
	__u64 gc_passes, table_checks, rst_malformed, flows_max;
	int lax;		/* FUZZ_TOLERATE: FZ_LAX_* */
	int if2, if3;		/* lbside2 (attached), lbside3 (not) */
	unsigned char mac2[6], mac3[6];
	struct fz_be be[FX_NBACKENDS];	/* backends as now configured */
	struct fz_be6 be6[16];		/* the IPv6 ones (fz_bes6's order) */
	int tight, flood;	/* settings profile in force */
	__u64 tolerated;
	struct fz_maps maps;
	struct fz_buf in, out;
	char desc[512];
	struct fx_flow *dump;
	int ndump, cap;
	int ncpus;
	__u64 *pcpu;		/* per-CPU values of the reasons map */
};

static struct ctx C;

/* ---- Failure reports */
static void print_deltas(struct ctx *c)
{
	int r, any = 0;

	printf("  reason deltas:");
	for (r = 0; r < XLB_R_MAX; r++) {
		if (!c->delta[r])
			continue;
		printf(" %s+%llu", fz_reasons[r].name,
		       (unsigned long long)c->delta[r]);
		any = 1;
	}
	printf("%s\n", any ? "" : " none");
}

static void fail_hdr(struct ctx *c)
{
	printf("FAIL fuzz: seed %llu (FUZZ_SEED=%llu reproduces), packet %ld\n",
	       (unsigned long long)c->seed, (unsigned long long)c->seed, c->idx);
}

__attribute__((format(printf, 5, 6), noreturn))
static void pkt_fail(struct ctx *c, int act, int ran, const char *why2,
		     const char *fmt, ...)
{
	static const char *const an[] = { "ABORTED", "DROP", "PASS", "TX",
					  "REDIRECT" };
	struct fz_class ci;
	char msg[256];
	va_list ap;

	fail_hdr(c);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("  %s\n", msg);
	if (why2)
		printf("  %s\n", why2);
	printf("  input: %s\n", c->desc);
	fz_classify(&c->in, &ci);
	printf("  oracle: %s%s\n", ci.wellformed ? "well-formed" :
	       ci.first_ok ? "well-formed first fragment" :
	       ci.later_ok ? "well-formed later fragment" :
	       ci.echo_ok || ci.err_ok ? "well-formed: " : "malformed: ",
	       ci.wellformed || ci.first_ok || ci.later_ok ? "" : ci.why);
	if (!c->lax) {
		struct fz_class cl;

		fz_classify_lax(&c->in, &cl, FZ_LAX_TOTLEN | FZ_LAX_UDPLEN);
		if (cl.wellformed != ci.wellformed || cl.echo_ok != ci.echo_ok ||
		    cl.first_ok != ci.first_ok)
			printf("  (a header past tot_len or a UDP length past "
			       "the datagram: FUZZ_TOLERATE=totlen,udplen lets "
			       "a run go on past these)\n");
	}
	if (ran)
		printf("  action: %s (%d)\n", act >= 0 && act <= 4 ? an[act] :
		       "?", act);
	print_deltas(c);
	printf("  input frame (%u bytes):\n", c->in.len);
	fz_hexdump("    ", &c->in, c->trace ? FZ_MAX : 160);
	if (ran) {
		printf("  output frame (%u bytes):\n", c->out.len);
		fz_hexdump("    ", &c->out, c->trace ? FZ_MAX : 160);
	}
	/* Again, last: make test shows a failed suite's last lines. */
	printf("FAIL fuzz: seed %llu, packet %ld: %s%s%s\n",
	       (unsigned long long)c->seed, c->idx, msg, why2 ? ": " : "",
	       why2 ? why2 : "");
	fflush(stdout);
	exit(1);
}

__attribute__((format(printf, 3, 4), noreturn))
static void table_fail(struct ctx *c, const char *when, const char *fmt, ...)
{
	va_list ap;

	fail_hdr(c);
	printf("  flow table/counts %s: ", when);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n  last input: %s\n", c->desc);
	printf("FAIL fuzz: seed %llu, after packet %ld: the flow table or the "
	       "counts (above)\n", (unsigned long long)c->seed, c->idx);
	fflush(stdout);
	exit(1);
}

static void key_str(const struct xlb_flow_key *k, char *b, size_t n)
{
	__u32 s = ntohl(k->src.a[0]), d = ntohl(k->dst.a[0]);

	if (k->family == XLB_AF_INET6) {
		snprintf(b, n, "%s6 [fd00::%x]:%u > [fd00::%x]:%u (%u)",
			 k->proto == IPPROTO_TCP ? "tcp" : k->proto ==
			 IPPROTO_UDP ? "udp" : "?", fz_n6((const __u8 *)&k->src),
			 ntohs(k->sport), fz_n6((const __u8 *)&k->dst),
			 ntohs(k->dport), k->family);
		return;
	}

	snprintf(b, n, "%s %u.%u.%u.%u:%u > %u.%u.%u.%u:%u",
		 k->proto == IPPROTO_TCP ? "tcp" : k->proto == IPPROTO_UDP ?
		 "udp" : "?", s >> 24, (s >> 16) & 0xff, (s >> 8) & 0xff,
		 s & 0xff, ntohs(k->sport), d >> 24, (d >> 16) & 0xff,
		 (d >> 8) & 0xff, d & 0xff, ntohs(k->dport));
}

/* ---- Maps */
static int read_reasons(struct ctx *c, __u64 out[XLB_R_MAX])
{
	__u32 keys[XLB_R_MAX], count = XLB_R_MAX, outb = 0, r;
	LIBBPF_OPTS(bpf_map_batch_opts, o);
	int err, k;

	err = bpf_map_lookup_batch(c->fx.reasons, NULL, &outb, keys, c->pcpu,
				   &count, &o);
	if ((err && errno != ENOENT) || count != XLB_R_MAX)
		return fx_reasons(&c->fx, out);		/* one by one */
	for (r = 0; r < XLB_R_MAX; r++) {
		out[keys[r]] = 0;
		for (k = 0; k < c->ncpus; k++)
			out[keys[r]] += c->pcpu[r * c->ncpus + k];
	}
	return 0;
}

/* The reasons' movement since the last call. */
static void step_reasons(struct ctx *c)
{
	__u64 now[XLB_R_MAX];
	int r;

	if (read_reasons(c, now)) {
		printf("FAIL fuzz: cannot read the reasons map: %s\n",
		       strerror(errno));
		exit(1);
	}
	for (r = 0; r < XLB_R_MAX; r++) {
		c->delta[r] = now[r] - c->prev[r];
		c->prev[r] = now[r];
	}
}

static int cmp_key(const void *a, const void *b)
{
	return memcmp(&((const struct fx_flow *)a)->k,
		      &((const struct fx_flow *)b)->k,
		      sizeof(struct xlb_flow_key));
}

static int cmp_created(const void *a, const void *b)
{
	const struct fx_flow *x = *(const struct fx_flow *const *)a;
	const struct fx_flow *y = *(const struct fx_flow *const *)b;

	if (x->v.created_ns != y->v.created_ns)
		return x->v.created_ns < y->v.created_ns ? -1 : 1;
	return memcmp(&x->k, &y->k, sizeof(x->k));
}

static int dump_flows(struct ctx *c)
{
	static struct xlb_flow_key keys[1024];
	static struct xlb_flow vals[1024];
	__u32 inb = 0, outb = 0, count, i;
	LIBBPF_OPTS(bpf_map_batch_opts, o);
	struct xlb_flow_key k, *prev = NULL;
	int err, first = 1;

	c->ndump = 0;
	for (;;) {
		count = 1024;
		err = bpf_map_lookup_batch(c->fx.flows, first ? NULL : &inb,
					   &outb, keys, vals, &count, &o);
		if (err && errno != ENOENT)
			break;
		for (i = 0; i < count; i++) {
			if (c->ndump == c->cap) {
				c->cap = c->cap ? 2 * c->cap : 4096;
				c->dump = realloc(c->dump,
						  c->cap * sizeof(*c->dump));
				if (!c->dump)
					return -ENOMEM;
			}
			c->dump[c->ndump].k = keys[i];
			c->dump[c->ndump].v = vals[i];
			c->ndump++;
		}
		if (err)		/* ENOENT: that was the last */
			goto sorted;
		inb = outb;
		first = 0;
	}
	/* No batch operations: one key at a time. */
	c->ndump = 0;
	while (!bpf_map_get_next_key(c->fx.flows, prev, &k)) {
		if (c->ndump == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 4096;
			c->dump = realloc(c->dump, c->cap * sizeof(*c->dump));
			if (!c->dump)
				return -ENOMEM;
		}
		c->dump[c->ndump].k = k;
		if (bpf_map_lookup_elem(c->fx.flows, &k, &c->dump[c->ndump].v))
			return -errno;
		prev = &c->dump[c->ndump].k;
		c->ndump++;
	}
sorted:
	qsort(c->dump, c->ndump, sizeof(*c->dump), cmp_key);
	if ((__u64)c->ndump > c->flows_max)
		c->flows_max = c->ndump;
	return 0;
}

static const struct fx_flow *find(struct ctx *c, const struct xlb_flow_key *k)
{
	struct fx_flow key = { .k = *k };

	return bsearch(&key, c->dump, c->ndump, sizeof(*c->dump), cmp_key);
}

static void peer_key(struct xlb_flow_key *k, const struct xlb_flow *f)
{
	memset(k, 0, sizeof(*k));
	k->src = f->nat_dst;
	k->dst = f->nat_src;
	k->sport = f->nat_dport;
	k->dport = f->nat_sport;
	k->proto = f->proto;
	k->family = f->family;
}

/* bpf/conntrack.h's rules, restated. */
static int closed_of(__u32 ev)
{
	return (ev & XLB_EV_RST) ||
	       ((ev & XLB_EV_FIN_FWD) && (ev & XLB_EV_FIN_REV));
}

static __u8 state_of(__u8 proto, __u32 ev)
{
	if (proto != IPPROTO_TCP)
		return XLB_UDP;
	if (ev & XLB_EV_RST)
		return XLB_TCP_CLOSE;
	if ((ev & XLB_EV_FIN_FWD) && (ev & XLB_EV_FIN_REV))
		return XLB_TCP_TIME_WAIT;
	if (ev & XLB_EV_FIN_FWD)
		return XLB_TCP_FIN_WAIT;
	if (ev & XLB_EV_FIN_REV)
		return XLB_TCP_CLOSE_WAIT;
	if (ev & XLB_EV_ACK)
		return XLB_TCP_ESTABLISHED;
	if (ev & XLB_EV_SYNACK)
		return XLB_TCP_SYN_RECV;
	return XLB_TCP_SYN_SENT;
}

/* The forward entry's "counted" word: which counts the flow holds
 * (include/xlb_flow.h; 1 = active, in versions without half_open). */
#ifdef XLB_COUNT_OPEN
#define CNT_NONE	XLB_COUNT_NONE
#define CNT_HALF	XLB_COUNT_HALF
#define CNT_OPEN	XLB_COUNT_OPEN
#else
#define CNT_NONE	0
#define CNT_HALF	1
#define CNT_OPEN	1
#endif

static __u32 counted_of(__u8 proto, __u32 ev)
{
	if (proto == IPPROTO_TCP && closed_of(ev))
		return CNT_NONE;
	if (proto == IPPROTO_TCP && !(ev & XLB_EV_ACK))
		return CNT_HALF;
	return CNT_OPEN;
}

static void conns_of(struct ctx *c, __u32 bid, __s64 *active, __s64 *half)
{
	struct xlb_backend_conns v;

	memset(&v, 0, sizeof(v));
	*active = *half = -12345;
	if (bpf_map_lookup_elem(c->fx.conns, &bid, &v))
		return;
	*active = v.active;
#ifdef XLB_COUNT_HALF
	*half = v.half_open;
#else
	*half = 0;
#endif
}

static __s64 total_expected(struct ctx *c)
{
	return (__s64)(c->prev[XLB_R_FLOW_CREATED] - c->base[XLB_R_FLOW_CREATED]) -
	       (__s64)(c->prev[XLB_R_FLOW_CLOSED] - c->base[XLB_R_FLOW_CLOSED]) -
	       (__s64)(c->prev[XLB_R_FLOW_EXPIRED] - c->base[XLB_R_FLOW_EXPIRED]) -
	       (__s64)c->killed;
}

/* An IPv6 forward entry: a service on [fd00::1] and one of its backends,
 * that backend's NAT, state and count as its events give. */
static void check_fwd6(struct ctx *c, const char *when, const char *ks,
		       const struct xlb_flow_key *k, const struct xlb_flow *v)
{
	const struct fz_svc *s = fz_svc6_at((const __u8 *)&k->dst,
					    ntohs(k->dport), k->proto);
	const struct fz_be6 *be = be6_of(v->backend);
	__u16 np = ntohs(v->nat_sport);
	__u8 src[16];
	int j;

	if (!s || v->svc != s->id)
		table_fail(c, when, "forward entry %s: service %u, not a "
			   "service on [fd00::1]", ks, v->svc);
	for (j = 0; j < s->nb && s->bids[j] != v->backend; j++)
		;
	if (j == s->nb || !be)
		table_fail(c, when, "forward entry %s: backend %u is not in "
			   "service %u's pool", ks, v->backend, s->id);
	fz_ip6(src, FZ_VIP6);
	if (fz_n6((const __u8 *)&v->nat_dst) != (int)be->n ||
	    ntohs(v->nat_dport) != be->port ||
	    memcmp(&v->nat_src, src, 16) || np < NAT_PORT_MIN ||
	    np > NAT_PORT_MAX)
		table_fail(c, when, "forward entry %s: NAT to [fd00::%x]:%u "
			   "from port %u, backend %u is [fd00::%x]:%u", ks,
			   fz_n6((const __u8 *)&v->nat_dst), ntohs(v->nat_dport),
			   np, v->backend, be->n, be->port);
	if (v->state != state_of(v->proto, v->events))
		table_fail(c, when, "forward entry %s: state %u, its events "
			   "0x%x give %u", ks, v->state, v->events,
			   state_of(v->proto, v->events));
	if (v->counted != counted_of(v->proto, v->events) ||
	    (v->proto == IPPROTO_UDP && v->events))
		table_fail(c, when, "forward entry %s: counted %u with events "
			   "0x%x (want %u)", ks, v->counted, v->events,
			   counted_of(v->proto, v->events));
}

/* The table and the counts agree (see the top of the file). Leaves the
 * dump in c->dump; rebuilds the generator's model from it. */
static void check_table(struct ctx *c, const char *when)
{
	__s64 cnt[FX_NBACKENDS] = {}, half[FX_NBACKENDS] = {};
	__s64 active, half_open, sum = 0;
	int nfwd = 0, nrep = 0, i, j, err;
	struct fx_flow **fwd;
	char ks[96];

	err = dump_flows(c);
	if (err)
		table_fail(c, when, "cannot dump the flow table: %s",
			   strerror(-err));
	c->table_checks++;
	for (i = 0; i < c->ndump; i++) {
		const struct xlb_flow_key *k = &c->dump[i].k;
		const struct xlb_flow *v = &c->dump[i].v;
		const struct fx_flow *p;
		struct xlb_flow_key pk, ppk;

		key_str(k, ks, sizeof(ks));
		if ((k->family != XLB_AF_INET && k->family != XLB_AF_INET6) ||
		    v->family != k->family || k->proto != v->proto || k->pad ||
		    (k->proto != IPPROTO_TCP && k->proto != IPPROTO_UDP))
			table_fail(c, when, "entry %s: family %u/%u, proto "
				   "%u/%u, pad %u", ks, k->family, v->family,
				   k->proto, v->proto, k->pad);
		if (v->dir == XLB_DIR_FORWARD && k->family == XLB_AF_INET6) {
			nfwd++;
			check_fwd6(c, when, ks, k, v);
			if (v->backend < FX_NBACKENDS) {
				cnt[v->backend] += v->counted != CNT_NONE;
				half[v->backend] += CNT_HALF != CNT_OPEN &&
						    v->counted == CNT_HALF;
			}
		} else if (v->dir == XLB_DIR_FORWARD) {
			const struct fz_svc *s = fz_svc_at(ntohl(k->dst.a[0]),
							   ntohs(k->dport),
							   k->proto);
			const struct fz_be *be = be_of(v->backend);
			__u16 np = ntohs(v->nat_sport);

			nfwd++;
			if (!s || v->svc != s->id)
				table_fail(c, when, "forward entry %s: service "
					   "%u, not a service on the VIP", ks,
					   v->svc);
			for (j = 0; j < s->nb && s->bids[j] != v->backend; j++)
				;
			if (j == s->nb || !be)
				table_fail(c, when, "forward entry %s: backend "
					   "%u is not in service %u's pool",
					   ks, v->backend, s->id);
			if (ntohl(v->nat_dst.a[0]) != be->ip ||
			    ntohs(v->nat_dport) != be->port ||
			    ntohl(v->nat_src.a[0]) != be->src ||
			    np < NAT_PORT_MIN || np > NAT_PORT_MAX)
				table_fail(c, when, "forward entry %s: NAT to "
					   "%08x:%u from %08x:%u, backend %u "
					   "is %08x:%u", ks,
					   ntohl(v->nat_dst.a[0]),
					   ntohs(v->nat_dport),
					   ntohl(v->nat_src.a[0]), np,
					   v->backend, be->ip, be->port);
			if (v->state != state_of(v->proto, v->events))
				table_fail(c, when, "forward entry %s: state "
					   "%u, its events 0x%x give %u", ks,
					   v->state, v->events,
					   state_of(v->proto, v->events));
			if (v->counted != counted_of(v->proto, v->events) ||
			    (v->proto == IPPROTO_UDP && v->events))
				table_fail(c, when, "forward entry %s: counted "
					   "%u with events 0x%x (want %u)", ks,
					   v->counted, v->events,
					   counted_of(v->proto, v->events));
			if (v->backend < FX_NBACKENDS) {
				cnt[v->backend] += v->counted != CNT_NONE;
				half[v->backend] += CNT_HALF != CNT_OPEN &&
						    v->counted == CNT_HALF;
			}
		} else if (v->dir == XLB_DIR_REPLY) {
			nrep++;
		} else {
			table_fail(c, when, "entry %s: direction %u", ks,
				   v->dir);
		}
		peer_key(&pk, v);
		p = find(c, &pk);
		if (!p)
			table_fail(c, when, "%s entry %s has no peer entry",
				   v->dir ? "reply" : "forward", ks);
		peer_key(&ppk, &p->v);
		if (p->v.dir == v->dir || memcmp(&ppk, k, sizeof(ppk)) ||
		    p->v.backend != v->backend || p->v.svc != v->svc)
			table_fail(c, when, "entry %s and its peer disagree "
				   "(dir %u/%u, backend %u/%u, svc %u/%u, "
				   "peer's peer %s)", ks, v->dir, p->v.dir,
				   v->backend, p->v.backend, v->svc, p->v.svc,
				   memcmp(&ppk, k, sizeof(ppk)) ? "another" :
				   "this");
	}
	if (nfwd != nrep)
		table_fail(c, when, "%d forward entries, %d reply entries",
			   nfwd, nrep);
	for (i = 0; i < FX_NBACKENDS; i++) {
		conns_of(c, i, &active, &half_open);
		if (active != cnt[i] || active < 0 || half_open != half[i] ||
		    half_open < 0)
			table_fail(c, when, "backend %d: active %lld, half_open "
				   "%lld; its forward entries hold %lld and "
				   "%lld", i, (long long)active,
				   (long long)half_open, (long long)cnt[i],
				   (long long)half[i]);
		sum += active;
	}
	if (sum != total_expected(c))
		table_fail(c, when, "counts total %lld, flows created - "
			   "closed - expired - killed = %lld", (long long)sum,
			   (long long)total_expected(c));

	/* The generator's model: the forward entries, oldest first. */
	fwd = malloc((nfwd + 1) * sizeof(*fwd));
	if (!fwd)
		table_fail(c, when, "out of memory");
	for (i = 0, j = 0; i < c->ndump; i++)
		if (c->dump[i].v.dir == XLB_DIR_FORWARD)
			fwd[j++] = &c->dump[i];
	qsort(fwd, j, sizeof(*fwd), cmp_created);
	fz_gen_clear(&c->gen);
	for (i = 0; i < j; i++)
		fz_gen_add(&c->gen, &fwd[i]->k, &fwd[i]->v);
	free(fwd);
}

/* ---- Expiry passes */
static void gc_pass(struct ctx *c, __u64 advance_ns)
{
	struct xlb_gc_result r;
	__u64 counted = 0, nfwd = 0;
	char when[64];
	int i, err;

	check_table(c, "before an expiry pass");
	for (i = 0; i < c->ndump; i++)
		if (c->dump[i].v.dir == XLB_DIR_FORWARD) {
			nfwd++;
			counted += c->dump[i].v.counted != CNT_NONE;
		}
	err = xlb_gc_run(c->fx.gc_prog, advance_ns, &r);
	if (err)
		table_fail(c, "in an expiry pass", "xlb_gc_run: %s",
			   strerror(-err));
	c->gc_passes++;
	step_reasons(c);
	snprintf(when, sizeof(when), "after an expiry pass (+%llu s)",
		 (unsigned long long)(advance_ns / 1000000000ull));
	if (r.expired != c->delta[XLB_R_FLOW_EXPIRED] || r.killed)
		table_fail(c, when, "it expired %llu flows, flow_expired "
			   "moved by %llu, killed %llu",
			   (unsigned long long)r.expired,
			   (unsigned long long)c->delta[XLB_R_FLOW_EXPIRED],
			   (unsigned long long)r.killed);
	if (advance_ns >= GC_ALL_NS &&
	    (r.removed != nfwd || r.expired != counted))
		table_fail(c, when, "removed %llu of %llu flows, expired %llu "
			   "of %llu open ones", (unsigned long long)r.removed,
			   (unsigned long long)nfwd,
			   (unsigned long long)r.expired,
			   (unsigned long long)counted);
	check_table(c, when);
	if (advance_ns >= GC_ALL_NS) {
		if (c->ndump)
			table_fail(c, when, "%d entries left", c->ndump);
		for (i = 0; i < FX_NBACKENDS; i++) {
			__s64 a, h;

			conns_of(c, i, &a, &h);
			if (a || h)
				table_fail(c, when, "backend %d: active %lld, "
					   "half_open %lld", i, (long long)a,
					   (long long)h);
		}
	}
}

/* shutdown-sessions on bid: its open flows give their counts back. */
static void gc_kill(struct ctx *c, __u32 bid)
{
	struct xlb_gc_result r;
	__u64 expect = 0;
	char when[64];
	int i, err;

	check_table(c, "before a kill pass");
	for (i = 0; i < c->ndump; i++) {
		const struct xlb_flow *v = &c->dump[i].v;

		if (v->dir == XLB_DIR_FORWARD && v->backend == bid &&
		    !(v->events & XLB_EV_KILLED) && v->counted != CNT_NONE)
			expect++;
	}
	err = fx_gc_kill(&c->fx, bid, &r);
	if (err)
		table_fail(c, "in a kill pass", "xlb_gc (kill): %s",
			   strerror(-err));
	c->gc_passes++;
	c->killed += r.killed;
	step_reasons(c);
	snprintf(when, sizeof(when), "after a kill pass on backend %u", bid);
	if (r.killed != expect)
		table_fail(c, when, "killed %llu flows, %llu were open",
			   (unsigned long long)r.killed,
			   (unsigned long long)expect);
	{
		__s64 a, h;

		conns_of(c, bid, &a, &h);
		if (a || h)
			table_fail(c, when, "active %lld, half_open %lld",
				   (long long)a, (long long)h);
	}
	check_table(c, when);
}

/* ---- One packet */
static int run(struct ctx *c, __u32 *action)
{
	struct xdp_md xmd = {
		.data_end = c->in.len, .ingress_ifindex = c->fx.ifindex,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = c->in.d,
		    .data_size_in = c->in.len, .data_out = c->out.d,
		    .data_size_out = sizeof(c->out.d), .ctx_in = &xmd,
		    .ctx_size_in = sizeof(xmd), .repeat = 1);

	c->out.len = 0;
	if (bpf_prog_test_run_opts(c->fx.prog, &o))
		return -errno;
	c->out.len = o.data_size_out;
	*action = o.retval;
	return 0;
}

static int is_pure_syn(__u8 f)
{
	return (f & 0x17) == 0x02;	/* SYN, without ACK, RST, FIN */
}

/* Reasons of later features, found by name (-1: this data path has none). */
static struct {
	int frag_first, frag_follow, icmp_nat, echo, rst_full;
} R;

static int is_rst_reason(int r)
{
	return r == XLB_R_TX_RST_NO_BACKEND || r == XLB_R_TX_RST_KILLED ||
	       (r >= 0 && r == R.rst_full);
}

static int is_fwd_reason(int r)
{
	return r == XLB_R_FORWARD_TX || r == XLB_R_FORWARD_REDIRECT;
}

/* Only bytes in the listed [from, to) ranges (and the MACs) changed. */
static void only_changed(struct ctx *c, int act, const unsigned int *rg,
			 int n)
{
	unsigned int i;
	int k;

	if (c->out.len != c->in.len)
		pkt_fail(c, act, 1, NULL, "sent with length %u, input %u",
			 c->out.len, c->in.len);
	for (i = ETH_ALEN * 2; i < c->in.len; i++) {
		if (c->in.d[i] == c->out.d[i])
			continue;
		for (k = 0; k < n; k++)
			if (i >= rg[2 * k] && i < rg[2 * k + 1])
				break;
		if (k == n)
			pkt_fail(c, act, 1, NULL, "sent with byte %u changed "
				 "(0x%02x -> 0x%02x), which this rewrite must "
				 "not touch", i, c->in.d[i], c->out.d[i]);
	}
}

/* The next hop of a packet sent to daddr for flow entry e: its neighbour
 * entry, or for a client without one the MACs its flow's first packet
 * came with. */
static void check_macs(struct ctx *c, int act, __u32 daddr,
		       const struct xlb_flow *e)
{
	unsigned char mac[6];
	int ok;

	if (fz_has_neigh(daddr)) {
		const unsigned char *smac = c->fx.lb_mac;

		if ((daddr & 0xffffff00) == FZ_IP(10, 0, 2, 0))
			smac = c->mac2;
		else if ((daddr & 0xffffff00) == FZ_IP(10, 0, 3, 0))
			smac = c->mac3;
		fz_mac_of(daddr, mac);
		ok = !memcmp(c->out.d, mac, 6) && !memcmp(c->out.d + 6, smac, 6);
	} else {
		ok = e->dir == XLB_DIR_REPLY &&
		     !memcmp(c->out.d, e->client_mac, 6) &&
		     !memcmp(c->out.d + 6, e->local_mac, 6);
	}
	if (!ok)
		pkt_fail(c, act, 1, NULL, "sent to %08x with the wrong MACs "
			 "(neighbour %s)", daddr,
			 fz_has_neigh(daddr) ? "known" : "unknown");
}

/* A forwarded packet: the input with the flow's NAT applied. */
static void check_nat(struct ctx *c, const struct fz_class *ci,
		      const struct xlb_flow_key *key, int act)
{
	struct fz_class co;
	struct xlb_flow e;
	unsigned int l3 = ci->l3, l4 = ci->l4,
		     ck = l4 + (ci->proto == IPPROTO_TCP ? 16 : 6);
	const unsigned int rg[] = { l3 + 10, l3 + 20, l4, l4 + 4, ck, ck + 2 };

	if (bpf_map_lookup_elem(c->fx.flows, key, &e))
		pkt_fail(c, act, 1, NULL, "forwarded, but its tuple has no "
			 "flow entry after the run");
	only_changed(c, act, rg, 3);
	fz_classify_lax(&c->out, &co, c->lax);
	if (!(co.wellformed || co.first_ok) ||
	    co.saddr != ntohl(e.nat_src.a[0]) ||
	    co.daddr != ntohl(e.nat_dst.a[0]) ||
	    co.sport != ntohs(e.nat_sport) || co.dport != ntohs(e.nat_dport))
		pkt_fail(c, act, 1, NULL, "forwarded as %08x:%u > %08x:%u, "
			 "the flow's NAT is %08x:%u > %08x:%u", co.saddr,
			 co.sport, co.daddr, co.dport,
			 ntohl(e.nat_src.a[0]), ntohs(e.nat_sport),
			 ntohl(e.nat_dst.a[0]), ntohs(e.nat_dport));
	check_macs(c, act, co.daddr, &e);
	if (ci->ip_csum_ok && !co.ip_csum_ok)
		pkt_fail(c, act, 1, NULL, "the input's IPv4 checksum was valid, "
			 "the output's is not");
	/* A first fragment's L4 checksum covers the whole datagram. */
	if (!ci->frag && ci->l4_csum_ok && !co.l4_csum_ok)
		pkt_fail(c, act, 1, NULL, "the input's %s checksum was valid, "
			 "the output's is not", ci->proto == IPPROTO_TCP ?
			 "TCP" : "UDP");
	if (ci->proto == IPPROTO_UDP && ci->udp_nocsum != co.udp_nocsum)
		pkt_fail(c, act, 1, NULL, "UDP checksum %s on the way",
			 ci->udp_nocsum ? "appeared" : "became 0 (none)");
}

/* A later fragment sent on: only its IPv4 addresses rewritten, as the
 * first fragment's flow (entry e, looked up before the run) says. */
static void check_follow(struct ctx *c, const struct fz_class *ci,
			 const struct xlb_flow *e, int act)
{
	const unsigned int rg[] = { ci->l3 + 10, ci->l3 + 20 };
	struct fz_class co;

	only_changed(c, act, rg, 1);
	fz_classify_lax(&c->out, &co, c->lax);
	if (!co.ip_hdr || co.saddr != ntohl(e->nat_src.a[0]) ||
	    co.daddr != ntohl(e->nat_dst.a[0]))
		pkt_fail(c, act, 1, NULL, "later fragment sent as %08x > %08x, "
			 "its flow's NAT is %08x > %08x", co.saddr, co.daddr,
			 ntohl(e->nat_src.a[0]), ntohl(e->nat_dst.a[0]));
	check_macs(c, act, co.daddr, e);
	if (ci->ip_csum_ok && !co.ip_csum_ok)
		pkt_fail(c, act, 1, NULL, "the input's IPv4 checksum was valid, "
			 "the output's is not");
}

/* a and b, one's complement sums, equal modulo 0xffff. */
static int csum_eq(__u32 a, __u32 b)
{
	return pkt_fold(a) % 0xffff == pkt_fold(b) % 0xffff;
}

/* The visible part of the quoted packet's L4 checksum equation: the
 * pseudo-header's addresses, the ports and the checksum field. The rest
 * (the unquoted bytes, the length) does not change, so a right update
 * keeps this sum. */
static __u32 quote_sum(const struct fz_buf *b, const struct fz_class *c,
		       unsigned int ck)
{
	const unsigned char *q = b->d + c->q_l3;

	return pkt_sum(q + 12, 8, 0) + pkt_sum(q + c->q_ihl, 4, 0) +
	       fz_get16(b->d + ck);
}

/* An ICMP error about a tracked flow (entry e, key reversed from the
 * quote), translated: outer addresses to the flow's NAT, the quote to
 * what the other side sent or received. */
static void check_icmp_nat(struct ctx *c, const struct fz_class *ci,
			   const struct xlb_flow *e, int act)
{
	unsigned int q = ci->q_l3, qh = ci->q_ihl, ck = 0,
		     qend = ci->l4 + ci->l4len;
	unsigned int rg[] = { ci->l3 + 10, ci->l3 + 20, ci->l4 + 2, ci->l4 + 4,
			      q + 10, q + 20, q + qh, q + qh + 4, 0, 0 };
	struct fz_class co;
	int n = 4;

	/* The quoted L4 checksum, when the quote holds it. */
	if (ci->q_proto == IPPROTO_UDP && q + qh + 8 <= qend)
		ck = q + qh + 6;
	else if (ci->q_proto == IPPROTO_TCP && q + qh + 18 <= qend)
		ck = q + qh + 16;
	if (ck) {
		rg[8] = ck;
		rg[9] = ck + 2;
		n = 5;
	}
	only_changed(c, act, rg, n);
	fz_classify_lax(&c->out, &co, c->lax);
	if (!co.err_ok || co.saddr != ntohl(e->nat_src.a[0]) ||
	    co.daddr != ntohl(e->nat_dst.a[0]) ||
	    co.q_saddr != ntohl(e->nat_dst.a[0]) ||
	    co.q_daddr != ntohl(e->nat_src.a[0]) ||
	    co.q_sport != ntohs(e->nat_dport) ||
	    co.q_dport != ntohs(e->nat_sport))
		pkt_fail(c, act, 1, NULL, "ICMP error sent as %08x > %08x "
			 "quoting %08x:%u > %08x:%u; the flow's NAT is %08x:%u "
			 "> %08x:%u", co.saddr, co.daddr, co.q_saddr,
			 co.q_sport, co.q_daddr, co.q_dport,
			 ntohl(e->nat_src.a[0]), ntohs(e->nat_sport),
			 ntohl(e->nat_dst.a[0]), ntohs(e->nat_dport));
	check_macs(c, act, co.daddr, e);
	if (ci->ip_csum_ok && !co.ip_csum_ok)
		pkt_fail(c, act, 1, NULL, "the input's IPv4 checksum was valid, "
			 "the output's is not");
	if (ci->icmp_csum_ok && !co.icmp_csum_ok)
		pkt_fail(c, act, 1, NULL, "the input's ICMP checksum was valid, "
			 "the output's is not");
	if (ci->q_ip_csum_ok && !co.q_ip_csum_ok)
		pkt_fail(c, act, 1, NULL, "the quoted IPv4 header's checksum "
			 "was valid, the output's is not");
	if (!ck)
		return;
	if (ci->q_proto == IPPROTO_UDP && !fz_get16(c->in.d + ck)) {
		if (fz_get16(c->out.d + ck))
			pkt_fail(c, act, 1, NULL, "the quote's UDP checksum 0 "
				 "(none) became 0x%04x",
				 fz_get16(c->out.d + ck));
		return;
	}
	if (!csum_eq(quote_sum(&c->in, ci, ck), quote_sum(&c->out, &co, ck)) ||
	    (ci->q_proto == IPPROTO_UDP && !fz_get16(c->out.d + ck)))
		pkt_fail(c, act, 1, NULL, "the quote's %s checksum 0x%04x -> "
			 "0x%04x does not follow its new addresses and ports",
			 ci->q_proto == IPPROTO_TCP ? "TCP" : "UDP",
			 fz_get16(c->in.d + ck), fz_get16(c->out.d + ck));
}

/* An echo reply to an echo request to a VIP. */
static void check_echo(struct ctx *c, const struct fz_class *ci, int act)
{
	unsigned int l3 = ci->l3, l4 = ci->l4;
	const unsigned int rg[] = { l3 + 8, l3 + 9, l3 + 10, l3 + 20, l4,
				    l4 + 1, l4 + 2, l4 + 4 };
	__u32 s = ci->saddr;
	struct fz_class co;

	if (!ci->echo_ok || ci->daddr != FZ_VIP || !(s >> 24) ||
	    (s >> 24) == 127 || (s >> 28) == 0xe || s == 0xffffffff)
		pkt_fail(c, act, 1, ci->ip_ok ? NULL : ci->why,
			 "an echo reply to what is not an echo request to a "
			 "VIP from a unicast source, without options");
	only_changed(c, act, rg, 4);
	fz_classify_lax(&c->out, &co, c->lax);
	if (memcmp(c->out.d, c->in.d + 6, 6) ||
	    memcmp(c->out.d + 6, c->in.d, 6) || co.saddr != ci->daddr ||
	    co.daddr != ci->saddr || !co.icmp_ok || co.icmp_type != 0 ||
	    co.icmp_code != ci->icmp_code || c->out.d[l3 + 8] != 64)
		pkt_fail(c, act, 1, NULL, "not an echo reply to the request's "
			 "sender");
	if (ci->ip_csum_ok && !co.ip_csum_ok)
		pkt_fail(c, act, 1, NULL, "the input's IPv4 checksum was valid, "
			 "the output's is not");
	if (ci->icmp_csum_ok && !co.icmp_csum_ok)
		pkt_fail(c, act, 1, NULL, "the input's ICMP checksum was valid, "
			 "the output's is not");
}

/* A RST the data path made: to the input's sender, as RFC 793 says. */
static void check_rst(struct ctx *c, const struct fz_class *ci, int reason,
		      int tracked, const struct xlb_flow *before, int act)
{
	static struct pkt_buf pin, want, got;
	struct fz_class co;
	__u8 flags = c->in.len >= ci->l4 + 14 ? c->in.d[ci->l4 + 13] : 0;

	if (act != XDP_TX || !ci->ip_hdr || ci->vlan || ci->frag_later ||
	    ci->proto != IPPROTO_TCP || c->in.len < ci->l4 + 14)
		pkt_fail(c, act, 1, NULL, "a RST answered a frame that is not "
			 "untagged IPv4 TCP (or not with XDP_TX)");
	if (flags & 0x04)
		pkt_fail(c, act, 1, NULL, "a RST answered a RST");
	if (reason != XLB_R_TX_RST_KILLED &&
	    (!fz_svc_at(ci->daddr, ci->dport, IPPROTO_TCP) ||
	     !is_pure_syn(flags)))
		pkt_fail(c, act, 1, NULL, "%s for a packet that is not a SYN "
			 "to a service", fz_reasons[reason].name);
	if (reason == XLB_R_TX_RST_KILLED &&
	    (!tracked || !(before->events & XLB_EV_KILLED)))
		pkt_fail(c, act, 1, NULL, "tx_rst_killed for a packet of no "
			 "killed flow");
	if (ci->wellformed) {
		memset(&pin, 0, sizeof(pin));
		pin.len = c->in.len < PKT_MAX ? c->in.len : PKT_MAX;
		memcpy(pin.d, c->in.d, pin.len);
		pkt_build_rst_reply(&pin, &want);
		if (c->out.len != want.len ||
		    memcmp(c->out.d, want.d, want.len)) {
			got.len = c->out.len < PKT_MAX ? c->out.len : PKT_MAX;
			memcpy(got.d, c->out.d, got.len);
			printf("RST reply vs RFC 793's (tests/bpf/pkt.c):\n");
			pkt_print_diff("    ", &got, &want);
			pkt_fail(c, act, 1, NULL, "the RST reply is not the one "
				 "RFC 793 asks for (%u bytes, want %u)",
				 c->out.len, want.len);
		}
		return;
	}
	/* A first fragment (its RST's ack cannot count the whole segment),
	 * or a malformed input the data path read as TCP anyway (say,
	 * tot_len short of the TCP header): a RST to its sender, with valid
	 * checksums, is tolerated; the malformed ones are counted. */
	if (!ci->first_ok)
		c->rst_malformed++;
	fz_classify_lax(&c->out, &co, c->lax);
	if (c->out.len != 54 || !co.wellformed || !co.ip_csum_ok ||
	    !co.l4_csum_ok || co.saddr != ci->daddr || co.daddr != ci->saddr ||
	    co.sport != ci->dport || co.dport != ci->sport ||
	    !(co.tcp_flags & 0x04) || memcmp(c->out.d, c->in.d + 6, 6) ||
	    memcmp(c->out.d + 6, c->in.d, 6))
		pkt_fail(c, act, 1, NULL, "a RST that is not a valid RST to "
			 "the input's sender");
}

/* The same for an IPv6 segment (oracle6.c checks the frame). */
static void check_rst6(struct ctx *c, const struct fz_class *ci, int reason,
		       int tracked, const struct xlb_flow *before, int act)
{
	const char *w;

	if (act != XDP_TX)
		pkt_fail(c, act, 1, NULL, "a RST not sent with XDP_TX");
	if (ci->tcp_flags & 0x04)
		pkt_fail(c, act, 1, NULL, "a RST answered a RST");
	if (reason != XLB_R_TX_RST_KILLED &&
	    (!fz_svc6_at(ci->daddr6, ci->dport, IPPROTO_TCP) ||
	     !is_pure_syn(ci->tcp_flags)))
		pkt_fail(c, act, 1, NULL, "%s for a packet that is not a SYN "
			 "to an IPv6 service", fz_reasons[reason].name);
	if (reason == XLB_R_TX_RST_KILLED &&
	    (!tracked || !(before->events & XLB_EV_KILLED)))
		pkt_fail(c, act, 1, NULL, "tx_rst_killed for a packet of no "
			 "killed flow");
	w = fz_check_rst6(&c->in, &c->out, ci);
	if (w)
		pkt_fail(c, act, 1, NULL, "%s", w);
}

/* The events a TCP packet of direction dir adds to a flow that has seen
 * seen (include/xlb_flow.h: SYN_RECV once the backend's SYN-ACK is seen,
 * ESTABLISHED at the client's ACK after it; FIN each way; RST). */
static __u32 tcp_events_spec(__u8 flags, int dir, __u32 seen)
{
	__u32 e = 0;

	if (flags & 0x04)
		e |= XLB_EV_RST;
	if (flags & 0x01)
		e |= dir == XLB_DIR_FORWARD ? XLB_EV_FIN_FWD : XLB_EV_FIN_REV;
	if (dir == XLB_DIR_REPLY && (flags & 0x12) == 0x12)
		e |= XLB_EV_SYNACK;
	if (dir == XLB_DIR_FORWARD && (flags & 0x10) && (seen & XLB_EV_SYNACK))
		e |= XLB_EV_ACK;
	return e;
}

/* A packet of a tracked TCP flow: its forward entry (fb before the run)
 * gains exactly the events the packet carries when it was sent on, none
 * otherwise; flow_closed moves when those close an open flow. */
static void check_state(struct ctx *c, const struct fz_class *ci,
			const struct xlb_flow_key *fk,
			const struct xlb_flow *fb, int dir, int sent,
			__u64 closed, int act)
{
	struct xlb_flow fa;
	__u32 want = fb->events;
	int closes;

	if (bpf_map_lookup_elem(c->fx.flows, fk, &fa))
		pkt_fail(c, act, 1, NULL, "the flow's forward entry vanished");
	if (sent)
		want |= tcp_events_spec(ci->tcp_flags, dir, fb->events);
	if (fa.events != want)
		pkt_fail(c, act, 1, NULL, "flow events 0x%x -> 0x%x, want 0x%x "
			 "(a %s %s packet, flags 0x%02x)", fb->events,
			 fa.events, want, sent ? "forwarded" : "not forwarded",
			 dir == XLB_DIR_FORWARD ? "client" : "backend",
			 ci->tcp_flags);
	closes = !closed_of(fb->events) && closed_of(fa.events) &&
		 fb->counted != CNT_NONE;
	if ((__u64)closes != closed)
		pkt_fail(c, act, 1, NULL, "flow_closed moved by %llu, the flow "
			 "%s", (unsigned long long)closed,
			 closes ? "closed" : "did not close");
}

static __u64 ev(struct ctx *c, int r)
{
	return r >= 0 ? c->delta[r] : 0;
}

static int acceptable(const struct fz_class *c)
{
	return c->wellformed || c->first_ok || c->later_ok || c->echo_ok ||
	       c->err_ok;
}

static void one(struct ctx *c)
{
	struct fz_class ci, cl, cs;
	int strict_ok = 1;
	struct xlb_flow_key key, qkey;
	const struct xlb_flow_key *fkey = NULL;
	struct xlb_flow before = {}, qbefore = {}, fbefore = {}, fwdb = {};
	struct xlb_flow_key fwdkey;
	int has_fwd = 0;
	struct fz_dgram dg = {};
	const struct fz_svc *svc;
	int tracked = 0, qtracked = 0, ftracked = 0, have_key, err, r;
	int reason = -1, act_i, fwd;
	const char *why6;
	__u64 npkt = 0, created, closed, ffirst, ffollow, icmpnat;
	__u32 act = 0;
	enum fz_rclass want;

	fz_gen_next(&c->gen, &c->in, c->desc, sizeof(c->desc));
	fz_classify(&c->in, &ci);
	cs = ci;
	if (c->lax) {
		/* Judged as the data path reads it, counted when forwarded. */
		fz_classify_lax(&c->in, &cl, c->lax);
		strict_ok = acceptable(&ci);
		ci = cl;
	}
	/* What the packet may belong to, before the run: its own tuple,
	 * the flow an ICMP error quotes, the datagram a fragment is of. */
	have_key = ci.ip_hdr && ci.ports && !ci.frag_later &&
		   (ci.proto == IPPROTO_TCP || ci.proto == IPPROTO_UDP);
	if (have_key) {
		fz_key_of(&ci, &key);
		tracked = !bpf_map_lookup_elem(c->fx.flows, &key, &before);
	}
	if (ci.err_ok) {
		memset(&qkey, 0, sizeof(qkey));
		qkey.src.a[0] = htonl(ci.q_daddr);
		qkey.dst.a[0] = htonl(ci.q_saddr);
		qkey.sport = htons(ci.q_dport);
		qkey.dport = htons(ci.q_sport);
		qkey.proto = ci.q_proto;
		qkey.family = XLB_AF_INET;
		if (ci.v6) {
			memcpy(&qkey.src, ci.q_daddr6, 16);
			memcpy(&qkey.dst, ci.q_saddr6, 16);
			qkey.family = XLB_AF_INET6;
		}
		qtracked = !bpf_map_lookup_elem(c->fx.flows, &qkey, &qbefore);
	}
	if (ci.ip_hdr && !ci.v6) {
		dg.src = ci.saddr;
		dg.dst = ci.daddr;
		dg.id = ci.ip_id;
		dg.proto = ci.proto;
	} else if (ci.ip_hdr && ci.frag) {
		dg.v6 = 1;
		memcpy(dg.src6, ci.saddr6, 16);
		memcpy(dg.dst6, ci.daddr6, 16);
		dg.id = ci.frag_id6;
		dg.proto = ci.frag_nh6;
	}
	if (ci.frag_later && (fkey = fz_frag_get(&dg)))
		ftracked = !bpf_map_lookup_elem(c->fx.flows, fkey, &fbefore);
	/* A TCP flow's state lives in its forward entry. */
	if (tracked && ci.proto == IPPROTO_TCP) {
		if (before.dir == XLB_DIR_FORWARD)
			fwdkey = key;
		else
			peer_key(&fwdkey, &before);
		has_fwd = !bpf_map_lookup_elem(c->fx.flows, &fwdkey, &fwdb);
	}

	err = run(c, &act);
	memset(c->delta, 0, sizeof(c->delta));
	if (c->in.len < ETH_HLEN) {
		if (err != -EINVAL)
			pkt_fail(c, act, !err, NULL, "a %u-byte frame: the "
				 "kernel should refuse it (EINVAL), got %s",
				 c->in.len, err ? strerror(-err) : "a run");
		c->actions[A_EINVAL]++;
		return;
	}
	if (err)
		pkt_fail(c, 0, 0, NULL, "BPF_PROG_TEST_RUN failed: %s",
			 strerror(-err));
	step_reasons(c);
	if (c->trace)
		printf("%ld: %s -> %u\n", c->idx, c->desc, act);

	switch (act) {
	case XDP_PASS: act_i = A_PASS; want = RC_PASS; break;
	case XDP_DROP: act_i = A_DROP; want = RC_DROP; break;
	case XDP_TX: act_i = A_TX; want = RC_TX; break;
	case XDP_REDIRECT: act_i = A_REDIRECT; want = RC_REDIRECT; break;
	default:
		pkt_fail(c, act, 1, NULL, "action %u (ABORTED or unknown)", act);
	}
	c->actions[act_i]++;
	for (r = 0; r < XLB_R_MAX; r++) {
		if (fz_reasons[r].event || !c->delta[r])
			continue;
		npkt += c->delta[r];
		reason = r;
	}
	if (npkt != 1)
		pkt_fail(c, act, 1, NULL, "%llu packet reasons moved, want "
			 "exactly 1", (unsigned long long)npkt);
	if (fz_reasons[reason].cls != RC_OTHER && fz_reasons[reason].cls != want)
		pkt_fail(c, act, 1, NULL, "action %u with reason %s", act,
			 fz_reasons[reason].name);
	created = c->delta[XLB_R_FLOW_CREATED];
	closed = c->delta[XLB_R_FLOW_CLOSED];
	ffirst = ev(c, R.frag_first);
	ffollow = ev(c, R.frag_follow);
	icmpnat = ev(c, R.icmp_nat);
	fwd = act == XDP_TX || act == XDP_REDIRECT;
	svc = !have_key ? NULL : ci.v6 ? fz_svc6_at(ci.daddr6, ci.dport, ci.proto) :
	      fz_svc_at(ci.daddr, ci.dport, ci.proto);

	/* Events */
	if (c->delta[XLB_R_FLOW_EXPIRED])
		pkt_fail(c, act, 1, NULL, "flow_expired moved in the data path");
	if (created > 1 || closed > 1 || ffirst > 1 || ffollow > 1 ||
	    icmpnat > 1)
		pkt_fail(c, act, 1, NULL, "an event counted more than once for "
			 "one packet");
	if (created && !((ci.wellformed || ci.first_ok) && svc && fwd &&
			 is_fwd_reason(reason) &&
			 (ci.proto == IPPROTO_UDP || is_pure_syn(ci.tcp_flags))))
		pkt_fail(c, act, 1, ci.wellformed ? NULL : ci.why,
			 "a flow was created by a packet that is not a "
			 "forwarded, well-formed SYN or datagram to a service");
	if (closed && !(tracked && (ci.wellformed || ci.first_ok) &&
			ci.proto == IPPROTO_TCP && (ci.tcp_flags & 0x05)))
		pkt_fail(c, act, 1, NULL, "a flow was closed by a packet that "
			 "is not a well-formed FIN or RST of a tracked flow");
	if (ffirst && !(ci.frag_first && fwd))
		pkt_fail(c, act, 1, NULL, "frag_first for what is not a first "
			 "fragment sent on");
	if (ffollow && !(ci.later_ok && fkey && ftracked &&
			 is_fwd_reason(reason)))
		pkt_fail(c, act, 1, ci.later_ok ? NULL : ci.why,
			 "frag_follow for what is not a later fragment of a "
			 "datagram whose first fragment was sent on");
	if (icmpnat && !(ci.err_ok && qtracked && is_fwd_reason(reason)))
		pkt_fail(c, act, 1, NULL, "icmp_error_nat for what is not an "
			 "ICMP error about a tracked flow, sent on");
	/* IPv6: what the oracle can tell (oracle6.c). */
	if (fz_reason6(&cs) >= 0 && reason != fz_reason6(&cs))
		pkt_fail(c, act, 1, cs.why, "an IPv6 frame counted as %s, want "
			 "%s", fz_reasons[reason].name,
			 fz_reasons[fz_reason6(&cs)].name);
	if (cs.wellformed && (reason == XLB_R_PASS_MALFORMED ||
			      reason == XLB_R_PASS_FRAGMENT ||
			      reason == XLB_R_PASS_NOT_IP))
		pkt_fail(c, act, 1, NULL, "a well-formed frame counted as %s",
			 fz_reasons[reason].name);

	/* Verdicts */
	if (act == XDP_PASS &&
	    (c->out.len != c->in.len || memcmp(c->out.d, c->in.d, c->in.len)))
		pkt_fail(c, act, 1, NULL, "XDP_PASS with a modified frame");
	if (fwd) {
		if (is_rst_reason(reason) && ci.v6) {
			check_rst6(c, &ci, reason, tracked, &before, act);
		} else if (is_rst_reason(reason)) {
			check_rst(c, &ci, reason, tracked, &before, act);
		} else if (reason == R.echo && ci.v6) {
			why6 = fz_check_echo6(&c->in, &c->out, &ci);
			if (why6)
				pkt_fail(c, act, 1, NULL, "%s", why6);
		} else if (reason == R.echo) {
			check_echo(c, &ci, act);
		} else if (ffollow) {
			if (fbefore.events & XLB_EV_KILLED)
				pkt_fail(c, act, 1, NULL, "a fragment of a "
					 "killed flow sent on");
			if (ci.v6) {
				why6 = fz_check_follow6(&c->in, &c->out, &ci,
							&fbefore,
							c->fx.lb_mac);
				if (why6)
					pkt_fail(c, act, 1, NULL, "%s", why6);
			} else {
				check_follow(c, &ci, &fbefore, act);
			}
		} else if (icmpnat) {
			if (qbefore.events & XLB_EV_KILLED)
				pkt_fail(c, act, 1, NULL, "an ICMP error about "
					 "a killed flow sent on");
			if (ci.v6) {
				why6 = fz_check_icmp_nat6(&c->in, &c->out, &ci,
							  &qbefore,
							  c->fx.lb_mac);
				if (why6)
					pkt_fail(c, act, 1, NULL, "%s", why6);
			} else {
				check_icmp_nat(c, &ci, &qbefore, act);
			}
		} else {
			if (tracked && !created &&
			    (before.events & XLB_EV_KILLED))
				pkt_fail(c, act, 1, NULL, "a packet of a killed "
					 "flow forwarded");
			if (!(ci.wellformed || (ci.first_ok && ffirst)))
				pkt_fail(c, act, 1, ci.why,
					 "malformed input forwarded");
			if (!tracked && !(created && svc))
				pkt_fail(c, act, 1, NULL, "forwarded, but it is "
					 "no tracked flow's and made none");
			if (is_fwd_reason(reason) && ci.v6) {
				struct xlb_flow e;

				if (bpf_map_lookup_elem(c->fx.flows, &key, &e))
					pkt_fail(c, act, 1, NULL, "forwarded, but "
						 "its tuple has no flow entry "
						 "after the run");
				why6 = fz_check_nat6(&c->in, &c->out, &ci, &e,
						     c->fx.lb_mac);
				if (why6)
					pkt_fail(c, act, 1, NULL, "%s", why6);
			} else if (is_fwd_reason(reason)) {
				check_nat(c, &ci, &key, act);
			} else {
				int ipok, l4ok;

				fz_csums(&c->out, &ipok, &l4ok);
				if ((ci.ip_csum_ok && !ipok) ||
				    (ci.l4_csum_ok && !l4ok))
					pkt_fail(c, act, 1, NULL, "sent with a "
						 "wrong checksum");
			}
		}
		if (created)
			fz_gen_learn(&c->gen, &c->in, &c->out);
		if (!strict_ok && acceptable(&ci))
			c->tolerated++;
	}
	if (ffirst)
		fz_frag_put(&dg, &key);
	/* A new SYN on a closed flow's tuple takes the closed flow away
	 * (README), whether or not a new one can be made. */
	if (has_fwd && !created &&
	    !(before.dir == XLB_DIR_FORWARD && is_pure_syn(ci.tcp_flags) &&
	      closed_of(fwdb.events)))
		check_state(c, &ci, &fwdkey, &fwdb, before.dir,
			    fwd && is_fwd_reason(reason), closed, act);
}

/* ---- Setup and the configuration's changes over a run */
static int be_write(struct ctx *c, const struct fz_be *b)
{
	struct xlb_backend v = {
		.port = htons(b->port), .family = XLB_AF_INET,
		.weight = b->weight, .flags = b->flags, .maxconn = b->maxconn,
		.ifindex = b->id == 10 ? c->if2 : b->id == 11 ? c->if3 :
			   c->fx.ifindex,
	};

	v.addr.a[0] = htonl(b->ip);
	v.src.a[0] = htonl(b->src);
	return bpf_map_update_elem(c->fx.backends, &b->id, &v, BPF_ANY) ?
	       -errno : 0;
}

/* Settings: the defaults; "tight": 256 NAT source ports only (ports
 * recycled, none free); "flood": the SYN flood guard at 20/s. */
static void set_profile(struct ctx *c, int tight, int flood)
{
	struct xlb_settings st;
	__u32 zero = 0;

	if (tight == c->tight && flood == c->flood)
		return;
	xlb_settings_defaults(&st);
	if (tight) {
		st.port_min = NAT_PORT_MIN;
		st.port_max = NAT_PORT_MIN + 255;
	}
#ifdef XLB_HALF_OPEN_SHARE
	st.syn_rate = flood ? 20 : 0;
#endif
	if (bpf_map_update_elem(c->fx.settings, &zero, &st, BPF_ANY)) {
		printf("FAIL fuzz: cannot write the settings: %s\n",
		       strerror(errno));
		exit(1);
	}
	c->tight = tight;
	c->flood = flood;
}

/* As health checks and the runtime commands do: a backend goes down or
 * up, drains (weight 0), changes weight or maxconn. */
static int be6_write(struct ctx *c, const struct fz_be6 *b);

static void be_change(struct ctx *c)
{
	static const __u32 bids[] = { 0, 1, 2, 4, 5, 6, 7, 10 };
	static const __u32 w[] = { 0, 16, 32, 48 }, mc[] = { 0, 0, 4, 8 };
	struct fz_be *b = &c->be[bids[fz_rnd(&c->sched, 8)]];

	if (fz_pct(&c->sched, 35)) {
		/* An IPv6 one (12-16: those with a neighbour). */
		struct fz_be6 *b6 = &c->be6[fz_rnd(&c->sched, 5)];

		switch (fz_rnd(&c->sched, 3)) {
		case 0: b6->flags ^= XLB_BACKEND_UP; break;
		case 1: b6->weight = w[fz_rnd(&c->sched, 4)]; break;
		default: b6->maxconn = mc[fz_rnd(&c->sched, 4)]; break;
		}
		if (be6_write(c, b6)) {
			printf("FAIL fuzz: cannot write backend %u: %s\n",
			       b6->id, strerror(errno));
			exit(1);
		}
		return;
	}

	switch (fz_rnd(&c->sched, 3)) {
	case 0: b->flags ^= XLB_BACKEND_UP; break;
	case 1: b->weight = w[fz_rnd(&c->sched, 4)]; break;
	default: b->maxconn = mc[fz_rnd(&c->sched, 4)]; break;
	}
	if (be_write(c, b)) {
		printf("FAIL fuzz: cannot write backend %u: %s\n", b->id,
		       strerror(errno));
		exit(1);
	}
}

static int be6_write(struct ctx *c, const struct fz_be6 *b)
{
	struct xlb_backend v = {
		.port = htons(b->port), .family = XLB_AF_INET6,
		.weight = b->weight, .flags = b->flags, .maxconn = b->maxconn,
		.ifindex = c->fx.ifindex,
	};

	fz_ip6((__u8 *)&v.addr, b->n);
	fz_ip6((__u8 *)&v.src, FZ_VIP6);
	return bpf_map_update_elem(c->fx.backends, &b->id, &v, BPF_ANY) ?
	       -errno : 0;
}

/* The IPv6 services and backends, fd00::1 in "vips", and IPv6
 * forwarding on lbside (the agent's, as for IPv4). */
static int setup6(struct ctx *c)
{
	struct xlb_svc_key k = { .family = XLB_AF_INET6 };
	struct xlb_vip_key vk = { .family = XLB_AF_INET6 };
	__u32 one = 1, slot;
	int i, j;

	for (i = 0; i < fz_nbes6; i++) {
		c->be6[i] = fz_bes6[i];
		if (be6_write(c, &fz_bes6[i]))
			return -errno;
	}
	fz_ip6((__u8 *)&k.vip, FZ_VIP6);
	for (i = 0; i < fz_nsvcs6; i++) {
		const struct fz_svc *sv = &fz_svcs6[i];
		struct xlb_svc v = { .id = sv->id, .nbackends = sv->nb,
				     .algo = sv->algo };

		for (j = 0; j < sv->nb; j++) {
			slot = sv->id * XLB_MAX_SVC_BACKENDS + j;
			if (bpf_map_update_elem(c->fx.svc_backends, &slot,
						&sv->bids[j], BPF_ANY))
				return -errno;
		}
		k.port = htons(sv->port);
		k.proto = sv->proto;
		if (bpf_map_update_elem(c->fx.services, &k, &v, BPF_ANY))
			return -errno;
	}
	fz_ip6((__u8 *)&vk.addr, FZ_VIP6);
	if (c->maps.vips >= 0 &&
	    bpf_map_update_elem(c->maps.vips, &vk, &one, BPF_ANY))
		return -errno;
	return fx_set_forwarding6(&c->fx, 1);
}

static int setup(struct ctx *c)
{
	struct { __be32 a[4]; __u8 family, pad[3]; } vk = {};
	__u32 one = 1, ifx;
	int i, err;

	err = fx_set_forwarding(&c->fx, 1);
	if (!err)
		err = fx_reset(&c->fx);
	for (i = 0; !err && i < fz_nbes; i++) {
		c->be[fz_bes[i].id] = fz_bes[i];
		err = be_write(c, &fz_bes[i]);
	}
	for (i = 0; !err && i < fz_nsvcs; i++) {
		if ((fz_svcs[i].id == 6 && !c->if2) ||
		    (fz_svcs[i].id == 7 && !c->if3))
			continue;
		err = fx_service(&c->fx, fz_svcs[i].id, FZ_VIP, fz_svcs[i].port,
				 fz_svcs[i].proto, fz_svcs[i].algo,
				 fz_svcs[i].bids, fz_svcs[i].nb);
		svc_on[fz_svcs[i].id] = 1;
	}
	/* lbside2 is attached (a redirect target), lbside3 is not. */
	ifx = c->if2;
	if (!err && c->if2 &&
	    bpf_map_update_elem(c->fx.tx_ports, &ifx, &ifx, BPF_ANY))
		err = -errno;
	/* The VIP answers pings (the agent keeps "vips" with "services"). */
	vk.a[0] = htonl(FZ_VIP);
	vk.family = XLB_AF_INET;
	if (!err && c->maps.vips >= 0 &&
	    bpf_map_update_elem(c->maps.vips, &vk, &one, BPF_ANY))
		err = -errno;
	if (!err)
		err = setup6(c);
	if (err)
		printf("FAIL fuzz: cannot fill the maps: %s\n", strerror(-err));
	return err;
}

static __u64 pick_seed(void)
{
	const char *s = getenv("FUZZ_SEED");
	__u64 seed = 0;
	FILE *f;

	if (s && *s)
		return strtoull(s, NULL, 0);
	f = fopen("/dev/urandom", "r");
	if (!f || fread(&seed, sizeof(seed), 1, f) != 1)
		seed = (__u64)time(NULL) ^ ((__u64)getpid() << 32);
	if (f)
		fclose(f);
	return seed % 1000000000000ull;	/* short enough to retype */
}

int main(int argc, char **argv)
{
	static const char *const an[A_MAX] = { "pass", "drop", "tx",
					       "redirect", "refused" };
	struct ctx *c = &C;
	const char *arg = argc > 1 ? argv[1] : getenv("XLBT_IFINDEX");
	const char *np = argc > 2 ? argv[2] : getenv("FUZZ_PACKETS");
	const char *fl = getenv("FUZZ_FLOWS");
	struct timespec t0, t1;
	long batch = 0;
	double secs;
	__u32 flows;
	int ifindex, r, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ifindex = arg ? atoi(arg) : 0;
	c->packets = np && *np ? atol(np) : 100000;
	flows = fl && *fl ? (__u32)atol(fl) : 1536;
	if (ifindex <= 0 || c->packets <= 0 || flows < 16) {
		fprintf(stderr, "usage: %s IFINDEX [PACKETS] (in "
			"tests/fuzz/run.sh's namespace)\n", argv[0]);
		return 2;
	}
	c->trace = getenv("FUZZ_TRACE") && *getenv("FUZZ_TRACE") == '1';
	if (getenv("FUZZ_TOLERATE")) {
		if (strstr(getenv("FUZZ_TOLERATE"), "totlen"))
			c->lax |= FZ_LAX_TOTLEN;
		if (strstr(getenv("FUZZ_TOLERATE"), "udplen"))
			c->lax |= FZ_LAX_UDPLEN;
	}
	c->seed = pick_seed();
	printf("fuzz: seed %llu (FUZZ_SEED=%llu reproduces this run), "
	       "%ld packets, flow table of %u entries\n",
	       (unsigned long long)c->seed, (unsigned long long)c->seed,
	       c->packets, flows);
	fz_reasons_init();
	R.frag_first = fz_reason_find("frag_first");
	R.frag_follow = fz_reason_find("frag_follow");
	R.icmp_nat = fz_reason_find("icmp_error_nat");
	R.echo = fz_reason_find("tx_icmp_echo");
	R.rst_full = fz_reason_find("tx_rst_table_full");
	fz_rng_seed(&c->gen.r, c->seed);
	fz_rng_seed(&c->sched, c->seed ^ 0x5ca1ab1e5eedull);

	if (fz_open(&c->fx, &c->maps, ifindex, flows)) {
		fz_close(&c->fx);
		printf("FAIL fuzz: cannot load the objects\n");
		return 1;
	}
	memcpy(c->gen.lb_mac, c->fx.lb_mac, 6);
	c->if2 = getenv("FUZZ_IFINDEX2") ? atoi(getenv("FUZZ_IFINDEX2")) : 0;
	c->if3 = getenv("FUZZ_IFINDEX3") ? atoi(getenv("FUZZ_IFINDEX3")) : 0;
	if ((c->if2 && fz_if_mac(c->if2, c->mac2)) ||
	    (c->if3 && fz_if_mac(c->if3, c->mac3))) {
		printf("FAIL fuzz: FUZZ_IFINDEX2/3: no such interface\n");
		fz_close(&c->fx);
		return 1;
	}
	if (!c->if2 || !c->if3)
		printf("fuzz: note: no FUZZ_IFINDEX2/3 (run.sh sets them): no "
		       "redirect, no unattached egress\n");
	c->ncpus = c->fx.ncpus;
	c->pcpu = calloc((size_t)XLB_R_MAX * c->ncpus, sizeof(__u64));
	if (!c->pcpu || setup(c)) {
		fz_close(&c->fx);
		return 1;
	}
	if (read_reasons(c, c->base)) {
		printf("FAIL fuzz: cannot read the reasons map\n");
		fz_close(&c->fx);
		return 1;
	}
	memcpy(c->prev, c->base, sizeof(c->prev));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (c->idx = 0; c->idx < c->packets; c->idx++) {
		one(c);
		if ((c->idx + 1) % BATCH && c->idx + 1 < c->packets)
			continue;
		batch++;
		check_table(c, "after a batch");
		/* The next batch's configuration. */
		set_profile(c, (batch / 10) % 3 == 1, batch % 10 == 4);
		if (batch % 4 == 2)
			be_change(c);
		if (batch % 25 == 0) {
			gc_pass(c, GC_ALL_NS);
		} else if (batch % 7 == 0) {
			gc_kill(c, kill_bids[fz_rnd(&c->sched,
				sizeof(kill_bids) / sizeof(kill_bids[0]))]);
		} else if (batch % 3 == 0) {
			static const unsigned int adv[] = { 0, 5, 11, 61, 121,
							    301 };

			gc_pass(c, adv[fz_rnd(&c->sched, 6)] * 1000000000ull);
		}
	}
	/* The end: past every timeout, nothing is left. */
	gc_pass(c, GC_ALL_NS);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	printf("fuzz: inputs {");
	for (i = 0; i < FK_MAX; i++)
		printf("%s%s:%llu", i ? ", " : "", fz_kind_names[i],
		       (unsigned long long)c->gen.kinds[i]);
	printf("}\nfuzz: reasons {");
	for (r = 0, i = 0; r < XLB_R_MAX; r++) {
		__u64 v = c->prev[r] - c->base[r];

		if (v)
			printf("%s%s:%llu", i++ ? ", " : "", fz_reasons[r].name,
			       (unsigned long long)v);
	}
	printf("}\nfuzz: never seen: {");
	for (r = 0, i = 0; r < XLB_R_MAX; r++)
		if (c->prev[r] == c->base[r])
			printf("%s%s", i++ ? ", " : "", fz_reasons[r].name);
	printf("}\nfuzz: %llu flows killed, %llu expiry passes, %llu table "
	       "checks, at most %llu entries; %llu RSTs to malformed input; "
	       "%llu frames under 14 bytes refused; %.1f s\n",
	       (unsigned long long)c->killed,
	       (unsigned long long)c->gc_passes,
	       (unsigned long long)c->table_checks,
	       (unsigned long long)c->flows_max,
	       (unsigned long long)c->rst_malformed,
	       (unsigned long long)c->actions[A_EINVAL], secs);
	if (c->lax)
		printf("fuzz: FUZZ_TOLERATE: %llu malformed inputs sent on, "
		       "not counted as failures\n",
		       (unsigned long long)c->tolerated);
	printf("fuzz: %ld packets, seed %llu, actions {", c->packets,
	       (unsigned long long)c->seed);
	for (i = 0; i < A_REDIRECT + 1; i++)
		printf("%s%s:%llu", i ? ", " : "", an[i],
		       (unsigned long long)c->actions[i]);
	printf("}, ok\n");
	fz_close(&c->fx);
	free(c->dump);
	free(c->pcpu);
	return 0;
}
