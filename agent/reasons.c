// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "reasons.h"
#include "agent.h"
#include "xlb_flow.h"
#include "xlb_stats.h"

static const char *const reason_names[XLB_R_MAX] = {
	[XLB_R_FORWARD_TX] = "forward_tx",
	[XLB_R_FORWARD_REDIRECT] = "forward_redirect",
	[XLB_R_PASS_NOT_IP] = "pass_not_ip",
	[XLB_R_PASS_NOT_SERVICE] = "pass_not_service",
	[XLB_R_PASS_MALFORMED] = "pass_malformed",
	[XLB_R_PASS_FRAGMENT] = "pass_fragment",
	[XLB_R_PASS_IPV6_EXT] = "pass_ipv6_ext",
	[XLB_R_PASS_VLAN] = "pass_vlan",
	[XLB_R_PASS_NO_FLOW] = "pass_no_flow",
	[XLB_R_DROP_NO_NEIGH] = "drop_no_neigh",
	[XLB_R_DROP_NO_BACKEND] = "drop_no_backend",
	[XLB_R_TX_RST_NO_BACKEND] = "tx_rst_no_backend",
	[XLB_R_TX_RST_KILLED] = "tx_rst_killed",
	[XLB_R_DROP_KILLED] = "drop_killed",
	[XLB_R_DROP_NO_PORT] = "drop_no_port",
	[XLB_R_DROP_TABLE_FULL] = "drop_table_full",
	[XLB_R_DROP_SYN_RACE] = "drop_syn_race",
	[XLB_R_DROP_FIB] = "drop_fib",
	[XLB_R_DROP_NOT_ATTACHED] = "drop_not_attached",
	[XLB_R_FLOW_CREATED] = "flow_created",
	[XLB_R_FLOW_CLOSED] = "flow_closed",
	[XLB_R_FLOW_RECYCLED] = "flow_recycled",
	[XLB_R_FLOW_EXPIRED] = "flow_expired",
	[XLB_R_TX_RST_TABLE_FULL] = "tx_rst_table_full",
	[XLB_R_DROP_SYN_FLOOD] = "drop_syn_flood",
	[XLB_R_TX_ICMP_ECHO] = "tx_icmp_echo",
	[XLB_R_PASS_ICMP_NO_FLOW] = "pass_icmp_no_flow",
	[XLB_R_ICMP_ERROR_NAT] = "flow_icmp_error",
	[XLB_R_FRAG_FIRST] = "flow_frag_first",
	[XLB_R_FRAG_FOLLOW] = "flow_frag_follow",
};

static const char *const state_names[XLB_STATE_MAX] = {
	[XLB_TCP_SYN_SENT] = "SYN_SENT",
	[XLB_TCP_SYN_RECV] = "SYN_RECV",
	[XLB_TCP_ESTABLISHED] = "ESTABLISHED",
	[XLB_TCP_FIN_WAIT] = "FIN_WAIT",
	[XLB_TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[XLB_TCP_TIME_WAIT] = "TIME_WAIT",
	[XLB_TCP_CLOSE] = "CLOSE",
	[XLB_UDP] = "UDP",
};

const char *xlb_reason_name(unsigned int reason, char *buf)
{
	if (reason < XLB_R_MAX && reason_names[reason])
		return reason_names[reason];
	snprintf(buf, 16, "reason_%u", reason % 100000);
	return buf;
}

bool xlb_reason_is_event(unsigned int reason)
{
	return (reason >= XLB_R_FLOW_CREATED && reason <= XLB_R_FLOW_EXPIRED) ||
	       reason == XLB_R_ICMP_ERROR_NAT || reason == XLB_R_FRAG_FIRST ||
	       reason == XLB_R_FRAG_FOLLOW;
}

const char *xlb_flow_state_name(unsigned int state)
{
	return state < XLB_STATE_MAX && state_names[state] ?
	       state_names[state] : "?";
}

const char *xlb_state_word(unsigned int admin, bool check, bool up,
			   uint32_t weight)
{
	if (admin == XLB_ADMIN_MAINT)
		return "MAINT";
	if (check && !up)
		return "DOWN";
	if (admin == XLB_ADMIN_DRAIN || !weight)
		return "DRAIN";
	return "UP";
}
