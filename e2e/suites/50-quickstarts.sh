#!/usr/bin/env bash
# The seed quick starts end to end, in one `connectors run --role all --embedded` with real clients:
#  (a) GitLab (seed 000): a gitlab-pat-auth Secret and a gitlab Connector against a GitLab stand-in (nginx +
#      git-http-backend that accepts only Basic with the PAT, and /api/v4/user that accepts only PRIVATE-TOKEN)
#      -> READY True; the CSI-mounted .gitconfig -> git clone succeeds through the proxy, and the PAT is in no
#      mounted file, no environment variable and no argument of the client.
#  (b) Kubernetes (seed 001): a k8s Connector to a TLS API server with a private CA; the mounted kubeconfig ->
#      kubectl get pods through CONNECT + TLS interception.
#  (c) CSI (seed 003): a custom class with a constant .gitconfig, mounted with the built-in files.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
chmod 755 "$tmp"
run_pid="" api_pid=""
bin=${CONNECTORS_BIN:-$PWD/Connectors.Host/bin/Release/net10.0/connectors}
kubectl=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
cleanup() {
  for vol in "$tmp"/pods/*/vol; do [ -d "$vol" ] && "$bin" csi unpublish --endpoint "unix://$tmp/csi.sock" --target "$vol" >/dev/null 2>&1 || true; done
  [ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null
  bash e2e/peers/git-http/stop.sh "$tmp/git" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- connectors log (tail)" >&2; tail -n 40 "$tmp/run.log" | cut -c1-400 >&2 || true; exit 1; }
ok() { echo "ok: $*"; }
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
k() { "$kubectl" --kubeconfig "$tmp/kubeconfig" "$@"; }
ready() { k get connector "$2" -n "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null; }
missing=()
for tool in git curl openssl nginx fcgiwrap htpasswd /usr/bin/python3 "$kubectl"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ ${#missing[@]} -eq 0 ] || { echo "FAIL: 50-quickstarts needs: ${missing[*]}" >&2; exit 1; }
[ -x "$bin" ] || dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null

pat=glpat-e2e-$RANDOM$RANDOM
git_port=$(port) api_port=$(port) proxy_port=$(port) health_port=$(port)

# (a) The GitLab stand-in: git over smart HTTP with Basic (user oauth2, password = PAT), and the v4 API with PRIVATE-TOKEN.
cat > "$tmp/gitlab-api.conf" <<CONF
location = / { return 200 "GitLab stand-in\n"; }
location = /api/v4/user {
  default_type application/json;
  if (\$http_private_token != "$pat") { return 401 '{"message":"401 Unauthorized"}'; }
  return 200 '{"id":1,"username":"connector-bot"}';
}
CONF
bash e2e/peers/git-http/start.sh "$tmp/git" "$git_port" oauth2 "$pat" "$tmp/gitlab-api.conf"
mkdir -p "$tmp/git/repos/group"
git clone -q --bare "$tmp/git/repos/demo.git" "$tmp/git/repos/group/repo.git"
chmod -R a+rX "$tmp/git/repos"

# (b) A TLS API server with a private CA that wants the cluster's bearer token.
cd "$tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=cluster-ca -keyout ca.key -out ca.crt \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=apiserver -keyout api.key -out api.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > api.ext
openssl x509 -req -in api.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile api.ext -out api.crt 2>/dev/null
cd - >/dev/null
cluster_token=cluster-token-$RANDOM$RANDOM
/usr/bin/python3 e2e/peers/testapi/testapi.py --listen "127.0.0.1:$api_port" --cert "$tmp/api.crt" --key "$tmp/api.key" \
  --token "$cluster_token" --log "$tmp/api.jsonl" &
api_pid=$!

indent() { sed 's/^/    /'; }
mkdir "$tmp/manifests"
cat > "$tmp/manifests/quickstarts.yaml" <<YAML
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: connectors-connector-viewer-role}
rules:
- {apiGroups: [connectors.alauda.io], resources: [connectors], verbs: [get, list, watch]}
---
apiVersion: v1
kind: Namespace
metadata: {name: gitlab-connector-demo}
---
kind: Secret
apiVersion: v1
metadata: {name: gitlab-secret, namespace: gitlab-connector-demo}
type: connectors.cpaas.io/gitlab-pat-auth
stringData: {token: $pat}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: gitlab-connector, namespace: gitlab-connector-demo}
spec:
  connectorClassName: gitlab
  address: http://127.0.0.1:$git_port
  auth:
    name: patAuth
    secretRef: {name: gitlab-secret}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: gitlab-connector-demo}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder-uses-connectors, namespace: gitlab-connector-demo}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: connectors-connector-viewer-role}
subjects: [{kind: ServiceAccount, name: builder, namespace: gitlab-connector-demo}]
---
apiVersion: v1
kind: Namespace
metadata: {name: k8s-demo}
---
apiVersion: v1
kind: Secret
metadata: {name: k8s-secret, namespace: k8s-demo}
type: connectors.cpaas.io/bearer-token
stringData: {token: $cluster_token}
---
apiVersion: v1
kind: Secret
metadata: {name: k8s-ca, namespace: k8s-demo}
stringData:
  ca.crt: |
$(indent < "$tmp/ca.crt")
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: k8s-connector, namespace: k8s-demo}
spec:
  connectorClassName: k8s
  address: https://127.0.0.1:$api_port
  caCertSecretRef: {name: k8s-ca}
  auth:
    name: bearerTokenAuth
    secretRef: {name: k8s-secret}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer, namespace: k8s-demo}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer-uses-connectors, namespace: k8s-demo}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: connectors-connector-viewer-role}
subjects: [{kind: ServiceAccount, name: deployer, namespace: k8s-demo}]
---
apiVersion: connectors.alauda.io/v1alpha1
kind: ConnectorClass
metadata: {name: my-git}
spec:
  address: {type: string}
  configurations:
  - name: config
    data:
      .gitconfig: |
        this is git config
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: git-connector, namespace: default}
spec:
  address: https://github.com
  connectorClassName: my-git
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: default-uses-connectors, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: connectors-connector-viewer-role}
subjects: [{kind: ServiceAccount, name: default, namespace: default}]
YAML

"$bin" run --role all --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply manifests/connectorclasses --apply "$tmp/manifests" \
  --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" --csi-endpoint "unix://$tmp/csi.sock" \
  --probe-interval 30s --log-format json > "$tmp/run.log" 2>&1 &
run_pid=$!
for _ in $(seq 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$health_port/readyz" || true)" = 200 ] && break
  kill -0 "$run_pid" 2>/dev/null || fail "connectors run exited"
  sleep 0.1
done
ok "all roles ready on the embedded API"

# (a) GitLab
for _ in $(seq 300); do [ "$(ready gitlab-connector-demo gitlab-connector)" = True ] && break; sleep 0.1; done
[ "$(ready gitlab-connector-demo gitlab-connector)" = True ] || { k get connector -A -o yaml >&2; fail "gitlab-connector is not READY True"; }
k get connectors -A
proxy_address=$(k get connector gitlab-connector -n gitlab-connector-demo -o jsonpath='{.status.proxy.httpAddress.url}')
[ "$proxy_address" = "http://127.0.0.1:$proxy_port/namespaces/gitlab-connector-demo/connectors/gitlab-connector" ] \
  || fail "unexpected proxy address $proxy_address"
ok "(a) gitlab Connector READY True, proxy address $proxy_address"

mkdir -p "$tmp/pods/gitlab" "$tmp/home"
vol=$tmp/pods/gitlab/vol
"$bin" csi publish --endpoint "unix://$tmp/csi.sock" --target "$vol" --connector gitlab-connector-demo/gitlab-connector \
  --configurations gitconfig,gitlabconfig --pod-namespace gitlab-connector-demo --pod-name clone-job --service-account builder >/dev/null \
  || fail "csi publish for the gitlab Connector"
for f in .gitconfig config.yml context.token connector.status.proxyAddress http.proxy https.proxy .env ca.crt; do
  [ -f "$vol/$f" ] || fail "mounted volume lacks $f"
done
grep -rq -- "$pat" "$vol/" && fail "the PAT appears in a mounted file"
ok "(a) volume mounted with .gitconfig and config.yml; the PAT is in no mounted file"

# A clone with no credential of its own fails; through the mounted .gitconfig it succeeds.
if env -i PATH="$PATH" HOME="$tmp/home" GIT_TERMINAL_PROMPT=0 git clone -q "http://127.0.0.1:$git_port/group/repo.git" "$tmp/direct" 2>/dev/null; then
  fail "the GitLab stand-in let a clone through without credentials"
fi
env -i PATH="$PATH" HOME="$tmp/home" GIT_TERMINAL_PROMPT=0 GIT_CONFIG_GLOBAL="$vol/.gitconfig" \
  git clone -q "http://127.0.0.1:$git_port/group/repo.git" "$tmp/clone" || fail "git clone through the proxy"
[ "$(cat "$tmp/clone/README")" = "hello from demo" ] || fail "cloned content"
grep -rq -- "$pat" "$tmp/clone/.git" && fail "the PAT leaked into the clone's git metadata"
ok "(a) git clone http://127.0.0.1:$git_port/group/repo.git succeeded through the proxy with only the pod token"

# glab-style API call: the pod token in Private-Token, the proxy swaps in the PAT as PRIVATE-TOKEN.
body=$(curl -sf -H "Private-Token: $(cat "$vol/context.token")" "$proxy_address/api/v4/user") || fail "GET /api/v4/user through the proxy"
[[ $body == *connector-bot* ]] || fail "unexpected /api/v4/user answer: $body"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Private-Token: not-a-token" "$proxy_address/api/v4/user")
[ "$code" = 401 ] || fail "a bad pod token got $code, want 401"
ok "(a) API call with the pod token in Private-Token reached /api/v4/user as the connector's user"

# (b) Kubernetes through CONNECT + TLS interception with the mounted kubeconfig.
mkdir -p "$tmp/pods/k8s"
vol=$tmp/pods/k8s/vol
"$bin" csi publish --endpoint "unix://$tmp/csi.sock" --target "$vol" --connector k8s-demo/k8s-connector \
  --configurations kubeconfig --pod-namespace k8s-demo --pod-name deploy-job --service-account deployer >/dev/null \
  || fail "csi publish for the k8s Connector"
grep -q -- "$cluster_token" "$vol/kubeconfig" && fail "the cluster token appears in the mounted kubeconfig"
pods=$(env -i PATH="$PATH" HOME="$tmp/home" KUBECONFIG="$vol/kubeconfig" "$kubectl" get pods -o name 2>&1) || fail "kubectl get pods through the proxy: $pods"
[ "$pods" = "pod/demo-pod" ] || fail "unexpected kubectl output: $pods"
ok "(b) kubectl get pods with the mounted kubeconfig went through CONNECT + interception: $pods"

# (c) The CSI seed: a custom class with a constant .gitconfig, older attribute names.
mkdir -p "$tmp/pods/csi"
vol=$tmp/pods/csi/vol
"$bin" csi publish --endpoint "unix://$tmp/csi.sock" --target "$vol" --connector git-connector --pod-namespace default \
  --attribute connector.namespace=default --attribute configuration.names=config >/dev/null || fail "csi publish for the CSI seed"
[ "$(cat "$vol/.gitconfig")" = "this is git config" ] || fail "unexpected .gitconfig: $(cat "$vol/.gitconfig")"
for f in context.token connector.status.proxyAddress http.proxy https.proxy context.proxy.caCert; do
  [ -e "$vol/$f" ] || fail "built-in file $f missing"
done
ok "(c) custom class configuration mounted with the built-in files: $(ls -A "$vol" | grep -v '^\.\.' | tr '\n' ' ')"

sleep 0.2   # information lines reach stderr within 50 ms
grep -q -- "$pat" "$tmp/run.log" && fail "the PAT appears in the connectors log"
grep -q -- "$cluster_token" "$tmp/run.log" && fail "the cluster token appears in the connectors log"
ok "no credential in the connectors log"
echo "50-quickstarts: all quick starts passed"
