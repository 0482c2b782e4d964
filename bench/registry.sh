#!/usr/bin/env bash
# Registry benchmark, side by side in one run: push and pull of one image with a 1 GiB layer (default) by skopeo,
#   direct      skopeo -> docker-registry A (htpasswd, credentials given to skopeo)
#   connectors  skopeo -> `connectors run --role proxy --embedded` (registry path form, config.json with the
#               ServiceAccount token) -> docker-registry B (htpasswd, the proxy injects the Connector's credential)
# Two registries with their own storage, so no push finds its blob already there; each pull writes a fresh OCI
# layout. The proxy's RSS is sampled every 100 ms during its push and pull.
# Usage: bench/registry.sh [LAYER_MIB=1024]   Environment: BIN=out/linux-x64/connectors (binary to measure).
# Results are printed as a markdown table; numbers are machine-dependent (see docs/benchmarks.md, "Registry").
set -euo pipefail
cd "$(dirname "$0")/.."
layer_mib=${1:-1024}
tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
bin=${BIN:-Connectors.Host/bin/Release/net10.0/connectors}
[ -n "${BIN:-}" ] || dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null

direct_port=$(port) proxied_port=$(port) proxy_port=$(port) health_port=$(port)
pass="bench-Pw-$RANDOM$RANDOM"
bash e2e/peers/registry/start.sh "$tmp/direct" "$direct_port" htpasswd robot "$pass"; pids+=("$(cat "$tmp/direct/registry.pid")")
bash e2e/peers/registry/start.sh "$tmp/proxied" "$proxied_port" htpasswd robot "$pass"; pids+=("$(cat "$tmp/proxied/registry.pid")")

# The image: one gzip layer of random bytes (stored, not compressed: skopeo copies it as is and the clients' CPU goes
# to digests and I/O, as with a real pre-compressed layer).
/usr/bin/python3 - "$tmp/oci" "$layer_mib" <<'PY'
import gzip, hashlib, json, os, sys
root, mib = sys.argv[1], int(sys.argv[2])
os.makedirs(root + "/blobs/sha256")
def blob(data):
    d = hashlib.sha256(data).hexdigest(); open(f"{root}/blobs/sha256/{d}", "wb").write(data); return "sha256:" + d, len(data)
tmp = root + "/layer.tmp"
with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=0, mtime=0) as gz:
    chunk = os.urandom(1 << 20)
    for i in range(mib):
        gz.write(chunk[i % 7:] + chunk[:i % 7])
h = hashlib.sha256()
with open(tmp, "rb") as f:
    for part in iter(lambda: f.read(1 << 22), b""): h.update(part)
size = os.path.getsize(tmp); layer = "sha256:" + h.hexdigest(); os.rename(tmp, f"{root}/blobs/sha256/{h.hexdigest()}")
config = blob(json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}).encode())
manifest = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config[0], "size": config[1]},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer, "size": size}]}).encode())
open(root + "/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest[0],
    "size": manifest[1], "annotations": {"org.opencontainers.image.ref.name": "big"}}]}, open(root + "/index.json", "w"))
PY
layer_bytes=$(find "$tmp/oci/blobs/sha256" -size +1M -printf '%s\n')

mkdir -p "$tmp/manifests"
cat > "$tmp/manifests/objects.yaml" <<YAML
apiVersion: connectors.alauda.io/v1alpha1
kind: ConnectorClass
metadata:
  name: oci-bench
  annotations: {connectors.cpaas.io/proxy-mode: registry, connectors.cpaas.io/proxy-resolver: path}
spec:
  auth: {types: [{name: tokenAuth, secretType: cpaas.io/distribution-registry-token}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: bench}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: client, namespace: bench}
---
apiVersion: v1
kind: Secret
metadata: {name: reg, namespace: bench}
type: cpaas.io/distribution-registry-token
stringData: {username: robot, password: "$pass"}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: reg, namespace: bench}
spec:
  connectorClassName: oci-bench
  address: http://127.0.0.1:$proxied_port
  auth: {name: tokenAuth, secretRef: {name: reg}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: use, namespace: bench}
