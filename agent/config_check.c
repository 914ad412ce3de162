// SPDX-License-Identifier: GPL-2.0
/* The parser's second half: `server` and `default-server` with their
 * health-check options, `option httpchk`, `http-check expect` and the
 * global `stats` lines. See config_check.h. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config_check.h"
#include "config_values.h"

#define COUNT_MAX 1000000000UL	/* rise, fall, maxconn */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int xlb_report(struct xlb_parser *p, bool is_err, int line, const char *fmt,
	       ...)
{
	FILE *out = is_err ? p->err : p->notice;
	va_list ap;

	if (out) {
		fprintf(out, "%s:%d: %s: ", p->name, line,
			is_err ? "error" : "notice");
		va_start(ap, fmt);
		vfprintf(out, fmt, ap);
		va_end(ap);
		fputc('\n', out);
	}
	return is_err ? -EINVAL : 0;
}

void xlb_srv_opts_init(struct xlb_srv_opts *o)
{
	*o = (struct xlb_srv_opts){
		.weight = 1,
		.chk = { .inter_ms = 2000, .rise = 2, .fall = 3 },
	};
}

enum opt_type {
	T_SET,		/* a flag set to true */
	T_CLEAR,	/* a flag set to false */
	T_UINT,		/* a number min..max */
	T_TIME,		/* a time, at least min ms */
	T_PORT,
	T_ADDR,
	T_DOWN,		/* on-marked-down ACTION */
	T_UP,		/* on-marked-up ACTION */
};

#define OFF(f) offsetof(struct xlb_srv_opts, f)
static const struct srv_opt {
	const char *kw;
	enum opt_type type;
	size_t off;
	unsigned long min, max;
} srv_opts[] = {
	{ "check", T_SET, OFF(check), 0, 0 },
	{ "no-check", T_CLEAR, OFF(check), 0, 0 },
	{ "disabled", T_SET, OFF(disabled), 0, 0 },
	{ "enabled", T_CLEAR, OFF(disabled), 0, 0 },
	{ "backup", T_SET, OFF(backup), 0, 0 },
	{ "no-backup", T_CLEAR, OFF(backup), 0, 0 },
	{ "weight", T_UINT, OFF(weight), 0, 256 },
	{ "rise", T_UINT, OFF(chk.rise), 1, COUNT_MAX },
	{ "fall", T_UINT, OFF(chk.fall), 1, COUNT_MAX },
	{ "maxconn", T_UINT, OFF(maxconn), 0, COUNT_MAX },
	{ "inter", T_TIME, OFF(chk.inter_ms), 1, 0 },
	{ "fastinter", T_TIME, OFF(chk.fastinter_ms), 1, 0 },
	{ "downinter", T_TIME, OFF(chk.downinter_ms), 1, 0 },
	{ "slowstart", T_TIME, OFF(slowstart_ms), 0, 0 },
	{ "port", T_PORT, OFF(chk.port), 0, 0 },
	{ "addr", T_ADDR, OFF(chk), 0, 0 },
	{ "on-marked-down", T_DOWN, OFF(shutdown_sessions), 0, 0 },
	{ "on-marked-up", T_UP, 0, 0, 0 },
};

/* `addr A`: the address health checks go to, a literal or a name. */
static int parse_check_addr(const char *s, struct xlb_cfg_check *c, char *msg,
			    size_t len)
{
	char why[XLB_MSG_LEN];

	if (xlb_parse_check_addr(s, &c->addr, why, sizeof(why)))
		return xlb_fail(msg, len, "option 'addr': %s", why);
	c->has_addr = true;
	return 0;
}

static int parse_value(const struct srv_opt *t, const char *v,
		       struct xlb_srv_opts *o, char *msg, size_t len)
{
	void *field = (char *)o + t->off;
	char why[XLB_MSG_LEN];
	unsigned long n;

	switch (t->type) {
	case T_UINT:
		if (xlb_parse_uint(v, ~0UL, &n, why, sizeof(why)))
			return xlb_fail(msg, len, "%s %s", t->kw, why);
		if (n < t->min || n > t->max)
			return xlb_fail(msg, len, "%s %s is out of range %lu..%lu",
					t->kw, v, t->min, t->max);
		*(uint32_t *)field = (uint32_t)n;
		return 0;
	case T_TIME:
		if (xlb_parse_time(v, &n, why, sizeof(why)))
			return xlb_fail(msg, len, "option '%s': %s", t->kw, why);
		if (n < t->min)
			return xlb_fail(msg, len, "option '%s': time '%s' must be at least %lums",
					t->kw, v, t->min);
		*(uint32_t *)field = (uint32_t)n;
		return 0;
	case T_PORT:
		if (xlb_parse_port(v, field, why, sizeof(why)))
			return xlb_fail(msg, len, "option '%s': %s", t->kw, why);
		return 0;
	case T_ADDR:
		return parse_check_addr(v, field, msg, len);
	case T_DOWN:
		if (strcmp(v, "shutdown-sessions"))
			return xlb_fail(msg, len, "on-marked-down action '%s' is not supported (only 'shutdown-sessions')",
					v);
		*(bool *)field = true;
		return 0;
	default:
		return xlb_fail(msg, len, "on-marked-up action '%s' is not supported",
				v);
	}
}

