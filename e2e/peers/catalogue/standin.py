#!/usr/bin/env python3
"""Stand-ins for the catalogue e2e suite (Python standard library only).

Over TLS (--tls-listen) one origin serves the repository layouts below from one static tree (--root: a Maven
layout, and a PEP 503 simple index under simple/ with files under packages/),
each behind its own Basic credentials, as the real servers lay them out:
  /maven2/<group>/<artifact>/...                      a plain Maven repository        (maven class)
  /repository/<repo>/<group>/...                      Sonatype Nexus                  (nexus class)
  /service/rest/v1/status                             Nexus status, anonymous
  /artifactory/<repo>/<group>/...                     JFrog Artifactory               (jfrog class)
  /repository/<pypi repo>/simple/..., /artifactory/api/pypi/<repo>/simple/...   PyPI layouts of both
  /artifactory/api/system/ping, /artifactory/api/repositories
Without TLS (--plain-listen) a SonarQube stand-in: /api/system/status answers {"status":"STARTING"} until the file
--up-file exists, then {"status":"UP"}; /api/authentication/validate answers {"valid":true} only for
Authorization: Bearer <--sonar-token>. Every request head is appended to --log (JSON lines) with whether it carried
the expected credential, never the credential itself.

Usage: standin.py --tls-listen 127.0.0.1:P --cert c.crt --key c.key --plain-listen 127.0.0.1:S --root DIR
                  --up-file FILE --sonar-token T --user PREFIX=USER:PASSWORD ... --log requests.jsonl
"""
import argparse
import base64
import json
import os
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = None
lock = threading.Lock()


def log(entry):
    with lock, open(args.log, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def send(self, code, body, content_type="application/json", extra=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        auth = self.headers.get("Authorization", "")
        entry = {"server": self.server.name, "method": self.command, "path": path, "auth": bool(auth)}
        if self.server.name == "sonar":
            self.sonar(path, auth, entry)
        else:
            self.repository(path, auth, entry)

    def sonar(self, path, auth, entry):
        if path == "/api/system/status":
            status = "UP" if os.path.exists(args.up_file) else "STARTING"
            entry["status"] = status
            log(entry)
            return self.send(200, json.dumps({"id": "standin", "version": "10.4", "status": status}))
        if path == "/api/authentication/validate":
            valid = auth == "Bearer " + args.sonar_token
            entry["valid"] = valid
            log(entry)
            return self.send(200, json.dumps({"valid": valid}))
        log(entry)
        self.send(404, '{"errors":[{"msg":"not found"}]}')

    def repository(self, path, auth, entry):
        if path == "/service/rest/v1/status" or path == "/artifactory/api/system/ping":
            log(entry)
            return self.send(200, "OK", "text/plain")
        for prefix, (user, password, strip) in USERS.items():
            if path == prefix or path.startswith(prefix + "/"):
                expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
                entry["prefix"] = prefix
                entry["authorized"] = auth == expected
                log(entry)
                if auth != expected:
                    return self.send(401, "unauthorized", "text/plain", {"WWW-Authenticate": 'Basic realm="standin"'})
                if prefix == "/artifactory/api/repositories":
                    return self.send(200, json.dumps([{"key": "libs-release", "type": "LOCAL", "packageType": "Maven"}]))
                rest = path[len(prefix) + len(strip):].lstrip("/")
                file = os.path.normpath(os.path.join(args.root, rest))
                if not file.startswith(os.path.abspath(args.root)):
                    return self.send(404, "not found", "text/plain")
                if os.path.isdir(file):
                    index = os.path.join(file, "index.html")
                    if os.path.isfile(index):  # a PEP 503 page of the static tree
                        with open(index, "rb") as f:
                            return self.send(200, f.read(), "text/html")
                    return self.send(200, "<html>index</html>", "text/html")
                if not os.path.isfile(file):
                    return self.send(404, "not found", "text/plain")
                with open(file, "rb") as f:
                    return self.send(200, f.read(), "application/octet-stream")
        log(entry)
        self.send(404, "not found", "text/plain")


USERS = {}


def serve(name, listen, tls):
    host, port = listen.rsplit(":", 1)
    server = ThreadingHTTPServer((host, int(port)), Handler)
    server.name = name
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--tls-listen", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--plain-listen", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--up-file", required=True)
    p.add_argument("--sonar-token", required=True)
    p.add_argument("--user", action="append", default=[], help="PREFIX=USER:PASSWORD[;STRIP] (STRIP: path part after the prefix that is not in --root)")
    p.add_argument("--log", required=True)
    args = p.parse_args()
    for spec in args.user:
        prefix, rest = spec.split("=", 1)
        cred, _, strip = rest.partition(";")
        user, password = cred.split(":", 1)
        USERS[prefix] = (user, password, strip)
    serve("repository", args.tls_listen, True)
    serve("sonar", args.plain_listen, False)
    threading.Event().wait()


if __name__ == "__main__":
    main()
