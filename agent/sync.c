// SPDX-License-Identifier: GPL-2.0
/* Bringing the maps in line with a configuration, at start and on reload.
 * Phase one resolves and checks everything without writing; phase two
 * writes. Servers and frontends are matched by name, so an unchanged
 * server keeps its id, its state and its flows. This file does the
 * servers, sync_svc.c the services. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "log.h"
#include "maps.h"
#include "sync_int.h"
#include "sysctl.h"
#include "xlb_names.h"
#include "xlb_stats.h"

static bool attached(const struct xlb_loader *l, int ifindex)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->att[i].ifc.ifindex == ifindex)
			return true;
	return false;
}

int xlb_server_route(const struct xlb_loader *l,
		     const struct xlb_cfg_backend *b,
		     const struct xlb_cfg_server *s, struct xlb_route *r)
{
	/* `source` is one address: it serves the servers of its family. */
	const struct xlb_cfg_addr *src =
		b->has_source && b->source.family == s->addr.family &&
		!xlb_addr_is_any(&b->source) ? &b->source : NULL;
	int err = xlb_route_get(&s->addr, src, r);

	if (err)
		return err;
	if (src)
		r->prefsrc = *src;
	return attached(l, r->oif) ? 0 : -EHOSTUNREACH;
}

const char *xlb_route_strerror(int err, int family)
{
	if (err == -EADDRNOTAVAIL)
		return family == AF_INET6 ?
			"no global or ULA IPv6 address on the egress "
			"interface to send from (bpf_fib_lookup() takes no "
			"link-local source)" :
			"no IPv4 address on the egress interface to send from";
	if (err == -EAFNOSUPPORT)
		return "the route's next hop is of the other family";
	return strerror(-err);
}

/* The kernel's route to a server; its egress must be attached. */
static int route_of(const struct xlb_agent *a, const struct xlb_config *cfg,
		    const struct xlb_cfg_backend *b,
		    const struct xlb_cfg_server *s, struct xlb_route *r)
{
	char ip[XLB_ADDR_STRLEN], ifname[IF_NAMESIZE] = "?";
	int err = xlb_server_route(a->l, b, s, r);

	xlb_addr_str(&s->addr, ip, sizeof(ip));
	if (err == -EHOSTUNREACH && r->oif > 0) {
		if_indextoname(r->oif, ifname);
		pr_warn("%s:%d: server %s/%s (%s) is reached through %s, "
			"which xlb is not attached to: add -i %s\n", cfg->path,
			s->line, b->name, s->name, ip, ifname, ifname);
	} else if (err) {
		pr_warn("%s:%d: server %s/%s (%s): no route: %s\n", cfg->path,
			s->line, b->name, s->name, ip,
			xlb_route_strerror(err, s->addr.family));
	}
	return err;
}

/* `source` must be an address of this host: replies to the NAT flows
 * come back to it. The kernel's IPv4 route lookup refuses any other (with
 * a less clear error); IPv6's would take it. Checked when some server
 * uses it. */
static int check_source(const struct xlb_config *cfg,
			const struct xlb_cfg_backend *b)
{
	char ip[XLB_ADDR_STRLEN];
	int j;

	if (!b->has_source || xlb_addr_is_any(&b->source))
		return 0;
	for (j = 0; j < b->nservers; j++)
		if (b->servers[j].addr.family == b->source.family)
			break;
	if (j == b->nservers || xlb_addr_is_local(&b->source))
		return 0;
	pr_warn("%s:%d: backend %s: source %s is not an address of this "
		"host\n", cfg->path, b->line, b->name,
		xlb_addr_str(&b->source, ip, sizeof(ip)));
	return -EADDRNOTAVAIL;
}

/* A free backend id: not in use, not planned, holding no connection. */
static int free_srv_id(const struct xlb_agent *a, struct plan *p)
{
	uint32_t id;

	for (id = 0; id < XLB_MAX_BACKENDS; id++)
		if (!a->srv[id].in_use && !p->srv_taken[id] &&
		    xlb_srv_active(a, &a->srv[id]) <= 0)
			return id;
	return -1;
}

