# One image for every role: connectors run --role controller|proxy|csi-node.
# Build stage: restore and publish the Native AOT linux-x64 build (the native linker needs clang and zlib).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends clang zlib1g-dev >/dev/null && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props Connectors.slnx .editorconfig ./
COPY Connectors.Modules/Connectors.Modules.csproj Connectors.Modules/
COPY Connectors.Host/Connectors.Host.csproj Connectors.Host/
RUN dotnet restore Connectors.Host/Connectors.Host.csproj -r linux-x64
COPY Connectors.Modules/ Connectors.Modules/
COPY Connectors.Host/ Connectors.Host/
RUN dotnet publish Connectors.Host/Connectors.Host.csproj -c Release -r linux-x64 --self-contained true \
      --no-restore -o /out \
 && ln -s connectors /out/kubectl-connectors \
 && /out/connectors version

# Runtime stage: the runtime dependencies of a native .NET app (libc, OpenSSL), no SDK, no shell tools needed.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
WORKDIR /app
COPY --from=build /out/ /app/
COPY manifests/connectorclasses/ /app/connectorclasses/
# Non-root by default; the csi-node DaemonSet runs privileged as root explicitly (it mounts tmpfs).
RUN groupadd --system --gid 65532 connectors && useradd --system --uid 65532 --gid 65532 --no-create-home connectors
USER 65532:65532
ENV DOTNET_gcServer=0 DOTNET_GCHeapAffinitizeMask=0
EXPOSE 8080 9090
# /app on PATH: `connectors` and the kubectl plugin link `kubectl-connectors` (kubectl connectors doctor ...).
ENV PATH=/app:$PATH
ENTRYPOINT ["/app/connectors"]
CMD ["version"]
