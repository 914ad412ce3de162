// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include "loader.h"
#include "log.h"
#include "gc.h"
#include "xlb.skel.h"
#include "xlb_gc.skel.h"

int xlb_bpffs_ensure(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700")) {
		int err = -errno;

		pr_warn("xlb: /sys/fs/bpf: no bpffs and cannot mount one: %s\n",
			strerror(errno));
		return err;
	}
	pr_info("xlb: mounted bpffs on /sys/fs/bpf\n");
	return 0;
}

int xlb_pins_remove(void)
{
	struct dirent *de;
	char path[512];
	DIR *d = opendir(XLB_PIN_ROOT);

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", XLB_PIN_ROOT, de->d_name);
		unlink(path);
	}
	closedir(d);
	if (rmdir(XLB_PIN_ROOT) && errno != ENOENT)
		return -errno;
	return 0;
}

/* Both objects declare the same maps (bpf/maps.h); libbpf reuses a pinned
 * map only if its definition matches, so the sizes set here must be the
 * same for every object. */
static void size_maps(struct bpf_object *obj, unsigned int max_flows)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "flows");

	if (m)
		bpf_map__set_max_entries(m, max_flows);
}

/* The devmap fails libbpf's pinned-map check (the kernel adds a flag to
 * it), so it is shared by fd rather than by pin: the expiry object takes
 * an existing pin by fd too (adopting a running data path), or creates and
 * pins it. */
static int adopt_devmap(struct bpf_object *obj)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "tx_ports");
	char path[128];
	int fd = bpf_obj_get(xlb_pin_path("tx_ports", path, sizeof(path)));
	int err;

	if (fd < 0)
		return 0;	/* none yet: libbpf creates and pins it */
	if (!m) {
		close(fd);
		return -ENOENT;
	}
	bpf_map__set_pin_path(m, NULL);
	err = bpf_map__reuse_fd(m, fd);
	close(fd);
	return err;
}

/* The devmap fails libbpf's pinned-map check (the kernel adds a flag to
 * it), so it is shared by fd rather than by pin. */
static int share_devmap(const struct xlb_loader *l, struct bpf_object *obj)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "tx_ports");
	int fd = xlb_loader_map_fd(l, "tx_ports");

	if (!m || fd < 0)
		return -ENOENT;
	bpf_map__set_pin_path(m, NULL);
	return bpf_map__reuse_fd(m, fd);
}

int xlb_loader_open(struct xlb_loader *l, unsigned int max_flows)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = XLB_PIN_ROOT);
	char path[128];
	int err;

	memset(l, 0, sizeof(*l));
	l->max_flows = max_flows;
	if (mkdir(XLB_PIN_ROOT, 0700) && errno != EEXIST) {
		err = -errno;
		pr_warn("xlb: %s: cannot create: %s\n", XLB_PIN_ROOT,
			strerror(errno));
		return err;
	}
	l->gc = xlb_gc_bpf__open_opts(&opts);
	if (!l->gc) {
		err = -errno;
		pr_warn("xlb: cannot open the expiry program: %s\n",
			strerror(errno));
		return err;
	}
	size_maps(l->gc->obj, max_flows);
	err = adopt_devmap(l->gc->obj);
	if (!err)
		err = xlb_gc_bpf__load(l->gc);
	if (err) {
		pr_warn("xlb: cannot load the expiry program: %s%s\n",
			strerror(-err),
			err == -EPERM ? " (are you root?)" : "");
		xlb_gc_bpf__destroy(l->gc);
		l->gc = NULL;
		return err;
	}
	/* Pinned so that `xlb gc` and tests can run an expiry pass too. */
	xlb_pin_path(XLB_GC_PIN, path, sizeof(path));
	unlink(path);
	err = bpf_program__pin(l->gc->progs.xlb_gc, path);
	if (err)
		pr_warn("xlb: cannot pin %s: %s\n", path, strerror(-err));
	return err;
}

static enum xdp_attach_mode pick_mode(const struct xlb_iface *ifc,
				      enum xlb_mode_choice choice,
				      const char **why)
{
	switch (choice) {
	case XLB_MODE_NATIVE:
		*why = "asked for with --mode native";
		return XDP_MODE_NATIVE;
	case XLB_MODE_GENERIC:
		*why = "asked for with --mode generic";
		return XDP_MODE_SKB;
	default:
		break;
	}
	if (xlb_iface_prefers_generic(ifc, why))
		return XDP_MODE_SKB;
	*why = "the driver runs XDP natively";
	return XDP_MODE_NATIVE;
}

/* Without libxdp's dispatcher: one program on the interface, as
 * `ip link set ... xdp` would. libxdp 1.3.1's dispatcher refuses xlb on
 * kernels that check that an extension changes packet data like its
 * target (xlb does: RST replies change the length); xdp-tools fixed that
 * later. */
