using Connectors.Modules.Model;

namespace Connectors.Modules.Kube;

/// <summary>Secondary indexes of the Connector cache, used by <see cref="ResourceCache{T}.ByIndex"/>.</summary>
public static class KubeIndexes
{
    /// <summary>Connectors by <c>spec.connectorClassName</c>.</summary>
    public const string ConnectorsByClass = "connectorClass";

    /// <summary>Connectors by the Secret they use (credential or CA bundle), keyed <c>ns/name</c>.</summary>
    public const string ConnectorsBySecret = "secret";

    /// <summary>The class name of a Connector, if any.</summary>
    public static IEnumerable<string> ClassOf(Connector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        if (!string.IsNullOrEmpty(connector.Spec.ConnectorClassName))
        {
            yield return connector.Spec.ConnectorClassName;
        }
    }

    /// <summary>The <c>ns/name</c> of every Secret a Connector references.</summary>
    public static IEnumerable<string> SecretsOf(Connector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var ns = connector.Metadata.Namespace ?? string.Empty;
        if (connector.Spec.Auth?.SecretRef is { Name: { Length: > 0 } secret } reference)
        {
            yield return (string.IsNullOrEmpty(reference.Namespace) ? ns : reference.Namespace) + "/" + secret;
        }

        if (connector.Spec.CaCertSecretRef is { Name: { Length: > 0 } ca })
        {
            yield return ns + "/" + ca;
        }
    }
}
