using System.Text;
using Connectors.Modules.Credentials;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Tests.Credentials;

[TestFixture]
public sealed class CredentialInjectionTests
{
    private static CredentialInjection Create() =>
        new ServiceCollection().AddCredentials().BuildServiceProvider().GetRequiredService<CredentialInjection>();

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    [Test]
    public void Inject_BasicAuthSecret_SetsBasicHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://git.example/repo.git/info/refs");

        var result = Create().Inject(request, Secrets.Basic("s", "alice", "p@ss:word"), null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.Injected));
            Assert.That(request.Headers.Authorization!.ToString(), Is.EqualTo("Basic " + Basic("alice", "p@ss:word")));
        }
    }

    [Test]
    public void Inject_BearerSecret_ReplacesPlaceholder()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://kube.example/api");
        request.Headers.Authorization = new("Bearer", "fake-token");

        var result = Create().Inject(request, Secrets.Bearer("s", "real\n"), null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.Injected));
            Assert.That(request.Headers.Authorization!.ToString(), Is.EqualTo("Bearer real"));
        }
    }

    [TestCase("glpat-1\r\nX-Evil: 1")]
    [TestCase("glpat-1\nContent-Length: 5")]
    [TestCase("glpat-1\0x")]
    public void Inject_GitLabPatWithLineBreakOrNul_InvalidSecretNothingInjected(string token)
    {
        // A line break in a header value would start a header (or a request) of the Secret's choosing on the tool's connection.
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://gitlab.example/api/v4/projects");

        var result = Create().Inject(request, Secrets.Of("pat", SecretTypes.GitLabPatAuth, ("token", token)), null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.InvalidSecret));
            Assert.That(result.Message, Does.Contain("\"token\"").And.Not.Contain("glpat-1"));
            Assert.That(request.Headers.NonValidated.Contains(GitLabPatInjector.TokenHeader), Is.False);
        }
    }

    [TestCase("https://gitlab.example/group/repo.git/info/refs?service=git-upload-pack", true)]
    [TestCase("https://gitlab.example/group/repo.git/git-receive-pack", true)]
    [TestCase("https://gitlab.example/group/repo.git/info/lfs/objects/batch", true)]
    [TestCase("https://gitlab.example/api/v4/projects", false)]
    [TestCase("https://gitlab.example/prefix/api/v4/user", false)]
    public void Inject_GitLabPat_DependsOnPath(string uri, bool git)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);

        var result = Create().Inject(request, Secrets.Of("pat", SecretTypes.GitLabPatAuth, ("token", "glpat-123")), null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.Injected));
            Assert.That(request.Headers.Authorization?.ToString(), Is.EqualTo(git ? "Basic " + Basic("oauth2", "glpat-123") : null));
            Assert.That(request.Headers.TryGetValues("PRIVATE-TOKEN", out var token) ? token.Single() : null, Is.EqualTo(git ? null : "glpat-123"));
        }
    }

    [Test]
    public void Inject_NoSecret_NoCredential()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://x.example/");

        var result = Create().Inject(request, null, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(InjectionOutcome.NoCredential));
            Assert.That(request.Headers.Authorization, Is.Null);
        }
    }

    [Test]
    public void Inject_MissingKeyOrUnknownType_ReportedNotThrown()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://x.example/");
        var injection = Create();

        var missing = injection.Inject(request, Secrets.Of("s", SecretTypes.BasicAuth, ("username", "u")), null);
        var unknown = injection.Inject(request, Secrets.Of("s", "example.com/oauth2", ("k", "v")), null);
        var generator = injection.Inject(request, Secrets.Of("s", "Opaque", ("token", "v")),
            new AuthType { Name = "custom", Generator = new AuthGenerator { Headers = [new() { Name = "X-Token", Value = "{{ .Secret.StringData.token }}" }] } });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(missing, Is.EqualTo(new InjectionResult(InjectionOutcome.InvalidSecret, "Secret of type kubernetes.io/basic-auth has no \"password\" key")));
            Assert.That(unknown.Outcome, Is.EqualTo(InjectionOutcome.Unsupported));
            Assert.That(unknown.Message, Does.Contain("example.com/oauth2"));
            Assert.That(generator.Outcome, Is.EqualTo(InjectionOutcome.Unsupported));
            Assert.That(request.Headers.Authorization, Is.Null);
        }
    }
}
