#!/usr/bin/env bash
# Shared by the benchmark parts (tests/bench/part*.sh): tests/lib.sh's
# namespaces and cleanup, where results go, quick mode, small helpers.
# Source it after `set -euo pipefail`; BENCH_OUT is the results folder.
# Namespaces are named xlbb<BENCH_TAG>_<pid><name> (lib.sh: xlb<XLB_TAG>...),
# so that a run's own leftovers can be told from another run's.
XLB_TAG=${XLB_TAG:-b${BENCH_TAG:+${BENCH_TAG}_}$$}
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
BENCH_DIR=$XLB_ROOT/tests/bench
BENCH_OUT=${BENCH_OUT:-$XLB_ROOT/build/bench-results/manual}
QUICK=${QUICK:-}
[ "$QUICK" = 0 ] && QUICK=
mkdir -p "$BENCH_OUT"
# The CPUs: the client side on CLIENT_CPU, every server on SERVER_CPU
# (ENVIRONMENT.md's anchors were measured so).
NCPU=$(nproc)
CLIENT_CPU=${CLIENT_CPU:-0}
SERVER_CPU=${SERVER_CPU:-$((NCPU > 1 ? 1 : 0))}

# Extra cleanup steps, run before lib.sh's (which kills the processes it
# spawned and deletes the namespaces it made).
_BENCH_CLEAN=()
bench_cleanup() {
	local rc=$? c
	for c in "${_BENCH_CLEAN[@]}"; do eval "$c" || true; done
	cleanup
	exit $rc
}
trap bench_cleanup EXIT

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# q QUICK_VALUE FULL_VALUE
q() { if [ -n "$QUICK" ]; then echo "$1"; else echo "$2"; fi; }

# Clear TIME_WAIT sockets and conntrack in every namespace of this run
# (ENVIRONMENT.md: left over, they make the next candidate's SYNs hit
# PAWS rejects), and in the host namespace's view nothing.
clear_state() {
	local n
	for n in "${_NSLIST[@]}"; do
		nsenter --net="/run/netns/$n" ss -K state time-wait >/dev/null 2>&1 || true
		if command -v conntrack >/dev/null; then
			nsenter --net="/run/netns/$n" conntrack -F >/dev/null 2>&1 || true
		fi
	done
}

# CPU seconds (user+system, children excluded) of a pid, from /proc.
proc_cpu_s() {
	awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Whole-machine CPU seconds busy (all but idle and iowait), from /proc/stat.
machine_busy_s() {
	awk -v hz="$(getconf CLK_TCK)" '/^cpu /{print ($2+$3+$4+$7+$8+$9) / hz}' /proc/stat
}

# a - b, for the floating-point figures above.
sub() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.4f\n", a - b}'; }

# A JSON object describing this machine, for every results file.
machine_json() {
	$PY - <<'EOP'
import json, os, platform, re
def first(path, pat):
    try:
        for l in open(path):
            m = re.search(pat, l)
            if m:
                return m.group(1).strip()
    except OSError:
        pass
    return None
print(json.dumps({
    "kernel": platform.release(),
    "cpu_model": first("/proc/cpuinfo", r"model name\s*:\s*(.*)"),
    "cpus": os.cpu_count(),
    "mem_gib": round(int(first("/proc/meminfo", r"MemTotal:\s*(\d+)")) / 2**20, 1),
    "os": first("/etc/os-release", r'PRETTY_NAME="(.*)"'),
    "hypervisor": first("/proc/cpuinfo", r"flags\s*:.*\b(hypervisor)\b") and "yes" or "no",
    "loadavg_at_start": open("/proc/loadavg").read().split()[:3],
}))
EOP
}
