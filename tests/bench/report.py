#!/usr/bin/python3
"""Print one table per benchmark part, with ratios to the baselines
measured in the same run, write them to report.md, and draw the curves
(gnuplot, PNG) into the results folder.

  report.py RESULTS_DIR"""
import json
import os
import shutil
import subprocess
import sys

KATRAN_TRACKED_NS = 66   # ENVIRONMENT.md: Katran's tracked-flow packet here
OUT = []


def emit(s=""):
    OUT.append(s)
    print(s)


def load(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


def f(x, fmt="{:.0f}", none="-"):
    return none if x is None else fmt.format(x)


def r2(x):
    return f(x, "{:.2f}")


def table(head, rows):
    w = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(h)
         for i, h in enumerate(head)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w[i]) for i, c in enumerate(cells)) + " |"
    emit(line(head))
    emit("|" + "|".join("-" * (x + 2) for x in w) + "|")
    for r in rows:
        emit(line(r))
    emit()


# ---- part 1 ---------------------------------------------------------------

def xdp_cases(doc):
    out = {}
    for c in doc["cases"] if doc else []:
        out[(c["key"], c["table"], c["backends"])] = c
    return out


def part_xdp(d, plots):
    doc, pre = load(d, "xdp.json"), load(d, "xdp_prealloc.json")
    if not doc:
        return
    cs, ps = xdp_cases(doc), xdp_cases(pre)
    emit(f"## Part 1: XDP program, ns per packet (test_run, repeat "
         f"{doc['repeat_same_packet']} / {doc['repeat_new_flow']} for new "
         f"flows, median of {doc['runs']} runs, CPU {doc['cpu']})")
    emit()
    emit(f"Full table: {doc['flows_full_table']} flows "
         f"({2 * doc['flows_full_table']} entries, filled in "
         f"{doc['fill_seconds']:.2f} s). Every run checked against xlb's own "
         "counters (each iteration took the path measured); the floor is "
         "not subtracted.")
    emit()
    rows = []
    for table_name in ("empty", "full"):
        floor = cs.get(("floor", table_name, None), {}).get("median_ns")
        est = cs.get(("est_fwd", table_name, None), {}).get("median_ns")
        for (key, tb, nb), c in cs.items():
            if tb != table_name:
                continue
            m = c["median_ns"]
            p = ps.get((key, tb, nb), {}).get("median_ns")
            target = ""
            if key == "est_fwd":
                target = f"<= {KATRAN_TRACKED_NS} (Katran): " + ("met" if m and m <= KATRAN_TRACKED_NS else "MISSED")
            if key.startswith("new_") and nb == 256 and est:
                target = "<= 2x est: " + ("met" if m and m <= 2 * est else "MISSED")
            label = c["desc"] + (f", {nb} backends" if nb else "")
            rows.append([tb, label,
                         f(m) if c["ran"] else c["note"] or "not run",
                         f(m - floor if m and floor else None),
                         r2(m / est if m and est and key.startswith("new") else None),
                         f(p) if key not in ("floor", "wrap_only") else "",
                         target])
    table(["table", "case", "ns/pkt", "- floor", "x est", "prealloc flows (EXP.)", "target"], rows)

    # new flows against the pool size
    series = [("new_leastconn", "empty", "leastconn"), ("new_random2", "empty", "random(2)"),
              ("new_leastconn", "full", "leastconn, full table"),
              ("new_random2", "full", "random(2), full table")]
    data = []
    for key, tb, title in series:
        pts = sorted((c["backends"], c["median_ns"]) for (k, t, nb), c in cs.items()
                     if k == key and t == tb and c["median_ns"] is not None)
        if pts:
            data.append((title, pts))
    for key, title in (("new_leastconn", "leastconn, preallocated flows (exp.)"),
                       ("new_random2", "random(2), preallocated flows (exp.)")):
        pts = sorted((c["backends"], c["median_ns"]) for (k, t, nb), c in ps.items()
                     if k == key and t == "empty" and c["median_ns"] is not None)
        if pts:
            data.append((title, pts))
    est = cs.get(("est_fwd", "empty", None), {}).get("median_ns")
    plots.append(("xdp_new_flow", "New flow: ns per packet vs backends in the service",
                  "backends", "ns per packet", data, {"logx": True, "hline": [
                      (est, "established flow"), (2 * est if est else None, "2x established (target)")]}))


# ---- part 2 ---------------------------------------------------------------

