// SPDX-License-Identifier: GPL-2.0
/* Route lookups, managed neighbour entries and interface addresses over
 * plain rtnetlink.  Every call opens its own socket, sends a request with
 * NLM_F_ACK (or a dump) and reads until the ack, the error or NLMSG_DONE,
 * so nothing is left queued and the functions are safe to call from any
 * thread. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/neighbour.h>

#include "route.h"

/* Both came with kernel 5.16 headers; NDA_FLAGS_EXT is an enum member. */
#ifndef NTF_EXT_MANAGED
#define NTF_EXT_MANAGED (1 << 0)
#define NDA_FLAGS_EXT 15
#endif

/* Large enough for one message of any dump (the kernel fills at most
 * 32 KiB per skb, more on 64 KiB-page machines). */
#define NL_RCVBUF 65536

struct nl_req {
	struct nlmsghdr nh;
	char data[256];	/* family header and attributes */
};

typedef int (*nl_cb)(struct nlmsghdr *nh, void *arg);

static void *nl_init(struct nl_req *req, __u16 type, __u16 flags,
		     size_t hdrlen)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(hdrlen);
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = NLM_F_REQUEST | flags;
	return NLMSG_DATA(&req->nh);
}

/* Callers add a few small attributes, far below sizeof(req->data). */
static void nl_attr(struct nl_req *req, __u16 type, const void *data,
		    __u16 len)
{
	struct rtattr *rta;

	rta = (struct rtattr *)((char *)&req->nh +
				NLMSG_ALIGN(req->nh.nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) +
			    RTA_ALIGN(rta->rta_len);
}

static int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	return fd < 0 ? -errno : fd;
}

/* Send req and hand every reply message of it to cb (if any) until the
 * ack, the kernel's error or the end of the dump.  Returns the kernel's
 * error, else the first error cb returned, else 0.  Keeps reading after a
 * cb error so the socket can be reused. */
