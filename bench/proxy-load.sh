#!/usr/bin/env bash
# Proxy load and memory: many concurrent keep-alive clients through the reverse proxy, with a separate client's
# latency measured meanwhile.
#   load    wrk -t$THREADS -c$CONNECTIONS -d$DURATION -> `connectors run --role proxy --embedded` (reverse, host form,
#           bearer-token Connector, cached review) -> nginx origin (1 worker, return 200 "ok\n", keep-alive upstream)
#   probe   wrk -t1 -c1 over the same span on its own connection (closed loop: one request at a time), p50/p99
# The proxy's RSS (/proc/PID/status VmRSS) is read when idle (ready, one request served), after a warm-up at low
# concurrency, every 250 ms during the load (peak = VmHWM), and again SETTLE seconds after the load ended; the
# managed heap from the proxy's /metrics; whether a background GC thread ran; the machine's memory and CPU
# stall seconds during the load (PSI), which flag a run disturbed by other work.
# Usage: bench/proxy-load.sh [DURATION=60s] [CONNECTIONS=1000] [THREADS=1]
# Environment: BIN=out/linux-x64/connectors (binary measured; default: the Release build), PROXY_FLAGS="..." (extra
#              proxy flags), PROXY_ENV="DOTNET_X=1 ..." (extra environment of the proxy process only),
#              WARMUP=10s (wrk -c32 warm-up before the load; 0 to skip), SETTLE=10 (seconds before "RSS after"),
#              SAMPLES=FILE (keep the samples: seconds, VmRSS KiB, threads, managed heap KiB),
#              SMAPS=DIR (copies of /proc/PID/smaps: idle, warm, 5 s into the load, after).
# Every step is bounded by a timeout; everything started is stopped on exit. Numbers are machine-dependent
# (docs/benchmarks.md, "Proxy load").
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-60s} connections=${2:-1000} threads=${3:-1}
secs=${duration%s}
[[ $secs =~ ^[0-9]+$ ]] || { echo "DURATION must be whole seconds, e.g. 60s" >&2; exit 2; }
[[ $connections =~ ^[0-9]+$ && $connections -ge 1 ]] || { echo "CONNECTIONS must be a positive number" >&2; exit 2; }
warmup=${WARMUP:-10s} settle=${SETTLE:-10}
# wrk, the proxy and nginx each hold one descriptor per connection (the proxy two: client and upstream).
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge $((connections * 2 + 512)) ] || { echo "ulimit -n $(ulimit -n) too low for $connections connections" >&2; exit 2; }

tmp=$(mktemp -d)
chmod 755 "$tmp"
proxy_pid="" sampler_pid=""
cleanup() {
  set +e   # every step runs, whatever the one before returned
  [ -z "$sampler_pid" ] || kill "$sampler_pid" 2>/dev/null
  if [ -n "$proxy_pid" ]; then   # SIGTERM, then SIGKILL if it has not stopped within 30 s
    kill "$proxy_pid" 2>/dev/null
    ( sleep 30; kill -9 "$proxy_pid" ) </dev/null >/dev/null 2>&1 &
    local watchdog=$!
    wait "$proxy_pid" 2>/dev/null
    kill "$watchdog" 2>/dev/null
  fi
  [ ! -f "$tmp/origin.pid" ] || kill "$(cat "$tmp/origin.pid")" 2>/dev/null
  sleep 0.2
  rm -rf "$tmp"
}
trap cleanup EXIT
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# shellcheck source=bench/lib/bench-objects.sh
. bench/lib/bench-objects.sh   # (the script has cd'd to the repository root)
bin=${BIN:-Connectors.Host/bin/Release/net10.0/connectors}   # BIN=out/linux-x64/connectors: the trimmed build
[ -n "${BIN:-}" ] || timeout 600 dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null

origin_port=$(port) proxy_port=$(port) health_port=$(port)
secret_token=bench-upstream-token
mkdir -p "$tmp/logs" "$tmp/tmp" "$tmp/manifests"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=proxy-ca -keyout "$tmp/proxy-ca.key" \
  -out "$tmp/proxy-ca.crt" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null

