// SPDX-License-Identifier: GPL-2.0
/* The control socket's commands: HAProxy's runtime API as far as it means
 * something for xlb, with HAProxy's wording of answers wherever it has
 * one. A command that succeeds without output answers nothing (ctl.c adds
 * the empty line that ends every answer). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include "ctl_int.h"
#include "config_values.h"
#include "gc.h"
#include "log.h"
#include "route.h"

struct cmd {
	const char *kw[4];	/* the words that name it */
	const char *usage;
	const char *help;
	void (*fn)(struct ctl_req *r, int argc, char **argv);
};

static void out_msg(struct ctl_req *r, const char *msg)
{
	fputs(msg, r->out);
}

/* "B/S" to a server; answers HAProxy's message and returns NULL if it
 * names none. */
static struct xlb_srv *arg_server(struct ctl_req *r, int argc, char **argv,
				  int i)
{
	char be[XLB_NAME_MAX];
	const char *slash;
	struct xlb_srv *s;

	if (i >= argc || !(slash = strchr(argv[i], '/'))) {
		out_msg(r, "Require 'backend/server'.\n");
		return NULL;
	}
	if ((size_t)(slash - argv[i]) >= sizeof(be)) {
		out_msg(r, "No such backend.\n");
		return NULL;
	}
	memcpy(be, argv[i], slash - argv[i]);
	be[slash - argv[i]] = 0;
	if (xlb_ctl_backend(r->a, be) < 0) {
		out_msg(r, "No such backend.\n");
		return NULL;
	}
	s = xlb_srv_find(r->a, be, slash + 1);
	if (!s)
		out_msg(r, "No such server.\n");
	return s;
}

static void applied(struct ctl_req *r, int err)
{
	if (err)
		fprintf(r->out, "Cannot update the data path: %s.\n",
			strerror(-err));
}

static void set_admin(struct ctl_req *r, struct xlb_srv *s,
		      enum xlb_admin admin)
{
	applied(r, xlb_srv_set_admin(r->a, s, admin));
}

/* HAProxy's weight argument: "N" (0..256) or "N%" of the initial one. */
static void set_weight(struct ctl_req *r, struct xlb_srv *s, const char *str)
{
	char *end;
	long w;

	if (!str || !*str) {
		out_msg(r, "Require <weight> or <weight%>.\n");
		return;
	}
	errno = 0;
	w = strtol(str, &end, 10);
	if (end == str) {
		out_msg(r, "Empty weight string empty or preceded by "
			"garbage\n");
		return;
	}
	if (end[0] == '%' && !end[1]) {
		if (w < 0) {
			out_msg(r, "Relative weight must be positive.\n");
			return;
		}
		if (w > 25600)
			w = 25600;
		w = (long)s->cfg.weight * w / 100;
		if (w > 256)
			w = 256;
	} else if (w < 0 || w > 256 || errno) {
		out_msg(r, "Absolute weight can only be between 0 and 256 "
			"inclusive.\n");
		return;
	} else if (*end) {
		out_msg(r, "Trailing garbage in weight string\n");
		return;
	}
	if ((uint32_t)w != s->weight)
		pr_info("server %s/%s weight set to %ld (was %u) by the "
			"runtime API\n", s->backend, s->cfg.name, w, s->weight);
	applied(r, xlb_srv_set_weight(r->a, s, (uint32_t)w));
}

static void cmd_set_server(struct ctl_req *r, int argc, char **argv)
{
	struct xlb_srv *s = arg_server(r, argc, argv, 2);
	const char *what = argc > 3 ? argv[3] : "";
	const char *v = argc > 4 ? argv[4] : "";

	if (!s)
		return;
	if (!strcmp(what, "state")) {
		if (!strcmp(v, "ready"))
			set_admin(r, s, XLB_ADMIN_READY);
		else if (!strcmp(v, "drain"))
			set_admin(r, s, XLB_ADMIN_DRAIN);
		else if (!strcmp(v, "maint"))
			set_admin(r, s, XLB_ADMIN_MAINT);
		else
			out_msg(r, "'set server <srv> state' expects 'ready', "
				"'drain' and 'maint'.\n");
	} else if (!strcmp(what, "weight")) {
		set_weight(r, s, v);
	} else {
		out_msg(r, "usage: set server <backend>/<server> state | "
			"weight\n");
	}
}

static void cmd_set_weight(struct ctl_req *r, int argc, char **argv)
{
	struct xlb_srv *s = arg_server(r, argc, argv, 2);

	if (s)
		set_weight(r, s, argc > 3 ? argv[3] : "");
}

static void cmd_get_weight(struct ctl_req *r, int argc, char **argv)
{
	struct xlb_srv *s = arg_server(r, argc, argv, 2);

	if (s)
		fprintf(r->out, "%u (initial %u)\n", s->weight, s->cfg.weight);
}

static void cmd_enable_server(struct ctl_req *r, int argc, char **argv)
{
	struct xlb_srv *s = arg_server(r, argc, argv, 2);

	if (s)
		set_admin(r, s, XLB_ADMIN_READY);
}

