// SPDX-License-Identifier: GPL-2.0
/* IPv4 and IPv6 side by side. xlb does not translate between the two
 * families (as IPVS in NAT mode does not): a connection to an IPv6 bind
 * goes to an IPv6 server, to an IPv4 bind to an IPv4 server. So each bind
 * uses the servers of its backend that have its family; a bind whose
 * backend has servers, none of its family, could never be served and is
 * an error. */
#include <string.h>
#include <sys/socket.h>

#include "config_check.h"
#include "config_values.h"

static int count_family(const struct xlb_cfg_backend *be, int family)
{
	int i, n = 0;

	for (i = 0; i < be->nservers; i++)
		n += be->servers[i].addr.family == family;
	return n;
}

/* Notices for a backend with servers of both families, said once per
 * load: which servers each bind uses, and whom `source` applies to. */
static void note_backend(struct xlb_parser *p, const struct xlb_cfg_backend *be)
{
	int n4 = count_family(be, AF_INET), n6 = count_family(be, AF_INET6);
	char ip[XLB_ADDR_STRLEN];
	int sf = be->source.family;

	if (n4 && n6)
		notice_at(p, be->line, "backend '%s' has %d IPv4 and %d IPv6 servers: IPv4 binds use the IPv4 ones, IPv6 binds the IPv6 ones (xlb does not translate between IPv4 and IPv6)",
			  be->name, n4, n6);
	if (be->has_source && (sf == AF_INET ? n6 : n4))
		notice_at(p, be->line, "backend '%s': source %s applies to its %s servers only; the others use the source address of their route",
			  be->name, xlb_addr_str(&be->source, ip, sizeof(ip)),
			  xlb_family_name(sf));
}

int xlb_check_families(struct xlb_parser *p)
{
	const struct xlb_config *cfg = p->cfg;
	char b[XLB_MSG_LEN];
	int i, j;

	for (i = 0; i < cfg->nbackends; i++)
		note_backend(p, &cfg->backends[i]);
	for (i = 0; i < cfg->nfrontends; i++) {
		const struct xlb_cfg_frontend *fe = &cfg->frontends[i];
		const struct xlb_cfg_backend *be = &cfg->backends[fe->backend];

		for (j = 0; j < fe->nbinds; j++) {
			int family = fe->binds[j].addr.family;

			if (!be->nservers || count_family(be, family))
				continue;
			xlb_format_bind(&fe->binds[j], b, sizeof(b));
			return error_at(p, fe->binds[j].line,
					"bind %s of '%s' is %s, but backend '%s' has no %s server: xlb does not translate between IPv4 and IPv6",
					b, fe->name, xlb_family_name(family),
					be->name, xlb_family_name(family));
		}
	}
	return 0;
}
