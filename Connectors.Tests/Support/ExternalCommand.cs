using System.Diagnostics;

namespace Connectors.Tests.Support;

/// <summary>Runs another program (kubectl) to completion.</summary>
internal static class ExternalCommand
{
    /// <summary>The kubectl the peers use (/work/shared/peers/README.md).</summary>
    public const string Kubectl = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";

    /// <summary>Runs <paramref name="file"/> with <paramref name="path"/> as PATH (when given); stdout and stderr together.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string? path, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (path is not null)
        {
            info.Environment["PATH"] = path;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
