// SPDX-License-Identifier: GPL-2.0
/* HAProxy-syntax configuration parser: the subset that means something at
 * layer 4 is applied, layer-7 settings that do no harm are accepted with a
 * notice, everything else is an error naming the file, line and keyword.
 * Servers, health checks and `stats` are in config_check.c, `bind` in
 * config_bind.c, the IPv4/IPv6 checks in config_family.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"
#include "config_check.h"
#include "config_values.h"
#include "xlb_service.h"

#define LINE_MAX_LEN 4096
#define MAX_WORDS 64

static const char *const section_names[] = {
	"", "global", "defaults", "frontend", "backend", "listen",
};

#define IN(s) (1u << (s))
#define PROXY (IN(SEC_DEFAULTS) | IN(SEC_FRONTEND) | IN(SEC_BACKEND) | \
	       IN(SEC_LISTEN))
#define HAS_FE (IN(SEC_FRONTEND) | IN(SEC_LISTEN))
#define HAS_BE (IN(SEC_DEFAULTS) | IN(SEC_BACKEND) | IN(SEC_LISTEN))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool word_in(const char *w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(w, list[i]))
			return true;
	return false;
}

static int check_name(struct xlb_parser *p, const char *what, const char *name)
{
	char msg[XLB_MSG_LEN];

	return xlb_check_name(what, name, msg, sizeof(msg)) ?
		perr(p, "%s", msg) : 0;
}

static void reset_defaults(struct xlb_parser *p)
{
	p->def_algo = XLB_CFG_ROUNDROBIN;	/* HAProxy's default */
	p->def_draws = 0;
	xlb_srv_opts_init(&p->def_srv);
	p->def_has_source = false;
	xlb_httpchk_init(&p->def_http);
	p->def_timeout_check = 0;
}

static struct xlb_cfg_frontend *find_frontend(struct xlb_config *cfg,
					      const char *name)
{
	for (int i = 0; i < cfg->nfrontends; i++)
		if (!strcmp(cfg->frontends[i].name, name))
			return &cfg->frontends[i];
	return NULL;
}

static int find_backend(const struct xlb_config *cfg, const char *name)
{
	for (int i = 0; i < cfg->nbackends; i++)
		if (!strcmp(cfg->backends[i].name, name))
			return i;
	return -1;
}

static int new_frontend(struct xlb_parser *p, const char *name)
{
	struct xlb_config *cfg = p->cfg;
	struct xlb_cfg_frontend *fe = find_frontend(cfg, name);

	if (fe)
		return perr(p, "frontend '%s' already defined at line %d",
			     name, fe->line);
	if (cfg->nfrontends == XLB_CFG_MAX_FRONTENDS)
		return perr(p, "too many frontend and listen sections (max %d)",
			     XLB_CFG_MAX_FRONTENDS);
	fe = p->fe = &cfg->frontends[cfg->nfrontends++];
	strcpy(fe->name, name);
	fe->backend = -1;
	fe->line = p->line;
	return 0;
}

static int new_backend(struct xlb_parser *p, const char *name)
{
	struct xlb_config *cfg = p->cfg;
	struct xlb_cfg_backend *be;
	int i = find_backend(cfg, name);

	if (i >= 0)
		return perr(p, "backend '%s' already defined at line %d",
			     name, cfg->backends[i].line);
	if (cfg->nbackends == XLB_CFG_MAX_BACKENDS)
		return perr(p, "too many backend and listen sections (max %d)",
			     XLB_CFG_MAX_BACKENDS);
	be = p->be = &cfg->backends[cfg->nbackends++];
	strcpy(be->name, name);
	be->algo = p->def_algo;
	be->draws = p->def_draws;
	be->has_source = p->def_has_source;
	be->source = p->def_source;
	be->http = p->def_http;
	be->timeout_check_ms = p->def_timeout_check;
	be->line = p->line;
	p->srv = p->def_srv;
	return 0;
}

