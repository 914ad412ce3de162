#!/usr/bin/python3
"""The counts against the flow table, read from the pinned maps with
bpftool (not through xlb): for every backend, backend_conns.active must be
the number of forward entries holding a count (counted 1 or 2) and
half_open those holding it as half-open (counted 1).

flowcheck.py PINS [SECONDS]: polls for up to SECONDS (default 10) until
the two agree (a dump of two maps under traffic is not one snapshot: a
difference must persist to count), then prints one JSON line
{"match", "entries", "forward", "active", "half_open", "diff"} and exits
0 if they agree, 1 if not."""
import json
import subprocess
import sys
import time

COUNT_HALF, COUNT_OPEN = 1, 2
DIR_FORWARD = 0


def dump(path):
    out = subprocess.run(["bpftool", "-j", "map", "dump", "pinned", path],
                         check=True, capture_output=True, text=True).stdout
    return [e["formatted"] for e in json.loads(out)]


def snapshot(pins):
    want = {}
    entries = forward = 0
    for e in dump(pins + "/flows"):
        v = e["value"]
        entries += 1
        if v["dir"] != DIR_FORWARD:
            continue
        forward += 1
        w = want.setdefault(v["backend"], [0, 0])
        if v["counted"] in (COUNT_HALF, COUNT_OPEN):
            w[0] += 1
        if v["counted"] == COUNT_HALF:
            w[1] += 1
    have = {}
    for e in dump(pins + "/backend_conns"):
        v = e["value"]
        if v["active"] or v["half_open"]:
            have[e["key"]] = [v["active"], v["half_open"]]
    want = {k: v for k, v in want.items() if v != [0, 0]}
    diff = {str(k): {"counts": have.get(k, [0, 0]), "table": want.get(k, [0, 0])}
            for k in set(have) | set(want) if have.get(k) != want.get(k)}
    return {"match": not diff, "entries": entries, "forward": forward,
            "active": sum(v[0] for v in have.values()),
            "half_open": sum(v[1] for v in have.values()), "diff": diff}


def main():
    pins = sys.argv[1]
    deadline = time.time() + (float(sys.argv[2]) if len(sys.argv) > 2 else 10)
    while True:
        s = snapshot(pins)
        if s["match"] or time.time() > deadline:
            break
        time.sleep(0.2)
    print(json.dumps(s))
    sys.exit(0 if s["match"] else 1)


main()
