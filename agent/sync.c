// SPDX-License-Identifier: GPL-2.0
/* Bringing the maps in line with a configuration, at start and on reload.
 * Phase one resolves and checks everything without writing; phase two
 * writes. Servers and frontends are matched by name, so an unchanged
 * server keeps its id, its state and its flows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "agent.h"
#include "log.h"
#include "maps.h"
#include "route.h"
#include "xlb_names.h"
#include "xlb_stats.h"

/* Where each configured server and frontend goes. */
struct plan {
	uint32_t srv_id[XLB_CFG_MAX_BACKENDS][XLB_CFG_MAX_SERVERS];
	struct xlb_route route[XLB_CFG_MAX_BACKENDS][XLB_CFG_MAX_SERVERS];
	uint32_t svc_id[XLB_CFG_MAX_FRONTENDS];
	bool srv_taken[XLB_MAX_BACKENDS];
	bool svc_taken[XLB_MAX_SERVICES];
};

static const char *ip4(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static bool attached(const struct xlb_loader *l, int ifindex)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->att[i].ifc.ifindex == ifindex)
			return true;
	return false;
}

/* The kernel's route to a server; its egress must be attached. */
static int route_of(const struct xlb_agent *a, const struct xlb_config *cfg,
		    const struct xlb_cfg_backend *b,
		    const struct xlb_cfg_server *s, struct xlb_route *r)
{
	char ip[INET_ADDRSTRLEN], ifname[IF_NAMESIZE] = "?";
	int err;

	ip4(s->addr.v4, ip);
	err = xlb_route_get4(s->addr.v4, b->has_source ? &b->source.v4 : NULL,
			     r);
	if (err) {
		pr_warn("%s:%d: server %s/%s (%s): no route: %s\n", cfg->path,
			s->line, b->name, s->name, ip, strerror(-err));
		return err;
	}
	if (b->has_source)
		r->prefsrc = b->source.v4;
	if (!attached(a->l, r->oif)) {
		if_indextoname(r->oif, ifname);
		pr_warn("%s:%d: server %s/%s (%s) is reached through %s, "
			"which xlb is not attached to: add -i %s\n", cfg->path,
			s->line, b->name, s->name, ip, ifname, ifname);
		return -EHOSTUNREACH;
	}
	return 0;
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

static int plan_services(const struct xlb_agent *a,
			 const struct xlb_config *cfg, struct plan *p)
{
	uint32_t id;
	int i;

	if (cfg->nfrontends > XLB_MAX_SERVICES) {
		pr_warn("%s: more than %d frontends\n", cfg->path,
			XLB_MAX_SERVICES);
		return -E2BIG;
	}
	/* A frontend keeps its service id across reloads and restarts. */
	for (i = 0; i < cfg->nfrontends; i++) {
		p->svc_id[i] = UINT32_MAX;
		for (id = 0; id < XLB_MAX_SERVICES; id++)
			if (!strcmp(a->svc_name[id], cfg->frontends[i].name)) {
				p->svc_id[i] = id;
				p->svc_taken[id] = true;
			}
	}
	for (i = 0; i < cfg->nfrontends; i++) {
		if (p->svc_id[i] != UINT32_MAX)
			continue;
		/* Prefer ids no frontend had, then any not planned. */
		for (id = 0; id < XLB_MAX_SERVICES &&
			     (p->svc_taken[id] || a->svc_name[id][0]); id++)
			;
		for (id = id < XLB_MAX_SERVICES ? id : 0; p->svc_taken[id];)
			id++;
		p->svc_id[i] = id;
		p->svc_taken[id] = true;
	}
	return 0;
}

static void name_copy(char *dst, const char *src)
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
	struct xlb_backend_name nm = {};
	char g[INET_ADDRSTRLEN];
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

	name_copy(nm.backend, b->name);
	name_copy(nm.server, cs->name);
	nm.in_use = 1;
	xlb_map_update(a->l, "backend_names", &id, &nm);

	err = xlb_keep_resolved(r->oif, r->has_gateway ? r->gateway :
							  cs->addr.v4);
	if (err)
		pr_warn("xlb: %s/%s: cannot keep next hop %s resolved (%s); "
			"first packets may be dropped until it resolves\n",
			b->name, cs->name,
			ip4(r->has_gateway ? r->gateway : cs->addr.v4, g),
			strerror(-err));
}

static bool is_local(const struct xlb_loader *l, uint32_t addr)
{
	int i, j;

	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->att[i].ifc.naddrs; j++)
			if (l->att[i].ifc.addrs[j].s_addr == addr)
				return true;
	return false;
}

static int add_key(struct xlb_svc_key *keys, int n,
		   const struct xlb_cfg_bind *b, uint32_t vip)
{
	struct xlb_svc_key k = {};

	if (n >= XLB_MAX_SERVICES * 4)
		return n;
	k.vip.a[0] = vip;
	k.port = htons(b->port);
	k.proto = b->proto;
	k.family = XLB_AF_INET;
	keys[n] = k;
	return n + 1;
}

/* The VIP keys of one frontend: `*` is every attached IPv4 address. */
static int frontend_keys(const struct xlb_agent *a,
			 const struct xlb_config *cfg,
			 const struct xlb_cfg_frontend *f,
			 struct xlb_svc_key *keys, int n)
{
	char ip[INET_ADDRSTRLEN];
	int i, j, k;

