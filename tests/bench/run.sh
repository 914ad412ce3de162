#!/usr/bin/env bash
# make bench: every part (or PART=...) on this machine in one go, then one
# table per part (tests/bench/report.py) and the plots. Results:
# build/bench-results/<timestamp>/ (BENCH_OUT to choose), and
# build/bench-results/latest pointing at it.
#
#   PART   comma-separated: xdp,e2e,udp,scale,tutorial or 1..5 (default all)
#   QUICK  1: tiny durations and sizes (a smoke run, about 2 minutes)
# Exit status: non-zero if a part failed (its error is printed; the other
# parts still run).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root (network namespaces, BPF)" >&2; exit 1; }
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
QUICK=${QUICK:-}
[ "$QUICK" = 0 ] && QUICK=
export QUICK

stamp=$(date +%Y%m%d-%H%M%S)
export BENCH_OUT=${BENCH_OUT:-$ROOT/build/bench-results/$stamp${QUICK:+-quick}}
mkdir -p "$BENCH_OUT"
if [ "$(dirname "$BENCH_OUT")" = "$ROOT/build/bench-results" ]; then
	ln -sfn "$(basename "$BENCH_OUT")" "$ROOT/build/bench-results/latest"
fi

names=(xdp e2e udp scale tutorial)
scripts=(part1_xdp part2_e2e part3_udp part4_scale part5_tutorial)
want=()
IFS=, read -r -a req <<<"${PART:-all}"
for r in "${req[@]}"; do
	case $r in
	all | "") want=("${names[@]}") ;;
	1 | xdp) want+=(xdp) ;;
	2 | e2e) want+=(e2e) ;;
	3 | udp) want+=(udp) ;;
	4 | scale) want+=(scale) ;;
	5 | tutorial) want+=(tutorial) ;;
	*) echo "bench: PART: '$r' is not one of ${names[*]} (or 1..5)" >&2; exit 2 ;;
	esac
done

# Every part's namespaces and pins carry this tag (tests/bench/common.sh).
export BENCH_TAG=${BENCH_TAG:-$$}
# shellcheck source=/dev/null
. "$ROOT/tests/bench/common.sh"
# Rerunning a part into an existing folder (BENCH_OUT=...) keeps the
# others' results: the machine is described once per part run.
machine_json | $PY -c 'import json,sys,os
d=json.load(sys.stdin); d["quick"]=bool(os.environ.get("QUICK")); print(json.dumps(d, indent=2))' \
	>"$BENCH_OUT/machine.json.new"
[ -e "$BENCH_OUT/machine.json" ] || cp "$BENCH_OUT/machine.json.new" "$BENCH_OUT/machine.json"

failed=()
for i in "${!names[@]}"; do
	n=${names[$i]}
	[[ " ${want[*]} " == *" $n "* ]] || continue
	t0=$(date +%s)
	bash "$ROOT/tests/bench/${scripts[$i]}.sh" 2>&1 | tee "$BENCH_OUT/$n.out" >&2
	rc=${PIPESTATUS[0]}
	$PY -c 'import json,sys
m=json.load(open(sys.argv[5]))
print(json.dumps({"part": sys.argv[1], "exit": int(sys.argv[2]), "seconds": int(sys.argv[3]),
                  "finished": sys.argv[4], "machine": m}))' \
		"$n" "$rc" $(( $(date +%s) - t0 )) "$(date -Iseconds)" "$BENCH_OUT/machine.json.new" \
		>"$BENCH_OUT/status-$n.json"
	[ "$rc" -eq 0 ] || failed+=("$n (exit $rc)")
done
rm -f "$BENCH_OUT/machine.json.new"
$PY -c 'import json,sys
print(json.dumps([json.load(open(f)) for f in sorted(sys.argv[1:])], indent=1))' \
	"$BENCH_OUT"/status-*.json >"$BENCH_OUT/parts.json"
echo >&2
$PY "$ROOT/tests/bench/report.py" "$BENCH_OUT"
echo
echo "results: $BENCH_OUT"
if [ ${#failed[@]} -gt 0 ]; then
	echo "bench: failed parts: ${failed[*]}" >&2
	exit 1
fi