def part_e2e(d, plots):
    doc = load(d, "e2e.json")
    if not doc:
        return
    p = doc["params"]
    emit(f"## Part 2: end to end (wrk -t2 -c{p.get('connections')}, {p.get('duration_s')} s x "
         f"{p.get('reps')} runs, median; client CPU {p.get('client_cpu')}, servers CPU "
         f"{p.get('server_cpu')}; xlb: {p.get('xlb_mode')})")
    emit()
    rows = []
    C, R = doc["candidates"], doc["ratios_to_direct"]
    for c, v in C.items():
        ka, cl, bu = v.get("keepalive", {}), v.get("close", {}), v.get("bulk", {})
        rr = R.get(c, {})
        rows.append([c,
                     f(ka.get("rps")) + (f" ({r2(rr.get('keepalive_rps'))})" if ka else ""),
                     f(cl.get("rps")) + (f" ({r2(rr.get('close_rps'))})" if cl else ""),
                     f(bu.get("gbit_s"), "{:.2f}") + f" ({r2(rr.get('bulk'))})",
                     "/".join(f(ka.get(k)) for k in ("p50_us", "p99_us", "p999_us")) if ka else "-",
                     r2(rr.get("p99_keepalive")),
                     f(ka.get("machine_cpu_us_per_req"), "{:.1f}") + "/" + f(cl.get("machine_cpu_us_per_req"), "{:.1f}"),
                     f(ka.get("balancer_process_cpu_s"), "{:.2f}") if ka else "-",
                     str((ka.get("errors") or 0) + (cl.get("errors") or 0)) if ka else "-"])
    table(["candidate", "keep-alive req/s (x direct)", "new-conn req/s (x direct)",
           "bulk Gbit/s (x direct)", "keep-alive p50/p99/p99.9 us", "p99 x direct",
           "machine CPU us/req ka/close", "balancer process CPU s (ka)", "errors"], rows)
    A, T = doc["anchors"], doc["targets_xlb"]
    emit("Anchors measured on this VM class (ENVIRONMENT.md), ratios to no balancer: " +
         "; ".join(f"{c} {a['keepalive_rps']}/{a['close_rps']}/{a['bulk']}" for c, a in A.items()) +
         " (keep-alive/new-conn/bulk).")
    for name in ("xlb", "xlb-1be"):
        x = R.get(name, {})
        if not x:
            continue
        verdict = []
        for k, what in (("keepalive_rps", "keep-alive"), ("close_rps", "new connections"), ("bulk", "bulk")):
            verdict.append(f"{what} {r2(x.get(k))} (target >= {T[k]}: "
                           f"{'met' if x.get(k) and x[k] >= T[k] else 'MISSED'})")
        verdict.append(f"p99 {r2(x.get('p99_keepalive'))}x (target <= {T['p99_keepalive_max']}: "
                       f"{'met' if x.get('p99_keepalive') and x['p99_keepalive'] <= T['p99_keepalive_max'] else 'MISSED'})")
        emit(f"{name} against its targets: " + "; ".join(verdict) + ".")
    emit()
    cands = [c for c in C if not c.endswith("-nogso")]
    plots.append(("e2e_ratios", "End to end, ratio to no balancer", "", "ratio",
                  [(t, [(c, R.get(c, {}).get(k) or 0) for c in cands])
                   for t, k in (("keep-alive req/s", "keepalive_rps"), ("new-conn req/s", "close_rps"),
                                ("bulk", "bulk"))], {"bars": True}))
    plots.append(("e2e_latency", "Keep-alive latency (us, log)", "", "us",
                  [(t, [(c, C[c].get("keepalive", {}).get(k) or 0) for c in cands])
                   for t, k in (("p50", "p50_us"), ("p99", "p99_us"), ("p99.9", "p999_us"))],
                  {"bars": True, "logy": True}))


# ---- part 3 ---------------------------------------------------------------

