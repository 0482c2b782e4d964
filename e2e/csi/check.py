#!/usr/bin/python3
"""The CSI e2e scenario, run by e2e/suites/30-csi.sh against `connectors run --role csi-node --embedded`:
every Identity and Node method through Debian's grpcio, files byte-identical to real Go text/template + sprig
(e2e/oracle/gotmpl) for the same data, later-wins, exclusions, params, tokens, bad inputs with their codes
and an untouched target, republish under a concurrent reader, a failed refresh keeping the old files.
"""
import argparse
import base64
import copy
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

from csi_client import CsiClient, compile_proto

API_AUDIENCE = "https://kubernetes.default.svc.cluster.local"
BUILTINS = [".env", "ca.cert", "ca.crt", "connector.status.proxyAddress", "context.proxy.caCert", "context.token",
            "http.proxy", "https.proxy"]
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


class Suite:
    def __init__(self, args, client):
        self.args = args
        self.client = client
        self.targets = 0

    def kubectl(self, *argv):
        cmd = [self.args.kubectl, "--kubeconfig", self.args.kubeconfig] + list(argv)
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

    def get(self, kind, name, ns=None):
        return json.loads(self.kubectl("get", kind, name, "-o", "json", *(["-n", ns] if ns else [])))

    def target(self):
        self.targets += 1
        parent = os.path.join(self.args.work, "pods", "pod-%d" % self.targets, "volumes")
        os.makedirs(parent)
        return os.path.join(parent, "mount")

    def publish(self, target, attributes, readonly=True, pod_ns="quickstart", sa="builder"):
        context = {"csi.storage.k8s.io/ephemeral": "true", "csi.storage.k8s.io/pod.name": "app",
                   "csi.storage.k8s.io/pod.namespace": pod_ns, "csi.storage.k8s.io/pod.uid": "uid-%d" % self.targets,
                   "csi.storage.k8s.io/serviceAccount.name": sa}
        context.update(attributes)
        request = {"volumeId": "csi-" + os.path.basename(os.path.dirname(os.path.dirname(target))),
                   "targetPath": target, "readonly": readonly,
                   "volumeCapability": {"mount": {}, "accessMode": {"mode": "SINGLE_NODE_WRITER"}},
                   "volumeContext": context}
        return self.client.call("csi.v1.Node/NodePublishVolume", request)

    # --- the data view of original §5.6, built independently from the API's JSON, for the Go oracle ---
    def data_view(self, names_in_order, owner, token, ca, params):
        mounted = []
        for ns, name in names_in_order:
            c = self.get("connector", name, ns)
            v = copy.deepcopy(c)
            v.setdefault("status", {})["proxyAddress"] = c["status"]["proxy"]["httpAddress"]["url"]
            v["name"], v["namespace"] = name, ns
            mounted.append(v)
        last_class = self.get("connectorclass", mounted[-1]["spec"]["connectorClassName"])
        last_class["proxyAddress"] = mounted[-1]["status"]["proxyAddress"]
        return {"connector": mounted[owner], "connectors": mounted, "connectorclass": last_class,
                "context": {"token": token, "proxy": {"caCert": ca}}, "configurations": params}

    def go_render(self, cases):
        lines = "".join(json.dumps(c) + "\n" for c in cases)
        out = subprocess.run([self.args.gotmpl, "-batch"], input=lines, check=True, capture_output=True, text=True,
                             env=dict(os.environ, TZ="UTC")).stdout
        return {r["id"]: r for r in map(json.loads, out.splitlines())}

    def compare_with_go(self, target, connectors, configurations, params=None):
        """Renders every file of the listed configurations with Go and compares with the mounted bytes."""
        token = read(target, "context.token")
        ca = read(target, "ca.crt")
        cases, expected_files = [], {}
        for config in configurations:
            for index, (ns, name) in enumerate(connectors):
                cls = self.get("connectorclass", self.get("connector", name, ns)["spec"]["connectorClassName"])
                spec = next((c for c in cls["spec"].get("configurations", []) if c["name"] == config), None)
                if spec:
                    merged = {p["name"]: p["default"] for p in spec.get("params", []) if "default" in p}
                    merged.update((params or {}).get(config, {}))
                    data = self.data_view(connectors, index, token, ca, merged)
                    for file, template in spec["data"].items():
                        cases.append({"id": config + "/" + file, "name": file, "template": template, "data": data})
                        expected_files[file] = config + "/" + file
                    break
        results = self.go_render(cases)
        for file, case_id in expected_files.items():
            go = results[case_id]
            mounted = read_bytes(target, file)
            check(go.get("error") is None and mounted == go["output"].encode(),
                  "%s %s is byte-identical to Go text/template+sprig (%d bytes)" % (",".join(configurations), file, len(mounted)))

    # --- scenarios ---
    def identity_and_node(self):
        ok, info = self.client.call("csi.v1.Identity/GetPluginInfo", {})
        check(ok and info["name"] == "connectors-csi" and info.get("vendorVersion"), "GetPluginInfo: connectors-csi %s" % info)
        ok, caps = self.client.call("csi.v1.Identity/GetPluginCapabilities", {})
        check(ok and not caps.get("capabilities"), "GetPluginCapabilities: node-only driver")
        ok, probe = self.client.call("csi.v1.Identity/Probe", {})
        check(ok and probe.get("ready") is True, "Probe: ready")
        ok, caps = self.client.call("csi.v1.Node/NodeGetCapabilities", {})
        check(ok and not caps.get("capabilities"), "NodeGetCapabilities: no staging")
        ok, node = self.client.call("csi.v1.Node/NodeGetInfo", {})
        check(ok and node.get("nodeId") == self.args.node_id, "NodeGetInfo: node id %s" % node)
        ok, err = self.client.call_raw("/csi.v1.Controller/CreateVolume")
        check(not ok and err[0] == "UNIMPLEMENTED", "unknown method: %s" % (err,))

    def builtins_and_token(self):
        target = self.target()
        ok, err = self.publish(target, {"connectors": "gitlab", "configuration.names": "gitconfig,gitlabconfig"})
        check(ok, "publish gitlab gitconfig,gitlabconfig %s" % (err if not ok else ""))
        names = visible(target)
        check(names == sorted(BUILTINS + [".gitconfig", "config.yml"]), "files: %s" % names)
        token = read(target, "context.token")
        proxy = "http://c-gitlab.quickstart.svc.cluster.local"
        forward = "http://quickstart%%2Fgitlab:%s@c-gitlab.quickstart.svc.cluster.local" % token
        check(read(target, "connector.status.proxyAddress") == proxy, "connector.status.proxyAddress")
        check(read(target, "http.proxy") == forward and read(target, "https.proxy") == forward, "http.proxy and https.proxy")
        check(read(target, ".env") == "http_proxy=%s\nhttps_proxy=%s\nno_proxy=localhost,127.0.0.1\n" % (forward, forward), ".env")
        ca = open(self.args.ca).read()
        check(all(read(target, n) == ca for n in ("ca.crt", "ca.cert", "context.proxy.caCert")), "proxy CA under its three names")
        if os.geteuid() == 0:
            check(mount_type(target) == "tmpfs", "running as root: a tmpfs is mounted at the target")
        else:
            print("note not root: the driver writes without a tmpfs (--csi-tmpfs auto)")
        modes = {oct(os.stat(os.path.join(target, n)).st_mode & 0o777) for n in names}
        check(modes == {"0o444"}, "files are 0444: %s" % modes)
        claims = jwt_claims(token)
        check(claims["sub"] == "system:serviceaccount:quickstart:builder", "token subject %s" % claims["sub"])
        check(claims["aud"] == [API_AUDIENCE, proxy], "token audiences %s" % claims["aud"])
        check(claims["exp"] - claims["iat"] == 1800, "token lifetime 30m by default")
        self.compare_with_go(target, [("quickstart", "gitlab")], ["gitconfig", "gitlabconfig"])
        return target

    def kubeconfig_and_multi(self):
        target = self.target()
        ok, err = self.publish(target, {"connector.name": "k8s", "configuration.names": "kubeconfig", "token.expiration": "60m"})
        check(ok, "publish k8s kubeconfig (older connector.name form) %s" % (err if not ok else ""))
        check(jwt_claims(read(target, "context.token"))["exp"] - jwt_claims(read(target, "context.token"))["iat"] == 3600, "token.expiration 60m")
        self.compare_with_go(target, [("quickstart", "k8s")], ["kubeconfig"])
        target = self.target()
        ok, err = self.publish(target, {"connectors": "gitlab,quickstart/k8s", "configuration.names": "gitconfig,kubeconfig,!ca.cert,!.env"})
        check(ok, "publish gitlab+k8s %s" % (err if not ok else ""))
        check("ca.cert" not in visible(target) and ".env" not in visible(target), "exclusions !ca.cert and !.env applied")
        check(read(target, "http.proxy").startswith("http://quickstart%2Fgitlab,quickstart%2Fk8s:"), "http.proxy names both connectors")
        self.compare_with_go(target, [("quickstart", "gitlab"), ("quickstart", "k8s")], ["gitconfig", "kubeconfig"])

    def later_wins_and_params(self):
        for order in (["first", "second"], ["second", "first"]):
            target = self.target()
            ok, err = self.publish(target, {"connectors": "layered", "configuration.names": ",".join(order)})
            check(ok, "publish layered %s %s" % (order, err if not ok else ""))
            check(read(target, "shared.conf").startswith(order[-1] + " "), "shared.conf comes from %s (later wins)" % order[-1])
            self.compare_with_go(target, [("quickstart", "layered")], order)
        target = self.target()
        params = {"settings": {"strict": "true"}}
        ok, err = self.publish(target, {"connectors": "layered", "configuration.names": "settings",
                                        "configuration.params": json.dumps(params)})
        check(ok and read(target, "settings.xml") == "<mirror>maven-public</mirror><strict>true</strict>\n", "params: default and given")
        self.compare_with_go(target, [("quickstart", "layered")], ["settings"], params)

    def bad_inputs(self):
        cases = [
            ({}, True, "INVALID_ARGUMENT", "connectors or connector.name is required"),
            ({"connectors": "gitlab"}, False, "INVALID_ARGUMENT", "readonly must be true"),
            ({"connectors": "nope"}, True, "NOT_FOUND", 'connector "nope" not found'),
            ({"connectors": "private/secret-tool"}, True, "PERMISSION_DENIED", 'may not get connector "private/secret-tool"'),
            ({"connectors": "layered", "configuration.names": "badname"}, True, "FAILED_PRECONDITION", 'invalid file name "../escape"'),
            ({"connectors": "layered", "configuration.names": "broken"}, True, "INTERNAL", 'failed to generate configuration "broken"'),
            ({"connectors": "layered", "configuration.names": "settings"}, True, "INVALID_ARGUMENT", 'requires param "strict"'),
            ({"connectors": "layered", "configuration.names": "nope"}, True, "NOT_FOUND", 'configuration "nope" not found'),
            ({"connectors": "layered", "configuration.names": "first", "configuration.params": json.dumps({"first": {"x": "y" * 70000}})},
             True, "INVALID_ARGUMENT", "more than the limit of 65536"),
            ({"connectors": "gitlab", "token.expiration": "5m"}, True, "INVALID_ARGUMENT", "token.expiration"),
            ({"connectors": "gitlab", "configuration.names": "!../x"}, True, "INVALID_ARGUMENT", "invalid exclusion"),
        ]
        for attributes, readonly, code, message in cases:
            target = self.target()
            ok, err = self.publish(target, attributes, readonly=readonly)
            check(not ok and err[0] == code and message in err[1] and not os.path.exists(target),
                  "bad input %s -> %s (%s), target absent" % (json.dumps(attributes)[:80], code, err if ok else err[1][:90]))

    def republish_under_reader(self):
        target = self.target()
        attributes = {"connectors": "gitlab", "configuration.names": "gitconfig"}
        ok, _ = self.publish(target, attributes)
        stop, problems, reads = threading.Event(), [], [0]

        def reader():
            while not stop.is_set() and reads[0] < 1_000_000:
                try:
                    folder = os.readlink(os.path.join(target, "..data"))
                    token = read(os.path.join(target, folder), "context.token")
                    gitconfig = read(os.path.join(target, folder), ".gitconfig")
                    via_link = read(target, ".gitconfig")
                except FileNotFoundError:
                    continue  # the folder was swapped between readlink and open: read again, as kubelet's readers do
                header = base64.b64encode((":" + token).encode()).decode()
                if "Basic " + header + "\n" not in gitconfig or not via_link.endswith("insteadOf = https://gitlab.com/\n"):
                    problems.append("partial or mixed content")
                reads[0] += 1

        thread = threading.Thread(target=reader)
        thread.start()
        tokens = set()
        for _ in range(30):
            ok2, err = self.publish(target, attributes)
            if not ok2:
                problems.append("republish failed: %s" % (err,))
            tokens.add(read(target, "context.token"))
        stop.set()
        thread.join()
        check(ok and not problems and reads[0] > 0 and len(tokens) > 1,
              "30 republishes under a concurrent reader: %d reads, %d tokens, problems %s" % (reads[0], len(tokens), problems[:3]))
        before = snapshot(target)
        ok, err = self.publish(target, {"connectors": "layered", "configuration.names": "broken"})
        check(not ok and snapshot(target) == before, "failed refresh keeps the old files (%s)" % (err,))
        return target

    def kubelet_tokens_and_unpublish(self):
        target = self.target()
        tokens = {"": {"token": "api-audience-token", "expirationTimestamp": "2030-01-01T00:00:00Z"},
                  "http://c-gitlab.quickstart.svc.cluster.local": {"token": "proxy-audience-token", "expirationTimestamp": "2030-01-01T00:00:00Z"}}
        ok, err = self.publish(target, {"connectors": "gitlab", "csi.storage.k8s.io/serviceAccount.tokens": json.dumps(tokens)})
        check(ok and read(target, "context.token") == "proxy-audience-token", "kubelet's serviceAccount.tokens is used as is")
        request = {"volumeId": "v", "targetPath": target}
        ok1, _ = self.client.call("csi.v1.Node/NodeUnpublishVolume", request)
        ok2, _ = self.client.call("csi.v1.Node/NodeUnpublishVolume", request)
        check(ok1 and ok2 and not os.path.exists(target) and mount_type(target) is None,
              "NodeUnpublishVolume unmounts and removes the target and is idempotent")


