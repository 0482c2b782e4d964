namespace Connectors.Modules.Kube;

/// <summary>
/// An expected configuration failure: a malformed or missing kubeconfig, an unknown context, a failed exec plugin, an
/// unreachable API server or rejected credentials at start. The message is one line naming the file, context or URL;
/// the host prints it and exits with code 1.
/// </summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException()
        : base("invalid Kubernetes client configuration")
    {
    }

    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
