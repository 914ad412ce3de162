#!/usr/bin/env bash
# make test: every suite, one summary line each; non-zero if any fails.
# Needs root (namespaces, XDP). Suites clean up after themselves.
set -uo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "test: run as root (network namespaces, BPF)" >&2; exit 1; }
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

failed=0
summary=()
run_suite() { # name, command...
	local name=$1 log rc start
	shift
	log=$(mktemp /tmp/xlb-test-XXXXXX)
	start=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		summary+=("PASS  $name ($(( $(date +%s) - start )) s)")
	else
		failed=1
		summary+=("FAIL  $name (exit $rc)")
		echo "---- $name failed; its output:"
		tail -40 "$log"
	fi
	[ -n "${VERBOSE:-}" ] && cat "$log"
	rm -f "$log"
}

run_suite "unit: config parser" build/tests/test_config
run_suite "bpf: data path fixtures (BPF_PROG_TEST_RUN)" tests/bpf/run.sh
run_suite "fuzz: 100k random and mutated packets (BPF_PROG_TEST_RUN)" tests/fuzz/run.sh 100000
for t in tests/e2e/test_*.sh; do
	run_suite "e2e: $(basename "$t" .sh)" timeout 300 bash "$t"
done

echo
printf '%s\n' "${summary[@]}"
exit $failed
