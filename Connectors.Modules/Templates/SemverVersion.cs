using System.Globalization;
using System.Text.RegularExpressions;

namespace Connectors.Modules.Templates;

/// <summary>Masterminds/semver v3's *Version: lenient parsing ("v1.2" is 1.2.0), methods for templates, ordering.</summary>
internal sealed partial class SemverVersion : IGoStringer, IGoMethods, IComparable<SemverVersion>
{
    private SemverVersion(ulong major, ulong minor, ulong patch, string pre, string metadata, string original, bool pointer = true)
    {
        (Major, Minor, Patch, Prerelease, Metadata, Original, IsPointer) = (major, minor, patch, pre, metadata, original, pointer);
    }

    /// <summary>False for the <c>semver.Version</c> values IncMajor and SetPrerelease return: Go calls only the
    /// value-receiver methods on them (not Original, LessThan, Compare ...).</summary>
    public bool IsPointer { get; }

    public ulong Major { get; }

    public ulong Minor { get; }

    public ulong Patch { get; }

    public string Prerelease { get; }

    public string Metadata { get; }

    public string Original { get; }

    public string GoTypeName => IsPointer ? "*semver.Version" : "semver.Version";

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

    public bool HasMethod(string name) => name is "Major" or "Minor" or "Patch" or "Prerelease" or "Metadata" or "String" or "IncMajor"
        or "IncMinor" or "IncPatch" or "SetPrerelease" or "SetMetadata" or "MarshalJSON" or "MarshalText" or "Value"
        || (IsPointer && name is "Original" or "LessThan" or "GreaterThan" or "Equal" or "Compare");

    public object? CallMethod(string name, object?[] args)
    {
        GoMethodArgs.Expect(name, args, name is "LessThan" or "GreaterThan" or "Equal" or "Compare" or "SetPrerelease" or "SetMetadata" ? 1 : 0);
        return name switch
        {
            "Major" => new GoUint64(Major),
            "Minor" => new GoUint64(Minor),
            "Patch" => new GoUint64(Patch),
            "Prerelease" => Prerelease,
            "Metadata" => Metadata,
            "Original" => Original,
            "IncMajor" => Next(Major + 1, 0, 0, string.Empty, string.Empty),
            "IncMinor" => Next(Major, Minor + 1, 0, string.Empty, string.Empty),
            "IncPatch" => Prerelease.Length > 0 ? Next(Major, Minor, Patch, string.Empty, string.Empty) : Next(Major, Minor, Patch + 1, string.Empty, string.Empty),
            "SetPrerelease" => Next(Major, Minor, Patch, Validated(GoMethodArgs.Arg<string>(args, 0, "string"), prerelease: true), Metadata),
            "SetMetadata" => Next(Major, Minor, Patch, Prerelease, Validated(GoMethodArgs.Arg<string>(args, 0, "string"), prerelease: false)),
            "LessThan" => CompareTo(Other(args)) < 0,
            "GreaterThan" => CompareTo(Other(args)) > 0,
            "Equal" => CompareTo(Other(args)) == 0,
            "Compare" => (long)Math.Sign(CompareTo(Other(args))),
            "MarshalJSON" => Bytes("\"" + GoString() + "\""),
            "MarshalText" => Bytes(GoString()),
            _ => GoString(),
        };
    }

    private static SemverVersion Other(object?[] args) =>
        args[0] is SemverVersion { IsPointer: true } other
            ? other
            : throw new FunctionCallException($"wrong type for value; expected *semver.Version; got {GoTypes.TypeName(args[0])}");

    private static GoList Bytes(string s) => new([.. System.Text.Encoding.UTF8.GetBytes(s).Select(b => (object?)b)], "uint8");

    /// <summary>A semver.Version value (not a pointer) whose Original keeps a leading "v" of this one.</summary>
    private SemverVersion Next(ulong major, ulong minor, ulong patch, string pre, string metadata)
    {
        var next = new SemverVersion(major, minor, patch, pre, metadata, string.Empty, pointer: false);
        return new SemverVersion(major, minor, patch, pre, metadata, (Original.StartsWith('v') ? "v" : string.Empty) + next.GoString(), pointer: false);
    }

    /// <summary>semver's validatePrerelease / validateMetadata.</summary>
    private static string Validated(string value, bool prerelease)
    {
        foreach (var part in value.Split('.'))
        {
            var numeric = part.All(char.IsAsciiDigit);
            if (prerelease && numeric && part.Length > 1 && part[0] == '0')
            {
                throw new FunctionCallException("Version segment starts with 0");
            }

            if (!part.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                throw new FunctionCallException(prerelease ? "Invalid Prerelease string" : "Invalid Metadata string");
            }
        }

        return value;
    }

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
