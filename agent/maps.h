/* SPDX-License-Identifier: GPL-2.0 */
/* Filling the shared maps from a parsed configuration. */
#ifndef XLB_MAPS_H
#define XLB_MAPS_H

#include <stdint.h>
#include "config.h"
#include "loader.h"

struct xlb_settings;

/* IPVS's default timeouts and our source-port range. */
void xlb_settings_defaults(struct xlb_settings *s);
int xlb_settings_write(const struct xlb_loader *l, const struct xlb_settings *s);

/* One entry of a shared map by name; messages name the map. */
int xlb_map_update(const struct xlb_loader *l, const char *map, const void *k,
		   const void *v);
int xlb_map_delete(const struct xlb_loader *l, const char *map, const void *k);

/* Ask the kernel to keep hop (IPv4 or IPv6) on ifindex resolved (a
 * managed neighbour entry). */
int xlb_keep_resolved(int ifindex, const struct xlb_cfg_addr *hop);

/* Ask again for every backend's next hop to be kept resolved (after the
 * data path reported NO_NEIGH: someone flushed the neighbour table).
 * Returns how many entries were (re)made. */
int xlb_neigh_refresh(const struct xlb_loader *l);

/* A data-path reason counter summed over CPUs. */
uint64_t xlb_reason_total(const struct xlb_loader *l, unsigned int reason);

#endif
