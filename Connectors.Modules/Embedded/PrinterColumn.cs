using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// A Table column (kubectl get): a CRD-style <c>jsonPath</c> (evaluated by <see cref="SimpleJsonPath"/>) or a
/// computed cell for the built-in kinds whose real printers compute (Secret DATA = number of keys).
/// </summary>
internal sealed record PrinterColumn(string Name, string Type, string? JsonPath, Func<JsonObject, JsonNode?>? Compute = null)
{
    public string Format { get; init; } = "";

    public int Priority { get; init; }

    public string Description { get; init; } = "";

    public JsonNode? Cell(JsonObject obj) => Compute is not null ? Compute(obj) : SimpleJsonPath.Evaluate(obj, JsonPath ?? "");
}