static int plan_servers(const struct xlb_agent *a, const struct xlb_config *cfg,
			struct plan *p)
{
	int i, j, id, err;

	/* Known names first, so that new ones cannot take their ids. */
	for (i = 0; i < cfg->nbackends; i++)
		for (j = 0; j < cfg->backends[i].nservers; j++) {
			const struct xlb_srv *s = xlb_srv_find(
				(struct xlb_agent *)a, cfg->backends[i].name,
				cfg->backends[i].servers[j].name);

			p->srv_id[i][j] = s ? xlb_srv_id(a, s) : UINT32_MAX;
			if (s)
				p->srv_taken[xlb_srv_id(a, s)] = true;
		}
	for (i = 0; i < cfg->nbackends; i++) {
		const struct xlb_cfg_backend *b = &cfg->backends[i];

		err = check_source(cfg, b);
		if (err)
			return err;
		if (b->nservers > XLB_MAX_SVC_BACKENDS) {
			pr_warn("%s:%d: backend %s: more than %d servers\n",
				cfg->path, b->line, b->name,
				XLB_MAX_SVC_BACKENDS);
			return -E2BIG;
		}
		for (j = 0; j < b->nservers; j++) {
			err = route_of(a, cfg, b, &b->servers[j],
				       &p->route[i][j]);
			if (err)
				return err;
			if (p->srv_id[i][j] != UINT32_MAX)
				continue;
			id = free_srv_id(a, p);
			if (id < 0) {
				pr_warn("%s:%d: more than %d servers in all\n",
					cfg->path, b->servers[j].line,
					XLB_MAX_BACKENDS);
				return -E2BIG;
			}
			p->srv_id[i][j] = id;
			p->srv_taken[id] = true;
		}
	}
	return 0;
}

void xlb_label_copy(char *dst, const char *src)
{
	snprintf(dst, XLB_LABEL_MAX, "%s", src);
}

/* A server the new configuration no longer has: no new flows; its
 * existing flows finish on their own (they carry their NAT). */
static void retire(struct xlb_agent *a, struct xlb_srv *s)
{
	struct xlb_backend_name nm = {};
	uint32_t id = xlb_srv_id(a, s);

	pr_info("server %s/%s removed from the configuration\n", s->backend,
		s->cfg.name);
	s->in_use = false;
	s->pool = NULL;		/* it points into the configuration going away */
	xlb_srv_apply(a, s);	/* flags 0: never chosen again */
	xlb_map_update(a->l, "backend_names", &id, &nm);
}

/* A new server starts from zero counters, also on an id a removed server
 * had (its flows are gone: ids are reused only at 0 active). */
static void reset_stats(struct xlb_agent *a, uint32_t id)
{
	int fd = xlb_loader_map_fd(a->l, "backend_stats");
	int ncpu = libbpf_num_possible_cpus();
	struct xlb_traffic *zero;

	if (fd < 0 || ncpu <= 0)
		return;
	zero = calloc(ncpu, sizeof(*zero));
	if (zero)
		bpf_map_update_elem(fd, &id, zero, BPF_ANY);
	free(zero);
}

