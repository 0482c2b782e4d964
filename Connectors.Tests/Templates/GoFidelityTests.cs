using Connectors.Modules.Templates;

namespace Connectors.Tests.Templates;

/// <summary>
/// The Go-fidelity areas (regexp, Unicode case mapping, nil slices, methods on sprig results). Each expected value here
/// was produced by Go 1.19 + sprig 3.2.3 (e2e/oracle/gotmpl); the conformance suite checks the whole corpus against Go.
/// </summary>
[TestFixture]
public sealed class GoFidelityTests
{
    private static string Render(string text, string json = "{}")
    {
        var result = TemplateEngine.Shared.Render("t", text, TemplateValue.ParseJson(json), RenderOptions.Default, CancellationToken.None);
        return result.Output ?? "error: " + result.Error;
    }

    [TestCase("{{ regexMatch \"a$\" \"a\\n\" }}", "false")]
    [TestCase("{{ regexReplaceAll \"$\" \"x\\n\" \"Y\" }}", "x\nY")]
    [TestCase("{{ regexReplaceAll \"(?m)$\" \"x\\n\" \"Y\" }}", "xY\nY")]
    [TestCase("{{ regexFindAll \"\\\\w+\" \"héllo_1 ٣\" -1 }}", "[h llo_1]")]
    [TestCase("{{ regexFindAll \"\\\\d\" \"1٣２\" -1 }}", "[1]")]
    [TestCase("{{ regexFindAll \"\\\\s\" \"a\\u00a0b c\" -1 | len }}", "1")]
    [TestCase("{{ regexReplaceAll \"\\\\b\" \"é a\" \"|\" }}", "é |a|")]
    [TestCase("{{ regexFindAll \"[[:alpha:]]+\" \"héllo\" -1 }}", "[h llo]")]
    [TestCase("{{ regexFindAll \"\\\\pL+\" \"héllo wörld\" -1 }}", "[héllo wörld]")]
    [TestCase("{{ regexMatch \"\\\\p{Greek}\" \"Ω\" }}", "true")]
    [TestCase("{{ regexReplaceAll \"(?i)ss\" \"ß ss SS ſs\" \"x\" }}", "ß x x x")]
    [TestCase("{{ regexFind \"(?U)a+\" \"aaa\" }}", "a")]
    [TestCase("{{ regexMatch \"\\\\Qa.b\\\\E\" \"a.b\" }}", "true")]
    [TestCase("{{ regexFindAll \"\\\\Q.*\\\\E?\" \"xx.\" -1 }}", "[.]")]
    [TestCase("{{ regexFindAll \"\\\\x{e9}\" \"é\" -1 }}", "[é]")]
    [TestCase("{{ regexFindAll \".\" \"😀a\" -1 }}", "[😀 a]")]
    [TestCase("{{ regexReplaceAll \"x*\" \"😀\" \"-\" }}", "-😀-")]
    [TestCase("{{ regexReplaceAll \"(?P<n>a)(b)\" \"ab\" \"$2$n\" }}", "ba")]
    [TestCase("{{ regexFind \"l??\\\\B+?i\" \"li\" }}", "li")]
    public void Render_RegexWithRe2Semantics_MatchesGo(string template, string expected) =>
        Assert.That(Render(template), Is.EqualTo(expected));

    [TestCase("(?=a)")]
    [TestCase("(?<n>a)")]
    [TestCase("\\Z")]
    [TestCase("\\1")]
    [TestCase("a**")]
    [TestCase("a{1001}")]
    [TestCase("[b-a]")]
    [TestCase("\\pX")]
    [TestCase("(?P<n>a)(?P<n>b)")]
    public void Translate_SyntaxGoRefuses_Throws(string pattern) =>
        Assert.That(() => Re2Translator.Translate(pattern), Throws.TypeOf<FormatException>().With.Message.StartsWith("error parsing regexp: "));

