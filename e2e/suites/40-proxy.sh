#!/usr/bin/env bash
# Proxy end to end with real clients: git (clone and push through the reverse proxy, host and path form, driven
# by a mounted-style .gitconfig; clone through http_proxy with the 407 challenge), kubectl 1.33 (proxy-url +
# CONNECT + TLS interception, the proxy CA in certificate-authority-data), curl for the negative cases.
# Upstreams: nginx + git-http-backend with Basic auth (e2e/peers/git-http) and a TLS API that wants the
# Connector's bearer token (e2e/peers/testapi). The proxy runs as `connectors run --role proxy --embedded`.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
tmp=$(mktemp -d)
chmod 755 "$tmp"
proxy_pid="" api_pid=""
cleanup() {
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null && wait "$proxy_pid" 2>/dev/null
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null
  bash e2e/peers/git-http/stop.sh "$tmp/git" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- proxy log (tail)" >&2; tail -n 30 "$tmp/proxy.log" | cut -c1-400 >&2 || true; exit 1; }
ok() { echo "ok: $*"; }
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
b64() { base64 -w0; }
kubectl=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
missing=()
for tool in git curl openssl nginx fcgiwrap htpasswd /usr/bin/python3 "$kubectl"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -x /usr/lib/git-core/git-http-backend ] || missing+=(git-http-backend)
if [ ${#missing[@]} -gt 0 ]; then echo "FAIL: 40-proxy needs: ${missing[*]} (set KUBECTL to another kubectl >= 1.27 if needed)" >&2; exit 1; fi
bin=${CONNECTORS_BIN:-Connectors.Host/bin/Release/net10.0/connectors}
if [ ! -x "$bin" ]; then
  dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null
fi

git_port=$(port) api_port=$(port) plain_port=$(port) proxy_port=$(port) health_port=$(port)
bash e2e/peers/git-http/start.sh "$tmp/git" "$git_port" gituser gitpass

# Certificates: the tool's private CA (its Secret is the Connector's caCertSecretRef) and the proxy's interception CA.
cd "$tmp"
ca() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$1" -keyout "$1.key" -out "$1.crt" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null; }
ca upstream-ca
ca proxy-ca
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=testapi -keyout api.key -out api.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:kube.test\nextendedKeyUsage=serverAuth\n' > api.ext
openssl x509 -req -in api.csr -CA upstream-ca.crt -CAkey upstream-ca.key -CAcreateserial -days 2 -extfile api.ext -out api.crt 2>/dev/null
cd - >/dev/null

cluster_token=cluster-token-e2e-9f3
/usr/bin/python3 e2e/peers/testapi/testapi.py --listen "127.0.0.1:$api_port" --plain-listen "127.0.0.1:$plain_port" \
  --cert "$tmp/api.crt" --key "$tmp/api.key" --token "$cluster_token" --log "$tmp/api.jsonl" &
api_pid=$!

mkdir "$tmp/manifests"
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
metadata: {name: git-creds, namespace: team}
type: kubernetes.io/basic-auth
stringData: {username: gituser, password: gitpass}
---
apiVersion: v1
kind: Secret
metadata: {name: k8s-token, namespace: team}
type: connectors.cpaas.io/bearer-token
stringData: {token: $cluster_token}
---
apiVersion: v1
kind: Secret
metadata: {name: k8s-ca, namespace: team}
type: Opaque
data: {ca.crt: $(b64 < "$tmp/upstream-ca.crt")}
---
apiVersion: v1
kind: Secret
metadata: {name: connectors-proxy-ca, namespace: connectors-system}
type: kubernetes.io/tls
data: {tls.crt: $(b64 < "$tmp/proxy-ca.crt"), tls.key: $(b64 < "$tmp/proxy-ca.key")}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: git, namespace: team}
spec:
  connectorClassName: git
  address: http://127.0.0.1:$git_port
  auth: {name: basicAuth, secretRef: {name: git-creds}}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: k8s, namespace: team}
spec:
  connectorClassName: k8s
  address: https://127.0.0.1:$api_port
  auth: {name: bearerTokenAuth, secretRef: {name: k8s-token}}
  caCertSecretRef: {name: k8s-ca}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: use-connectors, namespace: team}
rules:
- apiGroups: [connectors.alauda.io]
  resources: [connectors]
  resourceNames: [git, k8s]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder-uses-connectors, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-connectors}
subjects:
- {kind: ServiceAccount, name: builder, namespace: team}
YAML

