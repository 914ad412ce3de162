// SPDX-License-Identifier: GPL-2.0
/* Loading the objects for the fuzzer: the fixture's own loader
 * (tests/bpf/fixture.c) with a flow table of FUZZ_FLOWS entries (default
 * 1536: a run still meets a full table now and then), plus the maps later
 * features added, found by name. Everything after loading uses the
 * fixture's helpers on the struct fx this fills in. */
#include <bpf/libbpf.h>
#include "xlb.skel.h"
#include "fixture.h"
#include "loadobj.h"
#include "load.h"

static int map_fd_of(struct bpf_object *o, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(o, name);

	return m ? bpf_map__fd(m) : -1;
}

int fz_open(struct fx *f, struct fz_maps *x, int ifindex, __u32 flows)
{
	int err = fx_open_sized(f, ifindex, flows);

	x->vips = x->frags = x->syn_bucket = -1;
	if (err)
		return err;
	x->vips = map_fd_of(f->lb->obj, "vips");
	x->frags = map_fd_of(f->lb->obj, "frags");
	x->syn_bucket = map_fd_of(f->lb->obj, "syn_bucket");
	return 0;
}

void fz_close(struct fx *f)
{
	fx_close(f);
}

int fz_if_mac(int ifindex, unsigned char mac[6])
{
	return lo_if_mac(ifindex, mac);
}
