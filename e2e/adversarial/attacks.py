#!/usr/bin/env python3
"""The adversarial catalogue: each attack asserts on what the client got and on what every recording origin
received. Usage: attacks.py CONFIG.json [NAME-FILTER] (70-adversarial.sh passes $ADV_ONLY as the filter; set
ADV_DEBUG=1 for tracebacks and smuggling details). Prints `ok   <name>` or `FAIL <name>: <why>` per attack,
then `N passed, N failed`; exits 1 when one failed.

The spec the attacks hold the proxy, the controller's probes and the CSI driver to:
 1 dot-segments, backslashes and encoded slashes in a forwarded path: 400 with a reason, nothing upstream;
   a Connector's credential only under its address's path prefix
 2 TRACE/TRACK: 405, nothing upstream        3 path-form Set-Cookie: Path under the Connector prefix, no Domain
 4 bounded metric labels                       5 a valid token answered within 1 s under a bogus-token flood
 6 client credential headers never upstream    7 forged/stale/wrong-audience/unauthorized tokens refused
 8 forward mode: credential only to the exact origin   9 CONNECT to anything else refused
10 redirects passed on, never followed        11 smuggling: 400 or closed, nothing smuggled upstream
12 CR/LF injection refused                    13 oversized heads refused, slow heads cut off
14 Upgrade without token: 401                 15 probes never follow a redirect with the credential
16 CSI targets: no symlinks, nothing left mounted   17 no credential in logs, metrics, events, status, answers
18 a tenant's Connector that leads back to the proxy: 508 after a few passes, never an endless loop
19 CR, LF or NUL in a Secret value or a probe path: never on the wire (no split header or request)
"""
import base64
import json
import os
import secrets
import selectors
import socket
import subprocess
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client import (RECEIVED, Check, Conn, Ctx, Origins, b64, build, header_values, leaked, proxy_auth,  # noqa: E402
                    raw_exchange, request, show, tunnel)

ctx = Ctx(sys.argv[1])
ONLY = sys.argv[2] if len(sys.argv) > 2 else ""
origins = Origins(ctx.origin_log)
ATTACKS = []
STATE = {"mark": 0}
WEB = "/namespaces/team/connectors/web"
ROOT = "/namespaces/team/connectors/root"


def attack(name):
    def register(fn):
        ATTACKS.append((name, fn))
        return fn
    return register


def upstream(probes=False, settle=0.05):
    return origins.since(STATE["mark"], probes=probes, settle=settle)


# --- fixtures: tokens minted once (each review result is cached by the proxy after first use)
T = ctx.mint("builder")


def bearer(token=None):
    return ("Authorization", "Bearer " + (token or T))


def basic_token(token=None):
    return ("Authorization", "Basic " + b64(":" + (token or T)))


def fwd(user="team/web", token=None):
    return proxy_auth(user, token or T)


def forged_jwt(claims=None, alg="RS256"):
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    payload = claims or {"iss": "https://kubernetes.default.svc", "sub": "system:serviceaccount:team:builder",
                         "aud": ["https://kubernetes.default.svc"], "exp": int(time.time()) + 3600,
                         "kubernetes.io": {"namespace": "team", "serviceaccount": {"name": "builder", "uid": secrets.token_hex(8)}}}
    sig = "" if alg == "none" else base64.urlsafe_b64encode(secrets.token_bytes(256)).rstrip(b"=").decode()
    return f"{enc({'alg': alg, 'kid': secrets.token_hex(8)})}.{enc(payload)}.{sig}"


