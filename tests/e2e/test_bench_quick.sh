#!/usr/bin/env bash
# The benchmark harness (make bench, tests/bench/) in its quick mode, once,
# so that it cannot rot: every part runs, exits 0 and leaves parseable JSON
# with the keys the report reads, the report and its plots. Never asserts
# on a timing or a rate: only that the harness ran. (Part 1 itself fails a
# run whose counters show that an iteration took another path than the one
# measured: that is a correctness check of the harness, not a timing.)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

for b in bench_xdp bench_fill udpflood; do
	[ -x "$XLB_ROOT/build/tests/$b" ] || fail "build/tests/$b is not built (make test builds it)"
done
"$XLB_ROOT/tests/bench/deps.sh" || fail "the benchmark's packages could not be installed"

# This run's namespaces and pins carry its tag (tests/bench/common.sh).
export BENCH_TAG=q$$
bench_leftovers() {
	ip netns list 2>/dev/null | awk '{print $1}' | grep "^xlbb${BENCH_TAG}_" || true
	ls -d /sys/fs/bpf/xlbb"${BENCH_TAG}"_* 2>/dev/null || true
}
out=$(mktemp -d /tmp/xlb-bench-quick.XXXXXX)
trap 'rm -rf "$out"; cleanup' EXIT
log=$(tmpfile)
if ! QUICK=1 BENCH_OUT=$out "$XLB_ROOT/tests/bench/run.sh" >"$log" 2>&1; then
	tail -40 "$log" >&2
	fail "make bench QUICK=1 failed"
fi
ok "quick run finished"

$PY - "$out" <<'EOP' || fail "results are incomplete (see above)"
import json, os, sys
d = sys.argv[1]
def load(name):
    with open(os.path.join(d, name)) as f:
        return json.load(f)
def need(obj, keys, where):
    missing = [k for k in keys if k not in obj]
    if missing:
        sys.exit(f"{where}: missing keys {missing}")

need(load("machine.json"), ["kernel", "cpus", "cpu_model", "quick"], "machine.json")
parts = load("parts.json")
if sorted(p["part"] for p in parts) != sorted(["xdp", "e2e", "udp", "scale", "tutorial"]) \
        or any(p["exit"] != 0 for p in parts):
    sys.exit(f"parts.json: {parts}")

for name in ("xdp.json", "xdp_prealloc.json"):
    x = load(name)
    need(x, ["runs", "repeat_same_packet", "repeat_new_flow", "flows_full_table", "cases"], name)
    keys = {c["key"] for c in x["cases"]}
    need(keys, ["floor", "wrap_only", "non_service", "est_fwd", "est_rev", "est_fwd_spread",
                "est_rev_spread", "new_leastconn", "new_random2"], name + " cases")
    for c in x["cases"]:
        need(c, ["table", "backends", "supported", "ran", "verified", "ns", "median_ns"], name)
        if c["ran"] and not (c["verified"] and isinstance(c["median_ns"], (int, float))):
            sys.exit(f"{name}: case {c['desc']} ({c['table']}) ran but is not verified")
    for key in ("new_leastconn", "new_random2"):
        if not any(c["key"] == key and c["backends"] == 1024 and not c["supported"]
                   for c in x["cases"]):
            sys.exit(f"{name}: the 1024-backend {key} case must be reported as not supported")

e = load("e2e.json")
need(e, ["params", "candidates", "ratios_to_direct", "anchors", "targets_xlb"], "e2e.json")
need(e["candidates"], ["direct", "xlb", "haproxy", "nftables"], "e2e.json candidates")
for c in ("direct", "xlb", "haproxy", "nftables"):
    need(e["candidates"][c], ["keepalive", "close", "bulk"], f"e2e.json {c}")
    need(e["candidates"][c]["keepalive"], ["rps", "p50_us", "p99_us", "p999_us",
                                           "machine_cpu_us_per_req"], f"e2e.json {c} keepalive")
    need(e["candidates"][c]["bulk"], ["gbit_s"], f"e2e.json {c} bulk")
    need(e["ratios_to_direct"][c], ["keepalive_rps", "close_rps", "bulk", "p99_keepalive"],
         f"e2e.json ratios {c}")

u = load("udp.json")
need(u["candidates"], ["direct", "xlb", "nftables"], "udp.json")
for c, v in u["candidates"].items():
    need(v, ["sent_pps", "forwarded_pps", "loss"], f"udp.json {c}")

s = load("scale.json")
kinds = {i["kind"] for i in s["items"]}
need(kinds, ["flows", "health"], "scale.json items")
for i in s["items"]:
    if i["kind"] == "flows" and not i.get("skipped"):
        need(i, ["flows", "map_bytes_full", "agent_rss_kib_full", "gc_walk_s", "gc_scanned"], "scale.json")
        if i["gc_scanned"] != 2 * i["flows"]:
            sys.exit(f"scale.json: xlb gc scanned {i['gc_scanned']} entries, "
                     f"{2 * i['flows']} were filled")
    if i["kind"] == "health" and not i.get("skipped"):
        need(i, ["servers", "inter_ms", "checks_per_s", "round_s", "agent_cpu_ms_per_round"], "scale.json")

t = load("tutorial.json")
need(t["candidates"], ["xlb-leastconn", "haproxy-leastconn", "xlb-roundrobin",
                       "haproxy-roundrobin"], "tutorial.json")
for c, v in t["candidates"].items():
    need(v, ["requests", "fast_share", "mean_s", "p99_s", "by_server"], f"tutorial.json {c}")
print("json ok")
EOP
ok "every part's JSON parses and has the expected keys"

report=$out/report.md
for h in "Part 1" "Part 2" "Part 3" "Part 4" "Part 5"; do
	grep -q "^## $h" "$report" || fail "report.md has no '$h' table"
done
ok "report.md has a table per part"
for p in xdp_new_flow e2e_ratios udp_pps scale_flows tutorial; do
	[ -s "$out/$p.png" ] || fail "plot $p.png was not drawn"
done
ok "plots drawn"
left=$(bench_leftovers | tr '\n' ' ')
[ -z "${left// /}" ] || fail "left behind: $left"
ok "no namespace or pin left behind"
echo "bench quick: $CHECKS checks passed"
