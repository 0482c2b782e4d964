using System.ComponentModel;
using System.Diagnostics;

namespace Connectors.Modules.Kube;

/// <summary>Starts an exec credential plugin with <c>KUBERNETES_EXEC_INFO</c>, and returns what it printed on stdout.</summary>
internal static class ExecRunner
{
    /// <exception cref="KubeConfigException">The plugin is missing, fails, or takes too long.</exception>
    public static async Task<string> RunAsync(ExecConfig config, string execInfo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (config.InteractiveMode == "Always")
        {
            throw new KubeConfigException($"{config.Source}: exec plugin \"{config.Command}\" needs an interactive terminal (interactiveMode Always), which this process does not have");
        }

        var start = new ProcessStartInfo(ResolveCommand(config))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in config.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in config.Env)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = execInfo;
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            var hint = string.IsNullOrWhiteSpace(config.InstallHint) ? string.Empty : " (" + config.InstallHint.ReplaceLineEndings(" ").Trim() + ")";
            throw new KubeConfigException($"{config.Source}: cannot run exec plugin \"{config.Command}\": {e.Message}{hint}", e);
        }

        process.StandardInput.Close();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeoutSource.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeoutSource.Token);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
            await Task.WhenAll(stdout, stderr);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new KubeConfigException($"{config.Source}: exec plugin \"{config.Command}\" did not finish within {timeout.TotalSeconds:0} s");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            var line = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output on stderr";
            throw new KubeConfigException($"{config.Source}: exec plugin \"{config.Command}\" exited with code {process.ExitCode}: {line}");
        }

        return await stdout;
    }

    private static string ResolveCommand(ExecConfig config)
    {
        // client-go resolves a command with a path separator against the kubeconfig's directory.
        var command = config.Command;
        return command.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(command) && config.BaseDirectory is not null
            ? Path.GetFullPath(Path.Combine(config.BaseDirectory, command))
            : command;
    }
}
