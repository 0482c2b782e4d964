# Connectors: the only entry point for builds, tests and CI.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
DOTNET ?= dotnet
CONFIG ?= Release
RID ?= linux-x64
IMAGE ?= connectors:dev
OUT := out
BIN := Connectors.Host/bin/$(CONFIG)/net10.0/connectors
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: all build test run e2e bench publish image format manifests clean

all: build

build:
	$(DOTNET) build Connectors.slnx -c $(CONFIG)

## test: unit and integration tests (real loopback servers, no external services)
test:
	$(DOTNET) test Connectors.Tests/Connectors.Tests.csproj -c $(CONFIG) --logger "console;verbosity=normal" -- NUnit.NumberOfTestWorkers=2

## run: the main job: every role in one process on the embedded Kubernetes-compatible API. Builds only the
## executable (not the tests or benchmarks), and only when a source changed.
HOST_INPUTS := $(shell find Connectors.Host Connectors.Modules -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' \) -not -path '*/bin/*' -not -path '*/obj/*') Directory.Build.props Directory.Packages.props global.json
$(BIN): $(HOST_INPUTS)
	$(DOTNET) build Connectors.Host/Connectors.Host.csproj -c $(CONFIG) --nologo -clp:ErrorsOnly
	@touch $@

run: $(BIN)
	@echo "Starting every role on an embedded Kubernetes API with the built-in classes and examples/quickstart;"
	@echo "what to try next is printed once everything listens. Stop with Ctrl-C."
	$(BIN) run --role all --embedded --apply manifests/connectorclasses --apply examples/quickstart --health-listen 127.0.0.1:9090 --log-format text

## e2e: end-to-end checks with real third-party clients (git, kubectl, Go oracle, gRPC clients), run against the
## Native AOT build the image ships
e2e: build publish
	CONNECTORS_BIN=$(CURDIR)/$(OUT)/$(RID)/connectors bash e2e/run.sh

bench:
	$(DOTNET) run -c Release --project bench/Connectors.Bench -- --filter '*'

## publish: the Native AOT linux-x64 build in out/ (what the image ships; needs clang and zlib1g-dev), with the kubectl plugin link
## kubectl-connectors -> connectors (put the folder on PATH and `kubectl connectors doctor ...` works)
publish:
	$(DOTNET) publish Connectors.Host/Connectors.Host.csproj -c Release -r $(RID) --self-contained true -o $(OUT)/$(RID)
	ln -sfn connectors $(OUT)/$(RID)/kubectl-connectors
	$(OUT)/$(RID)/connectors version

image:
	docker build -t $(IMAGE) .

format:
	$(DOTNET) format Connectors.slnx --verify-no-changes

manifests:
	@ls manifests

clean:
	rm -rf $(OUT) */bin */obj bench/*/bin bench/*/obj
