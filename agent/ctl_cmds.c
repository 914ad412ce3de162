// SPDX-License-Identifier: GPL-2.0
/* The control socket's commands: HAProxy's runtime API as far as it means
 * something for xlb, with HAProxy's wording of answers wherever it has
 * one. A command that succeeds without output answers nothing (ctl.c adds
 * the empty line that ends every answer). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ctl_int.h"
#include "gc.h"
#include "log.h"

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
	} else if (!strcmp(what, "addr")) {
		xlb_ctl_set_addr(r, s, argc, argv);
	} else {
		out_msg(r, "usage: set server <backend>/<server> state | "
			"weight | addr\n");
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
	  "create a new server, in maintenance", xlb_ctl_add_server },
	{ { "del", "server" }, "del server <bk>/<srv>",
	  "remove a server (in maintenance, without connection)",
	  xlb_ctl_del_server },
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
	{ { "set", "server" }, "set server <bk>/<srv> state|weight|addr <v>",
	  "change a server's state (ready, drain, maint), weight or address",
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