rules: [{apiGroups: [connectors.alauda.io], resources: [connectors], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: use, namespace: bench}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use}
subjects: [{kind: ServiceAccount, name: client, namespace: bench}]
YAML
"$bin" run --role proxy --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply "$tmp/manifests" \
  --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" --log-level warn > "$tmp/proxy.log" 2>&1 &
proxy_pid=$!; pids+=("$proxy_pid")
for _ in $(seq 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$health_port/readyz" || true)" = 200 ] && break; sleep 0.1; done
token=$("$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace bench --service-account client --duration 30m)
printf '{"auths":{"127.0.0.1:%s":{"auth":"%s"}}}\n' "$proxy_port" "$(printf 'u:%s' "$token" | base64 -w0)" > "$tmp/config.json"
printf '{"auths":{}}\n' > "$tmp/empty.json"

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$proxy_pid/status"; }
# run LABEL SAMPLE(0|1) skopeo-args...: prints "seconds max-rss-kib"
run() {
  local sample=$1; shift
  local before max started ended
  before=$(rss_kib); max=$before
  started=$(date +%s.%N)
  skopeo "$@" >"$tmp/skopeo.out" 2>&1 &
  local sk=$!
  if [ "$sample" = 1 ]; then
    while kill -0 $sk 2>/dev/null; do r=$(rss_kib); [ "$r" -gt "$max" ] && max=$r; sleep 0.1; done
  fi
  wait $sk || { cat "$tmp/skopeo.out" >&2; echo "skopeo failed" >&2; exit 1; }
  ended=$(date +%s.%N)
  echo "$(echo "$ended - $started" | bc -l) $before $max"
}
row() { # label seconds before max
  local mibs; mibs=$(echo "$layer_bytes / 1048576 / $2" | bc -l)
  if [ "$3" = "-" ]; then printf '| %s | %.2f | %.1f | - |\n' "$1" "$2" "$mibs"
  else printf '| %s | %.2f | %.1f | %d / %d |\n' "$1" "$2" "$mibs" "$(($3 / 1024))" "$(($4 / 1024))"; fi
  echo "$mibs" > "$tmp/rate-$1"
}

echo "## Registry: ${layer_mib} MiB layer ($layer_bytes bytes), skopeo copy push and pull, direct vs through the proxy"
echo "| path | seconds | MiB/s | proxy RSS before / max (MiB) |"
echo "|---|---|---|---|"
read -r s _ _ < <(run 0 copy -q --dest-tls-verify=false --dest-creds "robot:$pass" --authfile "$tmp/empty.json" oci:"$tmp/oci":big "docker://127.0.0.1:$direct_port/bench/big:v1")
row "push direct" "$s" - -
read -r s b m < <(run 1 copy -q --dest-tls-verify=false --authfile "$tmp/config.json" oci:"$tmp/oci":big "docker://127.0.0.1:$proxy_port/namespaces/bench/connectors/reg/bench/big:v1")
row "push proxy" "$s" "$b" "$m"
read -r s _ _ < <(run 0 copy -q --src-tls-verify=false --src-creds "robot:$pass" --authfile "$tmp/empty.json" "docker://127.0.0.1:$direct_port/bench/big:v1" oci:"$tmp/pull-direct":big)
row "pull direct" "$s" - -
rm -rf "$tmp/pull-direct"
read -r s b m < <(run 1 copy -q --src-tls-verify=false --authfile "$tmp/config.json" "docker://127.0.0.1:$proxy_port/namespaces/bench/connectors/reg/bench/big:v1" oci:"$tmp/pull-proxy":big)
row "pull proxy" "$s" "$b" "$m"
[ -f "$tmp/pull-proxy/blobs/sha256/$(ls -S "$tmp/oci/blobs/sha256" | head -1)" ] || { echo "the proxied pull misses the layer" >&2; exit 1; }
echo
printf 'proxy / direct: push %.2fx, pull %.2fx\n' "$(echo "$(cat "$tmp/rate-push proxy") / $(cat "$tmp/rate-push direct")" | bc -l)" \
  "$(echo "$(cat "$tmp/rate-pull proxy") / $(cat "$tmp/rate-pull direct")" | bc -l)"
if grep -qF -- "$pass" "$tmp/proxy.log"; then echo "the registry password is in the proxy log" >&2; exit 1; fi
