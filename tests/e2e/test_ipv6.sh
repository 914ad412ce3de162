#!/usr/bin/env bash
# IPv6 through a real xlb (issue #4), two arms (client net fd78:1::/64 on
# lb's eth0, server net fd78:2::/64 on eth1: XDP_REDIRECT between them),
# with IPv4 services of the same frontend ports beside the IPv6 ones:
# 1. an IPv6 VIP with leastconn: with connections held open on two
#    servers, every new connection goes to the third; the held ones
#    complete; the flow table holds family-6 entries meanwhile;
# 2. IPv4 and IPv6 side by side in one config: the same port on both
#    VIPs, each family to its own servers, at the same time;
# 3. UDP over IPv6: datagrams from several client ports echoed back
#    through xlb, each a family-6 UDP flow on one of the servers;
# 4. ping6 to the VIPs answered by the XDP program (tx_icmp_echo); to
#    the balancer's link-local address (no VIP), by its kernel;
# 5. `bind :::PORT`: every global IPv6 address of the attached
#    interfaces, and no IPv4 one;
# then the counts: TCP back to 0 once every connection closed (xlb status
# and HAProxy's `show stat` on the stats socket), and the counts equal to
# the flow table's (bpftool, tests/e2e/flowcheck.py) with the UDP flows
# still there. Path MTU discovery over IPv6: test_ipv6_pmtu.sh.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

topo_twoarm 3
# Another IPv6 address of the balancer, not a VIP.
addr6 lb eth0 fd78:1::2/64
for i in 1 2 3; do start_httpd "$i" 8000; done
for i in 1 2 3; do start_udpecho "$i" 6 5353 "s$i"; done
SOCK_DIR=$(mktemp -d /tmp/xlb-v6sock.XXXXXX)
_TMPS+=("$SOCK_DIR")
SOCK=$SOCK_DIR/xlb.sock

cfg=$(tmpfile)
cat >"$cfg" <<EOC
global
    stats socket $SOCK
frontend web
    bind [$VIP6]:80
    bind $VIP:80
    default_backend pool
frontend dns
    bind udp@[$VIP6]:5353
    default_backend dns
frontend any6
    bind :::8080
    default_backend any6
backend pool
    balance leastconn
    server s1 [$(server_ip6 1)]:8000
    server s2 $(server_ip6 2):8000
    server s3 [$(server_ip6 3)]:8000
    server v1 $(server_ip 1):8000
    server v2 $(server_ip 2):8000
    server v3 $(server_ip 3):8000
backend any6
    server a1 [$(server_ip6 1)]:8000
backend dns
    balance leastconn
    server d1 [$(server_ip6 1)]:5353
    server d2 [$(server_ip6 2)]:5353
    server d3 [$(server_ip6 3)]:5353
EOC
"$XLB" check -f "$cfg" >/dev/null || fail "xlb check refuses the IPv6 configuration"
ok "xlb check accepts [addr]:port, addr:port and :::port binds and servers"
start_xlb "$cfg"
for f in eth0 eth1; do
	expect_eq "$(in_ns lb cat "/proc/sys/net/ipv6/conf/$f/forwarding")" 1 \
		"net.ipv6.conf.$f.forwarding on while xlb runs"
done

# Active count of server $2 of backend $1 on the services of family $3
# (4 or 6: by the VIP's form), from xlb status --json.
sactive() {
	xlb_status_json | $PY -c 'import json,sys
d=json.load(sys.stdin)
be, name, fam = sys.argv[1:4]
print(sum(s["active"] for v in d["services"] if v["backend"] == be
          and all(("[" in a) == (fam == "6") for a in v["vips"])
          for s in v["servers"] if s["name"] == name))' "$1" "$2" "$3"
}
sactive_is() { [ "$(sactive "$@")" = "$4" ]; }
# New flows of frontend $1's service of family $2.
new_flows() {
	xlb_status_json | $PY -c 'import json,sys
d=json.load(sys.stdin)
fe, fam = sys.argv[1:3]
print(sum(v["new_flows"] for v in d["services"] if v["frontend"] == fe
          and all(("[" in a) == (fam == "6") for a in v["vips"])))' "$1" "$2"
}
# Live connections of family $1 (4 or 6) and protocol $2 (6 tcp, 17
# udp) in the flow table: forward entries holding a count (closed ones
# stay until they expire), each with its reply entry of the same family.
conns() {
	bpftool -j map dump pinned "$XLB_PINS/flows" | $PY -c 'import json,sys
fam, proto = int(sys.argv[1]), int(sys.argv[2])
es = [e["formatted"] for e in json.load(sys.stdin)]
keys = {(tuple(e["key"]["src"]["a"]), tuple(e["key"]["dst"]["a"]), e["key"]["sport"],
         e["key"]["dport"], e["key"]["proto"], e["key"]["family"]) for e in es}
n = 0
for e in es:
    k, v = e["key"], e["value"]
    if k["family"] != fam or k["proto"] != proto or v["dir"] != 0 or not v["counted"]:
        continue
    peer = (tuple(v["nat_dst"]["a"]), tuple(v["nat_src"]["a"]), v["nat_dport"],
            v["nat_sport"], k["proto"], v["family"])
    n += v["family"] == fam and peer in keys
print(n)' "$1" "$2"
}
get6() { in_ns c curl -sS -m 10 "http://[$VIP6]$1"; }

