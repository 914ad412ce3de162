#!/usr/bin/env bash
# TCP corner cases through a real xlb (tests/e2e/corners.py does the
# talking, with raw packets where the client's kernel must stay out):
# a SYN sent twice makes one flow counted once, half-open until the
# client's ACK; simultaneous close; the same client port again while its
# flow is in TIME_WAIT starts a fresh flow; RST in ESTABLISHED from either
# side; a stray ACK, and the next packet of an expired flow, get the
# kernel's RST (pass_no_flow). Then a flow table of 8 entries (--flows 8):
# the 5th connection is refused by a RST, counted, no count leaks; closed
# flows hold the table until they expire, unless a new flow of their
# backend takes their port over (4 NAT ports: --ports 2000-2003). Then a
# SYN flood over --syn-rate: dropped and counted, the half-open flows it
# left expire after 5 s. After each, the counts equal the flow table's.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

$PY -c 'import scapy' 2>/dev/null || { echo "SKIP: python3-scapy missing (make deps)" >&2; exit 77; }

topo_twoarm 1
start_httpd 1 8000
S1=$(server_ip 1)
for m in closer:8001 rst:8002 hold:8003; do
	spawn s1 "$(tmpfile)" "$PY" "$XLB_ROOT/tests/e2e/tcpsrv.py" "${m%:*}" "${m#*:}"
	wait_for 20 listening s1 "${m#*:}" || fail "tcpsrv ${m%:*} did not start"
done
cfg=$(tmpfile)
cat >"$cfg" <<EOC
frontend web
    bind $VIP:80
    default_backend web
backend web
    server web $S1:8000
listen closer
    bind $VIP:81
    server closer $S1:8001
listen rst
    bind $VIP:82
    server rst $S1:8002
listen hold
    bind $VIP:83
    server hold $S1:8003
EOC

export XLB PINS=$XLB_PINS VIP IFACE=eth0 CLIENT=10.78.1.100
# (Not from /sys/class/net: nsenter keeps the host's sysfs.)
LBMAC=$(ip -n "$(ns lb)" -br link show dev eth0 | awk '{print $3}')
export LBMAC
corners() {
	echo "$1:"
	in_ns c "$PY" "$XLB_ROOT/tests/e2e/corners.py" "$@" || fail "$1"
}

start_xlb "$cfg"
corners syn_retransmit
corners simultaneous_close
corners stray_ack
corners time_wait_reuse
corners rst_established
corners expired_flow
stop_xlb || fail "agent exit status"

start_xlb "$cfg" --flows 8 --ports 2000-2003
msg=$(bpftool -j map show pinned "$XLB_PINS/flows")
grep -q '"max_entries":8,' <<<"$msg" && ok "--flows 8 sizes the flows map" || fail "flows map: $msg"
corners table_full 4
stop_xlb || fail "agent exit status"

export SYN_RATE=20
start_xlb "$cfg" --syn-rate "$SYN_RATE"
corners flood 300
stop_xlb || fail "agent exit status"
