#!/usr/bin/env bash
# Benchmark part 4: scale, with the agent's real code.
#  - Flow tables of growing size: the agent runs with --flows 2N+64k, the
#    pinned flows map gets N established flows (2N entries, from
#    build/tests/bench_fill); then the agent's RSS (/proc/PID/status), the
#    map's memory (bpftool: bytes_memlock, the kernel's own usage figure
#    for a non-preallocated hash), the time of one `xlb gc` pass over the
#    table (nothing expires: a walk), of `xlb status --json`, the agent's
#    CPU while it runs its own expiry every second, and of a pass that
#    expires everything (`xlb gc --advance`).
#  - Health checks: 100 and 1000 servers (TCP checks, `inter` 1 s and
#    100 ms) on one namespace holding that many addresses, an nginx
#    listening on them; checks per second counted as the servers' passive
#    TCP opens, the agent's CPU per round. Reported as "skipped: not
#    available" if the agent runs no checks.
# Writes $BENCH_OUT/scale.json.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$BENCH_DIR/e2e_lib.sh"

SIZES=${BENCH_SCALE_SIZES:-$(q "1000 10000" "100000 1000000 10000000")}
HC_SIZES=${BENCH_HC_SIZES:-$(q "100" "100 1000")}
HC_INTERS=$(q "1000" "1000 100")
HC_SECS=$(q 3 10)
CPU_SECS=$(q 2 5)
FILL=$XLB_ROOT/build/tests/bench_fill
ITEMS=$(tmpfile)

mem_kb() { awk -v k="$1:" '$1 == k {print $2}' /proc/meminfo; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
map_bytes() {
	bpftool map show pinned "$XLB_PINS/flows" -j | $PY -c 'import json,sys
print(json.load(sys.stdin).get("bytes_memlock", 0))'
}
# Seconds a command takes, as a float.
timed() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null
	t1=$(date +%s.%N)
	sub "$t1" "$t0"
}
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

topo_twoarm 1
CFG=$(tmpfile)
cat >"$CFG" <<EOF
defaults
    mode tcp
frontend web
    bind 10.78.1.1:80
    default_backend web
backend web
    server s1 10.78.2.11:80
EOF

flows_item() {
	local n=$1 entries avail rss0 rss1 mb0 mb1 av0 av1 fill gcs=() st t c0 c1 exp scanned
	entries=$((2 * n + 65536))
	avail=$(mem_kb MemAvailable)
	# ~300 bytes per entry at most; keep half the machine's free memory.
	if [ $((entries * 300 / 1024)) -gt $((avail / 2)) ]; then
		log "  $n flows: skipped (needs ~$((entries * 300 / 1048576)) MiB, $((avail / 1024)) MiB available)"
		echo "{\"kind\": \"flows\", \"flows\": $n, \"skipped\": \"not enough free memory\"}" >>"$ITEMS"
		return 0
	fi
	log "  $n flows ($((2 * n)) entries)"
	start_xlb "$CFG" --flows "$entries"
	rss0=$(rss_kb "$XLB_PID")
	mb0=$(map_bytes)
	av0=$(mem_kb MemAvailable)
	fill=$(in_ns lb "$FILL" "$XLB_PINS/flows" "$n")
	rss1=$(rss_kb "$XLB_PID")
	mb1=$(map_bytes)
	av1=$(mem_kb MemAvailable)
	scanned=$(in_ns lb "$XLB" gc | awk '{print $2}')
	for _ in 1 2 3; do gcs+=("$(timed in_ns lb "$XLB" gc)"); done
	st=$(timed in_ns lb "$XLB" status --json)
	c0=$(proc_cpu_s "$XLB_PID")
	sleep "$CPU_SECS"
	c1=$(proc_cpu_s "$XLB_PID")
	exp=$(timed in_ns lb "$XLB" gc --advance 100000)
	stop_xlb || true
	$PY - "$n" "$entries" "$fill" "$rss0" "$rss1" "$mb0" "$mb1" "$av0" "$av1" \
		"$(echo "${gcs[*]}" | median)" "$scanned" "$st" "$(sub "$c1" "$c0")" \
		"$CPU_SECS" "$exp" >>"$ITEMS" <<'EOP'
import json, sys
a = sys.argv[1:]
n = int(a[0])
print(json.dumps({
    "kind": "flows", "flows": n, "entries": 2 * n, "max_entries": int(a[1]),
    "fill": json.loads(a[2]),
    "agent_rss_kib_empty": int(a[3]), "agent_rss_kib_full": int(a[4]),
    "map_bytes_empty": int(a[5]), "map_bytes_full": int(a[6]),
    "map_bytes_per_flow": (int(a[6]) - int(a[5])) / n,
    "mem_available_drop_kib": int(a[7]) - int(a[8]),
    "gc_walk_s": float(a[9]), "gc_scanned": int(a[10]) if a[10].isdigit() else a[10],
    "status_s": float(a[11]),
    "agent_cpu_share": float(a[12]) / float(a[13]),
    "gc_expire_all_s": float(a[14]),
}))
EOP
}

