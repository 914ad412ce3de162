#!/usr/bin/env bash
# What test_icmp.sh (IPv4) and test_ipv6_pmtu.sh (IPv6) share: the same
# services, and the same checks of fragmented UDP and of path MTU
# discovery through xlb, run on their own topologies (client c behind a
# router with a smaller route MTU towards it, backend s1). Sourced after
# lib.sh and assert.sh.

# Start xlb with web on $1:80 to s1 at $2:8000 and dns (UDP) on $1:5353 to
# server $3 at $4:5353 (addresses as the config writes them: [v6]).
pmtu_start_xlb() {
	local cfg
	cfg=$(tmpfile)
	cat >"$cfg" <<EOC
frontend web
    bind $1:80
    default_backend pool
frontend dns
    bind udp@$1:5353
    default_backend udppool
backend pool
    server s1 $2:8000
backend udppool
    server $3 $4:5353
EOC
	start_xlb "$cfg"
}

# A 3000-byte datagram from c to $1:5353, echoed whole: its fragments went
# both ways through xlb's fragment path, at least $2 later ones followed
# ("later fragments sent on alike$3").
check_frag_udp() {
	local ff fl got over=
	case "$1" in *:*) over=" over IPv6" ;; esac
	ff=$(reason flow_frag_first)
	fl=$(reason flow_frag_follow)
	got=$(in_ns c "$PY" "$XLB_ROOT/tests/e2e/udpecho.py" big "$1" 5353)
	expect_eq "$got" "3000 same" "a 3000-byte datagram echoed whole through xlb$over"
	expect_ge "$(( $(reason flow_frag_first) - ff ))" 2 "first fragments remembered, one per direction (flow_frag_first)"
	expect_ge "$(( $(reason flow_frag_follow) - fl ))" "$2" "later fragments sent on alike$3 (flow_frag_follow)"
}

# A 100 KB download from http://$1/ crosses the router's $2-byte hop: its
# error ($3) translated to s1, which learns mtu $2 towards the balancer's
# address $4.
check_pmtu() {
	local ie out size mtu
	ie=$(reason flow_icmp_error)
	out=$(tmpfile)
	size=$(in_ns c curl -s -m 20 -o "$out" -w '%{size_download}' "http://$1/bytes/100000") || true
	expect_eq "$size" 100000 "a 100 KB answer crosses the $2-byte hop"
	expect_ge "$(( $(reason flow_icmp_error) - ie ))" 1 "the router's $3 translated to the backend (flow_icmp_error)"
	mtu=$(in_ns s1 ip -o route get "$4" | grep -o 'mtu [0-9]*' || true)
	expect_eq "$mtu" "mtu $2" "the backend learned the path MTU"
}
