using Connectors.Modules.Model;
using Grpc.Core;
namespace Connectors.Modules.Csi;

/// <summary>Finds the volume's Connectors and their ConnectorClasses in the watch caches.</summary>
internal static class ConnectorResolver
{
    public static List<MountedConnector> Resolve(ICsiKube kube, IReadOnlyList<ConnectorRef> refs)
    {
        var result = new List<MountedConnector>(refs.Count);
        foreach (var reference in refs)
        {
            // The message is the original driver's, which users search for (troubleshooting catalogue).
            var connector = kube.GetConnector(reference.Namespace, reference.Name)
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"connector \"{reference.Name}\" not found"));
            var className = connector.Spec.ConnectorClassName;
            if (string.IsNullOrEmpty(className))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"connector \"{reference}\" has no spec.connectorClassName"));
            }

            var connectorClass = kube.GetConnectorClass(className)
                ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"connectorclass \"{className}\" of connector \"{reference}\" not found"));
            // Templates see the Connector as its class completes it (class defaults for omitted values).
            connector = EffectiveSpec.Of(connector, connectorClass);
            var proxy = connector.Status?.Proxy?.HttpAddress?.Url;
            if (string.IsNullOrEmpty(proxy) && connectorClass.Spec.Proxy is null)
            {
                // A class without a proxy (seed 003's custom class): the files are mounted without proxy addresses.
                result.Add(new MountedConnector(reference, connector, connectorClass, string.Empty));
                continue;
            }

            if (string.IsNullOrEmpty(proxy) || !Uri.TryCreate(proxy, UriKind.Absolute, out _))
            {
                // Retryable: the controller writes the address once the connector's Service exists.
                throw new RpcException(new Status(StatusCode.Unavailable, $"connector \"{reference}\" has no proxy address yet (status.proxy.httpAddress.url): it is not ready"));
            }

            result.Add(new MountedConnector(reference, connector, connectorClass, proxy));
        }

        return result;
    }
}
