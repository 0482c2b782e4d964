#!/usr/bin/env python3
"""A distribution token service for the e2e suites (127.0.0.1 only).

GET /token?service=S&scope=A&scope=B with Basic USER:PASS answers {"token": <ES256 JWT>, "expires_in": N}; the JWT
header carries the signing certificate (x5c), which docker-registry verifies against auth.token.rootcertbundle
(the self-signed certificate written to --cert). A wrong password gets 401; anonymous callers get pull only.
Each request is appended to --log as one JSON line (scopes and outcome; never the credential or the token).
"""
import argparse, base64, json, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs
from datetime import datetime, timedelta, timezone
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

p = argparse.ArgumentParser()
p.add_argument("--listen", required=True)
p.add_argument("--cert", required=True, help="where to write the issuer certificate (PEM) for rootcertbundle")
p.add_argument("--user", required=True)
p.add_argument("--password", required=True)
p.add_argument("--issuer", default="connectors-e2e-issuer")
p.add_argument("--expires-in", type=int, default=300)
p.add_argument("--log", required=True)
args = p.parse_args()

key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "connectors e2e token issuer")])
now = datetime.now(timezone.utc)
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=2)).sign(key, hashes.SHA256()))
with open(args.cert, "wb") as f:
    f.write(cert.public_bytes(serialization.Encoding.PEM))
x5c = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims):
    header = {"typ": "JWT", "alg": "ES256", "x5c": [x5c]}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def record(self, **entry):
        with open(args.log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        scopes = [s for value in query.get("scope", []) for s in value.split(" ") if s]
        auth = self.headers.get("Authorization", "")
        user = None
        if auth:
            ok = auth.startswith("Basic ") and base64.b64decode(auth[6:]).decode() == f"{args.user}:{args.password}"
            if not ok:
                self.record(path=url.path, scopes=scopes, outcome="refused")
                self.send_response(401)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            user = args.user
        access = []
        for scope in scopes:
            parts = scope.split(":")
            if len(parts) == 3:
                actions = [a for a in parts[2].split(",") if user or a == "pull"]
                access.append({"type": parts[0], "name": parts[1], "actions": actions})
        t = int(time.time())
        token = jwt({"iss": args.issuer, "sub": user or "", "aud": query.get("service", [""])[0], "exp": t + args.expires_in,
                     "nbf": t - 5, "iat": t, "jti": uuid.uuid4().hex, "access": access})
        body = json.dumps({"token": token, "expires_in": args.expires_in}).encode()
        self.record(path=url.path, scopes=scopes, outcome="issued", user=user or "")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


host, port = args.listen.rsplit(":", 1)
ThreadingHTTPServer((host, int(port)), Handler).serve_forever()
