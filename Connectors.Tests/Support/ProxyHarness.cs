using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Connectors.Modules.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Connectors.Tests.Support;

/// <summary>
/// The proxy module running on 127.0.0.1:0 over an in-memory directory and review authority, with every log line
/// captured (JSON) so tests can check what is and is not logged.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly StringWriter _logs;

    private ProxyHarness(ServiceProvider services, StringWriter logs, Uri address)
    {
        _services = services;
        _logs = logs;
        Address = address;
    }

    public Uri Address { get; }

    public InMemoryConnectorDirectory Directory => (InMemoryConnectorDirectory)_services.GetRequiredService<IConnectorDirectory>();

    public FakeAccessReviews Reviews => (FakeAccessReviews)_services.GetRequiredService<IAccessReviewClient>();

    public string Logs
    {
        get { lock (_logs) { return _logs.ToString(); } }
    }

    public IServiceProvider Services => _services;

    public static async Task<ProxyHarness> StartAsync(CancellationToken cancellationToken, IDictionary<string, string?>? settings = null)
    {
        var logs = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Proxy:Listen"] = "127.0.0.1:0",
            ["Components:Namespace"] = WellKnown.DefaultComponentsNamespace,
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        var logger = LoggingSetup.Create(new LoggingOptions { Format = "json", Level = "debug" }, TextWriter.Synchronized(logs));
        services.AddLogging(b => b.AddProvider(new SerilogLoggerProvider(logger, dispose: true)).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IConnectorDirectory, InMemoryConnectorDirectory>();
        services.AddSingleton<IAccessReviewClient, FakeAccessReviews>();
        services.AddProxyCore();
        var provider = services.BuildServiceProvider();
        var server = provider.GetRequiredService<ProxyServer>();
        await server.StartAsync(cancellationToken);
        return new ProxyHarness(provider, logs, server.Address!);
    }

    /// <summary>A connector <paramref name="ns"/>/<paramref name="name"/> at <paramref name="address"/> with a Secret, and a token granted on it.</summary>
    public void AddConnector(string ns, string name, string address, Secret? secret, string? className = null, string? authName = null)
    {
        if (secret is not null)
        {
            secret.Metadata.Namespace = ns;
            Directory.Put(secret);
        }

        Directory.Put(new Connector
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name },
            Spec = new ConnectorSpec
            {
                Address = address,
                ConnectorClassName = className,
                Auth = secret is null ? null : new ConnectorAuth { Name = authName, SecretRef = new ObjectReference { Name = secret.Metadata.Name } },
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<ProxyServer>().StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
