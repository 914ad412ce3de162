// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sysctl.h"
#include "log.h"

struct saved {
	char path[128];
	char value[4096];
};

#define MAX_SAVED 128
static struct saved saved[MAX_SAVED];
static int nsaved;

static int full_path(char *out, size_t len, const char *path)
{
	return snprintf(out, len, "/proc/sys/%s", path) >= (int)len ? -ENAMETOOLONG : 0;
}

int xlb_sysctl_get(const char *path, char *buf, int len)
{
	char p[160];
	FILE *f;

	if (full_path(p, sizeof(p), path))
		return -ENAMETOOLONG;
	f = fopen(p, "r");
	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int put(const char *path, const char *value)
{
	char p[160];
	FILE *f;
	int err = 0;

	if (full_path(p, sizeof(p), path))
		return -ENAMETOOLONG;
	f = fopen(p, "w");
	if (!f)
		return -errno;
	/* An empty list is written as a lone newline. */
	if (fputs(value[0] ? value : "\n", f) < 0)
		err = -EIO;
	if (fclose(f))
		err = -errno;
	return err;
}

int xlb_sysctl_set(const char *path, const char *value)
{
	struct saved *s;
	int err;

	if (nsaved >= MAX_SAVED)
		return -ENOSPC;
	s = &saved[nsaved];
	snprintf(s->path, sizeof(s->path), "%s", path);
	err = xlb_sysctl_get(path, s->value, sizeof(s->value));
	if (err)
		return err;
	if (!strcmp(s->value, value))
		return 0;
	err = put(path, value);
	if (err)
		return err;
	nsaved++;
	return 0;
}

void xlb_sysctl_restore_all(void)
{
	while (nsaved > 0) {
		struct saved *s = &saved[--nsaved];
		int err = put(s->path, s->value);

		if (err)
			pr_warn("xlb: cannot restore %s: %s\n", s->path,
				strerror(-err));
	}
}

int xlb_ports_reserve(uint16_t lo, uint16_t hi)
{
	const char *path = "net/ipv4/ip_local_reserved_ports";
	char old[4096], next[4096 + 32], eph[64];
	unsigned int elo, ehi;
	int err;

	if (!xlb_sysctl_get("net/ipv4/ip_local_port_range", eph, sizeof(eph)) &&
	    sscanf(eph, "%u %u", &elo, &ehi) == 2 && elo <= hi && ehi >= lo)
		pr_info("xlb: ephemeral ports %u-%u overlap the NAT source "
			"ports %u-%u: those are reserved for xlb\n", elo, ehi,
			lo, hi);
	err = xlb_sysctl_get(path, old, sizeof(old));
	if (!err) {
		snprintf(next, sizeof(next), "%s%s%u-%u", old,
			 old[0] ? "," : "", lo, hi);
		err = xlb_sysctl_set(path, next);
	}
	if (err)
		pr_warn("xlb: cannot reserve ports %u-%u (%s): %s\n", lo, hi,
			path, strerror(-err));
	return err;
}

int xlb_forwarding_enable(const char *ifname)
{
	char path[128];
	int err;

	snprintf(path, sizeof(path), "net/ipv4/conf/%s/forwarding", ifname);
	err = xlb_sysctl_set(path, "1");
	if (err)
		pr_warn("xlb: %s: cannot enable IPv4 forwarding (%s): %s\n",
			ifname, path, strerror(-err));
	return err;
}

/* With forwarding=1 Linux takes router advertisements only when accept_ra
 * is 2: a host that learns its default route (or its SLAAC addresses) by
 * RA would lose them once the RA lifetime runs out. So accept_ra 1 becomes
 * 2 first, while xlb runs; 0 (RAs unwanted) stays 0. */
int xlb_forwarding6_enable(const char *ifname)
{
	char path[128], ra[16];
	int err;

	snprintf(path, sizeof(path), "net/ipv6/conf/%s/accept_ra", ifname);
	if (!xlb_sysctl_get(path, ra, sizeof(ra)) && !strcmp(ra, "1")) {
		err = xlb_sysctl_set(path, "2");
		if (err)
			pr_warn("xlb: %s: cannot set accept_ra to 2 (%s): %s; "
				"router advertisements will be ignored while "
				"IPv6 forwarding is on\n", ifname, path,
				strerror(-err));
		else
			pr_info("xlb: %s: accept_ra 1 -> 2 while xlb runs, so "
				"that router advertisements are still taken "
				"with IPv6 forwarding on\n", ifname);
	}
	snprintf(path, sizeof(path), "net/ipv6/conf/%s/forwarding", ifname);
	err = xlb_sysctl_set(path, "1");
	if (err)
		pr_warn("xlb: %s: cannot enable IPv6 forwarding (%s): %s\n",
			ifname, path, strerror(-err));
	return err;
}
