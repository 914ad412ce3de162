// SPDX-License-Identifier: GPL-2.0
/* Managed neighbour entries (ARP for IPv4 next hops, NDP for IPv6 ones)
 * over plain rtnetlink (nl.c): see xlb_neigh_manage() in route.h. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/neighbour.h>

#include "nl.h"
#include "route.h"

/* Both came with kernel 5.16 headers; NDA_FLAGS_EXT is an enum member. */
#ifndef NTF_EXT_MANAGED
#define NTF_EXT_MANAGED (1 << 0)
#define NDA_FLAGS_EXT 15
#endif

/* NDA_DST's size: the address of its family (v4 shares v6's start). */
static __u16 addr_len(const struct xlb_cfg_addr *a)
{
	return a->family == AF_INET6 ? sizeof(a->v6) : sizeof(a->v4);
}

struct neigh_info {
	bool found;
	__u16 state;
	__u32 ext_flags;
};

static int neigh_cb(struct nlmsghdr *nh, void *arg)
{
	struct neigh_info *ni = arg;
	struct ndmsg *ndm;
	struct rtattr *rta;
	int len;

	if (nh->nlmsg_type != RTM_NEWNEIGH)
		return 0;
	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)))
		return -EBADMSG;
	ndm = NLMSG_DATA(nh);
	ni->found = true;
	ni->state = ndm->ndm_state;
	len = nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ndm));
	for (rta = (struct rtattr *)((char *)ndm + NLMSG_ALIGN(sizeof(*ndm)));
	     RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == NDA_FLAGS_EXT)
			rta_get(rta, &ni->ext_flags, sizeof(ni->ext_flags));
	}
	return 0;
}

/* RTM_GETNEIGH for one entry (kernel 5.0+): found=false when absent. */
static int neigh_get(int fd, int ifindex, const struct xlb_cfg_addr *addr,
		     struct neigh_info *ni)
{
	struct nl_req req;
	struct ndmsg *ndm;
	int err;

	memset(ni, 0, sizeof(*ni));
	ndm = nl_init(&req, RTM_GETNEIGH, 0, sizeof(*ndm));
	ndm->ndm_family = addr->family;
	ndm->ndm_ifindex = ifindex;
	/* the kernel rejects a get request with any other attribute */
	nl_attr(&req, NDA_DST, &addr->v6, addr_len(addr));
	err = nl_talk(fd, &req, neigh_cb, ni);
	return err == -ENOENT ? 0 : err;
}

int xlb_neigh_manage(int ifindex, const struct xlb_cfg_addr *addr)
{
	__u32 ext = NTF_EXT_MANAGED;
	struct neigh_info ni;
	struct nl_req req;
	struct ndmsg *ndm;
	int fd, err;

	if (ifindex <= 0 || !addr->family || xlb_addr_is_any(addr))
		return -EINVAL;
	fd = nl_open();
	if (fd < 0)
		return fd;

	/* Leave configured entries alone.  A managed REPLACE does not fail on
	 * a PERMANENT entry, it silently strips NUD_PERMANENT (the kernel's
	 * __neigh_update() keeps old & ~NUD_PERMANENT), turning a static
	 * entry into a probed one; NOARP entries are set on purpose or belong
	 * to a device without ARP (or NDP).  Checked with RTM_GETNEIGH first rather
	 * than by creating with NLM_F_EXCL, because an existing dynamic entry
	 * (REACHABLE, STALE, FAILED, ...) is exactly what must become managed.
	 * Someone adding a static entry between the two requests is a race
	 * we accept. */
	err = neigh_get(fd, ifindex, addr, &ni);
	if (err)
		goto out;
	if (ni.found && (ni.state & (NUD_PERMANENT | NUD_NOARP)))
		goto out;

	/* What `ip neigh replace ADDR dev DEV managed` sends (iproute2 5.16+):
	 * NUD_NONE, no lladdr, the flag in NDA_FLAGS_EXT -- the kernel
	 * refuses the combination with NUD_PERMANENT, and NTF_MANAGED is a
	 * kernel-internal bit (NTF_EXT_MANAGED << 8) that does not fit the
	 * 8-bit ndm_flags.  The kernel starts resolving at once
	 * (neigh_event_send) and re-probes managed entries periodically, so
	 * the entry goes to REACHABLE and is kept there while the host
	 * answers; garbage collection leaves it alone, a link going down
	 * does not.  On an existing dynamic entry the state and lladdr are
	 * kept and only the flag is added. */
	ndm = nl_init(&req, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE,
		      sizeof(*ndm));
	ndm->ndm_family = addr->family;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_NONE;
	nl_attr(&req, NDA_DST, &addr->v6, addr_len(addr));
	nl_attr(&req, NDA_FLAGS_EXT, &ext, sizeof(ext));
	err = nl_talk(fd, &req, NULL, NULL);
	if (err)
		goto out;

	/* A kernel before 5.16 ignores NDA_FLAGS_EXT and creates a plain
	 * entry that nobody will resolve: say so instead of returning 0. */
	err = neigh_get(fd, ifindex, addr, &ni);
	if (!err && !(ni.found && (ni.ext_flags & NTF_EXT_MANAGED)))
		err = -EOPNOTSUPP;
out:
	close(fd);
	return err;
}
