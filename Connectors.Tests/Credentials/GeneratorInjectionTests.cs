using System.Text;
using Connectors.Host.Roles;
using Connectors.Modules.Credentials;
using Connectors.Modules.Model;

namespace Connectors.Tests.Credentials;

/// <summary>Class-declared credential headers (the native replacement of Rego generators), rendered by the Go engine.</summary>
[TestFixture]
public sealed class GeneratorInjectionTests
{
    private static readonly CredentialInjection Injection = new([], [new TemplateHeaderRenderer()]);

    [Test]
    public void Inject_OpaqueSecretWithGeneratorHeader_SetsRenderedHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://github.com/org/repo.git/info/refs");

        var result = Injection.Inject(request, Opaque("ghp_secret"), GitHubPat());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.Injected));
            Assert.That(request.Headers.Authorization?.ToString(), Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:ghp_secret"))));
        }
    }

    [Test]
    public void Inject_RequestOutsidePathPrefix_AddsNoCredential()
    {
        var authType = GitHubPat();
        authType.Generator!.PathPrefix = "/api/";
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://tool.example.com/other");

        var result = Injection.Inject(request, Opaque("ghp_secret"), authType);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.NoCredential));
            Assert.That(request.Headers.Authorization, Is.Null);
        }
    }

    [Test]
    public void Inject_SecretLacksTheKeyTheTemplateReads_InvalidSecretWithoutValues()
    {
        var secret = new Secret { Type = SecretTypes.Opaque, Data = new() { ["password"] = "hunter2"u8.ToArray() } };
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://github.com/");

        var result = Injection.Inject(request, secret, GitHubPat());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.InvalidSecret));
            Assert.That(result.Message, Does.Contain("token").And.Not.Contain("hunter2"));
            Assert.That(request.Headers.Authorization, Is.Null, "nothing half-injected");
        }
    }

    [Test]
    public void Inject_TemplateFailsWithTheSecret_MessageDoesNotCarryIt()
    {
        var authType = GitHubPat();
        authType.Generator!.Headers![0].Value = "{{ fail .Secret.StringData.token }}";
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://github.com/");

        var result = Injection.Inject(request, Opaque("ghp_secret"), authType);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.InvalidSecret));
            Assert.That(result.Message, Does.Contain("[redacted]").And.Not.Contain("ghp_secret"));
        }
    }

    [Test]
    public void Inject_RenderedValueWithLineBreak_InvalidSecretNothingInjected()
    {
        var authType = GitHubPat();
        authType.Generator!.Headers![0].Value = "token {{ .Secret.StringData.token }}";
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://github.com/");

        var result = Injection.Inject(request, Opaque("ghp_a\r\nX-Evil: 1"), authType);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.InvalidSecret));
            Assert.That(result.Message, Does.Contain("Authorization").And.Not.Contain("ghp_a"));
            Assert.That(request.Headers.NonValidated.Contains("Authorization"), Is.False);
            Assert.That(request.Headers.NonValidated.Contains("X-Evil"), Is.False);
        }
    }

    [Test]
    public void Inject_RegoGenerator_IsUnsupportedWithAClearMessage()
    {
        var authType = new AuthType { Name = "custom", SecretType = "example.com/oauth2", Generator = new AuthGenerator { Rego = "package proxy" } };
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://tool.example.com/");

        var result = new CredentialInjection([], []).Inject(request, new Secret { Type = "example.com/oauth2" }, authType);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.Unsupported));
            Assert.That(result.Message, Does.Contain("Rego").And.Contain("generator.headers"));
        }
    }

    private static Secret Opaque(string token) => new() { Type = SecretTypes.Opaque, Data = new() { ["token"] = Encoding.UTF8.GetBytes(token) } };

    private static AuthType GitHubPat() => new()
    {
        Name = "patAuth",
        SecretType = SecretTypes.Opaque,
        Generator = new AuthGenerator
        {
            Headers = [new HttpHeaderSpec { Name = "Authorization", Value = "Basic {{ printf \"x-access-token:%s\" .Secret.StringData.token | b64enc }}" }],
        },
    };
}
