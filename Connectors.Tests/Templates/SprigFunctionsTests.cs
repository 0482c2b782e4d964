using System.Security.Cryptography.X509Certificates;
using Connectors.Modules.Templates;

namespace Connectors.Tests.Templates;

/// <summary>Sprig functions whose results cannot be compared byte for byte with Go in the conformance suite.</summary>
[TestFixture]
public sealed class SprigFunctionsTests
{
    private static readonly RenderOptions Allowed = RenderOptions.Default with { AllowNondeterministicFunctions = true };

    private static RenderResult Render(string text, RenderOptions? options = null, string json = "{}") =>
        TemplateEngine.Shared.Render("s", text, TemplateValue.ParseJson(json), options ?? RenderOptions.Default, CancellationToken.None);

    [Test]
    public void Verify_HashMadeByGoBcrypt_Matches()
    {
        // Made by golang.org/x/crypto/bcrypt.GenerateFromPassword("gitpass", 10).
        const string goHash = "$2a$10$b11DLh62NLOfzV5c1wRoROwaDYanmquR1wLu1VDV11TPMm9VH1dZm";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bcrypt.Verify("gitpass", goHash), Is.True);
            Assert.That(Bcrypt.Verify("wrong", goHash), Is.False);
        }
    }

    [Test]
    public void Render_Htpasswd_IsUserAndVerifiableBcrypt()
    {
        var output = Render("{{ htpasswd \"user\" \"secret\" }}", Allowed).Output!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(output, Does.StartWith("user:$2a$10$").And.Length.EqualTo(5 + 60));
            Assert.That(Bcrypt.Verify("secret", output[5..]), Is.True);
        }
    }

    [Test]
    public void Render_HtpasswdWithColon_ReturnsSprigMessage()
    {
        Assert.That(Render("{{ htpasswd \"a:b\" \"x\" }}", Allowed).Output, Is.EqualTo("invalid username: a:b"));
    }

    [Test]
    public void Render_DerivePassword_MatchesGo()
    {
        // Go + sprig 3.2.3 give ZedaFaxcZaso9* for these inputs (Master Password, scrypt N=32768 r=8 p=2).
        Assert.That(Render("{{ derivePassword 1 \"long\" \"password\" \"user\" \"example.com\" }}").Output, Is.EqualTo("ZedaFaxcZaso9*"));
    }

    [Test]
    public void Render_GenSignedCert_ChainsToGeneratedCa()
    {
        var result = Render("{{ $ca := genCA \"my-ca\" 30 }}{{ $c := genSignedCert \"svc\" (list \"10.0.0.1\") (list \"svc.local\") 10 $ca }}{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}", Allowed);
        Assert.That(result.Error, Is.Null);
        var parts = result.Output!.Split('|');
        using var ca = X509Certificate2.CreateFromPem(parts[0]);
        using var cert = X509Certificate2.CreateFromPem(parts[1], parts[2]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ca.Subject, Is.EqualTo("CN=my-ca"));
            Assert.That(cert.Issuer, Is.EqualTo("CN=my-ca"));
            Assert.That(cert.HasPrivateKey, Is.True);
            Assert.That(parts[2], Does.StartWith("-----BEGIN RSA PRIVATE KEY-----"));
            Assert.That(cert.NotAfter - cert.NotBefore, Is.EqualTo(TimeSpan.FromDays(10)).Within(TimeSpan.FromMinutes(1)));
        }
    }

    [TestCase("{{ genCA \"x\" 1 }}")]
    [TestCase("{{ bcrypt \"x\" }}")]
    [TestCase("{{ randNumeric 3 }}")]
    [TestCase("{{ shuffle \"abc\" }}")]
    [TestCase("{{ expandenv \"$HOME\" }}")]
    [TestCase("{{ getHostByName \"localhost\" }}")]
    [TestCase("{{ ago 1 }}")]
    public void Render_SideEffectFunctions_DisabledByDefault(string text)
    {
        Assert.That(Render(text).Error, Does.Contain("is disabled when rendering configurations"));
    }

    [Test]
    public void Render_UrlParse_HasSprigKeys()
    {
        var output = Render("{{ $u := urlParse \"https://u:p@h.example:8443/a%20b?q=1#f\" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.fragment }}|{{ $u.userinfo }}|{{ $u.port }}").Output;
        Assert.That(output, Is.EqualTo("https|h.example:8443|h.example|/a b|q=1|f|u:p|<no value>"));
    }

    [Test]
    public void Render_FromJsonNumbers_AreFloat64()
    {
        Assert.That(Render("{{ $j := fromJson \"{\\\"port\\\":8080,\\\"big\\\":12345678901}\" }}{{ $j.port }} {{ $j.big }} {{ typeOf $j.port }}").Output, Is.EqualTo("8080 1.2345678901e+10 float64"));
    }

    [Test]
    public void Render_RepeatBeyondOutputLimit_FailsFast()
    {
        var result = Render("{{ repeat 100000000 \"abcdefghij\" }}");
        Assert.That(result.Error, Does.Contain("exceeds the limit"));
    }

    [TestCase("{{ seq 5 }}", "1 2 3 4 5")]
    [TestCase("{{ seq 0 }}", "1 0")]
    [TestCase("{{ seq -3 }}", "1 0 -1 -2 -3")]
    [TestCase("{{ seq 2 5 }}", "2 3 4 5")]
    [TestCase("{{ seq 5 2 }}", "5 4 3 2")]
    [TestCase("{{ seq 1 2 10 }}", "1 3 5 7 9")]
    [TestCase("{{ seq 10 -3 1 }}", "10 7 4 1")]
    [TestCase("{{ seq 1 -1 5 }}", "")]
    [TestCase("{{ seq 9223372036854775807 }}", "")]
    [TestCase("{{ untilStep 0 10 3 }}", "[0 3 6 9]")]
    [TestCase("{{ untilStep 10 0 -4 }}", "[10 6 2]")]
    [TestCase("{{ untilStep 0 10 -1 }}", "[]")]
    [TestCase("{{ until 3 }} {{ until -2 }} {{ until 0 }}", "[0 1 2] [0 -1] []")]
    [TestCase("{{ untilStep 0 9223372036854775807 4611686018427387904 }}", "[0 4611686018427387904]")]
    [TestCase("{{ untilStep 9223372036854775807 -9223372036854775808 -4611686018427387904 }}", "[9223372036854775807 4611686018427387903 -1 -4611686018427387905]")]
    public void Render_SeqUntilStep_AsSprigWithoutOverflow(string text, string expected) =>
        Assert.That(Render(text).Output, Is.EqualTo(expected));

    /// <summary>Bounds that overflow a long used to slip past the length check and loop for billions of steps.</summary>
    [TestCase("{{ seq 97 -1000000000 9223372036854775807 }}")]
    [TestCase("{{ until -9223372036854775808 }}")]
    [TestCase("{{ untilStep -9223372036854775808 9223372036854775807 1 }}")]
    [CancelAfter(30_000)]
    public async Task Render_SeqUntilStepHugeRange_LimitErrorNotHang(string text, CancellationToken cancellationToken)
    {
        // Bounded far above the microseconds it takes, so a regression fails instead of hanging the run.
        var result = await Task.Run(() => Render(text), cancellationToken).WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Output, Is.Null);
            Assert.That(result.Error, Does.Contain("exceeds the limit"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Render_RegexBacktrackingPastTimeout_ErrorResultNotException(CancellationToken cancellationToken)
    {
        var text = "{{ regexMatch \"^(a+)+$\" \"" + new string('a', 40) + "b\" }}";
        var result = await Task.Run(() => Render(text), cancellationToken).WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        Assert.That((result.Output, result.Error), Is.EqualTo(((string?)null,
            "template: s:1:3: executing \"s\" at <regexMatch \"^(a+)+$\" \"" + new string('a', 40) + "b\">: error calling regexMatch: regexp: matching took longer than 1 s (the pattern backtracks too much on this input)")));
    }

    [TestCase("{{ repeat 4611686018427387904 \"abcd\" }}", null, "strings: Repeat output length overflow")]
    [TestCase("{{ repeat 2147483648 \"\" }}", "", null)]
    [TestCase("{{ repeat 3 \"ab\" }}", "ababab", null)]
    [TestCase("{{ repeat 0 \"ab\" }}", "", null)]
    public void Render_Repeat_AsGoStringsRepeat(string text, string? output, string? error)
    {
        var result = Render(text);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Output, Is.EqualTo(output));
            Assert.That(result.Error, error is null ? Is.Null : Does.EndWith(error));
        }
    }

    /// <summary>sprig's set can make a map hold itself; walking it used to overflow the stack and end the process.</summary>
    [TestCase("{{ set . \"a\" . | deepCopy }}")]
    [TestCase("{{ set . \"a\" . | printf \"%v\" }}")]
    [TestCase("{{ $x := set . \"a\" . }}{{ eq . .a }}")]
    public void Render_MapHoldingItself_NestingErrorNotCrash(string text) =>
        Assert.That(Render(text, json: "{\"k\":1}").Error, Is.EqualTo("template: s: template nesting too deep"));

    [Test]
    public void Render_HandlebarsOverDataAGoTemplateMadeCyclic_NestingErrorNotCrash()
    {
        var data = TemplateValue.ParseJson("{\"k\":1}");
        var go = TemplateEngine.Shared.Render("go", "{{ $_ := set . \"self\" . }}", data, RenderOptions.Default, CancellationToken.None);
        var hbs = TemplateEngine.Shared.Render("hbs", "{{k}}", data, RenderOptions.Default with { Engine = TemplateEngineKind.Handlebars }, CancellationToken.None);
        Assert.That((go.Output, hbs.Error), Is.EqualTo(((string?)string.Empty, (string?)"template: hbs: template nesting too deep")));
    }
}
