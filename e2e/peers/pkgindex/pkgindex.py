#!/usr/bin/python3
"""A package registry stand-in behind Basic auth, for the e2e suites (127.0.0.1 only).

--kind pypi: a PEP 503 simple index (/simple/, /simple/<project>/, /packages/<file>) of the wheels and sdists in
--data, and the legacy upload API (POST / multipart with :action=file_upload and content) that twine uses; uploads
are stored in --data and listed at once.
--kind npm: an npm registry (GET /<name> packument, GET /<name>/-/<file>.tgz) of the tarballs in --data named
<name>-<version>.tgz. The password comes from $PKGINDEX_PASSWORD.

Authentication as Nexus does it: no Authorization header is anonymous and may only read / (the liveness probe);
wrong credentials get 401 everywhere; the right ones may do everything. Every request is logged to --log as one
JSON line with method, path, status and auth ("none", "ok" or "bad") - never the header itself.
"""
import argparse
import base64
import email.parser
import email.policy
import hashlib
import html
import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

ARGS = None
LOCK = threading.Lock()


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def project_of(filename):
    if filename.endswith(".whl"):
        return normalize(filename.split("-")[0])
    if filename.endswith(".tar.gz"):
        return normalize(filename[: -len(".tar.gz")].rsplit("-", 1)[0])
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def auth(self):
        header = self.headers.get("Authorization")
        if header is None:
            return "none"
        want = "Basic " + base64.b64encode(f"{ARGS.user}:{ARGS.password}".encode()).decode()
        return "ok" if header == want else "bad"

    def send(self, status, body=b"", content_type="text/plain", auth="none"):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        if status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="stand-in"')
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        with LOCK, open(ARGS.log, "a") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "status": status, "auth": auth,
                                  "host": self.headers.get("Host")}) + "\n")

    def allowed(self):
        auth = self.auth()
        path = urlsplit(self.path).path
        if auth == "ok" or (auth == "none" and path == "/" and self.command in ("GET", "HEAD")):
            return auth
        self.send(401, "unauthorized\n", auth=auth)
        return None

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        auth = self.allowed()
        if auth is None:
            return
        path = unquote(urlsplit(self.path).path)
        if path == "/":
            return self.send(200, f"{ARGS.kind} stand-in\n", auth=auth)
        if ARGS.kind == "pypi":
            return self.pypi_get(path, auth)
        return self.npm_get(path, auth)

    def pypi_get(self, path, auth):
        files = sorted(os.listdir(ARGS.data))
        if path == "/simple/":
            projects = sorted({p for p in map(project_of, files) if p})
            links = "".join(f'<a href="{p}/">{p}</a>\n' for p in projects)
            return self.send(200, f"<!DOCTYPE html><html><body>\n{links}</body></html>\n", "text/html", auth)
        m = re.fullmatch(r"/simple/([^/]+)/", path)
        if m:
            wanted = normalize(m.group(1))
            links = ""
            for f in files:
                if project_of(f) == wanted:
                    digest = hashlib.sha256(open(os.path.join(ARGS.data, f), "rb").read()).hexdigest()
                    links += f'<a href="../../packages/{html.escape(f)}#sha256={digest}">{html.escape(f)}</a>\n'
            if not links:
                return self.send(404, "no such project\n", auth=auth)
            return self.send(200, f"<!DOCTYPE html><html><body>\n{links}</body></html>\n", "text/html", auth)
        m = re.fullmatch(r"/packages/([^/]+)", path)
        if m and m.group(1) in files:
            return self.send(200, open(os.path.join(ARGS.data, m.group(1)), "rb").read(), "application/octet-stream", auth)
        return self.send(404, "not found\n", auth=auth)

    def npm_get(self, path, auth):
        m = re.fullmatch(r"/([^/]+)/-/([^/]+\.tgz)", path)
        if m and os.path.isfile(os.path.join(ARGS.data, m.group(2))):
            return self.send(200, open(os.path.join(ARGS.data, m.group(2)), "rb").read(), "application/octet-stream", auth)
        name = path[1:]
        versions = {}
        for f in sorted(os.listdir(ARGS.data)):
            if f.startswith(name + "-") and f.endswith(".tgz"):
                version = f[len(name) + 1: -len(".tgz")]
                data = open(os.path.join(ARGS.data, f), "rb").read()
                versions[version] = {
                    "name": name, "version": version,
                    "dist": {"tarball": f"http://{ARGS.listen}/{name}/-/{f}",
                             "shasum": hashlib.sha1(data).hexdigest(),
                             "integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()},
                }
        if not versions:
            return self.send(404, json.dumps({"error": "not found"}), "application/json", auth)
        latest = sorted(versions, key=lambda v: [int(x) for x in v.split(".")])[-1]
        body = {"name": name, "dist-tags": {"latest": latest}, "versions": versions}
        return self.send(200, json.dumps(body), "application/json", auth)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        auth = self.allowed()
        if auth is None:
            return
        if ARGS.kind != "pypi" or urlsplit(self.path).path != "/":
            return self.send(405, "method not allowed\n", auth=auth)
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + self.headers.get("Content-Type", "").encode() + b"\r\n\r\n" + body)
        fields, content, filename = {}, None, None
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                content, filename = part.get_payload(decode=True), os.path.basename(part.get_filename())
            elif name:
                fields[name] = part.get_content()
        if fields.get(":action") != "file_upload" or not content or not filename:
            return self.send(400, "want :action=file_upload and content\n", auth=auth)
        if hashlib.sha256(content).hexdigest() != fields.get("sha256_digest", hashlib.sha256(content).hexdigest()):
            return self.send(400, "digest mismatch\n", auth=auth)
        with open(os.path.join(ARGS.data, filename), "wb") as out:
            out.write(content)
        return self.send(200, "OK\n", auth=auth)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=["pypi", "npm"], required=True)
    parser.add_argument("--listen", required=True, help="127.0.0.1:PORT")
    parser.add_argument("--data", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--log", required=True)
    ARGS = parser.parse_args()
    ARGS.password = os.environ["PKGINDEX_PASSWORD"]   # not an argument: visible to anyone who lists processes
    host, port = ARGS.listen.rsplit(":", 1)
    if host != "127.0.0.1":
        parser.error("binds to 127.0.0.1 only")
    ThreadingHTTPServer((host, int(port)), Handler).serve_forever()


if __name__ == "__main__":
    main()