static void cmd_disable_server(struct ctl_req *r, int argc, char **argv)
{
	struct xlb_srv *s = arg_server(r, argc, argv, 2);

	if (s)
		set_admin(r, s, XLB_ADMIN_MAINT);
}

static void set_health(struct ctl_req *r, int argc, char **argv, bool on)
{
	struct xlb_srv *s = arg_server(r, argc, argv, 2);

	if (!s)
		return;
	if (on && !s->cfg.check) {
		out_msg(r, "Health check was not configured on this server, "
			"cannot enable.\n");
		return;
	}
	if (s->check_disabled == !on)
		return;
	s->check_disabled = !on;
	pr_info("server %s/%s: health checks %s by the runtime API\n",
		s->backend, s->cfg.name, on ? "enabled" : "disabled");
	applied(r, xlb_srv_apply(r->a, s));
}

static void cmd_enable_health(struct ctl_req *r, int argc, char **argv)
{
	set_health(r, argc, argv, true);
}

static void cmd_disable_health(struct ctl_req *r, int argc, char **argv)
{
	set_health(r, argc, argv, false);
}

static void cmd_shutdown_sessions(struct ctl_req *r, int argc, char **argv)
{
	struct xlb_srv *s = arg_server(r, argc, argv, 3);
	struct xlb_gc_result res;
	int err;

	if (!s)
		return;
	err = xlb_gc_kill(xlb_loader_gc_fd(r->a->l), xlb_srv_id(r->a, s), &res);
	if (err) {
		fprintf(r->out, "Cannot shut down the sessions: %s.\n",
			strerror(-err));
		return;
	}
	pr_info("server %s/%s: %llu sessions shut down by the runtime API\n",
		s->backend, s->cfg.name, (unsigned long long)res.killed);
}

static void cmd_show_backend(struct ctl_req *r, int argc, char **argv)
{
	int i;

	fputs("# name\n", r->out);
	for (i = 0; i < r->a->cfg->nbackends; i++)
		fprintf(r->out, "%s\n", r->a->cfg->backends[i].name);
}

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
		out_msg(r, "Out of memory.\n");
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
		if (xlb_resolve_ipv4(argv[1], &srv->chk.addr, msg,
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
	char ip[INET_ADDRSTRLEN], ifname[IF_NAMESIZE] = "?";
	const struct xlb_loader *l = r->a->l;
	struct xlb_route rt;
	int err, i;

	inet_ntop(AF_INET, &srv->addr.v4, ip, sizeof(ip));
	err = xlb_route_get4(srv->addr.v4, b->has_source ? &b->source.v4 :
							    NULL, &rt);
	if (err) {
		fprintf(r->out, "No route to %s: %s.\n", ip, strerror(-err));
		return err;
	}
	for (i = 0; i < l->n; i++)
		if (l->att[i].ifc.ifindex == rt.oif)
			return 0;
	if_indextoname(rt.oif, ifname);
	fprintf(r->out, "%s is reached through %s, which xlb is not attached "
		"to (xlb run -i %s).\n", ip, ifname, ifname);
	return -EHOSTUNREACH;
}

/* Backend index and server name of "B/S" for add and del. */
static int split_target(struct ctl_req *r, int argc, char **argv,
			const char **name)
{
	char be[XLB_NAME_MAX];
	const char *slash;
	int bi;

	if (argc < 3 || !(slash = strchr(argv[2], '/'))) {
		out_msg(r, "Require 'backend/server'.\n");
		return -1;
	}
	if ((size_t)(slash - argv[2]) >= sizeof(be)) {
		out_msg(r, "No such backend.\n");
		return -1;
	}
	memcpy(be, argv[2], slash - argv[2]);
	be[slash - argv[2]] = 0;
	bi = xlb_ctl_backend(r->a, be);
	if (bi < 0)
		out_msg(r, "No such backend.\n");
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
static void cmd_add_server(struct ctl_req *r, int argc, char **argv)
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
		out_msg(r, "Already exists a server with the same name in "
			"backend.\n");
		return;
	}
	if (argc < 4) {
		out_msg(r, "'server' expects <name> and <addr>[:<port>] as "
			"arguments.\n");
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
	out_msg(r, "New server registered.\n");
}

/* `del server B/S`: only in maintenance and without connections, as in
 * HAProxy; a reload brings it back if the file has it. */
static void cmd_del_server(struct ctl_req *r, int argc, char **argv)
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
		out_msg(r, "No such server.\n");
		return;
	}
	if (s->admin != XLB_ADMIN_MAINT) {
		out_msg(r, "Only servers in maintenance mode can be "
			"deleted.\n");
		return;
	}
	if (xlb_srv_active(r->a, s) > 0) {
		out_msg(r, "Server still has connections attached to it, "
			"cannot remove it.\n");
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
	out_msg(r, "Server deleted.\n");
}

