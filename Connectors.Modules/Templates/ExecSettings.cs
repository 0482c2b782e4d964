namespace Connectors.Modules.Templates;

/// <summary>Everything one execution needs besides the template and the data.</summary>
internal sealed record ExecSettings
{
    public MissingKeyMode MissingKey { get; init; }

    public int MaxOutputLength { get; init; } = 1 << 20;

    public long MaxRangeIterations { get; init; } = 100_000;

    public int MaxTemplateDepth { get; init; } = 100;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Stopwatch timestamp after which the render fails.</summary>
    public long DeadlineTimestamp { get; init; } = long.MaxValue;

    public IReadOnlySet<FunctionEffect> AllowedEffects { get; init; } = new HashSet<FunctionEffect>();

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public CancellationToken CancellationToken { get; init; }
}
