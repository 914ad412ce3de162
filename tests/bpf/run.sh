#!/bin/bash
# Run the BPF fixture tests (build/tests/test_bpf) in a private network
# namespace:
#
#   xlbt-bpf-PID    lbside 10.0.0.1/24, ip_forward 0 (the test's first row
#                   runs so; the others turn net.ipv4.conf.lbside.forwarding
#                   on, see cases.c), permanent neighbours
#                   10.0.0.11-40 and the client 10.0.0.100, each with MAC
#                   02:00:0a:00:00:<last octet in hex> (tests/bpf/cases.h
#                   relies on that); 10.0.0.50 and 10.0.0.101 have none.
#   xlbt-bpfp-PID   peerside, the other end of the veth pair.
#
# The test runs under `nsenter --net` (not `ip netns exec`, which remounts
# /sys and hides /sys/fs/bpf); it pins its maps under /sys/fs/bpf/xlbt-<its
# pid> and removes them itself; this script removes the namespaces, and the
# pin folder should the test die without cleaning up, on every exit path.
# Exit code: the test's (0 all passed), 77 when skipped (not root, no bpffs).
set -euo pipefail

cd "$(dirname "$0")/../.."
BIN=${XLBT_BIN:-build/tests/test_bpf}
NS=xlbt-bpf-$$
PEER_NS=xlbt-bpfp-$$
child=

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [ -n "$child" ]; then
		kill "$child" 2>/dev/null || true
		wait "$child" 2>/dev/null || true
		rm -rf "/sys/fs/bpf/xlbt-$child"
	fi
	ip netns del "$NS" 2>/dev/null || true
	ip netns del "$PEER_NS" 2>/dev/null || true
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [ "$(id -u)" != 0 ]; then
	echo "bpf: SKIP: needs root" >&2
	exit 77
fi
if [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" != bpf_fs ]; then
	echo "bpf: SKIP: no bpffs at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf)" >&2
	exit 77
fi
if [ ! -x "$BIN" ]; then
	echo "bpf: $BIN: not built (make build/tests/test_bpf)" >&2
	exit 1
fi

ip netns add "$NS"
ip netns add "$PEER_NS"
ip -n "$NS" link add lbside type veth peer name peerside
ip -n "$NS" link set peerside netns "$PEER_NS"
ip -n "$NS" addr add 10.0.0.1/24 dev lbside
ip -n "$NS" link set lo up
ip -n "$NS" link set lbside up
ip -n "$PEER_NS" link set peerside up
# New namespaces may inherit ip_forward=1: set it, and check it took.
nsenter --net="/run/netns/$NS" sysctl -qw net.ipv4.ip_forward=0
[ "$(nsenter --net="/run/netns/$NS" cat /proc/sys/net/ipv4/ip_forward)" = 0 ]

for i in $(seq 11 40) 100; do
	ip -n "$NS" neigh replace "10.0.0.$i" dev lbside nud permanent \
		lladdr "$(printf '02:00:0a:00:00:%02x' "$i")"
done

ifindex=$(ip -n "$NS" -o link show dev lbside | cut -d: -f1)

rc=0
nsenter --net="/run/netns/$NS" "$BIN" "$ifindex" "$@" &
child=$!
wait "$child" || rc=$?
# The test removes its own pins; a killed one leaves them behind.
rm -rf "/sys/fs/bpf/xlbt-$child"
child=
exit "$rc"
