#!/usr/bin/env bash
# Controller benchmark (docs/benchmarks.md, Controller): N Connectors across M namespaces on the embedded API,
# each probed (liveness + git auth probe) against a loopback git server; the controller runs as its own process.
# Usage: bench/controller.sh [--connectors 10000] [--namespaces 100] [--workers 4] [--qps 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release Connectors.Host/Connectors.Host.csproj -v quiet -nologo >/dev/null
dotnet build -c Release bench/Connectors.Bench/Connectors.Bench.csproj -v quiet -nologo >/dev/null
exec dotnet bench/Connectors.Bench/bin/Release/net10.0/Connectors.Bench.dll controller \
  --controller Connectors.Host/bin/Release/net10.0/connectors "$@"
