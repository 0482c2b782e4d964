using System.Text;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Grpc.Core;

namespace Connectors.Tests.Csi;

[TestFixture]
public sealed class NodePublishVolumeTests
{
    private static readonly string[] BuiltinNames = [".env", "ca.cert", "ca.crt", "connector.status.proxyAddress", "context.proxy.caCert", "context.token", "http.proxy", "https.proxy"];
    private static readonly string[] DefaultAudiences = ["https://kubernetes.default.svc.cluster.local", "http://c-git.team.svc.cluster.local"];

    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    [Test, CancelAfter(20_000)]
    public async Task Publish_BuiltinsOnly_WritesTheEightFilesWithAFreshToken(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = Target(driver);
        await driver.PublishAsync(CsiRequests.Publish(target, ("connectors", "git")), cancellationToken);

        const string Forward = "http://team%2Fgit:token-team-builder-1@c-git.team.svc.cluster.local";
        var request = driver.Kube.TokenRequests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(target), Is.EqualTo(BuiltinNames));
            Assert.That(Read(target, "context.token"), Is.EqualTo("token-team-builder-1"));
            Assert.That(Read(target, "connector.status.proxyAddress"), Is.EqualTo("http://c-git.team.svc.cluster.local"));
            Assert.That(Read(target, "http.proxy"), Is.EqualTo(Forward));
            Assert.That(Read(target, "https.proxy"), Is.EqualTo(Forward));
            Assert.That(Read(target, ".env"), Is.EqualTo($"http_proxy={Forward}\nhttps_proxy={Forward}\nno_proxy=localhost,127.0.0.1\n"));
            Assert.That(Read(target, "ca.crt"), Is.EqualTo(Pem));
            Assert.That(Read(target, "ca.cert"), Is.EqualTo(Pem));
            Assert.That(Read(target, "context.proxy.caCert"), Is.EqualTo(Pem));
            Assert.That(request.Spec.Audiences, Is.EqualTo(DefaultAudiences));
            Assert.That(request.Spec.ExpirationSeconds, Is.EqualTo(1800));
            Assert.That(driver.Kube.Reviews.Single().Spec.User, Is.EqualTo(CsiRequests.User));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_ConfigurationsLaterWinsAndExclusions_MergesInOrder(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = Target(driver);
        await driver.PublishAsync(CsiRequests.Publish(target,
            ("connectors", "git"),
            ("configuration.names", "first,second,!ca.cert,!http.proxy"),
            ("token.expiration", "1h")), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Read(target, "shared"), Is.EqualTo("second https://git.example.com"));
            Assert.That(Read(target, "only-first"), Is.EqualTo("first token-team-builder-1"));
            Assert.That(Read(target, "context.token"), Is.EqualTo("overridden by a class file"));
            Assert.That(File.Exists(Path.Combine(target, "ca.cert")), Is.False);
            Assert.That(File.Exists(Path.Combine(target, "http.proxy")), Is.False);
            Assert.That(driver.Kube.TokenRequests.Single().Spec.ExpirationSeconds, Is.EqualTo(3600));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_KubeletTokens_UsesThemWithoutTokenRequest(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = Target(driver);
        var tokens = """{"":{"token":"api-token","expirationTimestamp":"2030-01-01T00:00:00Z"},"http://c-git.team.svc.cluster.local":{"token":"proxy-token","expirationTimestamp":"2030-01-01T00:00:00Z"}}""";
        await driver.PublishAsync(CsiRequests.Publish(target, ("connectors", "git"), ("csi.storage.k8s.io/serviceAccount.tokens", tokens)), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Read(target, "context.token"), Is.EqualTo("proxy-token"));
            Assert.That(driver.Kube.TokenRequests, Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_Again_RefreshesTokenInPlace(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = Target(driver);
        var request = CsiRequests.Publish(target, ("connectors", "git"));
        await driver.PublishAsync(request, cancellationToken);
        await driver.PublishAsync(request, cancellationToken);
        Assert.That(Read(target, "context.token"), Is.EqualTo("token-team-builder-2"));
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_FailedRefresh_KeepsOldContentAndReturnsError(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = Target(driver);
        var request = CsiRequests.Publish(target, ("connectors", "git"));
        await driver.PublishAsync(request, cancellationToken);
        var before = Snapshot(target);
        driver.Kube.TokenFailure = StatusCode.Unavailable;
        var error = await Assert.ThrowsAsync<RpcException>(() => driver.PublishAsync(request, cancellationToken));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(Snapshot(target), Is.EqualTo(before));
        }
    }

    [TestCase("connectors", "missing", StatusCode.NotFound, "connector \"missing\" not found")]
    [TestCase("connectors", "secret-git", StatusCode.PermissionDenied, "permission denied: serviceaccount \"team/builder\" may not get connector \"team/secret-git\"")]
    [TestCase("configuration.names", "nope", StatusCode.NotFound, "configuration \"nope\" not found in connectorclass \"gitlab\"")]
    [TestCase("configuration.names", "broken", StatusCode.Internal, "failed to generate configuration \"broken\" file \"x\"")]
    [TestCase("configuration.names", "unknown-engine", StatusCode.FailedPrecondition, "asks for unknown template engine \"jinja\": want go or handlebars")]
    [TestCase("configuration.names", "badname", StatusCode.FailedPrecondition, "has an invalid file name \"../escape\"")]
    [TestCase("configuration.names", "needs", StatusCode.InvalidArgument, "configuration \"needs\" requires param \"registry\"")]
    public async Task Publish_BadInput_FailsWithCodeAndLeavesNoTarget(string key, string value, StatusCode status, string message)
    {
        await using var driver = await StartAsync(CancellationToken.None);
        var target = Target(driver);
        var request = CsiRequests.Publish(target, ("connectors", "git"));
        request.VolumeContext[key] = value;
        var error = await Assert.ThrowsAsync<RpcException>(() => driver.PublishAsync(request, CancellationToken.None));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(status));
            Assert.That(error.Status.Detail, Does.Contain(message));
            Assert.That(Directory.Exists(target), Is.False);
            Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!), Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_SameServiceAccountTwice_ReviewsAccessOnce(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        await driver.PublishAsync(CsiRequests.Publish(Target(driver), ("connectors", "git")), cancellationToken);
        await driver.PublishAsync(CsiRequests.Publish(Target(driver), ("connectors", "git")), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(driver.Kube.Reviews, Has.Count.EqualTo(1));
            Assert.That(driver.Kube.TokenRequests, Has.Count.EqualTo(2), "every volume gets its own token");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_DeniedThenAllowed_DenialIsNotRemembered(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var request = CsiRequests.Publish(Target(driver), ("connectors", "secret-git"));
        var denied = await Assert.ThrowsAsync<RpcException>(() => driver.PublishAsync(request, cancellationToken));
        driver.Kube.Allow(CsiRequests.User, "team", "secret-git");
        await driver.PublishAsync(request, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(denied!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(File.Exists(Path.Combine(request.TargetPath, "context.token")), Is.True);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_ClassWithoutProxy_MountsFilesWithEmptyProxyAddresses(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        driver.Kube.Add(CsiRequests.Class("my-git", CsiRequests.Configuration("config", (".gitconfig", "this is git config\n"))));
        var connector = CsiRequests.Connector("git-connector", "my-git");
        connector.Status = null;
        driver.Kube.Add(connector);
        driver.Kube.Allow(CsiRequests.User, "team", "git-connector");
        var target = Target(driver);

        await driver.PublishAsync(CsiRequests.Publish(target, ("connector.name", "git-connector"), ("configuration.names", "config")), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Read(target, ".gitconfig"), Is.EqualTo("this is git config\n"));
            Assert.That(Read(target, "connector.status.proxyAddress"), Is.Empty);
            Assert.That(Read(target, "http.proxy"), Is.Empty);
            Assert.That(Read(target, "context.token"), Is.EqualTo("token-team-builder-1"));
            Assert.That(driver.Kube.TokenRequests.Single().Spec.Audiences, Is.EqualTo(new[] { "https://kubernetes.default.svc.cluster.local" }));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_TemplateFailsWithTheToken_ErrorDoesNotCarryIt(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var request = CsiRequests.Publish(Target(driver), ("connectors", "git"), ("configuration.names", "leaky"));

        var error = await Assert.ThrowsAsync<RpcException>(() => driver.PublishAsync(request, cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Status.Detail, Does.Contain("failed to generate configuration \"leaky\"").And.Contain("[redacted]"));
            Assert.That(error.Status.Detail, Does.Not.Contain("token-team-builder-1"));
            Assert.That(Directory.Exists(request.TargetPath), Is.False);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Unpublish_Twice_RemovesTargetAndSucceedsAgain(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = Target(driver);
        var request = CsiRequests.Publish(target, ("connectors", "git"));
        await driver.PublishAsync(request, cancellationToken);
        await driver.UnpublishAsync(request.VolumeId, target, cancellationToken);
        await driver.UnpublishAsync(request.VolumeId, target, cancellationToken);
        Assert.That(Directory.Exists(target), Is.False);
    }

    [Test, CancelAfter(20_000)]
    public async Task Unpublish_ForeignDirectory_RefusesAndKeepsIt(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = Target(driver);
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "precious"), "x", cancellationToken);
        var error = await Assert.ThrowsAsync<RpcException>(() => driver.UnpublishAsync("v", target, cancellationToken));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(File.Exists(Path.Combine(target, "precious")), Is.True);
        }
    }

    private static async Task<CsiTestDriver> StartAsync(CancellationToken cancellationToken)
    {
        var driver = await CsiTestDriver.StartAsync(cancellationToken);
        var kube = driver.Kube;
        var handlebars = CsiRequests.Configuration("second", ("shared", "second {{ connector.spec.address }}"), ("context.token", "overridden by a class file"));
        handlebars.Annotations = new Dictionary<string, string> { [WellKnown.TemplateEngineAnnotation] = "handlebars" };
        var unknownEngine = CsiRequests.Configuration("unknown-engine", ("x", "y"));
        unknownEngine.Annotations = new Dictionary<string, string> { [WellKnown.TemplateEngineAnnotation] = "jinja" };
        var needs = CsiRequests.Configuration("needs", ("npmrc", "registry={{ .configurations.registry }}"));
        needs.Params = [new ParamSpec { Name = "registry" }];
        kube.Add(CsiRequests.Class("gitlab",
            CsiRequests.Configuration("first", ("shared", "first"), ("only-first", "first {{ .context.token }}")),
            handlebars,
            CsiRequests.Configuration("broken", ("x", "{{ fail }}")),
            CsiRequests.Configuration("leaky", ("x", "{{ fail .context.token }}")),
            unknownEngine,
            CsiRequests.Configuration("badname", ("../escape", "x")),
            needs));
        kube.Add(CsiRequests.Connector("git", "gitlab"));
        kube.Add(CsiRequests.Connector("secret-git", "gitlab"));
        kube.Add(CsiRequests.ProxyCa(Pem));
        kube.Allow(CsiRequests.User, "team", "git");
        return driver;
    }

    private static string Target(CsiTestDriver driver)
    {
        var pod = driver.Directory.Combine("pods", Guid.NewGuid().ToString("N"), "volumes");
        Directory.CreateDirectory(pod);
        return Path.Combine(pod, "mount");
    }

    private static string[] Names(string target) =>
        [.. Directory.GetFileSystemEntries(target).Select(Path.GetFileName).Where(n => !n!.StartsWith("..", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!];

    private static string Read(string target, string name) => File.ReadAllText(Path.Combine(target, name), Encoding.UTF8);

    private static Dictionary<string, string> Snapshot(string target) =>
        Directory.GetFileSystemEntries(target).ToDictionary(p => Path.GetFileName(p), p => new FileInfo(p).LinkTarget ?? "(dir)");
}