static int attach_alone(struct xlb_attachment *a, enum xdp_attach_mode mode)
{
	__u32 flags = XDP_FLAGS_UPDATE_IF_NOEXIST |
		      (mode == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE :
					      XDP_FLAGS_DRV_MODE);
	int err, fd;

	err = xlb_bpf__load(a->skel);
	if (err)
		return err;
	fd = bpf_program__fd(a->skel->progs.xlb_xdp);
	err = bpf_xdp_attach(a->ifc.ifindex, fd, flags, NULL);
	if (err)
		return err;
	a->legacy_fd = fd;
	return 0;
}

static int attach_one(struct xlb_attachment *a, enum xdp_attach_mode mode)
{
	DECLARE_LIBXDP_OPTS(xdp_program_opts, xopts, .obj = a->skel->obj,
			    .prog_name = "xlb_xdp");
	int err;

	a->prog = xdp_program__create(&xopts);
	err = libxdp_get_error(a->prog);
	if (err) {
		a->prog = NULL;
		return err;
	}
	err = xdp_program__attach(a->prog, a->ifc.ifindex, mode, 0);
	if (err) {
		xdp_program__close(a->prog);
		a->prog = NULL;
	}
	return err;
}

/* An xlb program already on the interface (an agent that exited with
 * --keep or was killed)? Its id and mode, and whether it sits alone
 * (legacy attach) or under libxdp's dispatcher. */
struct existing {
	__u32 id;
	enum xdp_attach_mode mode;
	bool legacy;
	struct xdp_program *prog;	/* the component, in a dispatcher */
	struct xdp_multiprog *mp;
};

static bool find_existing(int ifindex, struct existing *ex)
{
	struct xdp_program *p = NULL;

	memset(ex, 0, sizeof(*ex));
	ex->mp = xdp_multiprog__get_from_ifindex(ifindex);
	if (libxdp_get_error(ex->mp)) {
		ex->mp = NULL;
		return false;
	}
	ex->mode = xdp_multiprog__attach_mode(ex->mp);
	ex->legacy = xdp_multiprog__is_legacy(ex->mp);
	if (ex->legacy)
		p = xdp_multiprog__main_prog(ex->mp);
	else
		while ((p = xdp_multiprog__next_prog(p, ex->mp)))
			if (!strcmp(xdp_program__name(p), "xlb_xdp"))
				break;
	if (p && !strcmp(xdp_program__name(p), "xlb_xdp")) {
		ex->id = xdp_program__id(p);
		ex->prog = p;
		return true;
	}
	xdp_multiprog__close(ex->mp);
	ex->mp = NULL;
	return false;
}

/* Swap the new program in for the running one without a gap: an
 * established flow's packet must never reach the kernel's stack, which
 * would reset it. Legacy attach: one atomic netlink replace. Under the
 * dispatcher: attach the new one first (libxdp swaps dispatchers
 * atomically), then detach the old. */
static int replace_existing(struct xlb_attachment *a, struct existing *ex)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
	__u32 flags = XDP_FLAGS_REPLACE;
	int err, fd;

	a->mode = ex->mode;
	if (!ex->legacy) {
		err = attach_one(a, ex->mode);
		if (!err)
			err = xdp_program__detach(ex->prog, a->ifc.ifindex,
						  ex->mode, 0);
		return err;
	}
	err = xlb_bpf__load(a->skel);
	if (err)
		return err;
	fd = bpf_program__fd(a->skel->progs.xlb_xdp);
	opts.old_prog_fd = xdp_program__fd(ex->prog);
	flags |= ex->mode == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE :
					    XDP_FLAGS_DRV_MODE;
	err = bpf_xdp_attach(a->ifc.ifindex, fd, flags, &opts);
	if (err)
		return err;
	a->legacy_fd = fd;
	return 0;
}

/* The devmap of attached interfaces, for redirects between them. */
static int add_tx_port(const struct xlb_loader *l, int ifindex)
{
	int fd = xlb_loader_map_fd(l, "tx_ports");
	__u32 k = ifindex;

	if (fd < 0)
		return fd;
	return bpf_map_update_elem(fd, &k, &k, BPF_ANY) ? -errno : 0;
}

