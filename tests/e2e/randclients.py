#!/usr/bin/python3
"""Random clients for test_counts_random.sh, all at once (a thread each)
against tests/e2e/httpd.py servers behind VIP:PORT.

randclients.py mix VIP PORT N SEED: N connections, each doing one of
  close      GET /hold/T: the server answers after T s and closes first
  clientfin  GET /hold/T, then the client's FIN at once (half-close),
             the answer read after it
  rst        GET /hold/5, reset by the client (SO_LINGER 0) after a while
  rst_early  reset by the client right after the handshake
  abort      non-blocking connect closed before the SYN-ACK comes back
             (the client's kernel then resets the SYN-ACK)
then prints one JSON line: {"done", "errors", "actions"}.
randclients.py hold VIP PORT N SECONDS: N connections asking
/hold/SECONDS; prints "held N" once all are sent, then waits to be killed
(the test cuts the client's link first: abandoned, no FIN, no RST)."""
import json
import random
import socket
import struct
import sys
import threading
import time

ACTIONS = ["close", "clientfin", "rst", "rst_early", "abort"]


def linger0(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def read_all(s):
    data = b""
    while True:
        b = s.recv(4096)
        if not b:
            return data
        data += b


def one(vip, port, action, rnd, errors):
    s = socket.socket()
    s.settimeout(8)
    try:
        if action == "abort":
            s.setblocking(False)
            s.connect_ex((vip, port))
            s.close()
            return
        s.connect((vip, port))
        if action == "rst_early":
            linger0(s)
            s.close()
            return
        hold = rnd.uniform(0, 1.5)
        if action == "rst":
            s.sendall(b"GET /hold/5 HTTP/1.0\r\n\r\n")
            time.sleep(rnd.uniform(0.1, 1.0))
            linger0(s)
            s.close()
            return
        s.sendall(b"GET /hold/%.2f HTTP/1.0\r\n\r\n" % hold)
        if action == "clientfin":
            s.shutdown(socket.SHUT_WR)
        body = read_all(s)
        if not body.endswith(b"\n") or b"200 OK" not in body:
            errors.append(f"{action}: answer {body[-40:]!r}")
        s.close()
    except OSError as e:
        errors.append(f"{action}: {e}")
        s.close()


def mix(vip, port, n, seed):
    rnd = random.Random(seed)
    errors, threads, actions = [], [], {}
    for i in range(n):
        a = rnd.choice(ACTIONS)
        actions[a] = actions.get(a, 0) + 1
        t = threading.Thread(target=one, args=(vip, port, a,
                                               random.Random(rnd.random()),
                                               errors))
        t.start()
        threads.append(t)
        time.sleep(rnd.uniform(0, 0.01))
    for t in threads:
        t.join()
    print(json.dumps({"done": n, "errors": errors, "actions": actions}))


def hold(vip, port, n, seconds):
    socks = []
    for _ in range(n):
        s = socket.create_connection((vip, port), timeout=10)
        s.sendall(b"GET /hold/%d HTTP/1.0\r\n\r\n" % seconds)
        socks.append(s)
    print(f"held {len(socks)}", flush=True)
    while True:
        time.sleep(3600)


def main():
    mode, vip, port, n, x = sys.argv[1:6]
    if mode == "mix":
        mix(vip, int(port), int(n), int(x))
    else:
        hold(vip, int(port), int(n), int(x))


main()
