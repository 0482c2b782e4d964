using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>The parts of <c>DeleteOptions</c> the embedded API honours (body or query).</summary>
internal sealed record DeleteOptions(bool DryRun, bool Orphan, string? PreconditionUid, string? PreconditionResourceVersion)
{
    public static DeleteOptions From(JsonObject? body, bool dryRunQuery, string? propagationQuery)
    {
        var propagation = (string?)body?["propagationPolicy"] ?? propagationQuery;
        if (propagation is not (null or "" or "Orphan" or "Background" or "Foreground"))
        {
            throw ApiError.BadRequest($"DeleteOptions.propagationPolicy: Unsupported value: \"{propagation}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        var dryRun = dryRunQuery || (body?["dryRun"] is JsonArray a && a.Any(v => (string?)v == "All"));
        var orphan = propagation == "Orphan" || (propagation is null or "" && body?["orphanDependents"]?.GetValue<bool>() == true);
        return new DeleteOptions(dryRun, orphan, (string?)body?["preconditions"]?["uid"], (string?)body?["preconditions"]?["resourceVersion"]);
    }
}