	for (i = 0; i < f->nbinds; i++) {
		const struct xlb_cfg_bind *b = &f->binds[i];

		if (!b->wildcard) {
			if (!is_local(a->l, b->addr.v4.s_addr))
				pr_info("%s:%d: notice: %s is not an address "
					"of an attached interface: it must be "
					"routed to this host\n", cfg->path,
					b->line, ip4(b->addr.v4, ip));
			n = add_key(keys, n, b, b->addr.v4.s_addr);
			continue;
		}
		for (j = 0; j < a->l->n; j++)
			for (k = 0; k < a->l->att[j].ifc.naddrs; k++)
				n = add_key(keys, n, b,
					    a->l->att[j].ifc.addrs[k].s_addr);
	}
	return n;
}

static bool has_key(const struct xlb_svc_key *keys, int n,
		    const struct xlb_svc_key *k)
{
	int i;

	for (i = 0; i < n; i++)
		if (!memcmp(&keys[i], k, sizeof(*k)))
			return true;
	return false;
}

static bool has_vip(const struct xlb_svc_key *keys, int n,
		    const struct xlb_svc_key *k)
{
	int i;

	for (i = 0; i < n; i++)
		if (keys[i].family == k->family &&
		    !memcmp(&keys[i].vip, &k->vip, sizeof(k->vip)))
			return true;
	return false;
}

/* "vips": every address of the new keys, none of those only the old ones
 * had (the data path answers ICMP echo requests to these). */
static void sync_vips(struct xlb_agent *a, const struct xlb_svc_key *keys,
		      int n)
{
	struct xlb_vip_key vk = {};
	uint32_t one = 1;
	int k;

	for (k = 0; k < n; k++) {
		vk.addr = keys[k].vip;
		vk.family = keys[k].family;
		xlb_map_update(a->l, "vips", &vk, &one);
	}
	for (k = 0; k < a->nkeys; k++) {
		if (has_vip(keys, n, &a->keys[k]))
			continue;
		vk.addr = a->keys[k].vip;
		vk.family = a->keys[k].family;
		xlb_map_delete(a->l, "vips", &vk);
	}
}

static int commit_services(struct xlb_agent *a, struct xlb_config *cfg,
			   const struct plan *p)
{
	static struct xlb_svc_key keys[XLB_MAX_SERVICES * 4];
	int i, k, n = 0, first, err;

	for (i = 0; i < cfg->nfrontends; i++) {
		const struct xlb_cfg_frontend *f = &cfg->frontends[i];
		const struct xlb_cfg_backend *b = &cfg->backends[f->backend];
		struct xlb_svc svc = { .id = p->svc_id[i] };
		struct xlb_svc_name nm = {};
		uint32_t slot;

		svc.nbackends = b->nservers;
		svc.algo = b->algo == XLB_CFG_ROUNDROBIN ? XLB_ALGO_ROUNDROBIN :
							    XLB_ALGO_LEASTCONN;
		for (k = 0; k < b->nservers; k++) {
			slot = svc.id * XLB_MAX_SVC_BACKENDS + k;
			err = xlb_map_update(a->l, "svc_backends", &slot,
					     &p->srv_id[f->backend][k]);
			if (err)
				return err;
		}
		name_copy(nm.frontend, f->name);
		name_copy(nm.backend, b->name);
		nm.algo = svc.algo;
		nm.nbackends = svc.nbackends;
		nm.in_use = 1;
		xlb_map_update(a->l, "svc_names", &svc.id, &nm);

		first = n;
		n = frontend_keys(a, cfg, f, keys, n);
		if (n == first) {
			pr_warn("%s:%d: frontend %s: '*' matches no IPv4 "
				"address on the attached interfaces\n",
				cfg->path, f->line, f->name);
			return -EADDRNOTAVAIL;
		}
		for (k = first; k < n; k++) {
			err = xlb_map_update(a->l, "services", &keys[k], &svc);
			if (err)
				return err;
		}
		a->svc_id[i] = svc.id;
		snprintf(a->svc_name[svc.id], XLB_NAME_MAX, "%s", f->name);
	}
	for (k = 0; k < a->nkeys; k++)
		if (!has_key(keys, n, &a->keys[k]))
			xlb_map_delete(a->l, "services", &a->keys[k]);
	sync_vips(a, keys, n);
	memcpy(a->keys, keys, n * sizeof(keys[0]));
	a->nkeys = n;
	return 0;
}

/* Frontends the new configuration dropped: their names go. */
static void retire_services(struct xlb_agent *a, const struct plan *p)
{
	struct xlb_svc_name none = {};
	uint32_t id;

	for (id = 0; id < XLB_MAX_SERVICES; id++)
		if (a->svc_name[id][0] && !p->svc_taken[id]) {
			xlb_map_update(a->l, "svc_names", &id, &none);
			a->svc_name[id][0] = 0;
		}
}

int xlb_sync(struct xlb_agent *a, struct xlb_config *cfg)
{
	struct plan *p = calloc(1, sizeof(*p));
	int i, j, err;

	if (!p)
		return -ENOMEM;
	err = plan_servers(a, cfg, p);
	if (!err)
		err = plan_services(a, cfg, p);
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
	retire_services(a, p);
	err = commit_services(a, cfg, p);
	if (!err)
		a->cfg = cfg;
out:
	free(p);
	return err;
}
