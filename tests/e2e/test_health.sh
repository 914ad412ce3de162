#!/usr/bin/env bash
# Health checks as a user sees them: a dead server goes DOWN within `fall`
# checks (HAProxy's log line), takes no new connection while the others'
# connections go on, and comes back UP after `rise`; an HTTP check with a
# wrong status takes its server out (L7STS); with every server down a
# client is refused at once (RST); on-marked-down shutdown-sessions resets
# the connections of a server whose check fails.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

PINS=${XLB_PINS:-/sys/fs/bpf/xlb}

# httpd IDX PORT NAME [PATH=CODE...]: start one, its pid in LAST_PID.
httpd() {
	local i=$1 port=$2 log pid
	shift 2
	log=$(tmpfile)
	_TMPS+=("$log")	# (tmpfile ran in a subshell)
	spawn "s$i" "$log" "$PY" "$XLB_ROOT/tests/e2e/httpd.py" "$port" "$@"
	pid=$LAST_PID
	wait_for 20 listening "s$i" "$port" || fail "httpd s$i:$port did not start"
	LAST_PID=$pid
}

# A server's health field (status, check_status, check_code) as `xlb
# status --json` shows it; from the pinned server_state map (what status
# reads) when this status has no such field yet. srv_field BE SRV FIELD.
SRV_FIELD_PY=$(cat <<'EOP'
import json, subprocess, sys
pins, be, srv, field = sys.argv[1:5]
for v in json.load(sys.stdin)["services"]:
    for s in v["servers"]:
        if v["backend"] == be and s["name"] == srv and field in s:
            print(s[field])
            sys.exit(0)
def dump(m):
    return json.loads(subprocess.run(["bpftool", "map", "dump", "pinned",
        f"{pins}/{m}", "-j"], capture_output=True, check=True).stdout)
def val(e):
    return e.get("formatted", e)["value"]
def key(e):
    return e.get("formatted", e)["key"]
ids = [key(e) for e in dump("backend_names")
       if val(e)["in_use"] and val(e)["backend"] == be and val(e)["server"] == srv]
for e in dump("server_state"):
    if key(e) in ids:
        print(val(e)[field])
EOP
)
srv_field() { xlb_status_json | $PY -c "$SRV_FIELD_PY" "$PINS" "$@"; }
srv_is() { [ "$(srv_field "$1" "$2" "$3")" = "$4" ]; }

# Active count of a server of a backend, from xlb status --json.
be_active() {
	xlb_status_json | $PY -c 'import json,sys
d=json.load(sys.stdin)
print(sum(s["active"] for v in d["services"] if v["backend"]==sys.argv[1]
	  for s in v["servers"] if s["name"]==sys.argv[2]))' "$1" "$2"
}
be_active_is() { [ "$(be_active "$1" "$2")" = "$3" ]; }
# The data path's state word for a server (UP/DOWN/DRAIN).
be_state() {
	xlb_status_json | $PY -c 'import json,sys
d=json.load(sys.stdin)
print(" ".join(s["state"] for v in d["services"] if v["backend"]==sys.argv[1]
	  for s in v["servers"] if s["name"]==sys.argv[2]))' "$1" "$2"
}
rst_no_backend() {
	# (Named by status.c; "reason_11" until it has a name there.)
	xlb_status_json | $PY -c 'import json,sys
r=json.load(sys.stdin)["reasons"]
print(r.get("tx_rst_no_backend", r.get("reason_11", 0)))'
}
logged() { grep -qF -- "$1" "$XLB_LOG"; }
# The same, only in what the agent logged after line $1 (a server may
# have gone DOWN before, in an earlier case).
logged_since() { tail -n "+$(($1 + 1))" "$XLB_LOG" | grep -qF -- "$2"; }

topo_twoarm 3
declare -A PID
for i in 1 2 3; do httpd "$i" 8000 "s$i"; PID[s$i]=$LAST_PID; done
httpd 2 8002 h2 /health=503; PID[h2]=$LAST_PID	# fails its HTTP check
httpd 3 8001 chk3; PID[chk3]=$LAST_PID		# only answers k1's checks

