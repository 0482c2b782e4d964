#!/usr/bin/env bash
# Admission webhooks with a real kubectl (1.33) against `connectors run --role controller,proxy --embedded`: the
# embedded API calls the controller's webhooks over HTTPS (caBundle written by the controller), so `kubectl apply`
# of each invalid Connector of docs/troubleshooting.md ("kubectl apply is refused") is refused with the webhook's
# message, valid ones are accepted, a webhook that is down follows the documented failurePolicy (Ignore for
# Connectors: the reconciler then reports InvalidSpec; Fail refuses), and a Pod annotated for image pulls through
# a Connector is refused with the flag off and rewritten (images, pull Secret with a ServiceAccount token) with it on,
# and the rewritten image is pulled through the proxy by skopeo with the generated pull Secret (docker-registry 2.8).
set -euo pipefail
cd "$(dirname "$0")/../.."
kubectl=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
[ -x "$kubectl" ] || { echo "SKIP: $kubectl not found"; exit 0; }
bin=${CONNECTORS_BIN:-Connectors.Host/bin/Release/net10.0/connectors}
[ -x "$bin" ] || dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null
tmp=$(mktemp -d)
run_pid=
reg_pid=
cleanup() {
  if [ -n "$run_pid" ]; then kill "$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; fi
  if [ -n "$reg_pid" ]; then kill "$reg_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
. e2e/lib/common.sh
fail_log=$tmp/server.log fail_lines=25
# expect DESCRIPTION NEEDLE TEXT: TEXT contains NEEDLE (fixed string).
expect() { grep -Fq -- "$2" <<<"$3" || fail "$1: want '$2' in:"$'\n'"$3"; ok "$1"; }
k() { "$kubectl" --kubeconfig "$tmp/kubeconfig" "$@"; }
wait_for() { # description command...: retries for 30 s
  local what=$1; shift
  for _ in $(seq 300); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  fail "$what"
}
refused() { # description manifest-file expected-message: kubectl apply fails with the webhook's message
  local out
  if out=$(k apply -f "$2" 2>&1); then fail "$1: accepted: $out"; fi
  expect "$1" "$3" "$out"
}

health=$(port)
start_connectors "$tmp/server.log" --role controller,proxy --embedded --embedded-kubeconfig "$tmp/kubeconfig" \
  --apply manifests/connectorclasses --health-listen "127.0.0.1:$health" --proxy-listen 127.0.0.1:0 --log-format json
bundle=$(k get validatingwebhookconfiguration connectors-webhook -o jsonpath='{.webhooks[*].clientConfig.caBundle}')
[ -n "$bundle" ] || fail "the controller wrote no caBundle"
ok "webhook configurations registered, caBundle written by the controller"
expect "the shipped classes passed the ConnectorClass webhook" "connectorclass.connectors.alauda.io/github" "$(k get connectorclasses -o name)"

k create namespace team >/dev/null
W='admission webhook "connectors.connectors.alauda.io" denied the request: '
connector() { # name spec-yaml-lines...: writes $tmp/<name>.yaml
  local name=$1; shift
  { printf 'apiVersion: connectors.alauda.io/v1alpha1\nkind: Connector\nmetadata: {name: %s, namespace: team}\nspec:\n' "$name"
    printf '  %s\n' "$@"; } >"$tmp/$name.yaml"
}

# A class with an address extension that has no default (github's "api" has one).
cat >"$tmp/class.yaml" <<'YAML'
apiVersion: connectors.alauda.io/v1alpha1
kind: ConnectorClass
metadata: {name: e2e-tool}
spec:
  address: {name: address, type: string}
  addressExtensions: [{name: api, type: string}]
  auth:
    types: [{name: tokenAuth, secretType: connectors.cpaas.io/bearer-token, optional: true}]
YAML
expect "a valid ConnectorClass is accepted" "connectorclass.connectors.alauda.io/e2e-tool created" "$(k apply -f "$tmp/class.yaml" 2>&1)"
sed 's/name: e2e-tool}/name: e2e-broken}/; s/auth:/authProbes: [{authName: basicAuth}]\n  auth:/' "$tmp/class.yaml" >"$tmp/broken-class.yaml"
refused "an invalid ConnectorClass is refused" "$tmp/broken-class.yaml" \
  'admission webhook "connectorclasses.connectors.alauda.io" denied the request: spec.authProbes[0].authName: "basicAuth" is not declared in spec.auth.types'

# Each invalid example of docs/troubleshooting.md, "kubectl apply is refused".
connector undeclared-auth 'connectorClassName: git' 'address: https://git.example.com' 'auth: {name: tokenAuth}'
refused "undeclared auth type" "$tmp/undeclared-auth.yaml" "${W}spec.auth.name \"tokenAuth\" is not declared by connectorclass \"git\": want one of \"basicAuth\""
connector missing-param 'connectorClassName: git' 'address: https://git.example.com' 'auth: {name: basicAuth, secretRef: {name: creds}}'
refused "missing required auth param" "$tmp/missing-param.yaml" "${W}spec.auth.params \"repository\" is required by the connectorclass"
connector undeclared-extension 'connectorClassName: github' 'address: https://github.com' 'auth: {name: patAuth}' 'addressExtensions: [{name: foo, value: "https://foo.example.com"}]'
refused "undeclared address extension" "$tmp/undeclared-extension.yaml" "${W}spec.addressExtensions \"foo\" is not declared by the connectorclass: want one of \"api\""
connector bad-extension 'connectorClassName: github' 'address: https://github.com' 'auth: {name: patAuth}' 'addressExtensions: [{name: api, value: "ftp://api.example.com"}]'
refused "extension not an http(s) URL" "$tmp/bad-extension.yaml" "${W}spec.addressExtensions \"api\" must be an http or https URL, got \"ftp://api.example.com\""
connector missing-extension 'connectorClassName: e2e-tool' 'address: https://tool.example.com' 'auth: {name: tokenAuth}'
refused "missing required address extension" "$tmp/missing-extension.yaml" "${W}spec.addressExtensions \"api\" is required by the connectorclass"
connector no-auth 'connectorClassName: github' 'address: https://github.com'
refused "no auth type while the class declares some" "$tmp/no-auth.yaml" "${W}spec.auth.name is required: connectorclass \"github\" declares \"patAuth\""
connector bad-address 'connectorClassName: git' 'address: git.example.com' 'auth: {name: basicAuth, params: [{name: repository, value: a/b.git}]}'
refused "address not a URL" "$tmp/bad-address.yaml" "${W}spec.address \"git.example.com\" is not an http or https URL"
[ -z "$(k get connectors -n team -o name)" ] || fail "a refused Connector was stored"
ok "no refused Connector was stored"

# Valid ones are accepted; a class that does not exist yet is a warning, not a refusal.
connector good 'connectorClassName: git' 'address: https://git.example.com' 'auth: {name: basicAuth, secretRef: {name: creds}, params: [{name: repository, value: a/b.git}]}'
expect "a valid Connector is accepted" "connector.connectors.alauda.io/good created" "$(k apply -f "$tmp/good.yaml" 2>&1)"
connector later 'connectorClassName: not-yet' 'address: https://tool.example.com'
out=$(k apply -f "$tmp/later.yaml" 2>&1)
expect "a Connector of a missing class is accepted" "connector.connectors.alauda.io/later created" "$out"
expect "... with the webhook's warning" 'Warning: connectorclass.connectors.alauda.io "not-yet" not found' "$out"
expect "kubectl apply --dry-run=server runs the webhook too" "${W}spec.auth.name" "$(k apply --dry-run=server -f "$tmp/undeclared-auth.yaml" 2>&1 || true)"

# Webhook down: point the Connector webhook at a closed port. failurePolicy Ignore (the shipped one) admits, and the
# reconciler reports the same rule as InvalidSpec; failurePolicy Fail refuses with kube-apiserver's wording.
closed=$(port)
k -n connectors-system patch service connectors-controller-webhook --type=json \
  -p "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/port\",\"value\":$closed}]" >/dev/null
k patch validatingwebhookconfiguration connectors-webhook --type=json \
  -p "[{\"op\":\"replace\",\"path\":\"/webhooks/0/clientConfig/service/port\",\"value\":$closed}]" >/dev/null
expect "webhook down, failurePolicy Ignore: admitted" "connector.connectors.alauda.io/undeclared-auth created" "$(k apply -f "$tmp/undeclared-auth.yaml" 2>&1)"
wait_for "the reconciler reports InvalidSpec" sh -c "$kubectl --kubeconfig $tmp/kubeconfig -n team get connector undeclared-auth -o jsonpath='{.status.conditions[?(@.type==\"ConnectorClassReady\")].reason}' | grep -qx InvalidSpec"
ok "... and the reconciler reports it as InvalidSpec"
k patch validatingwebhookconfiguration connectors-webhook --type=json -p '[{"op":"replace","path":"/webhooks/0/failurePolicy","value":"Fail"}]' >/dev/null
out=$(k apply -f "$tmp/missing-param.yaml" 2>&1 || true)
expect "webhook down, failurePolicy Fail: refused" 'failed calling webhook "connectors.connectors.alauda.io": failed to call webhook: Post "https://connectors-controller-webhook.connectors-system.svc:' "$out"
k delete validatingwebhookconfiguration connectors-webhook >/dev/null   # never sent to webhooks: always removable
expect "without the webhook, the reconciler's check is what remains" "connector.connectors.alauda.io/missing-param created" "$(k apply -f "$tmp/missing-param.yaml" 2>&1)"

# Pods pulling through a Connector: refused with the flag off, rewritten with it on.
# The Connector is of the oci class, for a real registry (docker-registry behind htpasswd) holding team/app:v1.
reg_port=$(port) reg_pass="reg-Pw-$RANDOM$RANDOM"
bash e2e/peers/registry/start.sh "$tmp/registry" "$reg_port" htpasswd puller-bot "$reg_pass"
reg_pid=$(cat "$tmp/registry/registry.pid")
(cd "$tmp" && mkdir payload && echo "pulled by kubelet through a Connector" > payload/hello.txt && umoci init --layout oci >/dev/null \
  && umoci new --image oci:app >/dev/null && umoci insert --rootless --image oci:app payload/hello.txt /hello.txt >/dev/null \
  && umoci config --image oci:app --config.cmd /hello.txt --architecture amd64 --os linux >/dev/null) || fail "umoci build"
skopeo copy --dest-tls-verify=false --dest-creds "puller-bot:$reg_pass" "oci:$tmp/oci:app" "docker://127.0.0.1:$reg_port/team/app:v1" >/dev/null 2>&1 \
  || fail "seeding the registry"
k -n team create secret generic registry-creds --type=cpaas.io/distribution-registry-token \
  --from-literal=username=puller-bot --from-literal=password="$reg_pass" >/dev/null
connector registry 'connectorClassName: oci' "address: http://127.0.0.1:$reg_port" 'auth: {name: tokenAuth, secretRef: {name: registry-creds}}'
k apply -f "$tmp/registry.yaml" >/dev/null
k -n team create serviceaccount puller >/dev/null
k -n team create role use-registry --verb=get --resource=connectors.connectors.alauda.io --resource-name=registry >/dev/null
k -n team create rolebinding puller-uses-registry --role=use-registry --serviceaccount=team:puller >/dev/null
registry=127.0.0.1:$reg_port
cat >"$tmp/pod.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: team
  labels: {connectors.cpaas.io/proxy-inject: "true"}
  annotations: {connectors.cpaas.io/connector: team/registry}
spec:
  serviceAccountName: puller
  initContainers: [{name: init, image: "$registry/team/init:1.0"}]
  containers:
  - {name: app, image: "$registry/team/app:v1"}
  - {name: sidecar, image: "busybox:1.36"}
YAML
refused "flag off: the annotated Pod is refused" "$tmp/pod.yaml" \
  'admission webhook "pods.connectors.alauda.io" denied the request: image pulls through a Connector are disabled: the Pod has label connectors.cpaas.io/proxy-inject: "true"; set "enable-pod-image-pull-via-connector": "true" in ConfigMap connectors-system/connectors-config'
sed 's/name: app$/name: plain/; /proxy-inject/d' "$tmp/pod.yaml" >"$tmp/plain-pod.yaml"
expect "a Pod without the label is not sent to the webhook" "pod/plain created" "$(k apply -f "$tmp/plain-pod.yaml" 2>&1)"
k -n connectors-system create configmap connectors-config --from-literal=enable-pod-image-pull-via-connector=true >/dev/null
proxy=$(k -n connectors-system get service connectors-proxy-service -o jsonpath='{.metadata.annotations.connectors\.alauda\.io/external-url}')
proxy=${proxy#http://}
for _ in $(seq 100); do out=$(k apply -f "$tmp/pod.yaml" 2>&1) && break; sleep 0.1; done   # the flag reaches the controller's cache
expect "flag on: the Pod is created" "pod/app created" "$out"
expect "... with the sidecar's image left, as a warning" 'Warning: spec.containers[1] (sidecar): image "busybox:1.36" is not from the Connector'"'"'s registry '"$registry"'; left unchanged' "$out"
images=$(k -n team get pod app -o jsonpath='{.spec.initContainers[*].image} {.spec.containers[*].image}')
[ "$images" = "$proxy/namespaces/team/connectors/registry/team/init:1.0 $proxy/namespaces/team/connectors/registry/team/app:v1 busybox:1.36" ] \
  || fail "rewritten images: $images"
ok "images rewritten to the proxy ($proxy/namespaces/team/connectors/registry/...)"
secret=$(k -n team get pod app -o jsonpath='{.spec.imagePullSecrets[0].name}')
# The webhook only names the Secret; the controller writes it once the Pod exists (a forged review mints nothing).
wait_for "the controller writes pull Secret $secret for the admitted Pod" k -n team get secret "$secret"
[ "$(k -n team get secret "$secret" -o jsonpath='{.type}')" = kubernetes.io/dockerconfigjson ] || fail "pull Secret $secret is not a dockerconfigjson Secret"
k -n team get secret "$secret" -o jsonpath='{.data.\.dockerconfigjson}' | base64 -d >"$tmp/config.json"
user=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["auths"][sys.argv[2]]["username"])' "$tmp/config.json" "$proxy")
token=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["auths"][sys.argv[2]]["password"])' "$tmp/config.json" "$proxy")
[ "$user" = connectors ] || fail "pull Secret user: $user"
review=$(k create --validate=false -o jsonpath='{.status.user.username}' -f - <<YAML
apiVersion: authentication.k8s.io/v1
kind: TokenReview
spec: {token: "$token", audiences: ["http://c-registry.team.svc.cluster.local"]}
YAML
)
[ "$review" = system:serviceaccount:team:puller ] || fail "the pull Secret's token reviews as '$review'"
ok "pull Secret $secret: user connectors, password a token of serviceaccount team/puller"
grep -q "$token" "$tmp/server.log" && fail "the token appears in the log"
ok "the token is not in the log"

