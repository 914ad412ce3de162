// SPDX-License-Identifier: GPL-2.0
/* Route lookups and interface addresses, IPv4 and IPv6, over plain
 * rtnetlink (nl.c). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_addr.h>

#include "nl.h"
#include "route.h"

/* --- interface addresses ------------------------------------------------ */

struct addrs_ctx {
	int family;
	int ifindex;
	int max;
	int n;
	void *addrs;		/* struct in_addr or struct in6_addr [max] */
	bool second;		/* second pass: IPv4 secondaries, IPv6
				 * deprecated addresses */
};

static int addrs_cb(struct nlmsghdr *nh, void *arg)
{
	struct addrs_ctx *c = arg;
	size_t alen = c->family == AF_INET6 ? sizeof(struct in6_addr) :
					      sizeof(struct in_addr);
	__u32 later = c->family == AF_INET6 ? IFA_F_DEPRECATED :
					      IFA_F_SECONDARY;
	struct in6_addr local, address;	/* room for either family */
	bool has_local = false, has_address = false;
	struct ifaddrmsg *ifa;
	struct rtattr *rta;
	__u32 flags;
	int len;

	if (nh->nlmsg_type != RTM_NEWADDR ||
	    nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return 0;
	ifa = NLMSG_DATA(nh);
	if (ifa->ifa_family != c->family ||
	    (c->ifindex && (int)ifa->ifa_index != c->ifindex))
		return 0;
	/* IPv6: global and ULA addresses only (universe scope): the data
	 * path's bpf_fib_lookup() takes no link-local source, and ::1 is
	 * host scope. */
	if (c->family == AF_INET6 && ifa->ifa_scope != RT_SCOPE_UNIVERSE)
		return 0;
	flags = ifa->ifa_flags;
	len = IFA_PAYLOAD(nh);
	for (rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFA_LOCAL)
			has_local = rta_get(rta, &local, alen);
		else if (rta->rta_type == IFA_ADDRESS)
			has_address = rta_get(rta, &address, alen);
		else if (rta->rta_type == IFA_FLAGS)
			rta_get(rta, &flags, sizeof(flags));
	}
	/* An address whose duplicate address detection failed is not ours;
	 * a tentative one will be within a second, and is kept. */
	if (!!(flags & later) != c->second || (flags & IFA_F_DADFAILED))
		return 0;
	/* On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is ours
	 * (always sent for IPv4, for IPv6 only with a peer). */
	if (!has_local) {
		if (!has_address)
			return 0;
		local = address;
	}
	if (c->n < c->max)
		memcpy((char *)c->addrs + alen * c->n++, &local, alen);
	return 0;
}

static int if_addrs(int family, int ifindex, void *addrs, int max)
{
	struct addrs_ctx c = {
		.family = family, .ifindex = ifindex, .max = max,
		.addrs = addrs,
	};
	struct ifaddrmsg *ifa;
	struct nl_req req;
	int fd, err, pass;

	if (ifindex < 0 || max < 0 || (max && !addrs))
		return -EINVAL;
	fd = nl_open();
	if (fd < 0)
		return fd;
	/* The dump lists every address of the namespace (the kernel filters
	 * by ifa_index only for strict-checking sockets); two passes put
	 * primaries (IPv6: preferred addresses) first whatever the dump
	 * order. */
	for (pass = 0; pass < 2; pass++) {
		ifa = nl_init(&req, RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa));
		ifa->ifa_family = family;
		c.second = pass;
		err = nl_talk(fd, &req, addrs_cb, &c);
		if (err)
			goto out;
	}
	err = c.n;
out:
	close(fd);
	return err;
}

int xlb_if_addrs4(int ifindex, struct in_addr *addrs, int max)
{
	return if_addrs(AF_INET, ifindex, addrs, max);
}

int xlb_if_addrs6(int ifindex, struct in6_addr *addrs, int max)
{
	return if_addrs(AF_INET6, ifindex, addrs, max);
}

bool xlb_addr_is_local(const struct xlb_cfg_addr *a)
{
	struct in6_addr all[256];	/* room for either family */
	size_t alen = a->family == AF_INET6 ? sizeof(a->v6) : sizeof(a->v4);
	int i, n = if_addrs(a->family, 0, all, sizeof(all) / alen);

	for (i = 0; i < n; i++)
		if (!memcmp((char *)all + alen * i, &a->v6, alen))
			return true;
	return false;
}

