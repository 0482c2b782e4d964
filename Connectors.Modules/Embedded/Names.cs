using System.Text.RegularExpressions;

namespace Connectors.Modules.Embedded;

/// <summary>The apiserver's name and label checks (k8s.io/apimachinery validation), with its wording.</summary>
internal static partial class Names
{
    /// <summary>Why <paramref name="name"/> is not a valid name for <paramref name="type"/>; null when it is.</summary>
    public static string? Problem(ResourceType type, string name)
    {
        if (type.Group == ResourceRegistry.Rbac)
        {
            return name is "." or ".." ? $"may not be '{name}'" : name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal) ? "may not contain '/' or '%'" : null;
        }

        if (type == ResourceRegistry.Namespaces)
        {
            return Label(name);
        }

        if (type == ResourceRegistry.Services)
        {
            return name.Length > 63 ? "must be no more than 63 characters"
                : Dns1035().IsMatch(name) ? null
                : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
        }

        return name.Length > 253 ? "must be no more than 253 characters"
            : Subdomain().IsMatch(name) ? null
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }

    /// <summary>Why a label is invalid; null when it is valid.</summary>
    public static string? LabelProblem(string key, string value)
    {
        var slash = key.LastIndexOf('/');
        var prefix = slash < 0 ? null : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (prefix is not null && (prefix.Length == 0 || prefix.Length > 253 || !Subdomain().IsMatch(prefix)))
        {
            return $"Invalid value: \"{key}\": prefix part must be a lowercase RFC 1123 subdomain";
        }

        if (name.Length is 0 or > 63 || !Qualified().IsMatch(name))
        {
            return $"Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
        }

        if (value.Length > 63 || (value.Length > 0 && !Qualified().IsMatch(value)))
        {
            return $"Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
        }

        return null;
    }

    private static string? Label(string name) =>
        name.Length > 63 ? "must be no more than 63 characters"
        : Dns1123Label().IsMatch(name) ? null
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex Qualified();
}
