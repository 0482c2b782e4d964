using System.Text.RegularExpressions;

namespace Connectors.Modules.Templates;

/// <summary>
/// Go regular expressions (RE2 syntax and meaning, see <see cref="Re2Translator"/>) compiled for .NET with a 1 s match
/// timeout, cached by pattern. Used by sprig's regex functions and by CEL's <c>matches</c>, which cel-spec defines as
/// RE2 too; both run over input a tool or a user controls, so no match may backtrack for ever.
/// </summary>
internal static class GoRegexCompiler
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private static readonly BoundedCache<string, GoRegexp> Cache = new(512);

    /// <summary>The compiled pattern; throws <see cref="FormatException"/> with Go's message when Go refuses it.</summary>
    public static GoRegexp Compile(string pattern) => Cache.GetOrAdd(pattern, Build);

    private static GoRegexp Build(string pattern)
    {
        var translated = Re2Translator.Translate(pattern);
        try
        {
            return new GoRegexp(new Regex(translated.Pattern, RegexOptions.CultureInvariant, MatchTimeout), translated.GroupNames);
        }
        catch (ArgumentException e)
        {
            // The translation is valid .NET syntax by construction; this is a translator defect, reported as Go would.
            throw new FormatException($"error parsing regexp: {e.Message}: `{pattern}`", e);
        }
    }
}
