#!/usr/bin/env bash
# The runtime API on the stats socket, with traffic running: `show stat`
# (HAProxy's CSV) with the right counts; drain, ready, maint; del server
# (refused while a connection is open); add server + enable server;
# weight 0; reload of a broken file (refused, nothing changes) and of a
# good one (applied); SIGHUP. No request fails and no held connection
# breaks through any of it.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

topo_twoarm 4
for i in 1 2 3 4; do start_httpd "$i" 8000; done
SOCK_DIR=/run/xlb-test-$$
SOCK=$SOCK_DIR/xlb.sock
# Our files in one folder (lib.sh's tmpfile, called in $(...), cannot
# remember them for its cleanup).
WORK=$(mktemp -d /tmp/xlb-runtime.XXXXXX)
tmp() { mktemp "$WORK/f.XXXXXX"; }
running=$WORK/running	# the background traffic runs while it exists
trap 'rm -f "$running"; cleanup; rm -rf "$SOCK_DIR" "$WORK"' EXIT

cfg=$(tmp)
# $1: the pool's server lines (s4 stays out: it is added at runtime).
write_cfg() {
	cat >"$cfg" <<EOC
global
    stats socket $SOCK
frontend web
    bind $VIP:80
    default_backend pool
backend pool
    balance leastconn
$1
EOC
}
write_cfg "    server s1 $(server_ip 1):8000
    server s2 $(server_ip 2):8000
    server s3 $(server_ip 3):8000"
start_xlb "$cfg"

ctl() { "$XLB" ctl -s "$SOCK" "$@"; }
expect_has() { # text, needle, what
	case "$1" in *"$2"*) ok "$3" ;; *) fail "$3: '$2' not in: $1" ;; esac
}
# One field of one row of `show stat` (pxname default pool).
stat_get() { # svname field [pxname]
	ctl show stat | $PY -c '
import csv, sys
lines = sys.stdin.read().splitlines()
head = lines[0][2:].split(",")
for row in csv.reader(lines[1:]):
    d = dict(zip(head, row))
    if row and d["pxname"] == sys.argv[3] and d["svname"] == sys.argv[1]:
        print(d[sys.argv[2]])
        break
else:
    print("<no row>")' "$1" "$2" "${3:-pool}"
}
stat_rows() { # the "pxname/svname" of every row, space-separated
	ctl show stat | $PY -c '
import csv, sys
lines = sys.stdin.read().splitlines()
print(" ".join(r[0] + "/" + r[1] for r in csv.reader(lines[1:]) if r))'
}
# A raw client, as `socat stdio SOCKET` would be: sends $1 as is, does not
# shut its side, and expects the agent to answer and close.
raw() {
	$PY -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
out = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        out += d
    out += b"<EOF>"
except socket.timeout:
    out += b"<TIMEOUT>"
sys.stdout.write(out.decode())' "$SOCK" "$1"
}

# ---- the socket itself
expect_eq "$(stat -c %a "$SOCK")" 600 "socket $SOCK created with mode 0600"
out=$(raw $'show servers state pool;get weight pool/s1\n')
expect_has "$out" $'\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state' \
	"non-interactive client: 'show servers state' answered"
expect_has "$out" $'1 (initial 1)\n\n<EOF>' "';' runs a second command on the same line; the agent closes after the line"
expect_has "$(raw $'bogus\n')" "Unknown command. Please enter one of the following commands only:" \
	"unknown command answered with HAProxy's words"

# ---- show stat after known traffic
answers=$(tmp)
for i in $(seq 30); do in_ns c curl -s -m 5 "http://$VIP/" >>"$answers"; done
expect_eq "$(grep -c . "$answers")" 30 "30 sequential requests answered"
csv=$(ctl show stat)
expect_has "$(head -1 <<<"$csv")" "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration," \
	"show stat header is HAProxy's"
