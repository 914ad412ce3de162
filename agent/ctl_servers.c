// SPDX-License-Identifier: GPL-2.0
/* The control socket's commands that change the server list or a server's
 * address: `add server`, `del server` and `set server ... addr`. Each
 * edits a copy of the running configuration and applies it as a reload
 * would (sync.c), so a failure leaves everything as it was; a reload
 * forgets these changes unless the file has them too, as in HAProxy. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include "ctl_int.h"
#include "config_values.h"
#include "log.h"
#include "route.h"

/* Apply a modified copy of the running configuration; the reasons of a
 * failure (sync.c's warnings) go into the answer. Takes cfg. */
static int apply_copy(struct ctl_req *r, struct xlb_config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len), *old;
	int err;

	old = xlb_log_tee(f);
	err = xlb_agent_apply_cfg(r->a, cfg);
	xlb_log_tee(old);
	if (f)
		fclose(f);
	if (err) {
		free(cfg);
		if (len)
			fputs(buf, r->out);
		fprintf(r->out, "Cannot apply the change (%s): the running "
			"configuration is unchanged.\n", strerror(-err));
	}
	free(buf);
	return err;
}

static struct xlb_config *cfg_copy(struct ctl_req *r)
{
	struct xlb_config *cfg = malloc(sizeof(*cfg));

	if (!cfg)
		fputs("Out of memory.\n", r->out);
	else
		memcpy(cfg, r->a->cfg, sizeof(*cfg));
	return cfg;
}

/* `add server` options: the server keywords of the configuration that mean
 * something at layer 4 (default-server is not applied, as in HAProxy). */
static int add_opt(struct ctl_req *r, int argc, char **argv,
		   struct xlb_cfg_server *srv)
{
	static const struct {
		const char *kw;
		char kind;	/* f flag, u number, t time, p port, a addr */
		unsigned long min, max;
	} opts[] = {
		{ "check", 'f', 1, 0 }, { "no-check", 'f', 0, 0 },
		{ "backup", 'f', 1, 0 }, { "no-backup", 'f', 0, 0 },
		{ "disabled", 'f', 1, 0 }, { "enabled", 'f', 0, 0 },
		{ "weight", 'u', 0, 256 }, { "maxconn", 'u', 0, 1000000000 },
		{ "rise", 'u', 1, 1000000000 }, { "fall", 'u', 1, 1000000000 },
		{ "inter", 't', 1, 0 }, { "fastinter", 't', 1, 0 },
		{ "downinter", 't', 1, 0 }, { "slowstart", 't', 0, 0 },
		{ "port", 'p', 0, 0 }, { "addr", 'a', 0, 0 },
		{ "on-marked-down", 'd', 0, 0 },
	};
	char msg[XLB_MSG_LEN];
	unsigned long v = 0;
	const char *kw = argv[0];
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(kw, opts[i].kw))
			break;
	if (i == sizeof(opts) / sizeof(opts[0])) {
		fprintf(r->out, "unknown keyword '%s'.\n", kw);
		return -1;
	}
	if (opts[i].kind == 'f') {
		if (!strcmp(kw, "check") || !strcmp(kw, "no-check"))
			srv->check = opts[i].min;
		else if (!strcmp(kw, "backup") || !strcmp(kw, "no-backup"))
			srv->backup = opts[i].min;
		return 1;	/* disabled, enabled: it starts in maint */
	}
	if (argc < 2) {
		fprintf(r->out, "'%s' expects an argument.\n", kw);
		return -1;
	}
	switch (opts[i].kind) {
	case 'u':
		if (xlb_parse_uint(argv[1], opts[i].max, &v, msg,
				   sizeof(msg)) || v < opts[i].min) {
			fprintf(r->out, "'%s' expects an integer argument from "
				"%lu to %lu.\n", kw, opts[i].min, opts[i].max);
			return -1;
		}
		break;
	case 't':
		if (xlb_parse_time(argv[1], &v, msg, sizeof(msg))) {
			fprintf(r->out, "'%s': %s.\n", kw, msg);
			return -1;
		}
		if (v < opts[i].min) {
			fprintf(r->out, "'%s' must be at least %lums.\n", kw,
				opts[i].min);
			return -1;
		}
		break;
	case 'p':
		if (xlb_parse_port(argv[1], &srv->chk.port, msg, sizeof(msg))) {
			fprintf(r->out, "'%s': %s.\n", kw, msg);
			return -1;
		}
		return 2;
	case 'a':
		if (xlb_parse_check_addr(argv[1], &srv->chk.addr, msg,
					 sizeof(msg))) {
			fprintf(r->out, "'%s': %s.\n", kw, msg);
			return -1;
		}
		srv->chk.has_addr = true;
		return 2;
	default:
		if (strcmp(argv[1], "shutdown-sessions")) {
			fprintf(r->out, "'on-marked-down %s' is not supported "
				"(only 'shutdown-sessions').\n", argv[1]);
			return -1;
		}
		srv->shutdown_sessions = true;
		return 2;
	}
	if (!strcmp(kw, "weight"))
		srv->weight = v;
	else if (!strcmp(kw, "maxconn"))
		srv->maxconn = v;
	else if (!strcmp(kw, "rise"))
		srv->chk.rise = v;
	else if (!strcmp(kw, "fall"))
		srv->chk.fall = v;
	else if (!strcmp(kw, "inter"))
		srv->chk.inter_ms = v;
	else if (!strcmp(kw, "fastinter"))
		srv->chk.fastinter_ms = v;
	else if (!strcmp(kw, "downinter"))
		srv->chk.downinter_ms = v;
	else
		srv->slowstart_ms = v;
	return 2;
}

