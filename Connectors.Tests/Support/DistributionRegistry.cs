using System.Diagnostics;
using System.Net;

namespace Connectors.Tests.Support;

/// <summary>
/// A real CNCF distribution registry (Debian <c>docker-registry</c> 2.8) on 127.0.0.1, with htpasswd (bcrypt) or token
/// authentication, in a temp directory (storage, config, log); killed on dispose. Tests skip when the binary is missing.
/// </summary>
internal sealed class DistributionRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    public const string User = "reguser";
    public const string Password = "regpass-7Hq2";

    private readonly Process _process;
    private readonly TempDirectory _directory;

    private DistributionRegistry(Process process, TempDirectory directory, Uri address, string host)
    {
        _process = process;
        _directory = directory;
        BaseAddress = address;
        Host = host;
    }

    /// <summary><c>http[s]://&lt;host&gt;:port</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The host name in <see cref="BaseAddress"/>.</summary>
    public string Host { get; }

    public string StoragePath => _directory.Combine("data");

    /// <summary>The registry's own log, access lines included.</summary>
    public string Log => File.Exists(_directory.Combine("registry.log")) ? ReadShared(_directory.Combine("registry.log")) : string.Empty;

    /// <summary>How many requests the registry has answered, refused ones included (its access log: one Apache-style line each).</summary>
    public int RequestCount => Log.Split('\n').Count(l => l.Contains(" - - [", StringComparison.Ordinal) && l.Contains(" HTTP/1.1\" ", StringComparison.Ordinal));

    public static void SkipUnlessInstalled()
    {
        if (!File.Exists(Binary))
        {
            Assert.Ignore($"{Binary} is not installed (Debian package docker-registry)");
        }
    }

    /// <summary>A registry wanting Basic credentials <see cref="User"/>/<see cref="Password"/> (htpasswd, bcrypt).</summary>
    public static async Task<DistributionRegistry> StartHtpasswdAsync(CancellationToken cancellationToken, string host = "127.0.0.1", (string Cert, string Key)? tls = null)
    {
        var directory = new TempDirectory();
        var htpasswd = directory.Combine("htpasswd");
        var (code, output) = await ExternalCommand.RunAsync("htpasswd", ["-Bbc", htpasswd, User, Password], null, cancellationToken);
        Assert.That(code, Is.Zero, output);
        var auth = $"  htpasswd:\n    realm: test-registry\n    path: {htpasswd}\n";
        return await StartAsync(directory, auth, host, tls, cancellationToken);
    }

    /// <summary>A registry trusting tokens of <paramref name="tokens"/> (distribution token authentication).</summary>
    public static async Task<DistributionRegistry> StartTokenAsync(RegistryTokenServer tokens, CancellationToken cancellationToken)
    {
        var directory = new TempDirectory();
        var bundle = directory.Combine("token-root.crt");
        await File.WriteAllTextAsync(bundle, tokens.CertificatePem, cancellationToken);
        var auth = $"  token:\n    realm: {tokens.Realm}\n    service: {RegistryTokenServer.Service}\n    issuer: {RegistryTokenServer.Issuer}\n    rootcertbundle: {bundle}\n";
        return await StartAsync(directory, auth, "127.0.0.1", null, cancellationToken);
    }

    private static async Task<DistributionRegistry> StartAsync(TempDirectory directory, string auth, string host, (string Cert, string Key)? tls, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        Directory.CreateDirectory(directory.Combine("data"));
        var tlsLine = tls is { } t ? $"  tls:\n    certificate: {t.Cert}\n    key: {t.Key}\n" : string.Empty;
        var config = new System.Text.StringBuilder()
            .Append("version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\n")
            .Append("storage:\n  filesystem:\n    rootdirectory: ").Append(directory.Combine("data")).Append('\n')
            .Append("  delete:\n    enabled: true\n  maintenance:\n    uploadpurging:\n      enabled: false\n")
            .Append("http:\n  addr: 127.0.0.1:").Append(port).Append("\n  secret: connectors-test-secret\n  relativeurls: false\n").Append(tlsLine)
            .Append("auth:\n").Append(auth)
            .ToString();
        var configPath = directory.Combine("config.yml");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);
        var logPath = directory.Combine("registry.log");
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec {Binary} serve '{configPath}' >'{logPath}' 2>&1");
        var process = Process.Start(info)!;
        var scheme = tls is null ? "http" : "https";
        var registry = new DistributionRegistry(process, directory, new Uri($"{scheme}://{host}:{port}"), host);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                using var response = await client.GetAsync($"{scheme}://127.0.0.1:{port}/v2/", cancellationToken);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return registry;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(25, cancellationToken);
        }

        var log = registry.Log;
        await registry.DisposeAsync();
        Assert.Fail("docker-registry did not start:\n" + log + "\n" + config);
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
