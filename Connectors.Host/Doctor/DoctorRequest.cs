namespace Connectors.Host.Doctor;

/// <summary>What <c>connectors doctor</c> checks: a pipeline running as <paramref name="ServiceAccount"/> in <paramref name="Namespace"/> using a Connector.</summary>
/// <param name="Namespace">Namespace of the Connector and of the ServiceAccount.</param>
/// <param name="ServiceAccount">The ServiceAccount the workload runs as.</param>
/// <param name="Connector">Name of the Connector.</param>
/// <param name="Target">A URL the workload fetches through the Connector, when given.</param>
/// <param name="ComponentsNamespace">Namespace of the proxy Service and the proxy CA (<c>--components-namespace</c>).</param>
/// <param name="ProxyUrl">
/// Where to reach the proxy instead of the host in the Connector's proxy address (a <c>kubectl port-forward</c> of
/// the proxy Service), the Host header staying the Connector's; null to use the proxy address as it is.
/// </param>
internal sealed record DoctorRequest(string Namespace, string ServiceAccount, string Connector, Uri? Target, string ComponentsNamespace, Uri? ProxyUrl)
{
    /// <summary><c>system:serviceaccount:&lt;ns&gt;:&lt;sa&gt;</c>.</summary>
    public string UserName => $"system:serviceaccount:{Namespace}:{ServiceAccount}";

    /// <summary><c>ns/name</c> of the Connector.</summary>
    public string ConnectorKey => $"{Namespace}/{Connector}";
}
