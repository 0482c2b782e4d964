# Shared by the e2e suites (source it after setting $tmp): ok/fail, free ports, tool checks, and starting
# `connectors run` until it can be used. `fail` prints the tail of $fail_log (default $tmp/run.log).

ok() { echo "ok: $*"; }

# fail MESSAGE...: prints FAIL and the tail of the log named by $fail_log, then exits 1.
fail() {
  echo "FAIL: $*" >&2
  echo "--- ${fail_log:-$tmp/run.log} (tail)" >&2
  tail -n "${fail_lines:-30}" "${fail_log:-$tmp/run.log}" 2>/dev/null | cut -c1-400 >&2 || true
  exit 1
}

# port: a free TCP port on 127.0.0.1.
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

b64() { base64 -w0; }

# need SUITE TOOL...: fails naming every TOOL not found, plus whatever the caller already put in $missing.
need() {
  local suite=$1 tool
  shift
  [ -n "${missing+x}" ] || missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] || { echo "FAIL: $suite needs: ${missing[*]}" >&2; exit 1; }
}

# need_bin: builds Connectors.Host when $bin is not there yet.
need_bin() { [ -x "$bin" ] || dotnet build Connectors.Host/Connectors.Host.csproj -c Release -nologo -v q >/dev/null; }

# indent: prefixes every line of stdin with four spaces (a file's content inside a YAML block).
indent() { sed 's/^/    /'; }

# workload_access NS SA: prints the manifests a workload needs to use Connectors (the viewer ClusterRole, namespace NS,
# ServiceAccount SA bound to the role in NS), each ending with "---", for a suite's manifest file.
workload_access() {
  cat <<YAML
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: connectors-connector-viewer-role}
rules:
- {apiGroups: [connectors.alauda.io], resources: [connectors], verbs: [get, list, watch]}
---
apiVersion: v1
kind: Namespace
metadata: {name: $1}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: $2, namespace: $1}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: $2-uses-connectors, namespace: $1}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: connectors-connector-viewer-role}
subjects: [{kind: ServiceAccount, name: $2, namespace: $1}]
---
YAML
}

# start_connectors LOG ARGS...: runs `$bin run ARGS...` in the background (its pid in $run_pid, also added to $pids)
# and waits up to 30 s until /readyz on --health-listen answers 200, the --embedded-kubeconfig file is written (it is
# written after the webhooks' caBundle, which can be after /readyz answers) and the --csi-endpoint socket exists,
# for those of the three that ARGS name. Fails naming LOG when the process exits or is not ready in time.
start_connectors() {
  local log=$1 prev="" arg health="" kubeconfig="" socket=""
  shift
  for arg in "$@"; do
    case $prev in
      --health-listen) health=$arg ;;
      --embedded-kubeconfig) kubeconfig=$arg ;;
      --csi-endpoint) socket=${arg#unix://} ;;
    esac
    prev=$arg
  done
  "$bin" run "$@" >"$log" 2>&1 &
  run_pid=$!
  pids+=("$run_pid")
  for _ in $(seq 300); do
    if { [ -z "$health" ] || [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$health/readyz" || true)" = 200 ]; } &&
      { [ -z "$kubeconfig" ] || [ -s "$kubeconfig" ]; } && { [ -z "$socket" ] || [ -S "$socket" ]; }; then
      return 0
    fi
    kill -0 "$run_pid" 2>/dev/null || fail_log=$log fail "connectors run exited (log: $log)"
    sleep 0.1
  done
  fail_log=$log fail "connectors run not ready in 30 s (readyz ${health:-n/a}, kubeconfig ${kubeconfig:-n/a}, socket ${socket:-n/a}; log: $log)"
}

# wait_connectors_ready NAMESPACE NAME...: each Connector reaches Ready True within 30 s (needs k()).
wait_connectors_ready() {
  local ns=$1 c
  shift
  for c in "$@"; do
    for _ in $(seq 300); do [ "$(connector_ready "$ns" "$c")" = True ] && break; sleep 0.1; done
    [ "$(connector_ready "$ns" "$c")" = True ] || { k get connector "$c" -n "$ns" -o yaml >&2; fail "$c Connector is not READY True"; }
  done
}
connector_ready() { k get connector "$2" -n "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null; }
