namespace Connectors.Modules.Embedded;

/// <summary>What one write asks, as admission sees it: operation (<c>CREATE</c>, <c>UPDATE</c>, <c>DELETE</c>), kind, object and caller.</summary>
internal sealed record AdmissionAttributes(string Operation, ResourceType Type, string? Namespace, string Name, string? Subresource, ApiUser User, bool DryRun);
