using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary>Source-generated JSON metadata for every kind Connectors reads or writes.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(Connector))]
[JsonSerializable(typeof(ConnectorClass))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(ServiceAccount))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(Role))]
[JsonSerializable(typeof(ClusterRole))]
[JsonSerializable(typeof(RoleBinding))]
[JsonSerializable(typeof(ClusterRoleBinding))]
[JsonSerializable(typeof(TokenReview))]
[JsonSerializable(typeof(SubjectAccessReview))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(KubeStatus))]
[JsonSerializable(typeof(KubeList<Connector>))]
[JsonSerializable(typeof(KubeList<ConnectorClass>))]
[JsonSerializable(typeof(KubeList<Secret>))]
[JsonSerializable(typeof(KubeList<ConfigMap>))]
[JsonSerializable(typeof(KubeList<Namespace>))]
[JsonSerializable(typeof(KubeList<ServiceAccount>))]
[JsonSerializable(typeof(KubeList<Service>))]
[JsonSerializable(typeof(KubeList<Event>))]
[JsonSerializable(typeof(KubeList<Lease>))]
[JsonSerializable(typeof(KubeList<Pod>))]
[JsonSerializable(typeof(KubeList<Role>))]
[JsonSerializable(typeof(KubeList<ClusterRole>))]
[JsonSerializable(typeof(KubeList<RoleBinding>))]
[JsonSerializable(typeof(KubeList<ClusterRoleBinding>))]
[JsonSerializable(typeof(WatchEvent<Connector>))]
[JsonSerializable(typeof(WatchEvent<ConnectorClass>))]
[JsonSerializable(typeof(WatchEvent<Secret>))]
[JsonSerializable(typeof(WatchEvent<ConfigMap>))]
[JsonSerializable(typeof(WatchEvent<Service>))]
[JsonSerializable(typeof(WatchEvent<Lease>))]
[JsonSerializable(typeof(WatchEvent<Pod>))]
[JsonSerializable(typeof(WatchEvent<Namespace>))]
[JsonSerializable(typeof(WatchEvent<JsonObject>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
