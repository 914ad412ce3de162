#!/usr/bin/env bash
# ICMP and fragments through xlb (bpf/icmp.h, bpf/frag.h), for real:
# - ping the VIP: the XDP program answers (tx_icmp_echo counts it); a ping
#   to another address of the balancer is the kernel's;
# - path MTU discovery: a router between the client and the balancer
#   forwards at most 1000 bytes towards the client while both ends have
#   1500-byte links (so the client announces MSS 1460). The backend's
#   full-size segments, rewritten by xlb, hit that router, which sends
#   "fragmentation needed" to the VIP; xlb translates it to the backend,
#   which lowers its path MTU and resends: a 100 KB download completes;
# - fragmented UDP: a 3000-byte datagram (the client lets its kernel
#   fragment it) to a UDP service, echoed back whole by the backend, so
#   both directions go through the fragment path.
#
#   c 10.78.3.100 -- r (10.78.3.1 | 10.78.1.254; route to c: mtu 1000)
#     -- lb eth0 10.78.1.1 (VIP), 10.78.1.2 | eth1 10.78.2.1 -- br0 -- s1 10.78.2.11
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"
. "$(dirname "$0")/frag_pmtu.sh"

topo_icmp() {
	ns_add lb
	ns_add r
	ns_add c
	ns_add sw
	ns_add s1
	link lb eth0 10.78.1.1/24 r eth0
	ip -n "$(ns lb)" addr add 10.78.1.2/24 dev eth0	# not a VIP
	ip -n "$(ns r)" addr add 10.78.1.254/24 dev eth0
	link r eth1 10.78.3.1/24 c eth0
	ip -n "$(ns c)" addr add 10.78.3.100/24 dev eth0
	ip -n "$(ns c)" route add default via 10.78.3.1
	in_ns r sysctl -qw net.ipv4.ip_forward=1
	# A route MTU, not a link MTU: the links stay at 1500 both ways.
	ip -n "$(ns r)" route add 10.78.3.100/32 dev eth1 mtu 1000
	ip -n "$(ns lb)" route add 10.78.3.0/24 via 10.78.1.254
	ip -n "$(ns sw)" link add br0 type bridge
	ip -n "$(ns sw)" link set br0 up
	link lb eth1 10.78.2.1/24 sw p-lb
	link s1 eth0 10.78.2.11/24 sw p-s1
	ip -n "$(ns sw)" link set p-lb master br0
	ip -n "$(ns sw)" link set p-s1 master br0
	# No PMTU workaround on the backend: only the ICMP error can help.
	in_ns s1 sysctl -qw net.ipv4.tcp_mtu_probing=0
	in_ns s1 sysctl -qw net.ipv4.ip_no_pmtu_disc=0
	# Segmentation offload off: a GSO packet larger than the MTU is
	# dropped by xlb (bpf_fib_lookup answers FRAG_NEEDED; README).
	in_ns s1 ethtool -K eth0 tso off gso off >/dev/null
	VIP=10.78.1.1
	LB_IFACES=(-i eth0 -i eth1)
}

topo_icmp
start_httpd 1 8000
start_udpecho 1 4 5353
pmtu_start_xlb "$VIP" 10.78.2.11 s1 10.78.2.11

echo "1. ping"
before=$(reason tx_icmp_echo)
in_ns c ping -c 3 -i 0.2 -W 2 -q "$VIP" >/dev/null || fail "no echo replies from the VIP"
expect_ge "$(( $(reason tx_icmp_echo) - before ))" 3 "3 pings to the VIP answered by XDP (tx_icmp_echo)"
before=$(reason tx_icmp_echo)
in_ns c ping -c 2 -i 0.2 -W 2 -q 10.78.1.2 >/dev/null || fail "no echo replies from 10.78.1.2"
expect_eq "$(( $(reason tx_icmp_echo) - before ))" 0 "a ping to 10.78.1.2 (not a VIP) is the kernel's"

echo "2. fragmented UDP, both ways"
check_frag_udp "$VIP" 4 ", two per direction"

echo "3. path MTU discovery through xlb"
check_pmtu "$VIP" 1000 frag-needed 10.78.2.1
