#!/usr/bin/env bash
# Assertions for the end-to-end tests: each prints what it checked; the
# first failure ends the test with the reason (and cleanup runs).
CHECKS=0
ok() { CHECKS=$((CHECKS + 1)); echo "  ok: $*"; }
fail() { echo "  FAIL: $*" >&2; [ -n "${XLB_LOG:-}" ] && { echo "  --- agent log:" >&2; grep -v '^lib' "$XLB_LOG" | tail -20 >&2; }; exit 1; }
expect_eq() { [ "$1" = "$2" ] && ok "$3 ($1)" || fail "$3: expected $2, got $1"; }
expect_ge() { [ "$1" -ge "$2" ] && ok "$3 ($1 >= $2)" || fail "$3: expected >= $2, got $1"; }

# Poll until active_total reaches $1 (the last FINs may trail the clients).
expect_active() {
	local want=$1 got i
	for i in $(seq 50); do
		got=$(active_total)
		[ "$got" = "$want" ] && break
		sleep 0.1
	done
	expect_eq "$got" "$want" "${2:-active connections}"
}

active_is() { [ "$(active_total)" = "$1" ]; }

# Active count of server $1 (by name) from xlb status --json.
server_active() {
	xlb_status_json | $PY -c 'import json,sys
d=json.load(sys.stdin)
print(sum(s["active"] for v in d["services"] for s in v["servers"] if s["name"]==sys.argv[1]))' "$1"
}

start_httpd() { # $1 = server index, $2 = port
	spawn "s$1" "$(tmpfile)" "$PY" "$XLB_ROOT/tests/e2e/httpd.py" "$2" "s$1"
	wait_for 20 listening "s$1" "$2" || fail "httpd s$1 did not start"
}

# A UDP echo server (udpecho.py) on server $1: family $2 (4 or 6), port $3,
# answers prefixed with "$4 " if given.
start_udpecho() {
	spawn "s$1" "$(tmpfile)" "$PY" "$XLB_ROOT/tests/e2e/udpecho.py" serve "$2" "$3" ${4:+"$4"}
}
