using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Registry;

/// <summary>
/// The proxy's registry mode against a real CNCF distribution registry (htpasswd and token authentication) with
/// skopeo as the client, through the registry path form and a mounted-style config.json.
/// </summary>
[TestFixture]
public sealed class RegistryProxyTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("hello from a layer pushed through the connectors proxy\n");

    [TestCase(false, SecretTypes.DistributionRegistryToken)]
    [TestCase(true, SecretTypes.DistributionRegistryToken)]
    [TestCase(true, SecretTypes.BasicAuth)]
    [CancelAfter(60_000)]
    public async Task SkopeoCopy_PathForm_PushesAndPullsWithTheMountedConfig(bool tokenAuth, string secretType, CancellationToken cancellationToken)
    {
        await using var fixture = await RegistryFixture.StartAsync(tokenAuth, cancellationToken, secretType: secretType);
        var source = fixture.Directory.Combine("source");
        var layer = OciLayout.Create(source, "v1", "hello.txt", Payload);
        var image = $"docker://{fixture.ImagePrefix}/demo/app:v1";

        var push = await RegistryFixture.SkopeoAsync(cancellationToken,
            "copy", "--dest-tls-verify=false", "--authfile", fixture.Directory.Combine("config.json"), $"oci:{source}:v1", image);
        var pulled = fixture.Directory.Combine("pulled");
        var pull = await RegistryFixture.SkopeoAsync(cancellationToken,
            "copy", "--src-tls-verify=false", "--authfile", fixture.Directory.Combine("config.json"), image, $"oci:{pulled}:v1");

        var logs = fixture.Proxy.Logs;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(push.ExitCode, Is.Zero, push.Output);
            Assert.That(pull.ExitCode, Is.Zero, pull.Output);
            Assert.That(OciLayout.Blobs(pulled), Does.Contain(layer));
            Assert.That(Directory.Exists(Path.Combine(fixture.Registry.StoragePath, "docker/registry/v2/repositories/demo/app")), Is.True, "stored under the registry's own name");
            Assert.That(logs + push.Output + pull.Output, Does.Not.Contain(DistributionRegistry.Password));
            Assert.That(logs, Does.Not.Contain(Convert.ToBase64String(Encoding.UTF8.GetBytes(DistributionRegistry.User + ":" + DistributionRegistry.Password))));
            Assert.That(logs, Does.Not.Contain(RegistryFixture.Token));
        }

        if (fixture.Tokens is { } tokens)
        {
            Assert.That(tokens.Issued, Is.GreaterThan(0).And.LessThan(fixture.Registry.RequestCount), "tokens are cached per scope");
            Assert.That(logs, Does.Not.Contain(".eyJ"), "no JWT in the proxy's logs");
        }
    }

    [TestCase(false), TestCase(true)]
    [CancelAfter(60_000)]
    public async Task SkopeoCopy_DeniedServiceAccount_IsRefusedAndTheRegistryReceivesNothing(bool tokenAuth, CancellationToken cancellationToken)
    {
        await using var fixture = await RegistryFixture.StartAsync(tokenAuth, cancellationToken);
        var source = fixture.Directory.Combine("source");
        OciLayout.Create(source, "v1", "hello.txt", Payload);
        var before = fixture.Registry.RequestCount;

        var push = await RegistryFixture.SkopeoAsync(cancellationToken,
            "copy", "--dest-tls-verify=false", "--authfile", fixture.Directory.Combine("denied.json"), $"oci:{source}:v1", $"docker://{fixture.ImagePrefix}/demo/app:v1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(push.ExitCode, Is.Not.Zero);
            Assert.That(push.Output, Does.Contain("denied").Or.Contain("403"), push.Output);
            Assert.That(fixture.Registry.RequestCount, Is.EqualTo(before), "the registry got no request");
            Assert.That(fixture.Tokens?.Issued ?? 0, Is.Zero);
            Assert.That(Directory.Exists(Path.Combine(fixture.Registry.StoragePath, "docker")), Is.False);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task V2Base_NoCredentials_Answers401WithBasicChallengeAndRegistryError(CancellationToken cancellationToken)
    {
        await using var fixture = await RegistryFixture.StartAsync(false, cancellationToken);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(fixture.Proxy.Address, "/v2/"), cancellationToken);

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Basic realm=\"connectors\""));
            Assert.That(response.Headers.GetValues("Docker-Distribution-API-Version"), Is.EqualTo(new[] { "registry/2.0" }));
            Assert.That(body, Does.StartWith("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"connectors proxy: authentication required"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task V2Base_ValidAndInvalidToken_Answer200And401(CancellationToken cancellationToken)
    {
        await using var fixture = await RegistryFixture.StartAsync(false, cancellationToken);
        using var client = new HttpClient();

        using var valid = await client.SendAsync(Get(fixture, "/v2/", RegistryFixture.DeniedToken), cancellationToken);
        using var invalid = await client.SendAsync(Get(fixture, "/v2/", "not-a-token"), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            // /v2/ names no Connector: a valid token is enough, whatever it may access.
            Assert.That(valid.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await valid.Content.ReadAsStringAsync(cancellationToken), Is.EqualTo("{}\n"));
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(fixture.Registry.RequestCount, Is.EqualTo(1), "only the fixture's readiness check reached the registry");
        }
    }

    [TestCase(false), TestCase(true)]
    [CancelAfter(60_000)]
    public async Task UploadSession_ChunkedAndMonolithic_LocationsMappedAndBlobsStored(bool tokenAuth, CancellationToken cancellationToken)
    {
        await using var fixture = await RegistryFixture.StartAsync(tokenAuth, cancellationToken);
        using var client = new HttpClient();
        var blob = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(blob);
        var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob));

        // Chunked: POST, two PATCHes, PUT ?digest=.
        using var start = await client.SendAsync(Request(fixture, HttpMethod.Post, "/v2/namespaces/team/connectors/reg/demo/chunked/blobs/uploads/"), cancellationToken);
        var location = start.Headers.Location?.OriginalString;
        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await start.Content.ReadAsStringAsync(cancellationToken));
        Assert.That(location, Does.StartWith("/v2/namespaces/team/connectors/reg/demo/chunked/blobs/uploads/"));
        var half = blob.Length / 2;
        foreach (var (offset, length) in new[] { (0, half), (half, blob.Length - half) })
        {
            using var patch = Request(fixture, HttpMethod.Patch, location!);
            patch.Content = new ByteArrayContent(blob, offset, length);
            patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
            using var patched = await client.SendAsync(patch, cancellationToken);
            Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await patched.Content.ReadAsStringAsync(cancellationToken));
            location = patched.Headers.Location?.OriginalString;
            Assert.That(location, Does.StartWith("/v2/namespaces/team/connectors/reg/demo/chunked/blobs/uploads/"));

            // Resumable: the session's status says how much arrived and where to go on.
            using var status = await client.SendAsync(Request(fixture, HttpMethod.Get, location!), cancellationToken);
            Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(status.Headers.GetValues("Range").Single(), Is.EqualTo($"0-{offset + length - 1}"));
            Assert.That(status.Headers.Location?.OriginalString, Does.StartWith("/v2/namespaces/team/connectors/reg/demo/chunked/blobs/uploads/"));
        }

        using var finish = await client.SendAsync(Request(fixture, HttpMethod.Put, location + "&digest=" + digest), cancellationToken);

        // Monolithic: POST, then one PUT with the whole body.
        using var start2 = await client.SendAsync(Request(fixture, HttpMethod.Post, "/v2/namespaces/team/connectors/reg/demo/mono/blobs/uploads/"), cancellationToken);
        using var put = Request(fixture, HttpMethod.Put, start2.Headers.Location!.OriginalString + "&digest=" + digest);
        put.Content = new ByteArrayContent(blob);
        using var stored = await client.SendAsync(put, cancellationToken);
        using var head = await client.SendAsync(Request(fixture, HttpMethod.Head, "/v2/namespaces/team/connectors/reg/demo/mono/blobs/" + digest), cancellationToken);
        using var get = await client.SendAsync(Request(fixture, HttpMethod.Get, "/v2/namespaces/team/connectors/reg/demo/chunked/blobs/" + digest), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(finish.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(finish.Headers.Location?.OriginalString, Is.EqualTo("/v2/namespaces/team/connectors/reg/demo/chunked/blobs/" + digest));
            Assert.That(stored.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await get.Content.ReadAsByteArrayAsync(cancellationToken), Is.EqualTo(blob));
            Assert.That(fixture.Proxy.Logs, Does.Not.Contain(DistributionRegistry.Password));
        }
    }

    [TestCase(false), TestCase(true)]
    [CancelAfter(60_000)]
    public async Task Mount_FromSameConnector_MountsAndFromAnotherConnector_FallsBackToUpload(bool tokenAuth, CancellationToken cancellationToken)
    {
        await using var fixture = await RegistryFixture.StartAsync(tokenAuth, cancellationToken);
        using var client = new HttpClient();
        var blob = Encoding.UTF8.GetBytes("mount me");
        var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob));
        using var start = await client.SendAsync(Request(fixture, HttpMethod.Post, "/v2/namespaces/team/connectors/reg/demo/one/blobs/uploads/"), cancellationToken);
        using var put = Request(fixture, HttpMethod.Put, start.Headers.Location!.OriginalString + "&digest=" + digest);
        put.Content = new ByteArrayContent(blob);
        using var stored = await client.SendAsync(put, cancellationToken);
        Assert.That(stored.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        using var same = await client.SendAsync(Request(fixture, HttpMethod.Post,
            $"/v2/namespaces/team/connectors/reg/demo/two/blobs/uploads/?mount={digest}&from=namespaces/team/connectors/reg/demo/one"), cancellationToken);
        using var other = await client.SendAsync(Request(fixture, HttpMethod.Post,
            $"/v2/namespaces/team/connectors/reg/demo/three/blobs/uploads/?mount={digest}&from=namespaces/other/connectors/reg/demo/one"), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(same.StatusCode, Is.EqualTo(HttpStatusCode.Created), "mounted from demo/one");
            Assert.That(same.Headers.Location?.OriginalString, Is.EqualTo("/v2/namespaces/team/connectors/reg/demo/two/blobs/" + digest));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "a plain upload session instead");
            Assert.That(other.Headers.Location?.OriginalString, Does.StartWith("/v2/namespaces/team/connectors/reg/demo/three/blobs/uploads/"));
            Assert.That(fixture.Registry.Log, Does.Not.Contain("namespaces/other"));
        }
    }

    [TestCase("c-reg.team.svc.cluster.local", "/v2/demo/host/", "/v2/demo/host/blobs/uploads/")]
    [TestCase(null, "/namespaces/team/connectors/reg/v2/demo/generic/", "/namespaces/team/connectors/reg/v2/demo/generic/blobs/uploads/")]
    [TestCase("c-reg.team.svc", "/v2/namespaces/team/connectors/reg/demo/both/", "/v2/namespaces/team/connectors/reg/demo/both/blobs/uploads/")]
    [CancelAfter(30_000)]
    public async Task UploadSession_HostAndGenericPathForms_LocationInTheClientsForm(string? host, string repositoryPath, string expected, CancellationToken cancellationToken)
    {
        await using var fixture = await RegistryFixture.StartAsync(false, cancellationToken);
        using var client = new HttpClient();
        using var request = Request(fixture, HttpMethod.Post, repositoryPath + "blobs/uploads/");
        request.Headers.Host = host;

        using var response = await client.SendAsync(request, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync(cancellationToken));
            Assert.That(response.Headers.Location?.OriginalString, Does.StartWith(expected));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Catalog_OnTheProxyHost_Answers404RegistryError(CancellationToken cancellationToken)
    {
        await using var fixture = await RegistryFixture.StartAsync(false, cancellationToken);
        using var client = new HttpClient();

        using var response = await client.SendAsync(Get(fixture, "/v2/_catalog", RegistryFixture.Token), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await response.Content.ReadAsStringAsync(cancellationToken), Does.Contain("\"code\":\"NAME_UNKNOWN\""));
        }
    }

    private static HttpRequestMessage Get(RegistryFixture fixture, string path, string token) => Request(fixture, HttpMethod.Get, path, token);

    private static HttpRequestMessage Request(RegistryFixture fixture, HttpMethod method, string path, string token = RegistryFixture.Token) =>
        new(method, new Uri(fixture.Proxy.Address, path))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + token))) },
        };
}
