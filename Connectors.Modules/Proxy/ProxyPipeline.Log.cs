using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Proxy;

/// <summary>Log messages of <see cref="ProxyPipeline"/>; never a credential.</summary>
internal sealed partial class ProxyPipeline
{
    private static partial class Log
    {
        [LoggerMessage(6003, LogLevel.Warning, "Upstream exchange for {Method} {Host} broke: {Reason}")]
        public static partial void UpstreamBroke(ILogger logger, string method, string? host, string reason);
    }
}
