#!/usr/bin/env bash
# Registry end to end with real clients: CNCF distribution (docker-registry 2.8) twice, with htpasswd (bcrypt) and
# with token authentication (e2e/peers/registry/token_server.py issuing ES256 JWTs the registry trusts); skopeo
# (push, pull, inspect) and podman (pull, push) through the proxy's registry path form
# <proxy>/namespaces/<ns>/connectors/<name>/<repo>:<tag>, authenticated by a mounted-style config.json (any user,
# the ServiceAccount token as password). The proxy runs as `connectors run --role proxy --embedded`; the controller
# runs against it and must report both Connectors AuthReady (the oci auth probe completes the token flow).
# Checks: a denied ServiceAccount gets 403 and the registry receives nothing; no registry password anywhere on the
# workload side (config.json, client output, proxy log, metrics).
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=()
images=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for i in "${images[@]}"; do podman rmi -f "$i" >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
. e2e/lib/common.sh
fail_log=$tmp/proxy.log fail_lines=20
kubectl=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
missing=()
/usr/bin/python3 -c 'import cryptography' 2>/dev/null || missing+=(python3-cryptography)
need 45-registry docker-registry skopeo umoci podman htpasswd curl /usr/bin/python3 "$kubectl"
bin=${CONNECTORS_BIN:-Connectors.Host/bin/Release/net10.0/connectors}
need_bin

basic_port=$(port) token_port=$(port) auth_port=$(port) proxy_port=$(port) health_port=$(port) ctl_health=$(port)
basic_pass="basic-Pw-$RANDOM$RANDOM" token_pass="token-Pw-$RANDOM$RANDOM"
/usr/bin/python3 e2e/peers/registry/token_server.py --listen "127.0.0.1:$auth_port" --cert "$tmp/issuer.crt" \
  --user robot --password "$token_pass" --log "$tmp/tokens.jsonl" &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/issuer.crt" ] && curl -s -o /dev/null "http://127.0.0.1:$auth_port/token" && break; sleep 0.05; done
bash e2e/peers/registry/start.sh "$tmp/basic" "$basic_port" htpasswd robot "$basic_pass"
pids+=("$(cat "$tmp/basic/registry.pid")")
bash e2e/peers/registry/start.sh "$tmp/token" "$token_port" token "http://127.0.0.1:$auth_port/token" e2e-registry connectors-e2e-issuer "$tmp/issuer.crt"
pids+=("$(cat "$tmp/token/registry.pid")")

# The registry-mode class: the shipped oci class when present, else a minimal one with the same contract.
class=oci
mkdir -p "$tmp/manifests"
if [ -f manifests/connectorclasses/oci.yaml ]; then
  cp manifests/connectorclasses/oci.yaml "$tmp/manifests/"
else
  cat > "$tmp/manifests/oci.yaml" <<'YAML'
apiVersion: connectors.alauda.io/v1alpha1
kind: ConnectorClass
metadata:
  name: oci
  annotations:
    connectors.cpaas.io/proxy-mode: registry
    connectors.cpaas.io/proxy-resolver: path
spec:
  address: {name: address, type: string}
  auth:
    types:
    - {name: tokenAuth, secretType: cpaas.io/distribution-registry-token, optional: true}
  livenessProbe: {http: {path: /v2/}}
  authProbes:
  - authName: tokenAuth
    probe:
      http:
        path: /v2/
        httpHeaders:
        - name: Authorization
          value: >-
            {{- if .Secret }}Basic {{ printf "%s:%s" .Secret.StringData.username .Secret.StringData.password | b64enc }} {{- end }}
  proxy: {ref: {kind: Service, name: connectors-proxy-service, namespace: connectors-system}}
YAML
fi
grep -q 'connectors.cpaas.io/proxy-mode: registry' "$tmp/manifests/oci.yaml" || fail "the oci class is not in registry mode"
auth_name=$(/usr/bin/python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["spec"]["auth"]["types"][0]["name"])' "$tmp/manifests/oci.yaml")

