#!/usr/bin/env bash
# A real kubectl (1.33) against `connectors run --embedded`: apply, get with the CRD printer columns, get -o yaml,
# describe, status subresource, RBAC (auth can-i, ServiceAccount tokens), delete. Runs from the project root.
set -euo pipefail
cd "$(dirname "$0")/../.."

KUBECTL=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
if [ ! -x "$KUBECTL" ]; then
  echo "SKIP: $KUBECTL not found (set KUBECTL to a kubectl >= 1.27)"
  exit 0
fi

BIN=${CONNECTORS_BIN:-Connectors.Host/bin/${CONFIG:-Release}/net10.0/connectors}
if [ ! -x "$BIN" ]; then
  dotnet build Connectors.Host/Connectors.Host.csproj -c "${CONFIG:-Release}" -v quiet -nologo >/dev/null
fi

TESTDATA=e2e/testdata/embedded
tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  echo "--- server log"; tail -n 40 "$tmp/server.log" || true
  exit 1
}
# expect DESCRIPTION NEEDLE TEXT: TEXT contains NEEDLE (a grep -E pattern).
expect() { grep -Eq -- "$2" <<<"$3" || fail "$1: want /$2/ in:"$'\n'"$3"; echo "ok: $1"; }
k() { "$KUBECTL" --kubeconfig "$tmp/kubeconfig" "$@"; }

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" run --role controller --embedded --embedded-kubeconfig "$tmp/kubeconfig" \
  --health-listen "127.0.0.1:$port" --log-format text >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  if [ -s "$tmp/kubeconfig" ] && curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  kill -0 "$server_pid" 2>/dev/null || fail "connectors exited before it was ready"
  sleep 0.2
done
[ -s "$tmp/kubeconfig" ] || fail "no kubeconfig after 30 s"
expect "start-up output names the kubeconfig" "kubeconfig: $tmp/kubeconfig" "$(cat "$tmp/server.log")"

expect "server version" "Server Version: v1\.33" "$(k version 2>&1)"
expect "default namespaces" "kube-system +Active" "$(k get namespaces 2>&1)"
expect "discovery lists connectors" "connectors +connectors\.alauda\.io/v1alpha1 +true +Connector" "$(k api-resources 2>&1)"

# Apply (with kubectl's default client validation: the server says it validates fields itself).
expect "server dry run" "connectorclass\.connectors\.alauda\.io/gitlab created \(server dry run\)" "$(k apply --dry-run=server -f "$TESTDATA/10-connectorclass.yaml" 2>&1)"
out=$(k apply -f "$TESTDATA" 2>&1)
expect "apply creates the namespace" "namespace/gitlab-connector-demo created" "$out"
expect "apply creates the connector" "connector\.connectors\.alauda\.io/gitlab-connector created" "$out"
expect "second apply is unchanged" "connector\.connectors\.alauda\.io/gitlab-connector unchanged" "$(k apply -f "$TESTDATA" 2>&1)"

out=$(k get connectors -n gitlab-connector-demo 2>&1)
expect "printer column headers" "^NAME +CLASS +ADDRESS +READY +REASON +AGE" "$out"
# Status columns are empty until the controller has probed the tool (offline here: False ConnectionFailed).
expect "printer column cells" "^gitlab-connector +gitlab +https://gitlab\.com +((True|False|Unknown) +[A-Za-z]* +)?[0-9]+s" "$out"
expect "connectorclass columns" "^NAME +READY +REASON +AGE" "$(k get connectorclasses 2>&1)"
expect "get -A" "gitlab-connector-demo +gitlab-connector" "$(k get connectors -A 2>&1)"

# Status through the status subresource, as the controller writes it.
k patch connector gitlab-connector -n gitlab-connector-demo --subresource=status --type=merge \
  -p '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"","lastTransitionTime":"2025-01-01T00:00:00Z"}]}}' >/dev/null
expect "ready column from the status condition" "^gitlab-connector +gitlab +https://gitlab\.com +True" "$(k get connectors -n gitlab-connector-demo 2>&1)"

yaml=$(k get connector gitlab-connector -n gitlab-connector-demo -o yaml 2>&1)
expect "get -o yaml kind" "^kind: Connector" "$yaml"
expect "get -o yaml generation" "^  generation: 1" "$yaml"
expect "get -o yaml last-applied" "kubectl.kubernetes.io/last-applied-configuration" "$yaml"
expect "secret stringData folded into data" "^glpat-xxxxxxxxxxxxxxxxxxxx$" \
  "$(k get secret gitlab-secret -n gitlab-connector-demo -o jsonpath='{.data.token}' | base64 -d)"

# Update through apply: a JSON merge patch that bumps generation and keeps the status.
sed 's|https://gitlab.com|https://gitlab.example.com|' "$TESTDATA/30-connector.yaml" >"$tmp/connector.yaml"
expect "apply configures" "gitlab-connector configured" "$(k apply -f "$tmp/connector.yaml" 2>&1)"
yaml=$(k get connector gitlab-connector -n gitlab-connector-demo -o yaml 2>&1)
expect "spec change bumps generation" "^  generation: 2" "$yaml"
expect "status survives the spec update" "status: \"True\"" "$yaml"

