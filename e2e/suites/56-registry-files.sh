#!/usr/bin/env bash
# The oci and harbor classes' mounted files read by the real parsers, in one `connectors run --role all --embedded`:
# config.json by skopeo (containers/image finds the proxy host's credential: user connector-proxy, the Pod token),
# buildkitd.toml by a TOML parser (Python tomllib), and harbor-cli's config.yaml password opened by Go's AES-GCM
# (crypto/aes + crypto/cipher, as harbor-cli's pkg/utils Decrypt does) with the mounted HARBOR_ENCRYPTION_KEY.
# The registry and the Harbor API are a small stand-in answering the classes' probe paths (no credentials here).
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
tmp=$(mktemp -d)
chmod 755 "$tmp"
run_pid="" tool_pid=""
bin=${CONNECTORS_BIN:-$PWD/Connectors.Host/bin/Release/net10.0/connectors}
kubectl=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
cleanup() {
  for vol in "$tmp"/pods/*/vol; do [ -d "$vol" ] && "$bin" csi unpublish --endpoint "unix://$tmp/csi.sock" --target "$vol" >/dev/null 2>&1 || true; done
  for pid in "$run_pid" "$tool_pid"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
. e2e/lib/common.sh
k() { "$kubectl" --kubeconfig "$tmp/kubeconfig" "$@"; }
missing=()
/usr/bin/python3 -c 'import tomllib, yaml' 2>/dev/null || missing+=(python3.11 python3-yaml)
need 56-registry-files curl skopeo go /usr/bin/python3 "$kubectl"
need_bin

tool_port=$(port) proxy_port=$(port) health_port=$(port)
/usr/bin/python3 - "$tool_port" <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_GET(self):
        answers = {"/v2/": b"{}", "/api/v2.0/ping": b"Pong", "/api/v2.0/users/current": b'{"username":"anonymous"}'}
        status, body = (200, answers[self.path]) if self.path in answers else (404, b"")
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
tool_pid=$!

mkdir "$tmp/manifests"
{ workload_access team builder; cat <<YAML; } > "$tmp/manifests/registries.yaml"
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: oci, namespace: team}
spec: {connectorClassName: oci, address: "http://127.0.0.1:$tool_port", auth: {name: tokenAuth}}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: harbor, namespace: team}
spec: {connectorClassName: harbor, address: "http://127.0.0.1:$tool_port/", auth: {name: basicAuth}}
YAML

start_connectors "$tmp/run.log" --role all --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply manifests/connectorclasses \
  --apply "$tmp/manifests" --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" \
  --csi-endpoint "unix://$tmp/csi.sock" --probe-interval 30s --log-format json
wait_connectors_ready team oci harbor
ok "oci and harbor Connectors READY True"

mkdir -p "$tmp/pods/build"
vol=$tmp/pods/build/vol
"$bin" csi publish --endpoint "unix://$tmp/csi.sock" --target "$vol" --connector team/oci --connector team/harbor \
  --configurations registry-config,buildkitd,harbor-cli-config --pod-namespace team --pod-name build-job --service-account builder >/dev/null \
  || fail "csi publish"
token=$(cat "$vol/context.token")
proxy_host=127.0.0.1:$proxy_port

# skopeo (containers/image) reads config.json and finds the proxy host's credential.
login=$(skopeo login --get-login --authfile "$vol/config.json" "$proxy_host" 2>&1) || fail "skopeo login --get-login: $login"
[ "$login" = connector-proxy ] || fail "skopeo found user '$login', want connector-proxy"
/usr/bin/python3 - "$vol/config.json" "$proxy_host" "$token" <<'PY' || fail "config.json"
import base64, json, sys
config = json.load(open(sys.argv[1]))
assert list(config) == ["auths"] and list(config["auths"]) == [sys.argv[2]], config
assert base64.b64decode(config["auths"][sys.argv[2]]["auth"]).decode() == "connector-proxy:" + sys.argv[3]
PY
ok "config.json: skopeo finds user connector-proxy for $proxy_host; one entry, the Pod token as the password"

/usr/bin/python3 - "$vol/buildkitd.toml" "$proxy_host" <<'PY' || fail "buildkitd.toml"
import sys, tomllib
config = tomllib.load(open(sys.argv[1], "rb"))
want = {"insecure-entitlements": ["network.host", "security.insecure"], "registry": {sys.argv[2]: {"http": True}}}
assert config == want, config
PY
ok "buildkitd.toml parsed by tomllib: the proxy host is a plain-HTTP registry"

# harbor-cli's config.yaml: one credential per Connector; the password opens with Go's AES-GCM and the mounted key.
/usr/bin/python3 - "$vol/config.yaml" "$tool_port" > "$tmp/password" <<'PY' || fail "config.yaml"
import sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
assert config["current-credential-name"] == "team/harbor", config   # .connector: the Connector whose class has the configuration
names = [c["name"] for c in config["credentials"]]
assert names == ["team/oci", "team/harbor"], names
assert all(c["username"] == "connector-proxy" and c["serveraddress"] == f"http://127.0.0.1:{sys.argv[2]}" for c in config["credentials"]), config
print(config["credentials"][1]["password"], end="")
PY
mkdir -p "$tmp/decrypt"
cat > "$tmp/decrypt/main.go" <<'GO'
// Opens a harbor-cli password: base64(nonce || AES-GCM sealed), key = base64 of HARBOR_ENCRYPTION_KEY.
package main

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
)

func main() {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(os.Getenv("HARBOR_ENCRYPTION_KEY")))
	check(err)
	raw, err := os.ReadFile(os.Args[1])
	check(err)
	data, err := base64.StdEncoding.DecodeString(string(raw))
	check(err)
	block, err := aes.NewCipher(key)
	check(err)
	gcm, err := cipher.NewGCM(block)
	check(err)
	plain, err := gcm.Open(nil, data[:gcm.NonceSize()], data[gcm.NonceSize():], nil)
	check(err)
	fmt.Print(string(plain))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
GO
plain=$(set -a; . "$vol/.env"; set +a; GO111MODULE=off GOCACHE="${GOCACHE:-$tmp/gocache}" go run "$tmp/decrypt/main.go" "$tmp/password") || fail "Go AES-GCM could not open the password"
[ "$plain" = replaced-by-connectors-proxy ] || fail "decrypted password is '$plain'"
[ "$(grep -c "^https_proxy=http://team%2Foci,team%2Fharbor:$token@$proxy_host$" "$vol/.env")" = 1 ] || fail ".env https_proxy: $(grep https_proxy "$vol/.env" | sed 's/:[^@]*@/:<token>@/')"
ok "harbor-cli config.yaml: credentials team/oci and team/harbor; Go's AES-GCM opens the password with the key from .env"
echo "56-registry-files: all checks passed in $(( $(date +%s) - start ))s"
