namespace Connectors.Modules.Templates;

/// <summary>The limits and permissions of renders with one <see cref="RenderOptions"/> (cached per options instance).</summary>
internal sealed record ExecSettings
{
    public MissingKeyMode MissingKey { get; init; }

    public int MaxOutputLength { get; init; } = 1 << 20;

    public long MaxRangeIterations { get; init; } = 100_000;

    public int MaxTemplateDepth { get; init; } = 100;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    public IReadOnlySet<FunctionEffect> AllowedEffects { get; init; } = new HashSet<FunctionEffect>();

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
