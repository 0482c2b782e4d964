using Connectors.Modules.Templates;

namespace Connectors.Tests.Templates;

[TestFixture]
public sealed class HandlebarsTemplateTests
{
    private static readonly RenderOptions Handlebars = RenderOptions.Default with { Engine = TemplateEngineKind.Handlebars };

    private const string Data = """
        {"connectors":[{"spec":{"address":"https://github.com/"},"status":{"proxyAddress":"http://c-git.team-a.svc"}}],
         "context":{"token":"tok"},"port":8080,"big":12345678901,"html":"<a&b>"}
        """;

    private static RenderResult Render(string text) =>
        TemplateEngine.Shared.Render("hbs", text, TemplateValue.ParseJson(Data), Handlebars, CancellationToken.None);

    [Test]
    public void Render_DocumentedGitconfigClass_ProducesGitconfig()
    {
        const string text = "[http]\n    extraHeader = Authorization: Basic {{b64enc (printf \":%s\" context.token)}}\n{{#each connectors}}\n[url \"{{status.proxyAddress}}/\"]\n    insteadOf = {{spec.address}}\n{{/each}}\n";
        var result = Render(text);
        Assert.That(result.Output, Is.EqualTo("[http]\n    extraHeader = Authorization: Basic OnRvaw==\n[url \"http://c-git.team-a.svc/\"]\n    insteadOf = https://github.com/\n"), result.Error);
    }

    [TestCase("{{port}} {{big}}", "8080 1.2345678901e+10")]
    [TestCase("{{html}}", "<a&b>")]
    [TestCase("{{trimPrefix \"https://\" \"https://x.io\"}}|{{trimSuffix \".git\" \"r.git\"}}|{{urlquery \"a/b c\"}}", "x.io|r|a%2Fb+c")]
    [TestCase("{{upper \"a\"}}{{lower \"B\"}}{{quote \"q\"}}{{default \"d\" missing}}", "Ab\"q\"d")]
    [TestCase("{{#with (urlParse \"https://h:1/p\")}}{{host}} {{path}}{{/with}}", "h:1 /p")]
    [TestCase("{{eq \"a\" \"a\"}} {{eq \"a\" \"b\"}}", "true false")]
    public void Render_Helpers_Work(string text, string expected)
    {
        var result = Render(text);
        Assert.That(result.Output, Is.EqualTo(expected), result.Error);
    }

    [Test]
    public void Render_SyntaxError_IsFailure()
    {
        var result = Render("{{#each connectors}}");
        Assert.That(result.Error, Does.StartWith("handlebars: hbs:"));
    }
}
