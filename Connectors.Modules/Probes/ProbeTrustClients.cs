using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using Connectors.Modules.Model;

namespace Connectors.Modules.Probes;

/// <summary>
/// Connection pools for probes of tools with a private CA (<c>spec.caCertSecretRef</c>): one per distinct bundle,
/// trusting the system CAs and the bundle. Probes without a bundle use the named factory client.
/// </summary>
internal sealed class ProbeTrustClients : IDisposable
{
    private const int MaxBundles = 256;
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new();

    public HttpClient For(CaBundle bundle)
    {
        if (_clients.TryGetValue(bundle.Key, out var client))
        {
            return client;
        }

        if (_clients.Count >= MaxBundles)
        {
            // Bundles come from Secrets; a flood of distinct ones must not pin pools forever. The dropped pools are not
            // disposed (a probe may be using one): their idle connections close after 30 s and the GC takes the rest.
            _clients.Clear();
        }

        var created = new HttpClient(
            CreateHandler((_, certificate, chain, errors) => bundle.Validate(certificate, chain, errors)),
            disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan, // the probe's own deadline applies, as for the factory clients
        };
        if (_clients.TryAdd(bundle.Key, created))
        {
            return created;
        }

        created.Dispose();
        return _clients[bundle.Key];
    }

    public void Dispose() => Clear();

    /// <summary>
    /// No redirects (<see cref="HttpProbe"/> follows them itself, within the probe's origin), no proxy from the
    /// environment (a probe goes straight to the tool), no cookies, no decompression.
    /// </summary>
    internal static SocketsHttpHandler CreateHandler(RemoteCertificateValidationCallback? validation = null) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = Timeout.InfiniteTimeSpan,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = validation },
    };

    private void Clear()
    {
        foreach (var key in _clients.Keys)
        {
            if (_clients.TryRemove(key, out var client))
            {
                client.Dispose();
            }
        }
    }
}
