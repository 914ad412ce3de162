#!/usr/bin/env bash
# make demo: the tutorial's scenario with xlb in HAProxy's place. Three
# Flask apps (1 and 3 sleep 5 s) on one L2 segment, a client, and xlb
# attached to the balancer's interface, configured by the tutorial's own
# haproxy.cfg; a burst of concurrent requests, with leastconn, then with
# roundrobin for contrast. Everything is removed at the end, also on Ctrl-C.
set -euo pipefail
XLB_TAG=demo
. "$(dirname "$0")/lib.sh"
BURST=${BURST:-20}
GAP=${GAP:-0.05}

[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (network namespaces, XDP)" >&2; exit 1; }
for n in $(ip netns list | awk '{print $1}'); do
	case $n in xlbdemo*) ip netns del "$n" ;; esac
done

topo_onearm 3
# The tutorial's compose network resolves app1..app3; here a private hosts
# file does, seen only by the agent.
XLB_HOSTS=$(tmpfile)
for i in 1 2 3; do echo "$(server_ip $i) app$i"; done >"$XLB_HOSTS"

for i in 1 2 3; do
	spawn "s$i" "$(tmpfile)" "$PY" "$XLB_ROOT/compose/app$i.py"
done
for i in 1 2 3; do
	wait_for 20 listening "s$i" "500$i" || { echo "demo: app$i did not start" >&2; exit 1; }
done

# $BURST requests $GAP seconds apart, all in flight together (the slow
# apps take 5 s): each new one meets the connections still open.
burst() {
	local label=$1 out i pids=()
	out=$(tmpfile)
	echo
	echo "== $label: $BURST concurrent requests to http://$VIP/ =="
	for i in $(seq "$BURST"); do
		in_ns c curl -s -m 20 "http://$VIP/" >>"$out" 2>/dev/null &
		pids+=($!)
		sleep "$GAP"
	done
	if [ "${2:-}" = xlb ]; then
		echo "while they are in flight, xlb status shows:"
		in_ns lb "$XLB" status | sed -n '/SERVER/,/total/p' | sed 's/^/  /'
	fi
	wait "${pids[@]}" || true
	echo "answers:"
	for i in 1 2 3; do
		printf '  Flask App %d%s: %2d\n' "$i" "$([ $i = 2 ] && echo ' (fast)' || echo ' (slow)')" \
			"$(grep -o "App $i" "$out" | wc -l)"
	done
	printf '  %-20s %2d of %d\n' "answered:" "$(grep -o 'Hello' "$out" | wc -l)" "$BURST"
}

start_xlb "$XLB_ROOT/compose/haproxy.cfg"
sed -n '1,/running/p' "$XLB_LOG"
burst "xlb, balance leastconn (the tutorial's haproxy.cfg)" xlb
stop_xlb || true

# The same file and the same traffic through HAProxy itself, for reference.
if command -v haproxy >/dev/null; then
	HLOG=$(tmpfile)
	spawn lb "$HLOG" unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec haproxy -db -f "$1"' \
		"$XLB_HOSTS" "$XLB_ROOT/compose/haproxy.cfg"
	HPID=$LAST_PID
	wait_for 20 listening lb 80 || { echo "demo: haproxy did not start" >&2; cat "$HLOG" >&2; exit 1; }
	burst "HAProxy $(haproxy -v | awk 'NR==1{print $3}'), same haproxy.cfg"
	kill -TERM "$HPID"; wait "$HPID" 2>/dev/null || true
fi

RR=$(tmpfile)
sed 's/balance leastconn/balance roundrobin/' "$XLB_ROOT/compose/haproxy.cfg" >"$RR"
start_xlb "$RR"
burst "xlb, balance roundrobin (same file, one word changed)" xlb
stop_xlb || true
echo
echo "leastconn sends new requests to the server with the fewest active"
echo "connections: the fast app, whose connections close at once, takes most."
