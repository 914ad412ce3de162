/* SPDX-License-Identifier: GPL-2.0 */
/* Prometheus text exposition over HTTP (GET /metrics). */
#ifndef XLB_METRICS_H
#define XLB_METRICS_H

struct xlb_agent;

/* Listen on "ADDR:PORT" ("*:9101" or ":9101": every IPv4 address, ":::9101"
 * or "[::]:9101" every IPv6 one, or an address of either family). */
int xlb_metrics_start(struct xlb_agent *a, const char *addr);
void xlb_metrics_stop(struct xlb_agent *a);

#endif
