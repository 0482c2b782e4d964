using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Csi;

/// <summary>
/// The request pipeline of the CSI socket: Grpc.AspNetCore serving <see cref="IdentityService"/> and
/// <see cref="NodeService"/> through endpoint routing, on a service provider of its own (the listener is a bare
/// Kestrel server, not a web host). A call to any other path answers <c>UNIMPLEMENTED</c> with
/// <c>unknown method /path</c>, as the driver always has (gRPC's own answer would not name the method).
/// </summary>
internal sealed partial class CsiGrpcApplication : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly RequestDelegate _pipeline;
    private readonly ILogger _logger;

    public CsiGrpcApplication(IdentityService identity, NodeService node, ILoggerFactory loggerFactory, int maxMessageBytes)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddLogging();
        // Endpoint routing writes its diagnostics events to a DiagnosticListener (a web host registers one).
        services.AddSingleton(new DiagnosticListener("Connectors.Csi"));
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = maxMessageBytes;
            grpc.IgnoreUnknownServices = true;
            grpc.Interceptors.Add<CsiErrorInterceptor>();
        });
        services.AddSingleton(identity);
        services.AddSingleton(node);
        _services = services.BuildServiceProvider();
        _logger = loggerFactory.CreateLogger<CsiGrpcApplication>();
        var app = new ApplicationBuilder(_services);
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapGrpcService<IdentityService>();
            endpoints.MapGrpcService<NodeService>();
        });
        app.Run(UnknownMethodAsync);
        _pipeline = app.Build();
    }

    /// <summary>Serves one request (Kestrel's request delegate).</summary>
    public Task HandleAsync(HttpContext context)
    {
        context.RequestServices = _services;
        return _pipeline(context);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    /// <summary>Whatever no gRPC method took: 405 unless POST, 415 unless gRPC, else a trailers-only UNIMPLEMENTED.</summary>
    private Task UnknownMethodAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return Task.CompletedTask;
        }

        var path = request.Path.Value ?? string.Empty;
        Log.UnknownMethod(_logger, path);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)StatusCode.Unimplemented).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode($"unknown method {path}");
        return Task.CompletedTask;
    }

    /// <summary><c>grpc-message</c> is percent-encoded: bytes outside 0x20..0x7E, and '%' (PROTOCOL-HTTP2.md).</summary>
    internal static string PercentEncode(string message)
    {
        var builder = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            _ = b is >= 0x20 and <= 0x7E and not (byte)'%'
                ? builder.Append((char)b)
                : builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static partial class Log
    {
        [LoggerMessage(7001, LogLevel.Warning, "gRPC call to unknown method {Method}")]
        public static partial void UnknownMethod(ILogger logger, string method);
    }
}