static void cmd_reload(struct ctl_req *r, int argc, char **argv)
{
	static const char dup[] = "xlb: reload failed: the running "
				  "configuration is unchanged\n";
	char *buf = NULL, *line, *next;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len), *old;
	int err;

	if (!f) {
		out_msg(r, "Out of memory.\n");
		return;
	}
	old = xlb_log_tee(f);
	err = xlb_agent_reload(r->a, f);
	xlb_log_tee(old);
	fclose(f);
	if (!err) {
		out_msg(r, "Reloaded.\n");
		free(buf);
		return;
	}
	/* The parser's file:line errors, sync.c's warnings, and the one line
	 * saying nothing changed (its log twin left out). */
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if ((size_t)(next - line) == sizeof(dup) - 1 &&
		    !memcmp(line, dup, sizeof(dup) - 1))
			continue;
		fwrite(line, 1, next - line, r->out);
		if (next[-1] != '\n')
			fputc('\n', r->out);
	}
	free(buf);
}

static void cmd_help(struct ctl_req *r, int argc, char **argv);

static void cmd_prompt(struct ctl_req *r, int argc, char **argv)
{
	r->prompt = !r->prompt;
}

static void cmd_quit(struct ctl_req *r, int argc, char **argv)
{
	r->quit = true;
}

static const struct cmd cmds[] = {
	{ { "add", "server" }, "add server <bk>/<srv> <addr:port> [...]",
	  "create a new server, in maintenance", cmd_add_server },
	{ { "del", "server" }, "del server <bk>/<srv>",
	  "remove a server (in maintenance, without connection)",
	  cmd_del_server },
	{ { "disable", "health" }, "disable health <bk>/<srv>",
	  "disable health checks", cmd_disable_health },
	{ { "disable", "server" }, "disable server <bk>/<srv>",
	  "put a server in maintenance (set server ... state maint)",
	  cmd_disable_server },
	{ { "enable", "health" }, "enable health <bk>/<srv>",
	  "enable health checks", cmd_enable_health },
	{ { "enable", "server" }, "enable server <bk>/<srv>",
	  "take a server out of maintenance (set server ... state ready)",
	  cmd_enable_server },
	{ { "get", "weight" }, "get weight <bk>/<srv>",
	  "report a server's current weight", cmd_get_weight },
	{ { "reload" }, "reload",
	  "re-read the configuration file and apply it", cmd_reload },
	{ { "set", "server" }, "set server <bk>/<srv> state|weight <v>",
	  "change a server's state (ready, drain, maint) or weight",
	  cmd_set_server },
	{ { "set", "weight" }, "set weight <bk>/<srv>  (DEPRECATED)",
	  "change a server's weight (use 'set server' instead)",
	  cmd_set_weight },
	{ { "show", "backend" }, "show backend",
	  "list backends in the current running config", cmd_show_backend },
	{ { "show", "info" }, "show info",
	  "report information about the running process", xlb_ctl_show_info },
	{ { "show", "servers", "state" }, "show servers state [<backend>]",
	  "dump volatile server information (all or for a single backend)",
	  xlb_ctl_show_servers_state },
	{ { "show", "stat" }, "show stat [no-maint|up]*",
	  "report counters for each proxy and server", xlb_ctl_show_stat },
	{ { "shutdown", "sessions", "server" },
	  "shutdown sessions server <bk>/<srv>", "kill sessions on a server",
	  cmd_shutdown_sessions },
	{ { "help" }, "help [<command>]", "list matching or all commands",
	  cmd_help },
	{ { "prompt" }, "prompt", "toggle interactive mode with prompt",
	  cmd_prompt },
	{ { "quit" }, "quit", "disconnect", cmd_quit },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/* Does c's name start with the words argv[0..argc-1] (all of its words
 * when full)? */
static bool matches(const struct cmd *c, int argc, char **argv, bool full)
{
	int i;

	for (i = 0; i < 4 && c->kw[i]; i++) {
		if (i >= argc)
			return !full;
		if (strcmp(c->kw[i], argv[i]))
			return false;
	}
	return true;
}

static void list(FILE *out, int argc, char **argv)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (!argc || matches(&cmds[i], argc, argv, false))
			fprintf(out, "  %-40s: %s\n", cmds[i].usage,
				cmds[i].help);
}

static void cmd_help(struct ctl_req *r, int argc, char **argv)
{
	size_t i;

	argc--;
	argv++;
	for (i = 0; i < NCMDS; i++)
		if (argc && matches(&cmds[i], argc, argv, false))
			break;
	if (i == NCMDS)
		argc = 0;
	fputs("The following commands are valid at this level:\n", r->out);
	list(r->out, argc, argv);
}

void xlb_ctl_exec(struct ctl_req *r, int argc, char **argv)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (matches(&cmds[i], argc, argv, true)) {
			cmds[i].fn(r, argc, argv);
			return;
		}
	fputs("Unknown command. Please enter one of the following commands "
	      "only:\n", r->out);
	list(r->out, 0, NULL);
}
