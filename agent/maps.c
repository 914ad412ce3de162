// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "maps.h"
#include "log.h"
#include "route.h"
#include "xlb_service.h"
#include "xlb_backend.h"
#include "xlb_config_map.h"
#include "xlb_names.h"

void xlb_settings_defaults(struct xlb_settings *s)
{
	/* IPVS: net/netfilter/ipvs/ip_vs_proto_tcp.c, udp 300 s. */
	static const unsigned int timeouts[XLB_STATE_MAX] = {
		[XLB_TCP_SYN_SENT] = 120,  [XLB_TCP_SYN_RECV] = 60,
		[XLB_TCP_ESTABLISHED] = 900, [XLB_TCP_FIN_WAIT] = 120,
		[XLB_TCP_CLOSE_WAIT] = 60, [XLB_TCP_TIME_WAIT] = 120,
		[XLB_TCP_CLOSE] = 10,	   [XLB_UDP] = 300,
	};

	memset(s, 0, sizeof(*s));
	s->port_min = XLB_PORT_MIN_DEFAULT;
	s->port_max = XLB_PORT_MAX_DEFAULT;
	memcpy(s->timeout_s, timeouts, sizeof(timeouts));
	/* A flooded backend's half-open flows: 5 s idle. A real handshake
	 * refreshes its flow with each retransmission (1, 2, 4 s apart), so
	 * only the fourth loss in a row outlasts it. */
	s->half_open_timeout_s = XLB_HALF_OPEN_TIMEOUT_DEFAULT;
	s->syn_rate = 0;	/* no flood guard unless --syn-rate */
}

static int map_fd(const struct xlb_loader *l, const char *name)
{
	int fd = xlb_loader_map_fd(l, name);

	if (fd < 0)
		pr_warn("xlb: map '%s' is missing from the BPF object\n", name);
	return fd;
}

int xlb_map_update(const struct xlb_loader *l, const char *map, const void *k,
		   const void *v)
{
	int fd = map_fd(l, map);

	if (fd < 0)
		return fd;
	if (bpf_map_update_elem(fd, k, v, BPF_ANY)) {
		int err = -errno;

		pr_warn("xlb: cannot update map '%s': %s\n", map,
			strerror(errno));
		return err;
	}
	return 0;
}

int xlb_settings_write(const struct xlb_loader *l, const struct xlb_settings *s)
{
	__u32 zero = 0;

	return xlb_map_update(l, "settings", &zero, s);
}

int xlb_map_delete(const struct xlb_loader *l, const char *map, const void *k)
{
	int fd = map_fd(l, map);

	if (fd < 0)
		return fd;
	if (bpf_map_delete_elem(fd, k) && errno != ENOENT)
		return -errno;
	return 0;
}

/* XDP traffic never makes the kernel resolve a neighbour: ask it to keep
 * the next hop resolved on its own (ARP or NDP). */
int xlb_keep_resolved(int ifindex, const struct xlb_cfg_addr *hop)
{
	return xlb_neigh_manage(ifindex, hop);
}

int xlb_neigh_refresh(const struct xlb_loader *l)
{
	int fd = map_fd(l, "backends"), nfd = map_fd(l, "backend_names");
	struct xlb_backend_name nm;
	struct xlb_backend be;
	struct xlb_cfg_addr dst;
	struct xlb_route r;
	__u32 id;
	int n = 0;

	if (fd < 0 || nfd < 0)
		return -ENOENT;
	for (id = 0; id < XLB_MAX_BACKENDS; id++) {
		if (bpf_map_lookup_elem(nfd, &id, &nm) || !nm.in_use)
			continue;
		if (bpf_map_lookup_elem(fd, &id, &be))
			continue;
		xlb_addr_from_map(&be.addr, be.family, &dst);
		if (xlb_route_get(&dst, NULL, &r))
			continue;
		if (!xlb_keep_resolved(r.oif, r.has_gateway ? &r.gateway :
							      &dst))
			n++;
	}
	return n;
}

uint64_t xlb_reason_total(const struct xlb_loader *l, unsigned int reason)
{
	int fd = map_fd(l, "reasons"), ncpu = libbpf_num_possible_cpus(), i;
	uint64_t total = 0, *v;

	if (fd < 0 || ncpu <= 0)
		return 0;
	v = calloc(ncpu, sizeof(*v));
	if (v && !bpf_map_lookup_elem(fd, &reason, v))
		for (i = 0; i < ncpu; i++)
			total += v[i];
	free(v);
	return total;
}