# What kubelet does with the rewritten image and the generated Secret: pull through the proxy's registry path form.
out=$(skopeo copy --src-tls-verify=false --authfile "$tmp/config.json" "docker://$proxy/namespaces/team/connectors/registry/team/app:v1" \
  "oci:$tmp/pulled:app" 2>&1) || fail "pull of the rewritten image with the generated pull Secret: $out"
layers=$(/usr/bin/python3 -c 'import json,sys; d=sys.argv[1]; m=json.load(open(d+"/index.json"))["manifests"][0]["digest"].split(":")[1]; print(len(json.load(open(d+"/blobs/sha256/"+m))["layers"]))' "$tmp/pulled")
[ "$layers" = 1 ] || fail "the pulled image has $layers layers"
ok "the rewritten image is pulled through the proxy (skopeo copy) with the generated pull Secret"
grep -qF -- "$reg_pass" "$tmp/config.json" "$tmp/server.log" && fail "the registry password appears in the pull Secret or the log"
ok "the registry password is in neither the pull Secret nor the log"
# A Pod of another namespace naming team's Connector: its ServiceAccount may not get it, so the refusal is the one a
# missing Connector gets (nothing about team/registry's existence or registry host reaches the Pod's author).
k create namespace elsewhere >/dev/null
sed 's/namespace: team$/namespace: elsewhere/; s/serviceAccountName: puller/serviceAccountName: default/' "$tmp/pod.yaml" >"$tmp/cross.yaml"
sed 's#connectors.cpaas.io/connector: team/registry#connectors.cpaas.io/connector: team/nothing#' "$tmp/cross.yaml" >"$tmp/cross-missing.yaml"
refused "another namespace's Connector its ServiceAccount may not get: refused" "$tmp/cross.yaml" \
  'denied the request: metadata.annotations[connectors.cpaas.io/connector]: connector "team/registry" not found, or serviceaccount "elsewhere/default" may not get it'
refused "... exactly as a Connector that does not exist" "$tmp/cross-missing.yaml" \
  'denied the request: metadata.annotations[connectors.cpaas.io/connector]: connector "team/nothing" not found, or serviceaccount "elsewhere/default" may not get it'
echo "65-admission: all checks passed"