/* --- routes ------------------------------------------------------------- */

struct route_ctx {
	struct xlb_route *out;
	size_t alen;		/* address size of the family asked */
	bool got;
	bool has_prefsrc;
	bool has_src;
	bool via6;
	struct xlb_cfg_addr src;
};

/* An address attribute of the route's family into a. */
static bool rta_addr(struct rtattr *rta, const struct route_ctx *c,
		     struct xlb_cfg_addr *a)
{
	a->family = c->alen == sizeof(struct in6_addr) ? AF_INET6 : AF_INET;
	return rta_get(rta, &a->v6, c->alen);	/* v4 shares its start */
}

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
			if (rta_get(rta, &oif, sizeof(oif)))
				c->out->oif = oif;
			break;
		case RTA_PREFSRC:
			c->has_prefsrc = rta_addr(rta, c, &c->out->prefsrc);
			break;
		case RTA_SRC:
			c->has_src = rta_addr(rta, c, &c->src);
			break;
		case RTA_GATEWAY:
			c->out->has_gateway = rta_addr(rta, c,
						       &c->out->gateway);
			break;
		case RTA_VIA:	/* IPv4 route with an IPv6 next hop */
			c->via6 = true;
			break;
		}
	}
	return 0;
}

/* A source the data path can use: set, and for IPv6 of universe scope.
 * While the egress's link-local address is still tentative (the first
 * second after link up) the kernel even offers ::1. */
static bool usable_src(const struct xlb_cfg_addr *a)
{
	if (a->family == AF_INET6)
		return !IN6_IS_ADDR_UNSPECIFIED(&a->v6) &&
		       !IN6_IS_ADDR_LOOPBACK(&a->v6) &&
		       !IN6_IS_ADDR_LINKLOCAL(&a->v6) &&
		       !IN6_IS_ADDR_MULTICAST(&a->v6);
	return a->family == AF_INET && !xlb_addr_is_any(a);
}

/* The first usable address of oif, when the kernel named none or a
 * link-local one. */
static int oif_source(int family, int oif, struct xlb_cfg_addr *out)
{
	int n;

	memset(out, 0, sizeof(*out));
	out->family = family;
	n = family == AF_INET6 ? xlb_if_addrs6(oif, &out->v6, 1) :
				 xlb_if_addrs4(oif, &out->v4, 1);
	if (n == 1)
		return 0;
	memset(out, 0, sizeof(*out));
	return n < 0 ? n : -EADDRNOTAVAIL;
}

int xlb_route_get(const struct xlb_cfg_addr *dst,
		  const struct xlb_cfg_addr *src, struct xlb_route *out)
{
	bool v6 = dst->family == AF_INET6;
	struct route_ctx c = {
		.out = out,
		.alen = v6 ? sizeof(struct in6_addr) : sizeof(struct in_addr),
	};
	struct nl_req req;
	struct rtmsg *rtm;
	int fd, err;

	memset(out, 0, sizeof(*out));
	if (dst->family != AF_INET && dst->family != AF_INET6)
		return -EAFNOSUPPORT;
	fd = nl_open();
	if (fd < 0)
		return fd;

	rtm = nl_init(&req, RTM_GETROUTE, 0, sizeof(*rtm));
	rtm->rtm_family = dst->family;
	rtm->rtm_dst_len = c.alen * 8;
	nl_attr(&req, RTA_DST, &dst->v6, c.alen);	/* v4 shares its start */
	if (src && src->family == dst->family && !xlb_addr_is_any(src)) {
		rtm->rtm_src_len = c.alen * 8;
		nl_attr(&req, RTA_SRC, &src->v6, c.alen);
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
	if (c.has_prefsrc && usable_src(&out->prefsrc))
		return 0;
	/* The kernel leaves RTA_PREFSRC out when the chosen source equals the
	 * RTA_SRC it was given, and reports that one as RTA_SRC instead. */
	if (c.has_src && usable_src(&c.src)) {
		out->prefsrc = c.src;
		return 0;
	}
	/* IPv6 picks a link-local source for a host with no global address
	 * on the egress: bpf_fib_lookup() would refuse it, so look for a
	 * global or ULA address of oif, or fail. */
	err = oif_source(dst->family, out->oif, &out->prefsrc);
	if (!err)
		return 0;
fail:
	memset(out, 0, sizeof(*out));
	return err;
}
