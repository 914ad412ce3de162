/* SPDX-License-Identifier: GPL-2.0 */
/* The Prometheus text exposition (format 0.0.4) of the running agent: its
 * servers, backends and frontends, and the data path's counters. */
#ifndef XLB_METRICS_TEXT_H
#define XLB_METRICS_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct xlb_agent;

/* A growing text buffer; oom is set (and text dropped) when it cannot grow
 * or would pass max. */
struct xlb_mbuf {
	char *p;
	size_t len, cap, max;
	bool oom;
};

void xlb_mbuf_printf(struct xlb_mbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void xlb_mbuf_free(struct xlb_mbuf *b);

/* Append the whole exposition to b. */
void xlb_metrics_render(struct xlb_agent *a, struct xlb_mbuf *b);

#endif
