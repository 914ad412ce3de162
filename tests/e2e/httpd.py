#!/usr/bin/python3
"""A small threaded HTTP server for the end-to-end tests: answers
"NAME\n" on /, and holds the connection for S seconds on /hold/S first;
/bytes/N answers a body of N bytes (path MTU tests).
httpd.py PORT NAME [PATH=CODE...]: PATH answers status CODE instead of 200
(with the same body), e.g. /health=503 for a failing health check.
It listens on IPv4 and IPv6 alike (one socket on [::], IPV6_V6ONLY off),
or on IPv4 alone where the namespace has no IPv6."""
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection

    def do_GET(self):
        if self.path.startswith("/hold/"):
            time.sleep(float(self.path[len("/hold/"):]))
        body = (NAME + "\n").encode()
        if self.path.startswith("/bytes/"):
            body = b"x" * int(self.path[len("/bytes/"):])
        self.send_response(CODES.get(self.path, 200))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class DualStack(ThreadingHTTPServer):
    address_family = socket.AF_INET6

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


ThreadingHTTPServer.request_queue_size = 1024
NAME = sys.argv[2]
CODES = {a.rsplit("=", 1)[0]: int(a.rsplit("=", 1)[1]) for a in sys.argv[3:]}
try:
    server = DualStack(("::", int(sys.argv[1])), Handler)
except OSError:
    server = ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), Handler)
server.serve_forever()
