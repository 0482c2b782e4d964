using Serilog.Core;
using Serilog.Events;

namespace Connectors.Host.Cli;

/// <summary>
/// Holds back the generic host's own records until the start has succeeded. A failed start (a port in use, a bad
/// kubeconfig) is printed by <c>connectors run</c> as one line; the host would add "Hosting failed to start" with a
/// stack trace, and a fatal "BackgroundService has thrown" for each service the failed start cancelled.
/// </summary>
internal sealed class StartupLogGate
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool _open;

    /// <summary>The start succeeded: from now on the host's records (a service that fails later) are logged.</summary>
    public void Open() => _open = true;

    /// <summary>A Serilog filter: everything passes except the host's own records while starting.</summary>
    public bool Includes(LogEvent logEvent) =>
        _open || !(logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var source)
            && source is ScalarValue { Value: HostCategory });
}