expect_has "$(head -1 <<<"$csv")" ",last_chk," "header goes on to HAProxy 2.6's later fields"
$PY -c '
import csv, sys
lines = sys.argv[1].splitlines()
head = lines[0][2:].split(",")
rows = [r for r in csv.reader(lines[1:]) if r]
assert all(len(r) == len(head) for r in rows), "field counts differ"
' "$csv" && ok "every row has as many fields as the header" || fail "ragged CSV"
expect_eq "$(stat_rows)" "web/FRONTEND pool/s1 pool/s2 pool/s3 pool/BACKEND" "one row per proxy and server"
for s in s1 s2 s3; do
	n=$(grep -c "^$s\$" "$answers" || true)
	expect_eq "$(stat_get $s stot)" "$n" "stot of $s = the requests it answered"
	expect_eq "$(stat_get $s lbtot)" "$n" "lbtot of $s"
done
expect_eq "$(stat_get FRONTEND stot web)" 30 "FRONTEND stot"
expect_eq "$(stat_get BACKEND stot)" 30 "BACKEND stot"
expect_eq "$(stat_get s1 status) $(stat_get s1 weight) $(stat_get s1 act) $(stat_get s1 bck) $(stat_get s1 type)" \
	"no check 1 1 0 2" "server row: status, weight, act, bck, type"
expect_eq "$(stat_get BACKEND status) $(stat_get BACKEND weight) $(stat_get BACKEND act) $(stat_get BACKEND type)" \
	"UP 3 3 1" "BACKEND row: status, weight, act, type"
expect_eq "$(stat_get FRONTEND status web) $(stat_get FRONTEND type web)" "OPEN 0" "FRONTEND row"
[ "$(stat_get s1 bin)" -gt 0 ] && [ "$(stat_get s1 bout)" -gt 0 ] &&
	ok "bin/bout count bytes both ways" || fail "bin/bout: $(stat_get s1 bin)/$(stat_get s1 bout)"

pids=()
for i in $(seq 6); do
	in_ns c curl -s -m 30 "http://$VIP/hold/4" >/dev/null &
	pids+=($!)
done
wait_for 10 active_is 6 || true
expect_eq "$(stat_get s1 scur) $(stat_get s2 scur) $(stat_get s3 scur)" "2 2 2" "scur of each server with 6 held connections"
expect_eq "$(stat_get BACKEND scur) $(stat_get FRONTEND scur web)" "6 6" "BACKEND and FRONTEND scur"
wait "${pids[@]}" && ok "the 6 held connections completed" || fail "a held connection failed"
expect_active 0 "counts back to 0"
expect_eq "$(stat_get s1 smax)" 2 "smax of s1"

# ---- traffic from here on: a loop of requests in the background
traffic=$(tmp)
touch "$running"
(
	while [ -e "$running" ]; do
		in_ns c curl -s -m 3 "http://$VIP/" >>"$traffic" 2>/dev/null || echo FAIL >>"$traffic"
		sleep 0.02
	done
) >/dev/null 2>&1 &
traffic_pid=$!
lines() { wc -l <"$traffic"; }
# Wait for $1 more answers than line $2 and print those answers.
answers_after() { # count from
	local want=$(( $2 + $1 ))
	for _ in $(seq 200); do [ "$(lines)" -ge "$want" ] && break; sleep 0.05; done
	tail -n +"$(( $2 + 1 ))" "$traffic" | head -n "$1"
}
saw_after() { tail -n +"$(( $2 + 1 ))" "$traffic" | grep -q "^$1\$"; }

# A connection held on one server: the others drained for a moment.
hold_on() { # server seconds outfile
	local s
	for s in $(ctl show servers state pool | awk 'NR > 2 { print $4 }'); do
		[ "$s" = "$1" ] || ctl set server "pool/$s" state drain
	done
	in_ns c curl -s -m 30 "http://$VIP/hold/$2" >"$3" &
	HOLD_PID=$!
	sleep 0.5
	for s in $(ctl show servers state pool | awk 'NR > 2 { print $4 }'); do
		[ "$s" = "$1" ] || ctl set server "pool/$s" state ready
	done
}
scur_is() { [ "$(stat_get "$1" scur)" = "$2" ]; }
held_ok() { # pid outfile server what
	wait "$1" && [ "$(cat "$2")" = "$3" ] && ok "$4" || fail "$4: exit/answer '$(cat "$2")'"
}

