#!/usr/bin/env bash
# Benchmark part 5: the tutorial's own scenario. Its three Flask apps
# (compose/app1..3.py; 1 and 3 sleep 5 s) behind the balancer, its
# haproxy.cfg as it is (app1..app3 resolve through a private hosts file),
# a stream of requests at fixed concurrency (tests/bench/closedloop.py,
# a new connection per request), for xlb leastconn, HAProxy leastconn, and
# both with `balance roundrobin`. Figures: share of requests the fast app
# served, mean / p50 / p99 latency.
# Writes $BENCH_OUT/tutorial.json (and tutorial.raw.jsonl).
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$BENCH_DIR/e2e_lib.sh"

CONC=${BENCH_TUTORIAL_CONC:-$(q 4 10)}
DUR=${BENCH_TUTORIAL_SECS:-$(q 3 60)}
CANDS=${BENCH_TUTORIAL_CANDIDATES:-xlb-leastconn haproxy-leastconn xlb-roundrobin haproxy-roundrobin}
RAW=$BENCH_OUT/tutorial.raw.jsonl
: >"$RAW"

topo_twoarm 3
XLB_HOSTS=$(tmpfile)
for i in 1 2 3; do echo "$(server_ip "$i") app$i"; done >"$XLB_HOSTS"
for i in 1 2 3; do
	spawn "s$i" "$(tmpfile)" taskset -c "$SERVER_CPU" "$PY" "$XLB_ROOT/compose/app$i.py"
done
for i in 1 2 3; do
	wait_for 30 listening "s$i" "500$i" || { echo "bench: app$i did not start" >&2; exit 1; }
done
LC=$XLB_ROOT/compose/haproxy.cfg
RR=$(tmpfile)
sed 's/balance leastconn/balance roundrobin/' "$LC" >"$RR"

log "part 5: the tutorial's apps, concurrency $CONC for ${DUR}s: $CANDS"
for cand in $CANDS; do
	log "  $cand"
	cfg=$LC
	case $cand in *roundrobin) cfg=$RR ;; esac
	clear_state
	case $cand in
	xlb-*) start_xlb "$cfg" ;;
	haproxy-*)
		HAPROXY_LOG=$(tmpfile)
		spawn lb "$HAPROXY_LOG" unshare -m sh -c \
			'mount --bind "$0" /etc/hosts && exec haproxy -db -f "$1"' "$XLB_HOSTS" "$cfg"
		HAPROXY_PID=$LAST_PID
		wait_for 20 listening lb 80 || { echo "bench: haproxy did not start" >&2; cat "$HAPROXY_LOG" >&2; exit 1; }
		;;
	esac
	in_ns c taskset -c "$CLIENT_CPU" "$PY" "$BENCH_DIR/closedloop.py" "http://$VIP/" \
		"$CONC" "$DUR" "$RAW" candidate="$cand"
	case $cand in
	xlb-*) stop_xlb || true ;;
	haproxy-*) stop_haproxy ;;
	esac
done
$BLIB assemble-tutorial "$RAW" "$BENCH_OUT/tutorial.json" concurrency="$CONC" \
	duration_s="$DUR" apps="compose/app1..3.py (1 and 3 sleep 5 s)" \
	config="compose/haproxy.cfg (roundrobin: same file, one word changed)"
