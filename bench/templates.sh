#!/usr/bin/env bash
# Side-by-side render throughput of the C# template engine and real Go text/template + sprig, in one run,
# on the same corpus: every conformance case that renders without error and identically in both engines.
# Both sides parse each template once, then render the whole corpus ITERATIONS times in one process.
# Usage: bench/templates.sh [ITERATIONS=50]
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-50}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${GOCACHE:-$tmp/gocache}" go build -o "$tmp/gotmpl" e2e/oracle/gotmpl/main.go
dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null
bin=Connectors.Host/bin/Release/net10.0/connectors

cases=e2e/templates/cases.jsonl
TZ=UTC "$tmp/gotmpl" -batch < "$cases" > "$tmp/go.jsonl"
TZ=UTC "$bin" template batch < "$cases" > "$tmp/cs.jsonl"
/usr/bin/python3 - "$cases" "$tmp/go.jsonl" "$tmp/cs.jsonl" > "$tmp/corpus.jsonl" <<'PY'
import json, sys
load = lambda p: {r["id"]: r for r in (json.loads(l) for l in open(p, encoding="utf-8") if l.strip())}
go, cs = load(sys.argv[2]), load(sys.argv[3])
for line in open(sys.argv[1], encoding="utf-8"):
    c = json.loads(line)
    g, s = go[c["id"]], cs[c["id"]]
    if "error" not in g and "error" not in s and g["output"] == s["output"]:
        print(line, end="")
PY
echo "corpus: $(wc -l < "$tmp/corpus.jsonl") templates (of $(wc -l < "$cases")), $iterations iterations, $(nproc) cores"
go_line=$(TZ=UTC "$tmp/gotmpl" -bench "$iterations" < "$tmp/corpus.jsonl")
cs_line=$(TZ=UTC "$bin" template bench "$iterations" < "$tmp/corpus.jsonl")
echo "$go_line"
echo "$cs_line"
/usr/bin/python3 -c 'import json,sys; g=json.loads(sys.argv[1]); c=json.loads(sys.argv[2]); print("ratio (C# / Go renders per second): %.2f" % (c["rendersPerSecond"]/g["rendersPerSecond"]))' "$go_line" "$cs_line"
