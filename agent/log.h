/* SPDX-License-Identifier: GPL-2.0 */
/* pr_warn / pr_info / pr_debug, and libbpf's own messages routed through
 * them (libbpf's debug output only with -v). */
#ifndef XLB_LOG_H
#define XLB_LOG_H

#include <stdarg.h>
#include <stdio.h>

enum xlb_log_level { XLB_LOG_WARN, XLB_LOG_INFO, XLB_LOG_DEBUG };

void xlb_log_set_level(enum xlb_log_level level);
enum xlb_log_level xlb_log_get_level(void);
void xlb_log(enum xlb_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void xlb_log_setup_libbpf(void);
/* While f is set, warnings are also written to f (the control socket
 * collects the reasons of a failed reload or `add server` this way).
 * Returns the previous one; NULL stops. */
FILE *xlb_log_tee(FILE *f);

#define pr_warn(...) xlb_log(XLB_LOG_WARN, __VA_ARGS__)
#define pr_info(...) xlb_log(XLB_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) xlb_log(XLB_LOG_DEBUG, __VA_ARGS__)

#endif