static int start_section(struct xlb_parser *p, enum xlb_section sec, int argc,
			 char **argv)
{
	const char *kw = section_names[sec];
	int ret;

	p->sec = sec;
	p->fe = NULL;
	p->be = NULL;
	p->own_expect = false;
	if (sec == SEC_GLOBAL || sec == SEC_DEFAULTS) {
		if (argc > (sec == SEC_GLOBAL ? 1 : 2))
			return perr(p, "unexpected '%s' after '%s'",
				     argv[argc - 1], kw);
		if (sec == SEC_DEFAULTS)
			reset_defaults(p);
		return 0;
	}
	if (argc < 2)
		return perr(p, "'%s' needs a name", kw);
	if (argc > 2)
		return perr(p, "unexpected '%s' after '%s %s'", argv[2], kw,
			     argv[1]);
	ret = check_name(p, kw, argv[1]);
	if (!ret && sec != SEC_BACKEND)
		ret = new_frontend(p, argv[1]);
	if (!ret && sec != SEC_FRONTEND)
		ret = new_backend(p, argv[1]);
	if (!ret && sec == SEC_LISTEN) {
		int i = (int)(p->fe - p->cfg->frontends);

		p->fe->backend = (int)(p->be - p->cfg->backends);
		strcpy(p->fe->default_backend, argv[1]);
		p->is_listen[i] = true;
	}
	return ret;
}

static int do_daemon(struct xlb_parser *p, int argc, char **argv)
{
	if (argc > 1)
		return perr(p, "unexpected '%s' after 'daemon'", argv[1]);
	p->cfg->daemon = true;
	return 0;
}

static int do_mode(struct xlb_parser *p, int argc, char **argv)
{
	if (argc != 2)
		return perr(p, "'mode' needs one value: tcp");
	if (!strcmp(argv[1], "http"))
		pnote(p, "xlb works at layer 4: 'mode http' treated as 'mode tcp'");
	else if (strcmp(argv[1], "tcp"))
		return perr(p, "mode '%s' is not supported (xlb works at layer 4: 'mode tcp')",
			     argv[1]);
	return 0;
}

static int do_timeout(struct xlb_parser *p, int argc, char **argv)
{
	static const char *const names[] = {
		"connect", "client", "server", "check", "queue",
		"http-request", "http-keep-alive", "tunnel", "client-fin",
		"server-fin", "tarpit",
	};
	char msg[XLB_MSG_LEN];
	unsigned long ms;

	if (argc != 3)
		return perr(p, "'timeout' needs a name and a time, e.g. 'timeout connect 5s'");
	if (!word_in(argv[1], names, ARRAY_SIZE(names)))
		return perr(p, "unknown timeout '%s'", argv[1]);
	if (xlb_parse_time(argv[2], &ms, msg, sizeof(msg)))
		return perr(p, "timeout %s: %s", argv[1], msg);
	if (!strcmp(argv[1], "check")) {
		if (p->sec == SEC_DEFAULTS)
			p->def_timeout_check = (uint32_t)ms;
		else if (p->be)
			p->be->timeout_check_ms = (uint32_t)ms;
		else
			pnote(p, "'timeout check' ignored: a frontend has no servers to check");
		return 0;
	}
	pnote(p, "'timeout %s' ignored: xlb uses IPVS-style connection-tracking timeouts",
	       argv[1]);
	return 0;
}

/* HAProxy's `random(N)`: N draws, 1 (plain weighted random) to
 * XLB_RANDOM_MAX_DRAWS; `random` alone draws XLB_RANDOM_DEFAULT_DRAWS. */
static int parse_random(struct xlb_parser *p, const char *w, uint32_t *draws)
{
	char *end;
	unsigned long n;

	*draws = XLB_RANDOM_DEFAULT_DRAWS;
	if (!strcmp(w, "random"))
		return 0;
	n = strtoul(w + 7, &end, 10);
	if (w[7] < '0' || w[7] > '9' || strcmp(end, ")") ||
	    n < 1 || n > XLB_RANDOM_MAX_DRAWS)
		return perr(p, "'balance %s': draws must be a number from 1 to %d, as in random(2)",
			    w, XLB_RANDOM_MAX_DRAWS);
	*draws = n;
	return 0;
}

