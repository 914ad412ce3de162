/* SPDX-License-Identifier: GPL-2.0 */
/* The two halves of xlb_sync(), and nothing else: sync.c plans and writes
 * the servers, sync_svc.c the services (one per frontend and family of its
 * binds), their VIP keys and the "vips" map. */
#ifndef XLB_SYNC_INT_H
#define XLB_SYNC_INT_H

#include "agent.h"
#include "route.h"

#define XLB_MAX_KEYS (XLB_MAX_SERVICES * 4)	/* the "services" map's size */

/* Where each configured server and frontend goes. */
struct plan {
	uint32_t srv_id[XLB_CFG_MAX_BACKENDS][XLB_CFG_MAX_SERVERS];
	struct xlb_route route[XLB_CFG_MAX_BACKENDS][XLB_CFG_MAX_SERVERS];
	uint32_t svc_id[XLB_CFG_MAX_FRONTENDS][2];	/* by xlb_fam_idx() */
	bool srv_taken[XLB_MAX_BACKENDS];
	bool svc_taken[XLB_MAX_SERVICES];
	/* The VIP keys of every service; those of frontend i's family k
	 * are keys[first[i][k]] up to keys[first[i][k] + count[i][k]]. */
	struct xlb_svc_key keys[XLB_MAX_KEYS];
	int nkeys;
	int first[XLB_CFG_MAX_FRONTENDS][2], count[XLB_CFG_MAX_FRONTENDS][2];
};

/* Service ids, stable per (frontend name, family) across reloads and
 * restarts, and their VIP keys (at least one each). */
int xlb_plan_services(const struct xlb_agent *a, const struct xlb_config *cfg,
		      struct plan *p);
/* Frontends (or families of them) the new configuration dropped. */
void xlb_retire_services(struct xlb_agent *a, const struct plan *p);
/* Write services, their pools and keys, and "vips". */
int xlb_commit_services(struct xlb_agent *a, struct xlb_config *cfg,
			const struct plan *p);

/* snprintf into dst, XLB_LABEL_MAX bytes (the names maps' labels). */
void xlb_label_copy(char *dst, const char *src);

#endif