static void commit_server(struct xlb_agent *a, const struct xlb_cfg_backend *b,
			  const struct xlb_cfg_server *cs, uint32_t id,
			  const struct xlb_route *r)
{
	struct xlb_srv *s = &a->srv[id];
	const struct xlb_cfg_addr *hop = r->has_gateway ? &r->gateway :
							  &cs->addr;
	struct xlb_backend_name nm = {};
	char g[XLB_ADDR_STRLEN];
	int err;

	if (!s->in_use) {
		memset(s, 0, sizeof(*s));
		s->in_use = true;
		snprintf(s->backend, sizeof(s->backend), "%s", b->name);
		s->weight = cs->weight;
		s->admin = cs->disabled ? XLB_ADMIN_MAINT : XLB_ADMIN_READY;
		/* HAProxy: a checked server starts UP with health = rise,
		 * so its first failed check takes it down. */
		s->up = true;
		s->health = cs->chk.rise;
		s->lastchg = time(NULL);
		snprintf(s->check_status, sizeof(s->check_status), "%s",
			 cs->check ? "INI" : "");
		reset_stats(a, id);
	} else if (cs->weight != s->cfg.weight) {
		s->weight = cs->weight;	/* reweighted in the file */
	}
	s->cfg = *cs;
	s->pool = b;
	/* A reload may lower rise or fall: keep the counter in range. */
	if (s->health > (int)(cs->chk.rise + cs->chk.fall - 1))
		s->health = cs->chk.rise + cs->chk.fall - 1;
	s->src = r->prefsrc;
	s->ifindex = r->oif;
	xlb_srv_apply(a, s);

	xlb_label_copy(nm.backend, b->name);
	xlb_label_copy(nm.server, cs->name);
	nm.in_use = 1;
	xlb_map_update(a->l, "backend_names", &id, &nm);

	/* ARP or NDP; an IPv6 gateway is usually link-local, which is fine
	 * for a next hop (only sources and destinations may not be). */
	err = xlb_keep_resolved(r->oif, hop);
	if (err)
		pr_warn("xlb: %s/%s: cannot keep next hop %s resolved (%s); "
			"first packets may be dropped until it resolves\n",
			b->name, cs->name, xlb_addr_str(hop, g, sizeof(g)),
			strerror(-err));
}

/* The addresses of the attached interfaces, read again at every sync so
 * that a reload sees addresses added since the start (`*` and `::`). */
static void refresh_addrs(struct xlb_loader *l)
{
	struct xlb_iface *ifc;
	int i, n;

	for (i = 0; i < l->n; i++) {
		ifc = &l->att[i].ifc;
		n = xlb_if_addrs4(ifc->ifindex, ifc->addrs,
				  XLB_IFACE_MAX_ADDRS);
		if (n >= 0)
			ifc->naddrs = n;
		n = xlb_if_addrs6(ifc->ifindex, ifc->addrs6,
				  XLB_IFACE_MAX_ADDRS);
		if (n >= 0)
			ifc->naddrs6 = n;
	}
}

/* bpf_fib_lookup() answers FWD_DISABLED for IPv6 unless the interface a
 * packet came in on forwards IPv6: enable it on every attached interface
 * once a configuration has an IPv6 bind (and only then: a host that
 * forwards IPv6 stops taking router advertisements, see sysctl.h). Kept
 * until exit, when sysctl.c puts the old values back. */
static int enable_ipv6(struct xlb_agent *a, const struct xlb_config *cfg)
{
	bool v6 = false;
	int i, j, err;

	for (i = 0; i < cfg->nfrontends; i++)
		for (j = 0; j < cfg->frontends[i].nbinds; j++)
			v6 |= cfg->frontends[i].binds[j].addr.family ==
			      AF_INET6;
	if (!v6 || a->fwd6)
		return 0;
	for (i = 0; i < a->l->n; i++) {
		err = xlb_forwarding6_enable(a->l->att[i].ifc.name);
		if (err)
			return err;
	}
	a->fwd6 = true;
	return 0;
}

int xlb_sync(struct xlb_agent *a, struct xlb_config *cfg)
{
	struct plan *p = calloc(1, sizeof(*p));
	int i, j, err;

	if (!p)
		return -ENOMEM;
	refresh_addrs(a->l);
	err = plan_servers(a, cfg, p);
	if (!err)
		err = xlb_plan_services(a, cfg, p);
	if (!err)
		err = enable_ipv6(a, cfg);
	if (err)
		goto out;

	for (i = 0; i < XLB_MAX_BACKENDS; i++)
		if (a->srv[i].in_use && !p->srv_taken[i])
			retire(a, &a->srv[i]);
	for (i = 0; i < cfg->nbackends; i++)
		for (j = 0; j < cfg->backends[i].nservers; j++)
			commit_server(a, &cfg->backends[i],
				      &cfg->backends[i].servers[j],
				      p->srv_id[i][j], &p->route[i][j]);
	xlb_retire_services(a, p);
	err = xlb_commit_services(a, cfg, p);
	if (!err)
		a->cfg = cfg;
out:
	free(p);
	return err;
}