cfg=$(tmpfile)
cat >"$cfg" <<EOC
defaults
    default-server inter 200 rise 2 fall 3
frontend web
    bind $VIP:80
    default_backend pool
backend pool
    balance leastconn
    server s1 $(server_ip 1):8000 check
    server s2 $(server_ip 2):8000 check
    server s3 $(server_ip 3):8000 check
frontend webh
    bind $VIP:81
    default_backend hpool
backend hpool
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    server h1 $(server_ip 1):8000 check
    server h2 $(server_ip 2):8002 check
    server h3 $(server_ip 3):8000 check
frontend webk
    bind $VIP:82
    default_backend kpool
backend kpool
    server k1 $(server_ip 3):8000 check port 8001 on-marked-down shutdown-sessions
EOC
start_xlb "$cfg"
for s in s1 s2 s3; do
	wait_for 5 srv_is pool "$s" check_status L4OK || fail "pool/$s: no passing TCP check"
done
ok "TCP checks pass on the three servers (L4OK)"
wait_for 5 srv_is hpool h1 check_status L7OK || fail "hpool/h1: no passing HTTP check"
wait_for 5 srv_is pool s1 status UP || fail "pool/s1 not at full health"

echo "1. a dead server goes DOWN, takes no new connection, comes back"
holds=()
for i in 1 2 3; do
	f=$(tmpfile); _TMPS+=("$f")
	in_ns c curl -s -m 20 "http://$VIP/hold/5" >"$f" 2>&1 &
	holds+=("$! $f")
done
wait_for 5 be_active_is pool s1 1 || fail "no held connection on s1"
wait_for 5 be_active_is pool s2 1 || fail "no held connection on s2"
t0=$(date +%s%N)
kill "${PID[s1]}"
wait_for 5 logged "server pool/s1 is DOWN" || fail "s1 not marked DOWN"
ms=$((($(date +%s%N) - t0) / 1000000))
# 3 checks 200 ms apart, the first up to 200 ms after the kill.
[ "$ms" -lt 1500 ] && ok "s1 DOWN ${ms} ms after its httpd died (fall 3, inter 200)" ||
	fail "s1 DOWN only after $ms ms"
line=$(grep -F "server pool/s1 is DOWN" "$XLB_LOG")
grep -qE 'reason: Layer4 connection problem, info: "Connection refused", check duration: [0-9]+ms, 2 active and 0 backup servers left' <<<"$line" &&
	ok "HAProxy's line: $line" || fail "DOWN line: $line"
expect_eq "$(be_state pool s1)" DOWN "xlb status shows s1 DOWN"
expect_eq "$(srv_field pool s1 check_status)" L4CON "s1's last check: L4CON"
out=$(tmpfile); _TMPS+=("$out")
for i in $(seq 30); do in_ns c curl -s -m 2 "http://$VIP/" >>"$out" || true; done
expect_eq "$(grep -c . "$out")" 30 "30 new connections answered"
expect_eq "$(grep -c s1 "$out" || true)" 0 "none of them reached s1"
expect_eq "$(grep -c s2 "$out") $(grep -c s3 "$out")" "15 15" \
	"s2 and s3 take turns (the down server's turn does not pass to its neighbour)"
for h in "${holds[@]}"; do
	wait "${h%% *}" || true
done
held=$(for h in "${holds[@]}"; do cat "${h#* }"; done | sort | tr '\n' ' ')
expect_eq "$held" "s2 s3 " "the held connections to s2 and s3 completed"
httpd 1 8000 s1; PID[s1]=$LAST_PID
wait_for 5 logged "server pool/s1 is UP" || fail "s1 not back UP"
grep -qE "server pool/s1 is UP, reason: Layer4 check passed, check duration: [0-9]+ms, 3 active and 0 backup servers online" "$XLB_LOG" &&
	ok "s1 UP again after rise 2 checks" || fail "UP line: $(grep -F 'pool/s1 is UP' "$XLB_LOG")"
: >"$out"
for i in $(seq 9); do in_ns c curl -s -m 2 "http://$VIP/" >>"$out" || true; done
expect_ge "$(grep -c s1 "$out" || true)" 1 "s1 takes new connections again (of 9)"

