// SPDX-License-Identifier: GPL-2.0
/* The services half of xlb_sync(). A frontend gets one service per family
 * of its binds: xlb does not translate between IPv4 and IPv6 (as IPVS in
 * NAT mode does not), so the connections of its IPv4 binds go to the
 * backend's IPv4 servers and those of its IPv6 binds to its IPv6 servers,
 * two pools over the same backend. A frontend with binds of one family,
 * the usual case, has one service as it always had. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "log.h"
#include "maps.h"
#include "sync_int.h"
#include "xlb_names.h"

static bool has_family(const struct xlb_cfg_frontend *f, int family)
{
	int i;

	for (i = 0; i < f->nbinds; i++)
		if (f->binds[i].addr.family == family)
			return true;
	return false;
}

void xlb_retire_services(struct xlb_agent *a, const struct plan *p)
{
	struct xlb_svc_name none = {};
	uint32_t id;

	for (id = 0; id < XLB_MAX_SERVICES; id++)
		if (a->svc_name[id][0] && !p->svc_taken[id]) {
			xlb_map_update(a->l, "svc_names", &id, &none);
			a->svc_name[id][0] = 0;
		}
}

static bool is_local(const struct xlb_loader *l, const struct xlb_cfg_addr *a)
{
	int i, j;

	for (i = 0; i < l->n; i++) {
		const struct xlb_iface *ifc = &l->att[i].ifc;

		for (j = 0; a->family == AF_INET && j < ifc->naddrs; j++)
			if (ifc->addrs[j].s_addr == a->v4.s_addr)
				return true;
		for (j = 0; a->family == AF_INET6 && j < ifc->naddrs6; j++)
			if (!memcmp(&ifc->addrs6[j], &a->v6, sizeof(a->v6)))
				return true;
	}
	return false;
}

static int add_key(struct xlb_svc_key *keys, int n,
		   const struct xlb_cfg_bind *b, const struct xlb_cfg_addr *vip)
{
	struct xlb_svc_key k = {};

	if (n >= XLB_MAX_KEYS)
		return n + 1;	/* counted: the caller says so */
	xlb_addr_to_map(vip, &k.vip, &k.family);
	k.port = htons(b->port);
	k.proto = b->proto;
	keys[n] = k;
	return n + 1;
}

/* Every address of the attached interfaces of b's family: IPv4 for `*`,
 * global and ULA IPv6 for `::` (iface.h). */
static int wildcard_keys(const struct xlb_loader *l,
			 const struct xlb_cfg_bind *b,
			 struct xlb_svc_key *keys, int n)
{
	struct xlb_cfg_addr vip = { .family = b->addr.family };
	int j, k;

	for (j = 0; j < l->n; j++) {
		const struct xlb_iface *ifc = &l->att[j].ifc;
		int m = vip.family == AF_INET6 ? ifc->naddrs6 : ifc->naddrs;

		for (k = 0; k < m; k++) {
			if (vip.family == AF_INET6)
				vip.v6 = ifc->addrs6[k];
			else
				vip.v4 = ifc->addrs[k];
			n = add_key(keys, n, b, &vip);
		}
	}
	return n;
}

/* The VIP keys of one frontend's binds of one family. */
static int frontend_keys(const struct xlb_agent *a,
			 const struct xlb_config *cfg,
			 const struct xlb_cfg_frontend *f, int family,
			 struct xlb_svc_key *keys, int n)
{
	char ip[XLB_ADDR_STRLEN];
	int i;

