#!/bin/bash
# docker-registry 2.8 (CNCF distribution) on 127.0.0.1 for the e2e suites and the benchmark.
# Usage: start.sh DIR PORT htpasswd USER PASS
#        start.sh DIR PORT token REALM SERVICE ISSUER ROOTCERT
# Writes DIR/config.yml, DIR/registry.log, DIR/registry.pid; storage in DIR/data. Stop: kill $(cat DIR/registry.pid).
set -euo pipefail
DIR="$1" PORT="$2" MODE="$3"
mkdir -p "$DIR/data"; DIR="$(cd "$DIR" && pwd)"
if [ "$MODE" = htpasswd ]; then
  htpasswd -Bbc "$DIR/htpasswd" "$4" "$5" 2>/dev/null   # the registry accepts bcrypt (-B) entries only
  auth="  htpasswd:
    realm: e2e-registry
    path: $DIR/htpasswd"
else
  auth="  token:
    realm: $4
    service: $5
    issuer: $6
    rootcertbundle: $7"
fi
cat > "$DIR/config.yml" <<YML
version: 0.1
log:
  level: info
  accesslog: {disabled: false}
storage:
  filesystem: {rootdirectory: $DIR/data}
  delete: {enabled: true}
  maintenance:
    uploadpurging: {enabled: false}
http:
  addr: 127.0.0.1:$PORT
  secret: e2e-registry-secret
  relativeurls: false
auth:
$auth
YML
docker-registry serve "$DIR/config.yml" >"$DIR/registry.log" 2>&1 &
echo $! > "$DIR/registry.pid"
for _ in $(seq 200); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" || true)" = 401 ] && exit 0
  sleep 0.025
done
echo "registry on $PORT did not start: $(tail -5 "$DIR/registry.log")" >&2
exit 1
