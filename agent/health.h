/* SPDX-License-Identifier: GPL-2.0 */
/* Health checks: every check of every server in the agent's one event loop
 * (non-blocking sockets), HAProxy's parameters and semantics. Results go
 * to xlb_srv_check_result(). */
#ifndef XLB_HEALTH_H
#define XLB_HEALTH_H

#include <stdint.h>

struct xlb_agent;

int xlb_health_start(struct xlb_agent *a);
/* Called after every loop turn: follows the servers' configuration
 * (servers added, removed, checks enabled or disabled, maint), starts the
 * checks that are due and fails those past their timeout. The only place
 * where a check context is freed. */
void xlb_health_tick(struct xlb_agent *a, uint64_t now_ms);
/* How long the loop may sleep: min(limit_ms, time to the next deadline). */
int xlb_health_next_ms(struct xlb_agent *a, uint64_t now_ms, int limit_ms);
void xlb_health_stop(struct xlb_agent *a);

#endif
