namespace Connectors.Modules.Kube;

/// <summary>The result of one API call: the outcome, the value on success, and a one-line message otherwise.</summary>
/// <typeparam name="T">The kind the call returns.</typeparam>
/// <param name="Outcome">How the call ended.</param>
/// <param name="Value">The decoded body when <paramref name="Outcome"/> is <see cref="KubeOutcome.Ok"/>.</param>
/// <param name="Message">What went wrong (the API's Status message, or the transport error); null on success.</param>
public readonly record struct KubeResult<T>(KubeOutcome Outcome, T? Value, string? Message)
{
    /// <summary>True when the call succeeded and <see cref="Value"/> is set.</summary>
    public bool IsOk => Outcome == KubeOutcome.Ok && Value is not null;

    /// <summary>The Status <c>reason</c> of a failed call (<c>AlreadyExists</c>, <c>Conflict</c>, <c>Expired</c>, ...), when the API sent one.</summary>
    public string? Reason { get; init; }

    /// <summary>The same failure for another value type.</summary>
    public KubeResult<TOther> As<TOther>() => new(Outcome, default, Message) { Reason = Reason };

    /// <summary>The value, or a <see cref="KubeException"/> with the outcome and message.</summary>
    /// <exception cref="KubeException">The call did not succeed.</exception>
    public T GetValueOrThrow() => IsOk ? Value! : throw new KubeException(Outcome, Message ?? Outcome.ToString());
}
