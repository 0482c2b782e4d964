namespace Connectors.Modules.Csi;

/// <summary>The pod a volume is for, from kubelet's podInfoOnMount attributes.</summary>
internal sealed record PodIdentity(string Namespace, string? Name, string? Uid, string ServiceAccount)
{
    /// <summary>The ServiceAccount's user name, as TokenReview and RBAC see it.</summary>
    public string UserName => $"system:serviceaccount:{Namespace}:{ServiceAccount}";
}
