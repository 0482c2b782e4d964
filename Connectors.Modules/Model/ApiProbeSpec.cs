namespace Connectors.Modules.Model;

/// <summary>A probe through the class API: <c>path</c> is appended to <c>status.api.address.url</c>.</summary>
public sealed class ApiProbeSpec
{
    public string? Path { get; set; }
}