# The origin: one nginx worker with room for every upstream connection the proxy may open, keep-alive without limit.
cat > "$tmp/origin.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile $(ulimit -n);
pid $tmp/origin.pid;
error_log $tmp/logs/origin.error.log warn;
events { worker_connections $((connections * 2 + 1024)); }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_body_temp_path $tmp/tmp/body; proxy_temp_path $tmp/tmp/proxy; fastcgi_temp_path $tmp/tmp/fcgi;
  scgi_temp_path $tmp/tmp/scgi; uwsgi_temp_path $tmp/tmp/uwsgi;
  server { listen 127.0.0.1:$origin_port backlog=4096; location / { return 200 "ok\n"; } }
}
CONF
timeout 10 nginx -e "$tmp/logs/origin.error.log" -p "$tmp" -c "$tmp/origin.conf"

bench_objects "$tmp/manifests/objects.yaml"
# The access log stays on (the default); its lines go to a file that is only read on failure.
# shellcheck disable=SC2086 # PROXY_ENV and PROXY_FLAGS are word lists on purpose
env ${PROXY_ENV:-} "$bin" run --role proxy --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply "$tmp/manifests" \
  --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" --log-format json ${PROXY_FLAGS:-} \
  > "$tmp/logs/proxy.log" 2>&1 &
proxy_pid=$!
ready=""
for _ in $(seq 600); do   # up to 60 s: start-up on a busy machine
  [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$health_port/readyz" || true)" = 200 ] && { ready=1; break; }
  kill -0 "$proxy_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$ready" ] || { echo "proxy not ready" >&2; tail -5 "$tmp/logs/proxy.log" >&2; exit 1; }
