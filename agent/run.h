/* SPDX-License-Identifier: GPL-2.0 */
/* `xlb run`: load, attach, configure, expire idle flows, until a signal. */
#ifndef XLB_RUN_H
#define XLB_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include "loader.h"

struct xlb_run_opts {
	const char *config;
	const char *ifaces[XLB_MAX_IFACES];
	int nifaces;
	enum xlb_mode_choice mode;
	unsigned int flows;		/* flow-table entries */
	uint16_t port_min, port_max;	/* NAT source ports */
	uint32_t syn_rate;		/* --syn-rate: new TCP flows/s/CPU */
	unsigned int gc_interval_ms;
	const char *metrics;		/* --metrics ADDR:PORT */
	bool keep;			/* --keep */
};

int xlb_cmd_run(const struct xlb_run_opts *o);

#endif