def visible(target):
    return sorted(n for n in os.listdir(target) if not n.startswith(".."))


def read(target, name):
    with open(os.path.join(target, name), encoding="utf-8") as f:
        return f.read()


def read_bytes(target, name):
    with open(os.path.join(target, name), "rb") as f:
        return f.read()


def snapshot(target):
    return {n: read_bytes(target, n) for n in visible(target)}


def mount_type(path):
    """The filesystem type mounted exactly at path, from /proc/self/mountinfo (None when not a mount point)."""
    found = None
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, right = line.split(" - ", 1)
            if left.split()[4] == path:
                found = right.split()[0]
    return found


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def main():
    parser = argparse.ArgumentParser()
    for name in ("proto", "socket", "kubectl", "kubeconfig", "gotmpl", "work", "ca", "node-id"):
        parser.add_argument("--" + name, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        client = CsiClient(compile_proto(args.proto, out), "unix://" + args.socket)
        suite = Suite(args, client)
        deadline = time.time() + 30
        while time.time() < deadline:  # the caches sync and the status patches arrive in the driver's watch
            ok, err = suite.publish(suite.target(), {"connectors": "gitlab,k8s,layered"})
            if ok:
                break
            time.sleep(0.2)
        check(ok, "driver ready with every connector's proxy address (%s)" % (err if not ok else "ok"))
        suite.identity_and_node()
        suite.builtins_and_token()
        suite.kubeconfig_and_multi()
        suite.later_wins_and_params()
        suite.bad_inputs()
        suite.republish_under_reader()
        suite.kubelet_tokens_and_unpublish()
        client.close()
    print("csi checks: %d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
