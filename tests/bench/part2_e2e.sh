#!/usr/bin/env bash
# Benchmark part 2: end to end through network namespaces, the same
# topology and nginx backends for every candidate (tests/bench/e2e_lib.sh):
# no balancer (client straight to s1), xlb leastconn (generic XDP on the
# veths), HAProxy 2.6 `mode tcp` leastconn, nftables DNAT+masquerade
# (conntrack; round robin through numgen: nftables has no leastconn).
# Per candidate: wrk keep-alive and Connection: close (one new connection
# per request), latency percentiles, iperf3 bulk, CPU. Candidates are
# interleaved over the repetitions; TIME_WAIT and conntrack are cleared
# in every namespace between any two measurements.
# The balancers use 3 backends (s1..s3, one nginx worker each, all on
# SERVER_CPU); the -1be candidates only s1, the very server "direct" uses
# (same server capacity: the ratio is then the balancer's cost alone).
# direct-nogso, xlb-nogso: bulk only, with TSO/GSO off on the client: xlb
# drops the sender's GSO packets (larger than the MTU, bpf_fib_lookup
# answers FRAG_NEEDED, counted as drop_fib), and this shows what bulk
# through xlb gives without them.
# Writes $BENCH_OUT/e2e.json (and e2e.raw.jsonl).
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$BENCH_DIR/e2e_lib.sh"

DUR=${BENCH_E2E_SECS:-$(q 1 10)}
REPS=${BENCH_E2E_REPS:-$(q 1 3)}
CONNS=50
CANDS=${BENCH_E2E_CANDIDATES:-$(q "direct xlb haproxy nftables direct-nogso xlb-nogso" \
	"direct xlb haproxy nftables xlb-1be haproxy-1be nftables-1be direct-nogso xlb-nogso")}
RAW=$BENCH_OUT/e2e.raw.jsonl
: >"$RAW"

e2e_topology 3
start_nginx 3
start_iperf_server

# haproxy.cfg syntax for xlb and HAProxy alike, with $1 web backends.
write_cfg() {
	cat <<EOF
global
    maxconn 4000
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend web
    bind 10.78.1.1:80
    default_backend web
backend web
    balance leastconn
$(for i in $(seq 1 "$1"); do echo "    server s$i 10.78.2.$((10 + i)):80"; done)
frontend bulk
    bind 10.78.1.1:5201
    default_backend bulk
backend bulk
    server s1 10.78.2.11:5201
EOF
}
CFG3=$(tmpfile)
CFG1=$(tmpfile)
write_cfg 3 >"$CFG3"
write_cfg 1 >"$CFG1"

XLB_MODE=
# numgen's map for nftables' round robin: "0 : s1, 1 : s2, ...".
nft_map() {
	local i out=
	for i in $(seq 1 "$NB"); do out+="${out:+, }$((i - 1)) : 10.78.2.$((10 + i))"; done
	echo "$out"
}

gso() { # on|off, on the client's interfaces
	in_ns c ethtool -K eth0 tso "$1" gso "$1" >/dev/null 2>&1 || true
	in_ns c ethtool -K eth1 tso "$1" gso "$1" >/dev/null 2>&1 || true
}

cand_start() {
	NB=3
	CFG=$CFG3
	case $1 in
	*-nogso) gso off ;;
	*-1be) NB=1; CFG=$CFG1 ;;
	esac
	case $1 in
	direct*) TARGET=$DIRECT_IP ;;
	xlb*)
		start_xlb "$CFG"
		XLB_MODE=$(xlb_mode_line)
		TARGET=$VIP ;;
	haproxy*) start_haproxy "$CFG"; TARGET=$VIP ;;
	nftables*)
		start_nft "ip daddr $VIP tcp dport 80 dnat to numgen inc mod $NB map { $(nft_map) }
	    ip daddr $VIP tcp dport 5201 dnat to 10.78.2.11"
		TARGET=$VIP ;;
	esac
}

cand_stop() {
	case $1 in
	*-nogso) gso on ;;
	esac
	case $1 in
	xlb*) stop_xlb || true ;;
	haproxy*) stop_haproxy ;;
	nftables*) stop_nft ;;
	esac
}

# The balancer's own process, for its CPU time (none for XDP or nft:
# their work is in softirq, seen only machine-wide).
bal_pid() {
	case $1 in
	xlb*) echo "$XLB_PID" ;;
	haproxy*) echo "$HAPROXY_PID" ;;
	*) echo "" ;;
	esac
}

# measure CANDIDATE REP TEST: one wrk or iperf3 run, one line in $RAW.
measure() {
	local cand=$1 rep=$2 test=$3 out busy0 busy1 soft0 soft1 pid bal0=0 bal1=0
	out=$(tmpfile)
	clear_state
	pid=$(bal_pid "$cand")
	[ -n "$pid" ] && bal0=$(proc_cpu_s "$pid")
	busy0=$(machine_busy_s)
	soft0=$(awk -v hz="$(getconf CLK_TCK)" '/^cpu /{print $8 / hz}' /proc/stat)
	case $test in
	keepalive)
		in_ns c taskset -c "$CLIENT_CPU" wrk -t2 -c$CONNS -d"${DUR}s" \
			-s "$BENCH_DIR/wrk_report.lua" "http://$TARGET/" >"$out" 2>&1 || true ;;
	close)
		in_ns c taskset -c "$CLIENT_CPU" wrk -t2 -c$CONNS -d"${DUR}s" \
			-H 'Connection: close' -s "$BENCH_DIR/wrk_report.lua" \
			"http://$TARGET/" >"$out" 2>&1 || true ;;
	bulk)
		in_ns c taskset -c "$CLIENT_CPU" iperf3 -c "$TARGET" -p 5201 \
			-t "$DUR" -J >"$out" 2>&1 || true ;;
	esac
	busy1=$(machine_busy_s)
	soft1=$(awk -v hz="$(getconf CLK_TCK)" '/^cpu /{print $8 / hz}' /proc/stat)
	[ -n "$pid" ] && bal1=$(proc_cpu_s "$pid")
	$BLIB record "$test" "$out" candidate="$cand" rep="$rep" \
		machine_cpu_s="$(sub "$busy1" "$busy0")" \
		softirq_s="$(sub "$soft1" "$soft0")" \
		balancer_process_cpu_s="$(sub "$bal1" "$bal0")" >>"$RAW"
}

log "part 2: end to end, ${DUR}s per run, $REPS repetition(s), candidates: $CANDS"
for rep in $(seq 1 "$REPS"); do
	for cand in $CANDS; do
		log "  rep $rep: $cand"
		if ! cand_start "$cand"; then
			log "  $cand did not start: its figures are missing"
			echo "{\"candidate\": \"$cand\", \"test\": \"start\", \"ok\": false, \"rep\": $rep}" >>"$RAW"
			cand_stop "$cand"
			continue
		fi
		tests="keepalive close bulk"
		case $cand in *-nogso) tests=bulk ;; esac
		for test in $tests; do
			measure "$cand" "$rep" "$test"
		done
		cand_stop "$cand"
	done
done
clear_state

$BLIB assemble-e2e "$RAW" "$BENCH_OUT/e2e.json" \
	duration_s="$DUR" reps="$REPS" connections="$CONNS" \
	client_cpu="$CLIENT_CPU" server_cpu="$SERVER_CPU" \
	xlb_mode="${XLB_MODE:-not run}" haproxy_version="$(haproxy -v 2>/dev/null | awk 'NR==1{print $3}')" \
	nginx="1 worker per backend; 3 backends, -1be candidates and direct: s1 only"
