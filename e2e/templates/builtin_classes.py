#!/usr/bin/python3
"""Golden cases for the shipped ConnectorClasses (manifests/connectorclasses/*.yaml).

Every configuration file template is rendered with the CSI data view of example Connectors (one and two
mounted), and every probe path and header template with the probe data view (with and without a Secret).
The suite runs these cases through real Go text/template + sprig and through the C# engine and requires the
same bytes. Usage: builtin_classes.py REPO_DIR > cases.jsonl
"""
import glob
import json
import os
import sys

import yaml

CA = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUE2e2\n-----END CERTIFICATE-----\n"
TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6dGVhbTpidWlsZGVyIn0.c2ln"


def connector(ns, name, cls, address, proxy, params=None):
    return {
        "metadata": {"name": name, "namespace": ns},
        "spec": {"connectorClassName": cls, "address": address, "params": params or [],
                 "auth": {"name": "basicAuth", "params": [{"name": "repository", "value": "org/repo.git"}]}},
        "status": {"proxyAddress": proxy},
    }


def csi_data(cls, connectors):
    return {
        "connector": connectors[0],
        "connectors": connectors,
        "connectorclass": {"proxyAddress": "http://connectors-proxy-service.connectors-system.svc.cluster.local"},
        "context": {"token": TOKEN, "proxy": {"caCert": CA}},
        # CSI configuration.params of the classes that read them (nexus, jfrog): every key one of them reads.
        "configurations": {"mirrorRepository": "maven-public", "repository": "group", "deployRepository": "hosted",
                           "registry": "npm-group", "strictSSL": "true"} if cls in ("nexus", "jfrog") else {},
    }


def examples(cls):
    address = {"k8s": "https://192.168.1.100:6443/kubernetes/global", "gitlab": "https://gitlab.example.com/",
               "github": "https://github.com", "oci": "https://registry.example.com",
               "harbor": "https://harbor.example.com/", "pypi": "https://pypi.example.com/",
               "npm": "https://registry.example.com/repository/npm-proxy/"}.get(cls, "https://git.example.com/scm")
    proxy = f"http://c-{cls}-conn.team-a.svc.cluster.local"
    if cls in ("oci", "harbor"):   # path resolver: the proxy Service's address plus the Connector's path
        proxy = f"http://connectors-proxy-service.connectors-system.svc.cluster.local/namespaces/team-a/connectors/{cls}-conn"
    one = connector("team-a", cls + "-conn", cls, address, proxy)
    other = connector("team-b", "second", cls, "https://mirror.example.com",
                      "http://127.0.0.1:8080/namespaces/team-b/connectors/second")
    return [[one], [one, other]]


def main(repo):
    cases = []
    for path in sorted(glob.glob(os.path.join(repo, "manifests", "connectorclasses", "*.yaml"))):
        for doc in yaml.safe_load_all(open(path)):
            if not doc or doc.get("kind") != "ConnectorClass":
                continue
            cls = doc["metadata"]["name"]
            spec = doc.get("spec", {})
            for configuration in spec.get("configurations", []):
                for file, template in sorted(configuration.get("data", {}).items()):
                    for i, mounted in enumerate(examples(cls)):
                        cases.append({"id": f"{cls}/{configuration['name']}/{file}/{i}", "name": file,
                                      "template": template, "data": csi_data(cls, mounted),
                                      "options": ["missingkey=error"]})
            probes = [("liveness", spec.get("livenessProbe"))] + [(p["authName"], p.get("probe")) for p in spec.get("authProbes", [])]
            for label, probe in probes:
                http = (probe or {}).get("http")
                if not http:
                    continue
                templates = [("path", http["path"])] + [(h["name"], h["value"]) for h in http.get("httpHeaders", [])]
                for field, template in templates:
                    for j, secret in enumerate([{"username": "bot", "password": "s3cret", "token": "glpat-123"}, None]):
                        conn = examples(cls)[0][0]
                        cases.append({"id": f"{cls}/{label}/{field}/{j}", "name": field, "template": template,
                                      "data": {"connector": conn, "secret": secret}, "probe": True})
            for auth in spec.get("auth", {}).get("types", []):
                for header in (auth.get("generator") or {}).get("headers", []):
                    cases.append({"id": f"{cls}/{auth['name']}/generator/{header['name']}", "name": header["name"],
                                  "template": header["value"], "probe": True,
                                  "data": {"connector": examples(cls)[0][0], "secret": {"token": "ghp_123"}}})
    for case in cases:
        print(json.dumps(case))
    if len(cases) < 20:
        sys.exit(f"only {len(cases)} cases from the built-in classes")


if __name__ == "__main__":
    main(sys.argv[1])
