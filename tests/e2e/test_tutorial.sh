#!/usr/bin/env bash
# The tutorial's scenario: haproxy.cfg unmodified, three Flask apps (1 and 3
# slow), one L2 segment; a concurrent burst goes mostly to the fast app,
# every request is answered, and the counts return to 0. The requests
# leave 50 ms apart and are all in flight together (the slow apps take
# 5 s): a least-connection balancer can only prefer the fast app for
# requests that arrive after its earlier ones finished.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

topo_onearm 3
XLB_HOSTS=$(tmpfile)
for i in 1 2 3; do echo "$(server_ip $i) app$i"; done >"$XLB_HOSTS"
for i in 1 2 3; do spawn "s$i" "$(tmpfile)" "$PY" "$XLB_ROOT/compose/app$i.py"; done
for i in 1 2 3; do wait_for 20 listening "s$i" "500$i" || fail "app$i did not start"; done
start_xlb "$XLB_ROOT/compose/haproxy.cfg"

out=$(tmpfile)
pids=()
for i in $(seq 20); do
	in_ns c curl -s -m 20 "http://$VIP/" >>"$out" &
	pids+=($!)
	sleep 0.05
done
wait "${pids[@]}" || true
expect_eq "$(grep -o 'Hello' "$out" | wc -l)" 20 "every request of the burst answered"
fast=$(grep -o 'App 2' "$out" | wc -l)
[ "$fast" -gt 10 ] && ok "fast app took the clear majority ($fast of 20)" ||
	fail "fast app took only $fast of 20"
expect_active 0 "counts back to 0 after the burst"

# The host keeps working while attached: ping and a non-service port.
in_ns c ping -c1 -W2 "$VIP" >/dev/null && ok "ping to the balancer's address" || fail "ping to $VIP"
spawn lb "$(tmpfile)" "$PY" -m http.server 8080 --bind "$VIP"
wait_for 20 listening lb 8080 || fail "host http server did not start"
in_ns c curl -s -m 5 -o /dev/null "http://$VIP:8080/" && ok "a host service on a non-VIP port" ||
	fail "host service on port 8080 unreachable"
