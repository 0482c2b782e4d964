using System.Globalization;

namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>Time</c>: RFC 3339 in UTC with second precision (<c>2006-01-02T15:04:05Z</c>).</summary>
public sealed class KubeTimeConverter() : Rfc3339TimeConverter(Layout)
{
    private const string Layout = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The text of a Kubernetes <c>Time</c> (annotations, untyped JSON objects).</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Layout, CultureInfo.InvariantCulture);
}
