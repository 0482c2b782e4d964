#!/usr/bin/env bash
# Least privilege, proven: the install manifests (kubectl apply -k manifests) go into an embedded API that enforces
# RBAC, then each role runs as its own ServiceAccount (a token from `connectors token create`, nothing else) and
# does its whole job: the controller makes a Connector Ready and writes its Service, events and the proxy CA; the
# proxy authenticates a workload and injects the credential; the csi-node driver publishes a volume with a
# TokenRequest. Any request the manifests do not allow shows up as a failure or a "forbidden" in the role's log.
set -euo pipefail
cd "$(dirname "$0")/../.."
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl.1.33
bin=${CONNECTORS_BIN:-Connectors.Host/bin/Release/net10.0/connectors}
[ -x "$bin" ] || dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for log in "$tmp"/*.log; do echo "--- $(basename "$log") (tail)" >&2; tail -n 15 "$log" | cut -c1-300 >&2; done
  exit 1
}
ok() { echo "ok: $*"; }
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
k() { "$kubectl" --kubeconfig "$tmp/kubeconfig" "$@"; }
wait_for() { # description command...: retries for 30 s
  local what=$1; shift
  for _ in $(seq 300); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  fail "$what"
}

# The API server host: a csi-node role with the embedded API's admin credentials (it only serves its own socket).
"$bin" run --role csi-node --embedded --embedded-kubeconfig "$tmp/kubeconfig" --csi-endpoint "unix://$tmp/api-host.sock" \
  --health-listen 127.0.0.1:0 --log-level warn >"$tmp/api.log" 2>&1 &
pids+=($!)
wait_for "embedded API up" test -S "$tmp/api-host.sock"

# A tool that wants Basic alice:s3cret on every request and records what it saw.
tool_port=$(port)
/usr/bin/python3 - "$tool_port" "$tmp/tool.jsonl" >"$tmp/tool.log" 2>&1 <<'PY' &
import base64, json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
want = "Basic " + base64.b64encode(b"alice:s3cret").decode()
class Tool(BaseHTTPRequestHandler):
    def do_GET(self):
        auth = self.headers.get("Authorization")
        with open(sys.argv[2], "a") as f:
            f.write(json.dumps({"path": self.path, "authorization": auth}) + "\n")
        ok = self.path == "/" or auth == want
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ok\n" if ok else b"no\n")
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Tool).serve_forever()
PY
pids+=($!)

k get namespace connectors-system >/dev/null 2>&1 || k create namespace connectors-system >/dev/null   # embedded mode creates it too
out=$(k apply -k manifests 2>&1) || fail "install: $out"
k create namespace team >/dev/null
k apply -f - >/dev/null <<YAML
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: tool, namespace: team}
spec:
  connectorClassName: git
  address: http://127.0.0.1:$tool_port
  auth: {name: basicAuth, secretRef: {name: git-creds}, params: [{name: repository, value: team/repo.git}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: use-tool, namespace: team}
rules: [{apiGroups: [connectors.alauda.io], resources: [connectors], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder-uses-tool, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-tool}
subjects: [{kind: ServiceAccount, name: builder, namespace: team}]
YAML
ok "install manifests applied; a git Connector (its Secret comes later) and a workload ServiceAccount allowed to use it"

# One kubeconfig per role: the admin kubeconfig's cluster, the role's own ServiceAccount token as the only credential.
as_sa() { # serviceaccount -> kubeconfig path
  local sa=$1 config="$tmp/$1.kubeconfig" token
  token=$("$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace connectors-system --service-account "$sa" --duration 1h)
  cp "$tmp/kubeconfig" "$config"
  "$kubectl" --kubeconfig "$config" config set-credentials "$sa" --token="$token" >/dev/null
  "$kubectl" --kubeconfig "$config" config set-context --current --user="$sa" >/dev/null
  echo "$config"
}
[ "$("$kubectl" --kubeconfig "$(as_sa connectors-proxy)" auth can-i create connectors -n team 2>&1 || true)" = "no" ] \
  || fail "the proxy's ServiceAccount may create Connectors: the check below would prove nothing"

# Controller, as connectors-controller: the Connector becomes Ready, its c-tool Service and the proxy CA appear.
health=$(port)
"$bin" run --role controller --kubeconfig "$(as_sa connectors-controller)" --health-listen "127.0.0.1:$health" --webhook-listen 127.0.0.1:0 \
  --log-format json >"$tmp/controller.log" 2>&1 &
pids+=($!)
wait_for "controller ready" curl -fsS "http://127.0.0.1:$health/readyz"
warned() { k get events -n team -o jsonpath='{range .items[*]}{.reason}{"\n"}{end}' | grep -qx SecretNotFound; }
wait_for "no SecretNotFound event for the Connector without its Secret" warned
k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Secret
metadata: {name: git-creds, namespace: team}
type: kubernetes.io/basic-auth
stringData: {username: alice, password: s3cret}
YAML
ready() { [ "$(k get connector tool -n team -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]; }
wait_for "Connector Ready as the controller's ServiceAccount: $(k get connector tool -n team -o jsonpath='{.status.conditions}' 2>&1)" ready
k get service c-tool -n team >/dev/null || fail "no c-tool Service"
k get secret connectors-proxy-ca -n connectors-system >/dev/null || fail "no proxy CA Secret"
ok "controller as connectors-controller: Warning event, Secret trigger, Connector Ready, c-tool Service, proxy CA"

# Proxy, as connectors-proxy: TokenReview + SubjectAccessReview for the workload, then the credential injected.
proxy=$(port) health=$(port)
"$bin" run --role proxy --kubeconfig "$(as_sa connectors-proxy)" --proxy-listen "127.0.0.1:$proxy" --health-listen "127.0.0.1:$health" \
  --log-format json >"$tmp/proxy.log" 2>&1 &
pids+=($!)
wait_for "proxy ready" curl -fsS "http://127.0.0.1:$health/readyz"
workload=$("$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace team --service-account builder --duration 1h)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: c-tool.team.svc" -u ":$workload" "http://127.0.0.1:$proxy/repo.git/info/refs?service=git-upload-pack")
[ "$code" = 200 ] || fail "request through the proxy: HTTP $code"
tail -n 1 "$tmp/tool.jsonl" | grep -q '"authorization": "Basic YWxpY2U6czNjcmV0"' || fail "credential not injected: $(tail -n 1 "$tmp/tool.jsonl")"
ok "proxy as connectors-proxy: workload token reviewed, access checked, credential injected"

# csi-node, as connectors-csi: TokenRequest for the pod's ServiceAccount, SubjectAccessReview, files written.
sock="$tmp/csi.sock" health=$(port)
NODE_NAME=rbac-node "$bin" run --role csi-node --kubeconfig "$(as_sa connectors-csi)" --csi-endpoint "unix://$sock" \
  --csi-tmpfs false --kubelet-pods-dir "$tmp" --health-listen "127.0.0.1:$health" --log-format json >"$tmp/csi.log" 2>&1 &
pids+=($!)
wait_for "csi-node ready" curl -fsS "http://127.0.0.1:$health/readyz"
mkdir -p "$tmp/pod"
"$bin" csi publish --endpoint "unix://$sock" --target "$tmp/pod/volume" --connector team/tool --configurations gitconfig \
  --pod-namespace team --service-account builder >"$tmp/publish.out" 2>&1 || fail "csi publish: $(cat "$tmp/publish.out")"
[ -s "$tmp/pod/volume/context.token" ] && [ -s "$tmp/pod/volume/.gitconfig" ] || fail "volume files missing: $(ls -A "$tmp/pod/volume")"
"$bin" csi unpublish --endpoint "unix://$sock" --target "$tmp/pod/volume" >/dev/null
ok "csi-node as connectors-csi: TokenRequest, access check and volume files"

sleep 0.2   # information lines reach stderr within 50 ms
for log in controller proxy csi; do
  if grep -qiE 'forbidden|"status":403| 403 ' "$tmp/$log.log"; then fail "$log hit an RBAC refusal: $(grep -iE 'forbidden|403' "$tmp/$log.log" | head -3)"; fi
done
ok "no role met a forbidden request"
echo "rbac e2e: passed"
