using Connectors.Modules.Observability;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>
/// The driver's gRPC listener: Kestrel, HTTP/2 only (h2c with prior knowledge, as gRPC clients speak it) on a
/// unix socket, serving <see cref="CsiGrpcApplication"/>; <see cref="Http2AuthorityRewriter"/> runs in front of it
/// on every connection. A stale socket file from a previous run is removed first.
/// </summary>
internal sealed partial class CsiServer(
    IdentityService identity, NodeService node, IOptions<CsiOptions> options, ILoggerFactory loggerFactory) : IHostedService, IReadinessCheck, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<CsiServer>();
    private ModuleListener? _listener;
    private CsiGrpcApplication? _application;

    public string Name => "csi-socket";

    public bool IsReady => _listener is not null;

    /// <summary>The socket path, once listening.</summary>
    public string? SocketPath { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var path = CsiEndpoint.ParseUnixPath(options.Value.Endpoint);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            File.Delete(path);
            Log.RemovedStaleSocket(_logger, path);
        }

        _application = new CsiGrpcApplication(identity, node, loggerFactory, options.Value.MaxMessageBytes);
        var connectionLogger = loggerFactory.CreateLogger<Http2AuthorityRewriter>();
        _listener = await ModuleListener.StartAsync(loggerFactory, k =>
        {
            // No body limit of Kestrel's own below its 30 MB default: gRPC refuses a message over Csi:MaxMessageBytes
            // from its 5-byte prefix (RESOURCE_EXHAUSTED) before buffering it, while HTTP/2 flow control bounds
            // what a client can send ahead. A tighter Kestrel limit would fail the call first, as UNKNOWN.
            k.ListenUnixSocket(path, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => context => Http2AuthorityRewriter.RunConnectionAsync(context, next, connectionLogger));
            });
        }, _application.HandleAsync, cancellationToken);
        SocketPath = path;
        if (!OperatingSystem.IsWindows())
        {
            // Whoever can connect can have tokens issued for any ServiceAccount: only the owner (kubelet runs as root).
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Log.Listening(_logger, path, node.NodeId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _listener?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
            _listener = null;
        }

        if (_application is not null)
        {
            await _application.DisposeAsync();
            _application = null;
        }

        if (SocketPath is not null)
        {
            File.Delete(SocketPath);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(7010, LogLevel.Information, "CSI driver connectors-csi listening on unix://{Path} as node {NodeId}")]
        public static partial void Listening(ILogger logger, string path, string nodeId);

        [LoggerMessage(7011, LogLevel.Information, "Removed the stale CSI socket {Path}")]
        public static partial void RemovedStaleSocket(ILogger logger, string path);
    }
}
