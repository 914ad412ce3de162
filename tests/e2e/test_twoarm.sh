#!/usr/bin/env bash
# Two arms (client net / server net, XDP_REDIRECT between interfaces):
# weighted round robin exact over sequential connections; weighted
# least-connection over held connections; a flushed neighbour table heals.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

topo_twoarm 3
for i in 1 2 3; do start_httpd "$i" 8000; done
cfg=$(tmpfile)
cat >"$cfg" <<EOC
frontend web
    bind $VIP:80
    default_backend pool
backend pool
    balance roundrobin
    server s1 $(server_ip 1):8000 weight 1
    server s2 $(server_ip 2):8000 weight 2
    server s3 $(server_ip 3):8000 weight 3
EOC
start_xlb "$cfg"

out=$(tmpfile)
for i in $(seq 60); do in_ns c curl -s -m 5 "http://$VIP/" >>"$out" || true; done
expect_eq "$(grep -c . "$out")" 60 "60 sequential requests answered through two interfaces"
expect_eq "$(grep -c s1 "$out") $(grep -c s2 "$out") $(grep -c s3 "$out")" "10 20 30" \
	"roundrobin weights 1:2:3"
stop_xlb

sed -i 's/balance roundrobin/balance leastconn/' "$cfg"
# Long enough for 60 clients to connect: much longer under emulation
# (vmtest sets XLBT_TCG), where starting them takes seconds.
HOLD=4
[ -n "${XLBT_TCG:-}" ] && HOLD=30
start_xlb "$cfg"
pids=()
for i in $(seq 60); do
	in_ns c curl -s -m 60 "http://$VIP/hold/$HOLD" >/dev/null &
	pids+=($!)
done
wait_for "$HOLD" active_is 60 || true
a="$(server_active s1) $(server_active s2) $(server_active s3)"
expect_eq "$a" "10 20 30" "leastconn active counts follow weights 1:2:3 with 60 held connections"
wait "${pids[@]}" || true
expect_active 0 "counts back to 0 after every connection closed"

# Someone flushes the neighbour table: the agent asks again, traffic heals.
in_ns lb ip neigh flush dev eth1
ok=0
for i in $(seq 10); do
	in_ns c curl -s -m 3 "http://$VIP/" >/dev/null && { ok=1; break; }
done
[ $ok = 1 ] && ok "requests work again after 'ip neigh flush'" || fail "no answer after neighbour flush"
