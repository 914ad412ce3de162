/* SPDX-License-Identifier: GPL-2.0 */
/* The fixture: the real xlb and xlb_gc objects loaded from their skeletons,
 * their maps pinned by name under a private folder, and helpers to fill,
 * dump and reset those maps and to run packets through the program. */
#ifndef XLBT_FIXTURE_H
#define XLBT_FIXTURE_H

#include <linux/types.h>
#include "xlb_flow.h"
#include "xlb_service.h"
#include "xlb_backend.h"
#include "xlb_stats.h"
#include "xlb_gc.h"
#include "xlb_config_map.h"
#include "pkt.h"

#define FX_PIN_FMT	"/sys/fs/bpf/xlbt-%d"
#define FX_NBACKENDS	64	/* backend ids the tests use: 0..63 */
#define FX_NSERVICES	8
#define FX_MAX_FLOWS	256	/* entries a dump holds, and the flows
				 * map's max_entries (so that a row can
				 * fill it) */

struct xlb_bpf;
struct xlb_gc_bpf;

struct fx {
	struct xlb_bpf *lb;
	struct xlb_gc_bpf *gc;
	int prog, gc_prog;
	int services, svc_backends, svc_cursor, backends, conns, flows;
	int reasons, tx_ports, settings, syn_bucket;
	int ifindex;
	unsigned char lb_mac[6];
	int ncpus;
};

struct fx_flow {
	struct xlb_flow_key k;
	struct xlb_flow v;
};

struct fx_dump {
	int n;
	struct fx_flow e[FX_MAX_FLOWS];
};

/* Load both objects (gc first: it creates and pins the maps), write the
 * settings and tx_ports. Registers the pin folder's removal at exit and on
 * SIGINT/SIGTERM/SIGHUP. Returns 0 or -errno, after printing why. */
int fx_open(struct fx *f, int ifindex);
/* The same with a flow table of `flows` entries (the fuzzer's is larger:
 * FX_MAX_FLOWS would keep it full). */
int fx_open_sized(struct fx *f, int ifindex, __u32 flows);
void fx_close(struct fx *f);

/* net.ipv4.conf.<lbside>.forwarding in the test's namespace; net.ipv6's. */
int fx_set_forwarding(struct fx *f, int on);
int fx_set_forwarding6(struct fx *f, int on);
/* Forget every flow, service, backend, count and cursor; default
 * settings, full SYN buckets. */
int fx_reset(struct fx *f);
int fx_backend(struct fx *f, __u32 id, __u32 ip, __u16 port, __u32 weight,
	       __u32 flags);
int fx_service(struct fx *f, __u32 id, __u32 vip, __u16 port, __u8 proto,
	       __u32 algo, const __u32 *bids, __u32 n);
/* Set maxconn of an existing backend entry (0: no limit). */
int fx_set_maxconn(struct fx *f, __u32 id, __u32 maxconn);
int fx_set_conns(struct fx *f, __u32 bid, __s64 active);
__s64 fx_conns(struct fx *f, __u32 bid);
__s64 fx_half_open(struct fx *f, __u32 bid);
/* Write the settings map (after fx_reset: the defaults). */
int fx_settings(struct fx *f, const struct xlb_settings *s);
int fx_set_cursor(struct fx *f, __u32 svc, __u32 next);
__u32 fx_cursor(struct fx *f, __u32 svc);
int fx_get_backend(struct fx *f, __u32 id, struct xlb_backend *b);
int fx_get_service(struct fx *f, __u32 vip, __u16 port, __u8 proto,
		   struct xlb_svc *s);
__u32 fx_svc_slot(struct fx *f, __u32 svc, __u32 slot);

/* reasons[], summed over the CPUs. */
int fx_reasons(struct fx *f, __u64 out[XLB_R_MAX]);
/* Every flow entry, sorted by key. */
int fx_dump_flows(struct fx *f, struct fx_dump *d);
const struct fx_flow *fx_find(const struct fx_dump *d,
			      const struct xlb_flow_key *k);
void fx_key4(struct xlb_flow_key *k, __u32 src, __u32 dst, __u16 sport,
	     __u16 dport, __u8 proto);

/* Run one packet through xlb_xdp from lbside; *action gets the verdict.
 * Returns 0 or -errno (the kernel refused the run). */
int fx_run(struct fx *f, const struct pkt_buf *in, struct pkt_buf *out,
	   __u32 *action);
/* One pass of the expiry program, advance_ns in the future. */
int fx_gc(struct fx *f, __u64 advance_ns, struct xlb_gc_result *r);
/* One pass with .kill = 1, .kill_backend = bid (shutdown-sessions), run
 * here rather than through the agent's helper so that the test depends
 * only on include/xlb_gc.h. */
int fx_gc_kill(struct fx *f, __u32 bid, struct xlb_gc_result *r);

#endif
