// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include "adopt.h"
#include "agent.h"
#include "log.h"
#include "xlb_backend.h"
#include "xlb_flow.h"
#include "xlb_names.h"
#include "xlb_srv_state.h"

static void adopt_server(struct xlb_srv *s, const struct xlb_backend_name *nm,
			 const struct xlb_srv_state *st)
{
	memset(s, 0, sizeof(*s));
	s->in_use = true;
	snprintf(s->backend, sizeof(s->backend), "%s", nm->backend);
	snprintf(s->cfg.name, sizeof(s->cfg.name), "%s", nm->server);
	s->admin = st->admin;
	s->weight = st->weight;
	/* The file's weight wins on restart only if it differs from what
	 * the runtime API had set; see commit_server(). */
	s->cfg.weight = st->weight;
	s->check_disabled = st->check_disabled;
	s->up = st->up;
	s->health = st->health;
	snprintf(s->check_status, sizeof(s->check_status), "%s",
		 st->check_status);
	s->check_code = st->check_code;
	s->check_duration_ms = st->check_duration_ms;
	s->chkfail = st->chkfail;
	s->chkdown = st->chkdown;
	s->lastchg = st->lastchg;
	s->downtime_s = st->downtime_s;
	s->down_since = st->down_since;
	s->smax = st->smax;
}

static int adopt_servers(struct xlb_agent *a)
{
	int nfd = xlb_loader_map_fd(a->l, "backend_names");
	int sfd = xlb_loader_map_fd(a->l, "server_state");
	struct xlb_backend_name nm;
	struct xlb_srv_state st;
	__u32 id;
	int n = 0;

	if (nfd < 0 || sfd < 0)
		return -ENOENT;
	for (id = 0; id < XLB_MAX_BACKENDS; id++) {
		if (bpf_map_lookup_elem(nfd, &id, &nm) || !nm.in_use)
			continue;
		if (bpf_map_lookup_elem(sfd, &id, &st) || !st.in_use)
			memset(&st, 0, sizeof(st));
		adopt_server(&a->srv[id], &nm, &st);
		n++;
	}
	return n;
}

static void adopt_services(struct xlb_agent *a)
{
	int nfd = xlb_loader_map_fd(a->l, "svc_names");
	int kfd = xlb_loader_map_fd(a->l, "services");
	struct xlb_svc_key k, next, *prev = NULL;
	struct xlb_svc_name nm;
	struct xlb_svc svc;
	__u32 id;

	for (id = 0; nfd >= 0 && id < XLB_MAX_SERVICES; id++)
		if (!bpf_map_lookup_elem(nfd, &id, &nm) && nm.in_use) {
			snprintf(a->svc_name[id], XLB_NAME_MAX, "%s",
				 nm.frontend);
			a->svc_family[id] = AF_INET;
		}
	/* A service's family is that of its keys (one per frontend and
	 * family, see agent.h), so the same frontend's IPv6 binds find
	 * their id again. */
	while (kfd >= 0 && a->nkeys < XLB_MAX_SERVICES * 4 &&
	       !bpf_map_get_next_key(kfd, prev, &next)) {
		k = next;
		a->keys[a->nkeys++] = k;
		prev = &k;
		if (!bpf_map_lookup_elem(kfd, &k, &svc) &&
		    svc.id < XLB_MAX_SERVICES)
			a->svc_family[svc.id] = k.family == XLB_AF_INET6 ?
						AF_INET6 : AF_INET;
	}
}

/* The counts were kept by the data path all along; check them against
 * the flow table (forward entries still holding a count, and which one)
 * and repair what differs, e.g. after the count map was lost. */
static void check_counts(struct xlb_agent *a)
{
	int ffd = xlb_loader_map_fd(a->l, "flows");
	int cfd = xlb_loader_map_fd(a->l, "backend_conns");
	struct xlb_flow_key k, next, *prev = NULL;
	struct xlb_backend_conns *want = calloc(XLB_MAX_BACKENDS, sizeof(*want));
	struct xlb_backend_conns have;
	struct xlb_flow f;
	__u32 id;
	int fixed = 0, flows = 0;

	if (!want || ffd < 0 || cfd < 0) {
		free(want);
		return;
	}
	while (!bpf_map_get_next_key(ffd, prev, &next)) {
		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(ffd, &k, &f) ||
		    f.dir != XLB_DIR_FORWARD)
			continue;
		flows++;
		if (f.backend >= XLB_MAX_BACKENDS)
			continue;
		if (f.counted == XLB_COUNT_HALF || f.counted == XLB_COUNT_OPEN)
			want[f.backend].active++;
		if (f.counted == XLB_COUNT_HALF)
			want[f.backend].half_open++;
	}
	for (id = 0; id < XLB_MAX_BACKENDS; id++) {
		if (bpf_map_lookup_elem(cfd, &id, &have) ||
		    (have.active == want[id].active &&
		     have.half_open == want[id].half_open))
			continue;
		pr_warn("xlb: backend id %u: count %lld (%lld half-open), flow "
			"table says %lld (%lld): rebuilt from the flow table\n",
			id, (long long)have.active, (long long)have.half_open,
			(long long)want[id].active,
			(long long)want[id].half_open);
		bpf_map_update_elem(cfd, &id, &want[id], BPF_ANY);
		fixed++;
	}
	pr_info("xlb: adopted %d tracked flows; counts %s\n", flows,
		fixed ? "rebuilt where they differed" : "match the flow table");
	free(want);
}

int xlb_adopt_state(struct xlb_agent *a)
{
	int n = adopt_servers(a);

	if (n < 0)
		return n;
	adopt_services(a);
	check_counts(a);
	a->adopted = true;
	pr_info("xlb: adopted %d servers and their state\n", n);
	return 0;
}