	for (i = 0; i < f->nbinds; i++) {
		const struct xlb_cfg_bind *b = &f->binds[i];

		if (b->addr.family != family)
			continue;
		if (b->wildcard) {
			n = wildcard_keys(a->l, b, keys, n);
			continue;
		}
		if (!is_local(a->l, &b->addr))
			pr_info("%s:%d: notice: %s is not an address of an "
				"attached interface: it must be routed to "
				"this host\n", cfg->path, b->line,
				xlb_addr_str(&b->addr, ip, sizeof(ip)));
		n = add_key(keys, n, b, &b->addr);
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
 * had (the data path answers ICMP and ICMPv6 echo requests to these). */
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

/* The keys of every planned service, checked before anything is written:
 * a wildcard that matches no address, or too many keys, fails the sync. */
static int plan_keys(const struct xlb_agent *a, const struct xlb_config *cfg,
		     struct plan *p)
{
	int i, fk, n = 0;

	for (i = 0; i < cfg->nfrontends; i++)
		for (fk = 0; fk < 2; fk++) {
			const struct xlb_cfg_frontend *f = &cfg->frontends[i];

			p->first[i][fk] = n;
			if (p->svc_id[i][fk] == UINT32_MAX)
				continue;
			n = frontend_keys(a, cfg, f, fk ? AF_INET6 : AF_INET,
					  p->keys, n);
			if (n > XLB_MAX_KEYS) {
				pr_warn("%s:%d: frontend %s: more than %d "
					"addresses and ports in all\n",
					cfg->path, f->line, f->name,
					XLB_MAX_KEYS);
				return -E2BIG;
			}
			p->count[i][fk] = n - p->first[i][fk];
			if (p->count[i][fk])
				continue;
			pr_warn("%s:%d: frontend %s: '%s' matches no %s address "
				"on the attached interfaces\n", cfg->path,
				f->line, f->name, fk ? "::" : "*",
				fk ? "global or ULA IPv6" : "IPv4");
			return -EADDRNOTAVAIL;
		}
	p->nkeys = n;
	return 0;
}

int xlb_plan_services(const struct xlb_agent *a, const struct xlb_config *cfg,
		      struct plan *p)
{
	int i, k, n = 0;
	uint32_t id;

	for (i = 0; i < cfg->nfrontends; i++)
		for (k = 0; k < 2; k++)
			n += has_family(&cfg->frontends[i], k ? AF_INET6 :
								 AF_INET);
	if (n > XLB_MAX_SERVICES) {
		pr_warn("%s: more than %d services (a frontend with IPv4 and "
			"IPv6 binds is two)\n", cfg->path, XLB_MAX_SERVICES);
		return -E2BIG;
	}
	/* A frontend keeps its service ids across reloads and restarts. */
	for (i = 0; i < cfg->nfrontends; i++)
		for (k = 0; k < 2; k++) {
			int family = k ? AF_INET6 : AF_INET;

			p->svc_id[i][k] = UINT32_MAX;
			if (!has_family(&cfg->frontends[i], family))
				continue;
			for (id = 0; id < XLB_MAX_SERVICES; id++)
				if (!strcmp(a->svc_name[id],
					    cfg->frontends[i].name) &&
				    a->svc_family[id] == family) {
					p->svc_id[i][k] = id;
					p->svc_taken[id] = true;
				}
		}
	for (i = 0; i < cfg->nfrontends; i++)
		for (k = 0; k < 2; k++) {
			if (p->svc_id[i][k] != UINT32_MAX ||
			    !has_family(&cfg->frontends[i], k ? AF_INET6 :
								 AF_INET))
				continue;
			/* Prefer ids no frontend had, then any not planned. */
			for (id = 0; id < XLB_MAX_SERVICES &&
				     (p->svc_taken[id] || a->svc_name[id][0]);
			     id++)
				;
			for (id = id < XLB_MAX_SERVICES ? id : 0;
			     p->svc_taken[id];)
				id++;
			p->svc_id[i][k] = id;
			p->svc_taken[id] = true;
		}
	return plan_keys(a, cfg, p);
}

/* The service of frontend f's binds of one family: its pool is the
 * backend's servers of that family, in the file's order. */
static int commit_pool(struct xlb_agent *a, const struct xlb_config *cfg,
		       const struct plan *p, int fi, int family,
		       struct xlb_svc *svc)
{
	const struct xlb_cfg_frontend *f = &cfg->frontends[fi];
	const struct xlb_cfg_backend *b = &cfg->backends[f->backend];
	struct xlb_svc_name nm = {};
	uint32_t slot;
	int j, err;

	svc->nbackends = 0;
	svc->algo = b->algo == XLB_CFG_ROUNDROBIN ? XLB_ALGO_ROUNDROBIN :
		    b->algo == XLB_CFG_RANDOM ? XLB_ALGO_RANDOM :
						XLB_ALGO_LEASTCONN;
	svc->draws = b->algo == XLB_CFG_RANDOM ? b->draws : 0;
	for (j = 0; j < b->nservers; j++) {
		if (b->servers[j].addr.family != family)
			continue;
		slot = svc->id * XLB_MAX_SVC_BACKENDS + svc->nbackends++;
		err = xlb_map_update(a->l, "svc_backends", &slot,
				     &p->srv_id[f->backend][j]);
		if (err)
			return err;
	}
	xlb_label_copy(nm.frontend, f->name);
	xlb_label_copy(nm.backend, b->name);
	nm.algo = svc->algo;
	nm.nbackends = svc->nbackends;
	nm.in_use = 1;
	return xlb_map_update(a->l, "svc_names", &svc->id, &nm);
}

int xlb_commit_services(struct xlb_agent *a, struct xlb_config *cfg,
			const struct plan *p)
{
	int i, k, fk, err;

	for (i = 0; i < cfg->nfrontends; i++)
		for (fk = 0; fk < 2; fk++) {
			int family = fk ? AF_INET6 : AF_INET;
			struct xlb_svc svc = { .id = p->svc_id[i][fk] };

			a->svc_id[i][fk] = svc.id;
			if (svc.id == UINT32_MAX)
				continue;
			err = commit_pool(a, cfg, p, i, family, &svc);
			for (k = p->first[i][fk]; !err &&
			     k < p->first[i][fk] + p->count[i][fk]; k++)
				err = xlb_map_update(a->l, "services",
						     &p->keys[k], &svc);
			if (err)
				return err;
			snprintf(a->svc_name[svc.id], XLB_NAME_MAX, "%s",
				 cfg->frontends[i].name);
			a->svc_family[svc.id] = family;
		}
	for (k = 0; k < a->nkeys; k++)
		if (!has_key(p->keys, p->nkeys, &a->keys[k]))
			xlb_map_delete(a->l, "services", &a->keys[k]);
	sync_vips(a, p->keys, p->nkeys);
	memcpy(a->keys, p->keys, p->nkeys * sizeof(p->keys[0]));
	a->nkeys = p->nkeys;
	return 0;
}
