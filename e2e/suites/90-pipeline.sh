#!/usr/bin/env bash
# A pipeline-shaped run (the CI/CD seed's three legs) from ONE CSI volume that mounts three Connectors, with no
# credential in the workload: clone the source through the git Connector (mounted .gitconfig), build an image from
# it and push it through the oci Connector (mounted config.json, skopeo), and apply the manifest from the clone to
# another cluster through the k8s Connector (mounted kubeconfig, kubectl through CONNECT + TLS interception).
# Tools: nginx + git-http-backend behind Basic auth, docker-registry 2.8 behind htpasswd, and a second embedded API
# server as the target cluster (TLS, its own CA, a bearer token). Connectors runs as `run --role all --embedded`.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=()
bin=${CONNECTORS_BIN:-$PWD/Connectors.Host/bin/Release/net10.0/connectors}
kubectl=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
cleanup() {
  [ -d "$tmp/pod/vol" ] && "$bin" csi unpublish --endpoint "unix://$tmp/csi.sock" --target "$tmp/pod/vol" >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash e2e/peers/git-http/stop.sh "$tmp/git" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
. e2e/lib/common.sh
missing=()
need 90-pipeline git curl nginx fcgiwrap htpasswd docker-registry skopeo umoci /usr/bin/python3 "$kubectl"
need_bin

git_pass="git-Pw-$RANDOM$RANDOM" reg_pass="reg-Pw-$RANDOM$RANDOM"
git_port=$(port) reg_port=$(port) proxy_port=$(port) health_port=$(port) target_health=$(port)

# The source repository: an app file and the manifest the pipeline deploys.
# The server's front page is public (the git class's liveness probe reads it); repositories want Basic auth.
echo 'location = / { return 200 "git server\n"; }' > "$tmp/git-front.conf"
bash e2e/peers/git-http/start.sh "$tmp/git" "$git_port" ci-bot "$git_pass" "$tmp/git-front.conf"
seed=$tmp/seed
git clone -q "$tmp/git/repos/demo.git" "$seed"
echo "built by the pipeline" > "$seed/app.txt"
cat > "$seed/deploy.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: app-release, namespace: default}
data:
  image: IMAGE
YAML
git -C "$seed" add app.txt deploy.yaml
git -C "$seed" -c user.name=dev -c user.email=dev@example.invalid commit -q -m "app and manifest"
git -C "$seed" push -q origin main
chmod -R a+rX "$tmp/git/repos"

# The registry.
bash e2e/peers/registry/start.sh "$tmp/registry" "$reg_port" htpasswd pusher "$reg_pass"
pids+=("$(cat "$tmp/registry/registry.pid")")

# The target cluster: a second embedded API server with its own CA and admin token.
start_connectors "$tmp/target.log" --role controller --embedded --embedded-kubeconfig "$tmp/target.kubeconfig" \
  --health-listen "127.0.0.1:$target_health" --log-format json
target_server=$(/usr/bin/python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["clusters"][0]["cluster"]["server"])' "$tmp/target.kubeconfig")
target_token=$(/usr/bin/python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["users"][0]["user"]["token"])' "$tmp/target.kubeconfig")
/usr/bin/python3 -c 'import sys, yaml, base64; sys.stdout.write(base64.b64decode(yaml.safe_load(open(sys.argv[1]))["clusters"][0]["cluster"]["certificate-authority-data"]).decode())' \
  "$tmp/target.kubeconfig" > "$tmp/target-ca.crt"

mkdir "$tmp/manifests"
cat > "$tmp/manifests/pipeline.yaml" <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: ci}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: pipeline, namespace: ci}
---
apiVersion: v1
kind: Secret
metadata: {name: git-creds, namespace: ci}
type: kubernetes.io/basic-auth
stringData: {username: ci-bot, password: "$git_pass"}
---
apiVersion: v1
kind: Secret
metadata: {name: registry-creds, namespace: ci}
type: cpaas.io/distribution-registry-token
stringData: {username: pusher, password: "$reg_pass"}
---
apiVersion: v1
kind: Secret
metadata: {name: cluster-token, namespace: ci}
type: connectors.cpaas.io/bearer-token
stringData: {token: "$target_token"}
---
apiVersion: v1
kind: Secret
metadata: {name: cluster-ca, namespace: ci}
stringData:
  ca.crt: |
$(indent < "$tmp/target-ca.crt")
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: source, namespace: ci}
spec:
  connectorClassName: git
  address: http://127.0.0.1:$git_port
  auth: {name: basicAuth, secretRef: {name: git-creds}, params: [{name: repository, value: demo.git}]}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: images, namespace: ci}
spec:
  connectorClassName: oci
  address: http://127.0.0.1:$reg_port
  auth: {name: tokenAuth, secretRef: {name: registry-creds}}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: production, namespace: ci}
spec:
  connectorClassName: k8s
  address: $target_server
  caCertSecretRef: {name: cluster-ca}
  auth: {name: bearerTokenAuth, secretRef: {name: cluster-token}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pipeline-connectors, namespace: ci}
