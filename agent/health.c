// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the check engine lands. */
#include "agent.h"
#include "health.h"

int xlb_health_start(struct xlb_agent *a) { return 0; }
void xlb_health_tick(struct xlb_agent *a, uint64_t now_ms) {}
int xlb_health_next_ms(struct xlb_agent *a, uint64_t now_ms, int limit_ms) { return limit_ms; }
void xlb_health_stop(struct xlb_agent *a) {}
