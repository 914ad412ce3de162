/* SPDX-License-Identifier: GPL-2.0 */
/* Taking over from an agent that exited with --keep or was killed: its
 * maps are reused as they are (flows, counts), and the agent's own view
 * (server ids, admin state, health, service ids) is read back from them. */
#ifndef XLB_ADOPT_H
#define XLB_ADOPT_H

struct xlb_agent;

int xlb_adopt_state(struct xlb_agent *a);

#endif
