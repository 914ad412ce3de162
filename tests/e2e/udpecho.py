#!/usr/bin/python3
"""UDP for the end-to-end tests, both ends.
udpecho.py serve FAMILY PORT [TAG]: on PORT of every address of FAMILY
(4 or 6), sends each datagram back to its sender as it came, or with
"TAG " before it.
udpecho.py big ADDR PORT: sends a 3000-byte datagram to ADDR:PORT (IPv4
or IPv6 by the address; the sending kernel fragments it) up to 5 times,
2 s for an answer each; prints the answer's length and "same" or
"differs" (its bytes against those sent), or "none"."""
import socket
import sys


def serve(family, port, tag):
    if family == "6":
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.bind(("::", port))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", port))
    while True:
        d, a = s.recvfrom(65535)
        # The same bytes back: fragmented again when they were.
        s.sendto(tag.encode() + b" " + d if tag else d, a)


def big(addr, port):
    if ":" in addr:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER: DONT
    s.settimeout(2)
    data = bytes(i % 251 for i in range(3000))
    for _ in range(5):
        s.sendto(data, (addr, port))
        try:
            r, _ = s.recvfrom(65535)
        except socket.timeout:
            continue
        print(len(r), "same" if r == data else "differs")
        return
    print("none")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]),
              sys.argv[4] if len(sys.argv) > 4 else "")
    elif len(sys.argv) == 4 and sys.argv[1] == "big":
        big(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
