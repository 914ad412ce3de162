// SPDX-License-Identifier: GPL-2.0
/* Interface lookup (index, ethtool driver, IPv4 and IPv6 addresses) and
 * the choice between native and generic XDP by driver. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "iface.h"
#include "route.h"

/* ETHTOOL_GDRVINFO; leaves buf "" when the device has no driver info
 * (lo, wireguard and other virtual devices without ethtool ops). */
static void iface_driver(const char *name, char *buf, size_t len)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr;
	size_t n;
	int fd;

	buf[0] = '\0';
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name) + 1); /* checked by caller */
	ifr.ifr_data = (void *)&info;
	if (ioctl(fd, SIOCETHTOOL, &ifr) == 0) {
		n = strnlen(info.driver, sizeof(info.driver));
		if (n >= len)
			n = len - 1;
		memcpy(buf, info.driver, n);
		buf[n] = '\0';
	}
	close(fd);
}

int xlb_iface_get(const char *name, struct xlb_iface *out)
{
	unsigned int idx;
	int n;

	memset(out, 0, sizeof(*out));
	if (!name || !name[0] || strlen(name) >= IF_NAMESIZE)
		return -ENODEV;
	idx = if_nametoindex(name);
	if (!idx)
		return errno ? -errno : -ENODEV;
	strcpy(out->name, name);
	out->ifindex = idx;
	iface_driver(name, out->driver, sizeof(out->driver));
	n = xlb_if_addrs4(out->ifindex, out->addrs, XLB_IFACE_MAX_ADDRS);
	if (n < 0) {
		memset(out, 0, sizeof(*out));
		return n;
	}
	out->naddrs = n;
	/* A kernel without IPv6 (ipv6.disable=1) has none: not an error. */
	n = xlb_if_addrs6(out->ifindex, out->addrs6, XLB_IFACE_MAX_ADDRS);
	out->naddrs6 = n > 0 ? n : 0;
	return 0;
}

/* Drivers for which native mode is not the default, by ethtool name.
 * Most have no ndo_bpf at all, so native attach would fail with
 * EOPNOTSUPP and generic is the only mode there is. */
static const struct {
	const char *driver;
	const char *why;
} generic_drivers[] = {
	/* Native XDP exists, but XDP_TX (and redirect into a veth) only
	 * delivers when the peer has NAPI enabled, i.e. has an XDP program
	 * of its own or GRO switched on -- off by default; otherwise frames
	 * are dropped and counted as xdp_tx errors.  In generic mode XDP_TX
	 * goes through the stack and reaches the peer like any packet. */
	{ "veth", "veth: native XDP_TX drops frames unless the peer has an "
		  "XDP program or GRO enabled" },
	{ "bridge", "bridge has no native XDP" },
	{ "macvlan", "macvlan/macvtap have no native XDP" },
	{ "ipvlan", "ipvlan has no native XDP" },
	{ "802.1Q VLAN Support", "VLAN devices have no native XDP" },
	{ "vxlan", "vxlan has no native XDP" },
	{ "geneve", "geneve has no native XDP" },
	{ "dummy", "dummy has no native XDP" },
	{ "team", "team has no native XDP" },
	{ "vrf", "vrf has no native XDP" },
	{ "ifb", "ifb has no native XDP" },
	{ "netkit", "netkit has no native XDP" },
	{ "openvswitch", "openvswitch ports have no native XDP" },
	/* Not here, native is right:
	 * - "tun": tun and tap run native XDP on frames written by the
	 *   reader, and XDP_TX hands them back to it (tun_xdp_xmit).
	 * - "bonding": native since 5.15 when every slave has native XDP
	 *   and the mode is round-robin, active-backup, xor or 802.3ad;
	 *   otherwise attach fails and the caller falls back. */
};

bool xlb_iface_prefers_generic(const struct xlb_iface *ifc, const char **why)
{
	const char *reason = "native XDP expected for this driver";
	bool generic = false;
	size_t i;

	if (!ifc->driver[0]) {
		/* Anything on a bus reports a driver (the kernel falls back
		 * to the parent device's driver), so no driver info means a
		 * virtual device without ethtool ops: lo, wireguard, ip
		 * tunnels.  None of those has native XDP. */
		reason = "no ethtool driver info (virtual device)";
		generic = true;
	}
	for (i = 0; !generic &&
	     i < sizeof(generic_drivers) / sizeof(generic_drivers[0]); i++) {
		if (!strcmp(ifc->driver, generic_drivers[i].driver)) {
			reason = generic_drivers[i].why;
			generic = true;
		}
	}
	if (why)
		*why = reason;
	return generic;
}
