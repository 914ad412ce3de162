#!/usr/bin/python3
"""Small TCP servers for the corner-case tests, one connection at a time.
tcpsrv.py closer PORT: sends "bye\\n" and closes at once (its FIN first).
tcpsrv.py rst PORT: reads one line, then resets the connection (SO_LINGER 0).
tcpsrv.py hold PORT: reads until the client closes, answers nothing."""
import socket
import struct
import sys
import threading


def serve(conn, mode):
    with conn:
        if mode == "closer":
            conn.sendall(b"bye\n")
        elif mode == "rst":
            conn.recv(100)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
        else:
            while conn.recv(4096):
                pass


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(128)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, mode), daemon=True).start()


main()
