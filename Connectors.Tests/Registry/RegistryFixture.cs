using System.Text;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Registry;

/// <summary>
/// A real registry behind the proxy: Connector <c>team/reg</c> of a registry-mode class, its Secret
/// (<c>cpaas.io/distribution-registry-token</c>), a ServiceAccount token granted on it and one that is not, and a
/// docker <c>config.json</c> shaped like the mounted one (any user, the token as password, keyed by the proxy's host:port).
/// </summary>
internal sealed class RegistryFixture : IAsyncDisposable
{
    public const string Token = "sa-token-registry-31f";
    public const string DeniedToken = "sa-token-denied-77c";
    public const string User = "system:serviceaccount:team:builder";
    public const string DeniedUser = "system:serviceaccount:team:intruder";
    public const string ClassName = "oci-test";

    private RegistryFixture(ProxyHarness proxy, DistributionRegistry registry, RegistryTokenServer? tokens, TempDirectory directory)
    {
        Proxy = proxy;
        Registry = registry;
        Tokens = tokens;
        Directory = directory;
    }

    public ProxyHarness Proxy { get; }

    public DistributionRegistry Registry { get; }

    public RegistryTokenServer? Tokens { get; }

    public TempDirectory Directory { get; }

    /// <summary><c>127.0.0.1:port</c> of the proxy: the registry host in image references.</summary>
    public string ProxyHost => Proxy.Address.Authority;

    /// <summary>The image reference prefix through the proxy: <c>&lt;proxy&gt;/namespaces/team/connectors/reg</c>.</summary>
    public string ImagePrefix => $"{ProxyHost}/namespaces/team/connectors/reg";

    /// <summary>
    /// Starts registry, token service (when <paramref name="tokenAuth"/>) and proxy; <paramref name="tls"/> serves the
    /// registry over https as <paramref name="registryHost"/>; the Connector's Secret is of <paramref name="secretType"/>.
    /// </summary>
    public static async Task<RegistryFixture> StartAsync(
        bool tokenAuth, CancellationToken cancellationToken, string registryHost = "127.0.0.1", (string Cert, string Key)? tls = null,
        string secretType = SecretTypes.DistributionRegistryToken)
    {
        DistributionRegistry.SkipUnlessInstalled();
        RegistryTokenServer? tokens = tokenAuth ? await RegistryTokenServer.StartAsync(cancellationToken) : null;
        var registry = tokens is null
            ? await DistributionRegistry.StartHtpasswdAsync(cancellationToken, registryHost, tls)
            : await DistributionRegistry.StartTokenAsync(tokens, cancellationToken);
        var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.Directory.Put(new ConnectorClass
        {
            Metadata = new ObjectMeta
            {
                Name = ClassName,
                Annotations = new() { [WellKnown.ProxyModeAnnotation] = WellKnown.RegistryProxyMode, [WellKnown.ProxyResolverAnnotation] = "path" },
            },
        });
        var secret = Secrets.Of("reg-creds", secretType, ("username", DistributionRegistry.User), ("password", DistributionRegistry.Password));
        proxy.AddConnector("team", "reg", registry.BaseAddress.ToString().TrimEnd('/'), secret, ClassName, "tokenAuth");
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.AddToken(DeniedToken, DeniedUser);
        proxy.Reviews.Grant(User, "team", "reg");
        var fixture = new RegistryFixture(proxy, registry, tokens, new TempDirectory());
        fixture.WriteAuthFile("config.json", Token);
        fixture.WriteAuthFile("denied.json", DeniedToken);
        return fixture;
    }

    /// <summary>A docker config.json for the proxy host with <paramref name="token"/> as password; returns its path.</summary>
    public string WriteAuthFile(string name, string token)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("connectors:" + token));
        var path = Directory.Combine(name);
        File.WriteAllText(path, $"{{\"auths\":{{\"{ProxyHost}\":{{\"auth\":\"{auth}\"}}}}}}");
        return path;
    }

    /// <summary>Runs skopeo with the given arguments; exit code and all output. No proxy from the test's environment applies.</summary>
    public static Task<(int ExitCode, string Output)> SkopeoAsync(CancellationToken cancellationToken, params string[] args) =>
        SkopeoAsync(null, cancellationToken, args);

    /// <summary>Runs skopeo with <paramref name="proxy"/> as HTTP_PROXY and HTTPS_PROXY (null: none).</summary>
    public static async Task<(int ExitCode, string Output)> SkopeoAsync(string? proxy, CancellationToken cancellationToken, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("/usr/bin/skopeo") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy" })
        {
            info.Environment.Remove(name);
        }

        if (proxy is not null)
        {
            info.Environment["HTTP_PROXY"] = info.Environment["HTTPS_PROXY"] = proxy;
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Registry.DisposeAsync();
        if (Tokens is not null)
        {
            await Tokens.DisposeAsync();
        }

        Directory.Dispose();
    }
}
