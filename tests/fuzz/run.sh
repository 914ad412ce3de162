#!/bin/bash
# Fuzz the real XDP program (build/tests/fuzz_xdp, tests/fuzz/fuzz.c) in a
# private network namespace, the topology of tests/bpf/run.sh:
#
#   xlbt-fuzz-PID   lbside 10.0.0.1/24 (the VIP and the balancer's source
#                   address), net.ipv4.ip_forward 0 (the binary turns
#                   net.ipv4.conf.lbside.forwarding on, as the agent does),
#                   permanent neighbours 10.0.0.11-40 (backends) and
#                   10.0.0.100-103 (clients), each with MAC
#                   02:00:0a:00:00:<last octet in hex>; 10.0.0.50 (a
#                   backend) and the clients 10.0.0.104-107 have none.
#                   lbside2 10.0.2.1/24 (attached: a redirect target),
#                   neighbours 10.0.2.11-12; lbside3 10.0.3.1/24 (not
#                   attached), neighbour 10.0.3.11; MAC
#                   02:00:0a:00:<third octet>:<last octet>; forwarding on
#                   for both (the agent's, for the attached one).
#   xlbt-fuzzp-PID  peerside, peerside2, peerside3: the other ends.
#
# Usage: tests/fuzz/run.sh [PACKETS]  (default 100000; FUZZ_SEED=N replays
# a run, FUZZ_TRACE=1 prints every packet, FUZZ_FLOWS=N sizes the flow
# table, FUZZ_TOLERATE=totlen,udplen goes on past those known bugs). The binary runs under
# `nsenter --net` (not `ip netns exec`, which remounts /sys and hides
# /sys/fs/bpf) and pins its maps under /sys/fs/bpf/xlbt-<its pid>; this
# script removes the namespaces, and that folder should the binary die, on
# every exit path. Exit code: the binary's (0: ok), 77 when skipped.
set -euo pipefail

cd "$(dirname "$0")/../.."
BIN=${XLBT_FUZZ_BIN:-build/tests/fuzz_xdp}
NS=xlbt-fuzz-$$
PEER_NS=xlbt-fuzzp-$$
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
	echo "fuzz: SKIP: needs root" >&2
	exit 77
fi
if [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" != bpf_fs ]; then
	echo "fuzz: SKIP: no bpffs at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf)" >&2
	exit 77
fi
if [ ! -x "$BIN" ]; then
	echo "fuzz: $BIN: not built (make build/tests/fuzz_xdp)" >&2
	exit 1
fi

ip netns add "$NS"
ip netns add "$PEER_NS"
ip -n "$NS" link set lo up
for n in "" 2 3; do
	ip -n "$NS" link add "lbside$n" type veth peer name "peerside$n"
	ip -n "$NS" link set "peerside$n" netns "$PEER_NS"
	ip -n "$NS" link set "lbside$n" up
	ip -n "$PEER_NS" link set "peerside$n" up
done
ip -n "$NS" addr add 10.0.0.1/24 dev lbside
ip -n "$NS" addr add 10.0.2.1/24 dev lbside2
ip -n "$NS" addr add 10.0.3.1/24 dev lbside3
# New namespaces may inherit ip_forward=1: set it, and check it took.
nsenter --net="/run/netns/$NS" sysctl -qw net.ipv4.ip_forward=0
[ "$(nsenter --net="/run/netns/$NS" cat /proc/sys/net/ipv4/ip_forward)" = 0 ]

for i in $(seq 11 40) $(seq 100 103); do
	ip -n "$NS" neigh replace "10.0.0.$i" dev lbside nud permanent \
		lladdr "$(printf '02:00:0a:00:00:%02x' "$i")"
done
for i in 11 12; do
	ip -n "$NS" neigh replace "10.0.2.$i" dev lbside2 nud permanent \
		lladdr "$(printf '02:00:0a:00:02:%02x' "$i")"
done
ip -n "$NS" neigh replace 10.0.3.11 dev lbside3 nud permanent \
	lladdr 02:00:0a:00:03:0b
for n in 2 3; do
	nsenter --net="/run/netns/$NS" sysctl -qw "net.ipv4.conf.lbside$n.forwarding=1"
done

ifindex=$(ip -n "$NS" -o link show dev lbside | cut -d: -f1)
FUZZ_IFINDEX2=$(ip -n "$NS" -o link show dev lbside2 | cut -d: -f1)
FUZZ_IFINDEX3=$(ip -n "$NS" -o link show dev lbside3 | cut -d: -f1)
export FUZZ_IFINDEX2 FUZZ_IFINDEX3

rc=0
nsenter --net="/run/netns/$NS" "$BIN" "$ifindex" "$@" &
child=$!
wait "$child" || rc=$?
# The binary removes its own pins; a killed one leaves them behind.
rm -rf "/sys/fs/bpf/xlbt-$child"
child=
exit "$rc"