    [Test]
    public void Render_RefusedPatternInRegexMatch_IsFalseLikeSprig() =>
        Assert.That(Render("{{ regexMatch \"(?=a)\" \"a\" }}"), Is.EqualTo("false"));

    [TestCase("ı", "I", "ı", "I")]
    [TestCase("ſ", "S", "ſ", "S")]
    [TestCase("İ", "İ", "i", "İ")]
    [TestCase("ǆ", "Ǆ", "ǆ", "ǅ")]
    [TestCase("𐐨", "𐐀", "𐐨", "𐐀")]
    public void Render_CaseMappingOfSpecialRunes_IsGos(string rune, string upper, string lower, string title) =>
        Assert.That(Render("{{ upper .c }}|{{ lower .c }}|{{ title .c }}", $"{{\"c\":\"{rune}\"}}"), Is.EqualTo($"{upper}|{lower}|{title}"));

    [Test]
    public void Render_SwapCaseAtWordStart_UsesTitleCase() =>
        Assert.That(Render("{{ swapcase \"ǆx ǆ\" }}"), Is.EqualTo("ǅX ǅ"));

    [TestCase("{{ concat }}", "[]")]
    [TestCase("{{ concat | toJson }}", "null")]
    [TestCase("{{ concat | printf \"%#v\" }}", "[]interface {}(nil)")]
    [TestCase("{{ concat (list) | toJson }}", "null")]
    [TestCase("{{ list | rest | toJson }}", "null")]
    [TestCase("{{ regexFindAll \"x\" \"a\" -1 | toJson }}", "null")]
    [TestCase("{{ append concat 1 }}", "[1]")]
    [TestCase("{{ list | toJson }}", "[]")]
    public void Render_VariadicWithNothing_GivesGosNilSlice(string template, string expected) =>
        Assert.That(Render(template), Is.EqualTo(expected));

    [TestCase("{{ (semver \"1.2.3\").LessThan (semver \"1.3.0\") }}", "true")]
    [TestCase("{{ (semver \"1.2.3-alpha\").Compare (semver \"1.2.3-beta\") }}", "-1")]
    [TestCase("{{ (semver \"v1.2.3\").IncMajor.Original }}", "error")]
    [TestCase("{{ (semver \"v1.2.3\").IncMajor | printf \"%T %v\" }}", "semver.Version %!v(MISSING)")]
    [TestCase("{{ (semver \"v1.2.3-rc.1\").IncPatch }}", "1.2.3")]
    [TestCase("{{ (semver \"1.2.3\").SetPrerelease \"01\" }}", "error")]
    [TestCase("{{ (toDate \"2006-01-02\" \"2024-03-05\").Month }}", "March")]
    [TestCase("{{ (toDate \"2006-01-02\" \"2024-03-05\").Weekday }}", "Tuesday")]
    [TestCase("{{ eq (toDate \"2006-01-02\" \"2024-03-05\").Month 3 }}", "true")]
    [TestCase("{{ ((toDate \"2006-01-02\" \"2024-01-31\").AddDate 0 1 0).Format \"2006-01-02\" }}", "2024-03-02")]
    [TestCase("{{ (toDate \"2006-01-02\" \"2024-03-05\").Sub (toDate \"2006-01-02\" \"2024-03-04\") }}", "24h0m0s")]
    [TestCase("{{ (toDate \"2006-01-02\" \"2400-01-01\").Sub (toDate \"2006-01-02\" \"0001-01-01\") }}", "2562047h47m16.854775807s")]
    [TestCase("{{ (toDate \"2006-01-02\" \"0001-01-01\").Sub (toDate \"2006-01-02\" \"2400-01-01\") }}", "-2562047h47m16.854775808s")]
    [TestCase("{{ (toDate \"2006-01-02\" \"2024-03-05\").Zone }}", "error")]
    public void Render_MethodOnSprigResult_MatchesGo(string template, string expected)
    {
        var output = Render(template);
        Assert.That(expected == "error" ? output.StartsWith("error: ", StringComparison.Ordinal) : output == expected, Is.True, output);
    }
}
