#!/usr/bin/env bash
# Counts never drift. Four client hosts on one segment, three servers on
# another; rounds of 150 connections at once doing random things (closed
# by the server, half-closed by the client, reset by the client early or
# late, aborted before the SYN-ACK), 50 more held and then abandoned (the
# client's link cut: no FIN, no RST ever), more rounds on top, expiry,
# and a last round raced by expiry passes that age everything. At every checkpoint each backend's counts are exactly
# the flow table's (tests/e2e/flowcheck.py: bpftool on the pinned maps,
# not xlb's own view); at the end every count is 0 and the table empty.
# XLB_SEED=N replays a run.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

SEED=${XLB_SEED:-$RANDOM}
echo "seed $SEED (XLB_SEED=$SEED replays this run)"

# Clients c1..c4 (10.78.1.101-104) behind a bridge on lb's eth0, servers
# s1..s3 (10.78.2.11-13) behind a bridge on lb's eth1.
ns_add lb
for side in csw sw; do
	ns_add "$side"
	ip -n "$(ns "$side")" link add br0 type bridge
	ip -n "$(ns "$side")" link set br0 up
done
link lb eth0 10.78.1.1/24 csw p-lb
link lb eth1 10.78.2.1/24 sw p-lb
ip -n "$(ns csw)" link set p-lb master br0
ip -n "$(ns sw)" link set p-lb master br0
for i in 1 2 3 4; do
	ns_add "c$i"
	link "c$i" eth0 "10.78.1.$((100 + i))/24" csw "p-c$i"
	ip -n "$(ns csw)" link set "p-c$i" master br0
done
for i in 1 2 3; do
	ns_add "s$i"
	link "s$i" eth0 "10.78.2.$((10 + i))/24" sw "p-s$i"
	ip -n "$(ns sw)" link set "p-s$i" master br0
done
VIP=10.78.1.1
LB_IFACES=(-i eth0 -i eth1)

for i in 1 2 3; do start_httpd "$i" 8000; done
cfg=$(tmpfile)
cat >"$cfg" <<EOC
frontend web
    bind $VIP:80
    default_backend pool
backend pool
    balance leastconn
    server s1 10.78.2.11:8000
    server s2 10.78.2.12:8000
    server s3 10.78.2.13:8000
EOC
start_xlb "$cfg"

RC=$XLB_ROOT/tests/e2e/randclients.py
checkpoint() { # $1 = what; $2 = expected active total (or -)
	local out
	out=$($PY "$XLB_ROOT/tests/e2e/flowcheck.py" "$XLB_PINS" 15) ||
		fail "$1: counts differ from the flow table: $out"
	ok "$1: counts = flow table ($out)"
	[ "$2" = - ] || expect_eq "$($PY -c 'import json,sys; print(json.loads(sys.argv[1])["active"])' "$out")" "$2" "$1: active total"
}
# Run one random round on c1..c3 (50 connections each) in the background.
mix_round() { # $1 = round
	MIX_OUT=()
	local i out
	for i in 1 2 3; do
		out=$(tmpfile)
		MIX_OUT+=("$out")
		spawn "c$i" "$out" "$PY" "$RC" mix "$VIP" 80 50 $((SEED * 10 + $1 * 3 + i))
		MIX_PIDS+=("$LAST_PID")
	done
}
mix_wait() { # $1 = 1 when client errors are expected (flows expired under them)
	local p f
	for p in "${MIX_PIDS[@]}"; do wait "$p" || fail "a client round failed"; done
	MIX_PIDS=()
	for f in "${MIX_OUT[@]}"; do
		$PY -c 'import json,sys
d = json.loads(open(sys.argv[1]).read())
print("  ", d["actions"], "errors:", len(d["errors"]), d["errors"][:3])
sys.exit(1 if d["errors"] and sys.argv[2] != "1" else 0)' "$f" "${1:-0}" ||
			fail "client errors (see above)"
	done
	ok "150 random connections finished"
}
MIX_PIDS=()

# Round 1: 150 random connections, and 50 held by c4 at the same time.
held=$(tmpfile)
spawn c4 "$held" "$PY" "$RC" hold "$VIP" 80 50 5
HOLD_PID=$LAST_PID
mix_round 1
wait_for 30 grep -q '^held 50' "$held" || fail "c4 did not open its 50 connections: $(cat "$held")"
ok "c4 holds 50 connections"
mix_wait
checkpoint "after round 1 (50 held)" 50
expect_eq "$(active_total)" 50 "xlb status agrees"

# c4 vanishes: its link first, so that nothing it sends gets out.
ip -n "$(ns c4)" link del eth0
kill -KILL "$HOLD_PID"
wait "$HOLD_PID" 2>/dev/null || true
ip netns del "$(ns c4)"
checkpoint "c4 gone without FIN or RST" 50
# The servers answer the held requests into the void (5 s): their FINs
# make the flows CLOSE_WAIT, still open, still counted.
sleep 6
checkpoint "after the servers' answers and FINs to nobody" 50

# Rounds 2..ROUNDS on top, with expiry passes in between (nothing is old
# enough to go).
for r in $(seq 2 "${XLB_ROUNDS:-4}"); do
	mix_round "$r"
	for _ in 1 2 3; do in_ns lb "$XLB" gc >/dev/null; sleep 0.3; done
	mix_wait
	checkpoint "after round $r (the abandoned 50 still open)" 50
done

# Expiry: every flow is older than any timeout 2000 s on.
out=$(in_ns lb "$XLB" gc --advance 2000)
grep -q ", 50 of them expired while open" <<<"$out" &&
	ok "expiry: $out" || fail "expiry did not find the 50 abandoned flows open: $out"
checkpoint "after expiry" 0

# A round under expiry passes that age everything by 1000 s, every 0.2 s:
# flows vanish under live connections (their clients see resets), expiry
# and the data path race on the same flows. The counts must still be the
# table's.
mix_round 99
for _ in $(seq 15); do in_ns lb "$XLB" gc --advance 1000 >/dev/null; sleep 0.2; done
mix_wait 1
checkpoint "after a round raced by expiry" -
in_ns lb "$XLB" gc --advance 2000 >/dev/null
checkpoint "after the last expiry" 0
out=$($PY "$XLB_ROOT/tests/e2e/flowcheck.py" "$XLB_PINS" 1)
expect_eq "$($PY -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["entries"], d["half_open"])' "$out")" "0 0" \
	"flow table empty, no half-open count left"
expect_eq "$(active_total)" 0 "xlb status: every count 0"
stop_xlb || fail "agent exit status"
