#!/bin/bash
# Sourced by tests/bpf/run.sh and tests/fuzz/run.sh: the private pair of
# network namespaces their binary runs in, and its run, with everything
# removed on every exit path.
#
#   netns_init WHAT BIN     checks (root, bpffs: exit 77 to skip; BIN
#                           built: exit 1), makes xlbt-WHAT-PID (lo up,
#                           net.ipv4.ip_forward 0, checked) and its peer
#                           xlbt-WHATp-PID, and sets the traps
#   netns_veth SUFFIX CIDR  lbsideSUFFIX (CIDR) <-> peersideSUFFIX, up
#   netns_neigh4 DEV NET N... permanent neighbours 10.0.NET.N with MAC
#                           02:00:0a:00:<NET>:<N> (both in hex)
#   netns_neigh6 DEV N...   permanent neighbours fd00::<N in hex> with MAC
#                           02:00:0a:00:00:<N>, as their IPv4 twins
#   netns_ifindex DEV       prints DEV's ifindex
#   netns_run ARGS...       runs BIN ARGS under `nsenter --net` (not `ip
#                           netns exec`, which remounts /sys and hides
#                           /sys/fs/bpf) and exits with its code
#
# The binary pins its maps under /sys/fs/bpf/xlbt-<its pid> and removes
# them itself; should it die first, the cleanup does.

_netns_child=

_netns_cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [ -n "$_netns_child" ]; then
		kill "$_netns_child" 2>/dev/null || true
		wait "$_netns_child" 2>/dev/null || true
		rm -rf "/sys/fs/bpf/xlbt-$_netns_child"
	fi
	ip netns del "$NS" 2>/dev/null || true
	ip netns del "$PEER_NS" 2>/dev/null || true
	exit "$rc"
}

netns_init() {
	local what=$1
	NETNS_BIN=$2
	NS=xlbt-$what-$$
	PEER_NS=xlbt-${what}p-$$
	trap _netns_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	if [ "$(id -u)" != 0 ]; then
		echo "$what: SKIP: needs root" >&2
		exit 77
	fi
	if [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" != bpf_fs ]; then
		echo "$what: SKIP: no bpffs at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf)" >&2
		exit 77
	fi
	if [ ! -x "$NETNS_BIN" ]; then
		echo "$what: $NETNS_BIN: not built (make $NETNS_BIN)" >&2
		exit 1
	fi
	ip netns add "$NS"
	ip netns add "$PEER_NS"
	ip -n "$NS" link set lo up
	# New namespaces may inherit ip_forward=1: set it, and check it took.
	nsenter --net="/run/netns/$NS" sysctl -qw net.ipv4.ip_forward=0
	[ "$(nsenter --net="/run/netns/$NS" cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
}

netns_veth() {
	ip -n "$NS" link add "lbside$1" type veth peer name "peerside$1"
	ip -n "$NS" link set "peerside$1" netns "$PEER_NS"
	ip -n "$NS" addr add "$2" dev "lbside$1"
	ip -n "$NS" link set "lbside$1" up
	ip -n "$PEER_NS" link set "peerside$1" up
}

netns_neigh4() {
	local dev=$1 net=$2 i
	shift 2
	for i in "$@"; do
		ip -n "$NS" neigh replace "10.0.$net.$i" dev "$dev" nud permanent \
			lladdr "$(printf '02:00:0a:00:%02x:%02x' "$net" "$i")"
	done
}

netns_neigh6() {
	local dev=$1 i
	shift
	for i in "$@"; do
		ip -n "$NS" -6 neigh replace "fd00::$(printf '%x' "$i")" dev "$dev" \
			nud permanent lladdr "$(printf '02:00:0a:00:00:%02x' "$i")"
	done
}

netns_ifindex() {
	ip -n "$NS" -o link show dev "$1" | cut -d: -f1
}

netns_run() {
	local rc=0
	nsenter --net="/run/netns/$NS" "$NETNS_BIN" "$@" &
	_netns_child=$!
	wait "$_netns_child" || rc=$?
	# The binary removes its own pins; a killed one leaves them behind.
	rm -rf "/sys/fs/bpf/xlbt-$_netns_child"
	_netns_child=
	exit "$rc"
}
