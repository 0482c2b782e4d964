#!/usr/bin/env bash
# The API server goes away and comes back: the API host (an embedded API in its own process) is stopped with SIGSTOP
# for FAULT_SECONDS (default 60), as a hung or partitioned kube-apiserver looks, then resumed with SIGCONT (no state
# is lost). Meanwhile the proxy keeps serving a token it has already checked, answers a new token with a prompt 503
# (fail closed), and the proxy's and controller's /readyz say the API is unreachable; the CSI driver answers a publish
# that needs the API with UNAVAILABLE. After SIGCONT, the new token works, /readyz is 200 again and the controller
# reconciles a new Connector, each within 5 s. The figures are printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl.1.33
bin=${CONNECTORS_BIN:-Connectors.Host/bin/Release/net10.0/connectors}
[ -x "$bin" ] || dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null
outage=${FAULT_SECONDS:-60}
tmp=$(mktemp -d)
pids=()
api_pid=
cleanup() {
  [ -n "$api_pid" ] && kill -CONT "$api_pid" 2>/dev/null || true
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
k() { "$kubectl" --kubeconfig "$tmp/kubeconfig" --request-timeout=5s "$@"; }
now() { date +%s.%N; }
since() { /usr/bin/python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$(now)"; }
status_is() { [ "$(curl -s -o /dev/null -m 3 -w '%{http_code}' "$1")" = "$2" ]; }
token_is() { [ "$(request "$1" | cut -d' ' -f1)" = "$2" ]; }
wait_for() { # seconds description command...
  local limit=$1 what=$2; shift 2
  local end=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do [ "$(date +%s)" -lt "$end" ] || fail "$what"; sleep 0.1; done
}

"$bin" run --role csi-node --embedded --embedded-kubeconfig "$tmp/kubeconfig" --csi-endpoint "unix://$tmp/api-host.sock" \
  --health-listen 127.0.0.1:0 --log-level warn >"$tmp/api.log" 2>&1 &
api_pid=$!
pids+=("$api_pid")
wait_for 30 "embedded API up" test -S "$tmp/api-host.sock"

tool_port=$(port)
/usr/bin/python3 - "$tool_port" >"$tmp/tool.log" 2>&1 <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Tool(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "3"); self.end_headers(); self.wfile.write(b"ok\n")
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Tool).serve_forever()
PY
pids+=($!)

k get namespace connectors-system >/dev/null 2>&1 || k create namespace connectors-system >/dev/null   # embedded mode creates it too
k apply -k manifests >/dev/null
k create namespace team >/dev/null
connector() { # name
  k apply -f - >/dev/null <<YAML
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: $1, namespace: team}
spec:
  connectorClassName: git
  address: http://127.0.0.1:$tool_port
  auth: {name: basicAuth, secretRef: {name: git-creds}, params: [{name: repository, value: team/repo.git}]}
YAML
}
k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Secret
metadata: {name: git-creds, namespace: team}
type: kubernetes.io/basic-auth
stringData: {username: alice, password: s3cret}
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
connector tool

mkdir -p "$tmp/pod"
controller_health=$(port) proxy=$(port) proxy_health=$(port) csi_health=$(port)
"$bin" run --role controller --kubeconfig "$tmp/kubeconfig" --health-listen "127.0.0.1:$controller_health" --webhook-listen 127.0.0.1:0 --log-format json >"$tmp/controller.log" 2>&1 &
pids+=($!)
"$bin" run --role proxy --kubeconfig "$tmp/kubeconfig" --proxy-listen "127.0.0.1:$proxy" --health-listen "127.0.0.1:$proxy_health" \
  --log-format json >"$tmp/proxy.log" 2>&1 &
pids+=($!)
NODE_NAME=fault-node "$bin" run --role csi-node --kubeconfig "$tmp/kubeconfig" --csi-endpoint "unix://$tmp/csi.sock" --csi-tmpfs false --kubelet-pods-dir "$tmp/pod" \
  --health-listen "127.0.0.1:$csi_health" --log-format json >"$tmp/csi.log" 2>&1 &