int xlb_loader_attach(struct xlb_loader *l, const struct xlb_iface *ifc,
		      enum xlb_mode_choice choice)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = XLB_PIN_ROOT);
	struct xlb_attachment *a;
	struct existing ex;
	const char *why = "";
	enum xdp_attach_mode mode;
	int err;

	err = add_tx_port(l, ifc->ifindex);
	if (err) {
		pr_warn("xlb: %s: cannot add it to the tx_ports devmap: %s\n",
			ifc->name, strerror(-err));
		return err;
	}

	if (l->n >= XLB_MAX_IFACES) {
		pr_warn("xlb: %s: too many interfaces (max %d)\n", ifc->name,
			XLB_MAX_IFACES);
		return -E2BIG;
	}
	a = &l->att[l->n];
	memset(a, 0, sizeof(*a));
	a->ifc = *ifc;
	a->legacy_fd = -1;
	mode = pick_mode(ifc, choice, &why);

	a->skel = xlb_bpf__open_opts(&opts);
	if (!a->skel) {
		err = -errno;
		pr_warn("xlb: %s: cannot open the XDP program: %s\n",
			ifc->name, strerror(errno));
		return err;
	}
	size_maps(a->skel->obj, l->max_flows);
	err = share_devmap(l, a->skel->obj);
	if (!err && find_existing(ifc->ifindex, &ex)) {
		err = replace_existing(a, &ex);
		xdp_multiprog__close(ex.mp);
		if (err) {
			pr_warn("xlb: %s: cannot replace the running xlb "
				"program (id %u): %s\n", ifc->name, ex.id,
				strerror(-err));
			xlb_bpf__destroy(a->skel);
			return err;
		}
		l->n++;
		pr_info("xlb: %s: replaced the running xlb program (id %u) "
			"in place, %s mode\n", ifc->name, ex.id,
			a->mode == XDP_MODE_SKB ? "generic" : "native");
		return 0;
	}
	if (!err)
		err = attach_one(a, mode);
	if (err && err != -EEXIST && err != -EBUSY) {
		LIBBPF_OPTS(bpf_object_open_opts, again,
			    .pin_root_path = XLB_PIN_ROOT);
		int err2;

		/* The object was consumed by libxdp's attempt. */
		xlb_bpf__destroy(a->skel);
		a->skel = xlb_bpf__open_opts(&again);
		if (!a->skel)
			return -errno;
		size_maps(a->skel->obj, l->max_flows);
		err2 = share_devmap(l, a->skel->obj);
		if (!err2)
			err2 = attach_alone(a, mode);
		if (!err2)
			pr_info("xlb: %s: libxdp could not attach (%s): attached "
				"without its dispatcher, so no other XDP program "
				"can share %s\n", ifc->name, strerror(-err),
				ifc->name);
		err = err2;
	}
	if (err && choice == XLB_MODE_AUTO && mode == XDP_MODE_NATIVE) {
		pr_info("xlb: %s: native XDP failed (%s), trying generic\n",
			ifc->name, strerror(-err));
		/* The object was consumed by the failed attempt. */
		xlb_bpf__destroy(a->skel);
		a->skel = xlb_bpf__open_opts(&opts);
		if (!a->skel)
			return -errno;
		size_maps(a->skel->obj, l->max_flows);
		mode = XDP_MODE_SKB;
		why = "native attach failed";
		err = share_devmap(l, a->skel->obj);
		if (!err)
			err = attach_one(a, mode);
	}
	if (err) {
		pr_warn("xlb: %s: cannot attach the XDP program (%s mode): %s%s\n",
			ifc->name, mode == XDP_MODE_SKB ? "generic" : "native",
			strerror(-err),
			xlb_log_get_level() < XLB_LOG_DEBUG ?
				" (run with -v for the details)" : "");
		xlb_bpf__destroy(a->skel);
		a->skel = NULL;
		return err;
	}
	a->mode = mode;
	l->n++;
	pr_info("xlb: %s: attached in %s mode: %s\n", ifc->name,
		mode == XDP_MODE_SKB ? "generic (skb)" : "native", why);
	return 0;
}

static int detach(struct xlb_attachment *a)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = a->legacy_fd);

	if (a->prog)
		return xdp_program__detach(a->prog, a->ifc.ifindex, a->mode, 0);
	return bpf_xdp_detach(a->ifc.ifindex,
			      XDP_FLAGS_REPLACE |
			      (a->mode == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE :
							 XDP_FLAGS_DRV_MODE),
			      &opts);
}

void xlb_loader_close(struct xlb_loader *l, bool do_detach, bool unpin)
{
	int i, err;

	for (i = l->n - 1; i >= 0; i--) {
		struct xlb_attachment *a = &l->att[i];

		if (do_detach) {
			err = detach(a);
			if (err)
				pr_warn("xlb: %s: cannot detach: %s\n",
					a->ifc.name, strerror(-err));
		}
		if (a->prog)
			xdp_program__close(a->prog);
		xlb_bpf__destroy(a->skel);
	}
	l->n = 0;
	if (l->gc)
		xlb_gc_bpf__destroy(l->gc);
	l->gc = NULL;
	if (unpin)
		xlb_pins_remove();
}

int xlb_loader_gc_fd(const struct xlb_loader *l)
{
	return l->gc ? bpf_program__fd(l->gc->progs.xlb_gc) : -ENOENT;
}

int xlb_loader_map_fd(const struct xlb_loader *l, const char *name)
{
	struct bpf_map *m;

	if (!l->gc)
		return -ENOENT;
	m = bpf_object__find_map_by_name(l->gc->obj, name);
	return m ? bpf_map__fd(m) : -ENOENT;
}
