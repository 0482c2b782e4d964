using Connectors.Modules.Admission;
using Connectors.Modules.Controller;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connectors.Tests.Support;

/// <summary>
/// A controller (the real module, all its hosted services) running in-process against an <see cref="EmbeddedApi"/>,
/// plus an admin <see cref="KubeClient"/> for the test to create objects and read status.
/// </summary>
public sealed class ControllerHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private int _disposed;

    private ControllerHarness(IHost host)
    {
        _host = host;
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>The controller's own API client (admin credentials of the embedded API).</summary>
    public KubeClient Client => Services.GetRequiredService<KubeClient>();

    internal ControllerService Controller => Services.GetRequiredService<ControllerService>();

    internal ControllerLoops Loops => Services.GetRequiredService<ControllerLoops>();

    /// <summary>Starts a controller; <paramref name="settings"/> override configuration keys (<c>Controller:Workers</c>, ...).</summary>
    public static async Task<ControllerHarness> StartAsync(EmbeddedApi api, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>
        {
            ["Kube:Kubeconfig"] = api.KubeconfigPath,
            ["Kube:Qps"] = "0",
            ["Controller:LeaderElect"] = "false",
            ["Controller:RetryBaseDelay"] = "50ms",
            ["Controller:RetryMaxDelay"] = "2s",
            ["Probes:Timeout"] = "00:00:03",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddLogging(logging =>
        {
            if (Environment.GetEnvironmentVariable("CONNECTORS_TEST_LOG") is { Length: > 0 } level)
            {
                var minimum = Enum.Parse<LogLevel>(level, ignoreCase: true);
                logging.AddProvider(new FileLoggerProvider(Environment.GetEnvironmentVariable("CONNECTORS_TEST_LOG_FILE") ?? "/tmp/connectors-test.log", minimum)).SetMinimumLevel(minimum);
            }
        });
        builder.Services.AddController();
        if (configuration.ContainsKey("Admission:Listen"))
        {
            // The admission webhooks of the controller role (the Host adds them next to the controller).
            builder.Services.AddAdmission();
        }

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new ControllerHarness(host);
    }

    /// <summary>Creates <paramref name="obj"/>, failing the test with the API's message when it cannot.</summary>
    public async Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        var result = await Client.CreateAsync(obj, cancellationToken);
        Assert.That(result.IsOk, Is.True, () => $"create {obj.Kind} {obj.Metadata.Name}: {result.Outcome} {result.Message}");
        return result.Value!;
    }

    /// <summary>Reads the latest copy of an object and applies <paramref name="change"/> to it, retrying conflicts.</summary>
    public async Task UpdateAsync<T>(string? ns, string name, Action<T> change, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var current = (await Client.GetAsync<T>(ns, name, cancellationToken)).GetValueOrThrow();
            change(current);
            var updated = await Client.UpdateAsync(current, cancellationToken);
            if (updated.IsOk)
            {
                return;
            }

            Assert.That(updated.Outcome, Is.EqualTo(KubeOutcome.Conflict), updated.Message);
        }

        Assert.Fail($"update {typeof(T).Name} {name}: conflicts did not stop");
    }

    /// <summary>Polls (every 50 ms, until the test's token fires) until <paramref name="predicate"/> holds for the object.</summary>
    public async Task<T> WaitForAsync<T>(string? ns, string name, Func<T, bool> predicate, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        T? last = null;
        try
        {
            while (true)
            {
                var result = await Client.GetAsync<T>(ns, name, cancellationToken);
                last = result.IsOk ? result.Value : last;
                if (last is not null && predicate(last))
                {
                    return last;
                }

                await Task.Delay(50, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{typeof(T).Name} {ns}/{name} never matched; last seen: {(last is null ? "nothing" : ModelJson.Serialize(last))}");
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
