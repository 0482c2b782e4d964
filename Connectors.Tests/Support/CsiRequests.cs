using Connectors.Modules.Csi.V1;
using Connectors.Modules.Model;

namespace Connectors.Tests.Support;

/// <summary>Requests and objects shaped as kubelet and users write them.</summary>
internal static class CsiRequests
{
    public const string PodNamespace = "team";
    public const string ServiceAccount = "builder";
    public const string User = "system:serviceaccount:team:builder";

    /// <summary>NodePublishVolume as kubelet sends it for an inline volume with podInfoOnMount.</summary>
    public static NodePublishVolumeRequest Publish(string target, params (string Key, string Value)[] attributes)
    {
        var request = new NodePublishVolumeRequest
        {
            VolumeId = "csi-" + Path.GetFileName(Path.GetDirectoryName(target)),
            TargetPath = target,
            Readonly = true,
            VolumeCapability = new VolumeCapability
            {
                Mount = new VolumeCapability.Types.MountVolume(),
                AccessMode = new VolumeCapability.Types.AccessMode { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter },
            },
        };
        request.VolumeContext.Add("csi.storage.k8s.io/ephemeral", "true");
        request.VolumeContext.Add("csi.storage.k8s.io/pod.name", "pod-1");
        request.VolumeContext.Add("csi.storage.k8s.io/pod.namespace", PodNamespace);
        request.VolumeContext.Add("csi.storage.k8s.io/pod.uid", "0b6c1f44-5a5e-4c52-9d7c-3d1a6c7e0001");
        request.VolumeContext.Add("csi.storage.k8s.io/serviceAccount.name", ServiceAccount);
        foreach (var (key, value) in attributes)
        {
            request.VolumeContext[key] = value;
        }

        return request;
    }

    public static Connector Connector(string name, string className, string? proxy = null, string ns = PodNamespace) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ConnectorSpec { Address = $"https://{name}.example.com", ConnectorClassName = className },
        Status = new ConnectorStatus { Proxy = new ProxyStatus { HttpAddress = new Addressable { Url = proxy ?? $"http://c-{name}.{ns}.svc.cluster.local" } } },
    };

    public static ConnectorClass Class(string name, params ConfigurationSpec[] configurations) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new ConnectorClassSpec { Configurations = [.. configurations] },
    };

    public static ConfigurationSpec Configuration(string name, params (string File, string Template)[] files) => new()
    {
        Name = name,
        Data = files.ToDictionary(f => f.File, f => f.Template),
    };

    public static Secret ProxyCa(string pem) => new()
    {
        Metadata = new ObjectMeta { Name = WellKnown.ProxyCaSecretName, Namespace = "connectors-system" },
        Data = new Dictionary<string, byte[]> { ["tls.crt"] = System.Text.Encoding.UTF8.GetBytes(pem) },
    };
}
