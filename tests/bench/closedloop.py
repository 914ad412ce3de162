#!/usr/bin/python3
"""Benchmark part 5: a stream of HTTP requests at fixed concurrency.

  closedloop.py URL CONCURRENCY SECONDS OUT.jsonl candidate=NAME

CONCURRENCY threads each send GET URL on a new connection, read the
answer and start the next one, until SECONDS have passed; requests still
in flight then are waited for (at most 15 s). One JSON line per request:
latency, which app answered ("Hello from Flask App N" -> N), or the
error."""
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def worker(host, port, path, stop_at, out, lock, extra):
    while time.monotonic() < stop_at:
        t0 = time.monotonic()
        rec = dict(extra)
        try:
            c = http.client.HTTPConnection(host, port, timeout=15)
            c.request("GET", path)
            body = c.getresponse().read().decode(errors="replace")
            c.close()
            rec["server"] = body.strip().split()[-1].rstrip("!") if body else "?"
        except OSError as e:
            rec["error"] = str(e)
        rec["latency_s"] = time.monotonic() - t0
        rec["start_s"] = t0
        with lock:
            out.write(json.dumps(rec) + "\n")


def main():
    url, conc, secs, path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    extra = dict(a.split("=", 1) for a in sys.argv[5:])
    u = urlsplit(url)
    lock = threading.Lock()
    stop_at = time.monotonic() + secs
    with open(path, "a") as out:
        ts = [threading.Thread(target=worker, daemon=True,
                               args=(u.hostname, u.port or 80, u.path or "/",
                                     stop_at, out, lock, extra))
              for _ in range(conc)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(timeout=max(0.0, stop_at - time.monotonic()) + 15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
