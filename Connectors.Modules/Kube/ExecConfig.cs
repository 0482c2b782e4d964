namespace Connectors.Modules.Kube;

/// <summary>The kubeconfig <c>user.exec</c> block: a client-go credential plugin.</summary>
internal sealed record ExecConfig
{
    /// <summary>The ExecCredential version the plugin speaks (<c>client.authentication.k8s.io/v1</c>).</summary>
    public required string ApiVersion { get; init; }

    public required string Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary><c>Never</c>, <c>IfAvailable</c> or <c>Always</c>; this process never offers a terminal.</summary>
    public string InteractiveMode { get; init; } = "IfAvailable";

    public string? InstallHint { get; init; }

    public bool ProvideClusterInfo { get; init; }

    /// <summary>Directory of the kubeconfig: a relative command path is resolved against it, as kubectl does.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Names the kubeconfig and user in error messages.</summary>
    public required string Source { get; init; }
}
