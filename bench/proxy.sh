#!/usr/bin/env bash
# Proxy benchmark, side by side in one run against one loopback origin (nginx, 1 worker):
#   direct       wrk -> origin
#   nginx        wrk -> nginx reverse proxy (own process) adding Authorization: Bearer, keep-alive upstream
#   yarp         wrk -> the bare YARP 2.3 direct forwarder of ../shared/peers/yarp-forwarder (replaces Authorization,
#                checks no token, writes no log): the least a YARP-based proxy costs here (skipped if the peer is absent)
#   connectors   wrk -> `connectors run --role proxy --embedded` (reverse, host form, token review cached)
#   floor        wrk -> the same process's /healthz: Kestrel answering alone, the least any Kestrel-based proxy costs
# then a large download (default 1 GiB) direct vs through the proxy, sampling the proxy's RSS and CPU, and CONNECT with
# interception vs squid's plain CONNECT tunnel and squid ssl-bump (bench/proxyload, Go net/http, against the TLS origin),
# with the CPU each proxy's process spent per request (squid runs as one process, -N).
# Usage: bench/proxy.sh [DURATION=10s] [CONNECTIONS=32] [DOWNLOAD_MIB=1024] [NGINX_WORKERS=1]
# Environment: SECTIONS="wrk download connect" (subset to run), PROXY_FLAGS="--proxy-access-log false" (extra flags),
#              BIN=out/linux-x64/connectors (binary to measure), PROFILE=FILE (perf record the proxy during its wrk run;
#              with PERF_STAT=1, perf stat of task clock and context switches instead; with PROFILE_YARP=1 the bare
#              YARP forwarder too, into FILE.yarp),
#              WARMUP=10s (wrk warm-up per target before measuring; the .NET tiered JIT needs it),
#              YARP_PEER=DIR (the yarp-forwarder peer's sources; default ../shared/peers/yarp-forwarder beside the repo,
#              published once into ~/.cache/connectors-bench/yarp-forwarder).
# Results are printed as a markdown table; numbers are machine-dependent (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s} connections=${2:-32} download_mib=${3:-1024} nginx_workers=${4:-1}
tmp=$(mktemp -d)
chmod 755 "$tmp"
proxy_pid="" squid_pid="" yarp_pid=""
cleanup() {
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null && wait "$proxy_pid" 2>/dev/null
  [ -n "$yarp_pid" ] && kill "$yarp_pid" 2>/dev/null && wait "$yarp_pid" 2>/dev/null
  for conf in origin front; do [ -f "$tmp/$conf.pid" ] && kill "$(cat "$tmp/$conf.pid")" 2>/dev/null; done
  [ -f "$tmp/squid.pid" ] && kill "$(cat "$tmp/squid.pid")" 2>/dev/null
  [ -f "$tmp/bump/squid.pid" ] && kill "$(cat "$tmp/bump/squid.pid")" 2>/dev/null
  sleep 0.2
  rm -rf "$tmp"
}
trap cleanup EXIT
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# shellcheck source=bench/lib/bench-objects.sh
. bench/lib/bench-objects.sh   # (the script has cd'd to the repository root)
bin=${BIN:-Connectors.Host/bin/Release/net10.0/connectors}   # BIN=out/linux-x64/connectors: the trimmed build
[ -n "${BIN:-}" ] || dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null

origin_port=$(port) tls_port=$(port) front_port=$(port) proxy_port=$(port) health_port=$(port) squid_port=$(port) yarp_port=$(port)
secret_token=bench-upstream-token
mkdir -p "$tmp/www" "$tmp/logs" "$tmp/tmp"
truncate -s "${download_mib}M" "$tmp/www/big"

# The TLS origin's certificate (for the CONNECT comparison) and the proxy's interception CA.
( cd "$tmp"
  for ca in origin-ca proxy-ca; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$ca" -keyout $ca.key -out $ca.crt \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  done
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=origin -keyout origin.key -out origin.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:origin.test\n' > origin.ext
  openssl x509 -req -in origin.csr -CA origin-ca.crt -CAkey origin-ca.key -CAcreateserial -days 2 -extfile origin.ext -out origin.crt 2>/dev/null )

