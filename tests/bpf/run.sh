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
#                   IPv6 alike: fd00::1/64 (nodad), neighbours fd00::b-28
#                   and fd00::64 with the same MACs; net.ipv6.conf.lbside.
#                   forwarding set by the IPv6 rows (cases_ipv6.c).
#   xlbt-bpfp-PID   peerside, the other end of the veth pair.
#
# The namespaces, the run and the cleanup on every exit path are
# tests/bpf/netns.sh's (shared with tests/fuzz/run.sh).
# Exit code: the test's (0 all passed), 77 when skipped (not root, no bpffs).
set -euo pipefail

cd "$(dirname "$0")/../.."
. tests/bpf/netns.sh
netns_init bpf "${XLBT_BIN:-build/tests/test_bpf}"
netns_veth "" 10.0.0.1/24
netns_neigh4 lbside 0 $(seq 11 40) 100
ip -n "$NS" addr add fd00::1/64 dev lbside nodad
netns_neigh6 lbside $(seq 11 40) 100
netns_run "$(netns_ifindex lbside)" "$@"
