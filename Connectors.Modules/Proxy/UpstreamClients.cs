using System.Collections.Concurrent;
using System.Net.Security;
using System.Runtime.CompilerServices;
using Connectors.Modules.Model;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Pooled upstream connections, shared by every request of one trust policy (YARP's <c>IHttpForwarder</c> sends
/// through them): one <see cref="SocketsHttpHandler"/> for tools with public certificates, plus one
/// per distinct CA bundle a Connector names (<c>spec.caCertSecretRef</c>), which trusts the system CAs and that
/// bundle. No redirects are followed, no cookies kept, nothing decompressed, no proxy used, no trace headers added.
/// </summary>
internal sealed class UpstreamClients : IDisposable
{
    private readonly ProxyOptions _options;
    private readonly HttpMessageInvoker _default;
    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _withBundle = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<Secret, HttpMessageInvoker> _bySecret = new();
    private readonly ConditionalWeakTable<Secret, StrongBox<(CaBundle? Pool, HttpMessageInvoker? Invoker)>> _withPool = new();

    public UpstreamClients(IOptions<ProxyOptions> options)
    {
        _options = options.Value;
        _default = new HttpMessageInvoker(CreateHandler(null), disposeHandler: true);
    }

    /// <summary>
    /// The invoker for a Connector whose <c>caCertSecretRef</c> Secret is <paramref name="caSecret"/> (null = system
    /// CAs only; a Secret without a usable certificate also means system CAs only, and the controller's
    /// <c>CACertReady</c> says why). Resolved once per Secret object: the watch cache hands out a new one on change.
    /// </summary>
    public HttpMessageInvoker For(Secret? caSecret) =>
        caSecret is null ? _default : _bySecret.GetValue(caSecret, secret => For(CaBundle.FromSecret(secret)));

    /// <summary>
    /// The invoker for a Connector's own CA Secret (may be null) plus the cluster-wide <paramref name="pool"/> (may be
    /// null). The combination is kept per Secret object and pool, so a request does not merge bundles.
    /// </summary>
    public HttpMessageInvoker For(Secret? caSecret, CaBundle? pool)
    {
        if (pool is null)
        {
            return For(caSecret);
        }

        if (caSecret is null)
        {
            return For(pool);
        }

        var entry = _withPool.GetOrCreateValue(caSecret);
        var current = entry.Value;
        if (current.Pool != pool || current.Invoker is null)
        {
            current = (pool, For(CaBundle.Combine([pool, CaBundle.FromSecret(caSecret)])));
            entry.Value = current;
        }

        return current.Invoker;
    }

    /// <summary>The invoker trusting the system CAs and <paramref name="bundle"/> (null = system CAs only).</summary>
    public HttpMessageInvoker For(CaBundle? bundle) =>
        bundle is null
            ? _default
            : _withBundle.GetOrAdd(bundle.Key, static (_, state) => state.Owner.Create(state.Bundle), (Owner: this, Bundle: bundle));

    public void Dispose()
    {
        _default.Dispose();
        foreach (var invoker in _withBundle.Values)
        {
            invoker.Dispose();
        }
    }

    private SocketsHttpHandler CreateHandler(RemoteCertificateValidationCallback? validation) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        ConnectTimeout = _options.ConnectTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        // Bounds how long a connection outlives a DNS change of the tool.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ActivityHeadersPropagator = null,
        // A tool on HTTP/2 (API servers, gRPC) gets more connections once one carries its maximum of streams.
        EnableMultipleHttp2Connections = true,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = validation },
    };

    private HttpMessageInvoker Create(CaBundle bundle) =>
        new(CreateHandler((_, certificate, chain, errors) => bundle.Validate(certificate, chain, errors)), disposeHandler: true);
}