class Slowloris:
    """Connections that send a request head one byte per second and never finish it (bounded by `bound` s)."""

    def __init__(self, first, trickle, count, bound=16.0):
        self.first, self.trickle, self.count, self.bound = first, trickle, count, bound
        self.cut = []          # seconds until the proxy closed each connection; None = still open at the bound
        self.lock = threading.Lock()
        self.threads = []

    def start(self):
        for _ in range(self.count):
            t = threading.Thread(target=self._run, daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def _run(self):
        begun = time.time()
        result = None
        try:
            s = socket.create_connection(("127.0.0.1", ctx.proxy), timeout=5)
            s.sendall(self.first)
            i = 0
            while time.time() - begun < self.bound:
                s.settimeout(1.0)
                try:
                    s.recv(4096)       # an answer (408, 400) or EOF: the proxy cut the connection off
                    result = time.time() - begun
                    break
                except (socket.timeout, TimeoutError):
                    pass
                s.sendall(self.trickle[i % len(self.trickle):i % len(self.trickle) + 1])
                i += 1
            s.close()
        except OSError:
            result = time.time() - begun
        with self.lock:
            self.cut.append(result)

    def wait(self):
        for t in self.threads:
            t.join(self.bound + 5)


SLOW_GET = Slowloris(f"GET {WEB}/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode(), b"X-Slow: " + b"a" * 64, 25)
SLOW_CONNECT = Slowloris(b"", f"CONNECT 127.0.0.1:{ctx.tls} HTTP/1.1\r\nX-Slow: ".encode() + b"a" * 200, 25)


# ============================================================ 1. path rule
def refused_path(c, target, headers, host=None, method="GET"):
    r = request(ctx, method, target, headers, host=host)
    c.refused(r, 400)
    c.nothing_upstream(upstream())


def allowed_path(c, target, headers, want, host=None):
    r = request(ctx, "GET", target, headers, host=host)
    c.status(r, (200,))
    got = upstream()
    c.that(len(got) == 1 and got[0]["target"] == want and ctx.basic in " ".join(header_values(got[0], "Authorization")),
           f"want one request with the credential at {want}, upstream received: {show(ctx, got) or 'nothing'}")


PATH_FORM = [
    ("plain ../..", "/../../secret"),
    ("%2e%2e", "/a/%2e%2e/%2e%2e/secret"),
    (".%2e", "/.%2e/secret"),
    ("%2E (single dot)", "/%2E/x"),
    ("plain ./", "/./x"),
    ("trailing ..", "/x/.."),
    ("raw backslash", "/..\\secret"),
    ("%5c", "/..%5csecret"),
    ("%2f", "/..%2fsecret"),
    ("%2F", "/a%2Fb"),
]
for _label, _rest in PATH_FORM:
    attack(f"path form {_label}: 400, nothing upstream")(
        lambda c, rest=_rest: refused_path(c, WEB + rest, [bearer()]))


@attack("path form: dot-segment before the connector prefix: 400")
def _(c):
    refused_path(c, "/namespaces/team/../team/connectors/web/x", [bearer()])


@attack("path form: %2e%2e as the connector name: 400")
def _(c):
    refused_path(c, "/namespaces/team/connectors/%2e%2e/web/x", [bearer()])


@attack("control: path form with .. in the query and dots inside names is served under /prefix")
def _(c):
    allowed_path(c, WEB + "/repo.git/info/refs?x=../..%2f", [bearer()], "/prefix/repo.git/info/refs?x=../..%2f")
    STATE["mark"] = origins.mark()
    allowed_path(c, WEB + "/.well-known/file..txt", [basic_token()], "/prefix/.well-known/file..txt")


HOST_FORM = [("../", "/../secret"), ("%2e%2e", "/%2e%2e/secret"), ("%5c", "/x/..%5c..%5csecret"), ("%2f", "/a%2f..%2f..%2fsecret")]
for _label, _rest in HOST_FORM:
    attack(f"host form {_label}: 400, nothing upstream")(
        lambda c, rest=_rest: refused_path(c, rest, [bearer()], host=f"c-web.team.svc:{ctx.proxy}"))


@attack("control: host form is served under /prefix with the credential")
def _(c):
    allowed_path(c, "/repo.git/info/refs", [bearer()], "/prefix/repo.git/info/refs", host="c-web.team.svc.cluster.local")


FORWARD_FORM = [("../", "/prefix/../secret"), ("%2e%2e", "/prefix/%2e%2e/secret"), ("%5c", "/prefix/..%5csecret"), ("%2f", "/prefix/a%2fb")]
for _label, _rest in FORWARD_FORM:
    attack(f"forward absolute-form {_label}: 400, nothing upstream")(
        lambda c, rest=_rest: refused_path(c, f"http://127.0.0.1:{ctx.tool}{rest}", [fwd()], host=f"127.0.0.1:{ctx.tool}"))


def curl(*args, timeout=10):
    run = subprocess.run(["curl", "-s", "-i", "--max-time", str(timeout), "-H", f"X-Adv-Id: {ctx.attack_id}", *args],
                         capture_output=True, timeout=timeout + 5)
    RECEIVED.append(run.stdout)
    text = run.stdout.decode("latin-1")
    # The last status line (curl -i prints a CONNECT answer first).
    statuses = [int(line.split()[1]) for line in text.splitlines() if line.startswith("HTTP/") and len(line.split()) > 1]
    return (statuses[-1] if statuses else None), text


@attack("forward via curl -x userinfo --path-as-is ../: 400, nothing upstream")
def _(c):
    status, text = curl("--path-as-is", "-x", f"http://team%2Fweb:{T}@127.0.0.1:{ctx.proxy}", f"http://127.0.0.1:{ctx.tool}/prefix/../secret")
    c.that(status == 400, f"curl got HTTP {status}, want 400")
    c.nothing_upstream(upstream())


@attack("control: forward via curl -x userinfo under /prefix gets the credential")
def _(c):
    status, _ = curl("-x", f"http://team%2Fweb:{T}@127.0.0.1:{ctx.proxy}", f"http://127.0.0.1:{ctx.tool}/prefix/x")
    c.that(status == 200, f"curl got HTTP {status}, want 200")
    got = upstream()
    c.that(any(ctx.basic in " ".join(header_values(e, "Authorization")) for e in got), f"no credential injected: {show(ctx, got) or 'nothing'}")


SCOPE = [("/prefixevil/x", "lookalike prefix /prefixevil"), ("/other/x", "same origin outside the prefix"), ("/PREFIX/x", "prefix in other case")]
for _path, _label in SCOPE:
    @attack(f"forward {_label}: no credential")
    def _(c, path=_path):
        r = request(ctx, "GET", f"http://127.0.0.1:{ctx.tool}{path}", [fwd()], host=f"127.0.0.1:{ctx.tool}")
        c.no_leak_in(r)
        c.no_credential_upstream(upstream())


def in_tunnel(c, path, method="GET", headers=(), authority=None, user="team/k8s"):
    authority = authority or f"127.0.0.1:{ctx.tls}"
    answer, conn = tunnel(ctx, authority, [fwd(user)])
    try:
        if not c.that(answer.status == 200, f"CONNECT {authority}: {answer.describe()}"):
            return None
        conn.send(build(ctx, method, path, headers, host=authority))
        return conn.response(5, method)
    finally:
        conn.close()


TUNNEL_FORM = [("../", "/k8s/../secret"), ("%2e%2e", "/k8s/%2e%2e/secret"), ("%2f", "/k8s/a%2fb")]
for _label, _path in TUNNEL_FORM:
    @attack(f"inside an intercepted CONNECT tunnel {_label}: 400, nothing upstream")
    def _(c, path=_path):
        r = in_tunnel(c, path)
        if r is not None:
            c.refused(r, 400)
        c.nothing_upstream(upstream())


@attack("control: inside the tunnel /k8s/api gets the bearer token")
def _(c):
    r = in_tunnel(c, "/k8s/api")
    if r is not None:
        c.status(r, 200)
    got = upstream()
    c.that(any(f"Bearer {ctx.cfg['secrets']['bearer']}" in header_values(e, "Authorization") for e in got),
           f"bearer not injected: {show(ctx, got) or 'nothing'}")
    c.credential_only_in_scope(got, "tls", "/k8s")


# ============================================================ 2. TRACE / TRACK
def trace(c, method, target, headers, host=None):
    r = request(ctx, method, target, headers, host=host)
    c.refused(r, 405)
    c.nothing_upstream(upstream())


attack("TRACE path form with a valid token: 405, nothing upstream, no credential echoed")(lambda c: trace(c, "TRACE", WEB + "/x", [bearer()]))
attack("TRACK path form with a valid token: 405")(lambda c: trace(c, "TRACK", WEB + "/x", [bearer()]))
attack("TRACE host form: 405")(lambda c: trace(c, "TRACE", "/x", [bearer()], host="c-web.team.svc"))
attack("TRACE forward absolute-form: 405")(lambda c: trace(c, "TRACE", f"http://127.0.0.1:{ctx.tool}/prefix/x", [fwd()], host=f"127.0.0.1:{ctx.tool}"))
attack("lowercase trace (a case-insensitive tool would echo it): refused")(lambda c: trace(c, "trace", WEB + "/x", [bearer()]))


@attack("TRACE without a token: 405 or 401, nothing upstream")
def _(c):
    r = request(ctx, "TRACE", WEB + "/x", [])
    c.refused(r, (405, 401))
    c.nothing_upstream(upstream())


@attack("TRACE inside an intercepted tunnel: 405, bearer never echoed")
def _(c):
    r = in_tunnel(c, "/k8s/x", "TRACE")
    if r is not None:
        c.refused(r, 405)
    c.nothing_upstream(upstream())


# ============================================================ 3. cookies
def cookies(c):
    r = request(ctx, "GET", ROOT + "/cookie", [bearer()])
    c.status(r, 200)
    parsed = {}
    for value in r.header("Set-Cookie"):
        parts = [p.strip() for p in value.split(";")]
        name = parts[0].split("=", 1)[0]
        parsed[name] = {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else "") for p in parts[1:]}
    return parsed


@attack("path form Set-Cookie Path=/ becomes Path=/namespaces/team/connectors/root/")
def _(c):
    got = cookies(c).get("sid", {})
    c.that(got.get("path") == ROOT + "/", f"sid cookie Path={got.get('path')!r}")


@attack("path form Set-Cookie Path=/x becomes Path=/namespaces/team/connectors/root/x")
def _(c):
    got = cookies(c).get("sub", {})
    c.that(got.get("path") == ROOT + "/x", f"sub cookie Path={got.get('path')!r}")


@attack("path form Set-Cookie Domain=example.com is dropped")
def _(c):
    got = cookies(c)
    c.that(got and not any("domain" in attrs for attrs in got.values()), f"cookies kept a Domain: {got}")


# ============================================================ 6. client credential headers
def one_injected(c, got, header, value, forbidden=()):
    c.that(len(got) == 1, f"want one upstream request, got: {show(ctx, got) or 'nothing'}")
    for e in got:
        values = header_values(e, header)
        c.that(values == [value], f"upstream {header}: {values}, want only the injected one")
        text = json.dumps(e)
        for f in (T,) + tuple(forbidden):
            c.that(f not in text, "a client credential reached the upstream")


@attack("reverse Basic with the token: upstream gets only the injected Basic")
def _(c):
    r = request(ctx, "GET", WEB + "/x", [basic_token()])
    c.status(r, 200)
    one_injected(c, upstream(), "Authorization", "Basic " + ctx.basic)


@attack("reverse Bearer + a second Authorization with Basic creds of the client: client's never upstream")
def _(c):
    client_basic = b64("advuser:guessed-" + secrets.token_hex(4))
    r = request(ctx, "GET", WEB + "/x", [bearer(), ("Authorization", "Basic " + client_basic)])
    c.no_leak_in(r)
    got = upstream()
    c.that(all(client_basic not in json.dumps(e) and T not in json.dumps(e) for e in got), f"client Authorization upstream: {show(ctx, got)}")
    c.credential_only_in_scope(got, "tool", "/prefix")


@attack("reverse with Proxy-Authorization as well: neither header reaches the upstream")
def _(c):
    r = request(ctx, "GET", WEB + "/x", [bearer(), fwd()])
    c.status(r, 200)
    got = upstream()
    one_injected(c, got, "Authorization", "Basic " + ctx.basic)
    c.that(all(not header_values(e, "Proxy-Authorization") for e in got), "Proxy-Authorization reached the upstream")


@attack("gitlab: token in Private-Token is replaced by the PAT, once")
def _(c):
    r = request(ctx, "GET", "/namespaces/team/connectors/lab/api/v4/projects", [("Private-Token", T)])
    c.status(r, 200)
    one_injected(c, upstream(), "PRIVATE-TOKEN", ctx.cfg["secrets"]["pat"])


@attack("gitlab: Bearer token + client Private-Token value: only the PAT upstream")
def _(c):
    mine = "client-" + secrets.token_hex(6)
    r = request(ctx, "GET", "/namespaces/team/connectors/lab/api/v4/projects", [bearer(), ("Private-Token", mine)])
    c.status(r, 200)
    one_injected(c, upstream(), "PRIVATE-TOKEN", ctx.cfg["secrets"]["pat"], (mine,))


@attack("gitlab git transport: client Private-Token never upstream, Basic PAT injected")
def _(c):
    mine = "client-" + secrets.token_hex(6)
    r = request(ctx, "GET", "/namespaces/team/connectors/lab/g/r.git/info/refs", [bearer(), ("Private-Token", mine)])
    c.status(r, (200, 302))
    got = upstream()
    c.that(all(mine not in json.dumps(e) and T not in json.dumps(e) for e in got), f"client header upstream: {show(ctx, got)}")


@attack("forward: client Authorization with Basic creds never upstream, injected one is")
def _(c):
    client_basic = b64("advuser:guessed-" + secrets.token_hex(4))
    r = request(ctx, "GET", f"http://127.0.0.1:{ctx.tool}/prefix/x", [fwd(), ("Authorization", "Basic " + client_basic)], host=f"127.0.0.1:{ctx.tool}")
    c.status(r, 200)
    one_injected(c, upstream(), "Authorization", "Basic " + ctx.basic, (client_basic,))


@attack("forward outside the prefix with Authorization: Bearer <token>: the token never upstream")
def _(c):
    request(ctx, "GET", f"http://127.0.0.1:{ctx.tool}/outside", [fwd(), bearer()], host=f"127.0.0.1:{ctx.tool}")
    got = upstream()
    c.that(all(T not in json.dumps(e) for e in got), f"workload token upstream: {show(ctx, got)}")
    c.no_credential_upstream(got)


@attack("tunnel: client Authorization (workload token) replaced by the bearer token")
def _(c):
    r = in_tunnel(c, "/k8s/api", headers=[bearer()])
    if r is not None:
        c.status(r, 200)
    one_injected(c, upstream(), "Authorization", "Bearer " + ctx.cfg["secrets"]["bearer"])


# ============================================================ 7. tokens
def token_refused(c, token, allowed=(401,), target=WEB + "/x"):
    r = request(ctx, "GET", target, [bearer(token)])
    c.refused(r, allowed)
    c.nothing_upstream(upstream())


attack("forged JWT (random signature): 401, nothing upstream")(lambda c: token_refused(c, forged_jwt()))
attack("alg=none JWT claiming team/builder: 401")(lambda c: token_refused(c, forged_jwt(alg="none")))


@attack("valid token with a tampered signature: 401")
def _(c):
    head, payload, sig = ctx.mint("builder").split(".")
    token_refused(c, f"{head}.{payload}.{sig[:-6]}{'A' if sig[-6] != 'A' else 'B'}{sig[-5:]}")


@attack("token of a deleted ServiceAccount: 401")
def _(c):
    token = ctx.mint("doomed")
    ctx.kubectl_run("-n", "team", "delete", "serviceaccount", "doomed")
    token_refused(c, token)


@attack("token of a deleted-and-recreated ServiceAccount (old UID): 401")
def _(c):
    ctx.kubectl_run("-n", "team", "create", "serviceaccount", "doomed")
    token = ctx.mint("doomed")
    ctx.kubectl_run("-n", "team", "delete", "serviceaccount", "doomed")
    ctx.kubectl_run("-n", "team", "create", "serviceaccount", "doomed")
    token_refused(c, token)


attack("token for another audience (https://evil.example): 401")(lambda c: token_refused(c, ctx.mint("builder", audience="https://evil.example")))
attack("ServiceAccount without RBAC: 403")(lambda c: token_refused(c, ctx.mint("intruder"), (403,)))
attack("ServiceAccount of another namespace (RBAC only there): 403")(lambda c: token_refused(c, ctx.mint("builder", ns="elsewhere"), (403,)))
attack("allowed ServiceAccount on a Connector its Role does not name: 403")(
    lambda c: token_refused(c, None, (403,), "/namespaces/team/connectors/other/x"))


@attack("forward with a forged token: 407, nothing upstream")
def _(c):
    r = request(ctx, "GET", f"http://127.0.0.1:{ctx.tool}/prefix/x", [fwd(token=forged_jwt())], host=f"127.0.0.1:{ctx.tool}")
    c.refused(r, 407)
    c.nothing_upstream(upstream())


@attack("forward with a ServiceAccount without RBAC: 403, nothing upstream")
def _(c):
    r = request(ctx, "GET", f"http://127.0.0.1:{ctx.tool}/prefix/x", [fwd(token=ctx.mint("intruder"))], host=f"127.0.0.1:{ctx.tool}")
    c.refused(r, 403)
    c.nothing_upstream(upstream())


# ============================================================ 8. foreign targets, forward mode
def foreign_target(c, url, host=None):
    wire = lambda text: text.encode("utf-8").decode("latin-1")  # noqa: E731 (UTF-8 bytes on the wire)
    r = request(ctx, "GET", wire(url), [fwd()], host=wire(host or url.split("/")[2].split("@")[-1]), timeout=8)
    c.no_leak_in(r)
    got = upstream()
    if os.environ.get("ADV_DEBUG"):
        print(f"     debug: {r.describe()}; upstream: {show(ctx, got) or 'nothing'}")
    c.credential_only_in_scope(got, "tool", "/prefix")
    c.that(not [e for e in got if e.get("origin") == "foreign"], f"the foreign origin was reached: {show(ctx, got)}")


FOREIGN = [
    ("other port", "http://127.0.0.1:{foreign}/prefix/x", None),
    ("other scheme (https to the http origin)", "https://127.0.0.1:{tool}/prefix/x", None),
    ("localhost instead of 127.0.0.1", "http://localhost:{tool}/prefix/x", None),
    ("127.0.0.2", "http://127.0.0.2:{tool}/prefix/x", None),
    ("nip.io lookalike", "http://127.0.0.1.nip.io:{tool}/prefix/x", None),
    ("userinfo user@", "http://user@127.0.0.1:{tool}/prefix/x", None),
    ("userinfo that looks like the origin", "http://127.0.0.1:{tool}@127.0.0.1:{foreign}/prefix/x", None),
    ("IDN fullwidth digits on the foreign port", "http://\uff11\uff12\uff17.0.0.1:{foreign}/prefix/x", None),
    ("trailing dot", "http://127.0.0.1.:{tool}/prefix/x", None),
    ("decimal IP on the foreign port", "http://2130706433:{foreign}/prefix/x", None),
    ("Host header of the foreign origin", "http://127.0.0.1:{tool}/prefix/x", "127.0.0.1:{foreign}"),
]
for _label, _url, _host in FOREIGN:
    @attack(f"forward to {_label}: credential only to the exact origin and prefix")
    def _(c, url=_url, host=_host):
        fill = {"tool": ctx.tool, "foreign": ctx.foreign}
        target = url.format(**fill)
        foreign_target(c, target, host.format(**fill) if host else None)


# ============================================================ 9. CONNECT elsewhere
def connect_refused(c, authority, headers, allowed=(403,), reason=True):
    conn = Conn.open(ctx.proxy)
    try:
        lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"] + [f"{k}: {v}" for k, v in headers]
        conn.send(("\r\n".join(lines) + "\r\n\r\n").encode())
        r = conn.response(5, "CONNECT")
        c.refused(r, allowed, reason)
        # Whatever follows must not travel through a tunnel.
        try:
            conn.send(build(ctx, "GET", "/prefix/after-refused-connect", [], host=authority))
            conn.response(1)
        except OSError:
            pass
    finally:
        conn.close()
    c.nothing_upstream(upstream())


attack("CONNECT example.com:443: 403, no tunnel")(lambda c: connect_refused(c, "example.com:443", [fwd()]))
attack("CONNECT a loopback port that is no Connector's: 403, no tunnel")(lambda c: connect_refused(c, f"127.0.0.1:{ctx.foreign}", [fwd()]))
attack("CONNECT the proxy itself: 403")(lambda c: connect_refused(c, f"127.0.0.1:{ctx.proxy}", [fwd()]))
attack("CONNECT the health listener: 403")(lambda c: connect_refused(c, f"127.0.0.1:{ctx.health}", [fwd()]))
attack("CONNECT localhost:<tls port> (lookalike of the Connector): 403")(lambda c: connect_refused(c, f"localhost:{ctx.tls}", [fwd("team/k8s")]))
attack("CONNECT to the Connector with a token without RBAC: 403")(
    lambda c: connect_refused(c, f"127.0.0.1:{ctx.tls}", [fwd("team/k8s", ctx.mint("intruder"))]))
attack("CONNECT without Proxy-Authorization: 407")(lambda c: connect_refused(c, f"127.0.0.1:{ctx.tls}", [], (407,)))


@attack("CONNECT the embedded API server: 403")
def _(c):
    server = [line.split("server:")[1].strip() for line in open(ctx.kubeconfig) if "server:" in line][0]
    connect_refused(c, server.split("://")[1].rstrip("/"), [fwd()])


# ============================================================ 10. redirects
def redirect_not_followed(c, r, location):
    c.status(r, (302, 307))
    c.that(r.header("Location") == [location] or (r.header("Location") and "landing" in r.header("Location")[0]),
           f"Location {r.header('Location')}")
    got = upstream(settle=0.3)
    c.that(not [e for e in got if e["origin"] == "foreign"], f"the proxy followed the redirect: {show(ctx, got)}")


LANDING = "http://127.0.0.1:{}/landing"


@attack("reverse: 302 to a foreign origin is passed on, not followed")
def _(c):
    to = LANDING.format(ctx.foreign)
    redirect_not_followed(c, request(ctx, "GET", f"{ROOT}/redirect?to={to}", [bearer()]), to)


@attack("reverse: 307 after POST to a foreign origin is passed on, not followed")
def _(c):
    to = LANDING.format(ctx.foreign)
    redirect_not_followed(c, request(ctx, "POST", f"{ROOT}/redirect307?to={to}", [bearer()], body="x=1"), to)


@attack("forward: 302 to a foreign origin is passed on, not followed")
def _(c):
    to = LANDING.format(ctx.foreign)
    r = request(ctx, "GET", f"http://127.0.0.1:{ctx.tool}/prefix/redirect?to={to}", [fwd()], host=f"127.0.0.1:{ctx.tool}")
    redirect_not_followed(c, r, to)


@attack("tunnel: 302 to a foreign origin is passed on, not followed")
def _(c):
    to = LANDING.format(ctx.foreign)
    r = in_tunnel(c, f"/k8s/redirect?to={to}")
    if r is not None:
        redirect_not_followed(c, r, to)


# ============================================================ 11. smuggling
SMUGGLED = "GET /namespaces/team/connectors/other/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Adv-Id: {id}-smuggled\r\n\r\n"


def smuggle(c, head_lines, body, allow_pipelined_answer=False):
    head = "\r\n".join([f"POST {WEB}/upload HTTP/1.1", f"Host: 127.0.0.1:{ctx.proxy}", f"Authorization: Bearer {T}",
                        f"X-Adv-Id: {ctx.attack_id}"] + head_lines) + "\r\n\r\n"
    answers, closed = raw_exchange(ctx, (head + body).encode("latin-1"), timeout=3)
    if os.environ.get("ADV_DEBUG"):
        print("     debug:", [a.describe() for a in answers], "closed" if closed else "open", show(ctx, upstream(settle=0.2)))
    first = answers[0] if answers else None
    c.that((first is not None and first.status == 400) or (len(answers) <= 1 and closed),
           "want 400, or the connection closed after one answer; got " + (", ".join(a.describe() for a in answers) or "nothing")
           + ("" if closed else " (connection kept open)"))
    got = upstream(settle=0.2)
    smuggled = [e for e in got if "smuggled" in e.get("target", "") or "smuggled" in json.dumps(e.get("headers", []))
                or "garbage" in e]
    c.that(not smuggled, f"smuggled upstream: {show(ctx, smuggled)}")
    c.that(not [e for e in got if e["origin"] == "other"], "the other Connector's tool was reached")


@attack("CL+TE together (CL.TE): 400 or closed, nothing smuggled")
def _(c):
    body = "0\r\n\r\n" + SMUGGLED.format(id=ctx.attack_id)
    smuggle(c, [f"Content-Length: {len(body)}", "Transfer-Encoding: chunked"], body)


@attack("TE+CL together (TE.CL): 400 or closed, nothing smuggled")
def _(c):
    inner = SMUGGLED.format(id=ctx.attack_id)
    body = f"{len(inner):x}\r\n{inner}\r\n0\r\n\r\n"
    smuggle(c, ["Transfer-Encoding: chunked", "Content-Length: 4"], body)


@attack("two different Content-Length values: 400, nothing smuggled")
def _(c):
    inner = SMUGGLED.format(id=ctx.attack_id)
    smuggle(c, ["Content-Length: 0", f"Content-Length: {len(inner)}"], inner)


@attack("Content-Length list '0, N': 400, nothing smuggled")
def _(c):
    inner = SMUGGLED.format(id=ctx.attack_id)
    smuggle(c, [f"Content-Length: 0, {len(inner)}"], inner)


@attack("Transfer-Encoding chunked + a second TE header 'identity': 400, nothing smuggled")
def _(c):
    body = "0\r\n\r\n" + SMUGGLED.format(id=ctx.attack_id)
    smuggle(c, ["Transfer-Encoding: chunked", "Transfer-Encoding: identity", f"Content-Length: {len(body)}"], body)


@attack("obs-fold header line: 400, nothing upstream")
def _(c):
    smuggle(c, ["X-Fold: a", " Authorization: Bearer folded", "Content-Length: 0"], "")


@attack("chunk size overflow: 400 or closed, nothing smuggled")
def _(c):
    smuggle(c, ["Transfer-Encoding: chunked"], "fffffffffffffffffff1\r\n" + SMUGGLED.format(id=ctx.attack_id) + "\r\n0\r\n\r\n")


@attack("pipelined: second request to another Connector without a token is refused")
def _(c):
    data = build(ctx, "GET", WEB + "/first", [bearer()]) + build(ctx, "GET", "/namespaces/team/connectors/other/second", [])
    answers, _ = raw_exchange(ctx, data, responses=2)
    c.that(len(answers) >= 1 and answers[0].status == 200, f"first: {answers[0].describe() if answers else 'none'}")
    c.that(len(answers) < 2 or answers[1].status in (401, 403), f"second: {answers[1].describe() if len(answers) > 1 else ''}")
    got = upstream()
    c.that(not [e for e in got if e["origin"] == "other"], f"the second request went upstream: {show(ctx, got)}")


@attack("pipelined forward: second absolute-form request to a foreign origin without Proxy-Authorization: 407")
def _(c):
    data = (build(ctx, "GET", f"http://127.0.0.1:{ctx.tool}/prefix/first", [fwd()], host=f"127.0.0.1:{ctx.tool}")
            + build(ctx, "GET", f"http://127.0.0.1:{ctx.foreign}/prefix/second", [], host=f"127.0.0.1:{ctx.foreign}"))
    answers, _ = raw_exchange(ctx, data, responses=2)
    c.that(len(answers) >= 1 and answers[0].status == 200, f"first: {answers[0].describe() if answers else 'none'}")
    c.that(len(answers) < 2 or answers[1].status == 407, f"second: {answers[1].describe() if len(answers) > 1 else ''}")
    got = upstream()
    c.that(not [e for e in got if e["origin"] == "foreign"], f"the foreign origin was reached: {show(ctx, got)}")


@attack("pipelined: CONNECT after a request on the same connection is refused, no tunnel")
def _(c):
    data = build(ctx, "GET", WEB + "/first", [bearer()]) + f"CONNECT 127.0.0.1:{ctx.foreign} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    answers, _ = raw_exchange(ctx, data, responses=2)
    c.that(len(answers) < 2 or answers[1].status in (400, 403, 405, 407), f"second: {answers[1].describe() if len(answers) > 1 else ''}")
    c.that(not [e for e in upstream() if e["origin"] == "foreign"], "the foreign origin was reached")


# ============================================================ 12. CR/LF
def injected(entries):
    return [e for e in entries if any(k.lower() == "x-injected" for k, _ in e.get("headers", []))
            or "\r" in e.get("target", "") or "\n" in e.get("target", "")]


def crlf_refused(c, data, allowed=(400,)):
    answers, closed = raw_exchange(ctx, data, responses=1)
    if answers:
        c.refused(answers[0], allowed, reason=False)
        c.that(not answers[0].header("X-Injected"), "a header was injected into the response")
    else:
        c.that(closed, "no answer")
    c.nothing_upstream(upstream())


attack("raw CR LF in the request-target: 400, nothing upstream")(lambda c: crlf_refused(
    c, f"GET {WEB}/x\r\nX-Injected: yes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {T}\r\nX-Adv-Id: {ctx.attack_id}\r\n\r\n".encode()))
attack("bare CR in a header value: 400, nothing upstream")(lambda c: crlf_refused(
    c, f"GET {WEB}/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {T}\r\nX-Note: a\rX-Injected: yes\r\nX-Adv-Id: {ctx.attack_id}\r\n\r\n".encode()))
attack("bare LF inside a header value: 400, nothing upstream")(lambda c: crlf_refused(
    c, f"GET {WEB}/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {T}\r\nX-Note: a\nX-Injected: yes\r\nX-Adv-Id: {ctx.attack_id}\r\n\r\n".encode()))
attack("NUL in a header value: 400, nothing upstream")(lambda c: crlf_refused(
    c, f"GET {WEB}/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {T}\r\nX-Note: a\x00b\r\nX-Adv-Id: {ctx.attack_id}\r\n\r\n".encode()))


@attack("CR LF in the proxy user name: refused, nothing injected")
def _(c):
    data = build(ctx, "GET", f"http://127.0.0.1:{ctx.tool}/prefix/x", [proxy_auth("team/web\r\nX-Injected: yes", T)], host=f"127.0.0.1:{ctx.tool}")
    crlf_refused(c, data, (400, 403, 404, 407))


@attack("encoded CR LF in the path-form namespace: refused, nothing injected")
def _(c):
    crlf_refused(c, build(ctx, "GET", "/namespaces/te%0d%0aX-Injected:%20yes/connectors/web/x", [bearer()]), (400, 404))


@attack("encoded CR LF in the path: refused, or forwarded still encoded (never decoded upstream)")
def _(c):
    r = request(ctx, "GET", WEB + "/x%0d%0aX-Injected:%20yes", [bearer()])
    c.no_leak_in(r)
    got = upstream()
    c.that(not injected(got), f"injected upstream: {show(ctx, got)}")
    c.that(r.status == 400 or all("%0d%0a" in e["target"].lower() for e in got), f"{r.describe()}; upstream {show(ctx, got)}")


# ============================================================ 13. oversized and slow heads
@attack("100 KiB header: 431 or 400, nothing upstream")
def _(c):
    r = request(ctx, "GET", WEB + "/x", [bearer(), ("X-Big", "a" * 102400)])
    c.refused(r, (431, 400), reason=False) if r.status is not None else c.that(r.closed, r.describe())
    c.nothing_upstream(upstream())


@attack("300 header fields: 431 or 400, nothing upstream")
def _(c):
    r = request(ctx, "GET", WEB + "/x", [bearer()] + [(f"X-H{i}", "v") for i in range(300)])
    c.refused(r, (431, 400), reason=False) if r.status is not None else c.that(r.closed, r.describe())
    c.nothing_upstream(upstream())


@attack("100 KiB request-target: 414, 431 or 400, nothing upstream")
def _(c):
    r = request(ctx, "GET", WEB + "/" + "a" * 102400, [bearer()])
    c.refused(r, (414, 431, 400), reason=False) if r.status is not None else c.that(r.closed, r.describe())
    c.nothing_upstream(upstream())


@attack("100 KiB CONNECT head: 431 or 400, no tunnel")
def _(c):
    connect_refused(c, f"127.0.0.1:{ctx.tls}", [fwd("team/k8s"), ("X-Big", "a" * 102400)], (431, 400), reason=False)


@attack("slowloris (25 heads at 1 byte/s, plain and CONNECT) does not block another client")
def _(c):
    begun = time.time()
    r = request(ctx, "GET", WEB + "/during-slowloris", [bearer()])
    took = time.time() - begun
    c.status(r, 200)
    c.that(took < 2.0, f"answered in {took:.2f}s")
    print(f"     (request during slowloris answered in {took * 1000:.0f} ms)")


def slowloris_cut(c, slow, what):
    slow.wait()
    cut = [t for t in slow.cut if t is not None]
    c.that(len(cut) == slow.count and max(cut) <= 15.5,
           f"{what}: {len(cut)}/{slow.count} cut off within {slow.bound:.0f}s" + (f" (last after {max(cut):.1f}s)" if cut else ""))
    print(f"     ({what}: {len(cut)}/{slow.count} connections cut off" + (f", after {min(cut):.1f}-{max(cut):.1f}s)" if cut else ")"))
    c.nothing_upstream([e for e in upstream() if "slow" in e.get("target", "")])


attack("slowloris request head is cut off within 15 s")(lambda c: slowloris_cut(c, SLOW_GET, "plain heads"))
attack("slowloris CONNECT head is cut off within 15 s")(lambda c: slowloris_cut(c, SLOW_CONNECT, "CONNECT heads"))


# ============================================================ 14. upgrade
UPGRADE = [("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")]
attack("WebSocket upgrade without a token (path form): 401, nothing upstream")(lambda c: (
    c.refused(request(ctx, "GET", WEB + "/ws", UPGRADE), 401), c.nothing_upstream(upstream())))
attack("WebSocket upgrade without a token (host form): 401, nothing upstream")(lambda c: (
    c.refused(request(ctx, "GET", "/ws", UPGRADE, host="c-web.team.svc"), 401), c.nothing_upstream(upstream())))
attack("WebSocket upgrade with a forged token: 401, nothing upstream")(lambda c: (
    c.refused(request(ctx, "GET", WEB + "/ws", UPGRADE + [bearer(forged_jwt())]), 401), c.nothing_upstream(upstream())))
attack("WebSocket upgrade forward without Proxy-Authorization: 407, nothing upstream")(lambda c: (
    c.refused(request(ctx, "GET", f"http://127.0.0.1:{ctx.tool}/prefix/ws", UPGRADE, host=f"127.0.0.1:{ctx.tool}"), 407),
    c.nothing_upstream(upstream())))


# ============================================================ 15. probes
def condition(name, kind):
    return ctx.kubectl_run("-n", "team", "get", "connector", name, "-o", f"jsonpath={{.status.conditions[?(@.type==\"{kind}\")].status}}").strip()


def probe_redirect(c, name, probe_path):
    deadline = time.time() + 20
    while time.time() < deadline and not condition(name, "AuthReady"):
        time.sleep(0.2)
    probes = origins.since(0, probes=True, settle=0)
    reached = [e for e in probes if e["origin"] == "redir" and e["target"].split("?")[0].endswith(probe_path)]
    c.that(reached, f"the auth probe never reached the tool at {probe_path}: the attack proves nothing")
    foreign = [e for e in probes if e["origin"] == "foreign" and e["target"].split("?")[0].endswith(probe_path)]
    bad = [e for e in foreign if leaked(ctx, json.dumps(e["headers"]))]
    c.that(not bad, f"the probe sent the credential to the foreign origin: {show(ctx, bad)}")
    status = condition(name, "AuthReady")
    c.that(status != "True", f"AuthReady={status!r} after a redirect to a foreign origin")


attack("gitlab auth probe redirected to a foreign origin: no PAT there, not AuthReady")(lambda c: probe_redirect(c, "lab", "/api/v4/user"))
attack("git auth probe redirected to a foreign origin: no Basic there, not AuthReady")(lambda c: probe_redirect(c, "gitredir", "/info/refs"))


# ============================================================ 15b. tenant objects: loops, values that break a header
def apply(text):
    path = os.path.join(ctx.tmp, f"apply-{secrets.token_hex(4)}.yaml")
    with open(path, "w") as f:
        f.write(text)
    ctx.kubectl_run("apply", "-f", path)


def tenant_connector(name, cls, auth, address, secret_type, data, params=""):
    """A Connector and its Secret as a tenant may write them, usable by team/builder."""
    apply(f"""apiVersion: v1
kind: Secret
metadata: {{name: {name}-secret, namespace: team}}
type: {secret_type}
data: {{{", ".join(f"{k}: {b64(v)}" for k, v in data.items())}}}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {{name: {name}, namespace: team}}
spec:
  connectorClassName: {cls}
  address: {address}
  auth: {{name: {auth}, secretRef: {{name: {name}-secret}}{params}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {{name: use-{name}, namespace: team}}
rules: [{{apiGroups: [connectors.alauda.io], resources: [connectors], resourceNames: [{name}], verbs: [get]}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {{name: use-{name}, namespace: team}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-{name}}}
subjects: [{{kind: ServiceAccount, name: builder, namespace: team}}]
""")


def served(target, want=None, bound=10.0):
    """The first answer that is not a 404 (the proxy has not seen the Connector yet) within `bound` s."""
    deadline = time.time() + bound
    while True:
        r = request(ctx, "GET", target, [bearer()], timeout=8)
        if r.status != 404 or time.time() > deadline:
            return r
        time.sleep(0.2)


def log_lines(connector):
    with open(ctx.cfg["log"], encoding="utf-8", errors="replace") as f:
        return [line for line in f if f'"Connector":"{connector}"' in line and '"Id":6001' in line]


@attack("Connector whose address is the proxy itself, its Secret an accepted token: 508 after a few passes, no endless loop")
def _(c):
    address = f"http://127.0.0.1:{ctx.proxy}/namespaces/team/connectors/loop"
    tenant_connector("loop", "k8s", "bearerTokenAuth", address, "connectors.cpaas.io/bearer-token", {"token": ctx.mint("builder")})
    r = served("/namespaces/team/connectors/loop/api")
    c.refused(r, 508)
    time.sleep(0.5)
    passes = len(log_lines("team/loop"))
    c.that(passes <= 4, f"{passes} proxy passes for one request (want at most 4)")


def split_upstream(evil, marker):
    """Whatever reached any origin with the attack's own header line or smuggled request-target."""
    return [e for e in origins.since(0, probes=True, settle=0.2) if ["X-Evil", evil] in [list(h) for h in e["headers"]] or marker in e["target"]]


@attack("GitLab PAT with CR LF in its Secret: 502, no header line or request of the Secret's reaches the tool")
def _(c):
    pat = f"glpat-{secrets.token_hex(8)}"
    ctx.credentials["crlf PAT"] = pat
    tenant_connector("crlfpat", "gitlab", "patAuth", f"http://127.0.0.1:{ctx.tool}/gl", "connectors.cpaas.io/gitlab-pat-auth",
                     {"token": f"{pat}\r\nX-Evil: pat\r\nContent-Length: 5"})
    r = served("/namespaces/team/connectors/crlfpat/api/v4/projects")
    c.refused(r, 502)
    c.nothing_upstream(upstream())
    time.sleep(1.0)  # the controller's probes of the new Connector
    bad = split_upstream("pat", "/smuggled-pat")
    c.that(not bad, f"the tool received a split header: {show(ctx, bad)}")


@attack("Connector param with CR LF (repository): the controller's probe is not split, the Connector is not Ready")
def _(c):
    tenant_connector("crlfpath", "git", "basicAuth", f"http://127.0.0.1:{ctx.tool}/p", "kubernetes.io/basic-auth",
                     {"username": "u", "password": f"pw-{secrets.token_hex(8)}"},
                     params=', params: [{name: repository, value: "r.git HTTP/1.1\\r\\nX-Evil: path\\r\\n\\r\\nGET /smuggled"}]')
    deadline = time.time() + 15
    while time.time() < deadline and not condition("crlfpath", "AuthReady"):
        time.sleep(0.2)
    time.sleep(1.0)
    bad = split_upstream("path", "/smuggled")
    c.that(not bad, f"the probe was split: {show(ctx, bad)}")
    ready = condition("crlfpath", "Ready")
    c.that(ready != "True", f"Ready={ready!r} with a probe path that cannot be sent")


# ============================================================ 16. CSI targets
def publish(target):
    return subprocess.run([ctx.bin, "csi", "publish", "--endpoint", ctx.cfg["csi"], "--target", target, "--connector", "team/web",
                           "--configurations", "gitconfig", "--pod-namespace", "team", "--service-account", "builder"],
                          capture_output=True, text=True, timeout=30)


def unpublish(target):
    return subprocess.run([ctx.bin, "csi", "unpublish", "--endpoint", ctx.cfg["csi"], "--target", target], capture_output=True, text=True, timeout=30)


def mounts_under(path):
    real = os.path.realpath(path)
    with open("/proc/self/mountinfo") as f:
        return [line.split()[4] for line in f if line.split()[4] == real or line.split()[4].startswith(real + "/")]


CSI = os.path.join(ctx.tmp, "csi-attacks")


@attack("CSI target that is a symlink to another directory: refused, nothing written there")
def _(c):
    pod, elsewhere = os.path.join(CSI, "pod1"), os.path.join(CSI, "elsewhere1")
    os.makedirs(pod)
    os.makedirs(elsewhere)
    os.symlink(elsewhere, os.path.join(pod, "volume"))
    run = publish(os.path.join(pod, "volume"))
    c.that(run.returncode != 0, "publish through a symlinked target succeeded")
    c.that(not os.listdir(elsewhere) and not mounts_under(elsewhere), f"the link's target got {os.listdir(elsewhere)} {mounts_under(elsewhere)}")
    unpublish(os.path.join(pod, "volume"))


@attack("CSI target under a symlinked parent directory: refused, nothing written there")
def _(c):
    base, elsewhere = os.path.join(CSI, "base2"), os.path.join(CSI, "elsewhere2")
    os.makedirs(base)
    os.makedirs(elsewhere)
    os.symlink(elsewhere, os.path.join(base, "pod"))
    target = os.path.join(base, "pod", "volume")
    run = publish(target)
    c.that(run.returncode != 0, "publish under a symlinked parent succeeded")
    c.that(not os.listdir(elsewhere) and not mounts_under(elsewhere), f"the link's target got {os.listdir(elsewhere)} {mounts_under(elsewhere)}")
    unpublish(target)


@attack("CSI unpublish through a symlinked path leaves the real volume mounted and intact")
def _(c):
    pod = os.path.join(CSI, "pod3")
    target = os.path.join(pod, "volume")
    os.makedirs(pod)
    run = publish(target)
    if not c.that(run.returncode == 0, f"publish: {run.stderr.strip()[:200]}"):
        return
    before = sorted(os.listdir(target))
    os.symlink(pod, os.path.join(CSI, "pod3-link"))
    unpublish(os.path.join(CSI, "pod3-link", "volume"))
    c.that(os.path.isdir(target) and sorted(os.listdir(target)) == before, "the volume behind the link was removed or changed")
    if os.geteuid() == 0:
        c.that(mounts_under(target), "the tmpfs behind the link was unmounted")
    unpublish(target)


@attack("CSI publish then unpublish: no tmpfs left mounted, target removed")
def _(c):
    target = os.path.join(CSI, "pod4", "volume")
    os.makedirs(os.path.dirname(target))
    run = publish(target)
    c.that(run.returncode == 0, f"publish: {run.stderr.strip()[:200]}")
    if os.geteuid() == 0:
        c.that(mounts_under(target), "no tmpfs mounted while published (root, --csi-tmpfs auto)")
    run = unpublish(target)
    c.that(run.returncode == 0, f"unpublish: {run.stderr.strip()[:200]}")
    c.that(not mounts_under(os.path.dirname(target)), f"still mounted: {mounts_under(os.path.dirname(target))}")
    c.that(not os.path.exists(target), "the target still exists")


# ============================================================ 4. metric labels
def metrics():
    conn = Conn.open(ctx.health)
    try:
        conn.send(f"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:{ctx.health}\r\nConnection: close\r\n\r\n".encode())
        r = conn.response(10)
        RECEIVED.pop()   # the scan below reads /metrics itself; not an attacker's answer
        return r.body.decode("utf-8", "replace")
    finally:
        conn.close()


LABEL_RUN = {}


def label_flood():
    if LABEL_RUN:
        return LABEL_RUN
    before = metrics()
    names = []
    statuses = {}
    for batch in range(40):
        conn = Conn.open(ctx.proxy, 10)
        data = b""
        for i in range(50):
            ns, name = "n" + secrets.token_hex(5), "c" + secrets.token_hex(5)
            names.append((ns, name))
            if i % 2:
                data += build(ctx, "GET", "/x", [], host=f"c-{name}.{ns}.svc")
            else:
                data += build(ctx, "GET", f"/namespaces/{ns}/connectors/{name}/x", [])
        conn.send(data)
        for _ in range(50):
            r = conn.response(10)
            statuses[r.status] = statuses.get(r.status, 0) + 1
            if r.status is None:
                break
        conn.close()
    time.sleep(0.2)
    after = metrics()
    LABEL_RUN.update(before=len(before), after=len(after), text=after, names=names, statuses=statuses)
    return LABEL_RUN


@attack("metrics: 2000 tokenless requests to random connectors grow /metrics by at most 8 KiB")
def _(c):
    run = label_flood()
    grown = run["after"] - run["before"]
    print(f"     (/metrics {run['before']} -> {run['after']} bytes, +{grown}; answers {run['statuses']})")
    c.that(grown <= 8192, f"/metrics grew by {grown} bytes")
    c.nothing_upstream(upstream())


@attack("metrics: no random connector name becomes a label")
def _(c):
    run = label_flood()
    seen = sum(1 for ns, name in run["names"] if f"{ns}/{name}" in run["text"] or name in run["text"])
    c.that(seen == 0, f"{seen} of {len(run['names'])} random names appear in /metrics")


# ============================================================ 5. reviews under a flood
@attack("bogus-token flood (~200 req/s, 10 s): a new valid token is answered within 1 s")
def _(c):
    fresh = [ctx.mint("builder") for _ in range(2)]
    stop = time.time() + 10
    counts = {"sent": 0, "answered": 0}

    def flood():
        sel = selectors.DefaultSelector()
        started = {}
        next_send = time.time()
        while time.time() < stop:
            now = time.time()
            while next_send <= now and len(started) < 400:
                try:
                    s = socket.create_connection(("127.0.0.1", ctx.proxy), timeout=1)
                    s.sendall(build(ctx, "GET", WEB + "/flood", [bearer(forged_jwt())]))
                    s.setblocking(False)
                    sel.register(s, selectors.EVENT_READ)
                    started[s] = now
                    counts["sent"] += 1
                except OSError:
                    pass
                next_send += 1 / 200
            for key, _ in sel.select(timeout=0.005):
                try:
                    if key.fileobj.recv(4096):
                        counts["answered"] += 1
                except OSError:
                    pass
                sel.unregister(key.fileobj)
                key.fileobj.close()
                started.pop(key.fileobj, None)
            for s, t in list(started.items()):
                if now - t > 1.0:      # an unanswered bogus request is abandoned after 1 s
                    sel.unregister(s)
                    s.close()
                    del started[s]
        for s in list(started):
            sel.unregister(s)
            s.close()

    thread = threading.Thread(target=flood, daemon=True)
    thread.start()
    latencies = []
    for i, token in enumerate(fresh):
        time.sleep(3.0 if i == 0 else 2.5)
        begun = time.time()
        r = request(ctx, "GET", WEB + f"/during-flood-{i}", [bearer(token)], timeout=8)
        latencies.append((time.time() - begun, r))
    thread.join(15)
    shown = ", ".join(f"{t * 1000:.0f} ms (HTTP {r.status})" for t, r in latencies)
    print(f"     (flood: {counts['sent']} bogus requests sent, {counts['answered']} answered; valid token answered in {shown})")
    for took, r in latencies:
        c.that(r.status is not None and 200 <= r.status < 300 and took <= 1.0, f"valid token: {r.describe()} after {took:.2f}s")


# ============================================================ 17. final scan
def scan(c, what, text, extra=()):
    found = leaked(ctx, text)
    c.that(not found, f"{what} contains the {', '.join(found)}")
    for token in extra:
        if token in text:
            c.that(False, f"{what} contains a workload token")
            break


@attack("scan: no credential or workload token in the process logs")
def _(c):
    time.sleep(0.3)
    scan(c, "the log", open(ctx.cfg["log"], encoding="utf-8", errors="replace").read(), ctx.tokens)


attack("scan: no credential in /metrics")(lambda c: scan(c, "/metrics", metrics(), ctx.tokens))
attack("scan: no credential in Events (kubectl get events -A -o yaml)")(lambda c: scan(c, "the events", ctx.kubectl_run("get", "events", "-A", "-o", "yaml"), ctx.tokens))
attack("scan: no credential in Connector status (kubectl get connectors -A -o yaml)")(
    lambda c: scan(c, "the Connectors", ctx.kubectl_run("get", "connectors", "-A", "-o", "yaml"), ctx.tokens))
attack("scan: no credential in any answer an attacker got")(lambda c: scan(c, "the answers", b"".join(RECEIVED).decode("latin-1")))


# ============================================================ runner
def main():
    # The workload token's review is cached before anything is measured.
    request(ctx, "GET", WEB + "/warm-up", [bearer()])
    # The slow heads run in the background while the fast attacks go on (bounded at 16 s).
    SLOW_GET.start()
    SLOW_CONNECT.start()
    order = [a for a in ATTACKS if not a[0].startswith(("slowloris request", "slowloris CONNECT", "bogus-token flood", "scan:"))]
    late = [a for a in ATTACKS if a not in order and not a[0].startswith(("bogus-token", "scan:"))]
    last = [a for a in ATTACKS if a[0].startswith("bogus-token")] + [a for a in ATTACKS if a[0].startswith("scan:")]
    # "does not block another client" must run while the slow heads are open: first.
    first = [a for a in order if a[0].startswith("slowloris (25")]
    order = first + [a for a in order if a not in first]
    passed = failed = 0
    failures = []
    for n, (name, fn) in enumerate(order + late + last, 1):
        if ONLY and ONLY.lower() not in name.lower():
            continue
        ctx.attack_id = f"a{n:03d}"
        STATE["mark"] = origins.mark()
        c = Check(ctx)
        try:
            fn(c)
            c.raise_if_any()
            passed += 1
            print(f"ok   {name}", flush=True)
        except AssertionError as e:
            failed += 1
            failures.append(name)
            print(f"FAIL {name}: {str(e)[:600]}", flush=True)
        except Exception as e:  # an attack that cannot run is a failure too
            failed += 1
            failures.append(name)
            print(f"FAIL {name}: error {type(e).__name__}: {e}", flush=True)
            if os.environ.get("ADV_DEBUG"):
                traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
