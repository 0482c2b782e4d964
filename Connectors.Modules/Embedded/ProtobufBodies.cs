using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Decodes the Kubernetes protobuf request bodies kubectl's typed clients send (the <c>k8s\0</c> envelope around
/// <c>runtime.Unknown</c>) for the kinds its imperative commands create: Namespace, Secret, ConfigMap,
/// ServiceAccount and the RBAC kinds (<c>kubectl create …</c>), SelfSubjectAccessReview (<c>auth can-i</c>), SelfSubjectReview (<c>auth whoami</c>)
/// and TokenRequest (<c>create token</c>). Field numbers are those of k8s.io/api generated.proto. Answers are JSON,
/// which those clients accept. Other kinds get 415.
/// </summary>
internal static class ProtobufBodies
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    private static readonly Message OwnerReference = new()
    {
        [1] = new("kind"),
        [3] = new("name"),
        [4] = new("uid"),
        [5] = new("apiVersion"),
        [6] = new("controller", Kind.Bool),
        [7] = new("blockOwnerDeletion", Kind.Bool),
    };

    private static readonly Message ObjectMeta = new()
    {
        [1] = new("name"),
        [2] = new("generateName"),
        [3] = new("namespace"),
        [6] = new("resourceVersion"),
        [11] = new("labels", Kind.StringMap),
        [12] = new("annotations", Kind.StringMap),
        [13] = new("ownerReferences", Kind.Message, OwnerReference, Repeated: true),
        [14] = new("finalizers", Repeated: true),
    };

    private static readonly Message ResourceAttributes = new()
    {
        [1] = new("namespace"),
        [2] = new("verb"),
        [3] = new("group"),
        [4] = new("version"),
        [5] = new("resource"),
        [6] = new("subresource"),
        [7] = new("name"),
    };

    private static readonly Message PolicyRules = new()
    {
        [1] = new("metadata", Kind.Message, ObjectMeta),
        [2] = new("rules", Kind.Message, new()
        {
            [1] = new("verbs", Repeated: true),
            [2] = new("apiGroups", Repeated: true),
            [3] = new("resources", Repeated: true),
            [4] = new("resourceNames", Repeated: true),
            [5] = new("nonResourceURLs", Repeated: true),
        }, Repeated: true),
    };

    private static readonly Message Binding = new()
    {
        [1] = new("metadata", Kind.Message, ObjectMeta),
        [2] = new("subjects", Kind.Message, new() { [1] = new("kind"), [2] = new("apiGroup"), [3] = new("name"), [4] = new("namespace") }, Repeated: true),
        [3] = new("roleRef", Kind.Message, new() { [1] = new("apiGroup"), [2] = new("kind"), [3] = new("name") }),
    };

    private static readonly Dictionary<string, Message> Kinds = new(StringComparer.Ordinal)
    {
        ["Role"] = PolicyRules,
        ["ClusterRole"] = PolicyRules,
        ["RoleBinding"] = Binding,
        ["ClusterRoleBinding"] = Binding,
        ["ServiceAccount"] = new() { [1] = new("metadata", Kind.Message, ObjectMeta), [4] = new("automountServiceAccountToken", Kind.Bool) },
        ["Namespace"] = new() { [1] = new("metadata", Kind.Message, ObjectMeta), [2] = new("spec", Kind.Message, new() { [1] = new("finalizers", Repeated: true) }) },
        ["Secret"] = new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta),
            [2] = new("data", Kind.BytesMap),
            [3] = new("type"),
            [4] = new("stringData", Kind.StringMap),
            [5] = new("immutable", Kind.Bool),
        },
        ["ConfigMap"] = new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta),
            [2] = new("data", Kind.StringMap),
            [3] = new("binaryData", Kind.BytesMap),
            [4] = new("immutable", Kind.Bool),
        },
        ["SelfSubjectAccessReview"] = new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta),
            [2] = new("spec", Kind.Message, new()
            {
                [1] = new("resourceAttributes", Kind.Message, ResourceAttributes),
                [2] = new("nonResourceAttributes", Kind.Message, new() { [1] = new("path"), [2] = new("verb") }),
            }),
        },
        ["SelfSubjectReview"] = new() { [1] = new("metadata", Kind.Message, ObjectMeta) },
        ["TokenRequest"] = new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta),
            [2] = new("spec", Kind.Message, new()
            {
                [1] = new("audiences", Repeated: true),
                [4] = new("expirationSeconds", Kind.Int64),
                [3] = new("boundObjectRef", Kind.Message, new() { [1] = new("kind"), [2] = new("apiVersion"), [3] = new("name"), [4] = new("uid") }),
            }),
        },
    };

    /// <summary>The object in a protobuf body, as JSON with apiVersion and kind from the envelope.</summary>
    /// <exception cref="ApiError">415 for kinds not decoded here, 400 for a malformed body.</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw ApiError.BadRequest("protobuf body without the k8s envelope");
        }

        try
        {
            var envelope = Read(body[Magic.Length..].ToArray(), new Message
            {
                [1] = new("typeMeta", Kind.Message, new() { [1] = new("apiVersion"), [2] = new("kind") }),
                [2] = new("raw", Kind.Raw),
            });
            var kind = (string?)envelope["typeMeta"]?["kind"] ?? "";
            if (!Kinds.TryGetValue(kind, out var message))
            {
                throw ApiError.UnsupportedMediaType($"{ContentType} for {kind}; send application/json");
            }

            var raw = envelope["raw"] is JsonValue v && v.TryGetValue<string>(out var base64) ? Convert.FromBase64String(base64) : [];
            var obj = Read(raw, message);
            var result = new JsonObject { ["apiVersion"] = envelope["typeMeta"]?["apiVersion"]?.DeepClone(), ["kind"] = kind };
            foreach (var (key, value) in obj.ToList())
            {
                obj.Remove(key);
                result[key] = value;
            }

            return result;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ApiError.BadRequest("malformed protobuf body: " + e.Message);
        }
    }

    private static JsonObject Read(byte[] bytes, Message message)
    {
        var result = new JsonObject();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!message.TryGetValue(WireFormat.GetTagFieldNumber(tag), out var field))
            {
                input.SkipLastField();
                continue;
            }

            JsonNode? value = field.Kind switch
            {
                Kind.String => input.ReadString(),
                Kind.Bool => input.ReadBool(),
                Kind.Int64 => input.ReadInt64(),
                Kind.Raw => Convert.ToBase64String(input.ReadBytes().ToByteArray()),
                Kind.Message => Read(input.ReadBytes().ToByteArray(), field.Fields!),
                _ => null,
            };
            if (field.Kind is Kind.StringMap or Kind.BytesMap)
            {
                var entry = Read(input.ReadBytes().ToByteArray(), field.Kind == Kind.StringMap ? StringEntry : BytesEntry);
                var map = result[field.Name] as JsonObject ?? [];
                result[field.Name] = map;
                map[(string?)entry["k"] ?? ""] = entry["v"]?.DeepClone() ?? "";
            }
            else if (field.Repeated)
            {
                var list = result[field.Name] as JsonArray ?? [];
                result[field.Name] = list;
                list.Add(value);
            }
            else if (field.Kind != Kind.String || ((string?)value)?.Length > 0)
            {
                // Go writes empty strings into protobuf but leaves them out of JSON (omitempty).
                result[field.Name] = value;
            }
        }

        return result;
    }

    private static readonly Message StringEntry = new() { [1] = new("k"), [2] = new("v") };

    private static readonly Message BytesEntry = new() { [1] = new("k"), [2] = new("v", Kind.Raw) };

    private enum Kind
    {
        String,
        Bool,
        Int64,
        Raw,
        Message,
        StringMap,
        BytesMap,
    }

    private sealed record Field(string Name, Kind Kind = Kind.String, Message? Fields = null, bool Repeated = false);

    private sealed class Message : Dictionary<int, Field>;
}
