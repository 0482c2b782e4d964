#!/usr/bin/env bash
# Adversarial end to end: `connectors run --role all --embedded` (proxy, controller, csi-node on one embedded API)
# in front of recording origins (e2e/adversarial/origin.py: every request head an upstream receives, as sent),
# attacked by e2e/adversarial/attacks.py over raw sockets, curl and `connectors csi publish`. Each attack asserts
# on what the client got AND on what every origin received; one line per attack, a summary, exit 1 on a failure.
# Fixtures: Connectors web (http, path prefix /prefix, Basic), root (http, no prefix, Basic), other (no RBAC for
# the workload), k8s (https with a private CA, prefix /k8s, bearer token; reached through CONNECT interception),
# lab (gitlab PAT) and gitredir (git Basic) whose tool redirects its auth probes to the foreign origin.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  # As root the csi-node role mounts a tmpfs at each target; unmount whatever an attack left behind.
  awk -v t="$tmp/" 'index($5, t) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount "$m" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; tail -n 20 "$tmp/connectors.log" 2>/dev/null | cut -c1-300 >&2; exit 1; }
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
b64() { base64 -w0; }
rand() { /usr/bin/python3 -c 'import secrets; print(secrets.token_hex(12))'; }
kubectl=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
for tool in curl openssl /usr/bin/python3 "$kubectl"; do command -v "$tool" >/dev/null || fail "70-adversarial needs $tool"; done
bin=${CONNECTORS_BIN:-Connectors.Host/bin/Release/net10.0/connectors}
[ -x "$bin" ] || dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

proxy_port=$(port) health_port=$(port) tool_port=$(port) other_port=$(port) foreign_port=$(port) redir_port=$(port) tls_port=$(port)

# The tool's private CA (Secret k8s-ca) and the proxy's interception CA (Secret connectors-proxy-ca).
(
  cd "$tmp"
  ca() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$1" -keyout "$1.key" -out "$1.crt" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null; }
  ca upstream-ca
  ca proxy-ca
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=tool -keyout tool.key -out tool.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > tool.ext
  openssl x509 -req -in tool.csr -CA upstream-ca.crt -CAkey upstream-ca.key -CAcreateserial -days 2 -extfile tool.ext -out tool.crt 2>/dev/null
)

/usr/bin/python3 e2e/adversarial/origin.py --log "$tmp/origin.jsonl" --cert "$tmp/tool.crt" --key "$tmp/tool.key" \
  --listen "tool=$tool_port" --listen "other=$other_port" --listen "foreign=$foreign_port" --listen "redir=$redir_port" \
  --listen "tls=$tls_port:tls" --redirect-probes redir --foreign "http://127.0.0.1:$foreign_port" --ready "$tmp/origin.ready" \
  > "$tmp/origin.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -f "$tmp/origin.ready" ] && break; sleep 0.05; done
[ -f "$tmp/origin.ready" ] || fail "recording origin did not start: $(cat "$tmp/origin.out")"

# Credentials the attacks try to steal: random per run, so the final scan cannot match anything by accident.
password="pw-$(rand)" pat="glpat-$(rand)" bearer="k8s-$(rand)"
mkdir "$tmp/manifests"
cat > "$tmp/manifests/objects.yaml" <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: connectors-system}
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: Namespace
metadata: {name: elsewhere}
---
apiVersion: v1
kind: Secret
metadata: {name: connectors-proxy-ca, namespace: connectors-system}
type: kubernetes.io/tls
data: {tls.crt: $(b64 < "$tmp/proxy-ca.crt"), tls.key: $(b64 < "$tmp/proxy-ca.key")}
---
apiVersion: v1
kind: Secret
metadata: {name: web-creds, namespace: team}
type: kubernetes.io/basic-auth
stringData: {username: advuser, password: $password}
---
apiVersion: v1
kind: Secret
metadata: {name: lab-pat, namespace: team}
type: connectors.cpaas.io/gitlab-pat-auth
stringData: {token: $pat}
---
apiVersion: v1
kind: Secret
metadata: {name: k8s-token, namespace: team}
type: connectors.cpaas.io/bearer-token
stringData: {token: $bearer}
---
apiVersion: v1
kind: Secret
metadata: {name: k8s-ca, namespace: team}
type: Opaque
data: {ca.crt: $(b64 < "$tmp/upstream-ca.crt")}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: web, namespace: team}
spec:
  connectorClassName: git
  address: http://127.0.0.1:$tool_port/prefix
  auth: {name: basicAuth, secretRef: {name: web-creds}, params: [{name: repository, value: repo.git}]}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: root, namespace: team}
