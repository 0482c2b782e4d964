using System.Text.RegularExpressions;

namespace Connectors.Modules.Templates;

// Sprig's semver and semverCompare over Masterminds/semver v3 constraint rules: comparison operators, ~, ^,
// x-ranges, hyphen ranges, "," or space for AND and "||" for OR; prerelease versions only satisfy constraints
// that name a prerelease.
internal static partial class SprigFunctions
{
    private static void RegisterSemver(FunctionTable t)
    {
        Add(t, "semver", [S], null, a => SemverVersion.Parse(Str(a[0])));
        Add(t, "semverCompare", [S, S], null, a => SemverCompare(Str(a[0]), Str(a[1])));
    }

    [GeneratedRegex(@"^\s*(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*v?([0-9xX*]+(?:\.[0-9xX*]+)?(?:\.[0-9xX*]+)?(?:-[0-9A-Za-z\-\.]+)?(?:\+[0-9A-Za-z\-\.]+)?)\s*$")]
    private static partial Regex ConstraintPattern();

    private static bool SemverCompare(string constraint, string version)
    {
        List<List<Func<SemverVersion, bool>>> groups;
        try
        {
            groups = constraint.Split("||").Select(g => ParseAnd(g.Trim())).ToList();
        }
        catch (FunctionCallException)
        {
            throw new FunctionCallException($"improper constraint: {constraint}");
        }

        var v = SemverVersion.Parse(version);
        return groups.Any(and => and.All(check => check(v)));
    }

    private static List<Func<SemverVersion, bool>> ParseAnd(string group)
    {
        var hyphen = System.Text.RegularExpressions.Regex.Match(group, @"^\s*(\S+)\s+-\s+(\S+)\s*$", RegexOptions.None, TimeSpan.FromSeconds(1));
        if (hyphen.Success)
        {
            return [.. ParseAnd(">= " + hyphen.Groups[1].Value), .. ParseAnd("<= " + hyphen.Groups[2].Value)];
        }

        var normalized = System.Text.RegularExpressions.Regex.Replace(group, @"(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)\s+", "$1", RegexOptions.None, TimeSpan.FromSeconds(1));
        var parts = normalized.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new FunctionCallException($"improper constraint: {group}");
        }

        return [.. parts.Select(ParseOne)];
    }

    private static Func<SemverVersion, bool> ParseOne(string c)
    {
        var m = ConstraintPattern().Match(c);
        if (!m.Success)
        {
            throw new FunctionCallException($"improper constraint: {c}");
        }

        var op = m.Groups[1].Value;
        var text = m.Groups[2].Value;
        var core = text.Split(['-', '+'])[0].Split('.');
        var wildIndex = Array.FindIndex(core, p => p is "x" or "X" or "*");
        var dirty = wildIndex >= 0 || core.Length < 3;
        var concrete = string.Join('.', core.Select(p => p is "x" or "X" or "*" ? "0" : p)) + text[text.Split(['-', '+'])[0].Length..];
        var cv = SemverVersion.Parse(concrete);
        var hasPre = cv.Prerelease.Length > 0;
        var parts = wildIndex >= 0 ? wildIndex : core.Length;
        bool PreOk(SemverVersion v) => v.Prerelease.Length == 0 || hasPre;
        SemverVersion Next(int level) => level switch
        {
            0 => SemverVersion.Parse($"{cv.Major + 1}.0.0"),
            1 => SemverVersion.Parse($"{cv.Major}.{cv.Minor + 1}.0"),
            _ => SemverVersion.Parse($"{cv.Major}.{cv.Minor}.{cv.Patch + 1}"),
        };
        switch (op)
        {
            case "" or "=":
                if (parts == 0)
                {
                    return PreOk;
                }

                return dirty ? v => PreOk(v) && v.CompareTo(cv) >= 0 && v.CompareTo(Next(parts - 1)) < 0 : v => v.CompareTo(cv) == 0;
            case "!=":
                return dirty ? v => PreOk(v) && (v.CompareTo(cv) < 0 || v.CompareTo(Next(parts - 1)) >= 0) : v => PreOk(v) && v.CompareTo(cv) != 0;
            case ">":
                return dirty ? v => PreOk(v) && v.CompareTo(Next(Math.Max(parts - 1, 0))) >= 0 : v => PreOk(v) && v.CompareTo(cv) > 0;
            case ">=" or "=>":
                return v => PreOk(v) && v.CompareTo(cv) >= 0;
            case "<":
                return v => PreOk(v) && v.CompareTo(cv) < 0;
            case "<=" or "=<":
                return dirty ? v => PreOk(v) && v.CompareTo(Next(Math.Max(parts - 1, 0))) < 0 : v => PreOk(v) && v.CompareTo(cv) <= 0;
            case "~" or "~>":
                return v => PreOk(v) && v.CompareTo(cv) >= 0 && v.CompareTo(Next(parts <= 1 ? 0 : 1)) < 0;
            default:
                var level = cv.Major > 0 || parts == 1 ? 0 : cv.Minor > 0 || parts == 2 ? 1 : 2;
                return v => PreOk(v) && v.CompareTo(cv) >= 0 && v.CompareTo(Next(level)) < 0;
        }
    }
}
