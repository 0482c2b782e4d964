"""Raw-socket HTTP/1.1 client, origin-log reader and the assertions the adversarial attacks share.

Everything an attack receives from the proxy passes through Conn.response(), which keeps the raw bytes in
RECEIVED so that the final scan can look for a credential in anything an attacker ever got.
"""
import base64
import json
import os
import socket
import ssl
import subprocess
import time

RECEIVED = []          # raw bytes of every response an attacker got
PROBE_AGENT = "connectors-probe/1.0"


class Ctx:
    """Suite-wide settings (from the JSON written by 70-adversarial.sh) and the current attack's id."""

    def __init__(self, path):
        cfg = json.load(open(path))
        self.cfg = cfg
        self.bin = cfg["bin"]
        self.kubectl = cfg["kubectl"]
        self.kubeconfig = cfg["kubeconfig"]
        self.tmp = cfg["tmp"]
        self.proxy = cfg["proxy"]
        self.health = cfg["health"]
        self.tool = cfg["tool"]
        self.other = cfg["other"]
        self.foreign = cfg["foreign"]
        self.redir = cfg["redir"]
        self.tls = cfg["tls"]
        s = cfg["secrets"]
        self.basic = base64.b64encode(f"{s['user']}:{s['password']}".encode()).decode()
        # What a leak looks like in any header, path or body: the raw values and the Basic encoding.
        self.credentials = {"basic password": s["password"], "basic header": self.basic, "gitlab PAT": s["pat"], "bearer token": s["bearer"]}
        self.tokens = []   # every valid workload token minted, for the scans
        self.attack_id = "a000"
        self.origin_log = cfg["origin_log"]

    # --- tokens and kubectl
    def mint(self, sa, ns="team", audience=None, duration="30m"):
        cmd = [self.bin, "token", "create", "--kubeconfig", self.kubeconfig, "--namespace", ns, "--service-account", sa, "--duration", duration]
        if audience:
            cmd += ["--audience", audience]
        token = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=30).stdout.strip()
        self.tokens.append(token)
        return token

    def kubectl_run(self, *args, check=True):
        return subprocess.run([self.kubectl, "--kubeconfig", self.kubeconfig, *args], capture_output=True, text=True, timeout=30, check=check).stdout


def b64(text):
    return base64.b64encode(text.encode("latin-1")).decode()


def proxy_auth(user, token):
    return ("Proxy-Authorization", "Basic " + b64(f"{user}:{token}"))


# --- responses and connections

