using Connectors.Modules.Registry;

namespace Connectors.Tests.Registry;

[TestFixture]
public sealed class RegistryPathTests
{
    [TestCase("/v2/", nameof(RegistryEndpoint.Base), "")]
    [TestCase("/v2", nameof(RegistryEndpoint.Base), "")]
    [TestCase("/v2/_catalog?n=10", nameof(RegistryEndpoint.Catalog), "")]
    [TestCase("/v2/library/busybox/manifests/latest", nameof(RegistryEndpoint.Manifest), "library/busybox")]
    [TestCase("/v2/a/blobs/sha256:abc", nameof(RegistryEndpoint.Blob), "a")]
    [TestCase("/v2/a/b/c/blobs/uploads/", nameof(RegistryEndpoint.Upload), "a/b/c")]
    [TestCase("/v2/a/blobs/uploads/0f5e-uuid?_state=xyz&digest=sha256:1", nameof(RegistryEndpoint.Upload), "a")]
    [TestCase("/v2/a/tags/list?n=5", nameof(RegistryEndpoint.Tags), "a")]
    [TestCase("/v2/a/referrers/sha256:abc", nameof(RegistryEndpoint.Referrers), "a")]
    [TestCase("/v2/x/manifests/manifests/v1", nameof(RegistryEndpoint.Manifest), "x/manifests")]
    [TestCase("/v2/blobs/blobs/uploads/", nameof(RegistryEndpoint.Upload), "blobs")]
    public void TryParse_DistributionPaths_EndpointAndRepository(string path, string endpoint, string repository)
    {
        Assert.That(RegistryPath.TryParse(path, out var parsed) ? parsed : default(RegistryPath?), Is.EqualTo(new RegistryPath(Enum.Parse<RegistryEndpoint>(endpoint), repository)));
    }

    [TestCase("/v3/a/manifests/x")]
    [TestCase("/v2/manifests/latest")]
    [TestCase("/v2/a/manifests/")]
    [TestCase("/v2/a//manifests/x")]
    [TestCase("/v2/../manifests/x")]
    [TestCase("/v2/a/tags/all")]
    [TestCase("/api/v2.0/projects")]
    public void TryParse_OtherPaths_False(string path)
    {
        Assert.That(RegistryPath.TryParse(path, out _), Is.False);
    }

    [TestCase("GET", "/v2/a/manifests/v1", null, "repository:a:pull")]
    [TestCase("HEAD", "/v2/a/blobs/sha256:1", null, "repository:a:pull")]
    [TestCase("PATCH", "/v2/a/blobs/uploads/u", null, "repository:a:pull,push")]
    [TestCase("PUT", "/v2/a/manifests/v1", null, "repository:a:pull,push")]
    [TestCase("DELETE", "/v2/a/manifests/sha256:1", null, "repository:a:delete")]
    [TestCase("POST", "/v2/a/blobs/uploads/", "b/c", "repository:a:pull,push repository:b/c:pull")]
    [TestCase("GET", "/v2/_catalog", null, "registry:catalog:*")]
    [TestCase("GET", "/v2/", null, "")]
    public void Scopes_PerMethodAndMount_AsDistributionChecks(string method, string path, string? from, string scopes)
    {
        Assert.That(RegistryPath.TryParse(path, out var parsed), Is.True);
        Assert.That(string.Join(' ', RegistryScopes.For(method, parsed, from)), Is.EqualTo(scopes));
    }

    [TestCase("/v2/namespaces/team/connectors/reg/demo/app/manifests/v1?x=1", "team", "reg", "/v2/demo/app/manifests/v1?x=1")]
    [TestCase("/v2/namespaces/team/connectors/reg/", "team", "reg", "/v2/")]
    [TestCase("/v2/namespaces/team/connectors/reg", "team", "reg", "/v2/")]
    public void TryResolve_PathForm_ConnectorAndUpstreamTarget(string path, string ns, string name, string upstream)
    {
        var resolved = RegistryPathResolver.TryResolve(path, out var n, out var c, out var u);

        Assert.That((resolved, n, c, u), Is.EqualTo((true, ns, name, upstream)));
    }

    [TestCase("/v2/namespaces/team/repos/reg/x")]
    [TestCase("/v2/namespaces/Team/connectors/reg/x")]
    [TestCase("/v2/namespaces//connectors/reg/x")]
    [TestCase("/v2/namespaces/team/connectors/r%2Fx/y")]
    [TestCase("/namespaces/team/connectors/reg/v2/x")]
    public void TryResolve_NotThePathForm_False(string path)
    {
        Assert.That(RegistryPathResolver.TryResolve(path, out _, out _, out _), Is.False);
    }

    [TestCase("namespaces/team/connectors/reg/demo/one", "demo/one")]
    [TestCase("namespaces/team/connectors/other/demo/one", null)]
    [TestCase("namespaces/team/connectors/reg/", null)]
    [TestCase("demo/one", null)]
    public void UpstreamRepository_OnlyTheSameConnector(string client, string? upstream)
    {
        Assert.That(RegistryPathResolver.UpstreamRepository("team", "reg", client), Is.EqualTo(upstream));
    }
}
