#!/usr/bin/env bash
# Kube client end to end: `connectors run --embedded` writes a kubeconfig; `connectors token create` gets a
# ServiceAccount token over HTTPS with it; the API's TokenReview (asked with curl) accepts the token; bad
# kubeconfigs and rejected credentials fail with one line and exit code 1.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${CONNECTORS_BIN:-${CONNECTORS:-$(ls -t Connectors.Host/bin/*/net10.0/connectors 2>/dev/null | head -1)}}"
[ -x "$bin" ] || { echo "connectors binary not found; run make build" >&2; exit 1; }
tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/run.log" ] && tail -20 "$tmp/run.log" >&2; exit 1; }

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$bin" run --role controller --embedded --embedded-kubeconfig "$tmp/kubeconfig" --health-listen "127.0.0.1:$port" --log-format json >"$tmp/run.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do
  [ -s "$tmp/kubeconfig" ] && break
  kill -0 "$pid" 2>/dev/null || fail "connectors run exited early"
  sleep 0.2
done
[ -s "$tmp/kubeconfig" ] || fail "no kubeconfig written"

# 1. token create prints exactly one token line.
"$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace kube-system --service-account default --duration 30m --audience e2e >"$tmp/token" 2>"$tmp/err" || fail "token create: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/token")" -eq 1 ] || fail "token create printed more than one line"
token="$(cat "$tmp/token")"
[ -n "$token" ] || fail "empty token"

# 2. The API accepts it: TokenReview with the admin credentials of the kubeconfig.
server="$(sed -n 's/^ *server: *//p' "$tmp/kubeconfig" | head -1)"
admin="$(sed -n 's/^ *token: *//p' "$tmp/kubeconfig" | head -1)"
sed -n 's/^ *certificate-authority-data: *//p' "$tmp/kubeconfig" | head -1 | base64 -d >"$tmp/ca.pem"
review="$(curl -sS --cacert "$tmp/ca.pem" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"$token\",\"audiences\":[\"e2e\"]}}" \
  "$server/apis/authentication.k8s.io/v1/tokenreviews")"
echo "$review" | grep -q '"username":"system:serviceaccount:kube-system:default"' || fail "TokenReview did not accept the token: $review"

# 3. Bad input: one line on stderr, exit code 1, no stack trace.
expect_one_line() { # name, expected substring, command...
  local name="$1" want="$2"; shift 2
  set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local code=$?; set -e
  [ "$code" -eq 1 ] || fail "$name: exit code $code, want 1: $(cat "$tmp/err")"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$name: stderr is not one line: $(cat "$tmp/err")"
  grep -q -- "$want" "$tmp/err" || fail "$name: stderr lacks \"$want\": $(cat "$tmp/err")"
  [ ! -s "$tmp/out" ] || fail "$name: printed on stdout"
}
printf 'clusters: [\n' >"$tmp/malformed"
expect_one_line "malformed kubeconfig" "malformed kubeconfig $tmp/malformed" \
  "$bin" token create --kubeconfig "$tmp/malformed" --service-account default
sed "s/$admin/expired-token/" "$tmp/kubeconfig" >"$tmp/expired"
expect_one_line "rejected token" "rejected the credentials of context \"connectors-embedded\" of kubeconfig $tmp/expired" \
  "$bin" token create --kubeconfig "$tmp/expired" --service-account default
expect_one_line "unknown context" "has no context \"nope\"" \
  "$bin" token create --kubeconfig "$tmp/kubeconfig" --context nope --service-account default
sed "s#$server#https://127.0.0.1:1#" "$tmp/kubeconfig" >"$tmp/unreachable"
expect_one_line "unreachable server" "https://127.0.0.1:1/api/v1/namespaces/default/serviceaccounts/default/token: cannot reach the Kubernetes API" \
  "$bin" token create --kubeconfig "$tmp/unreachable" --service-account default
echo "kube-token: ok"