/* The route sync.c will ask for, checked first for a plain answer. */
static int route_check(struct ctl_req *r, const struct xlb_cfg_backend *b,
		       const struct xlb_cfg_server *srv)
{
	char ip[XLB_ADDR_STRLEN], ifname[IF_NAMESIZE] = "?";
	struct xlb_route rt;
	int err = xlb_server_route(r->a->l, b, srv, &rt);

	xlb_addr_str(&srv->addr, ip, sizeof(ip));
	if (err == -EHOSTUNREACH && rt.oif > 0) {
		if_indextoname(rt.oif, ifname);
		fprintf(r->out, "%s is reached through %s, which xlb is not "
			"attached to (xlb run -i %s).\n", ip, ifname, ifname);
	} else if (err) {
		fprintf(r->out, "No route to %s: %s.\n", ip,
			xlb_route_strerror(err, srv->addr.family));
	}
	return err;
}

/* A server of this family in backend bi would take connections only if
 * some bind of that family uses the backend: say so when none does. */
static void family_note(struct ctl_req *r, int bi, int family)
{
	const struct xlb_config *cfg = r->a->cfg;
	int i, j;

	for (i = 0; i < cfg->nfrontends; i++)
		for (j = 0; cfg->frontends[i].backend == bi &&
			    j < cfg->frontends[i].nbinds; j++)
			if (cfg->frontends[i].binds[j].addr.family == family)
				return;
	fprintf(r->out, "Warning: no %s bind uses backend '%s': this server "
		"takes no connection (xlb does not translate between IPv4 "
		"and IPv6).\n", xlb_family_name(family),
		cfg->backends[bi].name);
}

/* Backend index and server name of "B/S" for add and del. */
static int split_target(struct ctl_req *r, int argc, char **argv,
			const char **name)
{
	char be[XLB_NAME_MAX];
	const char *slash;
	int bi;

	if (argc < 3 || !(slash = strchr(argv[2], '/'))) {
		fputs("Require 'backend/server'.\n", r->out);
		return -1;
	}
	if ((size_t)(slash - argv[2]) >= sizeof(be)) {
		fputs("No such backend.\n", r->out);
		return -1;
	}
	memcpy(be, argv[2], slash - argv[2]);
	be[slash - argv[2]] = 0;
	bi = xlb_ctl_backend(r->a, be);
	if (bi < 0)
		fputs("No such backend.\n", r->out);
	*name = slash + 1;
	return bi;
}

