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

reason() {
	xlb_status_json | $PY -c 'import json,sys
print(json.load(sys.stdin)["reasons"].get(sys.argv[1], 0))' "$1"
}

topo_pmtu6
start_httpd 1 8000
udpsrv=$(tmpfile)
cat >"$udpsrv" <<'EOP'
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 5353))
while True:
    d, a = s.recvfrom(65535)
    s.sendto(d, a)		# the same bytes back: fragmented again
EOP
spawn s2 "$(tmpfile)" "$PY" "$udpsrv"

cfg=$(tmpfile)
cat >"$cfg" <<EOC
frontend web
    bind [$VIP6]:80
    default_backend pool
frontend dns
    bind udp@[$VIP6]:5353
    default_backend udppool
backend pool
    server s1 [fd78:2::11]:8000
backend udppool
    server s2 [fd78:2::12]:5353
EOC
start_xlb "$cfg"

echo "1. ping6 across the router"
before=$(reason tx_icmp_echo)
in_ns c ping -6 -c 2 -i 0.2 -W 2 -q "$VIP6" >/dev/null || fail "no echo replies from $VIP6"
expect_ge "$(( $(reason tx_icmp_echo) - before ))" 2 "pings to [$VIP6] answered by XDP"

echo "2. fragmented UDP over IPv6, both ways"
ff=$(reason flow_frag_first)
fl=$(reason flow_frag_follow)
got=$(in_ns c "$PY" - "$VIP6" <<'EOP'
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(2)
data = bytes(i % 251 for i in range(3000))
for _ in range(5):
    s.sendto(data, (sys.argv[1], 5353))
    try:
        r, _ = s.recvfrom(65535)
    except socket.timeout:
        continue
    print(len(r), "same" if r == data else "differs")
    break
else:
    print("none")
EOP
)
expect_eq "$got" "3000 same" "a 3000-byte datagram echoed whole through xlb over IPv6"
expect_ge "$(( $(reason flow_frag_first) - ff ))" 2 "first fragments remembered, one per direction (flow_frag_first)"
expect_ge "$(( $(reason flow_frag_follow) - fl ))" 2 "later fragments sent on alike (flow_frag_follow)"

echo "3. path MTU discovery through xlb over IPv6"
ie=$(reason flow_icmp_error)
out=$(tmpfile)
size=$(in_ns c curl -s -m 20 -o "$out" -w '%{size_download}' "http://[$VIP6]/bytes/100000") || true
expect_eq "$size" 100000 "a 100 KB answer crosses the 1280-byte hop"
expect_ge "$(( $(reason flow_icmp_error) - ie ))" 1 "the router's packet too big translated to the backend (flow_icmp_error)"
mtu=$(in_ns s1 ip -6 -o route get fd78:2::1 | grep -o 'mtu [0-9]*' || true)
expect_eq "$mtu" "mtu 1280" "the backend learned the path MTU"
expect_active 1 "the download's connection closed: only the UDP flow still counted"
