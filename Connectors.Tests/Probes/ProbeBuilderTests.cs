using System.Text;
using Connectors.Modules.Model;
using Connectors.Modules.Probes;
using Connectors.Modules.Templates;
using Connectors.Tests.Support;

namespace Connectors.Tests.Probes;

[TestFixture]
public sealed class ProbeBuilderTests
{
    private static readonly ProbeBuilder Builder = new(new TemplateEngine());

    private static HttpProbeSpec GitAuthProbe => Fixtures.GitClass().Spec.AuthProbes![0].Probe!.Http!;

    [Test]
    public void Build_CanonicalGitAuthProbe_RepositoryPathAndBasicHeader()
    {
        var connector = Fixtures.GitConnector("ns", "c", "https://git.example.com/prefix/ignored", repository: "org/repo.git");
        var (request, error) = Builder.Build(GitAuthProbe, connector, Fixtures.BasicAuthSecret("ns", "creds", "alice", "s3cret"));
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(request!.Url.OriginalString, Is.EqualTo("https://git.example.com/org/repo.git/info/refs?service=git-upload-pack"));
            Assert.That(request.Headers, Is.EqualTo(new List<KeyValuePair<string, string>> { new("Authorization", expected) }));
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.FollowRedirects, Is.True);
        }
    }

    [Test]
    public void Build_NoSecret_SecretIsNilAndHeaderEmpty()
    {
        var (request, error) = Builder.Build(GitAuthProbe, Fixtures.GitConnector("ns", "c", "https://git.example.com"), null);
        Assert.That((error, request!.Headers.Single().Value), Is.EqualTo(((string?)null, string.Empty)));
    }

    [Test]
    public void Build_StringDataAndMetadata_VisibleToTemplates()
    {
        var spec = new HttpProbeSpec
        {
            Path = "/api/{{ .Connector.Namespace }}/{{ .Connector.Name }}/{{ (urlParse .Connector.Spec.Address).path }}",
            Method = "post",
            Host = "probe.example.com:8443",
            Scheme = "https",
            DisableRedirect = true,
            HttpHeaders = [new HttpHeaderSpec { Name = "private-token", Value = "{{ .Secret.StringData.token }}" }],
        };
        var secret = new Secret { Metadata = new ObjectMeta { Name = "t" }, StringData = new() { ["token"] = "glpat-1" } };
        var (request, error) = Builder.Build(spec, Fixtures.GitConnector("team", "gl", "https://gitlab.example.com/gitlab"), secret);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(request!.Url.OriginalString, Is.EqualTo("https://probe.example.com:8443/api/team/gl//gitlab"));
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.FollowRedirects, Is.False);
            Assert.That(request.Headers.Single(), Is.EqualTo(new KeyValuePair<string, string>("Private-Token", "glpat-1")));
        }
    }

    [Test]
    public void Build_TemplateError_GoStyleErrorAndNoRequest()
    {
        var spec = new HttpProbeSpec { Path = "/{{ .Connector.Spec.Nope }}" };
        var (request, error) = Builder.Build(spec, Fixtures.GitConnector("ns", "c", "https://git.example.com"), null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request, Is.Null);
            Assert.That(error, Does.StartWith("template: http.path:1:"));
        }
    }

    [TestCase("glpat-1\r\nX-Evil: 1")]
    [TestCase("glpat-1\nX-Evil: 1")]
    [TestCase("glpat-1\0")]
    public void Build_HeaderRendersLineBreakOrNul_ErrorWithoutTheValueAndNoRequest(string token)
    {
        var spec = new HttpProbeSpec { Path = "/api", HttpHeaders = [new HttpHeaderSpec { Name = "private-token", Value = "{{ .Secret.StringData.token }}" }] };
        var secret = new Secret { Metadata = new ObjectMeta { Name = "t" }, StringData = new() { ["token"] = token } };

        var (request, error) = Builder.Build(spec, Fixtures.GitConnector("team", "gl", "https://gitlab.example.com"), secret);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(request, Is.Null);
            Assert.That(error, Does.Contain("http.httpHeaders[private-token]").And.Contain("line break").And.Not.Contain("glpat-1"));
        }
    }

    [Test]
    public void Build_UnsupportedMethod_Error()
    {
        var (request, error) = Builder.Build(new HttpProbeSpec { Path = "/", Method = "PUT" }, Fixtures.GitConnector("ns", "c", "https://git.example.com"), null);
        Assert.That((request, error), Is.EqualTo(((ProbeRequest?)null, "http.method \"PUT\" is not GET or POST")));
    }

    [Test]
    public void BuildApi_ResolvedApiUrlWithPrefix_PathAppended()
    {
        var (request, error) = Builder.BuildApi(new ApiProbeSpec { Path = "/git/{{ .Connector.Name }}" }, "http://git-api.tools.svc.cluster.local/api/", Fixtures.GitConnector("ns", "c", "https://git.example.com"), null);
        Assert.That((request?.Url.ToString(), error), Is.EqualTo(("http://git-api.tools.svc.cluster.local/api/git/c", (string?)null)));
    }

    [Test]
    public void BuildApi_NoApiUrl_Error()
    {
        var (_, error) = Builder.BuildApi(new ApiProbeSpec { Path = "/x" }, null, Fixtures.GitConnector("ns", "c", "https://git.example.com"), null);
        Assert.That(error, Is.EqualTo("the connectorclass has no resolved API address (status.api.address.url)"));
    }
}
