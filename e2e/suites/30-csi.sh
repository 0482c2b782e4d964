#!/usr/bin/env bash
# CSI driver end to end: `connectors run --role csi-node --embedded` on a temp unix socket, called by Debian's
# python grpcio (e2e/csi/check.py: every method, rendering byte-identical to Go text/template + sprig via
# e2e/oracle/gotmpl, bad inputs, republish under a reader), by grpc-go (e2e/csi/goclient, with :authority
# localhost as kubelet >= 1.26 and with the socket path as older kubelets) and by `connectors csi publish|unpublish`.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  # As root the driver mounts a tmpfs at each target (--csi-tmpfs auto); unmount what was never unpublished.
  awk -v t="$tmp/" 'index($5, t) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount "$m" || true; done
  chmod -R u+w "$tmp" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
start=$(date +%s)
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl.1.33
bin=${CONNECTORS_BIN:-Connectors.Host/bin/Release/net10.0/connectors}
if [ ! -x "$bin" ]; then
  dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null
fi

# The templates oracle imports its probe types from e2e/oracle/gotmpl/types (GOPATH mode).
mkdir -p "$tmp/gopath/src" && ln -s "$PWD/e2e/oracle/gotmpl/types" "$tmp/gopath/src/connectorsoracle"
export GO111MODULE=off GOPATH="$tmp/gopath:/usr/share/gocode" GOCACHE="${GOCACHE:-$tmp/gocache}"
go build -o "$tmp/gotmpl" e2e/oracle/gotmpl/main.go
go build -o "$tmp/csigo" e2e/csi/goclient/main.go

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=connectors-proxy-ca -days 1 \
  -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>/dev/null
/usr/bin/python3 e2e/csi/fixtures.py . "$tmp/apply" "$tmp/ca.crt" >/dev/null

sock="$tmp/csi/csi.sock"
NODE_NAME=e2e-node "$bin" run --role csi-node --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply "$tmp/apply" \
  --csi-endpoint "unix://$sock" --health-listen 127.0.0.1:0 --log-format json >"$tmp/driver.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do
  [ -S "$sock" ] && [ -f "$tmp/kubeconfig" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/driver.log"; echo "csi-node exited"; exit 1; }
  sleep 0.1
done
[ -S "$sock" ] || { cat "$tmp/driver.log"; echo "no CSI socket"; exit 1; }

# The controller writes status.proxy.httpAddress; this suite runs the csi-node role alone, so it writes it.
for c in quickstart/gitlab quickstart/k8s quickstart/layered private/secret-tool; do
  ns=${c%/*} name=${c#*/}
  "$kubectl" --kubeconfig "$tmp/kubeconfig" -n "$ns" patch connector "$name" --subresource=status --type=merge \
    -p "{\"status\":{\"proxy\":{\"httpAddress\":{\"url\":\"http://c-$name.$ns.svc.cluster.local\"}}}}" >/dev/null
done

[ "$(stat -c %a "$sock")" = 600 ] || { echo "the CSI socket is not 0600"; exit 1; }

echo "--- python grpcio"
(cd e2e/csi && /usr/bin/python3 check.py --proto ../../Connectors.Modules/Csi/csi.proto --socket "$sock" --kubectl "$kubectl" \
  --kubeconfig "$tmp/kubeconfig" --gotmpl "$tmp/gotmpl" --work "$tmp/work" --ca "$tmp/ca.crt" --node-id e2e-node)

echo "--- grpc-go (:authority localhost, as kubelet >= 1.26)"
mkdir -p "$tmp/go/pod"
"$tmp/csigo" -sock "$sock" -target "$tmp/go/pod/mount" -connectors gitlab -ns quickstart -sa builder -configs gitconfig

echo "--- grpc-go (:authority = socket path, as kubelet < 1.26)"
mkdir -p "$tmp/go-path/pod"
"$tmp/csigo" -sock "$sock" -authority "$sock" -target "$tmp/go-path/pod/mount" -connectors gitlab -ns quickstart -sa builder -configs gitconfig

echo "--- connectors csi"
mkdir -p "$tmp/cli/pod"
"$bin" csi info --endpoint "unix://$sock"
"$bin" csi publish --endpoint "unix://$sock" --target "$tmp/cli/pod/mount" --connector quickstart/k8s \
  --configurations kubeconfig --pod-namespace quickstart --service-account builder --attribute token.expiration=15m
grep -q "current-context: k8s" "$tmp/cli/pod/mount/kubeconfig"
if "$bin" csi publish --endpoint "unix://$sock" --target "$tmp/cli/pod/bad" --connector nope \
    --pod-namespace quickstart --service-account builder 2>"$tmp/cli.err"; then
  echo "publish of an unknown connector succeeded"; exit 1
fi
grep -q 'rpc error: code = NotFound desc = connector "nope" not found' "$tmp/cli.err"
cat "$tmp/cli.err"
"$bin" csi unpublish --endpoint "unix://$sock" --target "$tmp/cli/pod/mount"
[ ! -e "$tmp/cli/pod/mount" ]

sleep 0.2   # information lines reach stderr within 50 ms
if grep -q "eyJ" "$tmp/driver.log"; then echo "a token reached the driver's log"; exit 1; fi
echo "csi e2e: passed in $(( $(date +%s) - start ))s"
