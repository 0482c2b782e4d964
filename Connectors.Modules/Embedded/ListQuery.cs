using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Connectors.Modules.Embedded;

/// <summary>The list and watch parameters of a request: selectors, paging, resourceVersion and watch options.</summary>
internal sealed record ListQuery(LabelSelector Labels, FieldSelector Fields)
{
    public int? Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }

    public string? ResourceVersionMatch { get; init; }

    public bool AllowBookmarks { get; init; }

    public bool SendInitialEvents { get; init; }

    public TimeSpan? Timeout { get; init; }

    public bool Matches(JsonObject obj) => Labels.Matches(obj) && Fields.Matches(obj);

    /// <summary>Parses the query string of <paramref name="query"/> for <paramref name="type"/>.</summary>
    /// <exception cref="ApiError">400 for a bad selector or number.</exception>
    public static ListQuery Parse(IQueryCollection query, ResourceType type)
    {
        return new ListQuery(LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], type))
        {
            Limit = Number(query["limit"], "limit") is { } limit && limit > 0 ? (int)Math.Min(limit, int.MaxValue) : null,
            Continue = NullIfEmpty(query["continue"]),
            ResourceVersion = NullIfEmpty(query["resourceVersion"]),
            ResourceVersionMatch = NullIfEmpty(query["resourceVersionMatch"]),
            AllowBookmarks = query["allowWatchBookmarks"] == "true",
            SendInitialEvents = query["sendInitialEvents"] == "true",
            Timeout = Number(query["timeoutSeconds"], "timeoutSeconds") is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null,
        };
    }

    /// <summary>The resourceVersion as a number (null for unset or "0": "any"/"most recent").</summary>
    public long? Revision() => ResourceVersion is null or "0" ? null
        : long.TryParse(ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv
        : throw ApiError.BadRequest($"invalid resource version \"{ResourceVersion}\"");

    public static string EncodeContinue(long revision, string? ns, string name) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["rv"] = revision, ["ns"] = ns ?? "", ["name"] = name }.ToJsonString()));

    public static (long Revision, string Namespace, string Name) DecodeContinue(string token)
    {
        try
        {
            var node = JsonNode.Parse(Base64Url.DecodeFromChars(token))!;
            return ((long)node["rv"]!, (string)node["ns"]!, (string)node["name"]!);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            throw ApiError.BadRequest("continue key is not valid");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static long? Number(string? value, string name) =>
        string.IsNullOrEmpty(value) ? null
        : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
        : throw ApiError.BadRequest($"invalid {name} \"{value}\"");
}
