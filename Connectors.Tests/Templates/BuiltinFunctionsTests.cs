using Connectors.Modules.Templates;

namespace Connectors.Tests.Templates;

/// <summary>Every text/template builtin, with expectations produced by Go 1.19 (see e2e/templates for the full differential suite).</summary>
[TestFixture]
public sealed class BuiltinFunctionsTests
{
    private const string Data = """{"s":"hi","n":3,"l":["a","b"],"m":{"k":"v"},"nil":null,"t":true}""";

    private static RenderResult Render(string text) =>
        TemplateEngine.Shared.Render("b", text, TemplateValue.ParseJson(Data), RenderOptions.Default, CancellationToken.None);

    [TestCase("{{ and 1 0 2 }}", "0")]
    [TestCase("{{ and 1 2 }}", "2")]
    [TestCase("{{ and 0 (fail \"not evaluated\") }}", "0")]
    [TestCase("{{ or 0 \"\" .s }}", "hi")]
    [TestCase("{{ or 1 (fail \"not evaluated\") }}", "1")]
    [TestCase("{{ not .t }}|{{ not 0 }}|{{ not .missing }}", "false|true|true")]
    [TestCase("{{ len .s }}|{{ len .l }}|{{ len .m }}|{{ len \"héllo\" }}", "2|2|1|6")]
    [TestCase("{{ index .l 1 }}|{{ index .m \"k\" }}|{{ index .m \"x\" }}|{{ index .s 0 }}", "b|v|<no value>|104")]
    [TestCase("{{ slice .l 1 }}|{{ slice .l 0 1 }}", "[b]|[a]")]
    [TestCase("{{ print 1 2 \"a\" \"b\" 3 }}", "1 2ab3")]
    [TestCase("{{ printf \"%s=%d\" .s 7 }}", "hi=7")]
    [TestCase("{{ println 1 \"a\" }}", "1 a\n")]
    [TestCase("{{ html \"<a href='x'>&\\\"\" }}", "&lt;a href=&#39;x&#39;&gt;&amp;&#34;")]
    [TestCase("{{ js \"<'\\\"=&\\n\" }}", "\\u003C\\'\\\"\\u003D\\u0026\\u000A")]
    [TestCase("{{ urlquery \"a b/c?d=é\" }}", "a+b%2Fc%3Fd%3D%C3%A9")]
    [TestCase("{{ urlquery .missing }}", "%3Cno+value%3E")]
    [TestCase("{{ eq 1 2 3 1 }}|{{ eq .s \"hi\" }}|{{ eq .missing \"x\" }}", "true|true|false")]
    [TestCase("{{ ne 1 2 }}|{{ lt 1 2 }}|{{ le 2 2 }}|{{ gt \"b\" \"a\" }}|{{ ge 1.5 2.5 }}", "true|true|true|true|false")]
    [TestCase("{{ eq .n 3.0 }}|{{ lt (len .l) 5 }}|{{ eq (add 1 1) 2 }}", "true|true|true")]
    public void Render_Builtin_GoResult(string text, string expected)
    {
        var result = Render(text);
        Assert.That(result.Output, Is.EqualTo(expected), result.Error);
    }

    [TestCase("{{ call .s }}", "error calling call: non-function of type string")]
    [TestCase("{{ eq .n 3 }}", "error calling eq: incompatible types for comparison")]
    [TestCase("{{ lt true false }}", "error calling lt: invalid type for comparison")]
    [TestCase("{{ eq .m .m }}", "error calling eq: non-comparable type map[k:v]: map[string]interface {}")]
    [TestCase("{{ index .l 5 }}", "error calling index: index out of range: 5")]
    [TestCase("{{ index .l .n }}", "error calling index: cannot index slice/array with type float64")]
    [TestCase("{{ len .n }}", "error calling len: len of type float64")]
    [TestCase("{{ len .nil }}", "error calling len: len of nil pointer")]
    [TestCase("{{ eq 1 }}", "error calling eq: missing argument for comparison")]
    [TestCase("{{ not }}", "wrong number of args for not: want 1 got 0")]
    public void Render_BuiltinMisuse_GoError(string text, string expectedSuffix)
    {
        Assert.That(Render(text).Error, Does.EndWith(expectedSuffix));
    }
}