static int cfg_server(const struct xlb_cfg_backend *b, const char *name)
{
	int j;

	for (j = 0; j < b->nservers; j++)
		if (!strcmp(b->servers[j].name, name))
			return j;
	return -1;
}

/* `add server B/S ADDR:PORT [opts]`: into a copy of the running
 * configuration, applied as a reload would. As in HAProxy 2.6, the server
 * starts in maintenance (`enable server`), its checks disabled (`enable
 * health`), and a reload forgets it unless the file has it too. */
void xlb_ctl_add_server(struct ctl_req *r, int argc, char **argv)
{
	struct xlb_cfg_server srv = {};
	const struct xlb_cfg_backend *b;
	char msg[XLB_MSG_LEN];
	struct xlb_config *cfg;
	struct xlb_srv *s;
	const char *name;
	int bi, i, n;

	bi = split_target(r, argc, argv, &name);
	if (bi < 0)
		return;
	b = &r->a->cfg->backends[bi];
	if (cfg_server(b, name) >= 0 || xlb_srv_find(r->a, b->name, name)) {
		fputs("Already exists a server with the same name in "
			"backend.\n", r->out);
		return;
	}
	if (argc < 4) {
		fputs("'server' expects <name> and <addr>[:<port>] as "
			"arguments.\n", r->out);
		return;
	}
	if (xlb_check_name("server", name, msg, sizeof(msg))) {
		fprintf(r->out, "%s.\n", msg);
		return;
	}
	if (b->nservers >= XLB_CFG_MAX_SERVERS) {
		fprintf(r->out, "Backend '%s' has the most servers xlb takes "
			"(%d).\n", b->name, XLB_CFG_MAX_SERVERS);
		return;
	}
	snprintf(srv.name, sizeof(srv.name), "%s", name);
	srv.weight = 1;
	srv.chk.inter_ms = 2000;
	srv.chk.rise = 2;
	srv.chk.fall = 3;
	if (xlb_parse_server_addr(argv[3], &srv, msg, sizeof(msg))) {
		fprintf(r->out, "%s.\n", msg);
		return;
	}
	for (i = 4; i < argc; i += n) {
		n = add_opt(r, argc - i, argv + i, &srv);
		if (n < 0)
			return;
	}
	if (!srv.chk.fastinter_ms)
		srv.chk.fastinter_ms = srv.chk.inter_ms;
	if (!srv.chk.downinter_ms)
		srv.chk.downinter_ms = srv.chk.inter_ms;
	srv.disabled = true;
	if (route_check(r, b, &srv))
		return;
	cfg = cfg_copy(r);
	if (!cfg)
		return;
	cfg->backends[bi].servers[cfg->backends[bi].nservers++] = srv;
	if (apply_copy(r, cfg))
		return;
	/* b (the old configuration) is gone: names from here on. */
	s = xlb_srv_find(r->a, cfg->backends[bi].name, srv.name);
	if (s && s->cfg.check) {
		s->check_disabled = true;
		xlb_srv_apply(r->a, s);
	}
	pr_info("server %s/%s added by the runtime API, in maintenance\n",
		cfg->backends[bi].name, srv.name);
	family_note(r, bi, srv.addr.family);
	fputs("New server registered.\n", r->out);
}

/* `del server B/S`: only in maintenance and without connections, as in
 * HAProxy; a reload brings it back if the file has it. */
void xlb_ctl_del_server(struct ctl_req *r, int argc, char **argv)
{
	struct xlb_cfg_backend *nb;
	struct xlb_config *cfg;
	struct xlb_srv *s;
	const char *name;
	int bi, j;

	bi = split_target(r, argc, argv, &name);
	if (bi < 0)
		return;
	s = xlb_srv_find(r->a, r->a->cfg->backends[bi].name, name);
	j = cfg_server(&r->a->cfg->backends[bi], name);
	if (!s || j < 0) {
		fputs("No such server.\n", r->out);
		return;
	}
	if (s->admin != XLB_ADMIN_MAINT) {
		fputs("Only servers in maintenance mode can be "
			"deleted.\n", r->out);
		return;
	}
	if (xlb_srv_active(r->a, s) > 0) {
		fputs("Server still has connections attached to it, "
			"cannot remove it.\n", r->out);
		return;
	}
	cfg = cfg_copy(r);
	if (!cfg)
		return;
	nb = &cfg->backends[bi];
	memmove(&nb->servers[j], &nb->servers[j + 1],
		(nb->nservers - j - 1) * sizeof(nb->servers[0]));
	nb->nservers--;
	if (apply_copy(r, cfg))
		return;
	fputs("Server deleted.\n", r->out);
}

