#!/usr/bin/env bash
# CSI benchmark (docs/benchmarks.md ## Csi): NodePublishVolume latency on warm caches and the idle RSS of the
# csi-node role. The embedded API runs in one process (with a csi-node role that creates the fixtures' world);
# the measured csi-node role is a second process using the embedded API's kubeconfig, as on a real node.
#   [QPS=20] bash bench/csi/run.sh [N]     (QPS: the role's --kube-api-qps; 0 disables the client-side limiter)
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  awk -v t="$tmp/" 'index($5, t) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount "$m" || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl.1.33
bin=${BIN:-Connectors.Host/bin/Release/net10.0/connectors}
[ -x "$bin" ] || dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=bench-ca -days 1 \
  -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>/dev/null
/usr/bin/python3 e2e/csi/fixtures.py . "$tmp/apply" "$tmp/ca.crt" >/dev/null

"$bin" run --role csi-node --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply "$tmp/apply" \
  --csi-endpoint "unix://$tmp/api-side.sock" --health-listen 127.0.0.1:0 --log-level warn >"$tmp/api.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do [ -f "$tmp/kubeconfig" ] && [ -S "$tmp/api-side.sock" ] && break; sleep 0.1; done
"$kubectl" --kubeconfig "$tmp/kubeconfig" -n quickstart patch connector gitlab --subresource=status --type=merge \
  -p '{"status":{"proxy":{"httpAddress":{"url":"http://c-gitlab.quickstart.svc.cluster.local"}}}}' >/dev/null

sock="$tmp/csi.sock"
NODE_NAME=bench "$bin" run --role csi-node --kubeconfig "$tmp/kubeconfig" --csi-endpoint "unix://$sock" --kube-api-qps "${QPS:-20}" \
  --kubelet-pods-dir "$tmp/pods" \
  --health-listen 127.0.0.1:0 --log-level warn >"$tmp/driver.log" 2>&1 &
driver=$!
pids+=($driver)
for _ in $(seq 1 150); do "$bin" csi info --endpoint "unix://$sock" 2>/dev/null | grep -q ready=true && break; sleep 0.1; done
sleep 5
echo "idle RSS of the csi-node role (synced caches, no call yet): $(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$driver/status)" \
  "($(awk '/RssAnon|RssFile|RssShmem/ {printf "%s %.1f MiB ", $1, $2/1024}' /proc/$driver/status); threads $(awk '/Threads/ {print $2}' /proc/$driver/status))"
[ -z "${SMAPS:-}" ] || cp /proc/$driver/smaps "$SMAPS"
/usr/bin/python3 bench/csi/bench.py --proto Connectors.Modules/Csi/csi.proto --socket "$sock" --work "$tmp/pods" \
  --kubeconfig "$tmp/kubeconfig" --n "${1:-500}"
echo "RSS of the csi-node role after the run: $(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$driver/status)"
echo "tmpfs volumes mounted by the driver: $(grep -c " $tmp/pods/" /proc/self/mountinfo || true)"