def part_udp(d, plots):
    doc = load(d, "udp.json")
    if not doc:
        return
    p = doc["params"]
    emit(f"## Part 3: UDP forwarding, {p.get('frame_bytes')}-byte frames, {p.get('flows')} flows, "
         f"{p.get('duration_s')} s x {p.get('reps')} runs (sender: {p.get('sender')}; "
         f"receiver: {p.get('receiver')})")
    emit()
    rows = []
    for c, v in doc["candidates"].items():
        rows.append([c, f(v["sent_pps"]), f(v["forwarded_pps"]),
                     r2(doc["ratios_to_direct"].get(c)),
                     f(v["loss"] * 100 if v["loss"] is not None else None, "{:.2f}%"),
                     f(v["delivered_pps"]),
                     f(v["delivery_loss"] * 100 if v["delivery_loss"] is not None else None, "{:.2f}%")])
    table(["candidate", "sent pps", "arrived at backend pps", "x direct", "loss on path",
           "delivered to socket pps", "loss incl. socket"], rows)
    emit("On veth the forwarding runs on the sending core (veth hands the frame to the "
         "next device in the sender's context), so the sender's rate is the path's "
         "capacity: a costlier path shows as a lower sent rate, not as loss.")
    emit()
    plots.append(("udp_pps", "UDP forwarding, packets/s arriving at the backend", "", "packets/s",
                  [("pps", [(c, v["forwarded_pps"] or 0) for c, v in doc["candidates"].items()])],
                  {"bars": True}))


# ---- part 4 ---------------------------------------------------------------

def part_scale(d, plots):
    doc = load(d, "scale.json")
    if not doc:
        return
    items = doc["items"]
    emit("## Part 4: scale (the agent's own code: xlb run, xlb gc, xlb status)")
    emit()
    rows = []
    fl = [i for i in items if i["kind"] == "flows"]
    for i in fl:
        if i.get("skipped"):
            rows.append([i["flows"], "skipped: " + i["skipped"]] + [""] * 7)
            continue
        rows.append([i["flows"], i["entries"], f(i["map_bytes_full"] / 2**20, "{:.1f}"),
                     f(i["map_bytes_per_flow"]), f(i["agent_rss_kib_full"] / 1024, "{:.1f}"),
                     f(i["fill"]["seconds"], "{:.2f}"), f(i["gc_walk_s"] * 1000, "{:.0f}"),
                     f(i["agent_cpu_share"] * 100, "{:.1f}%"), f(i["status_s"] * 1000, "{:.0f}"),
                     f(i["gc_expire_all_s"] * 1000, "{:.0f}")])
    table(["flows", "entries", "flows map MiB", "bytes/flow", "agent RSS MiB", "fill s",
           "xlb gc walk ms", "agent CPU (gc every 1 s)", "xlb status ms", "expire all ms"], rows)
    hc = [i for i in items if i["kind"] == "health"]
    if hc:
        rows = []
        for i in hc:
            if i.get("skipped"):
                rows.append([i["servers"], i["inter_ms"], "skipped: " + i["skipped"], "", "", ""])
                continue
            rows.append([i["servers"], i["inter_ms"], f(i["checks_per_s"]), f(i["round_s"], "{:.3f}"),
                         f(i["agent_cpu_ms_per_round"], "{:.1f}"), f(i["agent_cpu_share"] * 100, "{:.1f}%")])
        table(["servers", "inter ms", "checks/s", "s per round", "agent CPU ms per round", "agent CPU"], rows)
    ok = [i for i in fl if not i.get("skipped")]
    if ok:
        plots.append(("scale_flows", "Flow table size: memory and expiry walk", "flows", "",
                      [("flows map MiB", [(i["flows"], i["map_bytes_full"] / 2**20) for i in ok]),
                       ("xlb gc walk ms", [(i["flows"], i["gc_walk_s"] * 1000) for i in ok]),
                       ("agent RSS MiB", [(i["flows"], i["agent_rss_kib_full"] / 1024) for i in ok])],
                      {"logx": True, "logy": True}))
    hok = [i for i in hc if not i.get("skipped")]
    if hok:
        data = {}
        for i in hok:
            data.setdefault(f"inter {i['inter_ms']} ms", []).append((i["servers"], i["agent_cpu_ms_per_round"]))
        plots.append(("scale_health", "Health checks: agent CPU ms per round", "servers", "ms",
                      sorted(data.items()), {"logx": True}))


# ---- part 5 ---------------------------------------------------------------

