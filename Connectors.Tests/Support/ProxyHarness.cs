using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Connectors.Modules.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
    private readonly TextWriter _sink;

    private ProxyHarness(ServiceProvider services, StringWriter logs, TextWriter sink, Uri address)
    {
        _services = services;
        _logs = logs;
        _sink = sink;
        Address = address;
    }

    public Uri Address { get; }

    public InMemoryConnectorDirectory Directory => (InMemoryConnectorDirectory)_services.GetRequiredService<IConnectorDirectory>();

    public FakeAccessReviews Reviews => (FakeAccessReviews)_services.GetRequiredService<IAccessReviewClient>();

    /// <summary>Everything logged so far; access lines are written by a background writer, so this waits until it has caught up.</summary>
    public string Logs
    {
        get
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var before = Snapshot();
                Thread.Sleep(20);
                if (before == Snapshot())
                {
                    return before;
                }
            }

            return Snapshot();
        }
    }

    public IServiceProvider Services => _services;

    private string Snapshot()
    {
        // The synchronized writer locks on itself for every write.
        lock (_sink)
        {
            return _logs.ToString();
        }
    }

    public static async Task<ProxyHarness> StartAsync(CancellationToken cancellationToken, IDictionary<string, string?>? settings = null)
    {
        var logs = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Proxy:Listen"] = "127.0.0.1:0",
            ["Components:Namespace"] = WellKnown.DefaultComponentsNamespace,
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        var sink = TextWriter.Synchronized(logs);
        var logger = LoggingSetup.Create(new LoggingOptions { Format = "json", Level = "debug" }, out var lines, sink);
        services.AddLogging(b => b.AddProvider(new SerilogLoggerProvider(logger, dispose: true)).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(lines!);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IConnectorDirectory, InMemoryConnectorDirectory>();
        services.AddSingleton<IAccessReviewClient, FakeAccessReviews>();
        services.AddProxyCore();
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(cancellationToken);
        }

        return new ProxyHarness(provider, logs, sink, provider.GetRequiredService<ProxyServer>().Address!);
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
        foreach (var hosted in _services.GetServices<IHostedService>().Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }
}
