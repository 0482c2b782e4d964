namespace Connectors.Modules.Kube;

/// <summary>
/// A failed API call where a value cannot carry it: a watch stream that cannot start or that the server ends with an
/// <c>ERROR</c> event (for example <see cref="KubeOutcome.Gone"/>), or <see cref="KubeResult{T}.GetValueOrThrow"/>.
/// </summary>
public sealed class KubeException : Exception
{
    public KubeException(KubeOutcome outcome, string message, Exception? inner = null)
        : base(message, inner)
    {
        Outcome = outcome;
    }

    public KubeException()
        : this(KubeOutcome.Transient, "Kubernetes API call failed")
    {
    }

    public KubeException(string message)
        : this(KubeOutcome.Transient, message)
    {
    }

    public KubeException(string message, Exception innerException)
        : this(KubeOutcome.Transient, message, innerException)
    {
    }

    public KubeOutcome Outcome { get; }
}
