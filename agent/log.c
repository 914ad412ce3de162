// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "log.h"

static enum xlb_log_level log_level = XLB_LOG_INFO;
static FILE *log_tee;

FILE *xlb_log_tee(FILE *f)
{
	FILE *old = log_tee;

	log_tee = f;
	return old;
}

void xlb_log_set_level(enum xlb_log_level level)
{
	log_level = level;
}

enum xlb_log_level xlb_log_get_level(void)
{
	return log_level;
}

void xlb_log(enum xlb_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level == XLB_LOG_WARN && log_tee) {
		va_start(ap, fmt);
		vfprintf(log_tee, fmt, ap);
		va_end(ap);
	}
	if (level > log_level)
		return;
	va_start(ap, fmt);
	/* Warnings on stderr, the rest on stdout: a service manager keeps
	 * both, a user piping `xlb status` gets only the table. */
	vfprintf(level == XLB_LOG_WARN ? stderr : stdout, fmt, ap);
	va_end(ap);
	fflush(level == XLB_LOG_WARN ? stderr : stdout);
}

/* Without -v, a verifier log is cut to its last lines: the verdict. */
static void print_log_tail(const char *msg)
{
	const char *begin = strstr(msg, "-- BEGIN PROG LOAD LOG --");
	const char *end = begin ? strstr(begin, "-- END PROG LOAD LOG --") : 0;
	const char *p;
	int lines = 0;

	if (!end) {
		fputs(msg, stderr);
		return;
	}
	for (p = end; p > begin && lines < 4; p--)
		if (p[-1] == '\n')
			lines++;
	fprintf(stderr, "xlb: the verifier rejected the program (-v for its "
		"whole log); it ended with:\n%.*s", (int)(end - p), p);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	char msg[8192];

	if (level != LIBBPF_WARN && log_level < XLB_LOG_DEBUG)
		return 0;
	if (log_level >= XLB_LOG_DEBUG)
		return vfprintf(stderr, fmt, ap);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	print_log_tail(msg);
	return 0;
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt,
			va_list ap)
{
	if (level != LIBXDP_WARN && log_level < XLB_LOG_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void xlb_log_setup_libbpf(void)
{
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
}
