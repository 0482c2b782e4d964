using System.CommandLine;

namespace Connectors.Host.Cli;

/// <summary>
/// The <c>connectors</c> command line. Exit codes: 0 success, 1 an expected failure (one line on stderr),
/// 2 a usage error (one line with the reason, then the usage, on stderr).
/// </summary>
internal static class ConnectorsCommandLine
{
    public static RootCommand Build()
    {
        var globals = GlobalOptions.Create().ToArray();
        var root = new RootCommand("Connectors: workloads use Git servers, GitLab, clusters and registries without holding their credentials.");
        if (ProgramName.IsPlugin(ProgramName.InvokedAs()))
        {
            root.HelpName = ProgramName.PluginCommand;
        }

        foreach (var (_, option) in globals)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(RunCommand.Create(globals));
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(TemplateCommand.Create());
        root.Subcommands.Add(TokenCommand.Create(globals));
        root.Subcommands.Add(CsiCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create(globals));
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = Build();
        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // The generic host handles SIGTERM and SIGINT itself, with the configured grace period.
            ProcessTerminationTimeout = null,
        };
        if (parse.Errors.Count > 0)
        {
            return UsageError(parse, FirstError(parse), error);
        }

        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>
    /// The error to show: a word the parser did not know (<c>connectors frobnicate</c>, <c>--bogus</c>) is named before
    /// "Required command was not provided", which is only its consequence.
    /// </summary>
    private static string FirstError(ParseResult parse)
    {
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            return token.StartsWith('-')
                ? $"unknown flag \"{token}\" for \"{parse.CommandResult.Command.Name}\""
                : $"unknown command or argument \"{token}\" for \"{parse.CommandResult.Command.Name}\"";
        }

        var command = parse.CommandResult.Command;
        if (command.Action is null && command.Subcommands.Count > 0)
        {
            return $"\"{command.Name}\" needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
        }

        return parse.Errors[0].Message;
    }

    /// <summary>Prints <c>connectors: reason</c> and the usage of the command on stderr; returns 2.</summary>
    public static int UsageError(ParseResult parse, string reason, TextWriter? error = null)
    {
        error ??= parse.InvocationConfiguration.Error;
        error.WriteLine("connectors: " + reason);
        error.WriteLine();
        var helpParse = parse.CommandResult.Command.Parse(["--help"]);
        var config = new InvocationConfiguration { Output = error, Error = error };
        helpParse.Invoke(config);
        return 2;
    }
}
