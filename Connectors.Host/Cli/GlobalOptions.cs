using System.CommandLine;

namespace Connectors.Host.Cli;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public static readonly IReadOnlyList<Flag> Flags =
    [
        new("--kubeconfig", "Kube:Kubeconfig", "Path of the kubeconfig file; when empty: in-cluster configuration inside a pod, else $KUBECONFIG, else ~/.kube/config"),
        new("--context", "Kube:Context", "Kubeconfig context to use; the current context when empty"),
        new("--components-namespace", "Components:Namespace", "Namespace of the Connectors components", "connectors-system"),
        new("--log-level", "Logging:Level", "Minimum log level: trace, debug, info, warn, error", "info"),
        new("--log-format", "Logging:Format", "Log format: json, text or auto (text on a terminal)", "auto"),
    ];

    public static IEnumerable<(Flag Flag, Option<string?> Option)> Create()
    {
        foreach (var flag in Flags)
        {
            var option = flag.CreateOption();
            option.Recursive = true;
            yield return (flag, option);
        }
    }
}