/* "IP changed from 'A' to 'B'" or "no need to change the addr", and the
 * same for the port: HAProxy's answer to `set server ... addr`. */
static void addr_answer(struct ctl_req *r, const struct xlb_cfg_server *old,
			const struct xlb_cfg_server *now, bool port_given)
{
	char a[XLB_ADDR_STRLEN], b[XLB_ADDR_STRLEN];

	if (xlb_addr_eq(&old->addr, &now->addr))
		fputs("no need to change the addr", r->out);
	else
		fprintf(r->out, "IP changed from '%s' to '%s'",
			xlb_addr_str(&old->addr, a, sizeof(a)),
			xlb_addr_str(&now->addr, b, sizeof(b)));
	if (port_given && old->port == now->port)
		fputs(", no need to change the port", r->out);
	else if (port_given)
		fprintf(r->out, ", port changed from '%u' to '%u'", old->port,
			now->port);
	fputs(" by 'stats socket command'\n", r->out);
}

/* `set server B/S addr ADDR [port PORT]`: ADDR an IPv4 or IPv6 literal.
 * The server keeps its id and state; flows already open go on to the old
 * address (they carry their NAT), new ones go to the new one, and the
 * health checks follow it unless `addr` sends them elsewhere. */
void xlb_ctl_set_addr(struct ctl_req *r, struct xlb_srv *s, int argc,
		      char **argv)
{
	struct xlb_cfg_server srv, old;
	struct xlb_cfg_backend *nb;
	char msg[XLB_MSG_LEN];
	struct xlb_config *cfg;
	bool port_given = argc == 7;
	int bi = xlb_ctl_backend(r->a, s->backend), j = -1;

	if (argc < 5 || !*argv[4] || argc == 6 || argc > 7 ||
	    (argc == 7 && strcmp(argv[5], "port"))) {
		fputs("set server <b>/<s> addr requires an address and "
		      "optionally a port.\n", r->out);
		return;
	}
	if (bi >= 0)
		j = cfg_server(&r->a->cfg->backends[bi], s->cfg.name);
	if (j < 0) {
		fputs("No such server.\n", r->out);
		return;
	}
	srv = old = r->a->cfg->backends[bi].servers[j];
	if (!xlb_addr_parse(argv[4], &srv.addr)) {
		fprintf(r->out, "Invalid addr '%s': not an IPv4 or IPv6 "
			"address.\n", argv[4]);
		return;
	}
	snprintf(srv.host, sizeof(srv.host), "%s", argv[4]);
	if (port_given &&
	    xlb_parse_port(argv[6], &srv.port, msg, sizeof(msg))) {
		fprintf(r->out, "Invalid port '%s': %s.\n", argv[6], msg);
		return;
	}
	/* The same checks as a server line: a usable address, a route. */
	if (xlb_addr_is_any(&srv.addr) || xlb_addr_is_linklocal(&srv.addr) ||
	    xlb_addr_is_v4mapped(&srv.addr)) {
		fprintf(r->out, "Invalid addr '%s': xlb needs a server's own "
			"global, ULA or IPv4 address.\n", argv[4]);
		return;
	}
	if (route_check(r, &r->a->cfg->backends[bi], &srv))
		return;
	cfg = cfg_copy(r);
	if (!cfg)
		return;
	nb = &cfg->backends[bi];
	nb->servers[j] = srv;
	if (apply_copy(r, cfg))
		return;
	addr_answer(r, &old, &srv, port_given);
	pr_info("server %s/%s address set to %s by the runtime API\n",
		nb->name, srv.name,
		xlb_hostport_str(&srv.addr, srv.port, msg, sizeof(msg)));
	family_note(r, bi, srv.addr.family);
}
