using System.Globalization;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// <c>meta.k8s.io/v1 Table</c> answers for <c>kubectl get</c>: a Name column, the kind's printer columns,
/// cells computed like the apiserver's CRD table converter (first JSONPath match; <c>date</c> cells rendered as
/// a human age, e.g. <c>5m</c>), and each row's object as PartialObjectMetadata, the full object, or none.
/// </summary>
internal static class TableConverter
{
    /// <summary>A Table of <paramref name="objects"/>; a watch sends the column definitions only with its first event.</summary>
    public static JsonObject Convert(ResourceType type, IEnumerable<JsonObject> objects, JsonObject listMetadata, string includeObject, DateTimeOffset now, bool withColumns = true)
    {
        var columns = new List<PrinterColumn> { new("Name", "string", ".metadata.name") { Format = "name", Description = "Name must be unique within a namespace." } };
        columns.AddRange(type.Columns.Count > 0 ? type.Columns : [new PrinterColumn("Age", "date", ".metadata.creationTimestamp")]);
        var definitions = new JsonArray();
        foreach (var column in withColumns ? columns : [])
        {
            definitions.Add((JsonNode)new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            JsonNode row = new JsonObject { ["cells"] = new JsonArray([.. columns.Select(c => Cell(c, obj, now))]) };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = obj.DeepClone();
                    break;
                default:
                    row["object"] = PartialMetadata(obj);
                    break;
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = listMetadata,
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    public static JsonObject PartialMetadata(JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    private static JsonNode? Cell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        var value = column.Cell(obj);
        if (value is null)
        {
            return null;
        }

        return column.Type switch
        {
            "date" => value is JsonValue v && v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? HumanDuration(now - t)
                : "<invalid>",
            "string" => value is JsonValue s && s.TryGetValue<string>(out var str) ? str : value.ToJsonString(),
            _ => value.DeepClone(),
        };
    }

    /// <summary>k8s.io/apimachinery/pkg/util/duration.HumanDuration.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)Math.Floor(d.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return $"{seconds}s";
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        }

        if (minutes < 180)
        {
            return $"{minutes}m";
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{days}d";
        }

        return $"{hours / 24 / 365}y";
    }
}
