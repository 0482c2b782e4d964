namespace Connectors.Modules.Probes;

/// <summary>Sends one probe to a tool and says how it went. Never throws for a failed probe; only for cancellation.</summary>
public interface IProbe
{
    /// <summary>Sends <paramref name="request"/> within the configured timeout.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken);
}
