#!/usr/bin/env bash
# Registry benchmark, side by side in one run: push and pull of one image with a 1 GiB layer (default) by skopeo,
#   direct      skopeo -> docker-registry (htpasswd, credentials given to skopeo)
#   proxy       skopeo -> `connectors run --role proxy --embedded` (registry path form, config.json with the
#               ServiceAccount token) -> docker-registry (htpasswd, the proxy injects the Connector's credential)
# Each path runs twice in the order direct, proxy, proxy, direct (page cache and disk writeback favour neither), each
# push to a registry of its own (four, own storage), so no push finds its blob there already or mounts it; each pull
# writes a fresh OCI layout; `sync` before every timed copy. The proxy's RSS is sampled every 100 ms during its
# copies and its CPU time (user+system, /proc/PID/stat) read around each.
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

proxy_port=$(port) health_port=$(port)
pass="bench-Pw-$RANDOM$RANDOM"
declare -A reg
for r in direct1 proxy1 proxy2 direct2; do
  reg[$r]=$(port)
  bash e2e/peers/registry/start.sh "$tmp/$r" "${reg[$r]}" htpasswd robot "$pass"; pids+=("$(cat "$tmp/$r/registry.pid")")
done

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
$(for r in proxy1 proxy2; do printf -- '---\napiVersion: connectors.alauda.io/v1alpha1\nkind: Connector\nmetadata: {name: %s, namespace: bench}\nspec:\n  connectorClassName: oci-bench\n  address: http://127.0.0.1:%s\n  auth: {name: tokenAuth, secretRef: {name: reg}}\n' "$r" "${reg[$r]}"; done)
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
cpu_ticks() { awk '{print $14 + $15}' "/proc/$proxy_pid/stat"; }
hz=$(getconf CLK_TCK)
# run skopeo-args...: prints "seconds rss-before-kib rss-max-kib proxy-cpu-seconds"
run() {
  sync
  local before max started ended ticks
  before=$(rss_kib); max=$before; ticks=$(cpu_ticks)
  started=$(date +%s.%N)
  skopeo "$@" >"$tmp/skopeo.out" 2>&1 &
  local sk=$!
  while kill -0 $sk 2>/dev/null; do r=$(rss_kib); [ "$r" -gt "$max" ] && max=$r; sleep 0.1; done
  wait $sk || { cat "$tmp/skopeo.out" >&2; echo "skopeo failed" >&2; exit 1; }
  ended=$(date +%s.%N)
  echo "$(echo "$ended - $started" | bc -l) $before $max $(echo "($(cpu_ticks) - $ticks) / $hz" | bc -l)"
}
image() { # target: the docker:// reference of a registry (direct) or of its Connector (proxy)
  case $1 in direct*) echo "docker://127.0.0.1:${reg[$1]}/bench/big:v1" ;; *) echo "docker://127.0.0.1:$proxy_port/namespaces/bench/connectors/$1/bench/big:v1" ;; esac
}
creds() { case $1 in direct*) echo "--$2-creds=robot:$pass" ;; *) echo "--$2-tls-verify=false" ;; esac; }

echo "## Registry: ${layer_mib} MiB layer ($layer_bytes bytes), skopeo copy push and pull, direct vs through the proxy"
echo "| copy | seconds | MiB/s | proxy RSS before / max (MiB) | proxy CPU s |"
echo "|---|---|---|---|---|"
declare -A total
for op in push pull; do
  for r in direct1 proxy1 proxy2 direct2; do
    auth=config.json; [[ $r == direct* ]] && auth=empty.json
    if [ "$op" = push ]; then
      read -r s b m c < <(run copy -q "$(creds "$r" dest)" --dest-tls-verify=false --authfile "$tmp/$auth" oci:"$tmp/oci":big "$(image "$r")")
    else
      read -r s b m c < <(run copy -q "$(creds "$r" src)" --src-tls-verify=false --authfile "$tmp/$auth" "$(image "$r")" oci:"$tmp/pull-$r":big)
      [ -f "$tmp/pull-$r/blobs/sha256/$(ls -S "$tmp/oci/blobs/sha256" | head -1)" ] || { echo "the pull from $r misses the layer" >&2; exit 1; }
      rm -rf "$tmp/pull-$r"
    fi
    mibs=$(echo "$layer_bytes / 1048576 / $s" | bc -l)
    if [[ $r == direct* ]]; then printf '| %s %s | %.2f | %.1f | - | - |\n' "$op" "$r" "$s" "$mibs"
    else printf '| %s %s | %.2f | %.1f | %d / %d | %.2f |\n' "$op" "$r" "$s" "$mibs" "$((b / 1024))" "$((m / 1024))" "$c"; fi
    key="$op-${r%[12]}"; total[$key]=$(echo "${total[$key]:-0} + $s" | bc -l)
  done
done
echo
printf 'proxy / direct throughput (sum of two runs each): push %.2fx, pull %.2fx\n' \
  "$(echo "${total[push-direct]} / ${total[push-proxy]}" | bc -l)" "$(echo "${total[pull-direct]} / ${total[pull-proxy]}" | bc -l)"
if grep -qF -- "$pass" "$tmp/proxy.log"; then echo "the registry password is in the proxy log" >&2; exit 1; fi
