namespace Connectors.Modules.Csi;

/// <summary>Volume context keys: the pod author's <c>volumeAttributes</c> and what kubelet adds (podInfoOnMount, tokenRequests).</summary>
internal static class VolumeAttributes
{
    public const string Connectors = "connectors";
    public const string ConnectorName = "connector.name";
    public const string ConnectorNamespace = "connector.namespace";
    public const string ConfigurationNames = "configuration.names";
    public const string ConfigurationParams = "configuration.params";
    public const string TokenExpiration = "token.expiration";
    public const string PodName = "csi.storage.k8s.io/pod.name";
    public const string PodNamespace = "csi.storage.k8s.io/pod.namespace";
    public const string PodUid = "csi.storage.k8s.io/pod.uid";
    public const string ServiceAccountName = "csi.storage.k8s.io/serviceAccount.name";
    public const string ServiceAccountTokens = "csi.storage.k8s.io/serviceAccount.tokens";
    public const string Ephemeral = "csi.storage.k8s.io/ephemeral";
}