/* One server option at argv[0], argc words left, into *o. Returns how many
 * words it used, or -EINVAL. */
static int parse_server_opt(int argc, char **argv, struct xlb_srv_opts *o,
			    char *msg, size_t len)
{
	const struct srv_opt *t = NULL;

	for (size_t i = 0; i < sizeof(srv_opts) / sizeof(srv_opts[0]); i++)
		if (!strcmp(argv[0], srv_opts[i].kw))
			t = &srv_opts[i];
	if (!t)
		return xlb_fail(msg, len, "unknown server option '%s'", argv[0]);
	if (t->type == T_SET || t->type == T_CLEAR) {
		*(bool *)((char *)o + t->off) = t->type == T_SET;
		return 1;
	}
	if (argc < 2)
		return xlb_fail(msg, len, "option '%s' needs a value", argv[0]);
	return parse_value(t, argv[1], o, msg, len) ? -EINVAL : 2;
}

/* Copy *o into *srv once the whole line is read: fastinter and downinter
 * that neither the line nor a default-server set become inter. */
static void srv_opts_apply(const struct xlb_srv_opts *o,
			   struct xlb_cfg_server *srv)
{
	srv->weight = o->weight;
	srv->check = o->check;
	srv->disabled = o->disabled;
	srv->backup = o->backup;
	srv->shutdown_sessions = o->shutdown_sessions;
	srv->slowstart_ms = o->slowstart_ms;
	srv->maxconn = o->maxconn;
	srv->chk = o->chk;
	if (!srv->chk.fastinter_ms)
		srv->chk.fastinter_ms = srv->chk.inter_ms;
	if (!srv->chk.downinter_ms)
		srv->chk.downinter_ms = srv->chk.inter_ms;
}

void xlb_httpchk_init(struct xlb_cfg_httpchk *h)
{
	memset(h, 0, sizeof(*h));
	strcpy(h->method, "OPTIONS");
	strcpy(h->uri, "/");
	strcpy(h->version, "HTTP/1.0");
}

/* An HTTP token (RFC 9110 tchar), as a method is. */
static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
			return false;
	return true;
}

static bool is_visible(const char *s)
{
	for (; *s; s++)
		if (!isgraph((unsigned char)*s))
			return false;
	return true;
}

/* `option httpchk [[METHOD] URI [VERSION]]`: argv holds the words after
 * "httpchk". Enables HTTP checks; the expectations are kept. */
static int parse_httpchk(int argc, char **argv, struct xlb_cfg_httpchk *h,
			 char *msg, size_t len)
{
	const char *meth = "OPTIONS", *uri = "/", *ver = "HTTP/1.0";

	if (argc > 3)
		return xlb_fail(msg, len, "unexpected '%s' after the version",
				argv[3]);
	if (argc == 1) {
		uri = argv[0];
	} else if (argc > 1) {
		meth = argv[0];
		uri = argv[1];
		if (argc == 3)
			ver = argv[2];
	}
	if (!is_token(meth) || strlen(meth) >= sizeof(h->method))
		return xlb_fail(msg, len, "invalid method '%s' (a word of at most %zu characters)",
				meth, sizeof(h->method) - 1);
	if (!*uri || !is_visible(uri))
		return xlb_fail(msg, len, "invalid URI '%s' (no space or control character)",
				uri);
	if (strlen(uri) >= sizeof(h->uri))
		return xlb_fail(msg, len, "URI '%.40s...' is too long (max %zu characters)",
				uri, sizeof(h->uri) - 1);
	if (strpbrk(ver, "\r\n\\"))
		return xlb_fail(msg, len, "request headers after the version are not supported");
	if (strncmp(ver, "HTTP/", 5) || !isdigit((unsigned char)ver[5]) ||
	    ver[6] != '.' || !isdigit((unsigned char)ver[7]) || ver[8])
		return xlb_fail(msg, len, "invalid version '%s' (HTTP/1.0 or HTTP/1.1)",
				ver);
	h->enabled = true;
	strcpy(h->method, meth);
	strcpy(h->uri, uri);
	strcpy(h->version, ver);
	return 0;
}

/* `http-check expect status N` or `http-check expect string TEXT`, argv[0]
 * being "http-check". With replace, the expectations already in *h (those
 * inherited from defaults) are dropped first. */
