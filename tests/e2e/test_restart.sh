#!/usr/bin/env bash
# Hitless agent restart: the data path runs on its own when the agent is
# killed (SIGKILL) or exits with --keep; the next agent adopts the pinned
# maps and the attached program (swapped in place), so long-lived
# connections opened before never notice, and the counts stay exact.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

topo_twoarm 2
for i in 1 2; do start_httpd "$i" 8000; done
cfg=$(tmpfile)
cat >"$cfg" <<EOC
frontend web
    bind $VIP:80
    default_backend pool
backend pool
    balance leastconn
    server s1 $(server_ip 1):8000
    server s2 $(server_ip 2):8000
EOC

held() { # $1 = seconds; a connection opened now and held that long
	in_ns c curl -sf -m 60 -o /dev/null -w '%{http_code}' "http://$VIP/hold/$1" >"$(tmpfile)" &
	HELD+=($!)
}
HELD=()

start_xlb "$cfg"
held 8
held 8
wait_for 10 active_is 2 || fail "two held connections not counted"
ok "two long-lived connections open and counted"

# 1. SIGKILL: nothing runs at exit; the program and pins stay.
kill -KILL "$XLB_PID"; wait "$XLB_PID" 2>/dev/null || true
msg=$(in_ns lb ip -o link show eth0)
grep -q xdp <<<"$msg" && ok "program still attached after SIGKILL" || fail "program gone after SIGKILL"
[ -e $XLB_PINS/flows ] && ok "maps still pinned" || fail "pins gone"
expect_eq "$(active_total)" 2 "counts readable with no agent (xlb status)"
out=$(in_ns c curl -s -m 5 "http://$VIP/")
[ -n "$out" ] && ok "new connections served with no agent running ($out)" || fail "no service without agent"

start_xlb "$cfg"
grep -q "replaced the running xlb program" "$XLB_LOG" && ok "new agent swapped its program in place" ||
	fail "no in-place replace"
grep -q "counts match the flow table" "$XLB_LOG" && ok "adopted counts match the flow table" ||
	fail "counts did not match: $(grep counts "$XLB_LOG")"
expect_eq "$(active_total)" 2 "two connections still counted after restart"

# 2. --keep: a clean exit that leaves the data path running. (A plain
# SIGTERM would detach: kill this agent too, and start one with --keep.)
kill -KILL "$XLB_PID"; wait "$XLB_PID" 2>/dev/null || true
start_xlb "$cfg" --keep
held 6
wait_for 10 active_is 3 || fail "third held connection not counted"
ok "a third long-lived connection counted (3)"
kill -TERM "$XLB_PID"; wait "$XLB_PID" 2>/dev/null || true
grep -q "leaving the program attached" "$XLB_LOG" && ok "--keep exit leaves the data path" || fail "--keep message"
[ -e $XLB_PINS/flows ] && ok "pins kept by --keep" || fail "pins removed despite --keep"
msg=$(in_ns lb ip -o link show eth1)
grep -q xdp <<<"$msg" && ok "program still attached after --keep" || fail "detached despite --keep"
start_xlb "$cfg"
expect_eq "$(active_total)" 3 "three connections counted by the third agent"

for p in "${HELD[@]}"; do
	wait "$p" || fail "a held connection failed across the restarts"
done
ok "all ${#HELD[@]} long-lived connections completed across the restarts"
expect_active 0 "counts back to 0 after they closed"
stop_xlb && ok "final agent exits cleanly" || fail "exit status"
[ ! -e "$XLB_PINS" ] && ok "pins removed at the final exit" || fail "pins left"
