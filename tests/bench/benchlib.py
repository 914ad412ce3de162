#!/usr/bin/python3
"""Benchmark helpers: parse one tool's output into a JSON line (record),
and turn a part's raw lines into its results file (assemble-*).

  benchlib.py record keepalive|close|bulk OUTPUT_FILE key=value...
  benchlib.py assemble-e2e RAW.jsonl OUT.json key=value...
  benchlib.py assemble-udp RAW.jsonl OUT.json key=value...
  benchlib.py assemble-tutorial RAW.jsonl OUT.json key=value...
  benchlib.py merge OUT.json key=value... < lines   (part 4)

Values given as key=value are numbers when they parse as numbers."""
import json
import statistics
import sys


def value(v):
    for conv in (int, float):
        try:
            return conv(v)
        except ValueError:
            pass
    return v


def kv(args):
    out = {}
    for a in args:
        k, _, v = a.partition("=")
        out[k] = value(v)
    return out


def parse_wrk(text):
    for line in text.splitlines():
        if line.startswith("BENCHJSON "):
            d = json.loads(line[len("BENCHJSON "):])
            secs = d["duration_us"] / 1e6
            d["rps"] = d["requests"] / secs if secs else 0.0
            d["errors_total"] = sum(d["errors"].values())
            d["ok"] = d["requests"] > 0
            return d
    return {"ok": False, "error": text.strip()[-300:]}


def parse_iperf(text):
    try:
        d = json.loads(text)
    except ValueError:
        return {"ok": False, "error": text.strip()[-300:]}
    if "error" in d:
        return {"ok": False, "error": d["error"]}
    end = d.get("end", {})
    rcv = end.get("sum_received", {})
    snt = end.get("sum_sent", {})
    return {"ok": rcv.get("bits_per_second", 0) > 0,
            "gbit_s": rcv.get("bits_per_second", 0) / 1e9,
            "retransmits": snt.get("retransmits"),
            "seconds": rcv.get("seconds")}


def record(test, path, extra):
    text = open(path, errors="replace").read()
    d = parse_iperf(text) if test == "bulk" else parse_wrk(text)
    d["test"] = test
    d.update(kv(extra))
    print(json.dumps(d))


