#!/usr/bin/env bash
# Benchmark part 1: the XDP program's cost per packet under
# BPF_PROG_TEST_RUN (build/tests/bench_xdp, see tests/bench/bench_xdp.c),
# in a namespace of its own: lbside 10.0.0.1/16, backends 10.0.1.1-16 and
# the clients' gateway 10.0.0.254 as permanent neighbours, clients
# (10.128.0.0/9) routed through that gateway. Writes $BENCH_OUT/xdp.json.
set -euo pipefail
. "$(dirname "$0")/common.sh"
BIN=$XLB_ROOT/build/tests/bench_xdp
[ -x "$BIN" ] || { echo "part1: $BIN not built (make bench builds it)" >&2; exit 1; }
GW_MAC=02:00:0a:00:00:fe

ns_add lb
ns_add p
ip -n "$(ns lb)" link add lbside type veth peer name peerside netns "$(ns p)"
ip -n "$(ns lb)" addr add 10.0.0.1/16 dev lbside
ip -n "$(ns lb)" link set lbside up
ip -n "$(ns p)" link set peerside up
in_ns lb sysctl -qw net.ipv4.conf.lbside.forwarding=1
for i in $(seq 1 16); do
	ip -n "$(ns lb)" neigh replace "10.0.1.$i" dev lbside nud permanent \
		lladdr "$(printf '02:00:0a:00:01:%02x' "$i")"
done
ip -n "$(ns lb)" neigh replace 10.0.0.254 dev lbside nud permanent lladdr $GW_MAC
ip -n "$(ns lb)" route add 10.128.0.0/9 via 10.0.0.254 dev lbside
ifindex=$(ip -n "$(ns lb)" -o link show dev lbside 2>/dev/null | cut -d: -f1)

args=(--cpu "$SERVER_CPU")
[ -n "$QUICK" ] && args+=(--quick)
[ -n "${BENCH_XDP_FLOWS:-}" ] && args+=(--flows "$BENCH_XDP_FLOWS")
[ -n "${BENCH_XDP_RUNS:-}" ] && args+=(--runs "$BENCH_XDP_RUNS")
[ -n "${BENCH_XDP_REPEAT_NEW:-}" ] && args+=(--repeat-new "$BENCH_XDP_REPEAT_NEW")
# xdp.json: xlb as it is; xdp_prealloc.json: the same cases with the flows
# map preallocated (an EXPERIMENT: xlb uses BPF_F_NO_PREALLOC).
rc=0
for variant in "" _prealloc; do
	log "part 1: XDP per-packet cost (test_run, CPU $SERVER_CPU)${variant:+, EXPERIMENT: preallocated flows map}"
	extra=()
	[ -n "$variant" ] && extra=(--prealloc)
	pins=/sys/fs/bpf/xlb$XLB_TAG$variant
	_BENCH_CLEAN+=("rm -rf '$pins'")
	spawn lb "$BENCH_OUT/xdp$variant.log" env XLBB_PIN_DIR="$pins" "$BIN" \
		"$ifindex" "$GW_MAC" "$BENCH_OUT/xdp$variant.json" "${args[@]}" "${extra[@]}"
	pid=$LAST_PID
	wait "$pid" || rc=$?
	_PIDS=()
	cat "$BENCH_OUT/xdp$variant.log" >&2
done
exit $rc
