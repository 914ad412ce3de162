// SPDX-License-Identifier: GPL-2.0
/* The `xlb` command: a table of subcommands, each with its options. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <bpf/bpf.h>
#include "config.h"
#include "gc.h"
#include "log.h"
#include "paths.h"
#include "run.h"
#include "status.h"

struct command {
	const char *name;
	const char *usage;
	const char *help;
	int (*fn)(int argc, char **argv);
};

static const struct command *current;

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "xlb %s: ", current->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nusage: xlb %s %s\n", current->name, current->usage);
	return 2;
}

static void print_help(const struct command *c)
{
	printf("usage: xlb %s %s\n\n%s", c->name, c->usage, c->help);
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end || *out > max ? -EINVAL : 0;
}

static int parse_port_range(const char *s, struct xlb_run_opts *o)
{
	unsigned int lo, hi;
	char tail;

	if (sscanf(s, "%u-%u%c", &lo, &hi, &tail) != 2 || lo < 1 ||
	    hi > 65535 || lo > hi)
		return -EINVAL;
	o->port_min = lo;
	o->port_max = hi;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "interface", required_argument, NULL, 'i' },
		{ "mode", required_argument, NULL, 'm' },
		{ "flows", required_argument, NULL, 'F' },
		{ "ports", required_argument, NULL, 'p' },
		{ "syn-rate", required_argument, NULL, 'S' },
		{ "metrics", required_argument, NULL, 'M' },
		{ "keep", no_argument, NULL, 'k' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct xlb_run_opts o = {
		.mode = XLB_MODE_AUTO,
		.flows = XLB_DEFAULT_FLOWS,
		.port_min = XLB_PORT_MIN_DEFAULT,
		.port_max = XLB_PORT_MAX_DEFAULT,
		.gc_interval_ms = 1000,
	};
	unsigned long n;
	int c, err;

	while ((c = getopt_long(argc, argv, "f:i:m:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o.config = optarg;
			break;
		case 'i':
			if (o.nifaces >= XLB_MAX_IFACES)
				return usage_error("too many interfaces: %s",
						   optarg);
			o.ifaces[o.nifaces++] = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "auto"))
				o.mode = XLB_MODE_AUTO;
			else if (!strcmp(optarg, "native"))
				o.mode = XLB_MODE_NATIVE;
			else if (!strcmp(optarg, "generic"))
				o.mode = XLB_MODE_GENERIC;
			else
				return usage_error("--mode: '%s' is not auto, "
						   "native or generic", optarg);
			break;
		case 'F':
			if (parse_uint(optarg, 1u << 30, &n) || n < 2)
				return usage_error("--flows: '%s' is not a "
						   "number from 2 to 2^30",
						   optarg);
			o.flows = n;
			break;
		case 'p':
			if (parse_port_range(optarg, &o))
				return usage_error("--ports: '%s' is not a "
						   "range LO-HI within 1-65535",
						   optarg);
			break;
		case 'S':
			if (parse_uint(optarg, UINT32_MAX, &n))
				return usage_error("--syn-rate: '%s' is not a "
						   "number of new flows per "
						   "second (0: no limit)",
						   optarg);
			o.syn_rate = n;
			break;
		case 'M':
			o.metrics = optarg;
			break;
		case 'k':
			o.keep = true;
			break;
		case 'v':
			xlb_log_set_level(XLB_LOG_DEBUG);
			break;
		case 'h':
			print_help(current);
			return 0;
		default:
			return usage_error("%s", "unknown option");
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!o.config)
		return usage_error("%s", "missing -f CONFIG");
	err = xlb_cmd_run(&o);
	return err ? 1 : 0;
}

static int cmd_check(int argc, char **argv)
{
	struct xlb_config *cfg;
	const char *path = NULL;
	int c, err;

	while ((c = getopt(argc, argv, "f:h")) != -1) {
		if (c == 'f')
			path = optarg;
		else if (c == 'h')
			return print_help(current), 0;
		else
			return usage_error("%s", "unknown option");
	}
	if (!path)
		return usage_error("%s", "missing -f CONFIG");
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return 1;
	err = xlb_config_load(path, cfg, stderr, stdout);
	if (!err) {
		xlb_config_print(cfg, stdout);
		printf("%s: configuration is valid\n", path);
	}
	free(cfg);
	return err ? 1 : 0;
}

static int cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	bool json = false;
	int c;

	while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'h')
			return print_help(current), 0;
		else
			return usage_error("%s", "unknown option");
	}
	return xlb_status(json, stdout) ? 1 : 0;
}

static int cmd_gc(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "advance", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct xlb_gc_result r;
	unsigned long advance = 0;
	char path[128];
	int c, fd, err;

	while ((c = getopt_long(argc, argv, "a:h", longopts, NULL)) != -1) {
		if (c == 'a') {
			if (parse_uint(optarg, 100000000, &advance))
				return usage_error("--advance: '%s' is not a "
						   "number of seconds", optarg);
		} else if (c == 'h') {
			return print_help(current), 0;
		} else {
			return usage_error("%s", "unknown option");
		}
	}
	xlb_pin_path(XLB_GC_PIN, path, sizeof(path));
	fd = bpf_obj_get(path);
	if (fd < 0) {
		fprintf(stderr, "xlb: no running xlb: %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	err = xlb_gc_run(fd, advance * 1000000000ull, &r);
	close(fd);
	if (err) {
		fprintf(stderr, "xlb: expiry pass failed: %s\n", strerror(-err));
		return 1;
	}
	printf("scanned %llu entries, removed %llu flows, %llu of them "
	       "expired while open\n", (unsigned long long)r.scanned,
	       (unsigned long long)r.removed, (unsigned long long)r.expired);
	return 0;
}

#define CTL_ANSWER_TIMEOUT_S 120

/* Send one line to the agent's control socket and read the whole answer
 * (the agent closes after it). Returns 0, or 1 after saying why. */
