// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <arpa/inet.h>
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
}

static int map_fd(const struct xlb_loader *l, const char *name)
{
	int fd = xlb_loader_map_fd(l, name);

	if (fd < 0)
		pr_warn("xlb: map '%s' is missing from the BPF object\n", name);
	return fd;
}

static int update(const struct xlb_loader *l, const char *map, const void *k,
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

	return update(l, "settings", &zero, s);
}

static const struct xlb_attachment *attached(const struct xlb_loader *l,
					     int ifindex)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->att[i].ifc.ifindex == ifindex)
			return &l->att[i];
	return NULL;
}

static const char *ip4(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* XDP traffic never makes the kernel resolve a neighbour: ask it to keep
 * the next hop resolved on its own. */
static int keep_resolved(int ifindex, struct in_addr hop)
{
	return xlb_neigh_manage4(ifindex, hop);
}

/* Route and source for one server; the kernel's view decides the egress
 * interface, which must be one xlb is attached to. */
static int backend_of(const struct xlb_loader *l, const struct xlb_config *cfg,
		      const struct xlb_cfg_backend *b,
		      const struct xlb_cfg_server *s, struct xlb_backend *out)
{
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	struct xlb_route r;
	struct in_addr hop;
	int err;

	ip4(s->addr.v4, a);
	err = xlb_route_get4(s->addr.v4, b->has_source ? &b->source.v4 : NULL,
			     &r);
	if (err) {
		pr_warn("%s:%d: server %s/%s (%s): no route: %s\n", cfg->path,
			s->line, b->name, s->name, a, strerror(-err));
		return err;
	}
	if (!attached(l, r.oif)) {
		char ifname[IF_NAMESIZE] = "?";

		if_indextoname(r.oif, ifname);
		pr_warn("%s:%d: server %s/%s (%s) is reached through %s, "
			"which xlb is not attached to: add -i %s\n",
			cfg->path, s->line, b->name, s->name, a, ifname,
			ifname);
		return -EHOSTUNREACH;
	}
	memset(out, 0, sizeof(*out));
	out->addr.a[0] = s->addr.v4.s_addr;
	out->src.a[0] = b->has_source ? b->source.v4.s_addr : r.prefsrc.s_addr;
	out->port = htons(s->port);
	out->family = XLB_AF_INET;
	out->weight = s->weight;
	out->flags = s->disabled ? 0 : XLB_BACKEND_UP;
	out->ifindex = r.oif;

	hop = r.has_gateway ? r.gateway : s->addr.v4;
	err = keep_resolved(r.oif, hop);
	if (err)
		pr_warn("xlb: %s: cannot keep neighbour %s resolved (%s); "
			"first packets may be dropped until it resolves\n",
			s->name, ip4(hop, g), strerror(-err));
	pr_debug("xlb: server %s/%s %s:%u via ifindex %d source %s\n",
		 b->name, s->name, a, s->port, r.oif,
		 ip4((struct in_addr){ out->src.a[0] }, g));
	return 0;
}

static void name_copy(char *dst, const char *src)
{
	snprintf(dst, XLB_LABEL_MAX, "%s", src);
}

static int install_backends(const struct xlb_loader *l,
			    const struct xlb_config *cfg, __u32 *first_id)
{
	struct xlb_backend_name nm;
	struct xlb_backend be;
	__u32 id = 0;
	int i, j, err;

	for (i = 0; i < cfg->nbackends; i++) {
		const struct xlb_cfg_backend *b = &cfg->backends[i];

		first_id[i] = id;
		for (j = 0; j < b->nservers; j++, id++) {
			if (id >= XLB_MAX_BACKENDS) {
				pr_warn("%s:%d: more than %d servers in all\n",
					cfg->path, b->servers[j].line,
					XLB_MAX_BACKENDS);
				return -E2BIG;
			}
			err = backend_of(l, cfg, b, &b->servers[j], &be);
			if (err)
				return err;
			err = update(l, "backends", &id, &be);
			if (err)
				return err;
			memset(&nm, 0, sizeof(nm));
			name_copy(nm.backend, b->name);
			name_copy(nm.server, b->servers[j].name);
			nm.in_use = 1;
			err = update(l, "backend_names", &id, &nm);
			if (err)
				return err;
		}
	}
	return 0;
}

static int add_service_key(const struct xlb_loader *l,
			   const struct xlb_cfg_bind *bind, __be32 vip,
			   const struct xlb_svc *svc)
{
	struct xlb_svc_key k = {};

	k.vip.a[0] = vip;
	k.port = htons(bind->port);
	k.proto = bind->proto;
	k.family = XLB_AF_INET;
	return update(l, "services", &k, svc);
}

static bool is_local(const struct xlb_loader *l, __be32 addr)
{
	int i, j;

	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->att[i].ifc.naddrs; j++)
			if (l->att[i].ifc.addrs[j].s_addr == addr)
				return true;
	return false;
}