static int do_balance(struct xlb_parser *p, int argc, char **argv)
{
	enum xlb_algo_cfg algo;
	uint32_t draws = 0;

	if (argc < 2)
		return perr(p, "'balance' needs an algorithm: leastconn, roundrobin or random[(N)]");
	if (!strcmp(argv[1], "leastconn"))
		algo = XLB_CFG_LEASTCONN;
	else if (!strcmp(argv[1], "roundrobin"))
		algo = XLB_CFG_ROUNDROBIN;
	else if (!strcmp(argv[1], "random") || !strncmp(argv[1], "random(", 7))
		algo = XLB_CFG_RANDOM;
	else
		return perr(p, "balance algorithm '%s' is not supported (leastconn, roundrobin or random[(N)])",
			     argv[1]);
	if (algo == XLB_CFG_RANDOM && parse_random(p, argv[1], &draws))
		return -EINVAL;
	if (argc > 2)
		return perr(p, "unexpected '%s' after 'balance %s'", argv[2],
			     argv[1]);
	if (p->sec == SEC_DEFAULTS) {
		p->def_algo = algo;
		p->def_draws = draws;
	} else {
		p->be->algo = algo;
		p->be->draws = draws;
	}
	return 0;
}

static int do_default_backend(struct xlb_parser *p, int argc, char **argv)
{
	int i = (int)(p->fe - p->cfg->frontends);

	if (p->sec == SEC_LISTEN)
		return perr(p, "'default_backend' is not supported in a listen section (it uses its own servers)");
	if (argc != 2)
		return perr(p, "'default_backend' needs one backend name");
	if (p->dflt_line[i])
		return perr(p, "frontend '%s' already has default_backend '%s' (line %d)",
			     p->fe->name, p->fe->default_backend,
			     p->dflt_line[i]);
	if (check_name(p, "backend", argv[1]))
		return -EINVAL;
	strcpy(p->fe->default_backend, argv[1]);
	p->dflt_line[i] = p->line;
	return 0;
}

/* Layer-7 rules: refused, a layer-4 balancer cannot honour them. */
static const char *const layer7[] = {
	"use_backend", "use-server", "acl", "http-request", "http-response",
	"http-after-response", "tcp-request", "tcp-response", "redirect",
	"stick", "stick-table", "capture", "cookie", "compression",
	"errorfile", "filter",
};

static int do_layer7(struct xlb_parser *p, char **argv)
{
	if (!strcmp(argv[0], "use_backend"))
		return perr(p, "'use_backend' is not supported: layer-7 content switching needs a proxy (xlb works at layer 4)");
	return perr(p, "'%s' is not supported: xlb works at layer 4 and does not inspect connections",
		     argv[0]);
}

static int do_source(struct xlb_parser *p, int argc, char **argv)
{
	struct xlb_cfg_addr addr;
	char msg[XLB_MSG_LEN];

	if (argc < 2)
		return perr(p, "'source' needs an IPv4 or IPv6 address");
	if (argc > 2)
		return perr(p, "source option '%s' is not supported", argv[2]);
	if (xlb_parse_source(argv[1], &addr, msg, sizeof(msg)))
		return perr(p, "%s", msg);
	if (p->sec == SEC_DEFAULTS) {
		p->def_has_source = true;
		p->def_source = addr;
	} else {
		p->be->has_source = true;
		p->be->source = addr;
	}
	return 0;
}

