// SPDX-License-Identifier: GPL-2.0
/* `bind` lines: addresses of either family (config_values.c parses one),
 * HAProxy's `v4v6` and `v6only` options, and no address, port and
 * protocol taken twice across frontends. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "config_check.h"
#include "config_values.h"

/* The bind of any frontend that takes the same address, port and protocol. */
static const struct xlb_cfg_bind *
bind_conflict(struct xlb_config *cfg, const struct xlb_cfg_bind *b,
	      const struct xlb_cfg_frontend **owner)
{
	for (int i = 0; i < cfg->nfrontends; i++) {
		const struct xlb_cfg_frontend *fe = &cfg->frontends[i];

		for (int j = 0; j < fe->nbinds; j++) {
			const struct xlb_cfg_bind *o = &fe->binds[j];

			if (o->port != b->port || o->proto != b->proto ||
			    o->wildcard != b->wildcard ||
			    !xlb_addr_eq(&o->addr, &b->addr))
				continue;
			*owner = fe;
			return o;
		}
	}
	return NULL;
}

static int add_bind(struct xlb_parser *p, const struct xlb_cfg_bind *b)
{
	struct xlb_cfg_frontend *fe = p->fe;
	const struct xlb_cfg_frontend *owner;
	const struct xlb_cfg_bind *o;
	char msg[XLB_MSG_LEN];

	o = bind_conflict(p->cfg, b, &owner);
	if (o) {
		xlb_format_bind(b, msg, sizeof(msg));
		return perr(p, "bind %s already used by frontend '%s' (line %d)",
			     msg, owner->name, o->line);
	}
	if (fe->nbinds == XLB_CFG_MAX_BINDS)
		return perr(p, "too many bind addresses in '%s' (max %d)",
			     fe->name, XLB_CFG_MAX_BINDS);
	fe->binds[fe->nbinds++] = *b;
	return 0;
}

/* HAProxy's bind options for the IPv6 wildcard: xlb's "::" is IPv6 only,
 * as with `v6only`; `v4v6` asks for the dual-stack socket HAProxy would
 * open, so the IPv4 wildcard on the same port comes with it. */
int xlb_do_bind(struct xlb_parser *p, int argc, char **argv)
{
	char msg[XLB_MSG_LEN], *tok, *save;
	bool v4v6 = false;
	int i;

	if (argc < 2)
		return perr(p, "'bind' needs an address, e.g. 'bind *:80'");
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "v4v6"))
			v4v6 = true;
		else if (strcmp(argv[i], "v6only"))
			return perr(p, "bind option '%s' is not supported (xlb works at layer 4)",
				    argv[i]);
	}
	for (tok = strtok_r(argv[1], ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		struct xlb_cfg_bind b;

		if (xlb_parse_bind_addr(tok, &b, msg, sizeof(msg)))
			return perr(p, "%s", msg);
		b.line = p->line;
		if (add_bind(p, &b))
			return -EINVAL;
		if (!v4v6 || !b.wildcard || b.addr.family != AF_INET6)
			continue;
		memset(&b.addr, 0, sizeof(b.addr));
		b.addr.family = AF_INET;
		if (add_bind(p, &b))
			return -EINVAL;
	}
	return 0;
}