def lines(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def ratio(a, b):
    return a / b if a is not None and b else None


ANCHORS = {  # ENVIRONMENT.md, same VM class, ratios to no balancer
    "haproxy": {"keepalive_rps": 0.67, "close_rps": 0.43, "bulk": 0.37},
    "nftables": {"keepalive_rps": 0.92, "close_rps": 0.74, "bulk": 0.97},
}
TARGETS_XLB = {"keepalive_rps": 0.95, "close_rps": 0.9, "bulk": 0.95,
               "p99_keepalive_max": 1.1}


def assemble_e2e(raw, out, extra):
    rows = lines(raw)
    cands = []
    for r in rows:
        if r["candidate"] not in cands:
            cands.append(r["candidate"])
    res = {}
    for c in cands:
        res[c] = {}
        for t in ("keepalive", "close", "bulk"):
            rs = [r for r in rows if r["candidate"] == c and r["test"] == t]
            if not rs:
                continue
            ok = [r for r in rs if r.get("ok")]
            e = {"runs": len(rs), "ok_runs": len(ok)}
            if t == "bulk":
                e["gbit_s"] = med([r["gbit_s"] for r in ok])
                e["retransmits"] = med([r.get("retransmits") for r in ok])
            else:
                e["rps"] = med([r["rps"] for r in ok])
                for p in ("p50", "p90", "p99", "p999", "mean"):
                    e[p + "_us"] = med([r["lat_us"][p] for r in ok])
                e["errors"] = sum(r["errors_total"] for r in ok)
                e["machine_cpu_us_per_req"] = med(
                    [r["machine_cpu_s"] * 1e6 / r["requests"] for r in ok])
            e["machine_cpu_s"] = med([r["machine_cpu_s"] for r in ok])
            e["softirq_s"] = med([r["softirq_s"] for r in ok])
            e["balancer_process_cpu_s"] = med(
                [r["balancer_process_cpu_s"] for r in ok])
            e["failures"] = [r.get("error") for r in rs if not r.get("ok")]
            res[c][t] = e
    def get(c, t, k):
        return res.get(c, {}).get(t, {}).get(k)

    ratios = {}
    if res.get("direct") or res.get("direct-nogso"):
        for c in cands:
            b = "direct-nogso" if c.endswith("-nogso") else "direct"
            ratios[c] = {
                "keepalive_rps": ratio(get(c, "keepalive", "rps"), get(b, "keepalive", "rps")),
                "close_rps": ratio(get(c, "close", "rps"), get(b, "close", "rps")),
                "bulk": ratio(get(c, "bulk", "gbit_s"), get(b, "bulk", "gbit_s")),
                "p99_keepalive": ratio(get(c, "keepalive", "p99_us"), get(b, "keepalive", "p99_us")),
                "p99_close": ratio(get(c, "close", "p99_us"), get(b, "close", "p99_us")),
                "cpu_per_req_keepalive": ratio(get(c, "keepalive", "machine_cpu_us_per_req"),
                                               get(b, "keepalive", "machine_cpu_us_per_req")),
                "cpu_per_req_close": ratio(get(c, "close", "machine_cpu_us_per_req"),
                                           get(b, "close", "machine_cpu_us_per_req")),
            }
    doc = {"part": "e2e", "params": kv(extra), "candidates": res,
           "ratios_to_direct": ratios, "anchors": ANCHORS,
           "targets_xlb": TARGETS_XLB}
    json.dump(doc, open(out, "w"), indent=2)


def assemble_udp(raw, out, extra):
    rows = lines(raw)
    res = {}
    for r in rows:
        res.setdefault(r["candidate"], []).append(r)
    cands = {}
    for c, rs in res.items():
        ok = [r for r in rs if r.get("sent")]
        cands[c] = {
            "runs": len(rs),
            "sent_pps": med([r["sent"] / r["seconds"] for r in ok]),
            "forwarded_pps": med([r["arrived"] / r["seconds"] for r in ok]),
            "delivered_pps": med([r["received"] / r["seconds"] for r in ok]),
            "loss": med([max(0.0, 1 - r["arrived"] / r["sent"]) for r in ok]),
            "delivery_loss": med([1 - r["received"] / r["sent"] for r in ok]),
            "machine_cpu_s": med([r.get("machine_cpu_s") for r in ok]),
            "xdp_counters": [r.get("xdp") for r in rs if r.get("xdp")],
            "raw": rs,
        }
    base = cands.get("direct", {}).get("forwarded_pps")
    doc = {"part": "udp", "params": kv(extra), "candidates": cands,
           "ratios_to_direct": {c: ratio(v["forwarded_pps"], base)
                                for c, v in cands.items()}}
    json.dump(doc, open(out, "w"), indent=2)


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return None
    k = min(len(xs) - 1, max(0, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


def assemble_tutorial(raw, out, extra):
    rows = lines(raw)
    res = {}
    for r in rows:
        c = res.setdefault(r["candidate"], {"lat": [], "by": {}, "errors": 0,
                                            "completed_after_end": 0})
        if r.get("error"):
            c["errors"] += 1
            continue
        c["lat"].append(r["latency_s"])
        c["by"][r["server"]] = c["by"].get(r["server"], 0) + 1
    cands = {}
    for name, c in res.items():
        n = len(c["lat"])
        cands[name] = {
            "requests": n, "errors": c["errors"], "by_server": c["by"],
            "fast_share": c["by"].get("2", 0) / n if n else None,
            "mean_s": statistics.mean(c["lat"]) if n else None,
            "p50_s": pct(c["lat"], 50), "p99_s": pct(c["lat"], 99),
        }
    doc = {"part": "tutorial", "params": kv(extra), "candidates": cands}
    json.dump(doc, open(out, "w"), indent=2)


def merge(out, extra):
    doc = kv(extra)
    doc["items"] = [json.loads(l) for l in sys.stdin if l.strip()]
    json.dump(doc, open(out, "w"), indent=2)


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "record" and len(argv) >= 4:
        record(argv[2], argv[3], argv[4:])
    elif cmd == "assemble-e2e" and len(argv) >= 4:
        assemble_e2e(argv[2], argv[3], argv[4:])
    elif cmd == "assemble-udp" and len(argv) >= 4:
        assemble_udp(argv[2], argv[3], argv[4:])
    elif cmd == "assemble-tutorial" and len(argv) >= 4:
        assemble_tutorial(argv[2], argv[3], argv[4:])
    elif cmd == "merge" and len(argv) >= 3:
        merge(argv[2], argv[3:])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
