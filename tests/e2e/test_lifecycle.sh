#!/usr/bin/env bash
# The agent's life: attached through libxdp (xdp-loader sees it), maps
# pinned with BTF (bpftool prints field names), clear errors for bad input,
# a second agent refused, and a clean exit leaves nothing behind. Idle flows
# of vanished clients expire and give their counts back.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

topo_twoarm 1
start_httpd 1 8000
cfg=$(tmpfile)
cat >"$cfg" <<EOC
listen web
    bind *:80
    server s1 $(server_ip 1):8000
EOC

# Bad input first: each error names what is wrong.
bad=$(tmpfile)
printf 'listen web\n    bind *:80\n    server s1 %s:8000 wieght 3\n' "$(server_ip 1)" >"$bad"
msg=$(in_ns lb "$XLB" run -f "$bad" -i eth0 2>&1) && fail "bad config accepted"
grep -q "$bad:3: error: .*wieght" <<<"$msg" && ok "bad config: file:line and the word" || fail "bad config message: $msg"
msg=$(in_ns lb "$XLB" run -f "$cfg" -i eth9 2>&1) && fail "missing interface accepted"
grep -q "eth9: no such interface" <<<"$msg" && ok "missing interface named" || fail "iface message: $msg"
msg=$(in_ns lb "$XLB" run -f "$cfg" -i eth0 2>&1) && fail "unattached server interface accepted"
grep -q "not attached to: add -i eth1" <<<"$msg" && ok "server behind an unattached interface named" ||
	fail "route message: $msg"
[ ! -e "$XLB_PINS" ] && ok "failed starts leave no pins" || fail "pins left by a failed start"

start_xlb "$cfg"
# (Captured first: grep -q closing the pipe early would fail the pipeline.)
msg=$(in_ns lb xdp-loader status eth0 2>&1)
grep -q xlb_xdp <<<"$msg" && ok "xdp-loader status shows xlb_xdp" || fail "xdp-loader: $msg"
msg=$(bpftool map dump pinned $XLB_PINS/backends 2>&1)
grep -q '"weight": 1' <<<"$msg" && ok "bpftool prints named fields of a pinned map" ||
	fail "bpftool dump has no field names"
msg=$(bpftool map dump pinned $XLB_PINS/backend_names 2>&1)
grep -q '"server": "s1"' <<<"$msg" && ok "bpftool shows server names" || fail "no names in backend_names"
msg=$(in_ns lb "$XLB" run -f "$cfg" -i eth0 -i eth1 2>&1) && fail "second agent accepted"
grep -q "another xlb agent is running (pid $XLB_PID" <<<"$msg" && ok "second agent refused, naming the first" ||
	fail "second agent message: $msg"

# Clients that vanish without FIN or RST: their flows stay until expiry.
for i in 1 2 3; do in_ns c curl -s -m 10 "http://$VIP/hold/30" >/dev/null & done
wait_for 10 active_is 3 || true
expect_eq "$(active_total)" 3 "three held connections counted"
ip netns del "$(ns c)"	# the client host disappears
in_ns lb "$XLB" gc --advance 100 | grep -q "removed 0 flows" && ok "not expired before the timeout" ||
	fail "expired too early"
expect_eq "$(active_total)" 3 "counts kept while within the timeout"
in_ns lb "$XLB" gc --advance 1000 | grep -q "removed 3 flows, 3 of them expired while open" &&
	ok "expiry removed the three idle flows" || fail "expiry did not remove them"
expect_eq "$(active_total)" 0 "counts 0 after expiry"

stop_xlb && ok "agent exits 0 on SIGTERM" || fail "agent exit status"
[ ! -e "$XLB_PINS" ] && ok "pins removed" || fail "pins left in /sys/fs/bpf/xlb"
in_ns lb ip -o link show eth0 | grep -q xdp && fail "XDP still attached to eth0" || ok "eth0 detached"
in_ns lb ip -o link show eth1 | grep -q xdp && fail "XDP still attached to eth1" || ok "eth1 detached"
