using System.Text.Json.Nodes;
using Connectors.Modules.Templates;

namespace Connectors.Tests.Templates;

[TestFixture]
public sealed class TemplateEngineTests
{
    private static readonly TemplateEngine Engine = new();

    private static RenderResult Render(string text, string json = "{}", RenderOptions? options = null, string name = "tpl") =>
        Engine.Render(name, text, TemplateValue.ParseJson(json), options ?? RenderOptions.Default, CancellationToken.None);

    [TestCase("{{ .port }}", "{\"port\":8080}", "8080")]
    [TestCase("{{ .n }}", "{\"n\":12345678901}", "1.2345678901e+10")]
    [TestCase("{{ .m }}", "{\"m\":{\"b\":2,\"a\":[\"x\",1]}}", "map[a:[x 1] b:2]")]
    [TestCase("{{ .missing }}", "{}", "<no value>")]
    [TestCase("{{ printf \"%v\" .missing }}", "{}", "<nil>")]
    [TestCase("a {{- \" b \" -}} c", "{}", "a b c")]
    [TestCase("{{ printf \"%05.2f|%-8s|%q|%x|%T\" 3.14159 \"ab\" \"a\\\"b\" 255 1.5 }}", "{}", "03.14|ab      |\"a\\\"b\"|ff|float64")]
    [TestCase("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}", "{\"m\":{\"b\":1,\"C\":2,\"a\":3}}", "C=2;a=3;b=1;")]
    [TestCase("{{ range .l }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}", "{\"l\":[1,2,3]}", "1")]
    [TestCase("{{ define \"x\" }}<{{ . }}>{{ end }}{{ template \"x\" .s }}", "{\"s\":\"v\"}", "<v>")]
    [TestCase("{{ html .h }}|{{ js .h }}|{{ urlquery .h }}", "{\"h\":\"<a b='c'>\"}", "&lt;a b=&#39;c&#39;&gt;|\\u003Ca b\\u003D\\'c\\'\\u003E|%3Ca+b%3D%27c%27%3E")]
    [TestCase("{{ or 0 \"\" \"x\" }}|{{ and 1 0 }}|{{ not .t }}", "{\"t\":true}", "x|0|false")]
    public void Render_GoSemantics_MatchesGo(string text, string json, string expected)
    {
        var result = Render(text, json);
        Assert.That(result.Output, Is.EqualTo(expected), result.Error);
    }

    [Test]
    public void Render_EqOnJsonNumberAndIntLiteral_FailsLikeGo()
    {
        var result = Render("{{ eq .port 8080 }}", "{\"port\":8080}");
        Assert.That(result.Error, Is.EqualTo("template: tpl:1:3: executing \"tpl\" at <eq .port 8080>: error calling eq: incompatible types for comparison"));
    }

