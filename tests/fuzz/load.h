/* SPDX-License-Identifier: GPL-2.0 */
/* Loading the objects for the fuzzer (load.c). */
#ifndef XLBF_LOAD_H
#define XLBF_LOAD_H

#include <linux/types.h>

struct fx;

/* Maps some versions of the data path have: -1 when absent. */
struct fz_maps {
	int vips, frags, syn_bucket;
};

/* fx_open() with a flow table of `flows` entries. */
int fz_open(struct fx *f, struct fz_maps *x, int ifindex, __u32 flows);
void fz_close(struct fx *f);
/* An interface's MAC: 0 or -errno. */
int fz_if_mac(int ifindex, unsigned char mac[6]);

#endif
