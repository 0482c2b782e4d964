#!/usr/bin/env python3
"""Recording origin for the adversarial suite: one process, several listeners on 127.0.0.1.

Each listener is `name=port` or `name=port:tls`. Every request parsed on any connection is appended to the
JSONL log as soon as its head is read (before the body, before the answer): origin name, port, connection
number, method, the raw request-target, version and every header line as sent, in order. A connection is read
as a sequence of requests (keep-alive, pipelining), so a request smuggled inside another one's body shows up
as a request of its own. Bytes that are not a request head are logged as {"garbage": ...}.

Answers (by method and path, after the listener's own routing):
  TRACE / TRACK (any case)   200 message/http, the request head echoed (what a server with TRACE enabled does)
  .../cookie                 200 with three Set-Cookie fields (Path=/ + Domain, Path=/x, no Path)
  ...?to=URL on .../redirect 302 (or 307 for .../redirect307) to URL
  listener with --redirect-probes NAME: /api/v4/user and /<repo>/info/refs -> 302 to --foreign + same path
  anything else              200 "ok <name> <path>"
"""
import argparse
import json
import socket
import ssl
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
CONN_IDS = iter(range(1, 1 << 62))
MAX_HEAD = 1 << 20


def log(path, entry):
    line = json.dumps(entry) + "\n"
    with LOCK:
        with open(path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()


class Reader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def head(self):
        while b"\r\n\r\n" not in self.buf and b"\n\n" not in self.buf:
            if len(self.buf) > MAX_HEAD:
                raise EOFError
            self.fill()
        crlf = self.buf.find(b"\r\n\r\n")
        lf = self.buf.find(b"\n\n")
        if crlf >= 0 and (lf < 0 or crlf < lf):
            head, self.buf = self.buf[:crlf], self.buf[crlf + 4:]
        else:
            head, self.buf = self.buf[:lf], self.buf[lf + 2:]
        return head

    def exactly(self, n):
        while len(self.buf) < n:
            self.fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def line(self):
        while b"\n" not in self.buf:
            if len(self.buf) > MAX_HEAD:
                raise EOFError
            self.fill()
        i = self.buf.find(b"\n")
        data, self.buf = self.buf[:i], self.buf[i + 1:]
        return data.rstrip(b"\r")


def read_body(reader, headers):
    names = {k.lower(): v for k, v in headers}
    te = [v for k, v in headers if k.lower() == "transfer-encoding"]
    if te and "chunked" in te[-1].lower():
        total = 0
        while True:
            size = int(reader.line().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while reader.line():
                    pass
                return total
            reader.exactly(size + 2)
            total += size
    if "content-length" in names:
        n = int(names["content-length"].strip())
        reader.exactly(n)
        return n
    return 0


def answer(args, name, method, target, head_bytes, headers):
    path = target
    if not target.startswith("/") and "://" in target:
        rest = target.split("://", 1)[1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    parsed = urllib.parse.urlsplit(path)
    query = urllib.parse.parse_qs(parsed.query)
    extra = []
    status = 200
    content_type = "text/plain"
    body = f"ok {name} {path}\n".encode()
    if method.upper() in ("TRACE", "TRACK"):
        body = head_bytes + b"\r\n\r\n"
        content_type = "message/http"
    elif parsed.path.endswith("/cookie"):
        extra += [("Set-Cookie", "sid=1; Path=/; Domain=example.com"), ("Set-Cookie", "sub=2; Path=/x; HttpOnly"),
                  ("Set-Cookie", "plain=3")]
    elif "/redirect" in parsed.path and "to" in query:
        status = 307 if parsed.path.endswith("/redirect307") else 302
        extra.append(("Location", query["to"][0]))
    elif name in args.redirect_probes and (parsed.path.endswith("/api/v4/user") or parsed.path.endswith("/info/refs")):
        status = 302
        extra.append(("Location", args.foreign + path))
    reason = {200: "OK", 302: "Found", 307: "Temporary Redirect"}[status]
    out = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}", f"Content-Type: {content_type}"]
    out += [f"{k}: {v}" for k, v in extra]
    return ("\r\n".join(out) + "\r\n\r\n").encode() + body


def serve(args, name, port, sock):
    conn = next(CONN_IDS)
    reader = Reader(sock)
    seq = 0
    try:
        while True:
            try:
                head = reader.head()
            except (EOFError, OSError, ssl.SSLError):
                if reader.buf.strip():
                    log(args.log, {"origin": name, "port": port, "conn": conn, "garbage": reader.buf[:300].decode("latin-1"), "t": time.time()})
                return
            text = head.decode("latin-1")
            lines = text.replace("\r\n", "\n").split("\n")
            parts = lines[0].split(" ")
            if len(parts) != 3 or not parts[2].startswith("HTTP/"):
                log(args.log, {"origin": name, "port": port, "conn": conn, "garbage": text[:300], "t": time.time()})
                return
            headers = []
            for line in lines[1:]:
                key, _, value = line.partition(":")
                headers.append([key, value.strip()])
            seq += 1
            log(args.log, {"origin": name, "port": port, "conn": conn, "seq": seq, "method": parts[0], "target": parts[1],
                           "version": parts[2], "headers": headers, "t": time.time()})
            try:
                read_body(reader, headers)
            except (ValueError, EOFError, OSError):
                return
            sock.sendall(answer(args, name, parts[0], parts[1], head, headers))
            if any(k.lower() == "connection" and "close" in v.lower() for k, v in headers):
                return
    finally:
        try:
            sock.close()
        except OSError:
            pass


def listen(args, spec, tls_context):
    name, _, rest = spec.partition("=")
    port_text, _, mode = rest.partition(":")
    port = int(port_text)
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(128)

    def accept_loop():
        while True:
            client, _ = server.accept()
            client.settimeout(30)

            def run(client=client):
                s = client
                if mode == "tls":
                    try:
                        s = tls_context.wrap_socket(client, server_side=True)
                    except (ssl.SSLError, OSError) as e:
                        log(args.log, {"origin": name, "port": port, "garbage": "tls handshake failed: " + str(e), "t": time.time()})
                        client.close()
                        return
                serve(args, name, port, s)

            threading.Thread(target=run, daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", action="append", required=True, help="name=port or name=port:tls")
    p.add_argument("--log", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--foreign", default="http://127.0.0.1:1", help="where --redirect-probes listeners send probes")
    p.add_argument("--redirect-probes", action="append", default=[])
    p.add_argument("--ready", help="file written once every listener is bound")
    args = p.parse_args()
    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
    for spec in args.listen:
        listen(args, spec, context)
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("ready\n")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