spec:
  connectorClassName: git
  address: http://127.0.0.1:$tool_port
  auth: {name: basicAuth, secretRef: {name: web-creds}, params: [{name: repository, value: repo.git}]}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: other, namespace: team}
spec:
  connectorClassName: git
  address: http://127.0.0.1:$other_port
  auth: {name: basicAuth, secretRef: {name: web-creds}, params: [{name: repository, value: repo.git}]}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: k8s, namespace: team}
spec:
  connectorClassName: k8s
  address: https://127.0.0.1:$tls_port/k8s
  auth: {name: bearerTokenAuth, secretRef: {name: k8s-token}}
  caCertSecretRef: {name: k8s-ca}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: lab, namespace: team}
spec:
  connectorClassName: gitlab
  address: http://127.0.0.1:$redir_port
  auth: {name: patAuth, secretRef: {name: lab-pat}}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: gitredir, namespace: team}
spec:
  connectorClassName: git
  address: http://127.0.0.1:$redir_port
  auth: {name: basicAuth, secretRef: {name: web-creds}, params: [{name: repository, value: probe.git}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: team}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: intruder, namespace: team}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: doomed, namespace: team}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: elsewhere}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: use-connectors, namespace: team}
rules:
- apiGroups: [connectors.alauda.io]
  resources: [connectors]
  resourceNames: [web, root, k8s, lab, gitredir]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: workloads-use-connectors, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-connectors}
subjects:
- {kind: ServiceAccount, name: builder, namespace: team}
- {kind: ServiceAccount, name: doomed, namespace: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: use-connectors, namespace: elsewhere}
rules: [{apiGroups: [connectors.alauda.io], resources: [connectors], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder-uses-connectors, namespace: elsewhere}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-connectors}
subjects: [{kind: ServiceAccount, name: builder, namespace: elsewhere}]
YAML

NODE_NAME=adv-node "$bin" run --role all --embedded --embedded-kubeconfig "$tmp/kubeconfig" \
  --apply manifests/connectorclasses --apply "$tmp/manifests" \
  --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" --csi-endpoint "unix://$tmp/csi.sock" \
  --log-format json > "$tmp/connectors.log" 2>&1 &
pids+=($!)
connectors_pid=$!
for _ in $(seq 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$health_port/readyz" || true)" = 200 ] && [ -S "$tmp/csi.sock" ] && [ -s "$tmp/kubeconfig" ] && break
  kill -0 "$connectors_pid" 2>/dev/null || fail "connectors exited at start"
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$health_port/readyz")" = 200 ] || fail "connectors not ready"

cat > "$tmp/config.json" <<JSON
{"bin": "$bin", "kubectl": "$kubectl", "kubeconfig": "$tmp/kubeconfig", "tmp": "$tmp",
 "proxy": $proxy_port, "health": $health_port, "tool": $tool_port, "other": $other_port, "foreign": $foreign_port,
 "redir": $redir_port, "tls": $tls_port, "csi": "unix://$tmp/csi.sock", "log": "$tmp/connectors.log",
 "origin_log": "$tmp/origin.jsonl", "proxy_ca": "$tmp/proxy-ca.crt",
 "secrets": {"user": "advuser", "password": "$password", "pat": "$pat", "bearer": "$bearer"}}
JSON
status=0
/usr/bin/python3 e2e/adversarial/attacks.py "$tmp/config.json" "${ADV_ONLY:-}" || status=$?
echo "adversarial e2e: finished in $(( $(date +%s) - start ))s"
exit "$status"