static int ctl_request(const char *path, const char *line, char **answer)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CTL_ANSWER_TIMEOUT_S };
	size_t len = 0, cap = 0, off = 0, n = strlen(line);
	char *buf = NULL;
	ssize_t r;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "xlb: %s: path too long\n", path);
		return 1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		fprintf(stderr, "xlb: no running xlb agent at %s: %s\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (off < n) {
		r = send(fd, line + off, n - off, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto io_error;
		off += r;
	}
	shutdown(fd, SHUT_WR);
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb)
				goto io_error;
			buf = nb;
		}
		r = recv(fd, buf + len, cap - len - 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto io_error;
		if (!r)
			break;
		len += r;
	}
	close(fd);
	buf[len] = 0;
	*answer = buf;
	return 0;
io_error:
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		fprintf(stderr, "xlb: no answer from the agent at %s within "
			"%d s\n", path, CTL_ANSWER_TIMEOUT_S);
	else
		fprintf(stderr, "xlb: %s: %s\n", path, strerror(errno));
	close(fd);
	free(buf);
	return 1;
}

/* Every answer ends with an empty line (HAProxy's); a terminal needs not
 * the last one. */
static void print_answer(const char *ans, FILE *out)
{
	size_t n = strlen(ans);

	if (n && ans[n - 1] == '\n')
		n--;
	fwrite(ans, 1, n, out);
}

static int ctl_socket_opt(int argc, char **argv, const char **path)
{
	int c;

	while ((c = getopt(argc, argv, "+s:h")) != -1) {
		if (c == 's')
			*path = optarg;
		else if (c == 'h')
			return print_help(current), 0;
		else
			return usage_error("%s", "unknown option");
	}
	return -1;
}