cat > "$tmp/manifests/objects.yaml" <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: team}
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
kind: Secret
metadata: {name: basic-creds, namespace: team}
type: cpaas.io/distribution-registry-token
stringData: {username: robot, password: "$basic_pass"}
---
apiVersion: v1
kind: Secret
metadata: {name: token-creds, namespace: team}
type: cpaas.io/distribution-registry-token
stringData: {username: robot, password: "$token_pass"}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: reg-basic, namespace: team}
spec:
  connectorClassName: $class
  address: http://127.0.0.1:$basic_port
  auth: {name: $auth_name, secretRef: {name: basic-creds}}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: reg-token, namespace: team}
spec:
  connectorClassName: $class
  address: http://127.0.0.1:$token_port
  auth: {name: $auth_name, secretRef: {name: token-creds}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: use-registries, namespace: team}
rules:
- apiGroups: [connectors.alauda.io]
  resources: [connectors]
  resourceNames: [reg-basic, reg-token]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder-uses-registries, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-registries}
subjects:
- {kind: ServiceAccount, name: builder, namespace: team}
YAML

start_connectors "$tmp/proxy.log" --role proxy --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply "$tmp/manifests" \
  --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" --log-format json
"$bin" run --role controller --kubeconfig "$tmp/kubeconfig" --health-listen "127.0.0.1:$ctl_health" --webhook-listen 127.0.0.1:0 --log-format json > "$tmp/controller.log" 2>&1 &
pids+=($!)
token=$("$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace team --service-account builder --duration 30m)
intruder=$("$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace team --service-account intruder)
proxy="127.0.0.1:$proxy_port"

# The mounted config.json's shape: {"auths":{"<proxy host:port>":{"auth":"base64(<any user>:<token>)"}}}.
mkdir -p "$tmp/pod" "$tmp/intruder"
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$proxy" "$(printf 'connectors:%s' "$token" | b64)" > "$tmp/pod/config.json"
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$proxy" "$(printf 'connectors:%s' "$intruder" | b64)" > "$tmp/intruder/config.json"

# A one-layer image built with umoci.
cd "$tmp"
mkdir payload && echo "hello from a layer pushed through the connectors proxy" > payload/hello.txt
umoci init --layout oci && umoci new --image oci:app && umoci insert --rootless --image oci:app payload/hello.txt /hello.txt >/dev/null
umoci config --image oci:app --config.cmd /hello.txt --architecture amd64 --os linux
cd - >/dev/null
layer=$(/usr/bin/python3 -c 'import json,sys; d=sys.argv[1]; idx=json.load(open(d+"/index.json")); m=idx["manifests"][0]["digest"].split(":")[1]; print(json.load(open(d+"/blobs/sha256/"+m))["layers"][0]["digest"])' "$tmp/oci")

for name in reg-basic reg-token; do
  image="$proxy/namespaces/team/connectors/$name/demo/app"
  out=$(skopeo copy --dest-tls-verify=false --authfile "$tmp/pod/config.json" oci:"$tmp/oci":app "docker://$image:v1" 2>&1) || fail "skopeo push ($name): $out"
  echo "$out" >> "$tmp/clients.out"
  out=$(skopeo copy --src-tls-verify=false --authfile "$tmp/pod/config.json" "docker://$image:v1" oci:"$tmp/pulled-$name":app 2>&1) || fail "skopeo pull ($name): $out"
  echo "$out" >> "$tmp/clients.out"
  [ -f "$tmp/pulled-$name/blobs/sha256/${layer#sha256:}" ] || fail "pulled image ($name) misses layer $layer"
  [ -d "$tmp/${name#reg-}/data/docker/registry/v2/repositories/demo/app" ] || fail "the registry ($name) did not store demo/app under its own name"
  ok "skopeo push and pull through $name (path form, config.json)"

  images+=("$image:v1" "$image:v2")
  out=$(podman pull --tls-verify=false --authfile "$tmp/pod/config.json" "$image:v1" 2>&1) || fail "podman pull ($name): $out"
  echo "$out" >> "$tmp/clients.out"
  podman tag "$image:v1" "$image:v2"
  out=$(podman push --tls-verify=false --authfile "$tmp/pod/config.json" "$image:v2" 2>&1) || fail "podman push ($name): $out"
  echo "$out" >> "$tmp/clients.out"
  tags=$(skopeo list-tags --tls-verify=false --authfile "$tmp/pod/config.json" "docker://$image" 2>&1) || fail "skopeo list-tags ($name): $tags"
  [[ $tags == *'"v1"'* && $tags == *'"v2"'* ]] || fail "tags after podman push ($name): $tags"
  ok "podman pull and push through $name"
done
grep -q '"outcome": "issued", "user": "robot"' "$tmp/tokens.jsonl" || fail "the token service issued no token to the Connector's account"

# A ServiceAccount without access: 403 from the proxy, nothing reaches either registry.
before_basic=$(grep -c '" HTTP/1.1" ' "$tmp/basic/registry.log" || true)
before_token=$(grep -c '" HTTP/1.1" ' "$tmp/token/registry.log" || true)
if out=$(skopeo copy --dest-tls-verify=false --authfile "$tmp/intruder/config.json" oci:"$tmp/oci":app "docker://$proxy/namespaces/team/connectors/reg-token/demo/evil:v1" 2>&1); then
  fail "an intruder pushed"
fi
[[ $out == *denied* || $out == *403* ]] || fail "intruder push: $out"
if out=$(skopeo inspect --tls-verify=false --authfile "$tmp/intruder/config.json" "docker://$proxy/namespaces/team/connectors/reg-basic/demo/app:v1" 2>&1); then
  fail "an intruder pulled"
fi
[ "$(grep -c '" HTTP/1.1" ' "$tmp/basic/registry.log" || true)" = "$before_basic" ] || fail "the htpasswd registry received a request of the intruder"
[ "$(grep -c '" HTTP/1.1" ' "$tmp/token/registry.log" || true)" = "$before_token" ] || fail "the token registry received a request of the intruder"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$proxy/v2/")" = 401 ] || fail "/v2/ without credentials is not 401"
ok "denied ServiceAccount refused (403), no request reached the registries; /v2/ asks for credentials"

# The controller's auth probes: /v2/ with Basic from the Secret, the token flow completed for the token registry.
k() { "$kubectl" --kubeconfig "$tmp/kubeconfig" "$@"; }
auth_ready() { test "$(k get connector "$1" -n team -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True; }
for name in reg-basic reg-token; do
  for _ in $(seq 300); do auth_ready "$name" && break; sleep 0.1; done
  auth_ready "$name" || fail "$name not Ready: $(k get connector "$name" -n team -o jsonpath='{.status.conditions}')"
done
ok "controller: both registry Connectors Ready (liveness: the registry's 401 on /v2/; auth: Basic, the token registry through the token flow)"

# No registry password on the workload side: mounted-style files, client output, proxy log, metrics.
sleep 0.2
curl -fsS "http://127.0.0.1:$health_port/metrics" > "$tmp/metrics.txt"
for secret in "$basic_pass" "$token_pass" "$(printf 'robot:%s' "$basic_pass" | b64)" "$(printf 'robot:%s' "$token_pass" | b64)"; do
  if grep -qF -- "$secret" "$tmp/pod/config.json" "$tmp/clients.out" "$tmp/proxy.log" "$tmp/metrics.txt"; then fail "a registry credential is on the workload side"; fi
done
if grep -qF -- "$token" "$tmp/proxy.log"; then fail "the ServiceAccount token is in the proxy log"; fi
if grep -q 'eyJ' "$tmp/proxy.log" "$tmp/clients.out"; then fail "a JWT (registry token) is in the proxy log or client output"; fi
ok "no registry password or token in config.json, client output, proxy log or metrics"
echo "registry e2e: passed in $(( $(date +%s) - start ))s"
