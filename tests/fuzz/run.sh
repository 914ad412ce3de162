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
#                   IPv6 on lbside: fd00::1/64 (nodad), neighbours
#                   fd00::b-28 and fd00::64-67 with the same MACs as their
#                   IPv4 twins (the binary turns IPv6 forwarding on).
#   xlbt-fuzzp-PID  peerside, peerside2, peerside3: the other ends.
#
# Usage: tests/fuzz/run.sh [PACKETS]  (default 100000; FUZZ_SEED=N replays
# a run, FUZZ_TRACE=1 prints every packet, FUZZ_FLOWS=N sizes the flow
# table, FUZZ_TOLERATE=totlen,udplen goes on past those known bugs). The
# namespaces, the run and the cleanup on every exit path are
# tests/bpf/netns.sh's (shared with tests/bpf/run.sh).
# Exit code: the binary's (0: ok), 77 when skipped.
set -euo pipefail

cd "$(dirname "$0")/../.."
. tests/bpf/netns.sh
netns_init fuzz "${XLBT_FUZZ_BIN:-build/tests/fuzz_xdp}"
netns_veth "" 10.0.0.1/24
netns_veth 2 10.0.2.1/24
netns_veth 3 10.0.3.1/24
netns_neigh4 lbside 0 $(seq 11 40) $(seq 100 103)
netns_neigh4 lbside2 2 11 12
netns_neigh4 lbside3 3 11
ip -n "$NS" addr add fd00::1/64 dev lbside nodad
netns_neigh6 lbside $(seq 11 40) $(seq 100 103)
for n in 2 3; do
	nsenter --net="/run/netns/$NS" sysctl -qw "net.ipv4.conf.lbside$n.forwarding=1"
done

FUZZ_IFINDEX2=$(netns_ifindex lbside2)
FUZZ_IFINDEX3=$(netns_ifindex lbside3)
export FUZZ_IFINDEX2 FUZZ_IFINDEX3
netns_run "$(netns_ifindex lbside)" "$@"