# ---- drain
h1=$(tmp)
hold_on s1 8 "$h1"
wait_for 5 scur_is s1 1 || true
expect_eq "$(stat_get s1 scur)" 1 "a connection held on s1"
expect_eq "$(ctl set server pool/s1 state drain)" "" "set server pool/s1 state drain: empty answer"
expect_eq "$(stat_get s1 status)" DRAIN "s1 shows DRAIN"
expect_eq "$(ctl show servers state pool | awk '$4 == "s1" { print $6, $7 }')" "2 8" \
	"show servers state: s1 running, admin FDRAIN (8)"
expect_eq "$(stat_get BACKEND act)" 2 "BACKEND act counts 2 usable servers"
sleep 0.3
from=$(lines)
got=$(answers_after 40 "$from")
expect_eq "$(grep -c . <<<"$got")" 40 "40 new requests answered while s1 drains"
expect_eq "$(grep -c '^s1$' <<<"$got" || true)" 0 "no new connection reached s1 while draining"
held_ok "$HOLD_PID" "$h1" s1 "the connection held on s1 completed through the drain"

# ---- ready
ctl set server pool/s1 state ready
expect_eq "$(stat_get s1 status)" "no check" "s1 ready again"
from=$(lines)
wait_for 10 saw_after s1 "$from" && ok "s1 takes new connections again" || fail "s1 got no traffic after ready"

# ---- maint, then del server
h2=$(tmp)
hold_on s1 5 "$h2"
ctl set server pool/s1 state maint
expect_eq "$(stat_get s1 status)" MAINT "s1 in MAINT"
expect_eq "$(ctl del server pool/s1)" "Server still has connections attached to it, cannot remove it." \
	"del server refused while s1 has a connection"
expect_eq "$(ctl del server pool/s2)" "Only servers in maintenance mode can be deleted." \
	"del server refused for a server not in maintenance"
held_ok "$HOLD_PID" "$h2" s1 "the connection held on s1 completed in maintenance"
wait_for 10 scur_is s1 0 || true
expect_eq "$(stat_get s1 scur)" 0 "s1 has no connection left"
expect_eq "$(ctl del server pool/s1)" "Server deleted." "del server accepted once it closed"
expect_eq "$(stat_rows)" "web/FRONTEND pool/s2 pool/s3 pool/BACKEND" "s1 gone from show stat"
expect_eq "$(ctl show servers state | grep -c ' s1 ' || true)" 0 "s1 gone from show servers state"

# ---- add server
out=$(ctl add server pool/s4 "$(server_ip 4):8000")
expect_eq "$out" "New server registered." "add server pool/s4"
expect_eq "$(stat_get s4 status) $(stat_get s4 stot)" "MAINT 0" "s4 starts in maintenance, with fresh counters"
expect_eq "$(ctl add server pool/s4 "$(server_ip 4):8000")" \
	"Already exists a server with the same name in backend." "a second add server pool/s4 refused"
expect_eq "$(ctl add server pool/s5 10.99.99.99:8000 2>&1 | head -1)" \
	"No route to 10.99.99.99: Network is unreachable." "add server without a route refused"
from=$(lines)
sleep 0.5
expect_eq "$(tail -n +"$((from + 1))" "$traffic" | grep -c '^s4$' || true)" 0 "no traffic to s4 in maintenance"
ctl enable server pool/s4
from=$(lines)
wait_for 10 saw_after s4 "$from" && ok "enable server pool/s4: it takes traffic" || fail "s4 got no traffic"

# ---- weight 0
expect_eq "$(ctl set server pool/s2 weight 0)" "" "set server pool/s2 weight 0"
expect_eq "$(ctl get weight pool/s2)" "0 (initial 1)" "get weight pool/s2"
expect_eq "$(ctl set server pool/s2 weight 300)" "Absolute weight can only be between 0 and 256 inclusive." \
	"weight 300 refused"