# Health checks: nsrv servers at 10.79.<i/250>.<1 + i%250>:8080 on
# namespace hs (behind lb's eth1 ... here a second arm of its own).
hc_topology() {
	ns_add hs
	link lb eth2 10.79.0.1/16 hs eth0
	local i batch
	batch=$(tmpfile)
	for i in $(seq 0 999); do
		echo "addr add 10.79.$((1 + i / 250)).$((1 + i % 250))/16 dev eth0"
	done >"$batch"
	ip -n "$(ns hs)" -b "$batch"
	local d
	d=$(mktemp -d "/tmp/xlb-$XLB_TAG-hc.XXXXXX")
	nginx_conf "$d" 8080 ok
	spawn hs "$d/log" taskset -c "$SERVER_CPU" nginx -c "$d/nginx.conf"
	wait_for 20 listening hs 8080
}

passive_opens() { in_ns hs nstat -az TcpPassiveOpens | awk '/TcpPassiveOpens/ {print $2}'; }

hc_item() {
	local nsrv=$1 inter=$2 cfg i b c0 c1 p0 p1 t0 t1
	cfg=$(tmpfile)
	{
		echo "defaults"
		echo "    mode tcp"
		for ((b = 0; b * 250 < nsrv; b++)); do
			echo "listen hc$b"
			echo "    bind 10.78.1.1:$((8000 + b))"
			echo "    default-server check inter ${inter}ms"
			for ((i = b * 250; i < nsrv && i < (b + 1) * 250; i++)); do
				echo "    server s$i 10.79.$((1 + i / 250)).$((1 + i % 250)):8080"
			done
		done
	} >"$cfg"
	LB_IFACES=(-i eth0 -i eth1 -i eth2)
	start_xlb "$cfg"
	# Let the first round's spread (one interval) pass.
	sleep "$(awk -v i="$inter" 'BEGIN{print i / 1000 + 0.5}')"
	c0=$(proc_cpu_s "$XLB_PID")
	p0=$(passive_opens)
	t0=$(date +%s.%N)
	sleep "$HC_SECS"
	c1=$(proc_cpu_s "$XLB_PID")
	p1=$(passive_opens)
	t1=$(date +%s.%N)
	stop_xlb || true
	LB_IFACES=(-i eth0 -i eth1)
	$PY - "$nsrv" "$inter" "$(sub "$c1" "$c0")" "$((p1 - p0))" "$(sub "$t1" "$t0")" >>"$ITEMS" <<'EOP'
import json, sys
n, inter, cpu, checks, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
d = {"kind": "health", "servers": n, "inter_ms": inter, "seconds": secs,
     "checks": checks, "checks_per_s": checks / secs, "agent_cpu_s": cpu}
if checks == 0:
    d["skipped"] = "not available: no check reached the servers"
else:
    rounds = checks / n
    d.update({"rounds": rounds, "round_s": secs / rounds,
              "agent_cpu_ms_per_round": cpu * 1000 / rounds,
              "agent_cpu_share": cpu / secs})
print(json.dumps(d))
EOP
}

log "part 4: scale: flow tables of $SIZES flows; health checks of $HC_SIZES servers"
for n in $SIZES; do flows_item "$n"; done
hc_topology
for nsrv in $HC_SIZES; do
	for inter in $HC_INTERS; do
		log "  health checks: $nsrv servers, inter ${inter} ms"
		hc_item "$nsrv" "$inter"
	done
done
$BLIB merge "$BENCH_OUT/scale.json" part=scale cpu_window_s="$CPU_SECS" \
	health_window_s="$HC_SECS" <"$ITEMS"