echo "2. HTTP check, expect status 200: a server answering 503 is DOWN"
wait_for 5 logged "server hpool/h2 is DOWN" || fail "h2 not marked DOWN"
line=$(grep -F "server hpool/h2 is DOWN" "$XLB_LOG")
grep -qF 'reason: Layer7 wrong status, code: 503, info: "Service Unavailable"' <<<"$line" &&
	ok "HAProxy's line: $line" || fail "DOWN line: $line"
expect_eq "$(srv_field hpool h2 check_status)/$(srv_field hpool h2 check_code)" L7STS/503 \
	"h2's last check: L7STS, code 503"
wait_for 5 srv_is hpool h1 check_status L7OK || true	# (s1 just came back)
expect_eq "$(srv_field hpool h1 check_status)/$(srv_field hpool h1 check_code)" L7OK/200 \
	"h1's last check: L7OK, code 200"
: >"$out"
for i in $(seq 10); do in_ns c curl -s -m 2 "http://$VIP:81/" >>"$out" || true; done
expect_eq "$(grep -c . "$out")" 10 "10 connections answered on the HTTP-checked pool"
expect_eq "$(grep -c h2 "$out" || true)" 0 "none reached h2"

echo "4. on-marked-down shutdown-sessions: a failing check resets held connections"
kerr=$(tmpfile); _TMPS+=("$kerr")
# Keepalive probes every second: an idle connection only learns of the
# reset when it next sends (XDP answers packets, it cannot send first).
in_ns c curl -sS -m 20 --keepalive-time 1 "http://$VIP:82/hold/15" >/dev/null 2>"$kerr" &
kpid=$!
wait_for 5 be_active_is kpool k1 1 || fail "no held connection on k1"
t0=$(date +%s%N)
kill "${PID[chk3]}"	# k1 itself (port 8000) keeps running
wait_for 5 logged "server kpool/k1 is DOWN" || fail "k1 not marked DOWN"
wait_for 1 be_active_is kpool k1 0 || fail "k1's active count still $(be_active kpool k1)"
ok "k1 DOWN, its active count dropped to 0 at once"
logged "server kpool/k1: 1 sessions shut down" && ok "agent logged the session shut down" ||
	fail "no shut-down line"
rc=0
wait "$kpid" || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
expect_eq "$rc" 56 "the held client got an error (curl exit 56) after ${ms} ms, not at 15 s"
grep -q "Connection reset by peer" "$kerr" && ok "curl: $(cat "$kerr")" || fail "curl said: $(cat "$kerr")"

echo "3. every server down: clients are refused at once"
before=$(rst_no_backend)
mark=$(wc -l <"$XLB_LOG")
for s in s1 s2 s3; do kill "${PID[$s]}"; done
for s in s1 s2 s3; do
	wait_for 5 logged_since "$mark" "server pool/$s is DOWN" || fail "pool/$s not DOWN"
done
tail -n "+$((mark + 1))" "$XLB_LOG" |
	grep -qE "server pool/s[123] is DOWN.*, 0 active and 0 backup servers left" &&
	ok "last server down: 0 active and 0 backup servers left" || fail "no '0 active' line"
err=$(tmpfile); _TMPS+=("$err")
t0=$(date +%s%N)
rc=0
in_ns c curl -sSv -m 5 "http://$VIP/" >/dev/null 2>"$err" || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
expect_eq "$rc" 7 "curl fails to connect (exit 7)"
grep -q "Connection refused" "$err" && ok "curl: $(grep -m1 "Connection refused" "$err")" ||
	fail "curl said: $(cat "$err")"
[ "$ms" -lt 500 ] && ok "refused in $ms ms (a RST, not a timeout)" || fail "refused only after $ms ms"
after=$(rst_no_backend)
[ "$after" -gt "$before" ] && ok "tx_rst_no_backend counted ($before -> $after)" ||
	fail "tx_rst_no_backend did not increase ($before -> $after)"

stop_xlb && ok "agent exits 0" || fail "agent exit status"