static int install_binds(const struct xlb_loader *l,
			 const struct xlb_config *cfg,
			 const struct xlb_cfg_frontend *f,
			 const struct xlb_svc *svc)
{
	char a[INET_ADDRSTRLEN];
	int i, j, k, n = 0, err;

	for (i = 0; i < f->nbinds; i++) {
		const struct xlb_cfg_bind *bind = &f->binds[i];

		if (!bind->wildcard) {
			if (!is_local(l, bind->addr.v4.s_addr))
				pr_warn("%s:%d: notice: %s is not an address "
					"of an attached interface: it must be "
					"routed to this host\n", cfg->path,
					bind->line, ip4(bind->addr.v4, a));
			err = add_service_key(l, bind, bind->addr.v4.s_addr,
					      svc);
			if (err)
				return err;
			n++;
			continue;
		}
		for (j = 0; j < l->n; j++)
			for (k = 0; k < l->att[j].ifc.naddrs; k++, n++) {
				err = add_service_key(
					l, bind,
					l->att[j].ifc.addrs[k].s_addr, svc);
				if (err)
					return err;
			}
	}
	if (!n) {
		pr_warn("%s:%d: frontend %s: '*' matches no IPv4 address on "
			"the attached interfaces\n", cfg->path, f->line,
			f->name);
		return -EADDRNOTAVAIL;
	}
	return 0;
}

static int install_frontends(const struct xlb_loader *l,
			     const struct xlb_config *cfg,
			     const __u32 *first_id)
{
	struct xlb_svc_name nm;
	struct xlb_svc svc;
	__u32 id, k, slot, bid;
	int err;

	for (id = 0; id < (__u32)cfg->nfrontends; id++) {
		const struct xlb_cfg_frontend *f = &cfg->frontends[id];
		const struct xlb_cfg_backend *b = &cfg->backends[f->backend];

		if (b->nservers > XLB_MAX_SVC_BACKENDS) {
			pr_warn("%s:%d: backend %s: more than %d servers\n",
				cfg->path, b->line, b->name,
				XLB_MAX_SVC_BACKENDS);
			return -E2BIG;
		}
		memset(&svc, 0, sizeof(svc));
		svc.id = id;
		svc.nbackends = b->nservers;
		svc.algo = b->algo == XLB_CFG_ROUNDROBIN ? XLB_ALGO_ROUNDROBIN :
							    XLB_ALGO_LEASTCONN;
		for (k = 0; k < svc.nbackends; k++) {
			slot = id * XLB_MAX_SVC_BACKENDS + k;
			bid = first_id[f->backend] + k;
			err = update(l, "svc_backends", &slot, &bid);
			if (err)
				return err;
		}
		memset(&nm, 0, sizeof(nm));
		name_copy(nm.frontend, f->name);
		name_copy(nm.backend, b->name);
		nm.algo = svc.algo;
		nm.nbackends = svc.nbackends;
		nm.in_use = 1;
		err = update(l, "svc_names", &id, &nm);
		if (err)
			return err;
		err = install_binds(l, cfg, f, &svc);
		if (err)
			return err;
	}
	return 0;
}

int xlb_maps_install(const struct xlb_loader *l, const struct xlb_config *cfg)
{
	__u32 first_id[XLB_CFG_MAX_BACKENDS];
	int i, err;

	if (cfg->nfrontends > XLB_MAX_SERVICES) {
		pr_warn("%s: more than %d frontends\n", cfg->path,
			XLB_MAX_SERVICES);
		return -E2BIG;
	}
	for (i = 0; i < l->n; i++) {
		__u32 ifindex = l->att[i].ifc.ifindex;

		err = update(l, "tx_ports", &ifindex, &ifindex);
		if (err)
			return err;
	}
	err = install_backends(l, cfg, first_id);
	if (err)
		return err;
	return install_frontends(l, cfg, first_id);
}

int xlb_neigh_refresh(const struct xlb_loader *l)
{
	int fd = map_fd(l, "backends"), nfd = map_fd(l, "backend_names");
	struct xlb_backend_name nm;
	struct xlb_backend be;
	struct xlb_route r;
	struct in_addr dst;
	__u32 id;
	int n = 0;

	if (fd < 0 || nfd < 0)
		return -ENOENT;
	for (id = 0; id < XLB_MAX_BACKENDS; id++) {
		if (bpf_map_lookup_elem(nfd, &id, &nm) || !nm.in_use)
			continue;
		if (bpf_map_lookup_elem(fd, &id, &be))
			continue;
		dst.s_addr = be.addr.a[0];
		if (xlb_route_get4(dst, NULL, &r))
			continue;
		if (!keep_resolved(r.oif, r.has_gateway ? r.gateway : dst))
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
