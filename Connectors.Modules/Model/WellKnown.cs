namespace Connectors.Modules.Model;

/// <summary>Annotation, label and object names with meaning to Connectors.</summary>
public static class WellKnown
{
    public const string ProxyResolverAnnotation = "connectors.cpaas.io/proxy-resolver";

    /// <summary>
    /// On a ConnectorClass: how the proxy treats its Connectors' requests. <c>registry</c> (<see cref="RegistryProxyMode"/>)
    /// is the container registry mode: the distribution token flow upstream, the <c>/v2/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/</c>
    /// image path form, and the auth probe completing the token flow. Absent means the plain proxy.
    /// </summary>
    public const string ProxyModeAnnotation = "connectors.cpaas.io/proxy-mode";

    /// <summary>The value of <see cref="ProxyModeAnnotation"/> for container registries (the <c>oci</c> and <c>harbor</c> classes).</summary>
    public const string RegistryProxyMode = "registry";

    /// <summary>
    /// On a proxy Service: the URL clients outside the cluster DNS reach it at (a NodePort, an Ingress, or
    /// <c>127.0.0.1:&lt;port&gt;</c> in embedded mode). Connector proxy addresses then use the path form under it.
    /// </summary>
    public const string ExternalUrlAnnotation = "connectors.alauda.io/external-url";
    public const string TemplateEngineAnnotation = "connectors.alauda.io/template-engine";
    public const string DisplayNameAnnotation = "cpaas.io/display-name";
    public const string DescriptionAnnotation = "cpaas.io/description";
    public const string ReadmeAnnotation = "connectors.cpaas.io/readme";
    public const string ConnectorClassLabel = "connectors.alauda.io/connectorclass";
    public const string CaCertLabel = "connectors.cpaas.io/ca-cert";
    public const string ProxyServiceName = "connectors-proxy-service";
    public const string ProxyCaSecretName = "connectors-proxy-ca";
    public const string ConfigMapName = "connectors-config";
    public const string DefaultComponentsNamespace = "connectors-system";
    public const string CsiDriverName = "connectors-csi";
}