pids+=($!)
for h in "$controller_health" "$proxy_health" "$csi_health"; do wait_for 30 "role on :$h ready" curl -fsS "http://127.0.0.1:$h/readyz"; done
ready() { [ "$(k get connector "$1" -n team -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]; }
wait_for 30 "Connector tool Ready" ready tool

cached=$("$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace team --service-account builder --duration 1h)
fresh=$("$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace team --service-account builder --duration 1h)
request() { # token -> "status seconds"
  curl -s -o /dev/null -m 40 -w '%{http_code} %{time_total}\n' -H "Host: c-tool.team.svc" -u ":$1" "http://127.0.0.1:$proxy/repo.git/info/refs" || true
}
[ "$(request "$cached" | cut -d' ' -f1)" = 200 ] || fail "the first token is not served before the outage"
ok "before the outage: Connector Ready, a token checked and cached by the proxy"

kill -STOP "$api_pid"
stopped=$(now)
read -r code seconds < <(request "$fresh")
[ "$code" = 503 ] || fail "a new token during the outage: HTTP $code after ${seconds}s (want a prompt 503)"
first_503=$seconds
body=$(curl -s -m 20 -H "Host: c-tool.team.svc" -u ":$fresh" "http://127.0.0.1:$proxy/repo.git/info/refs" || true)
echo "$body" | grep -q "unreachable" || fail "503 without a clear reason: $body"
read -r code seconds < <(request "$fresh")
[ "$code" = 503 ] || fail "a new token, again: HTTP $code"
later_503=$seconds
wait_for 10 "proxy /readyz not 503 during the outage" status_is "http://127.0.0.1:$proxy_health/readyz" 503
wait_for 10 "controller /readyz not 503 during the outage" status_is "http://127.0.0.1:$controller_health/readyz" 503
ok "new token: 503 in ${first_503}s (then ${later_503}s) naming the unreachable API; proxy and controller /readyz 503"


started=$(now)
if "$bin" csi publish --endpoint "unix://$tmp/csi.sock" --target "$tmp/pod/volume" --connector team/tool --configurations gitconfig \
  --pod-namespace team --service-account builder >"$tmp/publish.out" 2>&1; then
  fail "csi publish succeeded with the API stopped"
fi
csi_seconds=$(since "$started")
grep -qi "unavailable" "$tmp/publish.out" || fail "csi publish during the outage did not answer UNAVAILABLE: $(cat "$tmp/publish.out")"
ok "csi publish needing the API: UNAVAILABLE in ${csi_seconds}s"

served=0 refused=0
while [ "$(since "$stopped" | cut -d. -f1)" -lt "$outage" ]; do
  read -r code _ < <(request "$cached")
  if [ "$code" = 200 ]; then served=$((served + 1)); else refused=$((refused + 1)); fi
  sleep 1
done
[ "$refused" = 0 ] || fail "the cached token was refused $refused times during the outage (served $served)"
ok "cached token served $served times over ${outage}s of outage, refused 0 times"

kill -CONT "$api_pid"
resumed=$(now)
wait_for 5 "the new token is not served within 5 s of SIGCONT" token_is "$fresh" 200
token_back=$(since "$resumed")
wait_for 5 "proxy /readyz not 200 within 5 s" curl -fsS "http://127.0.0.1:$proxy_health/readyz"
wait_for 5 "controller /readyz not 200 within 5 s" curl -fsS "http://127.0.0.1:$controller_health/readyz"
ready_back=$(since "$resumed")
connector after
wait_for 5 "a Connector created after SIGCONT is not Ready within 5 s" ready after
controller_back=$(since "$resumed")
ok "after SIGCONT: new token served in ${token_back}s, /readyz 200 in ${ready_back}s, a new Connector Ready in ${controller_back}s"
echo "faults e2e: outage ${outage}s; new token 503 in ${first_503}s; csi UNAVAILABLE in ${csi_seconds}s; cached token served ${served}/${served}; back in ${token_back}s (token), ${controller_back}s (controller)"
