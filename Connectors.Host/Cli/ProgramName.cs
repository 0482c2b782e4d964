namespace Connectors.Host.Cli;

/// <summary>
/// How the user started this executable. kubectl runs a plugin <c>kubectl connectors ARGS</c> as the executable
/// <c>kubectl-connectors</c> found on PATH with ARGS unchanged (kubectl's plugin convention); a link of that name to
/// <c>connectors</c> makes this executable that plugin, and help then names the command <c>kubectl connectors</c>.
/// </summary>
internal static class ProgramName
{
    public const string PluginExecutable = "kubectl-connectors";
    public const string PluginCommand = "kubectl connectors";

    /// <summary>Whether <paramref name="argv0"/> (a path or a bare name) is the plugin's executable.</summary>
    public static bool IsPlugin(string? argv0) =>
        !string.IsNullOrEmpty(argv0) && Path.GetFileName(argv0).Equals(PluginExecutable, StringComparison.Ordinal);

    /// <summary>
    /// The process's own argv[0]: the .NET host resolves the link to find the application, so only the
    /// kernel's copy of the command line (<c>/proc/self/cmdline</c>) still has the name it was started by.
    /// </summary>
    public static string? InvokedAs()
    {
        try
        {
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            var end = Array.IndexOf(cmdline, (byte)0);
            return System.Text.Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Environment.GetCommandLineArgs().FirstOrDefault();
        }
    }
}
