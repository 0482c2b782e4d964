namespace Connectors.Modules.Observability;

/// <summary>Console logging settings.</summary>
public sealed class LoggingOptions
{
    public const string SectionName = "Logging";

    /// <summary><c>json</c> for machines, <c>text</c> for people, <c>auto</c> (default) = text on a terminal, else JSON.</summary>
    public string Format { get; set; } = "auto";

    /// <summary>Minimum level: trace, debug, info, warn, error. Defaults to <c>info</c>.</summary>
    public string Level { get; set; } = "info";
}