#define PROCESS_NOTE "a haproxy process setting, not used by xlb"
static const struct directive {
	const char *kw;		/* a trailing '*' matches any suffix */
	unsigned int where;
	int (*fn)(struct xlb_parser *p, int argc, char **argv);
	const char *note;	/* !fn: accepted and ignored, with this note */
} directives[] = {
	{ "daemon", IN(SEC_GLOBAL), do_daemon, NULL },
	{ "log", IN(SEC_GLOBAL) | PROXY, NULL, "xlb does not write haproxy logs" },
	{ "maxconn", IN(SEC_GLOBAL) | PROXY, NULL, "xlb does not limit connections" },
	{ "user", IN(SEC_GLOBAL), NULL, PROCESS_NOTE },
	{ "group", IN(SEC_GLOBAL), NULL, PROCESS_NOTE },
	{ "uid", IN(SEC_GLOBAL), NULL, PROCESS_NOTE },
	{ "gid", IN(SEC_GLOBAL), NULL, PROCESS_NOTE },
	{ "chroot", IN(SEC_GLOBAL), NULL, PROCESS_NOTE },
	{ "pidfile", IN(SEC_GLOBAL), NULL, PROCESS_NOTE },
	{ "nbthread", IN(SEC_GLOBAL), NULL, PROCESS_NOTE },
	{ "nbproc", IN(SEC_GLOBAL), NULL, PROCESS_NOTE },
	{ "ulimit-n", IN(SEC_GLOBAL), NULL, PROCESS_NOTE },
	{ "stats", IN(SEC_GLOBAL), xlb_do_stats, NULL },
	{ "ca-base", IN(SEC_GLOBAL), NULL, "xlb does not terminate TLS" },
	{ "crt-base", IN(SEC_GLOBAL), NULL, "xlb does not terminate TLS" },
	{ "ssl-*", IN(SEC_GLOBAL), NULL, "xlb does not terminate TLS" },
	{ "tune.*", IN(SEC_GLOBAL), NULL, PROCESS_NOTE },
	{ "retries", PROXY, NULL, "xlb forwards packets and does not retry connections" },
	{ "http-check", HAS_BE, xlb_do_http_check, NULL },
	{ "mode", PROXY, do_mode, NULL },
	{ "option", PROXY, xlb_do_option, NULL },
	{ "no", PROXY, xlb_do_option, NULL },
	{ "timeout", PROXY, do_timeout, NULL },
	{ "balance", HAS_BE, do_balance, NULL },
	{ "bind", HAS_FE, xlb_do_bind, NULL },
	{ "default_backend", HAS_FE, do_default_backend, NULL },
	{ "server", IN(SEC_BACKEND) | IN(SEC_LISTEN), xlb_do_server, NULL },
	{ "default-server", HAS_BE, xlb_do_default_server, NULL },
	{ "source", HAS_BE, do_source, NULL },
};

static bool kw_match(const char *pattern, const char *kw)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '*')
		return !strncmp(pattern, kw, n - 1);
	return !strcmp(pattern, kw);
}

static int do_line(struct xlb_parser *p, int argc, char **argv)
{
	static const char *const other_sections[] = {
		"peers", "resolvers", "userlist", "mailers", "program",
		"http-errors", "ring", "cache", "fcgi-app", "crt-store",
	};
	const char *sec = section_names[p->sec];
	size_t i;

	for (i = SEC_GLOBAL; i <= SEC_LISTEN; i++)
		if (!strcmp(argv[0], section_names[i]))
			return start_section(p, (enum xlb_section)i, argc, argv);
	if (word_in(argv[0], other_sections, ARRAY_SIZE(other_sections)))
		return perr(p, "section '%s' is not supported by xlb", argv[0]);
	if (p->sec != SEC_NONE && p->sec != SEC_GLOBAL &&
	    word_in(argv[0], layer7, ARRAY_SIZE(layer7)))
		return do_layer7(p, argv);
	if (p->sec == SEC_NONE)
		return perr(p, "'%s' outside any section (global, defaults, frontend, backend or listen)",
			     argv[0]);
	for (i = 0; i < ARRAY_SIZE(directives); i++) {
		const struct directive *d = &directives[i];

		if (!kw_match(d->kw, argv[0]))
			continue;
		if (!(d->where & IN(p->sec)))
			return perr(p, "'%s' is not allowed in a '%s' section",
				     argv[0], sec);
		if (d->fn)
			return d->fn(p, argc, argv);
		pnote(p, "'%s' ignored: %s", argv[0], d->note);
		return 0;
	}
	return perr(p, "unknown keyword '%s' in '%s' section", argv[0], sec);
}

