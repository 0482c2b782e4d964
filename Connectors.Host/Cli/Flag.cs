using System.CommandLine;

namespace Connectors.Host.Cli;

/// <summary>
/// A command-line flag whose value becomes one configuration key (<c>--proxy-listen</c> -> <c>Proxy:Listen</c>),
/// so modules bind their options from configuration and never look at the command line.
/// </summary>
internal sealed record Flag(string Name, string ConfigKey, string Description, string? DefaultValue = null)
{
    public Option<string?> CreateOption() => new(Name)
    {
        Description = DefaultValue is null ? Description : $"{Description} [default: {DefaultValue}]",
        HelpName = "value",
    };
}
