// SPDX-License-Identifier: GPL-2.0
/* What the stats commands read: the data path's per-CPU counters summed,
 * the helpers every command's rows share, and the sampler behind the
 * rates and maxima (once a second it reads the new-flow counters and the
 * active counts). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ctl_int.h"
#include "xlb_stats.h"

void xlb_ctl_counters_open(const struct xlb_agent *a, struct counters *c)
{
	c->ncpu = libbpf_num_possible_cpus();
	c->bfd = xlb_loader_map_fd(a->l, "backend_stats");
	c->sfd = xlb_loader_map_fd(a->l, "svc_stats");
	c->pc = c->ncpu > 0 ? calloc(c->ncpu, sizeof(*c->pc)) : NULL;
}

void xlb_ctl_counters_close(struct counters *c)
{
	free(c->pc);
	c->pc = NULL;
}

void xlb_ctl_traffic(const struct counters *c, int fd, uint32_t id,
		     struct xlb_traffic *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	if (fd < 0 || !c->pc || bpf_map_lookup_elem(fd, &id, c->pc))
		return;
	for (i = 0; i < c->ncpu; i++) {
		t->packets += c->pc[i].packets;
		t->bytes += c->pc[i].bytes;
		t->reply_packets += c->pc[i].reply_packets;
		t->reply_bytes += c->pc[i].reply_bytes;
		t->new_flows += c->pc[i].new_flows;
	}
}

int xlb_ctl_backend(const struct xlb_agent *a, const char *name)
{
	int i;

	for (i = 0; i < a->cfg->nbackends; i++)
		if (!strcmp(a->cfg->backends[i].name, name))
			return i;
	return -1;
}

/* Usable for new flows: what HAProxy counts in a backend's act/bck. */
bool xlb_ctl_usable(const struct xlb_srv *s)
{
	return xlb_srv_available(s) && s->admin != XLB_ADMIN_DRAIN &&
	       s->weight > 0;
}

/* Seconds from t to now, 0 if t is unset or ahead. */
unsigned long long xlb_ctl_since(time_t t, time_t now)
{
	return t && now > t ? (unsigned long long)(now - t) : 0;
}

int64_t xlb_ctl_active(const struct xlb_agent *a, const struct xlb_srv *s)
{
	int64_t n = xlb_srv_active(a, s);

	return n > 0 ? n : 0;
}

/* ---- the sampler ---- */

struct ctl_sampler *xlb_ctl_sampler_new(void)
{
	return calloc(1, sizeof(struct ctl_sampler));
}

static void update_rate(struct rate *r, uint64_t flows, uint64_t elapsed_ms)
{
	if (!r->valid || flows < r->flows) {
		/* A new server or service, or counters reset: start over. */
		*r = (struct rate){ .flows = flows, .valid = true };
		return;
	}
	if (!elapsed_ms)
		return;
	r->rate = (uint32_t)((flows - r->flows) * 1000 / elapsed_ms);
	if (r->rate > r->rate_max)
		r->rate_max = r->rate;
	r->flows = flows;
}

struct be_sample *xlb_ctl_be_sample(struct ctl_sampler *smp, const char *name,
				    bool add)
{
	struct be_sample *free_slot = NULL;
	int i;

	for (i = 0; i < XLB_CFG_MAX_BACKENDS; i++) {
		if (!strcmp(smp->be[i].name, name))
			return &smp->be[i];
		if (!smp->be[i].name[0] && !free_slot)
			free_slot = &smp->be[i];
	}
	if (!add || !free_slot)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	snprintf(free_slot->name, sizeof(free_slot->name), "%s", name);
	return free_slot;
}

void xlb_ctl_sample(struct xlb_agent *a, struct ctl_sampler *smp)
{
	uint64_t now = xlb_now_ms(), elapsed;
	const struct xlb_config *cfg = a->cfg;
	struct xlb_traffic t;
	struct counters c;
	uint32_t id, conn_rate = 0;
	int i, j;

	elapsed = smp->last_ms ? now - smp->last_ms : 0;
	smp->last_ms = now;
	xlb_ctl_counters_open(a, &c);
	for (id = 0; id < XLB_MAX_BACKENDS; id++) {
		if (!a->srv[id].in_use) {
			smp->srv[id].valid = false;
			continue;
		}
		xlb_ctl_traffic(&c, c.bfd, id, &t);
		update_rate(&smp->srv[id], t.new_flows, elapsed);
	}
	for (id = 0; id < XLB_MAX_SERVICES; id++) {
		if (!a->svc_name[id][0]) {
			smp->svc[id].valid = false;
			continue;
		}
		xlb_ctl_traffic(&c, c.sfd, id, &t);
		update_rate(&smp->svc[id], t.new_flows, elapsed);
		conn_rate += smp->svc[id].rate;
	}
	xlb_ctl_counters_close(&c);
	if (conn_rate > smp->conn_rate_max)
		smp->conn_rate_max = conn_rate;

	for (i = 0; i < XLB_CFG_MAX_BACKENDS; i++)
		smp->be[i].seen = false;
	for (i = 0; cfg && i < cfg->nbackends; i++) {
		const struct xlb_cfg_backend *b = &cfg->backends[i];
		struct be_sample *bs = xlb_ctl_be_sample(smp, b->name, true);
		uint32_t rate = 0;
		int64_t cur = 0;

		if (!bs)
			continue;
		bs->seen = true;
		for (j = 0; j < b->nservers; j++) {
			struct xlb_srv *s = xlb_srv_find(a, b->name,
							 b->servers[j].name);

			if (!s)
				continue;
			cur += xlb_ctl_active(a, s);
			rate += smp->srv[xlb_srv_id(a, s)].rate;
		}
		if (cur > bs->smax)
			bs->smax = cur;
		if (rate > bs->rate_max)
			bs->rate_max = rate;
	}
	for (i = 0; i < XLB_CFG_MAX_BACKENDS; i++)
		if (!smp->be[i].seen)
			smp->be[i].name[0] = 0;
}
