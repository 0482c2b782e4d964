using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectors.Modules.Csi.V1;
using Grpc.Core;

namespace Connectors.Modules.Csi;

/// <summary>
/// Checks a NodePublishVolume request as kubelet sends it for an inline volume and reads its attributes.
/// Every problem is an INVALID_ARGUMENT naming the attribute and what is wanted.
/// </summary>
internal static class VolumeRequestParser
{
    public static readonly TimeSpan DefaultExpiration = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan MinExpiration = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxExpiration = TimeSpan.FromHours(24);

    /// <summary>
    /// The most Connectors one volume may name: each costs a SubjectAccessReview on every publish (all at once, and a
    /// denial is not remembered while kubelet retries), and a pod spec could otherwise list every Connector of the cluster.
    /// </summary>
    public const int MaxConnectors = 64;

    public static VolumeRequest Parse(NodePublishVolumeRequest request, CsiOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = VolumePaths.Check(request.VolumeId, request.TargetPath, options);
        CheckCapability(request);
        var context = request.VolumeContext;
        var pod = ReadPod(context);
        var connectors = ReadConnectors(context, pod.Namespace, options.MultiConnector);
        var (configurations, exclusions) = ReadConfigurationNames(context);
        var parameters = ReadParams(context, configurations, options.MaxParamsBytes);
        var expiration = ReadExpiration(context);
        var tokens = context.TryGetValue(VolumeAttributes.ServiceAccountTokens, out var t) && !string.IsNullOrWhiteSpace(t) ? t : null;
        return new VolumeRequest(request.VolumeId, target, connectors, configurations, exclusions, parameters, expiration, pod, tokens);
    }

    private static void CheckCapability(NodePublishVolumeRequest request)
    {
        var capability = request.VolumeCapability ?? throw Invalid("volume_capability is required");
        if (capability.AccessTypeCase == VolumeCapability.AccessTypeOneofCase.Block)
        {
            throw Invalid("block volumes are not supported: connectors-csi serves mount volumes only");
        }

        if (capability.AccessMode is null || capability.AccessMode.Mode == VolumeCapability.Types.AccessMode.Types.Mode.Unknown)
        {
            throw Invalid("volume_capability.access_mode is required");
        }

        if (!request.Readonly)
        {
            throw Invalid("readonly must be true: mount the connectors-csi volume with readOnly: true");
        }
    }

    private static PodIdentity ReadPod(IDictionary<string, string> context)
    {
        var ns = Get(context, VolumeAttributes.PodNamespace)
            ?? throw Invalid($"{VolumeAttributes.PodNamespace} is required: the CSIDriver must set podInfoOnMount: true");
        var sa = Get(context, VolumeAttributes.ServiceAccountName)
            ?? throw Invalid($"{VolumeAttributes.ServiceAccountName} is required: the CSIDriver must set podInfoOnMount: true");
        if (!KubeNames.IsLabel(ns) || !KubeNames.IsSubdomain(sa))
        {
            throw Invalid($"invalid pod identity \"{ns}/{sa}\": want a namespace and a ServiceAccount name");
        }

        return new PodIdentity(ns, Get(context, VolumeAttributes.PodName), Get(context, VolumeAttributes.PodUid), sa);
    }

