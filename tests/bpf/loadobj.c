// SPDX-License-Identifier: GPL-2.0
/* Pin folder, libbpf output and MAC lookup for the programs that load
 * xlb's objects themselves (loadobj.h). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include "loadobj.h"

/* In static storage, so that a signal handler can remove them with
 * unlink/rmdir only. */
#define LO_MAX_PINS 48
static char pin_dir[128];
static char pin_files[LO_MAX_PINS][192];
static int npins;

void lo_pins_remove(void)
{
	struct dirent *de;
	char path[512];
	DIR *dir;

	if (!pin_dir[0])
		return;
	dir = opendir(pin_dir);
	if (dir) {
		while ((de = readdir(dir))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", pin_dir,
				 de->d_name);
			unlink(path);
		}
		closedir(dir);
	}
	rmdir(pin_dir);
}

static void on_signal(int sig)
{
	int i;

	/* async-signal-safe: unlink and rmdir of known paths only */
	for (i = 0; i < npins; i++)
		unlink(pin_files[i]);
	if (pin_dir[0])
		rmdir(pin_dir);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void pins_guard(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGABRT };
	struct sigaction sa = { .sa_handler = on_signal };
	static int done;
	size_t i;

	if (done++)
		return;
	atexit(lo_pins_remove);
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int lo_pins_open(const char *dir)
{
	int err;

	if (strlen(dir) >= sizeof(pin_dir)) {
		fprintf(stderr, "%s: pin folder name too long\n", dir);
		return -ENAMETOOLONG;
	}
	snprintf(pin_dir, sizeof(pin_dir), "%s", dir);
	npins = 0;
	pins_guard();
	lo_pins_remove();	/* a stale folder of a recycled pid */
	if (mkdir(pin_dir, 0700) && errno != EEXIST) {
		err = -errno;
		fprintf(stderr, "%s: %s (is bpffs mounted?)\n", pin_dir,
			strerror(errno));
		return err;
	}
	return 0;
}

const char *lo_pins_dir(void)
{
	return pin_dir;
}

void lo_pins_note(struct bpf_object *o)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, o) {
		if (!bpf_map__pin_path(m) || npins >= LO_MAX_PINS)
			continue;
		snprintf(pin_files[npins++], sizeof(pin_files[0]), "%s",
			 bpf_map__pin_path(m));
	}
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("XLBT_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void lo_libbpf_quiet(void)
{
	libbpf_set_print(libbpf_quiet);
}

int lo_if_mac(int ifindex, unsigned char mac[6])
{
	struct ifreq ifr = {};
	int s, err = 0;

	if (!if_indextoname(ifindex, ifr.ifr_name))
		return -errno;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return -errno;
	if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(s);
	return err;
}