nginx_conf() { # name workers body
  cat > "$tmp/$1.conf" <<CONF
worker_processes $2;
pid $tmp/$1.pid;
error_log $tmp/logs/$1.error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  client_body_temp_path $tmp/tmp/$1-body; proxy_temp_path $tmp/tmp/$1-proxy; fastcgi_temp_path $tmp/tmp/$1-fcgi;
  scgi_temp_path $tmp/tmp/$1-scgi; uwsgi_temp_path $tmp/tmp/$1-uwsgi;
  $3
}
CONF
  nginx -e "$tmp/logs/$1.error.log" -p "$tmp" -c "$tmp/$1.conf"
}
nginx_conf origin 1 "
  server { listen 127.0.0.1:$origin_port; location / { return 200 \"ok\n\"; } location /big { root $tmp/www; } }
  server { listen 127.0.0.1:$tls_port ssl; ssl_certificate $tmp/origin.crt; ssl_certificate_key $tmp/origin.key;
           location / { return 200 \"ok\n\"; } }"
nginx_conf front "$nginx_workers" "
  upstream origin { server 127.0.0.1:$origin_port; keepalive 64; }
  server { listen 127.0.0.1:$front_port;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection \"\";
                 proxy_set_header Authorization \"Bearer $secret_token\"; proxy_buffering off; } }"

mkdir "$tmp/manifests"
bench_objects "$tmp/manifests/objects.yaml" tls "https://127.0.0.1:$tls_port"
SSL_CERT_FILE="$tmp/origin-ca.crt" "$bin" run --role proxy --embedded --embedded-kubeconfig "$tmp/kubeconfig" --apply "$tmp/manifests" \
  --proxy-listen "127.0.0.1:$proxy_port" --health-listen "127.0.0.1:$health_port" --log-format json ${PROXY_FLAGS:-} \
  > "$tmp/logs/proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$health_port/readyz" || true)" = 200 ] && break; sleep 0.1; done
token=$("$bin" token create --kubeconfig "$tmp/kubeconfig" --namespace bench --service-account client --duration 1h)
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: c-origin.bench.svc" -H "Authorization: Bearer $token" "http://127.0.0.1:$proxy_port/")" = 200 ] \
  || { echo "proxy not serving" >&2; tail -5 "$tmp/logs/proxy.log" >&2; exit 1; }

# The bare YARP forwarder peer (JIT build, published once; its settings match the proxy's: workstation non-concurrent
# GC, spin limit 0, no logging).
yarp_src=${YARP_PEER:-../shared/peers/yarp-forwarder}
if [ -f "$yarp_src/Program.cs" ] && [ -z "${PROXY_ONLY:-}" ]; then
  yarp_dir=${XDG_CACHE_HOME:-$HOME/.cache}/connectors-bench/yarp-forwarder
  if ! cmp -s "$yarp_src/Program.cs" "$yarp_dir/Program.cs" || [ ! -f "$yarp_dir/out-jit/yarp.dll" ]; then
    rm -rf "$yarp_dir" && mkdir -p "$yarp_dir" && cp "$yarp_src"/*.cs "$yarp_src"/*.csproj "$yarp_dir/"
    (cd "$yarp_dir" && dotnet publish -c Release -o out-jit -nologo -v q >/dev/null)
  fi
  LISTEN="http://127.0.0.1:$yarp_port" ORIGIN="http://127.0.0.1:$origin_port/" BEARER=$secret_token DOTNET_PerfMapEnabled=${PROFILE_YARP:+1} DOTNET_EnableWriteXorExecute=${PROFILE_YARP:+0} dotnet "$yarp_dir/out-jit/yarp.dll" \
    > "$tmp/logs/yarp.log" 2>&1 &
  yarp_pid=$!
  for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$yarp_port/" || true)" = 200 ] && break; sleep 0.1; done
fi

cpu_ticks() { # pids... -> utime+stime in clock ticks (USER_ONLY=1: utime alone)
  local total=0 pid
  for pid in "$@"; do total=$((total + $(awk -v u="${USER_ONLY:-}" '{print u ? $14 : $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo $total
}
start_profile() { # [pid] PROFILE=FILE: perf record the proxy while it is measured (DOTNET_PerfMapEnabled=1 for names)
  [ -n "${PROFILE:-}" ] || return 0
  local pid=${1:-$proxy_pid} out=$PROFILE
  [ "$pid" = "$proxy_pid" ] || out=$PROFILE.yarp
  if [ -n "${PERF_STAT:-}" ]; then
    perf stat -e task-clock,context-switches,raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_futex,syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendto,syscalls:sys_enter_write \
      -p "$pid" -o "$out" -- sleep "${duration%s}" >/dev/null 2>&1 &
  else
    perf record -F 499 -g -p "$pid" -o "$out" -- sleep "${duration%s}" >/dev/null 2>&1 &
  fi
  echo $!
}
allocated() { # bytes the proxy process has allocated so far (the runtime's counter on its /metrics)
  curl -s "http://127.0.0.1:$health_port/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ {printf "%.0f", $2}'
}
allocated_per_request=""
run_wrk() { # label url pids header...
  local label=$1 url=$2 pids=$3; shift 3
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  wrk -t1 -c"$connections" -d"${WARMUP:-10s}" "${args[@]}" "$url" >/dev/null   # warm-up (lets tiered JIT settle)
  local cpu_before cpu_after user_before user_after
  cpu_before=$(cpu_ticks $pids) user_before=$(USER_ONLY=1 cpu_ticks $pids)
  local perf_pid=""
  local allocated_before=""
  case $label in   # the proxy's own row (not its /healthz floor), and the bare YARP forwarder's when asked
    connectors*) perf_pid=$(start_profile); allocated_before=$(allocated) ;;
    *YARP*) [ -z "${PROFILE_YARP:-}" ] || perf_pid=$(start_profile "$yarp_pid") ;;
  esac
  wrk -t1 -c"$connections" -d"$duration" --latency "${args[@]}" "$url" > "$tmp/wrk.txt"
  cpu_after=$(cpu_ticks $pids) user_after=$(USER_ONLY=1 cpu_ticks $pids)
  [ -z "$perf_pid" ] || wait "$perf_pid" 2>/dev/null || true
  local rps p50 p99 errors requests cpu
  rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$tmp/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$tmp/wrk.txt")
  errors=$(awk '/Non-2xx/ {print $5}' "$tmp/wrk.txt")
  requests=$(awk '/requests in/ {print $1}' "$tmp/wrk.txt")
  cpu=$(echo "($cpu_after - $cpu_before) * 1000000 / $(getconf CLK_TCK) / $requests" | bc)
  user=$(echo "($user_after - $user_before) * 1000000 / $(getconf CLK_TCK) / $requests" | bc)
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "${errors:-0}" "$cpu" "$user"
  if [ -n "$allocated_before" ]; then   # the one figure a noisy machine does not move
    allocated_per_request=$(echo "($(allocated) - $allocated_before) / $requests" | bc)
  fi
}
sections=${SECTIONS:-wrk download connect}
if [[ $sections == *wrk* ]]; then
echo "## wrk -t1 -c$connections -d$duration --latency (loopback, origin = nginx return 200)"
# CPU: the measured process's user + system time per request, then user time alone (the kernel's loopback TCP work, about
# half of the total and the same for every proxy here, is where a busy machine's noise lands).
echo "| target | req/s | p50 | p99 | non-2xx | CPU µs/request (proxy only) | of which user |"
echo "|---|---|---|---|---|---|---|"
origin_pids="$(cat "$tmp/origin.pid") $(pgrep -P "$(cat "$tmp/origin.pid")" | tr '\n' ' ')"
front_pids="$(cat "$tmp/front.pid") $(pgrep -P "$(cat "$tmp/front.pid")" | tr '\n' ' ')"
if [ -z "${PROXY_ONLY:-}" ]; then   # PROXY_ONLY=1: only the connectors row (quick A/B runs; not for docs tables)
  run_wrk direct "http://127.0.0.1:$origin_port/" "$origin_pids"
  run_wrk "nginx reverse proxy + Authorization ($nginx_workers worker)" "http://127.0.0.1:$front_port/" "$front_pids"
  [ -z "$yarp_pid" ] || run_wrk "bare YARP 2.3 forwarder + Authorization (no token check, no log)" "http://127.0.0.1:$yarp_port/" "$yarp_pid"
fi
run_wrk "connectors proxy (reverse, host form, cached review)" "http://127.0.0.1:$proxy_port/" "$proxy_pid" "Host: c-origin.bench.svc" "Authorization: Bearer $token"
if [ -z "${PROXY_ONLY:-}" ]; then   # the platform's floor: the same process's Kestrel answering by itself, no proxying
  run_wrk "Kestrel alone: the proxy process's /healthz (no upstream)" "http://127.0.0.1:$health_port/healthz" "$proxy_pid"
fi
echo
echo "connectors proxy: ${allocated_per_request:-?} bytes allocated per request (the runtime's counter around the measured run)"

fi

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$proxy_pid/status"; }
if [[ $sections == *download* ]]; then
echo
echo "## ${download_mib} MiB download (curl -o /dev/null): direct, through nginx, through this proxy; proxy RSS sampled every 100 ms"
echo "| path | bytes | seconds | MiB/s | proxy RSS before / max (MiB) | proxy CPU ms |"
echo "|---|---|---|---|---|---|"
for path in direct nginx proxy direct nginx proxy; do
  before=$(rss_kib) max=$before
  case $path in
    direct) url="http://127.0.0.1:$origin_port/big"; hdr=() ;;
    nginx) url="http://127.0.0.1:$front_port/big"; hdr=() ;;
    proxy) url="http://127.0.0.1:$proxy_port/big"; hdr=(-H "Host: c-origin.bench.svc" -H "Authorization: Bearer $token") ;;
  esac
  ticks=$(cpu_ticks "$proxy_pid")
  curl -s -o /dev/null -w '%{time_total} %{speed_download} %{size_download}\n' "${hdr[@]}" "$url" > "$tmp/curl.txt" &
  curl_pid=$!
  while kill -0 $curl_pid 2>/dev/null; do r=$(rss_kib); [ "$r" -gt "$max" ] && max=$r; sleep 0.1; done
  wait $curl_pid
  read -r seconds speed size < "$tmp/curl.txt"
  printf '| %s | %s | %s | %.0f | %d / %d | %d |\n' "$path" "$size" "$seconds" "$(echo "$speed / 1048576" | bc -l)" $((before / 1024)) $((max / 1024)) \
    $(( ($(cpu_ticks "$proxy_pid") - ticks) * 1000 / $(getconf CLK_TCK) ))
done

fi

if [[ $sections == *connect* ]]; then
echo
echo "## CONNECT to the TLS origin: bench/proxyload (Go net/http, -c 16, one tunnel per connection, keep-alive)"
cat > "$tmp/squid.conf" <<CONF
http_port 127.0.0.1:$squid_port
pid_filename $tmp/squid.pid
cache_log $tmp/logs/squid-cache.log
access_log none
cache deny all
pinger_enable off
acl localhost src 127.0.0.1/32
http_access allow localhost
http_access deny all
CONF
GO111MODULE=off GOCACHE="${GOCACHE:-$tmp/gocache}" go build -o "$tmp/proxyload" bench/proxyload/main.go
squid -f "$tmp/squid.conf" -N > "$tmp/logs/squid.out" 2>&1 &
for _ in $(seq 100); do [ -s "$tmp/squid.pid" ] && break; sleep 0.05; done
sleep 0.3
echo "| proxy | req/s | p50 | p99 | errors | CPU µs/request (the proxy's process) |"
echo "|---|---|---|---|---|---|"
run_load() { # label proxy-url ca [profile] [target-url] [pid of the proxy measured]
  local url=${5:-https://127.0.0.1:$tls_port/}
  "$tmp/proxyload" -url "$url" -proxy "$2" -ca "$3" -c 16 -d "${WARMUP:-10s}" > /dev/null   # warm-up
  local perf_pid="" ticks rps
  [ -z "${4:-}" ] || perf_pid=$(start_profile)
  ticks=$(cpu_ticks ${6:-})
  "$tmp/proxyload" -url "$url" -proxy "$2" -ca "$3" -c 16 -d "$duration" > "$tmp/load.txt"
  ticks=$(( $(cpu_ticks ${6:-}) - ticks ))
  [ -z "$perf_pid" ] || wait "$perf_pid" 2>/dev/null || true
  rps=$(awk '$1=="requests/s" {print $2}' "$tmp/load.txt")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$rps" \
    "$(awk '$1=="p50" {print $2}' "$tmp/load.txt")" "$(awk '$1=="p99" {print $2}' "$tmp/load.txt")" "$(awk '$1=="errors" {print $2}' "$tmp/load.txt")" \
    "$([ -n "${6:-}" ] && echo "$ticks * 1000000 / $(getconf CLK_TCK) / ($rps * ${duration%s})" | bc || echo -)"
}
run_load "direct (no proxy)" "" "$tmp/origin-ca.crt"
run_load "squid 5.7 CONNECT (blind tunnel)" "http://127.0.0.1:$squid_port" "$tmp/origin-ca.crt" "" "" "$(cat "$tmp/squid.pid")"
run_load "connectors CONNECT + TLS interception + injection" "http://bench%2Ftls:$token@127.0.0.1:$proxy_port" "$tmp/proxy-ca.crt" profile "" "$proxy_pid"
# The interception peer: squid ssl-bump (../shared/peers/squid-bump; needs Debian's squid-openssl). squid mints its
# leaf from the origin certificate's names, so the target is named (origin.test, in squid's hosts file).
bump=${SQUID_BUMP:-../shared/peers/squid-bump}
if [ -x "$bump/start.sh" ] && [ -x /usr/lib/squid/security_file_certgen ]; then
  bump_port=$(port)
  echo "127.0.0.1 origin.test" > "$tmp/hosts"
  HOSTS_FILE="$tmp/hosts" "$bump/start.sh" "$tmp/bump" "$bump_port" "$tmp/proxy-ca.crt" "$tmp/proxy-ca.key" "$tmp/origin-ca.crt"
  run_load "squid 5.7 ssl-bump (peek, stare, bump; re-encrypts upstream)" "http://127.0.0.1:$bump_port" "$tmp/proxy-ca.crt" "" "https://origin.test:$tls_port/" "$(cat "$tmp/bump/squid.pid")"
else
  echo "| squid ssl-bump: skipped (needs $bump/start.sh and the squid-openssl package) | | | | |"
fi
fi