def part_tutorial(d, plots):
    doc = load(d, "tutorial.json")
    if not doc:
        return
    p = doc["params"]
    emit(f"## Part 5: the tutorial's apps (app1, app3 sleep 5 s), concurrency {p.get('concurrency')}, "
         f"{p.get('duration_s')} s")
    emit()
    rows = []
    for c, v in doc["candidates"].items():
        by = v["by_server"]
        rows.append([c, v["requests"], "/".join(str(by.get(k, 0)) for k in ("1", "2", "3")),
                     f(v["fast_share"] * 100 if v["fast_share"] is not None else None, "{:.1f}%"),
                     f(v["mean_s"] * 1000 if v["mean_s"] is not None else None, "{:.1f}"),
                     f(v["p50_s"] * 1000 if v["p50_s"] is not None else None, "{:.1f}"),
                     f(v["p99_s"] * 1000 if v["p99_s"] is not None else None, "{:.1f}"), v["errors"]])
    table(["candidate", "requests", "app1/app2/app3", "fast app share", "mean ms", "p50 ms", "p99 ms",
           "errors"], rows)
    plots.append(("tutorial", "Tutorial scenario: share served by the fast app", "", "share",
                  [("fast share", [(c, v["fast_share"] or 0) for c, v in doc["candidates"].items()])],
                  {"bars": True}))


# ---- plots ------------------------------------------------------------------

def gp_str(s):
    return '"' + str(s).replace('"', "'") + '"'


def draw(d, plots):
    if not shutil.which("gnuplot"):
        emit("(gnuplot not found: no plots)")
        return
    made = []
    for name, title, xl, yl, series, opt in plots:
        if not series:
            continue
        dat = os.path.join(d, name + ".dat")
        gp = [f"set terminal png size 900,540 font ',10'", f"set output {gp_str(os.path.join(d, name + '.png'))}",
              f"set title {gp_str(title)}", f"set xlabel {gp_str(xl)}", f"set ylabel {gp_str(yl)}",
              "set grid", "set key outside right", "set termoption noenhanced"]
        if opt.get("logy"):
            gp.append("set logscale y")
        with open(dat, "w") as out:
            if opt.get("bars"):
                labels = [x for x, _ in series[0][1]]
                for i, lab in enumerate(labels):
                    out.write(gp_str(lab) + " " + " ".join(
                        str(s[1][i][1] if i < len(s[1]) else 0) for s in series) + "\n")
                gp += ["set style data histograms", "set style histogram clustered gap 1",
                       "set style fill solid 0.8 border -1", "set xtics rotate by -20", "set yrange [0:*]"
                       if not opt.get("logy") else "set yrange [1:*]"]
                gp.append("plot " + ", ".join(
                    f"{gp_str(dat)} using {i + 2}:xtic(1) title {gp_str(t)}" for i, (t, _) in enumerate(series)))
            else:
                if opt.get("logx"):
                    xs = [x for _, pts in series for x, _ in pts]
                    gp += ["set logscale x", f"set xrange [{min(xs) / 1.5}:{max(xs) * 1.5}]"]
                for t, pts in series:
                    out.write(f"# {t}\n")
                    for x, y in pts:
                        out.write(f"{x} {y}\n")
                    out.write("\n\n")
                parts = [f"{gp_str(dat)} index {i} using 1:2 with linespoints lw 2 title {gp_str(t)}"
                         for i, (t, _) in enumerate(series)]
                for y, t in opt.get("hline", []):
                    if y:
                        parts.append(f"{y} with lines dt 2 lw 2 title {gp_str(t)}")
                gp.append("plot " + ", ".join(parts))
        script = os.path.join(d, name + ".gp")
        with open(script, "w") as out:
            out.write("\n".join(gp) + "\n")
        r = subprocess.run(["gnuplot", script], capture_output=True, text=True)
        if r.returncode == 0:
            made.append(name + ".png")
        else:
            emit(f"(plot {name}: gnuplot failed: {r.stderr.strip()[-200:]})")
    if made:
        emit("Plots: " + ", ".join(made))


def main():
    d = sys.argv[1]
    m = load(d, "machine.json") or {}
    emit(f"# xlb benchmark, {os.path.basename(os.path.abspath(d))}")
    emit()
    emit(f"Machine: {m.get('cpu_model')}, {m.get('cpus')} CPUs, {m.get('mem_gib')} GiB, kernel "
         f"{m.get('kernel')}, {m.get('os')}, VM: {m.get('hypervisor')}, load average at start "
         f"{' '.join(m.get('loadavg_at_start', []))}{', QUICK mode' if m.get('quick') else ''}.")
    emit()
    plots = []
    for part in (part_xdp, part_e2e, part_udp, part_scale, part_tutorial):
        try:
            part(d, plots)
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as e:
            emit(f"({part.__name__}: cannot read its results: {e!r})")
            emit()
    draw(d, plots)
    with open(os.path.join(d, "report.md"), "w") as out:
        out.write("\n".join(OUT) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