sleep 0.3
from=$(lines)
got=$(answers_after 40 "$from")
expect_eq "$(grep -c '^s2$' <<<"$got" || true)" 0 "no new flow to s2 at weight 0"
expect_ge "$(grep -c '^s4$' <<<"$got" || true)" 1 "s4 shares the load"

# ---- reload: a broken file
rows_before=$(stat_rows)
write_cfg "    server s2 $(server_ip 2):8000
    server s3 $(server_ip 3):8000 bogus-option"
set +e
out=$("$XLB" reload -s "$SOCK" 2>&1)
rc=$?
set -e
expect_eq "$rc" 1 "xlb reload of a broken file exits 1"
expect_has "$out" "$cfg:9:" "the answer names file:line"
expect_has "$out" "unchanged" "the answer says the running configuration is unchanged"
expect_eq "$(stat_rows)" "$rows_before" "show stat has the same rows"
expect_eq "$(stat_get s4 status) $(stat_get s2 weight)" "no check 0" "runtime state kept (s4 enabled, s2 at weight 0)"
from=$(lines)
got=$(answers_after 30 "$from")
expect_eq "$(grep -c '^s[12]$' <<<"$got" || true)" 0 "traffic still avoids s1 (deleted) and s2 (weight 0)"
expect_ge "$(grep -c '^s[34]$' <<<"$got" || true)" 30 "traffic still goes to s3 and s4"

# ---- reload: a good file (every weight 2: s2 off its runtime 0; s1 back;
# s4 now in the file). Equal weights: sequential requests rotate.
h3=$(tmp)
hold_on s3 4 "$h3"
write_cfg "    server s1 $(server_ip 1):8000 weight 2
    server s2 $(server_ip 2):8000 weight 2
    server s3 $(server_ip 3):8000 weight 2
    server s4 $(server_ip 4):8000 weight 2"
expect_eq "$("$XLB" reload -s "$SOCK")" "Reloaded." "xlb reload of the changed file"
expect_eq "$(stat_rows)" "web/FRONTEND pool/s1 pool/s2 pool/s3 pool/s4 pool/BACKEND" "s1 back in show stat"
expect_eq "$(ctl get weight pool/s2)" "2 (initial 2)" "s2 reweighted by the file"
expect_eq "$(stat_get s4 status)" "no check" "s4 kept its runtime state"
from=$(lines)
wait_for 10 saw_after s1 "$from" && ok "s1 takes traffic after the reload" || fail "no traffic to s1"
wait_for 10 saw_after s2 "$from" && ok "s2 takes traffic after the reload" || fail "no traffic to s2"
held_ok "$HOLD_PID" "$h3" s3 "a connection held across the reload completed"

# ---- SIGHUP reloads too
sed -i "s/^\(    server s3 .*:8000\) weight 2\$/\1 weight 3/" "$cfg"
kill -HUP "$XLB_PID"
s3_reweighted() { [ "$(ctl get weight pool/s3)" = "3 (initial 3)" ]; }
wait_for 10 s3_reweighted &&
	ok "SIGHUP reloaded the file (s3 weight 3)" || fail "SIGHUP: $(ctl get weight pool/s3)"

# ---- end
rm -f "$running"
wait "$traffic_pid" || true
expect_eq "$(grep -c FAIL "$traffic" || true)" 0 "no request failed in $(lines) made during all the changes"
stop_xlb || true
[ ! -e "$SOCK" ] && ok "socket removed at stop" || fail "$SOCK left behind"
set +e
out=$("$XLB" ctl -s "$SOCK" show stat 2>&1)
rc=$?
set -e
expect_eq "$rc" 1 "xlb ctl without an agent exits 1"
expect_has "$out" "xlb: no running xlb agent at $SOCK:" "and says so"
echo "$CHECKS checks passed"
