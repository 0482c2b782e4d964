using System.Text.Json;
using Connectors.Modules.Model;

namespace Connectors.Modules.Kube;

/// <summary>Decoding of lists, watch lines and delete answers for any kind with source-generated metadata.</summary>
internal static class KubeJson
{
    /// <exception cref="JsonException">Not a list of <typeparamref name="T"/>.</exception>
    public static KubeList<T> DecodeList<T>(byte[] body)
        where T : class, IKubeObject
    {
        using var document = JsonDocument.Parse(body, ModelJson.DocumentOptions);
        var root = document.RootElement;
        var list = new KubeList<T>
        {
            ApiVersion = root.TryGetProperty("apiVersion", out var apiVersion) ? apiVersion.GetString() : null,
            Kind = root.TryGetProperty("kind", out var kind) ? kind.GetString() : null,
            Metadata = root.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
                ? meta.Deserialize(ModelJson.ReadTypeInfo<ListMeta>()) ?? new ListMeta()
                : new ListMeta(),
        };
        if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                list.Items.Add(item.Deserialize(ModelJson.ReadTypeInfo<T>()) ?? throw new JsonException("null item"));
            }
        }

        return list;
    }

    /// <summary>One watch line; an ERROR line becomes a <see cref="KubeException"/> with the Status's outcome.</summary>
    /// <exception cref="KubeException">The line is an ERROR event or not a watch event.</exception>
    public static WatchEvent<T> DecodeWatchEvent<T>(string line, string url)
        where T : class, IKubeObject
    {
        try
        {
            using var document = JsonDocument.Parse(line, ModelJson.DocumentOptions);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString() ?? string.Empty;
            var obj = root.GetProperty("object");
            if (type == "ERROR")
            {
                var status = obj.Deserialize(ModelJson.ReadTypeInfo<KubeStatus>());
                throw new KubeException(KubeResponse.OutcomeOf(status?.Code ?? 500), $"watch {url}: {status?.Message ?? "error event"}");
            }

            return new WatchEvent<T> { Type = type, Object = obj.Deserialize(ModelJson.ReadTypeInfo<T>()) };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new KubeException(KubeOutcome.Transient, $"watch {url}: malformed event: {e.Message}", e);
        }
    }

    public static KubeStatus DecodeDeleteStatus(byte[] body, KubeResource resource, string name)
    {
        if (body.Length > 0)
        {
            using var document = JsonDocument.Parse(body, ModelJson.DocumentOptions);
            if (document.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() == "Status")
            {
                return document.RootElement.Deserialize(ModelJson.ReadTypeInfo<KubeStatus>()) ?? new KubeStatus();
            }
        }

        return new KubeStatus
        {
            Status = "Success",
            Code = 200,
            Details = new KubeStatusDetails { Name = name, Group = resource.Group, Kind = resource.Plural },
        };
    }
}