    [Test]
    public void Render_MissingKeyError_ReportsLineColumnAndNode()
    {
        var result = Render("a\nb\nc {{ .x.y | printf \"%d\" | quote }}", "{}", RenderOptions.Default.WithOption("missingkey=error"), "gitconfig");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Output, Is.Null);
            Assert.That(result.Error, Is.EqualTo("template: gitconfig:3:7: executing \"gitconfig\" at <.x.y>: map has no entry for key \"x\""));
        }
    }

    [TestCase("missingkey=default", "<no value>")]
    [TestCase("missingkey=invalid", "<no value>")]
    [TestCase("missingkey=zero", "")]
    public void Render_MissingKeyOptions_BehaveAsGo(string option, string expectedStringZero)
    {
        var options = RenderOptions.Default.WithOption(option);
        var json = Render("{{ .x }}", "{}", options);
        var probe = Engine.Render("p", "{{ .Secret.StringData.k }}", TemplateValue.ForProbe(new JsonObject(), new Dictionary<string, string>()), options, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json.Output, Is.EqualTo("<no value>"), "map[string]interface {} has no useful zero");
            Assert.That(probe.Output, Is.EqualTo(expectedStringZero), probe.Error);
        }
    }

    [Test]
    public void WithOption_Unknown_Throws()
    {
        Assert.That(() => RenderOptions.Default.WithOption("missingkey=bogus"), Throws.ArgumentException);
    }

    [TestCase("{{ .x", "template: tpl:1: unclosed action")]
    [TestCase("{{ nosuch 1 }}", "template: tpl:1: function \"nosuch\" not defined")]
    [TestCase("{{ end }}", "template: tpl:1: unexpected {{end}}")]
    [TestCase("{{ $u }}", "template: tpl:1: undefined variable \"$u\"")]
    [TestCase("{{ break }}", "template: tpl:1: {{break}} outside {{range}}")]
    [TestCase("{{ required \"x\" 1 }}", "template: tpl:1: function \"required\" not defined")]
    public void Render_SyntaxError_GoMessage(string text, string expected)
    {
        Assert.That(Render(text).Error, Is.EqualTo(expected));
    }

    [Test]
    public void Render_OutputLimit_FailsWithoutPartialOutput()
    {
        var result = Render("{{ range .l }}xxxxxxxxxx{{ end }}", "{\"l\":[" + string.Join(',', Enumerable.Repeat("1", 200)) + "]}", RenderOptions.Default with { MaxOutputBytes = 100 });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Output, Is.Null);
            Assert.That(result.Error, Does.Contain("output exceeds the limit of 100 bytes"));
        }
    }

    [Test]
    public void Render_RangeIterationLimit_Fails()
    {
        var result = Render("{{ range .l }}{{ range $.l }}{{ end }}{{ end }}", "{\"l\":[" + string.Join(',', Enumerable.Repeat("1", 50)) + "]}", RenderOptions.Default with { MaxRangeIterations = 100 });
        Assert.That(result.Error, Does.Contain("range exceeded the limit of 100 iterations"));
    }

    [Test]
    public void Render_RecursiveTemplate_StopsAtDepthLimit()
    {
        var result = Render("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}", options: RenderOptions.Default with { MaxTemplateDepth = 20 });
        Assert.That(result.Error, Does.Contain("exceeded maximum template depth (20)"));
    }

    [Test]
    public void Render_Deadline_Fails()
    {
        var result = Render("{{ range .l }}{{ range $.l }}{{ range $.l }}{{ end }}{{ end }}{{ end }}", "{\"l\":[" + string.Join(',', Enumerable.Repeat("1", 300)) + "]}",
            RenderOptions.Default with { Timeout = TimeSpan.FromMilliseconds(1), MaxRangeIterations = long.MaxValue });
        Assert.That(result.Error, Does.Contain("deadline"));
    }

    [Test]
    public void Render_DeeplyNestedParentheses_FailsWithoutCrashing()
    {
        var text = "{{ " + new string('(', 200_000) + "1" + new string(')', 200_000) + " }}";
        Assert.That(Render(text).Error, Does.Contain("nesting too deep"));
    }

    [Test]
    public void Render_DeeplyNestedJsonInFromJson_IsAnErrorNotACrash()
    {
        var json = new string('[', 200_000) + new string(']', 200_000);
        var result = Engine.Render("j", "{{ mustFromJson .j }}", TemplateValue.FromJson(new System.Text.Json.Nodes.JsonObject { ["j"] = json }), RenderOptions.Default, CancellationToken.None);
        Assert.That(result.Error, Does.Contain("exceeded max depth"));
    }

    [TestCase("{{ env \"HOME\" }}")]
    [TestCase("{{ now }}")]
    [TestCase("{{ uuidv4 }}")]
    [TestCase("{{ randAlphaNum 4 }}")]
    [TestCase("{{ date \"2006\" 1.5 }}")]
    public void Render_EnvironmentClockOrRandom_DisabledByDefault(string text)
    {
        Assert.That(Render(text).Error, Does.Contain("disabled"));
    }

    [Test]
    public void Render_AllowedNondeterministic_Works()
    {
        var result = Render("{{ uuidv4 | len }}", options: RenderOptions.Default with { AllowNondeterministicFunctions = true });
        Assert.That(result.Output, Is.EqualTo("36"));
    }

    [Test]
    public void Render_Cancelled_ReportsCancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var result = Engine.Render("c", "{{ range .l }}{{ range $.l }}x{{ end }}{{ end }}", TemplateValue.ParseJson("{\"l\":[" + string.Join(',', Enumerable.Repeat("1", 100)) + "]}"), RenderOptions.Default, cts.Token);
        Assert.That(result.Error, Does.Contain("canceled"));
    }

    [Test]
    public void GoFunctionNames_ContainsEverySprigFunction()
    {
        string[] some = ["b64enc", "urlParse", "splitList", "semverCompare", "mergeOverwrite", "regexReplaceAll", "toPrettyJson", "dateModify", "genCA", "uuidv4", "env", "hello"];
        Assert.That(TemplateEngine.GoFunctionNames(), Is.SupersetOf(some).And.Count.GreaterThanOrEqualTo(210 + 18));
    }

    [Test]
    public void Render_Handlebars_UsesHelpersAndSameData()
    {
        var options = RenderOptions.Default with { Engine = TemplateEngineKind.Handlebars };
        var result = Engine.Render("h", "{{b64enc context.token}} {{trimPrefix \"https://\" connector.spec.address}} {{urlquery \"a/b\"}} {{port}}",
            TemplateValue.ParseJson("{\"context\":{\"token\":\"abc\"},\"connector\":{\"spec\":{\"address\":\"https://x.io\"}},\"port\":8080}"), options, CancellationToken.None);
        Assert.That(result.Output, Is.EqualTo("YWJj x.io a%2Fb 8080"), result.Error);
    }

    [TestCase(null, TemplateEngineKind.Go)]
    [TestCase("handlebars", TemplateEngineKind.Handlebars)]
    [TestCase("go", TemplateEngineKind.Go)]
    public void Resolve_Annotation_ChoosesEngine(string? value, TemplateEngineKind expected)
    {
        var annotations = value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [TemplateEngineAnnotation.Name] = value };
        Assert.That(TemplateEngineAnnotation.Resolve(annotations), Is.EqualTo(expected));
    }
}