static int nl_talk(int fd, struct nl_req *req, nl_cb cb, void *arg)
{
	static __u32 seq_counter;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct iovec iov;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct nlmsghdr *nh;
	int err = 0, cb_err = 0, len;
	bool dump;
	char *buf;
	__u32 seq;
	ssize_t n;

	dump = (req->nh.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	if (!dump)
		req->nh.nlmsg_flags |= NLM_F_ACK;
	seq = __atomic_add_fetch(&seq_counter, 1, __ATOMIC_RELAXED);
	req->nh.nlmsg_seq = seq;

	do {
		n = sendto(fd, &req->nh, req->nh.nlmsg_len, 0,
			   (struct sockaddr *)&sa, sizeof(sa));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;

	buf = malloc(NL_RCVBUF);
	if (!buf)
		return -ENOMEM;
	iov.iov_base = buf;
	iov.iov_len = NL_RCVBUF;

	for (;;) {
		n = recvmsg(fd, &msg, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out;
		}
		if (n == 0 || (msg.msg_flags & MSG_TRUNC)) {
			err = n ? -EMSGSIZE : -EPIPE;
			goto out;
		}
		len = n;
		/* len may go a few bytes negative after the last message */
		for (nh = (struct nlmsghdr *)buf;
		     len > 0 && NLMSG_OK(nh, (unsigned int)len);
		     nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nh);

				if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					err = -EBADMSG;
				else
					err = e->error;	/* 0: the ack */
				goto out;
			}
			if (nh->nlmsg_type == NLMSG_DONE) {
				/* a dump that failed half-way says so here */
				if (nh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					err = *(int *)NLMSG_DATA(nh);
				goto out;
			}
			if (cb && !cb_err)
				cb_err = cb(nh, arg);
		}
	}
out:
	free(buf);
	return err ? err : cb_err;
}

static bool rta_get_u32(struct rtattr *rta, __u32 *v)
{
	if (RTA_PAYLOAD(rta) < sizeof(*v))
		return false;
	memcpy(v, RTA_DATA(rta), sizeof(*v));
	return true;
}

static bool rta_get_in4(struct rtattr *rta, struct in_addr *a)
{
	if (RTA_PAYLOAD(rta) < sizeof(*a))
		return false;
	memcpy(a, RTA_DATA(rta), sizeof(*a));
	return true;
}

/* --- interface addresses ------------------------------------------------ */

struct addrs_ctx {
	int ifindex;
	int max;
	int n;
	struct in_addr *addrs;
	bool secondaries;	/* second pass: take only secondaries */
};

static int addrs_cb(struct nlmsghdr *nh, void *arg)
{
	struct addrs_ctx *c = arg;
	struct ifaddrmsg *ifa;
	struct rtattr *rta;
	struct in_addr local = { 0 }, address = { 0 };
	bool has_local = false, has_address = false;
	__u32 flags;
	int len;

	if (nh->nlmsg_type != RTM_NEWADDR ||
	    nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return 0;
	ifa = NLMSG_DATA(nh);
	if (ifa->ifa_family != AF_INET || (int)ifa->ifa_index != c->ifindex)
		return 0;
	flags = ifa->ifa_flags;
	len = IFA_PAYLOAD(nh);
	for (rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFA_LOCAL)
			has_local = rta_get_in4(rta, &local);
		else if (rta->rta_type == IFA_ADDRESS)
			has_address = rta_get_in4(rta, &address);
		else if (rta->rta_type == IFA_FLAGS)
			rta_get_u32(rta, &flags);
	}
	if (!!(flags & IFA_F_SECONDARY) != c->secondaries)
		return 0;
	/* On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is ours
	 * and the kernel always sends it for IPv4. */
	if (!has_local) {
		if (!has_address)
			return 0;
		local = address;
	}
	if (c->n < c->max)
		c->addrs[c->n++] = local;
	return 0;
}

int xlb_if_addrs4(int ifindex, struct in_addr *addrs, int max)
{
	struct addrs_ctx c = {
		.ifindex = ifindex, .max = max, .addrs = addrs,
	};
	struct ifaddrmsg *ifa;
	struct nl_req req;
	int fd, err, pass;

	if (ifindex <= 0 || max < 0 || (max && !addrs))
		return -EINVAL;
	fd = nl_open();
	if (fd < 0)
		return fd;
	/* The dump lists every address of the namespace (the kernel filters
	 * by ifa_index only for strict-checking sockets); two passes put
	 * primaries first whatever the dump order. */
	for (pass = 0; pass < 2; pass++) {
		ifa = nl_init(&req, RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa));
		ifa->ifa_family = AF_INET;
		c.secondaries = pass;
		err = nl_talk(fd, &req, addrs_cb, &c);
		if (err)
			goto out;
	}
	err = c.n;
out:
	close(fd);
	return err;
}

/* --- routes ------------------------------------------------------------- */

struct route_ctx {
	struct xlb_route *out;
	bool got;
	bool has_prefsrc;
	bool has_src;
	bool via6;
	struct in_addr src;
};

static int route_cb(struct nlmsghdr *nh, void *arg)
{
	struct route_ctx *c = arg;
	struct rtmsg *rtm;
	struct rtattr *rta;
	__u32 oif;
	int len;

	if (nh->nlmsg_type != RTM_NEWROUTE || c->got)
		return 0;
	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return -EBADMSG;
	rtm = NLMSG_DATA(nh);
	c->got = true;
	len = RTM_PAYLOAD(nh);
	for (rta = RTM_RTA(rtm); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		switch (rta->rta_type) {
		case RTA_OIF:
			if (rta_get_u32(rta, &oif))
				c->out->oif = oif;
			break;
		case RTA_PREFSRC:
			c->has_prefsrc = rta_get_in4(rta, &c->out->prefsrc);
			break;
		case RTA_SRC:
			c->has_src = rta_get_in4(rta, &c->src);
			break;
		case RTA_GATEWAY:
			c->out->has_gateway = rta_get_in4(rta,
							  &c->out->gateway);
			break;
		case RTA_VIA:	/* IPv4 route with an IPv6 next hop */
			c->via6 = true;
			break;
		}
	}
	return 0;
}

int xlb_route_get4(struct in_addr dst, const struct in_addr *src,
		   struct xlb_route *out)
{
	struct route_ctx c = { .out = out };
	struct nl_req req;
	struct rtmsg *rtm;
	int fd, err;