"$bin" run --role proxy --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply "$tmp/manifests" \
  --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" --log-format json > "$tmp/proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$health_port/readyz" || true)" = 200 ] && break
  kill -0 "$proxy_pid" 2>/dev/null || fail "proxy exited at start"
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$health_port/readyz")" = 200 ] || fail "proxy not ready"
token=$("$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace team --service-account builder --duration 30m)
intruder=$("$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace team --service-account intruder)
proxy="127.0.0.1:$proxy_port"
host_form="c-git.team.svc.cluster.local"

# --- git through the reverse proxy, host form: the .gitconfig a pod gets, rendered by the product's template
# engine from the gitconfig template (extraHeader with the token, insteadOf rewriting the tool's address).
export GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1
render() { # template proxy-url -> stdout
  /usr/bin/python3 - "$token" "$2" "$git_port" "$api_port" "$tmp/proxy-ca.crt" > "$tmp/data.json" <<'PY'
import json, sys
token, proxy_url, git_port, api_port, ca = sys.argv[1:6]
def connector(name, address):
    return {"metadata": {"namespace": "team", "name": name}, "spec": {"address": address},
            "status": {"proxy": {"httpAddress": {"url": proxy_url}}}}
git = connector("git", "http://127.0.0.1:" + git_port)
print(json.dumps({"context": {"token": token, "proxy": {"caCert": open(ca).read()}},
                  "connectors": [git], "connector": connector("k8s", "https://127.0.0.1:" + api_port)}))
PY
  "$bin" template render --template "e2e/proxy/$1" --data "$tmp/data.json" --option missingkey=error
}
render gitconfig.tmpl "http://$host_form:$proxy_port" > "$tmp/gitconfig-host" || fail "rendering gitconfig"
printf '[user]\n    name = e2e\n    email = e2e@example.invalid\n' >> "$tmp/gitconfig-host"
# The test resolves the Service name itself (no cluster DNS here): libcurl's resolve list, as curl --resolve.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.curloptResolve GIT_CONFIG_VALUE_0="$host_form:$proxy_port:127.0.0.1"
GIT_CONFIG_GLOBAL="$tmp/gitconfig-host" git clone -q "http://127.0.0.1:$git_port/demo.git" "$tmp/clone-host" || fail "git clone (host form)"
grep -q "hello from demo" "$tmp/clone-host/README" || fail "clone content"
( cd "$tmp/clone-host" && echo change > pushed.txt && git add pushed.txt && git commit -qm "push through proxy" \
  && GIT_CONFIG_GLOBAL="$tmp/gitconfig-host" git push -q origin main ) || fail "git push (host form)"
# (grep -q on a pipe would close it early and, with pipefail, fail the pipeline: read everything.)
[[ $(git --git-dir "$tmp/git/repos/demo.git" log --oneline main) == *"push through proxy"* ]] || fail "push did not reach the server"
ok "git clone and push through the reverse proxy (host form)"

# --- path form.
render gitconfig.tmpl "http://$proxy/namespaces/team/connectors/git" > "$tmp/gitconfig-path" || fail "rendering gitconfig (path form)"
GIT_CONFIG_GLOBAL="$tmp/gitconfig-path" git clone -q "http://127.0.0.1:$git_port/demo.git" "$tmp/clone-path" || fail "git clone (path form)"
[ -f "$tmp/clone-path/pushed.txt" ] || fail "path-form clone misses the pushed commit"
ok "git clone through the reverse proxy (path form)"

# --- git through http_proxy (forward mode): no Proxy-Authorization until the 407 challenge.
before=$(grep -c '"Status":407' "$tmp/proxy.log" || true)
GIT_CONFIG_GLOBAL=/dev/null http_proxy="http://team%2Fgit:$token@$proxy" git clone -q "http://127.0.0.1:$git_port/demo.git" "$tmp/clone-forward" \
  || fail "git clone through http_proxy"
# Access lines are written by a background writer: give it a moment.
for _ in $(seq 50); do after=$(grep -c '"Status":407' "$tmp/proxy.log" || true); [ "$after" -gt "$before" ] && break; sleep 0.05; done
[ "$after" -gt "$before" ] || fail "git did not get a 407 challenge first"
ok "git clone through http_proxy (407 challenge, then Proxy-Authorization)"

# --- kubectl 1.33: proxy-url, CONNECT, interception with the proxy CA, bearer token injected (fake-token replaced).
render kubeconfig.tmpl "http://$proxy" > "$tmp/kubeconfig-k8s" || fail "rendering kubeconfig"
grep -q "proxy-url: http://team%2Fk8s:" "$tmp/kubeconfig-k8s" || fail "kubeconfig proxy-url: $(grep proxy-url "$tmp/kubeconfig-k8s")"
out=$("$kubectl" --kubeconfig "$tmp/kubeconfig-k8s" --cache-dir "$tmp/kcache" get pods -o name 2>&1) || fail "kubectl: $out"
[ "$out" = "pod/demo-pod" ] || fail "kubectl printed: $out"
grep -q "\"Bearer $cluster_token\"" "$tmp/api.jsonl" || fail "the API never saw the injected token"
if grep -q 'fake-token' "$tmp/api.jsonl"; then fail "the placeholder token reached the API"; fi
ok "kubectl get pods through CONNECT + TLS interception"

# --- negatives.
code() { curl -s -o "$tmp/body" -w '%{http_code}' "$@"; }
[ "$(code -H "Host: $host_form" -u ":wrong-token" "http://$proxy/demo.git/info/refs?service=git-upload-pack")" = 401 ] || fail "bad token (reverse) not 401"
[ "$(code -x "http://team%2Fgit:wrong-token@$proxy" "http://127.0.0.1:$git_port/demo.git/info/refs")" = 407 ] || fail "bad token (forward) not 407"
[ "$(code -H "Host: $host_form" -u ":$intruder" "http://$proxy/demo.git/info/refs?service=git-upload-pack")" = 403 ] || fail "SAR denied not 403"
[ "$(code -H "Host: c-nope.team.svc" -u ":$token" "http://$proxy/x")" = 404 ] || fail "unknown Connector not 404"
ok "bad token 401/407, denied 403, unknown Connector 404"

# A target on no origin of the Connector: refused with 403 (as a foreign CONNECT is), nothing reaches it.
lines=$(wc -l < "$tmp/api.jsonl")
[ "$(code -x "http://team%2Fk8s:$token@$proxy" "http://127.0.0.1:$plain_port/api")" = 403 ] || fail "foreign origin not refused"
grep -q "matches no address of connector(s) team/k8s" "$tmp/body" || fail "no reason in the 403 body: $(cat "$tmp/body")"
[ "$(wc -l < "$tmp/api.jsonl")" = "$lines" ] || fail "a request reached a host outside the Connector"
# CONNECT to a host no listed Connector matches: 403 with a reason, before any TLS.
[ "$(code --proxy-user "team/git:$token" -x "http://$proxy" --cacert "$tmp/proxy-ca.crt" "https://127.0.0.1:$api_port/api")" != 200 ] || fail "CONNECT to a foreign host tunnelled"
for _ in $(seq 50); do grep -q '"Method":"CONNECT".*"Status":403' "$tmp/proxy.log" && break; sleep 0.05; done
grep -q '"Method":"CONNECT".*"Status":403' "$tmp/proxy.log" || fail "CONNECT to a foreign host not refused with 403"
ok "foreign origins refused (absolute-form and CONNECT), nothing sent to them"

# The client's own Authorization never goes upstream: reverse path form to the TLS API with the SA token as Bearer.
lines=$(wc -l < "$tmp/api.jsonl")
[ "$(code -H "Authorization: Bearer $token" "http://$proxy/namespaces/team/connectors/k8s/api/v1/namespaces/default/pods")" = 200 ] || fail "reverse to TLS API"
[[ $(tail -n +"$((lines + 1))" "$tmp/api.jsonl") == *"\"Bearer $cluster_token\""* ]] || fail "reverse TLS injection"
if grep -qF "$token" "$tmp/api.jsonl"; then fail "a client token reached the upstream"; fi
ok "client Authorization replaced, never forwarded"

# No token, password or credential in any log line (information lines reach stderr within 50 ms).
sleep 0.2
for secret in "$token" "$intruder" "$cluster_token" gitpass "$(printf ':%s' "$token" | b64)"; do
  if grep -qF -- "$secret" "$tmp/proxy.log"; then fail "a credential appears in the proxy log"; fi
done
grep -q '"Connector":"team/git"' "$tmp/proxy.log" || fail "no access log line"
ok "no credential in the proxy log; access lines present"

kill "$proxy_pid"
wait "$proxy_pid" || fail "proxy did not exit cleanly on SIGTERM"
proxy_pid=""
echo "proxy e2e: passed in $(( $(date +%s) - start ))s"