token=$(timeout 30 "$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace bench --service-account client --duration 1h)
[ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' -H "Host: c-origin.bench.svc" -H "Authorization: Bearer $token" "http://127.0.0.1:$proxy_port/")" = 200 ] \
  || { echo "proxy not serving" >&2; tail -5 "$tmp/logs/proxy.log" >&2; exit 1; }

status_kib() { timeout 5 awk -v k="$1:" '$1==k {print $2}' "/proc/$proxy_pid/status"; }
# Seconds all non-idle tasks of the machine were stalled on memory (PSI "full"), and on CPU (PSI "some"): a run
# that other work disturbed shows here (page-cache drops on this shared VM stall every process for seconds).
stall_s() { awk -v k="$2" '$1==k {sub("total=", "", $5); printf "%d", $5 / 1000000}' "/proc/pressure/$1" 2>/dev/null || echo 0; }
# The managed heap after the last GC, from the proxy's own /metrics (the runtime meter's dotnet.gc.last_collection.heap.size, summed over generations), in KiB.
heap_kib() { curl -s -m 2 "http://127.0.0.1:$health_port/metrics" | awk '$1 ~ /^dotnet_gc_last_collection_heap_size_bytes/ {sum += $2} END {printf "%d", sum / 1024}'; }
mib() { echo "scale=1; $1 / 1024" | bc; }
sleep 2
smaps() { [ -z "${SMAPS:-}" ] || { mkdir -p "$SMAPS" && cp "/proc/$proxy_pid/smaps" "$SMAPS/$1"; }; }
smaps idle
idle=$(status_kib VmRSS) idle_threads=$(status_kib Threads) idle_heap=$(heap_kib)

url="http://127.0.0.1:$proxy_port/"
hdr=(-H "Host: c-origin.bench.svc" -H "Authorization: Bearer $token")
if [ "$warmup" != 0 ]; then   # lets the tiered JIT settle at low concurrency, so the load measures connections
  timeout $((${warmup%s} + 30)) wrk -t1 -c32 -d"$warmup" "${hdr[@]}" "$url" > /dev/null
  sleep 2
fi
smaps warm
warm=$(status_kib VmRSS) warm_heap=$(heap_kib)

# RSS samples every 250 ms while the load runs (the managed heap once a second).
sampler() {
  local start=$SECONDS n=0 heap=""
  while kill -0 "$proxy_pid" 2>/dev/null; do
    [ $((n++ % 4)) != 0 ] || heap=$(heap_kib)
    echo "$((SECONDS - start)) $(status_kib VmRSS) $(status_kib Threads) ${heap:-0}"
    sleep 0.25
  done
}
cpu_ticks() { timeout 5 awk '{print $14 + $15}' "/proc/$proxy_pid/stat"; }   # utime + stime of the proxy
cpu_before=$(cpu_ticks) mem_stall_before=$(stall_s memory full) cpu_stall_before=$(stall_s cpu some)
sampler > "$tmp/samples.txt" &
sampler_pid=$!
timeout $((secs + 60)) wrk -t"$threads" -c"$connections" -d"$duration" --latency "${hdr[@]}" "$url" > "$tmp/load.txt" &
load_pid=$!
sleep 1   # the probe starts once the load's connections are open, and ends within the load
[ -z "${SMAPS:-}" ] || { sleep 4; smaps load; } &
timeout $((secs + 60)) wrk -t1 -c1 -d"$((secs > 3 ? secs - 2 : 1))s" --latency "${hdr[@]}" "$url" > "$tmp/probe.txt"
wait "$load_pid"
cpu_after=$(cpu_ticks) mem_stall=$(($(stall_s memory full) - mem_stall_before)) cpu_stall=$(($(stall_s cpu some) - cpu_stall_before))
peak=$(status_kib VmHWM)
load_threads=$(awk 'BEGIN {m = 0} $3 > m {m = $3} END {print m}' "$tmp/samples.txt")
steady=$(awk -v from=$((secs / 2)) '$1 >= from && $1 < '"$secs"' {r += $2; n++} END {printf "%d", n ? r / n : 0}' "$tmp/samples.txt")
load_heap=$(awk 'BEGIN {m = 0} $4 > m {m = $4} END {print m}' "$tmp/samples.txt")
kill "$sampler_pid" 2>/dev/null || true   # not waited for: a stalled /proc read must not hold the run
[ -z "${SAMPLES:-}" ] || cp "$tmp/samples.txt" "$SAMPLES"
sleep "$settle"
smaps after
gc_threads=$(cat /proc/"$proxy_pid"/task/*/comm 2>/dev/null | grep -c 'BGC' || true)   # ".NET BGC": background GC ran
after=$(status_kib VmRSS) after_threads=$(status_kib Threads) after_heap=$(heap_kib)

errors() { # wrk output -> socket errors + non-2xx
  awk '/Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} /Non-2xx/ {n += $5} END {print n + 0}' "$1"
}
field() { awk -v k="$2" '$1==k {print $2}' "$1"; }
requests=$(awk '/requests in/ {print $1}' "$tmp/load.txt")
echo "## bench/proxy-load.sh $duration $connections $threads  (${PROXY_ENV:-default environment}${PROXY_FLAGS:+, $PROXY_FLAGS})"
echo "| measure | value |"
echo "|---|---|"
echo "| RSS idle (ready, one request) | $(mib "$idle") MiB, $idle_threads threads, managed heap $(mib "$idle_heap") MiB |"
echo "| RSS after warm-up (wrk -c32 $warmup) | $(mib "$warm") MiB, managed heap $(mib "$warm_heap") MiB |"
echo "| RSS peak during load (VmHWM) | $(mib "$peak") MiB, up to $load_threads threads, managed heap up to $(mib "$load_heap") MiB |"
echo "| RSS mean over the load's second half | $(mib "$steady") MiB |"
echo "| peak above idle | $(mib $((peak - idle))) MiB ($(((peak - idle) / connections)) KiB per client connection) |"
echo "| background GC thread (\".NET BGC\") | $([ "$gc_threads" -gt 0 ] && echo yes || echo no) |"
echo "| RSS ${settle} s after the load | $(mib "$after") MiB, $after_threads threads, managed heap $(mib "$after_heap") MiB |"
echo "| load: requests, req/s | $requests, $(field "$tmp/load.txt" Requests/sec:) |"
echo "| proxy CPU per request (load + probe) | $(echo "($cpu_after - $cpu_before) * 1000000 / $(getconf CLK_TCK) / ($requests + $(awk '/requests in/ {print $1}' "$tmp/probe.txt"))" | bc) µs |"
echo "| load: p50 / p99 | $(field "$tmp/load.txt" 50%) / $(field "$tmp/load.txt" 99%) |"
echo "| machine stalls during the load (PSI): memory full / CPU some | $mem_stall s / $cpu_stall s |"
echo "| load: errors (socket + non-2xx) | $(errors "$tmp/load.txt") |"
echo "| probe (wrk -c1): requests, p50 / p99 / max | $(awk '/requests in/ {print $1}' "$tmp/probe.txt"), $(field "$tmp/probe.txt" 50%) / $(field "$tmp/probe.txt" 99%) / $(awk '$1=="Latency" {print $4; exit}' "$tmp/probe.txt") |"
echo "| probe: errors (socket + non-2xx) | $(errors "$tmp/probe.txt") |"
if grep -q 'Socket errors\|Non-2xx' "$tmp/load.txt" "$tmp/probe.txt"; then
  grep -h 'Socket errors\|Non-2xx' "$tmp/load.txt" "$tmp/probe.txt" >&2
  grep -v '"EventId":{"Id":6001' "$tmp/logs/proxy.log" | tail -5 >&2 || true
fi