rules:
- {apiGroups: [connectors.alauda.io], resources: [connectors], resourceNames: [source, images, production], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: pipeline-connectors, namespace: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pipeline-connectors}
subjects: [{kind: ServiceAccount, name: pipeline, namespace: ci}]
YAML

start_connectors "$tmp/run.log" --role all --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply manifests/connectorclasses \
  --apply "$tmp/manifests" --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" \
  --csi-endpoint "unix://$tmp/csi.sock" --log-format json
k() { "$kubectl" --kubeconfig "$tmp/kubeconfig" "$@"; }
ready() { k get connector "$1" -n ci -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null; }
for _ in $(seq 300); do
  [ "$(ready source)" = True ] && [ "$(ready images)" = True ] && [ "$(ready production)" = True ] && break
  sleep 0.1
done
for c in source images production; do
  [ "$(ready "$c")" = True ] || { k get connector "$c" -n ci -o yaml >&2; fail "Connector ci/$c is not Ready"; }
done
ok "the three Connectors (git, oci, k8s) are Ready: their probes used the real credentials"

# One volume, three Connectors, three configurations: what a pipeline Pod mounts.
mkdir -p "$tmp/pod"
vol=$tmp/pod/vol
"$bin" csi publish --endpoint "unix://$tmp/csi.sock" --target "$vol" --connector ci/source --connector ci/images --connector ci/production \
  --configurations gitconfig,registry-config,kubeconfig --pod-namespace ci --pod-name build-1 --service-account pipeline >/dev/null \
  || fail "csi publish of the pipeline volume"
for f in .gitconfig config.json kubeconfig context.token; do [ -f "$vol/$f" ] || fail "the volume lacks $f"; done
ok "one volume: $(ls -A "$vol" | grep -v '^\.\.' | tr '\n' ' ')"

# The workload's environment: nothing but the volume (no credential in env, args or home).
run() { env -i PATH="$PATH" HOME="$tmp/home" GIT_TERMINAL_PROMPT=0 "$@"; }
mkdir -p "$tmp/home"

# Leg 1: clone.
run env GIT_CONFIG_GLOBAL="$vol/.gitconfig" git clone -q "http://127.0.0.1:$git_port/demo.git" "$tmp/src" 2>"$tmp/clone.err" \
  || fail "git clone through the source Connector: $(cat "$tmp/clone.err")"
[ "$(cat "$tmp/src/app.txt")" = "built by the pipeline" ] || fail "cloned content"
ok "leg 1: git clone through the git Connector"

# Leg 2: build an image from the clone and push it through the registry path form.
proxy=127.0.0.1:$proxy_port
image=$proxy/namespaces/ci/connectors/images/team/app:1.0
(cd "$tmp" && umoci init --layout oci >/dev/null && umoci new --image oci:app >/dev/null \
  && umoci insert --rootless --image oci:app src/app.txt /app.txt >/dev/null \
  && umoci config --image oci:app --config.cmd /app.txt --architecture amd64 --os linux >/dev/null) || fail "umoci build"
out=$(run skopeo copy --dest-tls-verify=false --authfile "$vol/config.json" "oci:$tmp/oci:app" "docker://$image" 2>&1) \
  || fail "skopeo push through the oci Connector: $out"
echo "$out" > "$tmp/push.out"
direct=$(skopeo inspect --tls-verify=false --creds "pusher:$reg_pass" "docker://127.0.0.1:$reg_port/team/app:1.0" 2>&1) \
  || fail "the registry does not hold team/app:1.0: $direct"
ok "leg 2: image pushed through the oci Connector; the registry holds team/app:1.0"

# Leg 3: deploy the manifest from the clone to the target cluster.
sed "s#IMAGE#$image#" "$tmp/src/deploy.yaml" > "$tmp/deploy.yaml"
out=$(run "$kubectl" --kubeconfig "$vol/kubeconfig" apply -f "$tmp/deploy.yaml" 2>&1) || fail "kubectl apply through the k8s Connector: $out"
echo "$out" > "$tmp/apply.out"
got=$("$kubectl" --kubeconfig "$tmp/target.kubeconfig" get configmap app-release -n default -o jsonpath='{.data.image}' 2>&1) \
  || fail "the target cluster has no app-release: $got"
[ "$got" = "$image" ] || fail "app-release.image on the target cluster is $got"
ok "leg 3: kubectl apply through the k8s Connector created default/app-release on the target cluster"

# No credential on the workload side: mounted files, client output, the clone, the connectors log.
sleep 0.2
for secret in "$git_pass" "$reg_pass" "$target_token"; do
  grep -rqF -- "$secret" "$vol/" && fail "a credential appears in a mounted file"
  grep -qF -- "$secret" "$tmp/push.out" "$tmp/apply.out" "$tmp/clone.err" && fail "a credential appears in a client's output"
  grep -rqF -- "$secret" "$tmp/src/.git" && fail "a credential appears in the clone's git metadata"
  grep -qF -- "$secret" "$tmp/run.log" && fail "a credential appears in the connectors log"
done
ok "no git password, registry password or cluster token in the volume, the clients' output, the clone or the log"
echo "90-pipeline: passed in $(( $(date +%s) - start ))s"