out=$(k describe connector gitlab-connector -n gitlab-connector-demo 2>&1)
expect "describe name" "^Name: +gitlab-connector" "$out"
expect "describe spec" "Connector Class Name: +gitlab" "$out"
expect "describe events" "^Events:" "$out"

# RBAC: a ServiceAccount may read connectors only once bound, and its token works as a bearer token.
k create serviceaccount reader -n gitlab-connector-demo >/dev/null
expect "can-i before binding" "^no" "$(k auth can-i get connectors -n gitlab-connector-demo --as system:serviceaccount:gitlab-connector-demo:reader 2>&1 || true)"
k create clusterrole connector-reader --verb=get,list,watch --resource=connectors.connectors.alauda.io >/dev/null
k create rolebinding reader -n gitlab-connector-demo --clusterrole=connector-reader --serviceaccount=gitlab-connector-demo:reader >/dev/null
expect "can-i after binding" "^yes" "$(k auth can-i get connectors -n gitlab-connector-demo --as system:serviceaccount:gitlab-connector-demo:reader 2>&1)"
expect "can-i elsewhere" "^no" "$(k auth can-i get connectors -n default --as system:serviceaccount:gitlab-connector-demo:reader 2>&1 || true)"
token=$(k create token reader -n gitlab-connector-demo --duration 15m)
expect "token reads connectors" "gitlab-connector" "$(k get connectors -n gitlab-connector-demo --token "$token" 2>&1)"
expect "token cannot read secrets" "Forbidden" "$(k get secrets -n gitlab-connector-demo --token "$token" 2>&1 || true)"
expect "whoami" "system:serviceaccount:gitlab-connector-demo:reader" "$(k auth whoami --token "$token" 2>&1)"

out=$(k delete -f "$TESTDATA" 2>&1)
expect "delete connector" "connector\.connectors\.alauda\.io \"gitlab-connector\" deleted" "$out"
expect "delete namespace" "namespace \"gitlab-connector-demo\" deleted" "$out"
expect "nothing left" "No resources found" "$(k get connectors -A 2>&1)"
expect "404 wording" "connectors\.connectors\.alauda\.io \"gitlab-connector\" not found" "$(k get connector gitlab-connector -n default 2>&1 || true)"
k delete clusterrole connector-reader >/dev/null
k delete connectorclass gitlab >/dev/null 2>&1 || true

# The install manifests: a server dry run of the whole kustomization (CRDs, RBAC, Deployments, DaemonSet,
# CSIDriver, ConnectorClasses) into the components namespace, then the real apply and the quickstart examples.
if [ -f manifests/kustomization.yaml ]; then
  k get namespace connectors-system >/dev/null 2>&1 || k create namespace connectors-system >/dev/null
  out=$(k apply -k manifests --dry-run=server 2>&1) || fail "install dry run: $out"
  expect "install dry run" "deployment\.apps/connectors-controller created \(server dry run\)" "$out"
  monitoring=$(k apply -k manifests/monitoring --dry-run=server 2>&1) || fail "monitoring dry run: $monitoring"
  expect "monitoring dry run" "servicemonitor\.monitoring\.coreos\.com/connectors created \(server dry run\)" "$monitoring"
  expect "monitoring dry run rules" "prometheusrule\.monitoring\.coreos\.com/connectors created \(server dry run\)" "$monitoring"
  expect "install dry run CRDs" "customresourcedefinition\.apiextensions\.k8s\.io/connectors\.connectors\.alauda\.io created \(server dry run\)" "$out"
  out=$(k apply -k manifests 2>&1) || fail "install: $out"
  expect "install applies the ResourceInterface CRD" "customresourcedefinition\.apiextensions\.k8s\.io/resourceinterfaces\.connectors\.alauda\.io (created|unchanged)" "$out"
  out=$(k apply -f - 2>&1 <<'YAML'
apiVersion: connectors.alauda.io/v1alpha1
kind: ResourceInterface
metadata:
  name: ociartifact
  labels:
    resourceinterface.connectors.cpaas.io/category: OCIArtifact
spec:
  params:
  - name: repository
    type: string
  workspaces:
  - name: registry-config
    workspaceMapping:
      name: dockerconfig
    value:
      csi:
        driver: connectors-csi
        readOnly: true
YAML
) || fail "resourceinterface apply: $out"
  expect "resourceinterface created" "resourceinterface\.connectors\.alauda\.io/ociartifact created" "$out"
  expect "resourceinterface listed" "^ociartifact +" "$(k get resourceinterfaces 2>&1)"
  if [ -d examples/quickstart ]; then
    out=$(k apply -f examples/quickstart 2>&1) || fail "quickstart: $out"
    expect "quickstart connectors listed" "^quickstart +" "$(k get connectors -A 2>&1)"
  fi
fi

echo "10-embedded-kubectl: all checks passed"
