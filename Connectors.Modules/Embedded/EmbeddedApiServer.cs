using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Modules.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Embedded;

/// <summary>
/// An in-memory Kubernetes-compatible API server on its own Kestrel listener: what <c>--embedded</c> runs the
/// roles against, and what tests use as a real API over real HTTP. It serves HTTPS by default with a CA made at
/// start; <see cref="KubeconfigYaml"/> gives a kubeconfig with that CA and the admin token.
/// </summary>
public sealed partial class EmbeddedApiServer : IAsyncDisposable
{
    private static readonly string[] InitialNamespaces = ["default", "kube-system", "kube-public"];

    private readonly EmbeddedApiOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ObjectStore _store;
    private readonly ECDsa _signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ApiPipeline _pipeline;
    private readonly ResourceWrites _writes;
    private readonly WebhookCaller _webhooks = new();
    private ServingCertificate? _certificate;
    private WebApplication? _app;

    public EmbeddedApiServer(EmbeddedApiOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<EmbeddedApiServer>();
        var time = timeProvider ?? TimeProvider.System;
        AdminToken = options.AdminToken is { Length: > 0 } token ? token : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _store = new ObjectStore(Math.Max(1, options.HistorySize));
        var tokens = new ServiceAccountTokens(_signingKey, options.Issuer, time);
        var authenticator = new Authenticator(AdminToken, tokens, _store, EmbeddedApiOptions.DefaultAudience);
        var authorizer = new RbacAuthorizer(_store);
        var reviews = new Reviews(_store, tokens, authenticator, authorizer, time);
        var watches = new WatchStreamer(_store, options.BookmarkInterval);
        _writes = new ResourceWrites(_store, time, options.NamespaceFinalizeDelay);
        var admission = new AdmissionChain(_store, _webhooks, loggerFactory.CreateLogger("Connectors.Modules.Embedded.Admission"));
        _pipeline = new ApiPipeline(_store, authenticator, authorizer, tokens, watches, reviews, _writes, admission, time, loggerFactory.CreateLogger("Connectors.Modules.Embedded.Api"));
        foreach (var name in InitialNamespaces)
        {
            _writes.Create(ResourceRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, dryRun: false);
        }
    }

    /// <summary>The server's base URL, e.g. <c>https://127.0.0.1:41234/</c>; set by <see cref="StartAsync"/>.</summary>
    public Uri BaseUrl { get; private set; } = new("https://127.0.0.1:0/");

    /// <summary>The bearer token of the built-in admin (group <c>system:masters</c>).</summary>
    public string AdminToken { get; }

    /// <summary>PEM of the CA that signed the serving certificate (null when serving plain HTTP).</summary>
    public string? CertificateAuthorityPem => _certificate?.AuthorityPem;

    /// <summary>The newest resourceVersion the store has committed.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_store.Sync)
            {
                return _store.Revision;
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = ListenAddress.Parse(_options.Listen);
        var builder = ServerBuilder.Create(_loggerFactory);
        if (_options.Tls)
        {
            _certificate = ServingCertificate.Create(endpoint.Address, DateTimeOffset.UtcNow);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 32 << 20;
            k.Listen(endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (_certificate is not null)
                {
                    listen.UseHttps(_certificate.Server);
                }
            });
        });
        var app = builder.Build();
        app.Run(_pipeline.HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var bound = new Uri(app.Urls.First());
        BaseUrl = new Uri($"{bound.Scheme}://{bound.Authority}/");
        _pipeline.ServerAddress = bound.Authority;
        Log.Listening(_logger, BaseUrl);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        DisconnectWatchers();
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            DisconnectWatchers();
            await _app.DisposeAsync();
            _app = null;
        }

        _writes.Dispose();
        _webhooks.Dispose();
        _certificate?.Dispose();
        _signingKey.Dispose();
    }

    /// <summary>A kubeconfig for this server: its URL, its CA and the admin token, context <c>connectors-embedded</c>.</summary>
    public string KubeconfigYaml(string defaultNamespace = "default")
    {
        var server = BaseUrl.ToString().TrimEnd('/');
        var text = new StringBuilder();
        text.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: connectors-embedded\n  cluster:\n");
        text.Append("    server: ").Append(server).Append('\n');
        if (CertificateAuthorityPem is { } pem)
        {
            text.Append("    certificate-authority-data: ").Append(Convert.ToBase64String(Encoding.ASCII.GetBytes(pem))).Append('\n');
        }

        text.Append("contexts:\n- name: connectors-embedded\n  context:\n    cluster: connectors-embedded\n    user: connectors-embedded-admin\n");
        text.Append("    namespace: ").Append(defaultNamespace).Append('\n');
        text.Append("current-context: connectors-embedded\npreferences: {}\nusers:\n- name: connectors-embedded-admin\n  user:\n");
        text.Append("    token: ").Append(AdminToken).Append('\n');
        return text.ToString();
    }

    /// <summary>Writes <see cref="KubeconfigYaml"/> to <paramref name="path"/> (owner-only permissions), creating its folder.</summary>
    public async Task WriteKubeconfigAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(temporary, fileOptions))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(KubeconfigYaml()), cancellationToken);
        }

        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>An HTTP handler that trusts this server's CA (and nothing else for it): for in-process clients and tests.</summary>
    public HttpMessageHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler();
        if (_certificate is not null)
        {
            var authority = X509CertificateLoader.LoadCertificate(_certificate.Authority.RawData);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { authority },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            };
        }

        return handler;
    }

    /// <summary>Ends every open watch stream, as an apiserver restart or a load balancer would; clients must re-watch.</summary>
    public void DisconnectWatchers()
    {
        lock (_store.Sync)
        {
            _store.DisconnectWatchers();
        }
    }

    /// <summary>Drops the event history: a watch or list from any version before now gets 410 Gone.</summary>
    public void CompactHistory()
    {
        lock (_store.Sync)
        {
            _store.Compact();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8000, LogLevel.Information, "Embedded Kubernetes API listening on {Address}")]
        public static partial void Listening(ILogger logger, Uri address);
    }
}
