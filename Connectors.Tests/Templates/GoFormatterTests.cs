using Connectors.Modules.Templates;

namespace Connectors.Tests.Templates;

/// <summary>Go's fmt output for the values templates print; expectations come from Go 1.19.</summary>
[TestFixture]
public sealed class GoFormatterTests
{
    private static string Format(string verbs, string json)
    {
        var result = TemplateEngine.Shared.Render("f", "{{ printf \"" + verbs + "\" .x }}", TemplateValue.ParseJson("{\"x\":" + json + "}"), RenderOptions.Default, CancellationToken.None);
        Assert.That(result.Error, Is.Null);
        return result.Output!;
    }

    [TestCase("%v", "8080", "8080")]
    [TestCase("%v", "12345678901", "1.2345678901e+10")]
    [TestCase("%v", "1000000", "1e+06")]
    [TestCase("%v", "123456", "123456")]
    [TestCase("%v", "0.0001", "0.0001")]
    [TestCase("%v", "0.00001", "1e-05")]
    [TestCase("%v", "0.30000000000000004", "0.30000000000000004")]
    [TestCase("%.2f", "1.005", "1.00")]
    [TestCase("%.0f", "2.5", "2")]
    [TestCase("%.0f", "3.5", "4")]
    [TestCase("%05.2f", "3.14159", "03.14")]
    [TestCase("%e", "123456.789", "1.234568e+05")]
    [TestCase("%g", "100000000", "1e+08")]
    [TestCase("%.3g", "3.14159", "3.14")]
    [TestCase("%x", "1.5", "0x1.8p+00")]
    [TestCase("%d", "1.5", "%!d(float64=1.5)")]
    [TestCase("%s", "3", "%!s(float64=3)")]
    [TestCase("%T", "3", "float64")]
    public void Printf_Float64_MatchesGo(string verbs, string json, string expected)
    {
        Assert.That(Format(verbs, json), Is.EqualTo(expected));
    }

    [TestCase("%v", "{\"b\":2,\"a\":[\"x\",1],\"C\":null}", "map[C:<nil> a:[x 1] b:2]")]
    [TestCase("%q", "[\"a\",1]", "[\"a\" %!q(float64=1)]")]
    [TestCase("%-6v|", "[1,\"x\",null]", "[1      x      <nil>]|")]
    [TestCase("%#v", "{\"a\":\"x\"}", "map[string]interface {}{\"a\":\"x\"}")]
    [TestCase("%T", "[1]", "[]interface {}")]
    [TestCase("%v", "null", "<nil>")]
    [TestCase("%d", "null", "%!d(<nil>)")]
    public void Printf_Containers_MatchGo(string verbs, string json, string expected)
    {
        Assert.That(Format(verbs, json), Is.EqualTo(expected));
    }

    [TestCase("%-8s|", "\"ab\"", "ab      |")]
    [TestCase("%8.3s|", "\"abcdef\"", "     abc|")]
    [TestCase("%q", "\"a\\\"b\\n\\u0001é\"", "\"a\\\"b\\n\\x01é\"")]
    [TestCase("%+q", "\"é☃\"", "\"\\u00e9\\u2603\"")]
    [TestCase("%#q", "\"plain\"", "`plain`")]
    [TestCase("%x", "\"hi\"", "6869")]
    [TestCase("% X", "\"hi\"", "68 69")]
    [TestCase("%05s", "\"ab\"", "000ab")]
    public void Printf_Strings_MatchGo(string verbs, string json, string expected)
    {
        Assert.That(Format(verbs, json), Is.EqualTo(expected));
    }

    [TestCase("{{ printf \"%d %s\" 1 }}", "1 %!s(MISSING)")]
    [TestCase("{{ printf \"%d\" 1 2 }}", "1%!(EXTRA int=2)")]
    [TestCase("{{ printf \"%[2]d %[1]d\" 1 2 }}", "2 1")]
    [TestCase("{{ printf \"%*d|%-*d|\" 4 1 3 2 }}", "   1|2  |")]
    [TestCase("{{ printf \"%+d % d %#x %#o %08.3f %-5d|\" 5 5 255 8 -3.14159 42 }}", "+5  5 0xff 010 -003.142 42   |")]
    [TestCase("{{ printf \"%c%c %U %#U %q\" 72 105 0x1F600 0x263A 65 }}", "Hi U+1F600 U+263A '☺' 'A'")]
    [TestCase("{{ printf \"%!\" }}|{{ printf \"%\" }}", "%!!(MISSING)|%!(NOVERB)")]
    [TestCase("{{ printf \"%t %v\" true nil }}", "true <nil>")]
    public void Printf_Verbs_MatchGo(string text, string expected)
    {
        var result = TemplateEngine.Shared.Render("f", text, TemplateValue.Null, RenderOptions.Default, CancellationToken.None);
        Assert.That(result.Output, Is.EqualTo(expected), result.Error);
    }

    [TestCase("a  {{- 1 -}}  b", "a1b")]
    [TestCase("a {{- /* c */ -}} b", "ab")]
    [TestCase("{{- 3 -}}", "3")]
    [TestCase("{{-3}}", "-3")]
    [TestCase("x\n{{- if true }}\n  y\n{{- end }}\nz", "x\n  y\nz")]
    public void Render_Trimming_MatchesGo(string text, string expected)
    {
        var result = TemplateEngine.Shared.Render("t", text, TemplateValue.Null, RenderOptions.Default, CancellationToken.None);
        Assert.That(result.Output, Is.EqualTo(expected), result.Error);
    }
}