static int parse_http_check(int argc, char **argv, struct xlb_cfg_httpchk *h,
			    bool replace, char *msg, size_t len)
{
	char why[XLB_MSG_LEN];
	unsigned long v = 0;
	const char *kind;
	bool status;

	if (argc < 2)
		return xlb_fail(msg, len, "'http-check' needs a rule: 'expect status N' or 'expect string TEXT'");
	if (strcmp(argv[1], "expect"))
		return xlb_fail(msg, len, "'http-check %s' is not supported (only 'http-check expect status N' or 'expect string TEXT')",
				argv[1]);
	if (argc < 3)
		return xlb_fail(msg, len, "'http-check expect' needs 'status N' or 'string TEXT'");
	kind = argv[2];
	status = !strcmp(kind, "status");
	if (!status && strcmp(kind, "string"))
		return xlb_fail(msg, len, "'http-check expect %s' is not supported (only 'status N' or 'string TEXT')",
				kind);
	if (argc < 4)
		return xlb_fail(msg, len, "'http-check expect %s' needs a value",
				kind);
	if (argc > 4)
		return xlb_fail(msg, len, "unexpected '%s' after 'http-check expect %s %s'%s",
				argv[4], kind, argv[3],
				status ? "" : " (quote a text with spaces)");
	if (status && strpbrk(argv[3], "-,"))
		return xlb_fail(msg, len, "http-check expect status '%s': lists and ranges are not supported, give one code",
				argv[3]);
	if (status && (xlb_parse_uint(argv[3], 599, &v, why, sizeof(why)) ||
		       v < 100))
		return xlb_fail(msg, len, "http-check expect status '%s' is not a status code 100..599",
				argv[3]);
	if (!status && !*argv[3])
		return xlb_fail(msg, len, "'http-check expect string' needs a text");
	if (!status && strlen(argv[3]) >= sizeof(h->expect_string))
		return xlb_fail(msg, len, "http-check expect string is too long (max %zu characters)",
				sizeof(h->expect_string) - 1);
	if (replace) {
		h->expect_status = 0;
		h->expect_string[0] = '\0';
	}
	if (status)
		h->expect_status = (int)v;
	else
		strcpy(h->expect_string, argv[3]);
	return 0;
}

/* Apply the server options in argv to *o. */
static int server_opts(struct xlb_parser *p, const char *who,
		       struct xlb_srv_opts *o, int argc, char **argv)
{
	char msg[XLB_MSG_LEN];
	int i, n;

	for (i = 0; i < argc; i += n) {
		n = parse_server_opt(argc - i, argv + i, o, msg, sizeof(msg));
		if (n < 0)
			return perr(p, "%s: %s", who, msg);
	}
	return 0;
}

int xlb_do_server(struct xlb_parser *p, int argc, char **argv)
{
	struct xlb_cfg_backend *be = p->be;
	struct xlb_cfg_server *srv;
	struct xlb_srv_opts d = p->srv;
	char msg[XLB_MSG_LEN], who[XLB_NAME_MAX + 16];

	if (argc < 3)
		return perr(p, "'server' needs a name and an address, e.g. 'server s1 10.0.0.2:80'");
	if (xlb_check_name("server", argv[1], msg, sizeof(msg)))
		return perr(p, "%s", msg);
	for (int i = 0; i < be->nservers; i++)
		if (!strcmp(be->servers[i].name, argv[1]))
			return perr(p, "server '%s' already defined at line %d",
				     argv[1], be->servers[i].line);
	if (be->nservers == XLB_CFG_MAX_SERVERS)
		return perr(p, "too many servers in '%s' (max %d)", be->name,
			     XLB_CFG_MAX_SERVERS);
	srv = &be->servers[be->nservers];
	memset(srv, 0, sizeof(*srv));
	strcpy(srv->name, argv[1]);
	srv->line = p->line;
	if (xlb_parse_server_addr(argv[2], srv, msg, sizeof(msg)))
		return perr(p, "%s", msg);
	snprintf(who, sizeof(who), "server '%s'", argv[1]);
	if (server_opts(p, who, &d, argc - 3, argv + 3))
		return -EINVAL;
	srv_opts_apply(&d, srv);
	be->nservers++;
	return 0;
}

int xlb_do_default_server(struct xlb_parser *p, int argc, char **argv)
{
	struct xlb_srv_opts *d = p->sec == SEC_DEFAULTS ? &p->def_srv : &p->srv;

	return server_opts(p, "default-server", d, argc - 1, argv + 1);
}

/* The check settings of this section: defaults, backend, or none. */
static struct xlb_cfg_httpchk *section_http(struct xlb_parser *p)
{
	if (p->sec == SEC_DEFAULTS)
		return &p->def_http;
	return p->be ? &p->be->http : NULL;
}

/* `option httpchk [[METHOD] URI [VERSION]]` and `option tcp-check`: the
 * last one given chooses the kind of check. */
