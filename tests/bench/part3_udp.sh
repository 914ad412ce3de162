#!/usr/bin/env bash
# Benchmark part 3: forwarded packets per second for small UDP datagrams
# (18-byte payload: 60-byte frames), one sender core (sendmmsg, 16 source
# ports) on CLIENT_CPU, one receiver (recvmmsg) on SERVER_CPU: no balancer
# (client straight to s1), xlb (a udp@ service, generic XDP), nftables
# DNAT+masquerade. Counted: datagrams sent, frames that arrived at s1's
# interface (the path's output, whatever the receiving socket manages),
# datagrams the receiver got. Loss on the path = 1 - arrived / sent.
# Writes $BENCH_OUT/udp.json (and udp.raw.jsonl).
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$BENCH_DIR/e2e_lib.sh"

DUR=$(q 1 10)
REPS=${BENCH_UDP_REPS:-$(q 1 3)}
FLOWS=16
PAYLOAD=18
CANDS=${BENCH_UDP_CANDIDATES:-direct xlb nftables}
FLOOD=$XLB_ROOT/build/tests/udpflood
RAW=$BENCH_OUT/udp.raw.jsonl
: >"$RAW"

e2e_topology 1
CFG=$(tmpfile)
cat >"$CFG" <<EOF
defaults
    mode tcp
frontend dgram
    bind udp@10.78.1.1:9000
    default_backend dgram
backend dgram
    balance leastconn
    server s1 10.78.2.11:9000
EOF

# xlb's reason counters (forwarded, dropped...), from xlb status --json.
xlb_reasons() {
	xlb_status_json | $PY -c 'import json,sys
d=json.load(sys.stdin)
print(json.dumps(d.get("reasons", None)))' 2>/dev/null || echo null
}

# Frames received by s1 on interface $1.
rx_packets() {
	ip -n "$(ns s1)" -s -j link show dev "$1" | $PY -c 'import json,sys
print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'
}

one_run() {
	local cand=$1 rep=$2 target=$3 rlog slog busy0 busy1 xdp=null rpid
	local ifc=eth0 rx0 rx1
	[ "$cand" = direct ] && ifc=eth1
	rlog=$(tmpfile)
	slog=$(tmpfile)
	clear_state
	spawn s1 "$rlog" taskset -c "$SERVER_CPU" "$FLOOD" recv 9000 "$DUR"
	rpid=$LAST_PID
	wait_for 10 grep -q ready "$rlog" || { echo "bench: udp receiver did not start" >&2; return 1; }
	rx0=$(rx_packets $ifc)
	busy0=$(machine_busy_s)
	in_ns c taskset -c "$CLIENT_CPU" "$FLOOD" send "$target" 9000 "$DUR" "$FLOWS" "$PAYLOAD" >"$slog"
	busy1=$(machine_busy_s)
	wait "$rpid" || true
	rx1=$(rx_packets $ifc)
	[ "$cand" = xlb ] && xdp=$(xlb_reasons)
	$PY - "$slog" "$rlog" "$cand" "$rep" "$(sub "$busy1" "$busy0")" "$xdp" \
		$((rx1 - rx0)) >>"$RAW" <<'EOP'
import json, sys
s = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
r = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
d = {"candidate": sys.argv[3], "rep": int(sys.argv[4]), "sent": s["sent"],
     "seconds": s["seconds"], "received": r.get("received", 0),
     "arrived": int(sys.argv[7]),
     "machine_cpu_s": float(sys.argv[5]), "xdp": json.loads(sys.argv[6])}
print(json.dumps(d))
EOP
}

log "part 3: UDP forwarding, ${DUR}s per run, $REPS repetition(s): $CANDS"
for rep in $(seq 1 "$REPS"); do
	for cand in $CANDS; do
		log "  rep $rep: $cand"
		case $cand in
		direct) one_run direct "$rep" "$DIRECT_IP" ;;
		xlb)
			start_xlb "$CFG"
			one_run xlb "$rep" "$VIP"
			stop_xlb || true ;;
		nftables)
			start_nft "ip daddr $VIP udp dport 9000 dnat to 10.78.2.11"
			one_run nftables "$rep" "$VIP"
			stop_nft ;;
		esac
	done
done
$BLIB assemble-udp "$RAW" "$BENCH_OUT/udp.json" duration_s="$DUR" reps="$REPS" \
	flows="$FLOWS" payload_bytes="$PAYLOAD" frame_bytes=$((PAYLOAD + 42)) \
	sender="sendmmsg, 1 core (CPU $CLIENT_CPU)" receiver="recvmmsg, 1 core (CPU $SERVER_CPU)"
