#!/usr/bin/env bash
# The catalogue's classes with real clients, in one `connectors run --role all --embedded` with the shipped classes:
#  - sonarqube: a SonarQube stand-in whose /api/system/status flips from STARTING to UP; the class's CEL liveness
#    condition keeps the Connector not Ready, then Ready (and its CEL auth condition checks the token); the mounted
#    sonar-project.properties drives curl through the forward proxy to /api/authentication/validate;
#  - maven: Debian's mvn with the mounted settings.xml (forward proxy, Pod token as proxy password, mirror of *)
#    through CONNECT + TLS interception (proxy CA imported with keytool) resolves an artifact (a core extension
#    of .mvn/extensions.xml, which Maven resolves at start without any plugin, so it runs offline) from a Maven
#    layout served over https behind Basic auth;
#  - nexus and jfrog: the same mvn against /repository/<repo>/ and /artifactory/<repo>/ layouts (mirrorRepository),
#    and pip (Debian's) with their mounted pip.conf against /repository/<repo>/simple/ and
#    /artifactory/api/pypi/<repo>/simple/ (PEP 503) through the same forward proxy.
# No repository password or tool token in any mounted file or in the log.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
tmp=$(mktemp -d)
chmod 755 "$tmp"
run_pid="" standin_pid=""
cleanup() {
  for vol in "$tmp"/pods/*/vol; do [ -d "$vol" ] && "$bin" csi unpublish --endpoint "unix://$tmp/csi.sock" --target "$vol" >/dev/null 2>&1 || true; done
  [ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null
  [ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null
  [ -n "${KEEP_LOG:-}" ] && cp "$tmp/run.log" "$KEEP_LOG"
  rm -rf "$tmp"
}
trap cleanup EXIT
. e2e/lib/common.sh
kubectl=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
need 47-catalogue curl openssl mvn keytool /usr/bin/python3 sha1sum md5sum "$kubectl"
bin=${CONNECTORS_BIN:-Connectors.Host/bin/Release/net10.0/connectors}
need_bin
k() { "$kubectl" --kubeconfig "$tmp/kubeconfig" "$@"; }
condition() { k get connector "$1" -n team -o jsonpath="{.status.conditions[?(@.type==\"$2\")].${3:-status}}" 2>/dev/null; }

repo_port=$(port) sonar_port=$(port) proxy_port=$(port) health_port=$(port)
maven_pw=mvn-pass-7c1e nexus_pw=nexus-pass-41d2 jfrog_pw=jfrog-pass-9ab0 sonar_token=squ_sonar-token-e2e-5f3

# The repositories' TLS certificate, from a private CA (the Connectors' caCertSecretRef).
cd "$tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=repo-ca" -keyout repo-ca.key -out repo-ca.crt \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=repo -keyout repo.key -out repo.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > repo.ext
openssl x509 -req -in repo.csr -CA repo-ca.crt -CAkey repo-ca.key -CAcreateserial -days 2 -extfile repo.ext -out repo.crt 2>/dev/null

# A Maven repository layout: a small jar + pom with sha1/md5 checksums.
art=repo/org/example/connectors-probe/1.0
mkdir -p "$art" jar/META-INF
printf 'Manifest-Version: 1.0\nCreated-By: connectors e2e\n\n' > jar/META-INF/MANIFEST.MF
/usr/bin/python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"w"); z.write("jar/META-INF/MANIFEST.MF","META-INF/MANIFEST.MF"); z.close()' "$art/connectors-probe-1.0.jar"
cat > "$art/connectors-probe-1.0.pom" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example</groupId>
  <artifactId>connectors-probe</artifactId>
  <version>1.0</version>
</project>
POM
for f in "$art"/*.jar "$art"/*.pom; do sha1sum "$f" | cut -d' ' -f1 > "$f.sha1"; md5sum "$f" | cut -d' ' -f1 > "$f.md5"; done
# A PEP 503 simple index with one small wheel (relative links, so each repository prefix serves it as its own).
mkdir -p repo/packages repo/simple/connectors-probe
/usr/bin/python3 - repo/packages/connectors_probe-1.0-py3-none-any.whl <<'PY'
import sys, zipfile
files = {"connectors_probe/__init__.py": "VALUE = 1\n",
         "connectors_probe-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: connectors-probe\nVersion: 1.0\n",
         "connectors_probe-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: connectors-e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name, text in files.items():
        z.writestr(name, text)
    z.writestr("connectors_probe-1.0.dist-info/RECORD", "".join(f"{n},,\n" for n in files) + "connectors_probe-1.0.dist-info/RECORD,,\n")
PY
wheel_sha=$(sha256sum repo/packages/connectors_probe-1.0-py3-none-any.whl | cut -d' ' -f1)
printf '<!DOCTYPE html><html><body><a href="../../packages/connectors_probe-1.0-py3-none-any.whl#sha256=%s">connectors_probe-1.0-py3-none-any.whl</a></body></html>\n' \
  "$wheel_sha" > repo/simple/connectors-probe/index.html
cd - >/dev/null

/usr/bin/python3 e2e/peers/catalogue/standin.py --tls-listen "127.0.0.1:$repo_port" --cert "$tmp/repo.crt" --key "$tmp/repo.key" \
  --plain-listen "127.0.0.1:$sonar_port" --root "$tmp/repo" --up-file "$tmp/sonar-up" --sonar-token "$sonar_token" \
  --user "/maven2=mvnuser:$maven_pw" --user "/repository/maven-public=nxuser:$nexus_pw" \
  --user "/artifactory/libs-release=jfuser:$jfrog_pw" --user "/artifactory/api/repositories=jfuser:$jfrog_pw" \
  --user "/repository/pypi-group=nxuser:$nexus_pw" --user "/artifactory/api/pypi/pypi-remote=jfuser:$jfrog_pw" \
  --log "$tmp/standin.jsonl" &
standin_pid=$!

mkdir "$tmp/manifests"
secret() { printf -- '---\napiVersion: v1\nkind: Secret\nmetadata: {name: %s, namespace: team}\ntype: %s\nstringData: %s\n' "$@"; }
connector() { # name class address extra-spec-lines
  printf -- '---\napiVersion: connectors.alauda.io/v1alpha1\nkind: Connector\nmetadata: {name: %s, namespace: team}\nspec:\n  connectorClassName: %s\n  address: %s\n%s\n' "$@"
}
{
  printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder, namespace: team}\n'
  printf -- '---\napiVersion: v1\nkind: Secret\nmetadata: {name: repo-ca, namespace: team}\ntype: Opaque\ndata: {ca.crt: %s}\n' "$(b64 < "$tmp/repo-ca.crt")"
  secret maven-creds kubernetes.io/basic-auth "{username: mvnuser, password: $maven_pw}"
  secret nexus-creds kubernetes.io/basic-auth "{username: nxuser, password: $nexus_pw}"
  secret jfrog-creds kubernetes.io/basic-auth "{username: jfuser, password: $jfrog_pw}"
  secret sonar-token connectors.cpaas.io/bearer-token "{token: $sonar_token}"
  connector maven maven "https://127.0.0.1:$repo_port/maven2" "  auth: {name: basicAuth, secretRef: {name: maven-creds}}
  caCertSecretRef: {name: repo-ca}
  params: [{name: useAsMirror, value: \"true\"}]"
  connector nexus nexus "https://127.0.0.1:$repo_port" "  auth: {name: basicAuth, secretRef: {name: nexus-creds}}
  caCertSecretRef: {name: repo-ca}"
  connector jfrog jfrog "https://127.0.0.1:$repo_port" "  auth: {name: basicAuth, secretRef: {name: jfrog-creds}}
  caCertSecretRef: {name: repo-ca}"
  connector sonar sonarqube "http://127.0.0.1:$sonar_port" "  auth: {name: tokenAuth, secretRef: {name: sonar-token}}"
  printf -- '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: use-connectors, namespace: team}\n'
  printf 'rules: [{apiGroups: [connectors.alauda.io], resources: [connectors], verbs: [get]}]\n'
  printf -- '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: builder-uses-connectors, namespace: team}\n'
  printf 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-connectors}\n'
  printf 'subjects: [{kind: ServiceAccount, name: builder, namespace: team}]\n'
} > "$tmp/manifests/objects.yaml"

start_connectors "$tmp/run.log" --role all --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply manifests/connectorclasses \
  --apply "$tmp/manifests" --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" \
  --csi-endpoint "unix://$tmp/csi.sock" --probe-interval 1s --log-format json
ok "all roles ready on the embedded API"

for class in maven sonarqube nexus jfrog; do
  for _ in $(seq 100); do [ "$(k get connectorclass "$class" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ] && break; sleep 0.1; done
  [ "$(k get connectorclass "$class" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ] || { k get connectorclass "$class" -o yaml >&2; fail "class $class not Ready"; }
done
[ "$(k get connectorclass sonarqube -o jsonpath='{.status.conditions[?(@.type=="ProbesReady")].status}')" = True ] || fail "sonarqube's CEL conditions not parsed"
ok "classes maven, sonarqube, nexus, jfrog Ready (sonarqube ProbesReady True: its CEL parses)"

# --- sonarqube: the CEL liveness condition sees STARTING, then UP.
for _ in $(seq 100); do [ "$(condition sonar LivenessReady)" = False ] && break; sleep 0.1; done
[ "$(condition sonar LivenessReady)" = False ] || fail "sonar LivenessReady is '$(condition sonar LivenessReady)' while the stand-in says STARTING"
[[ $(condition sonar LivenessReady message) == *"response.cel \"statusCode == 200 && bodyJSON.status == 'UP'\" is false"* ]] \
  || fail "sonar LivenessReady message: $(condition sonar LivenessReady message)"
[ "$(condition sonar Ready)" = False ] || fail "sonar Ready while STARTING"
ok "sonar not Ready while /api/system/status says STARTING: $(condition sonar LivenessReady message)"
touch "$tmp/sonar-up"
for _ in $(seq 150); do [ "$(condition sonar Ready)" = True ] && break; sleep 0.1; done
[ "$(condition sonar Ready)" = True ] || { k get connector sonar -n team -o yaml >&2; fail "sonar not Ready after the flip to UP"; }
[ "$(condition sonar AuthReady)" = True ] || fail "sonar AuthReady (CEL bodyJSON.valid == true)"
grep -q '"path": "/api/authentication/validate", "auth": true, "valid": true' "$tmp/standin.jsonl" || fail "the auth probe never sent the token"
ok "sonar Ready after the flip to UP (liveness and auth CEL conditions true)"

# A class whose CEL does not parse is not Ready (ProbesReady False/InvalidCEL); one that fails on the answer puts
# CELEvaluationFailed on the Connector (both paths of the CEL package, in the binary under test).
k apply -f - >/dev/null <<YAML || fail "applying the CEL error classes"
apiVersion: connectors.alauda.io/v1alpha1
kind: ConnectorClass
metadata: {name: broken-cel}
spec:
  address: {name: address, type: string}
  livenessProbe: {http: {path: /api/system/status, response: {cel: "statusCode =="}}}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: ConnectorClass
metadata: {name: missing-key-cel}
spec:
  address: {name: address, type: string}
  livenessProbe: {http: {path: /api/system/status, response: {cel: "bodyJSON.health == 'GREEN'"}}}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: missing-key, namespace: team}
spec: {connectorClassName: missing-key-cel, address: "http://127.0.0.1:$sonar_port"}
YAML
for _ in $(seq 100); do [ "$(k get connectorclass broken-cel -o jsonpath='{.status.conditions[?(@.type=="ProbesReady")].reason}')" = InvalidCEL ] && break; sleep 0.1; done
[ "$(k get connectorclass broken-cel -o jsonpath='{.status.conditions[?(@.type=="Ready")].reason}')" = InvalidCEL ] \
  || { k get connectorclass broken-cel -o yaml >&2; fail "a class whose CEL does not parse is not InvalidCEL"; }
for _ in $(seq 100); do [ "$(condition missing-key LivenessReady reason)" = CELEvaluationFailed ] && break; sleep 0.1; done
[ "$(condition missing-key LivenessReady reason)" = CELEvaluationFailed ] || fail "missing-key LivenessReady: $(condition missing-key LivenessReady reason)"
ok "CEL errors: class broken-cel $(k get connectorclass broken-cel -o jsonpath='{.status.conditions[?(@.type=="ProbesReady")].message}'); connector missing-key: $(condition missing-key LivenessReady message)"

mkdir -p "$tmp/pods"
publish() { # name configurations [attribute...]
  local name=$1 configurations=$2; shift 2
  local attributes=()
  for a in "$@"; do attributes+=(--attribute "$a"); done
  mkdir -p "$tmp/pods/$name"
  "$bin" csi publish --endpoint "unix://$tmp/csi.sock" --target "$tmp/pods/$name/vol" --connector "team/$name" \
    --configurations "$configurations" --pod-namespace team --pod-name "$name-job" --service-account builder "${attributes[@]}" >/dev/null \
    || fail "csi publish for $name"
}

# The sonar-scanner configuration: its proxy settings drive curl through the forward proxy; the proxy adds the token.
publish sonar sonar-scanner
props=$tmp/pods/sonar/vol/sonar-project.properties
prop() { grep "^sonar\.$1=" "$props" | cut -d= -f2-; }
[ "$(prop host.url)" = "http://127.0.0.1:$sonar_port" ] || fail "sonar.host.url: $(prop host.url)"
[ "$(prop scanner.proxyUser)" = "team%2Fsonar" ] || fail "sonar.scanner.proxyUser: $(prop scanner.proxyUser)"
body=$(curl -sf -x "http://$(prop scanner.proxyHost):$(prop scanner.proxyPort)" -U "$(prop scanner.proxyUser):$(prop scanner.proxyPassword)" \
  "$(prop host.url)/api/authentication/validate") || fail "curl through the forward proxy with the scanner's settings"
[ "$body" = '{"valid": true}' ] || fail "validate through the proxy answered $body"
ok "sonar-project.properties: the scanner's proxy settings reach SonarQube with the token injected"

# --- Maven, Nexus and Artifactory layouts with mvn.
mkdir -p "$tmp/project/.mvn"
cat > "$tmp/project/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example</groupId>
  <artifactId>catalogue-e2e</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
</project>
POM
cat > "$tmp/project/.mvn/extensions.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<extensions>
  <extension>
    <groupId>org.example</groupId>
    <artifactId>connectors-probe</artifactId>
    <version>1.0</version>
  </extension>
</extensions>
XML
mvn_through() { # name prefix [attribute...]
  local name=$1 prefix=$2; shift 2
  publish "$name" settings "$@"
  local vol=$tmp/pods/$name/vol
  keytool -importcert -noprompt -alias connectors-proxy -file "$vol/ca.cert" -keystore "$tmp/$name.jks" -storepass changeit >/dev/null 2>&1 \
    || fail "keytool import of the mounted ca.cert ($name)"
  local lines
  lines=$(wc -l < "$tmp/standin.jsonl")
  (cd "$tmp/project" && env -i PATH="$PATH" HOME="$tmp" JAVA_HOME="${JAVA_HOME:-}" mvn -B -q -s "$vol/settings.xml" \
    -Dmaven.repo.local="$tmp/m2-$name" -Djavax.net.ssl.trustStore="$tmp/$name.jks" -Djavax.net.ssl.trustStorePassword=changeit validate > "$tmp/mvn-$name.log" 2>&1) || { cat "$tmp/mvn-$name.log" >&2; fail "mvn through the proxy ($name)"; }
  [ -f "$tmp/m2-$name/org/example/connectors-probe/1.0/connectors-probe-1.0.jar" ] || fail "mvn did not fetch the jar ($name)"
  local seen
  seen=$(tail -n +"$((lines + 1))" "$tmp/standin.jsonl")
  [[ $seen == *"\"path\": \"$prefix/org/example/connectors-probe/1.0/connectors-probe-1.0.jar\", \"auth\": true, \"prefix\": \"$prefix\", \"authorized\": true"* ]] \
    || fail "the $name repository did not serve the jar with its credential: $seen"
  if grep 'connectors-probe' <<<"$seen" | grep -q '"authorized": false'; then fail "mvn reached the $name repository without its credential"; fi
  # The https request went through the proxy (CONNECT, intercepted, logged per request with its Connector).
  for _ in $(seq 50); do grep -q "\"Connector\":\"team/$name\".*\"Path\":\"$prefix/org/example/connectors-probe/1.0/connectors-probe-1.0.jar\",\"Status\":200" "$tmp/run.log" && break; sleep 0.05; done
  grep -q "\"Connector\":\"team/$name\".*\"Path\":\"$prefix/org/example/connectors-probe/1.0/connectors-probe-1.0.jar\",\"Status\":200" "$tmp/run.log" \
    || fail "the proxy's access log has no intercepted jar request for team/$name"
  ok "mvn with the mounted settings.xml fetched org.example:connectors-probe:1.0 from $prefix through CONNECT + interception"
}
for name in maven nexus jfrog; do
  for _ in $(seq 100); do [ "$(condition "$name" Ready)" = True ] && break; sleep 0.1; done
  [ "$(condition "$name" Ready)" = True ] || { k get connector "$name" -n team -o yaml >&2; fail "$name Connector not Ready"; }
done
ok "maven (CEL liveness: the private repository answers), nexus and jfrog Connectors Ready (auth probes with their credentials)"
mvn_through maven /maven2
mvn_through nexus /repository/maven-public 'configuration.params={"settings":{"mirrorRepository":"maven-public"}}'
mvn_through jfrog /artifactory/libs-release 'configuration.params={"settings":{"mirrorRepository":"libs-release"}}'
grep -q '<id>jfrog-mirror</id>' "$tmp/pods/jfrog/vol/settings.xml" || fail "jfrog mirror id"

# --- pip with the nexus and jfrog pip.conf (forward proxy, CONNECT + interception) against their PyPI layouts.
pip_through() { # name prefix repository
  local name=$1 prefix=$2 repository=$3
  local vol=$tmp/pods/$name-pip/vol lines seen
  mkdir -p "$tmp/pods/$name-pip"
  "$bin" csi publish --endpoint "unix://$tmp/csi.sock" --target "$vol" --connector "team/$name" --configurations pipconf \
    --pod-namespace team --pod-name "$name-pip-job" --service-account builder \
    --attribute "configuration.params={\"pipconf\":{\"repository\":\"$repository\"}}" >/dev/null || fail "csi publish pipconf for $name"
  grep -q "^index-url = https://127.0.0.1:$repo_port$prefix/simple/\$" "$vol/pip.conf" || fail "$name pip.conf index-url: $(grep index-url "$vol/pip.conf")"
  lines=$(wc -l < "$tmp/standin.jsonl")
  env -i PATH="$PATH" HOME="$tmp" PIP_CONFIG_FILE="$vol/pip.conf" PIP_CERT="$vol/ca.cert" /usr/bin/python3 -m pip download -q --no-deps \
    --no-cache-dir --disable-pip-version-check -d "$tmp/pip-$name" connectors-probe==1.0 > "$tmp/pip-$name.log" 2>&1 \
    || { cat "$tmp/pip-$name.log" >&2; fail "pip download through the proxy ($name)"; }
  [ -f "$tmp/pip-$name/connectors_probe-1.0-py3-none-any.whl" ] || fail "pip did not download the wheel ($name)"
  seen=$(tail -n +"$((lines + 1))" "$tmp/standin.jsonl")
  [[ $seen == *"\"path\": \"$prefix/packages/connectors_probe-1.0-py3-none-any.whl\", \"auth\": true, \"prefix\": \"$prefix\", \"authorized\": true"* ]] \
    || fail "the $name PyPI layout did not serve the wheel with its credential: $seen"
  ok "pip download with the mounted $name pip.conf fetched connectors-probe 1.0 from $prefix/simple/ through the forward proxy"
}
pip_through nexus /repository/pypi-group pypi-group
pip_through jfrog /artifactory/api/pypi/pypi-remote pypi-remote

# Without the proxy settings the repository refuses Maven (the credential is only in the proxy).
printf '<settings><mirrors><mirror><id>direct</id><url>https://127.0.0.1:%s/maven2</url><mirrorOf>*</mirrorOf></mirror></mirrors></settings>\n' \
  "$repo_port" > "$tmp/direct-settings.xml"
if (cd "$tmp/project" && env -i PATH="$PATH" HOME="$tmp" mvn -B -q -s "$tmp/direct-settings.xml" -Dmaven.repo.local="$tmp/m2-direct" \
  -Djavax.net.ssl.trustStore="$tmp/maven.jks" -Djavax.net.ssl.trustStorePassword=changeit validate > "$tmp/mvn-direct.log" 2>&1); then
  fail "mvn fetched from the repository without credentials"
fi
ok "mvn straight to the repository, without the proxy, is refused"

sleep 0.2   # information lines reach stderr within 50 ms
for secret in "$maven_pw" "$nexus_pw" "$jfrog_pw" "$sonar_token"; do
  grep -rqF -- "$secret" "$tmp/pods/" && fail "a tool credential appears in a mounted file"
  grep -qF -- "$secret" "$tmp/run.log" && fail "a tool credential appears in the connectors log"
done
ok "no repository password or SonarQube token in any mounted file or in the log"
echo "47-catalogue: passed in $(( $(date +%s) - start ))s"
