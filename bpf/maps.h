/* SPDX-License-Identifier: GPL-2.0 */
/* Every map of the data path, in one place. All are pinned by name under
 * the agent's pin root (/sys/fs/bpf/xlb) so that each interface's program
 * instance, the expiry program and bpftool see the same state. */
#ifndef XLB_BPF_MAPS_H
#define XLB_BPF_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xlb_limits.h"
#include "xlb_service.h"
#include "xlb_backend.h"
#include "xlb_flow.h"
#include "xlb_stats.h"
#include "xlb_config_map.h"
#include "xlb_names.h"
#include "xlb_srv_state.h"
#include "xlb_frag.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XLB_MAX_SERVICES * 4);
	__type(key, struct xlb_svc_key);
	__type(value, struct xlb_svc);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XLB_MAX_SERVICES * XLB_MAX_SVC_BACKENDS);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} svc_backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XLB_MAX_SERVICES);
	__type(key, __u32);
	__type(value, struct xlb_svc_cursor);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} svc_cursor SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XLB_MAX_BACKENDS);
	__type(key, __u32);
	__type(value, struct xlb_backend);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XLB_MAX_BACKENDS);
	__type(key, __u32);
	__type(value, struct xlb_backend_conns);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} backend_conns SEC(".maps");

/* Not LRU: an LRU map would evict flows silently and their counts would
 * never come down. Not preallocated: memory follows the live flows, and a
 * deleted entry is not handed straight to another flow. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XLB_DEFAULT_FLOWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xlb_flow_key);
	__type(value, struct xlb_flow);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XLB_MAX_SERVICES);
	__type(key, __u32);
	__type(value, struct xlb_traffic);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} svc_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XLB_MAX_BACKENDS);
	__type(key, __u32);
	__type(value, struct xlb_traffic);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} backend_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XLB_R_MAX);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} reasons SEC(".maps");

/* Attached interfaces, for XDP_REDIRECT between them (key = ifindex).
 * The kernel adds BPF_F_RDONLY_PROG to every devmap, so libbpf's pinned-map
 * check never matches it: the agent hands this map over by fd instead. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, XLB_MAX_IFACES);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tx_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xlb_settings);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} settings SEC(".maps");

/* For people and tools only; see xlb_names.h. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XLB_MAX_SERVICES);
	__type(key, __u32);
	__type(value, struct xlb_svc_name);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} svc_names SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XLB_MAX_BACKENDS);
	__type(key, __u32);
	__type(value, struct xlb_backend_name);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} backend_names SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XLB_MAX_BACKENDS);
	__type(key, __u32);
	__type(value, struct xlb_srv_state);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} server_state SEC(".maps");

/* Room for a new flow's two entries: too big for the 512-byte stack. */
/* A new flow's two entries, and room for the keys its creation needs:
 * per-CPU memory, not stack (the verifier allows 512 bytes for the whole
 * call chain). */
struct flow_pair {
	struct xlb_flow fwd;
	struct xlb_flow rev;
	struct xlb_flow_key rk;		/* the reply entry's key */
	struct xlb_flow_key fk;		/* a recycled port's forward key */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct flow_pair);
} scratch SEC(".maps");

/* A zeroed flow pair for this CPU. */
static __always_inline struct flow_pair *flow_pair_scratch(void)
{
	__u32 zero = 0;
	struct flow_pair *fp = bpf_map_lookup_elem(&scratch, &zero);

	if (fp)
		__builtin_memset(fp, 0, sizeof(*fp));
	return fp;
}

static __always_inline void count_reason(__u32 reason)
{
	__u64 *n = bpf_map_lookup_elem(&reasons, &reason);

	if (n)
		*n += 1;
}

/* ICMP echo (bpf/icmp.h): the addresses services listen on, filled by
 * the agent from the service keys. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XLB_MAX_SERVICES * 4);
	__type(key, struct xlb_vip_key);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vips SEC(".maps");

/* Fragments (bpf/frag.h): a datagram's first fragment -> its flow. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XLB_FRAG_ENTRIES);
	__type(key, struct xlb_frag_key);
	__type(value, struct xlb_frag);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} frags SEC(".maps");

#endif
