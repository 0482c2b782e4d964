#!/usr/bin/env bash
# Side-by-side render throughput of the C# template engine and real Go text/template + sprig, in one run,
# on the same corpus: every conformance case that renders without error and identically in both engines.
# Both sides parse each template once, then render the whole corpus ITERATIONS times in one process.
# The machine is shared, so the two engines run alternately ROUNDS times and the script reports the best and
# the median round of each, and their ratios, both per wall-clock second and per CPU second of the process
# (user+system, all threads: Go's GC workers and .NET's JIT/GC threads count) which is robust to other load.
# CORPUS=config keeps only the configuration templates of features §9 and the probe templates of §2.3.
# Usage: [CORPUS=all|config] bench/templates.sh [ITERATIONS=100] [ROUNDS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-100}
rounds=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/gopath/src" && ln -s "$PWD/e2e/oracle/gotmpl/types" "$tmp/gopath/src/connectorsoracle"
GO111MODULE=off GOPATH="$tmp/gopath:/usr/share/gocode" GOCACHE="${GOCACHE:-$tmp/gocache}" go build -o "$tmp/gotmpl" e2e/oracle/gotmpl/main.go
dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null
bin=Connectors.Host/bin/Release/net10.0/connectors

cases=e2e/templates/cases.jsonl
TZ=UTC "$tmp/gotmpl" -batch < "$cases" > "$tmp/go.jsonl"
TZ=UTC "$bin" template batch < "$cases" > "$tmp/cs.jsonl"
CORPUS=${CORPUS:-all} /usr/bin/python3 - "$cases" "$tmp/go.jsonl" "$tmp/cs.jsonl" > "$tmp/corpus.jsonl" <<'PY'
import json, os, sys
config_only = os.environ["CORPUS"] == "config"
configs = {"gitconfig", "gitlabconfig", "kubeconfig", "npmrc", "sonar", "settings"}
load = lambda p: {r["id"]: r for r in (json.loads(l) for l in open(p, encoding="utf-8") if l.strip())}
go, cs = load(sys.argv[2]), load(sys.argv[3])
for line in open(sys.argv[1], encoding="utf-8"):
    c = json.loads(line)
    if config_only and not (c.get("probe") or c.get("name") in configs):
        continue
    if "derivePassword" in c["template"]:
        continue  # scrypt (32 MiB, ~0.1 s per call) would turn the comparison into one of key derivation
    g, s = go[c["id"]], cs[c["id"]]
    if "error" not in g and "error" not in s and g["output"] == s["output"]:
        print(line, end="")
PY
echo "corpus: $(wc -l < "$tmp/corpus.jsonl") templates (of $(wc -l < "$cases")), $iterations iterations x $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  TZ=UTC "$tmp/gotmpl" -bench "$iterations" < "$tmp/corpus.jsonl" >> "$tmp/go.bench"
  TZ=UTC "$bin" template bench "$iterations" < "$tmp/corpus.jsonl" >> "$tmp/cs.bench"
done
/usr/bin/python3 - "$tmp/go.bench" "$tmp/cs.bench" <<'PY'
import json, statistics, sys
for key, unit in (("rendersPerSecond", "wall"), ("rendersPerCpuSecond", "CPU")):
    go = [json.loads(l)[key] for l in open(sys.argv[1])]
    cs = [json.loads(l)[key] for l in open(sys.argv[2])]
    print(f"renders per {unit} second, per round: go {' '.join(f'{x:.0f}' for x in go)} | csharp {' '.join(f'{x:.0f}' for x in cs)}")
    print(f"  best:   go {max(go):.0f}  csharp {max(cs):.0f}  ratio csharp/go {max(cs)/max(go):.2f}")
    print(f"  median: go {statistics.median(go):.0f}  csharp {statistics.median(cs):.0f}  ratio csharp/go {statistics.median(cs)/statistics.median(go):.2f}")
PY
