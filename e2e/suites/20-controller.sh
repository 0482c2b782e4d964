#!/usr/bin/env bash
# Controller end to end: `connectors run --role controller --embedded` against a real HTTP tool (python3
# http.server), observed with real kubectl: READY True, the c-<name> Service, then a credential rotation that
# kubectl sees as AuthReady False / AuthenticationFailed within seconds, and back.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${CONNECTORS_BIN:-Connectors.Host/bin/Release/net10.0/connectors}
[ -x "$bin" ] || bin=Connectors.Host/bin/Debug/net10.0/connectors
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

# The tool: GET / answers 200; GET /<user>.txt answers 200 only for files that exist (alice), else 404.
mkdir -p "$tmp/www" && echo ok > "$tmp/www/alice.txt"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/www" >/dev/null 2>&1 &
pids+=($!)

mkdir -p "$tmp/manifests"
cat > "$tmp/manifests/all.yaml" <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: connectors-system}
---
apiVersion: v1
kind: Service
metadata: {name: connectors-proxy-service, namespace: connectors-system}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: ConnectorClass
metadata: {name: files}
spec:
  auth:
    types: [{name: basicAuth, secretType: kubernetes.io/basic-auth}]
  livenessProbe: {http: {path: /}}
  authProbes:
  - authName: basicAuth
    probe: {http: {path: '/{{ .Secret.StringData.username }}.txt'}}
  proxy: {ref: {kind: Service, name: connectors-proxy-service, namespace: connectors-system}}
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: team}
type: kubernetes.io/basic-auth
stringData: {username: alice, password: unused}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: demo, namespace: team}
spec:
  connectorClassName: files
  address: http://127.0.0.1:${port}/prefix
  auth: {name: basicAuth, secretRef: {name: creds}}
YAML

health=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Leader election stays on (the default): the Lease lives in connectors-system, created by the manifests.
"$bin" run --role controller --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply "$tmp/manifests" \
  --health-listen "127.0.0.1:$health" --log-format text --log-level warn 2>"$tmp/controller.log" &
pids+=($!)
k() { kubectl --kubeconfig "$tmp/kubeconfig" "$@"; }
cond() { k get connector demo -n team -o jsonpath="{.status.conditions[?(@.type==\"$1\")].$2}" 2>/dev/null || true; }
is_cond() { test "$(cond "$1" "$2")" = "$3"; }
wait_for() { # wait_for <what> <seconds> <command...>
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 10))); do if "$@"; then return 0; fi; sleep 0.1; done
  echo "controller e2e: timed out waiting for $what"; k get connector -n team -o yaml || true; cat "$tmp/controller.log"; return 1
}

wait_for "kubeconfig" 60 test -s "$tmp/kubeconfig"
wait_for "Ready=True" 30 is_cond Ready status True
k get connector -n team | tee "$tmp/get.txt"
grep -Eq '^demo +files +http://127\.0\.0\.1:[0-9]+/prefix +True' "$tmp/get.txt"
test "$(k get svc c-demo -n team -o jsonpath='{.spec.type}/{.spec.externalName}/{.spec.ports[0].port}')" = \
  "ExternalName/connectors-proxy-service.connectors-system.svc.cluster.local/80"
test "$(k get connector demo -n team -o jsonpath='{.status.proxy.httpAddress.url}')" = "http://c-demo.team.svc.cluster.local"

# Rotate to a credential the tool rejects: AuthReady turns False within seconds (probe interval is 5m).
k patch secret creds -n team --type merge -p '{"stringData":{"username":"bob"}}' >/dev/null
wait_for "AuthReady=False" 5 is_cond AuthReady reason AuthenticationFailed
test "$(cond AuthReady message)" = "Authentication failed: status code 404"
k get connector -n team demo | grep -q 'False *AuthenticationFailed'
k patch secret creds -n team --type merge -p '{"stringData":{"username":"alice"}}' >/dev/null
wait_for "Ready=True again" 5 is_cond Ready status True
# Metrics: reconciles, probe outcomes by class, queue depth.
curl -fsS "http://127.0.0.1:$health/metrics" > "$tmp/metrics.txt"
grep -q '^connectors_controller_reconciles_total{kind="connector",result="success"}' "$tmp/metrics.txt"
grep -q '^connectors_controller_probes_total{class="files",outcome="rejected",probe="auth"}' "$tmp/metrics.txt"
grep -q '^connectors_controller_queue_depth{kind="connector"}' "$tmp/metrics.txt"
echo "controller e2e: ok"
