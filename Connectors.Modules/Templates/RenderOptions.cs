namespace Connectors.Modules.Templates;

/// <summary>How one template is rendered. The defaults suit configuration files and probe headers.</summary>
public sealed record RenderOptions
{
    /// <summary>Go (text/template + sprig) by default.</summary>
    public static RenderOptions Default { get; } = new();

    public TemplateEngineKind Engine { get; init; } = TemplateEngineKind.Go;

    /// <summary>Go's missingkey option; default prints &lt;no value&gt; for a missing key.</summary>
    public MissingKeyMode MissingKey { get; init; } = MissingKeyMode.Default;

    /// <summary>Upper bound of the rendered text, in characters. Defaults to 1 MiB.</summary>
    public int MaxOutputBytes { get; init; } = 1 << 20;

    /// <summary>Upper bound of range iterations over the whole render. Defaults to 100,000.</summary>
    public long MaxRangeIterations { get; init; } = 100_000;

    /// <summary>Upper bound of nested {{template}} calls. Defaults to 100 (Go allows 100,000).</summary>
    public int MaxTemplateDepth { get; init; } = 100;

    /// <summary>Wall-clock budget of one render. Defaults to 2 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Allows now, ago, rand*, gen*, uuidv4, shuffle, encryptAES (and dates that fall back to now). Off by default.</summary>
    public bool AllowNondeterministicFunctions { get; init; }

    /// <summary>Allows env and expandenv, which read the process environment. Off by default.</summary>
    public bool AllowEnvironmentFunctions { get; init; }

    /// <summary>Allows getHostByName (DNS). Off by default.</summary>
    public bool AllowNetworkFunctions { get; init; }

    /// <summary>Applies a Go template option such as <c>missingkey=error</c>; throws <see cref="ArgumentException"/> otherwise.</summary>
    public RenderOptions WithOption(string option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.Trim() switch
        {
            "missingkey=default" => this with { MissingKey = MissingKeyMode.Default },
            "missingkey=invalid" => this with { MissingKey = MissingKeyMode.Invalid },
            "missingkey=zero" => this with { MissingKey = MissingKeyMode.Zero },
            "missingkey=error" => this with { MissingKey = MissingKeyMode.Error },
            _ => throw new ArgumentException($"unrecognized option: {option}"),
        };
    }
}
