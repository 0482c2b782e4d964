#!/usr/bin/env python3
"""A tiny Kubernetes-like API over TLS for the proxy e2e suite (Python standard library only).

It answers just enough for `kubectl get pods` (version, discovery, one pod list) and requires
`Authorization: Bearer <token>`; every request head it receives is appended to a JSON-lines log so the suite can
assert on what the upstream really saw.

Usage: testapi.py --listen 127.0.0.1:PORT --cert server.crt --key server.key --token TOKEN --log requests.jsonl
                  [--plain-listen 127.0.0.1:PORT2]   (the same API without TLS as well)
"""
import argparse
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RESOURCES = {
    "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1",
    "resources": [{"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod",
                   "verbs": ["get", "list"], "shortNames": ["po"]}],
}
PODS = {
    "kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"},
    "items": [{"kind": "Pod", "apiVersion": "v1",
               "metadata": {"name": "demo-pod", "namespace": "default", "uid": "0b5e-demo",
                            "creationTimestamp": "2026-01-01T00:00:00Z"},
               "spec": {"containers": [{"name": "main", "image": "busybox"}]},
               "status": {"phase": "Running"}}],
}


def make_handler(token, log_path):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet: the JSON log is the record
            pass

        def reply(self, code, body):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            auth = self.headers.get("Authorization")
            with lock, open(log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps({"method": self.command, "path": self.path, "authorization": auth,
                                      "host": self.headers.get("Host")}) + "\n")
            if auth != "Bearer " + token:
                self.reply(401, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                 "message": "Unauthorized", "reason": "Unauthorized", "code": 401})
                return
            path = self.path.split("?", 1)[0]
            if path == "/version":
                self.reply(200, {"major": "1", "minor": "33", "gitVersion": "v1.33.0", "platform": "linux/amd64"})
            elif path == "/api":
                self.reply(200, {"kind": "APIVersions", "versions": ["v1"],
                                 "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
            elif path == "/apis":
                self.reply(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
            elif path == "/api/v1":
                self.reply(200, RESOURCES)
            elif path in ("/api/v1/namespaces/default/pods", "/api/v1/pods"):
                self.reply(200, PODS)
            else:
                self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                 "message": "not found", "reason": "NotFound", "code": 404})

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--plain-listen")
    args = parser.parse_args()
    handler = make_handler(args.token, args.log)
    if args.plain_listen:
        plain_host, plain_port = args.plain_listen.rsplit(":", 1)
        plain = ThreadingHTTPServer((plain_host, int(plain_port)), handler)
        threading.Thread(target=plain.serve_forever, daemon=True).start()
    host, port = args.listen.rsplit(":", 1)
    server = ThreadingHTTPServer((host, int(port)), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
