namespace Connectors.Modules.Observability;

/// <summary>
/// Something a role must have before it serves traffic (a synced watch cache, a bound socket).
/// <c>/readyz</c> answers 200 only when every registered check is ready.
/// </summary>
public interface IReadinessCheck
{
    /// <summary>Short name shown by <c>/readyz</c> when the check is not ready.</summary>
    string Name { get; }

    bool IsReady { get; }
}
