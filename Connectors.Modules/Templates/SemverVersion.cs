using System.Globalization;
using System.Text.RegularExpressions;

namespace Connectors.Modules.Templates;

/// <summary>Masterminds/semver v3's *Version: lenient parsing ("v1.2" is 1.2.0), methods for templates, ordering.</summary>
internal sealed partial class SemverVersion : IGoStringer, IGoMethods, IComparable<SemverVersion>
{
    private SemverVersion(ulong major, ulong minor, ulong patch, string pre, string metadata, string original)
    {
        (Major, Minor, Patch, Prerelease, Metadata, Original) = (major, minor, patch, pre, metadata, original);
    }

    public ulong Major { get; }

    public ulong Minor { get; }

    public ulong Patch { get; }

    public string Prerelease { get; }

    public string Metadata { get; }

    public string Original { get; }

    public string GoTypeName => "*semver.Version";

    [GeneratedRegex(@"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$")]
    private static partial Regex VersionPattern();

    public static SemverVersion Parse(string v)
    {
        var m = VersionPattern().Match(v);
        if (!m.Success)
        {
            throw new FunctionCallException("Invalid Semantic Version");
        }

        static ulong Part(Group g) => g.Success ? ulong.Parse(g.Value.TrimStart('.'), CultureInfo.InvariantCulture) : 0;
        var pre = m.Groups[5].Value;
        foreach (var id in pre.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (id.Length > 1 && id[0] == '0' && id.All(char.IsAsciiDigit))
            {
                throw new FunctionCallException("Version segment starts with 0");
            }
        }

        return new SemverVersion(Part(m.Groups[1]), Part(m.Groups[2]), Part(m.Groups[3]), pre, m.Groups[8].Value, v);
    }

    public string GoString()
    {
        var s = $"{Major}.{Minor}.{Patch}";
        if (Prerelease.Length > 0)
        {
            s += "-" + Prerelease;
        }

        return Metadata.Length > 0 ? s + "+" + Metadata : s;
    }

    public bool HasMethod(string name) => name is "Major" or "Minor" or "Patch" or "Prerelease" or "Metadata" or "Original" or "String";

    public object? CallMethod(string name, object?[] args) => name switch
    {
        "Major" => new GoUint64(Major),
        "Minor" => new GoUint64(Minor),
        "Patch" => new GoUint64(Patch),
        "Prerelease" => Prerelease,
        "Metadata" => Metadata,
        "Original" => Original,
        _ => GoString(),
    };

    public int CompareTo(SemverVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (c != 0)
        {
            return c;
        }

        if (Prerelease.Length == 0 || other.Prerelease.Length == 0)
        {
            return other.Prerelease.Length.CompareTo(Prerelease.Length) == 0 ? 0 : Prerelease.Length == 0 ? 1 : -1;
        }

        var a = Prerelease.Split('.');
        var b = other.Prerelease.Split('.');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length)
            {
                return -1;
            }

            if (i >= b.Length)
            {
                return 1;
            }

            var an = ulong.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var ai);
            var bn = ulong.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var bi);
            var r = (an, bn) switch
            {
                (true, true) => ai.CompareTo(bi),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (r != 0)
            {
                return Math.Sign(r);
            }
        }

        return 0;
    }
}
