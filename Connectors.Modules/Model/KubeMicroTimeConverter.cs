namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>MicroTime</c>: RFC 3339 in UTC with microseconds (<c>2006-01-02T15:04:05.000000Z</c>).</summary>
public sealed class KubeMicroTimeConverter() : Rfc3339TimeConverter("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
