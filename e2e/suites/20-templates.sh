#!/usr/bin/env bash
# Differential conformance: every case of e2e/templates/cases.jsonl through real Go text/template + sprig
# (Debian golang-go + golang-github-masterminds-sprig-dev, GOPATH mode) and through the C# engine
# (`connectors template batch`, one process). Same bytes or an error from both, or the suite fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)

mkdir -p "$tmp/gopath/src" && ln -s "$PWD/e2e/oracle/gotmpl/types" "$tmp/gopath/src/connectorsoracle"
GO111MODULE=off GOPATH="$tmp/gopath:/usr/share/gocode" GOCACHE="${GOCACHE:-$tmp/gocache}" go build -o "$tmp/gotmpl" e2e/oracle/gotmpl/main.go
bin=Connectors.Host/bin/Release/net10.0/connectors
if [ ! -x "$bin" ]; then
  dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null
fi

cases=e2e/templates/cases.jsonl
TZ=UTC "$tmp/gotmpl" -batch < "$cases" > "$tmp/go.jsonl"
TZ=UTC "$bin" template batch < "$cases" > "$tmp/cs.jsonl"
/usr/bin/python3 e2e/templates/compare.py "$cases" "$tmp/go.jsonl" "$tmp/cs.jsonl"
echo "templates conformance: $(wc -l < "$cases") cases in $(( $(date +%s) - start ))s"

# Golden: the shipped classes' configuration, probe and generator templates render byte-identical to Go.
/usr/bin/python3 e2e/templates/builtin_classes.py "$PWD" > "$tmp/classes.jsonl"
TZ=UTC "$tmp/gotmpl" -batch < "$tmp/classes.jsonl" > "$tmp/classes-go.jsonl"
TZ=UTC "$bin" template batch < "$tmp/classes.jsonl" > "$tmp/classes-cs.jsonl"
/usr/bin/python3 - "$tmp/classes.jsonl" "$tmp/classes-go.jsonl" "$tmp/classes-cs.jsonl" <<'PY'
import json, sys
cases = [json.loads(l) for l in open(sys.argv[1])]
go = {r["id"]: r for r in map(json.loads, open(sys.argv[2]))}
cs = {r["id"]: r for r in map(json.loads, open(sys.argv[3]))}
bad = [c["id"] for c in cases if go[c["id"]].get("error") or cs[c["id"]].get("error") or go[c["id"]]["output"] != cs[c["id"]]["output"]]
for i in bad:
    print(f"MISMATCH {i}\n go: {go[i]!r}\n cs: {cs[i]!r}", file=sys.stderr)
print(f"built-in classes golden: {len(cases) - len(bad)}/{len(cases)} identical to Go, no errors")
sys.exit(1 if bad else 0)
PY
