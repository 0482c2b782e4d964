#!/usr/bin/env bash
# CSI benchmark (docs/benchmarks.md ## Csi): NodePublishVolume latency on warm caches and the idle RSS of the
# csi-node role. The embedded API runs in one process (with a csi-node role that creates the fixtures' world);
# the measured csi-node role is a second process using the embedded API's kubeconfig, as on a real node.
#   [QPS=20] [IDLE=8] [LATER=0] [AFTER=0] bash bench/csi/run.sh [N]
# QPS: the role's --kube-api-qps (0 disables the client-side limiter). The role is probed as kubelet does (/readyz
# every 5 s, /healthz every 10 s). Memory is sampled IDLE seconds after it is ready (after its idle-memory release,
# 5 s after readiness), again LATER seconds on when LATER > 0, after the first 5 publishes, after the run, and AFTER
# seconds after the run when AFTER > 0 (the release once calls are quiet for a minute). DRIVER_ARGS: more flags.
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
health=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# shellcheck disable=SC2086
NODE_NAME=bench "$bin" run --role csi-node --kubeconfig "$tmp/kubeconfig" --csi-endpoint "unix://$sock" --kube-api-qps "${QPS:-20}" \
  --kubelet-pods-dir "$tmp/pods" ${DRIVER_ARGS:-} \
  --health-listen "127.0.0.1:$health" --log-level warn >"$tmp/driver.log" 2>&1 &
driver=$!
pids+=($driver)
for _ in $(seq 1 150); do "$bin" csi info --endpoint "unix://$sock" 2>/dev/null | grep -q ready=true && break; sleep 0.1; done
(i=0; while kill -0 "$driver" 2>/dev/null; do
  curl -s -o /dev/null "http://127.0.0.1:$health/readyz" || true
  [ $((i % 2)) = 1 ] || curl -s -o /dev/null "http://127.0.0.1:$health/healthz" || true
  i=$((i + 1)); sleep 5; done) &
pids+=($!)
memory() {
  echo "$1: RSS $(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$driver/status) MiB" \
    "(anon $(awk '/RssAnon/ {printf "%.1f", $2/1024}' /proc/$driver/status) / file $(awk '/RssFile/ {printf "%.1f", $2/1024}' /proc/$driver/status)" \
    "/ shmem $(awk '/RssShmem/ {printf "%.1f", $2/1024}' /proc/$driver/status); PSS $(awk '/^Pss:/ {printf "%.1f", $2/1024}' /proc/$driver/smaps_rollup) MiB;" \
    "threads $(awk '/Threads/ {print $2}' /proc/$driver/status))"
}
sleep "${IDLE:-8}"
memory "idle RSS of the csi-node role, ${IDLE:-8} s after ready (synced caches, no call yet)"
[ -z "${SMAPS:-}" ] || cp /proc/$driver/smaps "$SMAPS"
if [ "${LATER:-0}" != 0 ]; then sleep "$LATER"; memory "idle, $LATER s later"; fi
bench() {
  /usr/bin/python3 bench/csi/bench.py --proto Connectors.Modules/Csi/csi.proto --socket "$sock" --work "$tmp/pods" \
    --kubeconfig "$tmp/kubeconfig" "$@"
}
bench --n 0 --first 5
memory "after the first 5 publishes"
bench --n "${1:-500}"
memory "after the run"
if [ "${AFTER:-0}" != 0 ]; then sleep "$AFTER"; memory "$AFTER s after the run"; fi
echo "tmpfs volumes mounted by the driver: $(grep -c " $tmp/pods/" /proc/self/mountinfo || true)"
