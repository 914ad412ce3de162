#!/usr/bin/env bash
# ICMPv6 and fragments through xlb over IPv6 (bpf/icmp6.h, bpf/frag.h),
# for real, as test_icmp.sh does for IPv4:
# - path MTU discovery: a router between the client and the balancer
#   forwards at most 1280 bytes towards the client while both ends have
#   1500-byte links (so the client announces MSS 1440). IPv6 routers never
#   fragment: the backend's full-size segments, rewritten by xlb, make
#   that router send "packet too big" (MTU 1280) to the VIP; xlb
#   translates it to the backend (outer and quoted addresses, ports, the
#   ICMPv6 checksum over the new pseudo-header, the quoted TCP checksum),
#   which lowers its path MTU and resends: a 100 KB download completes,
#   and the backend's route cache shows mtu 1280;
# - fragmented UDP over IPv6: a 3000-byte datagram (the client's kernel
#   cuts it, Fragment headers) to a UDP service, echoed back whole by the
#   backend (whose own route to the balancer has mtu 1280, so its
#   fragments pass the small hop), both directions on the fragment path.
#
#   c fd78:3::100 -- r (fd78:3::1 | fd78:1::fe; route to c: mtu 1280)
#     -- lb eth0 fd78:1::1 (VIP) | eth1 fd78:2::1 -- br0 -- s1 fd78:2::11
#                                                       -- s2 fd78:2::12
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"
. "$(dirname "$0")/frag_pmtu.sh"

topo_pmtu6() {
	ns_add lb
	ns_add r
	ns_add c
	ns_add sw
	ns_add s1
	ns_add s2
	link lb eth0 "" r eth0
	addr6 lb eth0 fd78:1::1/64
	addr6 r eth0 fd78:1::fe/64
	link r eth1 "" c eth0
	addr6 r eth1 fd78:3::1/64
	addr6 c eth0 fd78:3::100/64
	ip -n "$(ns c)" -6 route add default via fd78:3::1
	in_ns r sysctl -qw net.ipv6.conf.all.forwarding=1
	# A route MTU, not a link MTU: the links stay at 1500 both ways.
	ip -n "$(ns r)" -6 route add fd78:3::100/128 dev eth1 mtu 1280
	ip -n "$(ns lb)" -6 route add fd78:3::/64 via fd78:1::fe
	bridge_add sw
	link lb eth1 "" sw p-lb
	addr6 lb eth1 fd78:2::1/64
	ip -n "$(ns sw)" link set p-lb master br0
	for i in 1 2; do
		link "s$i" eth0 "" sw "p-s$i"
		addr6 "s$i" eth0 "fd78:2::1$i/64"
		ip -n "$(ns sw)" link set "p-s$i" master br0
		# Segmentation offload off: a GSO packet larger than the MTU
		# is dropped by xlb (bpf_fib_lookup; README).
		in_ns "s$i" ethtool -K eth0 tso off gso off >/dev/null
	done
	# s1 learns its path MTU only from the translated packet too big.
	ip -n "$(ns s2)" -6 route add fd78:2::1/128 dev eth0 mtu 1280
	VIP6=fd78:1::1
	LB_IFACES=(-i eth0 -i eth1)
}

topo_pmtu6
start_httpd 1 8000
start_udpecho 2 6 5353
pmtu_start_xlb "[$VIP6]" "[fd78:2::11]" s2 "[fd78:2::12]"

echo "1. ping6 across the router"
before=$(reason tx_icmp_echo)
in_ns c ping -6 -c 2 -i 0.2 -W 2 -q "$VIP6" >/dev/null || fail "no echo replies from $VIP6"
expect_ge "$(( $(reason tx_icmp_echo) - before ))" 2 "pings to [$VIP6] answered by XDP"

echo "2. fragmented UDP over IPv6, both ways"
check_frag_udp "$VIP6" 2 ""

echo "3. path MTU discovery through xlb over IPv6"
check_pmtu "[$VIP6]" 1280 "packet too big" fd78:2::1
expect_active 1 "the download's connection closed: only the UDP flow still counted"
