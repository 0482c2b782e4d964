#!/usr/bin/env bash
# Package registries through the proxy with their real clients, in one `connectors run --role all --embedded`:
#  pypi (reverse proxy): pip install from a PEP 503 index behind Basic auth with the CSI-mounted pip.conf, and
#       twine upload with the mounted .pypirc to the same index's legacy upload API (then pip installs the upload);
#  npm (forward proxy): npm install from a registry behind Basic auth with the mounted .npmrc; yarn's .yarnrc.yml
#       rendered, mounted and parsed by a YAML parser.
# The registries are e2e/peers/pkgindex (Nexus-like auth: anonymous may read / only). Neither registry password
# appears in any mounted file, in the clients' environment or in the connectors log.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
tmp=$(mktemp -d)
chmod 755 "$tmp"
run_pid="" pypi_pid="" npm_pid=""
bin=${CONNECTORS_BIN:-$PWD/Connectors.Host/bin/Release/net10.0/connectors}
kubectl=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
cleanup() {
  for vol in "$tmp"/pods/*/vol; do [ -d "$vol" ] && "$bin" csi unpublish --endpoint "unix://$tmp/csi.sock" --target "$vol" >/dev/null 2>&1 || true; done
  for pid in "$run_pid" "$pypi_pid" "$npm_pid"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
. e2e/lib/common.sh
k() { "$kubectl" --kubeconfig "$tmp/kubeconfig" "$@"; }
missing=()
/usr/bin/python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
need 55-packages curl /usr/bin/python3 twine node npm "$kubectl"
need_bin

pypi_pass=pypi-pass-$RANDOM$RANDOM npm_pass=npm-pass-$RANDOM$RANDOM
pypi_port=$(port) npm_port=$(port) proxy_port=$(port) health_port=$(port)

# Packages: two wheels built by hand (a wheel is a zip with a dist-info), one npm tarball from `npm pack`.
mkdir -p "$tmp/pypi-data" "$tmp/npm-data" "$tmp/dist"
/usr/bin/python3 - "$tmp" <<'PY'
import base64, hashlib, sys, zipfile
def wheel(directory, dist, version, module, text):
    tag = f"{dist}-{version}"
    files = {f"{module}.py": text, f"{tag}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\nSummary: e2e\n",
             f"{tag}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = "".join(f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(c.encode()).digest()).rstrip(b'=').decode()},{len(c.encode())}\n" for n, c in files.items())
    files[f"{tag}.dist-info/RECORD"] = record + f"{tag}.dist-info/RECORD,,\n"
    with zipfile.ZipFile(f"{directory}/{tag}-py3-none-any.whl", "w") as z:
        for n, c in files.items():
            z.writestr(n, c)
wheel(sys.argv[1] + "/pypi-data", "connectors_demo", "1.0.0", "connectors_demo", "HELLO = 'hello from the index'\n")
wheel(sys.argv[1] + "/dist", "connectors_upload", "0.1.0", "connectors_upload", "HELLO = 'uploaded by twine'\n")
PY
mkdir -p "$tmp/npm-src"
printf '{"name":"connectors-demo","version":"1.0.0","main":"index.js"}\n' > "$tmp/npm-src/package.json"
printf 'module.exports = "hello from the npm registry";\n' > "$tmp/npm-src/index.js"
(cd "$tmp/npm-src" && npm pack --silent --pack-destination "$tmp/npm-data" >/dev/null) || fail "npm pack"

PKGINDEX_PASSWORD=$pypi_pass /usr/bin/python3 e2e/peers/pkgindex/pkgindex.py --kind pypi --listen "127.0.0.1:$pypi_port" \
  --data "$tmp/pypi-data" --user pypi-bot --log "$tmp/pypi.jsonl" &
pypi_pid=$!
PKGINDEX_PASSWORD=$npm_pass /usr/bin/python3 e2e/peers/pkgindex/pkgindex.py --kind npm --listen "127.0.0.1:$npm_port" \
  --data "$tmp/npm-data" --user npm-bot --log "$tmp/npm.jsonl" &
npm_pid=$!

mkdir "$tmp/manifests"
{ workload_access team builder; cat <<YAML; } > "$tmp/manifests/packages.yaml"
apiVersion: v1
kind: Secret
metadata: {name: pypi-creds, namespace: team}
type: kubernetes.io/basic-auth
stringData: {username: pypi-bot, password: $pypi_pass}
---
apiVersion: v1
kind: Secret
metadata: {name: npm-creds, namespace: team}
type: kubernetes.io/basic-auth
stringData: {username: npm-bot, password: $npm_pass}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: pypi, namespace: team}
spec:
  connectorClassName: pypi
  address: http://127.0.0.1:$pypi_port
  auth: {name: basicAuth, secretRef: {name: pypi-creds}}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: npm, namespace: team}
spec:
  connectorClassName: npm
  address: http://127.0.0.1:$npm_port
  params:
  - {name: registryType, value: all}
  auth: {name: basicAuth, secretRef: {name: npm-creds}}
YAML

start_connectors "$tmp/run.log" --role all --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply manifests/connectorclasses \
  --apply "$tmp/manifests" --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" \
  --csi-endpoint "unix://$tmp/csi.sock" --probe-interval 30s --log-format json
wait_connectors_ready team pypi npm
[ "$(grep -c '"auth": "ok"' "$tmp/pypi.jsonl")" -ge 1 ] || fail "the pypi auth probe never authenticated"
ok "pypi and npm Connectors READY True (liveness / anonymous, auth probe with the Secret)"

# Without the Connector, the registries refuse: the credential is really needed.
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$pypi_port/simple/")" = 401 ] || fail "the index serves /simple/ anonymously"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$npm_port/connectors-demo")" = 401 ] || fail "the npm registry serves anonymously"

publish() { # name connector configurations
  mkdir -p "$tmp/pods/$1"
  "$bin" csi publish --endpoint "unix://$tmp/csi.sock" --target "$tmp/pods/$1/vol" --connector "team/$2" \
    --configurations "$3" --pod-namespace team --pod-name "$1-job" --service-account builder >/dev/null || fail "csi publish $1"
}
publish pypi pypi pipconf,pypirc
publish npm npm npmrc,yarnrc
pyvol=$tmp/pods/pypi/vol npmvol=$tmp/pods/npm/vol
for f in "$pyvol/pip.conf" "$pyvol/.pypirc" "$npmvol/.npmrc" "$npmvol/.yarnrc.yml" "$npmvol/ca.cert"; do [ -s "$f" ] || fail "mounted volume lacks $f"; done
for secret in "$pypi_pass" "$npm_pass"; do
  if grep -rqF -- "$secret" "$pyvol/" "$npmvol/"; then fail "a registry password appears in a mounted file"; fi
done
ok "volumes mounted: pip.conf .pypirc .npmrc .yarnrc.yml ca.cert; no registry password in them"

# pip install with the mounted pip.conf (reverse proxy, the Pod token as the index password).
clean_env=(env -i PATH=/usr/bin:/bin HOME="$tmp/home" PIP_DISABLE_PIP_VERSION_CHECK=1)
mkdir -p "$tmp/home"
"${clean_env[@]}" PIP_CONFIG_FILE="$pyvol/pip.conf" /usr/bin/python3 -m pip install -q --no-cache-dir --target "$tmp/site" \
  connectors-demo==1.0.0 > "$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log" >&2; fail "pip install through the proxy"; }
[ "$(PYTHONPATH="$tmp/site" /usr/bin/python3 -c 'import connectors_demo; print(connectors_demo.HELLO)')" = "hello from the index" ] \
  || fail "installed module content"
grep -q '"path": "/packages/connectors_demo-1.0.0-py3-none-any.whl", "status": 200, "auth": "ok"' "$tmp/pypi.jsonl" \
  || fail "the wheel was not downloaded with the injected credential"
ok "pip install connectors-demo==1.0.0 with the mounted pip.conf (index and wheel fetched with the injected credential)"

# twine upload with the mounted .pypirc, then pip installs what was uploaded.
"${clean_env[@]}" /usr/bin/twine upload --non-interactive --disable-progress-bar --config-file "$pyvol/.pypirc" -r connectors-pypi \
  "$tmp/dist/connectors_upload-0.1.0-py3-none-any.whl" > "$tmp/twine.log" 2>&1 || { cat "$tmp/twine.log" >&2; fail "twine upload"; }
cmp -s "$tmp/dist/connectors_upload-0.1.0-py3-none-any.whl" "$tmp/pypi-data/connectors_upload-0.1.0-py3-none-any.whl" \
  || fail "the uploaded file did not reach the index intact"
grep -q '"method": "POST", "path": "/", "status": 200, "auth": "ok"' "$tmp/pypi.jsonl" || fail "the upload did not carry the injected credential"
"${clean_env[@]}" PIP_CONFIG_FILE="$pyvol/pip.conf" /usr/bin/python3 -m pip install -q --no-cache-dir --target "$tmp/site2" \
  connectors-upload==0.1.0 > "$tmp/pip2.log" 2>&1 || { cat "$tmp/pip2.log" >&2; fail "pip install of the uploaded wheel"; }
[ "$(PYTHONPATH="$tmp/site2" /usr/bin/python3 -c 'import connectors_upload; print(connectors_upload.HELLO)')" = "uploaded by twine" ] \
  || fail "uploaded module content"
ok "twine upload with the mounted .pypirc; pip installed the uploaded wheel back"

# npm install with the mounted .npmrc (forward proxy: proxy= carries the Pod token; the placeholder _auth is replaced).
mkdir -p "$tmp/npm-project"
printf '{"name":"consumer","version":"1.0.0","private":true}\n' > "$tmp/npm-project/package.json"
(cd "$tmp/npm-project" && env -i PATH="$PATH" HOME="$tmp/home" npm install --userconfig "$npmvol/.npmrc" --cache "$tmp/npm-cache" \
  --no-audit --no-fund --loglevel=error connectors-demo@1.0.0 > "$tmp/npm.log" 2>&1) || { cat "$tmp/npm.log" >&2; fail "npm install through the proxy"; }
[ "$(cd "$tmp/npm-project" && node -p 'require("connectors-demo")')" = "hello from the npm registry" ] || fail "installed npm package content"
grep -q '"path": "/connectors-demo/-/connectors-demo-1.0.0.tgz", "status": 200, "auth": "ok"' "$tmp/npm.jsonl" \
  || fail "the tarball was not fetched with the injected credential"
if grep -q '"auth": "bad"' "$tmp/npm.jsonl"; then fail "the .npmrc placeholder credential reached the registry"; fi
ok "npm install connectors-demo@1.0.0 with the mounted .npmrc (packument and tarball with the injected credential)"

# yarn's .yarnrc.yml: mounted and read by a YAML parser, pointing at the registry through the forward proxy.
/usr/bin/python3 - "$npmvol/.yarnrc.yml" "$npm_port" "$proxy_port" "$(cat "$npmvol/context.token")" <<'PY' || fail ".yarnrc.yml"
import sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
npm_port, proxy_port, token = sys.argv[2:5]
want = {"npmRegistryServer": f"http://127.0.0.1:{npm_port}", "npmPublishRegistry": f"http://127.0.0.1:{npm_port}",
        "npmAlwaysAuth": True, "unsafeHttpWhitelist": ["127.0.0.1"], "enableStrictSsl": True,
        "httpProxy": f"http://team%2Fnpm:{token}@127.0.0.1:{proxy_port}", "httpsProxy": f"http://team%2Fnpm:{token}@127.0.0.1:{proxy_port}"}
bad = {k: (config.get(k), v) for k, v in want.items() if config.get(k) != v}
assert not bad, bad
assert isinstance(config["npmAuthIdent"], str) and config["npmAuthIdent"], config
PY
ok ".yarnrc.yml parsed: registry, publish registry, proxies with the Pod token, strict SSL"

sleep 0.2   # information lines reach stderr within 50 ms
for secret in "$pypi_pass" "$npm_pass"; do
  if grep -qF -- "$secret" "$tmp/run.log"; then fail "a registry password appears in the connectors log"; fi
done
grep -q '"Connector":"team/npm"' "$tmp/run.log" || fail "no access line for the npm Connector"
grep -q '"Connector":"team/pypi"' "$tmp/run.log" || fail "no access line for the pypi Connector"
ok "no registry password in the connectors log; access lines for both Connectors"
echo "55-packages: all checks passed in $(( $(date +%s) - start ))s"
