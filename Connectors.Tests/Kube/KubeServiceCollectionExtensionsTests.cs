using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Connectors.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Connectors.Tests.Kube;

/// <summary>The module's door: AddKube and AddKubeCache in a real host against the embedded API.</summary>
[TestFixture]
public sealed class KubeServiceCollectionExtensionsTests
{
    [Test, CancelAfter(30_000)]
    public async Task AddKubeCache_HostStartedAndAddedTwice_OneCacheSyncsAndReportsReady(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using (var admin = EmbeddedKube.Admin(api))
        {
            await admin.CreateAsync(KubeClientEmbeddedTests.NewConnector("a", "git", secret: "s"), cancellationToken);
        }

        using var host = BuildHost(api.KubeconfigPath, services => services.AddKubeCache<Connector>().AddKubeCache<Connector>());
        await host.StartAsync(cancellationToken);
        var cache = host.Services.GetRequiredService<ResourceCache<Connector>>();
        var checks = host.Services.GetServices<IReadinessCheck>().ToArray();
        var check = checks.Single(c => c is ResourceCache<Connector>);
        await cache.WaitForSyncAsync(cancellationToken);
        var bySecret = cache.ByIndex(KubeIndexes.ConnectorsBySecret, "default/s");
        var client = host.Services.GetRequiredService<KubeClient>();
        var elector = host.Services.GetRequiredService<LeaderElector>();
        await host.StopAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(check, Is.SameAs(cache));
            Assert.That(check.IsReady, Is.True);
            Assert.That(checks.Select(c => c.Name), Is.EquivalentTo(new[] { check.Name, "kubernetes-api" }));
            Assert.That(checks.All(c => c.IsReady), Is.True);
            Assert.That(bySecret.Single().Metadata.Name, Is.EqualTo("a"));
            Assert.That(client.Server, Is.EqualTo(api.BaseUrl));
            Assert.That(elector.Identity, Is.Not.Empty);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task AddKube_RejectedCredentials_StartFailsWithOneLine(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var dir = new TempDirectory();
        var kubeconfig = dir.Write("kubeconfig", (await File.ReadAllTextAsync(api.KubeconfigPath, cancellationToken)).Replace(api.AdminToken, "expired", StringComparison.Ordinal));
        using var host = BuildHost(kubeconfig, services => services.AddKube());
        var error = await Assert.ThrowsAsync<KubeConfigException>(() => host.StartAsync(cancellationToken));
        Assert.That(error?.Message, Does.Contain("rejected the credentials").And.Contain(kubeconfig).And.Not.Contain("\n"));
    }

    [Test, CancelAfter(30_000)]
    public async Task AddKube_MissingKubeconfig_StartFailsNamingTheFile(CancellationToken cancellationToken)
    {
        using var host = BuildHost("/nonexistent/kubeconfig", services => services.AddKube());
        var error = await Assert.ThrowsAsync<KubeConfigException>(() => host.StartAsync(cancellationToken));
        Assert.That(error?.Message, Does.StartWith("cannot read kubeconfig /nonexistent/kubeconfig"));
    }

    private static IHost BuildHost(string kubeconfig, Action<IServiceCollection> configure)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kube:Kubeconfig"] = kubeconfig, ["Kube:StartupTimeout"] = "2s" });
        configure(builder.Services);
        return builder.Build();
    }
}
