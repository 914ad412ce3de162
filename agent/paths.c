// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "paths.h"

static const char *instance(void)
{
	const char *n = getenv("XLB_INSTANCE");

	return n && n[0] ? n : NULL;
}

int xlb_instance_check(void)
{
	const char *n = instance();
	size_t len;

	if (!n)
		return 0;
	len = strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789-_");
	if (len != strlen(n) || len > 32) {
		fprintf(stderr, "xlb: XLB_INSTANCE='%s': use 1 to 32 letters, "
			"digits, '-' or '_'\n", n);
		return -EINVAL;
	}
	return 0;
}

static const char *with_instance(char *buf, size_t len, const char *plain,
				 const char *fmt)
{
	const char *n = instance();

	if (!n)
		return plain;
	if (!buf[0])
		snprintf(buf, len, fmt, n);
	return buf;
}

const char *xlb_pin_root(void)
{
	static char buf[64];

	return with_instance(buf, sizeof(buf), "/sys/fs/bpf/xlb",
			     "/sys/fs/bpf/xlb-%s");
}

const char *xlb_lock_path(void)
{
	static char buf[64];

	return with_instance(buf, sizeof(buf), XLB_RUN_DIR "/xlb.lock",
			     XLB_RUN_DIR "/%s.lock");
}

const char *xlb_default_socket(void)
{
	static char buf[64];

	return with_instance(buf, sizeof(buf), XLB_RUN_DIR "/xlb.sock",
			     XLB_RUN_DIR "/%s.sock");
}

const char *xlb_pin_path(const char *name, char *buf, int len)
{
	snprintf(buf, len, "%s/%s", xlb_pin_root(), name);
	return buf;
}