echo "1. leastconn over IPv6"
out=$(tmpfile)
get6 / >"$out" || fail "no answer from http://[$VIP6]/"
grep -qx 's[123]' "$out" && ok "http://[$VIP6]/ answered by $(cat "$out") over IPv6" ||
	fail "answer: $(cat "$out")"
expect_active 0 "the request's connection closed: count back to 0"
HOLD=6
[ -n "${XLBT_TCG:-}" ] && HOLD=30
holds=()
for i in 1 2; do
	f=$(tmpfile)
	in_ns c curl -s -m $((HOLD + 20)) "http://[$VIP6]/hold/$HOLD" >"$f" 2>&1 &
	holds+=("$! $f")
	wait_for 5 active_is "$i" || fail "held connection $i not counted"
done
idle=
for s in s1 s2 s3; do
	[ "$(sactive pool "$s" 6)" = 0 ] && idle="$idle$s"
done
[ ${#idle} = 2 ] && ok "two held connections on two servers, $idle idle" ||
	fail "held connections: s1 $(sactive pool s1 6), s2 $(sactive pool s2 6), s3 $(sactive pool s3 6)"
expect_eq "$(conns 6 6)" 2 "the flow table holds them as 2 family-6 TCP flows (both entries)"
: >"$out"
for i in $(seq 9); do get6 / >>"$out" || true; done
expect_eq "$(grep -c . "$out") $(grep -c "^$idle\$" "$out" || true)" "9 9" \
	"9 new connections while the others are held: all to the idle $idle"

echo "2. IPv4 and IPv6 side by side"
f4=$(tmpfile)
in_ns c curl -s -m $((HOLD + 20)) "http://$VIP/hold/$HOLD" >"$f4" 2>&1 &
holds+=("$! $f4")
wait_for 5 active_is 3 || fail "the IPv4 held connection is not counted"
a4="$(sactive pool v1 4) $(sactive pool v2 4) $(sactive pool v3 4)"
a46="$(sactive pool s1 4)$(sactive pool s2 4)$(sactive pool s3 4) $(sactive pool v1 6)$(sactive pool v2 6)$(sactive pool v3 6)"
expect_eq "$(tr -d ' ' <<<"$a4" | grep -o 1 | wc -l) $a46" "1 000 000" \
	"the IPv4 connection on an IPv4 server ($a4), none across families"
: >"$out"
n4=$(new_flows web 4)
n6=$(new_flows web 6)
for i in $(seq 6); do
	in_ns c curl -s -m 5 "http://$VIP/" | sed 's/^/v4 /' >>"$out" || true
	get6 / | sed 's/^/v6 /' >>"$out" || true
done
expect_eq "$(grep -c '^v4 s[123]$' "$out") $(grep -c '^v6 s[123]$' "$out")" "6 6" \
	"interleaved on the same port: 6 requests to $VIP, 6 to [$VIP6], all answered"
expect_eq "$(( $(new_flows web 4) - n4 )) $(( $(new_flows web 6) - n6 ))" "6 6" \
	"6 new flows on the IPv4 service, 6 on the IPv6 one"
expect_eq "$(grep -c "^v6 $idle\$" "$out")" 6 "the IPv6 ones still all to the idle $idle"
for h in "${holds[@]}"; do
	wait "${h%% *}" || true
done
held=$(for h in "${holds[@]}"; do cat "${h#* }"; done | sort | tr '\n' ' ')
case "$held" in
"s"[123]" s"[123]" s"[123]" ") ok "the held connections completed: $held" ;;
*) fail "held connections answered: '$held'" ;;
esac
expect_active 0 "every connection closed: counts back to 0 (xlb status)"
cur=$("$XLB" ctl -s "$SOCK" show stat | $PY -c '
import csv, sys
lines = sys.stdin.read().splitlines()
head = lines[0][2:].split(",")
print(sum(int(d["scur"] or 0) for d in (dict(zip(head, r)) for r in csv.reader(lines[1:]) if r)
          if d["svname"] not in ("FRONTEND", "BACKEND")))')
expect_eq "$cur" 0 "show stat: scur 0 on every server"

echo "3. UDP over IPv6"
got=$(in_ns c "$PY" - "$VIP6" <<'EOP'
import socket, sys
answers = []
for i in range(6):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.settimeout(2)
    for _ in range(3):
        s.sendto(b"ping%d" % i, (sys.argv[1], 5353))
        try:
            d, a = s.recvfrom(2048)
        except socket.timeout:
            continue
        if a[0] == sys.argv[1] and a[1] == 5353 and d.endswith(b" ping%d" % i):
            answers.append(d.split()[0].decode())
        break
print(len(answers), len(set(answers)))
EOP
)
expect_eq "$got" "6 3" "6 datagrams from 6 ports, each answered from [$VIP6]:5353; the 3 servers share them"
expect_eq "$(conns 6 17)" 6 "6 UDP flows of family 6 in the table (both entries each)"
expect_eq "$(sactive dns d1 6) $(sactive dns d2 6) $(sactive dns d3 6)" "2 2 2" \
	"leastconn spread the UDP flows 2, 2, 2 (counted while tracked)"

echo "4. ping6"
before=$(reason tx_icmp_echo)
in_ns c ping -6 -c 3 -i 0.2 -W 2 -q "$VIP6" >/dev/null || fail "no echo replies from $VIP6"
expect_ge "$(( $(reason tx_icmp_echo) - before ))" 3 "3 pings to [$VIP6] answered by XDP (tx_icmp_echo)"
before=$(reason tx_icmp_echo)
in_ns c ping -6 -c 2 -i 0.2 -W 2 -q fd78:1::2 >/dev/null || fail "no echo replies from fd78:1::2"
expect_ge "$(( $(reason tx_icmp_echo) - before ))" 2 \
	"fd78:1::2 is a VIP too (bind :::8080): answered by XDP"
ll=$(ip -n "$(ns lb)" -6 -o addr show dev eth0 scope link | awk '{print $4}')
ll=${ll%/*}
before=$(reason tx_icmp_echo)
in_ns c ping -6 -c 2 -i 0.2 -W 2 -q "$ll%eth0" >/dev/null || fail "no echo replies from $ll"
expect_eq "$(( $(reason tx_icmp_echo) - before ))" 0 \
	"a ping to the balancer's link-local $ll (no VIP) is the kernel's"

echo "5. bind :::8080"
for a in "[$VIP6]" "[fd78:1::2]"; do
	in_ns c curl -s -m 5 "http://$a:8080/" | grep -qx 's[123]' &&
		ok "http://$a:8080/ answered by an IPv6 server" || fail "no answer on $a:8080"
done
vips=$(xlb_status_json | $PY -c 'import json,sys
d=json.load(sys.stdin)
print(" ".join(sorted(a for v in d["services"] if v["frontend"] == "any6" for a in v["vips"])))')
case "$vips" in
*"tcp [fd78:1::1]:8080"*"tcp [fd78:2::1]:8080"*)
	case "$vips" in *"10.78."*) fail ":::8080 took an IPv4 address: $vips" ;; esac
	ok ":::8080 is every global IPv6 address of eth0 and eth1: $vips" ;;
*) fail ":::8080 listens on: $vips" ;;
esac

echo "6. counts against the flow table"
fc=$("$PY" "$XLB_ROOT/tests/e2e/flowcheck.py" "$XLB_PINS") ||
	fail "counts differ from the flow table: $fc"
ok "backend_conns equal the table's forward entries: $fc"
expect_active 6 "only the 6 UDP flows still counted"
stop_xlb || fail "agent exit status"
for f in eth0 eth1; do
	expect_eq "$(in_ns lb cat "/proc/sys/net/ipv6/conf/$f/forwarding")" 0 \
		"net.ipv6.conf.$f.forwarding back to 0 after xlb stopped"
done