/* Checks that need the whole file: backends referenced, binds present. */
static int finish(struct xlb_parser *p)
{
	struct xlb_config *cfg = p->cfg;
	bool used[XLB_CFG_MAX_BACKENDS] = { false };
	int i;

	if (!cfg->nfrontends)
		return error_at(p, p->line > 0 ? p->line : 1,
				"no frontend or listen section: nothing to balance");
	for (i = 0; i < cfg->nfrontends; i++) {
		struct xlb_cfg_frontend *fe = &cfg->frontends[i];
		const char *kw = p->is_listen[i] ? "listen" : "frontend";

		if (!fe->nbinds)
			return error_at(p, fe->line, "%s '%s' has no bind",
					kw, fe->name);
		if (fe->backend < 0 && !fe->default_backend[0])
			return error_at(p, fe->line,
					"frontend '%s' has no default_backend",
					fe->name);
		if (fe->backend < 0)
			fe->backend = find_backend(cfg, fe->default_backend);
		if (fe->backend < 0)
			return error_at(p, p->dflt_line[i],
					"backend '%s' not found",
					fe->default_backend);
		used[fe->backend] = true;
	}
	for (i = 0; i < cfg->nbackends; i++) {
		const struct xlb_cfg_backend *be = &cfg->backends[i];

		if (!be->nservers)
			notice_at(p, be->line, "backend '%s' has no server: its connections are refused",
				    be->name);
		if (!used[i])
			notice_at(p, be->line, "backend '%s' is not used by any frontend",
				    be->name);
		if (p->expect_line[i] && !be->http.enabled)
			notice_at(p, p->expect_line[i], "'http-check expect' has no effect without 'option httpchk': backend '%s' checks with a TCP connect",
				  be->name);
	}
	return xlb_check_families(p);
}

int xlb_config_parse(const char *name, const char *text,
		     struct xlb_config *cfg, FILE *err, FILE *notice)
{
	struct xlb_parser parser = { .name = name, .cfg = cfg, .err = err,
				     .notice = notice };
	struct xlb_parser *p = &parser;
	char line[LINE_MAX_LEN], msg[XLB_MSG_LEN], *argv[MAX_WORDS];
	int argc, ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->stats_socket, XLB_DEFAULT_SOCKET);
	reset_defaults(p);
	while (*text && !ret) {
		size_t len = strcspn(text, "\n");

		p->line++;
		if (len >= sizeof(line)) {
			ret = perr(p, "line too long (max %zu characters)",
				    sizeof(line) - 1);
			break;
		}
		memcpy(line, text, len);
		line[len] = '\0';
		text += len + (text[len] == '\n');
		argc = xlb_split_words(line, argv, MAX_WORDS, msg, sizeof(msg));
		if (argc < 0)
			ret = perr(p, "%s", msg);
		else if (argc > 0)
			ret = do_line(p, argc, argv);
	}
	return ret ? ret : finish(p);
}

int xlb_config_load(const char *path, struct xlb_config *cfg, FILE *err,
		    FILE *notice)
{
	char *text = NULL;
	size_t cap = 0;
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f || (getdelim(&text, &cap, '\0', f) < 0 && ferror(f))) {
		ret = -errno;
		if (err)
			fprintf(err, "%s: cannot read: %s\n", path,
				strerror(errno));
		goto out;
	}
	ret = xlb_config_parse(path, text ? text : "", cfg, err, notice);
	if (!ret)
		snprintf(cfg->path, sizeof(cfg->path), "%s", path);
out:
	if (f)
		fclose(f);
	free(text);
	return ret;
}
