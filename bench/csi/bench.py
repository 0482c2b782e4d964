#!/usr/bin/python3
"""NodePublishVolume latency through the driver's socket, as kubelet would see it (Debian python3-grpcio client).

  bench.py --proto csi.proto --socket PATH --work DIR --kubeconfig FILE [--n 500] [--first 10]

First times the --first publishes the idle driver answers before anything else (the first pays for whatever idle
released or never loaded), then reports p50/p99/max of: publish with kubelet's token (warm caches, no API call), re-publish of the same volume,
publish with a TokenRequest, and the TokenRequest round trip to the API alone.
"""
import argparse
import base64
import http.client
import json
import os
import ssl
import sys
import tempfile
import time
import urllib.parse

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "e2e", "csi"))
from csi_client import CsiClient, compile_proto  # noqa: E402


def percentiles(samples):
    s = sorted(samples)
    pick = lambda q: s[min(len(s) - 1, int(q * len(s)))] * 1000
    return "p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)" % (pick(0.50), pick(0.99), s[-1] * 1000, len(s))


def request(target, n, tokens):
    context = {"csi.storage.k8s.io/ephemeral": "true", "csi.storage.k8s.io/pod.name": "bench-%d" % n,
               "csi.storage.k8s.io/pod.namespace": "quickstart", "csi.storage.k8s.io/pod.uid": "uid-%d" % n,
               "csi.storage.k8s.io/serviceAccount.name": "builder",
               "connectors": "gitlab", "configuration.names": "gitconfig,gitlabconfig"}
    if tokens:
        context["csi.storage.k8s.io/serviceAccount.tokens"] = json.dumps({"": {"token": "kubelet-token-%d" % n}})
    return {"volumeId": "csi-bench-%d" % n, "targetPath": target, "readonly": True,
            "volumeCapability": {"mount": {}, "accessMode": {"mode": "SINGLE_NODE_WRITER"}}, "volumeContext": context}


def timed(client, req):
    start = time.perf_counter()
    ok, err = client.call("csi.v1.Node/NodePublishVolume", req)
    elapsed = time.perf_counter() - start
    if not ok:
        raise SystemExit("publish failed: %s" % (err,))
    return elapsed


def token_round_trips(kubeconfig, n):
    config = yaml.safe_load(open(kubeconfig))
    cluster = config["clusters"][0]["cluster"]
    user = config["users"][0]["user"]
    url = urllib.parse.urlparse(cluster["server"])
    context = ssl.create_default_context(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
    conn = http.client.HTTPSConnection(url.hostname, url.port, context=context)
    body = json.dumps({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                       "spec": {"audiences": ["https://kubernetes.default.svc.cluster.local"], "expirationSeconds": 1800}})
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        conn.request("POST", "/api/v1/namespaces/quickstart/serviceaccounts/builder/token", body,
                     {"Authorization": "Bearer " + user["token"], "Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        samples.append(time.perf_counter() - start)
        if response.status != 201:
            raise SystemExit("TokenRequest answered %d" % response.status)
    return samples


def main():
    parser = argparse.ArgumentParser()
    for name in ("proto", "socket", "work", "kubeconfig"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--first", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        client = CsiClient(compile_proto(args.proto, out), "unix://" + args.socket)
        os.makedirs(args.work, exist_ok=True)
        if args.first:
            cold = [timed(client, request(os.path.join(args.work, "first-%d" % i), 20_000 + i, True)) for i in range(args.first)]
            print("first publishes after idle (ms):       " + " ".join("%.2f" % (t * 1000) for t in cold))
        if args.n == 0:
            client.close()
            return
        for i in range(50):  # warm-up: JIT, template parse cache, connections
            timed(client, request(os.path.join(args.work, "warm-%d" % i), i, True))
        first, again, with_request = [], [], []
        for i in range(args.n):
            target = os.path.join(args.work, "v-%d" % i)
            first.append(timed(client, request(target, i, True)))
            again.append(timed(client, request(target, i, True)))
        for i in range(args.n // 2):
            with_request.append(timed(client, request(os.path.join(args.work, "t-%d" % i), 10_000 + i, False)))
        print("publish, kubelet token, warm caches:   " + percentiles(first))
        print("re-publish of the same volume:         " + percentiles(again))
        print("publish with a TokenRequest:           " + percentiles(with_request))
        print("TokenRequest round trip alone (python): " + percentiles(token_round_trips(args.kubeconfig, args.n // 2)))
        client.close()


if __name__ == "__main__":
    main()