static int cmd_ctl(int argc, char **argv)
{
	const char *path = xlb_default_socket();
	char *line, *ans, *p;
	size_t len = 2;
	int i, rc;

	rc = ctl_socket_opt(argc, argv, &path);
	if (rc >= 0)
		return rc;
	if (optind >= argc)
		return usage_error("%s", "missing COMMAND (try: xlb ctl help)");
	for (i = optind; i < argc; i++)
		len += strlen(argv[i]) + 1;
	line = calloc(1, len);
	if (!line)
		return 1;
	for (i = optind; i < argc; i++) {
		if (i > optind)
			strcat(line, " ");
		strcat(line, argv[i]);
	}
	for (p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';	/* one line, whatever the arguments */
	strcat(line, "\n");
	rc = ctl_request(path, line, &ans);
	free(line);
	if (rc)
		return rc;
	print_answer(ans, stdout);
	free(ans);
	return 0;
}

static int cmd_reload(int argc, char **argv)
{
	const char *path = xlb_default_socket();
	char *ans;
	int rc;

	rc = ctl_socket_opt(argc, argv, &path);
	if (rc >= 0)
		return rc;
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	rc = ctl_request(path, "reload\n", &ans);
	if (rc)
		return rc;
	rc = strcmp(ans, "Reloaded.\n\n") ? 1 : 0;
	/* On failure, the reasons (file:line) to stderr. */
	print_answer(ans, rc ? stderr : stdout);
	free(ans);
	return rc;
}

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "run", "-f CONFIG -i IFACE [-i IFACE...] [--mode auto|native|generic] "
		 "[--flows N] [--ports LO-HI] [--syn-rate N] [--metrics ADDR:PORT] "
		 "[--keep] [-v]",
	  "Load the XDP program, attach it to each IFACE, configure the services\n"
	  "of CONFIG (HAProxy syntax) and run in the foreground until SIGINT or\n"
	  "SIGTERM, then detach and remove the pins.\n"
	  "  -f, --file CONFIG     configuration file\n"
	  "  -i, --interface IFACE attach to IFACE (repeat for several)\n"
	  "  -m, --mode MODE       auto (default): native on NICs, generic on\n"
	  "                        veth and other virtual devices\n"
	  "      --flows N         flow-table entries, 2 per connection "
	  "(default 1048576)\n"
	  "      --ports LO-HI     NAT source ports (default 1024-32767)\n"
	  "      --syn-rate N      new TCP flows per second per CPU; over it a\n"
	  "                        SYN is dropped (drop_syn_flood); default 0,\n"
	  "                        no limit\n"
	  "      --metrics ADDR:PORT  Prometheus metrics on http://ADDR:PORT/metrics\n"
	  "      --keep            at exit, leave the program attached and the\n"
	  "                        maps pinned; the next `xlb run` adopts them\n"
	  "  -v, --verbose         debug output, libbpf's and the verifier's "
	  "logs\n", cmd_run },
	{ "check", "-f CONFIG",
	  "Validate CONFIG and print the services it defines.\n", cmd_check },
	{ "status", "[--json]",
	  "Show services, servers, counts and counters from the pinned maps\n"
	  "(works whether or not the agent is running).\n", cmd_status },
	{ "gc", "[--advance SECONDS]",
	  "Run one idle-flow expiry pass now, optionally as if SECONDS more\n"
	  "had passed (for tests).\n", cmd_gc },
	{ "ctl", "[-s SOCKET] COMMAND...",
	  "Send COMMAND (the words joined by spaces; several separated by ';')\n"
	  "to the running agent's control socket and print the answer, as\n"
	  "`echo \"COMMAND\" | socat stdio SOCKET` would: HAProxy's runtime API\n"
	  "(show stat, show servers state, set server B/S state|weight, add\n"
	  "server, del server, enable|disable server|health, reload...);\n"
	  "`xlb ctl help` lists them.\n"
	  "  -s SOCKET   the agent's socket (`stats socket` in global; default\n"
	  "              " XLB_DEFAULT_SOCKET ", or /run/xlb/NAME.sock with\n"
	  "              XLB_INSTANCE=NAME)\n", cmd_ctl },
	{ "reload", "[-s SOCKET]",
	  "Make the running agent re-read its configuration file and apply it\n"
	  "(as SIGHUP does). Established connections are kept; servers keep\n"
	  "their runtime state. On an error (printed, with file:line) the\n"
	  "running configuration is unchanged and the exit status is 1.\n"
	  "  -s SOCKET   the agent's socket (as for xlb ctl)\n", cmd_reload },
	{ "help", "[COMMAND]", "Show help.\n", cmd_help },
	{}
};

static const struct command *find(const char *name)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc > 1 && (c = find(argv[1]))) {
		print_help(c);
		return 0;
	}
	printf("usage: xlb COMMAND [OPTIONS]\n\n"
	       "xlb: a layer-4 least-connection load balancer in XDP.\n\n");
	for (c = commands; c->name; c++)
		printf("  xlb %s %s\n", c->name, c->usage);
	printf("\n`xlb COMMAND --help` for details.\n");
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *c;

	xlb_log_setup_libbpf();
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(0, NULL), argc < 2 ? 2 : 0;
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "xlb: unknown command '%s' (see xlb help)\n",
			argv[1]);
		return 2;
	}
	current = c;
	if (xlb_instance_check())
		return 2;
	return c->fn(argc - 1, argv + 1);
}
