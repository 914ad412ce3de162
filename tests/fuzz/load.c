// SPDX-License-Identifier: GPL-2.0
/* Loading the objects for the fuzzer: tests/bpf/fixture.c's fx_open(),
 * copied (minimal) because that one sizes the flow table to the
 * fixture's 256 entries (FX_MAX_FLOWS), which a fuzz run would keep
 * full; here it is FUZZ_FLOWS entries (default 1536: a run still meets a
 * full table now and then). Everything after loading uses the fixture's
 * helpers on the struct fx this fills in. */
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
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xlb.skel.h"
#include "xlb_gc.skel.h"
#include "xlb_config_map.h"
#include "maps.h"
#include "fixture.h"
#include "load.h"

static char pin_dir[64];

static void pins_remove(void)
{
	DIR *dir;
	struct dirent *de;
	char path[512];

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

/* On a signal: unlink and rmdir of known paths only (async-signal-safe),
 * then the default action. */
#define MAX_PINS 32
static char pin_files[MAX_PINS][128];
static int npins;

static void on_signal(int sig)
{
	int i;

	for (i = 0; i < npins; i++)
		unlink(pin_files[i]);
	if (pin_dir[0])
		rmdir(pin_dir);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void pins_guard(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	atexit(pins_remove);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
}

static void note_pins(struct bpf_object *o)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, o) {
		if (!bpf_map__pin_path(m) || npins >= MAX_PINS)
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

int fz_if_mac(int ifindex, unsigned char mac[6])
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

static int map_fd_of(struct bpf_object *o, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(o, name);

	return m ? bpf_map__fd(m) : -1;
}

int fz_open(struct fx *f, struct fz_maps *x, int ifindex, __u32 flows)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .pin_root_path = pin_dir);
	struct xlb_settings st;
	__u32 zero = 0, ifx = ifindex;
	int err;

	memset(f, 0, sizeof(*f));
	memset(x, 0, sizeof(*x));
	f->ifindex = ifindex;
	libbpf_set_print(libbpf_quiet);
	f->ncpus = libbpf_num_possible_cpus();
	if (f->ncpus <= 0)
		return -EINVAL;
	err = fz_if_mac(ifindex, f->lb_mac);
	if (err) {
		fprintf(stderr, "fuzz: ifindex %d: cannot read its MAC: %s\n",
			ifindex, strerror(-err));
		return err;
	}
	snprintf(pin_dir, sizeof(pin_dir), FX_PIN_FMT, (int)getpid());
	pins_guard();
	pins_remove();
	if (mkdir(pin_dir, 0700) && errno != EEXIST) {
		err = -errno;
		fprintf(stderr, "fuzz: %s: %s (is bpffs mounted?)\n", pin_dir,
			strerror(errno));
		return err;
	}

	f->gc = xlb_gc_bpf__open_opts(&oo);
	if (!f->gc)
		return fprintf(stderr, "fuzz: cannot open xlb_gc\n"), -EINVAL;
	note_pins(f->gc->obj);
	bpf_map__set_max_entries(f->gc->maps.flows, flows);
	err = xlb_gc_bpf__load(f->gc);
	if (err)
		return fprintf(stderr, "fuzz: cannot load xlb_gc: %s\n",
			       strerror(-err)), err;
	f->lb = xlb_bpf__open_opts(&oo);
	if (!f->lb)
		return fprintf(stderr, "fuzz: cannot open xlb\n"), -EINVAL;
	note_pins(f->lb->obj);
	/* As agent/loader.c and the fixture: the devmap is shared by fd. */
	bpf_map__set_pin_path(f->lb->maps.tx_ports, NULL);
	err = bpf_map__reuse_fd(f->lb->maps.tx_ports,
				bpf_map__fd(f->gc->maps.tx_ports));
	if (err)
		return fprintf(stderr, "fuzz: cannot share tx_ports: %s\n",
			       strerror(-err)), err;
	bpf_map__set_max_entries(f->lb->maps.flows, flows);
	err = xlb_bpf__load(f->lb);
	if (err)
		return fprintf(stderr, "fuzz: cannot load xlb: %s\n",
			       strerror(-err)), err;

	f->prog = bpf_program__fd(f->lb->progs.xlb_xdp);
	f->gc_prog = bpf_program__fd(f->gc->progs.xlb_gc);
	f->services = bpf_map__fd(f->lb->maps.services);
	f->svc_backends = bpf_map__fd(f->lb->maps.svc_backends);
	f->svc_cursor = bpf_map__fd(f->lb->maps.svc_cursor);
	f->backends = bpf_map__fd(f->lb->maps.backends);
	f->conns = bpf_map__fd(f->lb->maps.backend_conns);
	f->flows = bpf_map__fd(f->gc->maps.flows);
	f->reasons = bpf_map__fd(f->lb->maps.reasons);
	f->tx_ports = bpf_map__fd(f->lb->maps.tx_ports);
	f->settings = bpf_map__fd(f->gc->maps.settings);
	/* Maps that came with later features, found by name so that this
	 * file builds with or without them. */
	x->vips = map_fd_of(f->lb->obj, "vips");
	x->frags = map_fd_of(f->lb->obj, "frags");
	x->syn_bucket = map_fd_of(f->lb->obj, "syn_bucket");
	f->syn_bucket = x->syn_bucket;

	xlb_settings_defaults(&st);
	if (bpf_map_update_elem(f->settings, &zero, &st, BPF_ANY) ||
	    bpf_map_update_elem(f->tx_ports, &ifx, &ifx, BPF_ANY)) {
		err = -errno;
		fprintf(stderr, "fuzz: cannot write settings/tx_ports: %s\n",
			strerror(errno));
		return err;
	}
	return 0;
}

void fz_close(struct fx *f)
{
	xlb_bpf__destroy(f->lb);
	xlb_gc_bpf__destroy(f->gc);
	f->lb = NULL;
	f->gc = NULL;
	pins_remove();
}