static int check_option(struct xlb_parser *p, int argc, char **argv)
{
	struct xlb_cfg_httpchk *h = section_http(p);
	char msg[XLB_MSG_LEN];

	if (!h) {
		pnote(p, "'option %s' ignored: a frontend has no servers to check",
		      argv[0]);
		return 0;
	}
	if (!strcmp(argv[0], "tcp-check")) {
		if (argc > 1)
			return perr(p, "unexpected '%s' after 'option tcp-check'",
				    argv[1]);
		h->enabled = false;
		return 0;
	}
	if (parse_httpchk(argc - 1, argv + 1, h, msg, sizeof(msg)))
		return perr(p, "option httpchk: %s", msg);
	return 0;
}

/* Checks of other protocols: xlb's check stays a TCP connect. */
static const char *const other_checks[] = {
	"ssl-hello-chk", "smtpchk", "mysql-check", "pgsql-check",
	"redis-check", "ldap-check", "spop-check", "external-check",
};

int xlb_do_option(struct xlb_parser *p, int argc, char **argv)
{
	int i = !strcmp(argv[0], "no");
	const char *name;
	size_t n;

	if (i && (argc < 2 || strcmp(argv[1], "option")))
		return perr(p, "'no' must be followed by 'option'");
	if (argc < i + 2)
		return perr(p, "'option' needs a name");
	name = argv[i + 1];
	if (!strcmp(name, "httpchk") || !strcmp(name, "tcp-check")) {
		if (i)
			return perr(p, "'no option %s' is not supported: choose the check with 'option httpchk' or 'option tcp-check'",
				    name);
		return check_option(p, argc - 1, argv + 1);
	}
	for (n = 0; !i && n < ARRAY_SIZE(other_checks); n++)
		if (!strcmp(name, other_checks[n]))
			break;
	if (!i && n < ARRAY_SIZE(other_checks))
		pnote(p, "'option %s' ignored: xlb checks servers with a TCP connect or 'option httpchk'",
		      name);
	else
		pnote(p, "'%soption %s' ignored: xlb works at layer 4 and applies no haproxy option",
		      i ? "no " : "", name);
	return 0;
}

int xlb_do_http_check(struct xlb_parser *p, int argc, char **argv)
{
	char msg[XLB_MSG_LEN];

	if (parse_http_check(argc, argv, section_http(p), !p->own_expect, msg,
			     sizeof(msg)))
		return perr(p, "%s", msg);
	if (!p->own_expect && p->be)
		p->expect_line[p->be - p->cfg->backends] = p->line;
	p->own_expect = true;
	return 0;
}

static int stats_socket(struct xlb_parser *p, int argc, char **argv)
{
	char msg[XLB_MSG_LEN], path[sizeof(p->cfg->stats_socket)];

	if (argc < 3)
		return perr(p, "'stats socket' needs a path, e.g. 'stats socket %s'",
			    XLB_DEFAULT_SOCKET);
	if (xlb_parse_socket_path(argv[2], path, sizeof(path), msg,
				  sizeof(msg)))
		return perr(p, "stats socket: %s", msg);
	if (p->socket_line) {
		pnote(p, "'stats socket %s' ignored: xlb has one control socket, %s (line %d)",
		      path, p->cfg->stats_socket, p->socket_line);
		return 0;
	}
	strcpy(p->cfg->stats_socket, path);
	p->socket_line = p->line;
	if (argc > 3)
		pnote(p, "stats socket options from '%s' on ignored: xlb's socket is always mode 0600, root only",
		      argv[3]);
	return 0;
}

int xlb_do_stats(struct xlb_parser *p, int argc, char **argv)
{
	char msg[XLB_MSG_LEN];

	if (argc < 2)
		return perr(p, "'stats' needs a keyword: socket, metrics, timeout or maxconn");
	if (!strcmp(argv[1], "socket"))
		return stats_socket(p, argc, argv);
	if (!strcmp(argv[1], "timeout") || !strcmp(argv[1], "maxconn")) {
		pnote(p, "'stats %s' ignored: xlb's control socket has its own limits",
		      argv[1]);
		return 0;
	}
	if (strcmp(argv[1], "metrics"))
		return perr(p, "'stats %s' is not supported (socket, metrics, timeout or maxconn)",
			    argv[1]);
	if (argc != 3)
		return perr(p, "'stats metrics' needs one ADDR:PORT, e.g. 'stats metrics *:9100'");
	if (p->metrics_line)
		return perr(p, "'stats metrics' already given at line %d",
			    p->metrics_line);
	if (xlb_parse_metrics_addr(argv[2], p->cfg->metrics,
				   sizeof(p->cfg->metrics), msg, sizeof(msg)))
		return perr(p, "stats metrics: %s", msg);
	p->metrics_line = p->line;
	return 0;
}
