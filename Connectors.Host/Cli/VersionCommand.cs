using System.CommandLine;

namespace Connectors.Host.Cli;

/// <summary><c>connectors version</c>.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version and exit");
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(VersionInfo.Describe());
            return 0;
        });
        return command;
    }
}
