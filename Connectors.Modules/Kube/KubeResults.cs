namespace Connectors.Modules.Kube;

/// <summary>Builds <see cref="KubeResult{T}"/> values.</summary>
internal static class KubeResults
{
    public static KubeResult<T> Ok<T>(T value) => new(KubeOutcome.Ok, value, null);

    public static KubeResult<T> Fail<T>(KubeOutcome outcome, string message, string? reason = null) => new(outcome, default, message) { Reason = reason };
}