	memset(out, 0, sizeof(*out));
	fd = nl_open();
	if (fd < 0)
		return fd;

	rtm = nl_init(&req, RTM_GETROUTE, 0, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	nl_attr(&req, RTA_DST, &dst, sizeof(dst));
	if (src && src->s_addr) {
		rtm->rtm_src_len = 32;
		nl_attr(&req, RTA_SRC, src, sizeof(*src));
	}
	err = nl_talk(fd, &req, route_cb, &c);
	close(fd);
	if (err)
		goto fail;
	if (!c.got || out->oif <= 0) {
		err = -EBADMSG;
		goto fail;
	}
	if (c.via6) {
		err = -EAFNOSUPPORT;
		goto fail;
	}
	if (c.has_prefsrc && out->prefsrc.s_addr)
		return 0;
	/* The kernel leaves RTA_PREFSRC out when the chosen source equals the
	 * RTA_SRC it was given, and reports that one as RTA_SRC instead. */
	if (c.has_src && c.src.s_addr) {
		out->prefsrc = c.src;
		return 0;
	}
	err = xlb_if_addrs4(out->oif, &out->prefsrc, 1);
	if (err == 1)
		return 0;
	if (err >= 0)
		err = -EADDRNOTAVAIL;
fail:
	memset(out, 0, sizeof(*out));
	return err;
}

/* --- neighbours --------------------------------------------------------- */

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
			rta_get_u32(rta, &ni->ext_flags);
	}
	return 0;
}

/* RTM_GETNEIGH for one entry (kernel 5.0+): found=false when absent. */
static int neigh_get4(int fd, int ifindex, struct in_addr addr,
		      struct neigh_info *ni)
{
	struct nl_req req;
	struct ndmsg *ndm;
	int err;

	memset(ni, 0, sizeof(*ni));
	ndm = nl_init(&req, RTM_GETNEIGH, 0, sizeof(*ndm));
	ndm->ndm_family = AF_INET;
	ndm->ndm_ifindex = ifindex;
	/* the kernel rejects a get request with any other attribute */
	nl_attr(&req, NDA_DST, &addr, sizeof(addr));
	err = nl_talk(fd, &req, neigh_cb, ni);
	return err == -ENOENT ? 0 : err;
}

int xlb_neigh_manage4(int ifindex, struct in_addr addr)
{
	__u32 ext = NTF_EXT_MANAGED;
	struct neigh_info ni;
	struct nl_req req;
	struct ndmsg *ndm;
	int fd, err;

	if (ifindex <= 0 || !addr.s_addr)
		return -EINVAL;
	fd = nl_open();
	if (fd < 0)
		return fd;

	/* Leave configured entries alone.  A managed REPLACE does not fail on
	 * a PERMANENT entry, it silently strips NUD_PERMANENT (the kernel's
	 * __neigh_update() keeps old & ~NUD_PERMANENT), turning a static
	 * entry into a probed one; NOARP entries are set on purpose or belong
	 * to a device without ARP.  Checked with RTM_GETNEIGH first rather
	 * than by creating with NLM_F_EXCL, because an existing dynamic entry
	 * (REACHABLE, STALE, FAILED, ...) is exactly what must become managed.
	 * Someone adding a static entry between the two requests is a race
	 * we accept. */
	err = neigh_get4(fd, ifindex, addr, &ni);
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
	ndm->ndm_family = AF_INET;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_NONE;
	nl_attr(&req, NDA_DST, &addr, sizeof(addr));
	nl_attr(&req, NDA_FLAGS_EXT, &ext, sizeof(ext));
	err = nl_talk(fd, &req, NULL, NULL);
	if (err)
		goto out;

	/* A kernel before 5.16 ignores NDA_FLAGS_EXT and creates a plain
	 * entry that nobody will resolve: say so instead of returning 0. */
	err = neigh_get4(fd, ifindex, addr, &ni);
	if (!err && !(ni.found && (ni.ext_flags & NTF_EXT_MANAGED)))
		err = -EOPNOTSUPP;
out:
	close(fd);
	return err;
}