class Resp:
    def __init__(self, status=None, reason="", headers=None, body=b"", raw=b"", closed=False, timed_out=False):
        self.status = status
        self.reason = reason
        self.headers = headers or []
        self.body = body
        self.raw = raw
        self.closed = closed
        self.timed_out = timed_out

    def header(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def text(self):
        return self.body.decode("utf-8", "replace")

    def describe(self):
        if self.status is None:
            return "no answer (timed out)" if self.timed_out else "connection closed without an answer"
        return f"HTTP {self.status} {self.text().strip()[:120]!r}"


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    @staticmethod
    def open(port, timeout=5.0):
        return Conn(socket.create_connection(("127.0.0.1", port), timeout=timeout))

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode("latin-1"))

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def _until(self, marker):
        while marker not in self.buf:
            self._fill()
        i = self.buf.index(marker) + len(marker)
        data, self.buf = self.buf[:i], self.buf[i:]
        return data

    def _exactly(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def response(self, timeout=5.0, method="GET"):
        """Reads one response (skipping 100 Continue); a Resp with status None when closed or timed out first."""
        self.sock.settimeout(timeout)
        raw = b""
        try:
            while True:
                head = self._until(b"\r\n\r\n")
                raw += head
                lines = head.decode("latin-1").split("\r\n")
                parts = lines[0].split(" ", 2)
                status = int(parts[1])
                if status == 100:
                    continue
                break
            headers = []
            for line in lines[1:]:
                if line:
                    k, _, v = line.partition(":")
                    headers.append((k.strip(), v.strip()))
            names = {k.lower(): v for k, v in headers}
            body = b""
            if method == "HEAD" or status in (101, 204, 304) or (method == "CONNECT" and status == 200):
                pass
            elif "chunked" in names.get("transfer-encoding", "").lower():
                while True:
                    size_line = self._until(b"\r\n")
                    raw += size_line
                    size = int(size_line.split(b";")[0].strip(), 16)
                    chunk = self._exactly(size + 2)
                    raw += chunk
                    if size == 0:
                        break
                    body += chunk[:-2]
            elif "content-length" in names:
                body = self._exactly(int(names["content-length"]))
                raw += body
            else:
                try:
                    while True:
                        self._fill()
                except EOFError:
                    pass
                body, self.buf = self.buf, b""
                raw += body
            RECEIVED.append(raw)
            return Resp(status, parts[2] if len(parts) > 2 else "", headers, body, raw)
        except EOFError:
            RECEIVED.append(raw + self.buf)
            return Resp(raw=raw + self.buf, closed=True)
        except (socket.timeout, TimeoutError):
            RECEIVED.append(raw + self.buf)
            return Resp(raw=raw + self.buf, timed_out=True)
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError, OSError):
            RECEIVED.append(raw + self.buf)
            return Resp(raw=raw + self.buf, closed=True)

    def is_closed(self, timeout=2.0):
        """Whether the peer closes the connection (EOF or reset) within timeout, with no further bytes."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
            if data:
                RECEIVED.append(data)
            return not data
        except (socket.timeout, TimeoutError):
            return False
        except (ConnectionResetError, OSError):
            return True


def build(ctx, method, target, headers=(), body=None, host=None, marker=True):
    lines = [f"{method} {target} HTTP/1.1"]
    if host is not False:
        lines.append(f"Host: {host or f'127.0.0.1:{ctx.proxy}'}")
    lines += [f"{k}: {v}" for k, v in headers]
    if marker:
        lines.append(f"X-Adv-Id: {ctx.attack_id}")
    if body is not None and not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in headers):
        lines.append(f"Content-Length: {len(body)}")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return data + (body if isinstance(body, bytes) else (body or "").encode("latin-1"))


def request(ctx, method, target, headers=(), body=None, host=None, conn=None, timeout=5.0):
    own = conn is None
    conn = conn or Conn.open(ctx.proxy)
    try:
        conn.send(build(ctx, method, target, headers, body, host))
        return conn.response(timeout, method)
    finally:
        if own:
            conn.close()


def raw_exchange(ctx, data, port=None, timeout=3.0, responses=2):
    """Sends raw bytes, reads up to `responses` answers; returns (answers, closed_after)."""
    conn = Conn.open(port or ctx.proxy)
    try:
        conn.send(data)
        answers = []
        for _ in range(responses):
            r = conn.response(timeout)
            if r.status is None:
                return answers, r.closed
            answers.append(r)
        return answers, conn.is_closed(0.5)
    finally:
        conn.close()


def tunnel(ctx, authority, headers=(), timeout=5.0):
    """CONNECT through the proxy; returns (answer, TLS Conn or None). The TLS client trusts only the proxy CA."""
    conn = Conn.open(ctx.proxy, timeout)
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"] + [f"{k}: {v}" for k, v in headers]
    conn.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    answer = conn.response(timeout, "CONNECT")
    if answer.status != 200:
        return answer, conn
    context = ssl.create_default_context(cafile=ctx.cfg["proxy_ca"])
    context.check_hostname = False
    tls = context.wrap_socket(conn.sock, server_hostname=authority.rsplit(":", 1)[0])
    secure = Conn(tls)
    secure.buf = conn.buf
    return answer, secure


# --- what the origins received

class Origins:
    def __init__(self, path):
        self.path = path

    def mark(self):
        return os.path.getsize(self.path) if os.path.exists(self.path) else 0

    def since(self, mark, probes=False, settle=0.05):
        """Entries appended after mark; probe requests are left out unless probes=True (then only them)."""
        time.sleep(settle)
        with open(self.path, "rb") as f:
            f.seek(mark)
            data = f.read()
        entries = [json.loads(line) for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
        return [e for e in entries if is_probe(e) == probes]


def is_probe(entry):
    return any(k.lower() == "user-agent" and v == PROBE_AGENT for k, v in entry.get("headers", []))


def header_values(entry, name):
    return [v for k, v in entry.get("headers", []) if k.lower() == name.lower()]


def leaked(ctx, text):
    """Names of the credentials found in text."""
    return [name for name, value in ctx.credentials.items() if value and value in text]


def entry_leaks(ctx, entry):
    text = entry.get("target", "") + "\n" + "\n".join(f"{k}: {v}" for k, v in entry.get("headers", [])) + entry.get("garbage", "")
    return leaked(ctx, text)


def show(ctx, entries, limit=3):
    out = []
    for e in entries[:limit]:
        if "garbage" in e:
            out.append(f"{e['origin']}: bytes {e['garbage'][:60]!r}")
        else:
            cred = entry_leaks(ctx, e)
            out.append(f"{e['origin']}: {e['method']} {e['target']}" + (f" WITH {'+'.join(cred)}" if cred else ""))
    more = f" (+{len(entries) - limit} more)" if len(entries) > limit else ""
    return "; ".join(out) + more


class Check:
    """Collects the problems of one attack; raise_if_any() fails it with all of them."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.problems = []

    def that(self, condition, problem):
        if not condition:
            self.problems.append(problem)
        return condition

    def status(self, resp, allowed, what="answer"):
        allowed = (allowed,) if isinstance(allowed, int) else tuple(allowed)
        return self.that(resp.status in allowed, f"{what}: {resp.describe()}, want {'/'.join(map(str, allowed))}")

    def refused(self, resp, allowed, reason=True):
        """The answer is one of allowed, carries a reason (unless the HTTP parser refused it), shows no credential."""
        if self.status(resp, allowed) and reason:
            self.that(len(resp.body.strip()) > 0, "the refusal gives no reason")
        self.no_leak_in(resp)

    def no_leak_in(self, resp):
        found = leaked(self.ctx, resp.raw.decode("latin-1"))
        self.that(not found, f"the client got the {', '.join(found)}")

    def nothing_upstream(self, entries):
        self.that(not entries, f"upstream received: {show(self.ctx, entries)}")

    def no_credential_upstream(self, entries):
        bad = [e for e in entries if entry_leaks(self.ctx, e)]
        self.that(not bad, f"credential sent upstream: {show(self.ctx, bad)}")

    def credential_only_in_scope(self, entries, origin, prefix):
        """Entries carrying a credential must be on `origin` with a clean target under `prefix`."""
        bad = []
        for e in entries:
            if not entry_leaks(self.ctx, e):
                continue
            target = e.get("target", "")
            path = target.split("?", 1)[0]
            segments = path.split("/")
            clean = not any(s in (".", "..") or "\\" in s or any(x in s.lower() for x in ("%2e", "%2f", "%5c")) for s in segments)
            under = prefix == "" or path == prefix or path.startswith(prefix + "/")
            if e.get("origin") != origin or not clean or not under:
                bad.append(e)
        self.that(not bad, f"credential sent outside {origin}{prefix}: {show(self.ctx, bad)}")

    def raise_if_any(self):
        if self.problems:
            raise AssertionError("; ".join(self.problems))
