#!/usr/bin/python3
"""Writes the manifests the CSI e2e suite applies to the embedded API:

- the project's built-in gitlab and k8s ConnectorClasses as shipped (manifests/connectorclasses), so the suite
  renders exactly what the project ships;
- the quickstart Connectors, Secrets and the workload RBAC (examples/quickstart);
- a class with several configurations writing the same file (later wins), one with a bad file name, one with
  a failing template; a Connector the workload may not get; the proxy CA Secret.

  fixtures.py REPO_DIR OUT_DIR CA_PEM_FILE
"""
import json
import os
import sys

import yaml


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def write(out, name, docs):
    with open(os.path.join(out, name), "w") as f:
        yaml.safe_dump_all(docs, f, sort_keys=False)


def class_with(name, configurations):
    return {"apiVersion": "connectors.alauda.io/v1alpha1", "kind": "ConnectorClass",
            "metadata": {"name": name}, "spec": {"configurations": configurations}}


def connector(name, ns, class_name, address):
    return {"apiVersion": "connectors.alauda.io/v1alpha1", "kind": "Connector",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"connectorClassName": class_name, "address": address}}


def main():
    repo, out, ca_file = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    with open(ca_file) as f:
        ca = f.read()

    write(out, "00-namespaces.yaml", [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}}
        for n in ("connectors-system", "quickstart", "private")])
    write(out, "05-proxy-ca.yaml", [{
        "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
        "metadata": {"name": "connectors-proxy-ca", "namespace": "connectors-system"},
        "stringData": {"tls.crt": ca, "tls.key": "unused"}}])

    classes = []
    for name in ("gitlab", "k8s"):
        classes += load_all(os.path.join(repo, "manifests", "connectorclasses", name + ".yaml"))
    classes.append(class_with("layered", [
        {"name": "first", "data": {
            "shared.conf": "first {{ .connector.metadata.name }}\n",
            "first.conf": "first only {{ .connector.spec.address }}\n"}},
        {"name": "second", "data": {
            "shared.conf": "second {{ .connector.metadata.namespace }} {{ len .context.token | printf \"%d\" }}\n",
            "second.conf": "{{ range $i, $c := .connectors }}{{ $i }}={{ $c.metadata.name }} {{ end }}\n"}},
        {"name": "settings", "params": [{"name": "mirror", "default": "maven-public"}, {"name": "strict"}], "data": {
            "settings.xml": "<mirror>{{ .configurations.mirror }}</mirror><strict>{{ .configurations.strict }}</strict>\n"}},
        {"name": "badname", "data": {"../escape": "x"}},
        {"name": "broken", "data": {"broken.conf": "{{ fail \"this template fails\" }}"}},
    ]))
    write(out, "10-classes.yaml", classes)

    quickstart = []
    for name in ("20-gitlab.yaml", "30-k8s.yaml", "40-workload-rbac.yaml"):
        quickstart += load_all(os.path.join(repo, "examples", "quickstart", name))
    write(out, "20-quickstart.yaml", quickstart)
    write(out, "30-connectors.yaml", [
        connector("layered", "quickstart", "layered", "https://tools.example.com/base"),
        connector("secret-tool", "private", "gitlab", "https://private.example.com")])
    print(json.dumps({"files": sorted(os.listdir(out))}))


if __name__ == "__main__":
    main()