    private static List<ConnectorRef> ReadConnectors(IDictionary<string, string> context, string podNamespace, bool multiConnector)
    {
        var result = new List<ConnectorRef>();
        if (Get(context, VolumeAttributes.Connectors) is { } list)
        {
            foreach (var entry in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var slash = entry.IndexOf('/', StringComparison.Ordinal);
                var reference = slash < 0 ? new ConnectorRef(podNamespace, entry) : new ConnectorRef(entry[..slash], entry[(slash + 1)..]);
                if (!KubeNames.IsLabel(reference.Namespace) || !KubeNames.IsSubdomain(reference.Name))
                {
                    throw Invalid($"invalid connector \"{entry}\" in {VolumeAttributes.Connectors}: want name or namespace/name");
                }

                if (!result.Contains(reference))
                {
                    result.Add(reference);
                }

                // Checked as the list is read: the duplicate check is quadratic, and an attribute may hold a megabyte of names.
                if (result.Count > MaxConnectors)
                {
                    throw Invalid($"{VolumeAttributes.Connectors} names more than {MaxConnectors} connectors, the limit per volume");
                }
            }
        }
        else if (Get(context, VolumeAttributes.ConnectorName) is { } name)
        {
            var ns = Get(context, VolumeAttributes.ConnectorNamespace) ?? podNamespace;
            if (!KubeNames.IsLabel(ns) || !KubeNames.IsSubdomain(name))
            {
                throw Invalid($"invalid connector \"{ns}/{name}\" in {VolumeAttributes.ConnectorName}/{VolumeAttributes.ConnectorNamespace}");
            }

            result.Add(new ConnectorRef(ns, name));
        }

        if (result.Count == 0)
        {
            throw Invalid("connectors or connector.name is required");
        }

        if (result.Count > 1 && !multiConnector)
        {
            throw Invalid("several connectors in one volume are disabled on this driver (enable-multi-connector)");
        }

        return result;
    }

    private static (List<string> Names, HashSet<string> Exclusions) ReadConfigurationNames(IDictionary<string, string> context)
    {
        var names = new List<string>();
        var exclusions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in (Get(context, VolumeAttributes.ConfigurationNames) ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.StartsWith('!'))
            {
                var file = entry[1..];
                if (!FileNames.IsValid(file))
                {
                    throw Invalid($"invalid exclusion \"{entry}\" in {VolumeAttributes.ConfigurationNames}: {FileNames.Rule}");
                }

                exclusions.Add(file);
            }
            else if (!names.Contains(entry))
            {
                names.Add(entry);
            }
        }

        return (names, exclusions);
    }

    private static JsonObject ReadParams(IDictionary<string, string> context, List<string> configurations, int maxBytes)
    {
        if (Get(context, VolumeAttributes.ConfigurationParams) is not { } text)
        {
            return [];
        }

        var size = Encoding.UTF8.GetByteCount(text);
        if (size > maxBytes)
        {
            throw Invalid($"{VolumeAttributes.ConfigurationParams} has {size} bytes, more than the limit of {maxBytes}");
        }

        const string Want = "want a JSON object keyed by configuration name, for example {\"settings\":{\"mirrorRepository\":\"maven-public\"}}";
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw Invalid($"{VolumeAttributes.ConfigurationParams} is not valid JSON ({e.Message}): {Want}");
        }

        if (node is not JsonObject parameters || parameters.Any(p => p.Value is not JsonObject))
        {
            throw Invalid($"{VolumeAttributes.ConfigurationParams}: {Want}");
        }

        if (parameters.Select(p => p.Key).FirstOrDefault(k => !configurations.Contains(k)) is { } unknown)
        {
            throw Invalid($"{VolumeAttributes.ConfigurationParams} names configuration \"{unknown}\", which is not in {VolumeAttributes.ConfigurationNames}");
        }

        return parameters;
    }

    private static TimeSpan ReadExpiration(IDictionary<string, string> context)
    {
        if (Get(context, VolumeAttributes.TokenExpiration) is not { } text)
        {
            return DefaultExpiration;
        }

        if (!Templates.GoDuration.TryParse(text, out var expiration))
        {
            throw Invalid($"invalid {VolumeAttributes.TokenExpiration} \"{text}\": want a Go duration such as 30m or 1h");
        }

        if (expiration < MinExpiration || expiration > MaxExpiration)
        {
            throw Invalid($"{VolumeAttributes.TokenExpiration} \"{text}\" is out of range: want from 10m to 24h");
        }

        return expiration;
    }

    private static string? Get(IDictionary<string, string> context, string key) =>
        context.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static RpcException Invalid(string message) => new RpcException(new Status(StatusCode.InvalidArgument, message));
}
