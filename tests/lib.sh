#!/usr/bin/env bash
# Shared shell helpers for the demo and the end-to-end tests: network
# namespaces, processes started by pid, and cleanup on every exit path.
# Source it; set XLB_TAG to something unique first (default: pid).

XLB_ROOT=${XLB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
XLB=${XLB:-$XLB_ROOT/build/xlb}
PY=/usr/bin/python3	# Debian's python, with python3-flask
XLB_TAG=${XLB_TAG:-$$}
# A private agent instance (pins, lock, socket: agent/paths.h), so that
# tests running at the same time, or a real agent, never meet.
export XLB_INSTANCE=${XLB_INSTANCE:-t$XLB_TAG}
XLB_PINS=/sys/fs/bpf/xlb-$XLB_INSTANCE
_NSLIST=()
_PIDS=()
_TMPS=()

ns() { echo "xlb${XLB_TAG}$1"; }

# Run in a namespace, keeping the host's /sys (and its bpffs) visible.
in_ns() {
	local n=$1
	shift
	nsenter --net="/run/netns/$(ns "$n")" "$@"
}

ns_add() {
	local n
	n=$(ns "$1")
	ip netns add "$n"
	_NSLIST+=("$n")
	ip -n "$n" link set lo up
	# Namespaces inherit ip_forward=1 here: a passed packet would be
	# forwarded by the kernel and hide a broken XDP path. IPv6 alike
	# (0 here already; a host's setting may differ).
	in_ns "$1" sysctl -qw net.ipv4.ip_forward=0
	in_ns "$1" sysctl -qw net.ipv6.conf.all.forwarding=0
}

# An IPv6 address on interface $2 of namespace $1, usable at once (no
# duplicate address detection: nothing else on these links has it).
addr6() {
	ip -n "$(ns "$1")" -6 addr add "$3" dev "$2" nodad
}

# A bridge for the segments below: no multicast snooping, so that
# neighbour discovery never waits for an MLD report.
bridge_add() {
	ip -n "$(ns "$1")" link add br0 type bridge mcast_snooping 0
	ip -n "$(ns "$1")" link set br0 up
}

# Start a command in the background inside a namespace; remembers its pid.
# nsenter is run directly (not through in_ns, a function, which would fork
# a subshell): it execs the command, so $! is the command's own pid.
spawn() {
	local n=$1 log=$2
	shift 2
	nsenter --net="/run/netns/$(ns "$n")" "$@" >"$log" 2>&1 &
	_PIDS+=($!)
	LAST_PID=$!
}

# Temporary files live in one folder per test, removed at cleanup (a
# tmpfile made inside $(...) cannot register itself with this shell).
_TMPDIR=$(mktemp -d "/tmp/xlb-$XLB_TAG.XXXXXX")
_TMPS+=("$_TMPDIR")
tmpfile() { mktemp "$_TMPDIR/f.XXXXXX"; }

cleanup() {
	local p n
	for p in "${_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${_PIDS[@]}"; do
		# Give an agent its time to detach; then insist.
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	_PIDS=()
	for n in "${_NSLIST[@]}"; do
		ip netns del "$n" 2>/dev/null || true
	done
	_NSLIST=()
	# An agent this test killed (or left with --keep) leaves its pins:
	# remove them, unless some agent still holds the lock.
	if [ -n "${XLB_STARTED:-}" ] && [ -d "$XLB_PINS" ]; then
		flock -n "/run/xlb/$XLB_INSTANCE.lock" rm -rf "$XLB_PINS" || true
	fi
	[ -n "${XLB_STARTED:-}" ] && rm -f "/run/xlb/$XLB_INSTANCE.lock"
	rm -rf "${_TMPS[@]}"
	_TMPS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# veth between host namespace $1 (interface $2, address $3) and a peer end
# named $5 in namespace $4 (no address).
link() {
	local a=$1 ifa=$2 addr=$3 b=$4 ifb=$5
	ip link add "$ifa" netns "$(ns "$a")" type veth peer name "$ifb" netns "$(ns "$b")"
	[ -n "$addr" ] && ip -n "$(ns "$a")" addr add "$addr" dev "$ifa"
	ip -n "$(ns "$a")" link set "$ifa" up
	ip -n "$(ns "$b")" link set "$ifb" up
}

# One L2 segment like the tutorial's compose network: a bridge in namespace
# "sw"; lb (.1), client (.100) and the servers s1..sN (.11...) on it.
# IPv6 beside it: fd77::1 (lb), fd77::100 (client), fd77::11... (servers).
topo_onearm() {
	local nservers=${1:-3} i
	NET=10.77.0
	NET6=fd77:
	ns_add sw
	bridge_add sw
	ns_add lb
	ns_add c
	for i in $(seq 1 "$nservers"); do ns_add "s$i"; done
	link lb eth0 "$NET.1/24" sw p-lb
	link c eth0 "$NET.100/24" sw p-c
	for i in $(seq 1 "$nservers"); do
		link "s$i" eth0 "$NET.$((10 + i))/24" sw "p-s$i"
	done
	for p in p-lb p-c $(seq -f 'p-s%g' 1 "$nservers"); do
		ip -n "$(ns sw)" link set "$p" master br0
	done
	addr6 lb eth0 "$NET6:1/64"
	addr6 c eth0 "$NET6:100/64"
	for i in $(seq 1 "$nservers"); do
		addr6 "s$i" eth0 "$NET6:$((10 + i))/64"
	done
	VIP=$NET.1
	VIP6=$NET6:1
	CLIENT6=$NET6:100
	LB_IFACES=(-i eth0)
	server_ip() { echo "$NET.$((10 + $1))"; }
	server_ip6() { echo "$NET6:$((10 + $1))"; }
}

# Two arms: client net 10.78.1.0/24 on lb's eth0, server net 10.78.2.0/24
# (a bridge) on lb's eth1. Servers have no route to the client net: full
# NAT needs none. IPv6 alike: fd78:1::/64 (lb ::1, client ::100) and
# fd78:2::/64 (lb ::1, servers ::11...).
topo_twoarm() {
	local nservers=${1:-3} i
	ns_add lb
	ns_add c
	ns_add sw
	bridge_add sw
	link lb eth0 10.78.1.1/24 c eth0
	ip -n "$(ns c)" addr add 10.78.1.100/24 dev eth0
	link lb eth1 10.78.2.1/24 sw p-lb
	ip -n "$(ns sw)" link set p-lb master br0
	addr6 lb eth0 fd78:1::1/64
	addr6 c eth0 fd78:1::100/64
	addr6 lb eth1 fd78:2::1/64
	for i in $(seq 1 "$nservers"); do
		ns_add "s$i"
		link "s$i" eth0 "10.78.2.$((10 + i))/24" sw "p-s$i"
		ip -n "$(ns sw)" link set "p-s$i" master br0
		addr6 "s$i" eth0 "fd78:2::$((10 + i))/64"
	done
	VIP=10.78.1.1
	VIP6=fd78:1::1
	CLIENT6=fd78:1::100
	LB_IFACES=(-i eth0 -i eth1)
	server_ip() { echo "10.78.2.$((10 + $1))"; }
	server_ip6() { echo "fd78:2::$((10 + $1))"; }
}

# Wait until a command succeeds (polling, no fixed sleeps); $1 = seconds.
wait_for() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# Is something listening on TCP port $2 in namespace $1?
listening() { in_ns "$1" ss -Hltn "sport = :$2" | grep -q .; }

# Start the agent in namespace lb with config $1, extra args after.
# Host names in the config resolve through $XLB_HOSTS if set (a private
# /etc/hosts, like compose's DNS), in a private mount namespace.
start_xlb() {
	local cfg=$1
	shift
	XLB_STARTED=1
	XLB_LOG=$(tmpfile)
	if [ -n "${XLB_HOSTS:-}" ]; then
		spawn lb "$XLB_LOG" unshare -m sh -c \
			'mount --bind "$0" /etc/hosts && exec "$@"' \
			"$XLB_HOSTS" "$XLB" run -f "$cfg" "${LB_IFACES[@]}" "$@"
	else
		spawn lb "$XLB_LOG" "$XLB" run -f "$cfg" "${LB_IFACES[@]}" "$@"
	fi
	XLB_PID=$LAST_PID
	if ! wait_for 20 grep -q '^xlb: ready' "$XLB_LOG" || ! kill -0 "$XLB_PID"; then
		echo "xlb did not start:" >&2
		cat "$XLB_LOG" >&2
		return 1
	fi
}

stop_xlb() {
	kill -TERM "$XLB_PID" 2>/dev/null || true
	wait "$XLB_PID" 2>/dev/null
	local rc=$?
	local p keep=()
	for p in "${_PIDS[@]}"; do [ "$p" = "$XLB_PID" ] || keep+=("$p"); done
	_PIDS=("${keep[@]}")
	return $rc
}

xlb_status_json() { in_ns lb "$XLB" status --json; }

# The data path's count of reason $1 (e.g. tx_icmp_echo), from `xlb status
# --json`; 0 when it has none.
reason() {
	xlb_status_json | $PY -c 'import json,sys
print(json.load(sys.stdin)["reasons"].get(sys.argv[1], 0))' "$1"
}

# Sum of active counts over all servers, from `xlb status --json`.
active_total() {
	xlb_status_json | $PY -c 'import json,sys
d=json.load(sys.stdin)
print(sum(s["active"] for v in d["services"] for s in v["servers"]))'
}
