# Shared by bench/proxy.sh and bench/proxy-load.sh: the objects the proxy benchmarks apply to the embedded API.
# bench_objects FILE [EXTRA_CONNECTOR_NAME EXTRA_ADDRESS]: namespace bench, ServiceAccount client allowed to get its
# Connectors, the bearer Secret ($secret_token), the proxy CA ($tmp/proxy-ca.crt/.key) and Connector "origin" at
# http://127.0.0.1:$origin_port (plus one more Connector with the same Secret when asked).
bench_objects() {
  local file=$1 extra_name=${2:-} extra_address=${3:-}
  {
    cat <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: bench}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: client, namespace: bench}
---
apiVersion: v1
kind: Secret
metadata: {name: token, namespace: bench}
type: connectors.cpaas.io/bearer-token
stringData: {token: $secret_token}
---
apiVersion: v1
kind: Secret
metadata: {name: connectors-proxy-ca, namespace: connectors-system}
type: kubernetes.io/tls
data: {tls.crt: $(base64 -w0 < "$tmp/proxy-ca.crt"), tls.key: $(base64 -w0 < "$tmp/proxy-ca.key")}
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: origin, namespace: bench}
spec: {address: "http://127.0.0.1:$origin_port", auth: {name: bearerTokenAuth, secretRef: {name: token}}}
YAML
    if [ -n "$extra_name" ]; then
      cat <<YAML
---
apiVersion: connectors.alauda.io/v1alpha1
kind: Connector
metadata: {name: $extra_name, namespace: bench}
spec: {address: "$extra_address", auth: {name: bearerTokenAuth, secretRef: {name: token}}}
YAML
    fi
    cat <<YAML
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: client-views, namespace: bench}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view-connectors}
subjects: [{kind: ServiceAccount, name: client, namespace: bench}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: view-connectors}
rules: [{apiGroups: [connectors.alauda.io], resources: [connectors], verbs: [get]}]
YAML
  } > "$file"
}
