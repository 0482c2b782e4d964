using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Connectors.Modules.Embedded;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Bench.Controller;

/// <summary>
/// End-to-end controller benchmark (docs/benchmarks.md, Controller): an embedded API and a loopback git server in
/// this process, N Connectors across M namespaces, and the real <c>connectors run --role controller</c> binary as a
/// child process. Measures start-to-all-Ready, status lag after a Secret change, and the controller's RSS.
/// </summary>
internal static class ControllerScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = BenchSettings.Parse(args);
        using var stop = new CancellationTokenSource(settings.Deadline);
        var ct = stop.Token;
        var directory = Directory.CreateTempSubdirectory("connectors-bench-");
        await using var api = new EmbeddedApiServer(new EmbeddedApiOptions { HistorySize = 200_000, NamespaceFinalizeDelay = TimeSpan.Zero }, NullLoggerFactory.Instance);
        await api.StartAsync(ct);
        var kubeconfig = Path.Combine(directory.FullName, "kubeconfig");
        await api.WriteKubeconfigAsync(kubeconfig, ct);
        await using var tool = await StartToolAsync(ct);
        using var client = KubeClientFactory.Create(new KubeOptions { Kubeconfig = kubeconfig, Qps = 0 }, TimeProvider.System, NullLoggerFactory.Instance);

        var created = Stopwatch.StartNew();
        await BenchObjects.CreateAsync(client, settings, tool, ct);
        Console.WriteLine($"created {settings.Connectors + 1} connectors in {settings.Namespaces} namespaces in {created.Elapsed.TotalSeconds:F1} s");

        var tracker = new ReadyTracker(client);
        var watching = tracker.RunAsync(ct);
        await tracker.Started.WaitAsync(ct);
        var clock = Stopwatch.StartNew();
        using var controller = StartController(settings, kubeconfig);
        var rss = new RssSampler(controller.Id);
        var sampling = rss.RunAsync(ct);

        var total = settings.Connectors + 1;
        await tracker.WaitAsync(() => tracker.ReadyCount >= total, ct);
        var allReady = clock.Elapsed;
        Console.WriteLine($"all {total} Ready=True after {allReady.TotalSeconds:F1} s (controller RSS now {rss.CurrentMiB:F0} MiB, peak {rss.PeakMiB:F0} MiB)");

        var lags = new List<(TimeSpan Broken, TimeSpan Fixed)>();
        for (var round = 0; round < 5; round++)
        {
            lags.Add(await MeasureLagAsync(client, tracker, BenchObjects.LagKey, BenchObjects.LagSecret, ct));
        }

        var lag = lags[0];
        var lagList = string.Join(", ", lags.Select(l => $"{l.Broken.TotalMilliseconds:F0}/{l.Fixed.TotalMilliseconds:F0}"));
        var fanOutKeys = tracker.Keys.Where(k => k.StartsWith("bench-1/", StringComparison.Ordinal)).ToList();
        var fanOut = await MeasureFanOutAsync(client, tracker, "bench-1", fanOutKeys, ct);
        await Task.Delay(2000, ct);
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| connectors / namespaces | {total} / {settings.Namespaces} |");
        Console.WriteLine($"| controller start to all Ready=True | {allReady.TotalSeconds:F1} s |");
        Console.WriteLine($"| status lag, one Secret (1 connector) wrong / fixed, first round | {lag.Broken.TotalMilliseconds:F0} ms / {lag.Fixed.TotalMilliseconds:F0} ms |");
        Console.WriteLine($"| same, 5 rounds (wrong/fixed ms) | {lagList} |");
        Console.WriteLine($"| status lag, one Secret shared by {fanOutKeys.Count} connectors, all flipped | {fanOut.TotalMilliseconds:F0} ms |");
        Console.WriteLine($"| controller RSS peak / at end | {rss.PeakMiB:F0} MiB / {rss.CurrentMiB:F0} MiB |");
        Console.WriteLine($"| probes answered by the tool server | {tool.Requests} |");

        controller.Kill(entireProcessTree: true);
        await controller.WaitForExitAsync(CancellationToken.None);
        await stop.CancelAsync();
        await Task.WhenAll(watching, sampling).ContinueWith(_ => { }, TaskScheduler.Default);
        directory.Delete(recursive: true);
        return 0;
    }

    private static async Task<(TimeSpan Broken, TimeSpan Fixed)> MeasureLagAsync(KubeClient client, ReadyTracker tracker, string key, string secret, CancellationToken ct)
    {
        var (ns, _) = Split(key);
        var clock = Stopwatch.StartNew();
        await SetPasswordAsync(client, ns, secret, "wrong", ct);
        await tracker.WaitAsync(() => !tracker.IsReady(key), ct);
        var broken = clock.Elapsed;
        clock.Restart();
        await SetPasswordAsync(client, ns, secret, BenchObjects.Password, ct);
        await tracker.WaitAsync(() => tracker.IsReady(key), ct);
        return (broken, clock.Elapsed);
    }

    private static async Task<TimeSpan> MeasureFanOutAsync(KubeClient client, ReadyTracker tracker, string ns, List<string> keys, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await SetPasswordAsync(client, ns, BenchObjects.SharedSecret, "wrong", ct);
        await tracker.WaitAsync(() => keys.All(k => !tracker.IsReady(k)), ct);
        return clock.Elapsed;
    }

    private static async Task SetPasswordAsync(KubeClient client, string ns, string name, string password, CancellationToken ct)
    {
        var secret = (await client.GetAsync<Secret>(ns, name, ct)).GetValueOrThrow();
        secret.Data!["password"] = Encoding.UTF8.GetBytes(password);
        (await client.UpdateAsync(secret, ct)).GetValueOrThrow();
    }

    private static (string Ns, string Name) Split(string key) => (key[..key.IndexOf('/', StringComparison.Ordinal)], key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);

    private static Process StartController(BenchSettings settings, string kubeconfig)
    {
        var start = new ProcessStartInfo(settings.ControllerBinary)
        {
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (var arg in new[]
        {
            "run", "--role", "controller", "--kubeconfig", kubeconfig, "--health-listen", $"127.0.0.1:{FreePort()}", "--webhook-listen", "127.0.0.1:0",
            "--leader-elect", "false", "--workers", settings.Workers.ToString(CultureInfo.InvariantCulture),
            "--kube-api-qps", settings.Qps.ToString(CultureInfo.InvariantCulture), "--kube-api-burst", (settings.Qps * 2).ToString(CultureInfo.InvariantCulture),
            "--log-level", "warn", "--log-format", "text",
        })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("controller did not start");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<ToolServer> StartToolAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var tool = new ToolServer(app);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BenchObjects.User}:{BenchObjects.Password}"));
        app.Run(context =>
        {
            Interlocked.Increment(ref tool.RequestCount);
            context.Response.StatusCode = context.Request.Path.Value!.EndsWith("/info/refs", StringComparison.Ordinal)
                ? context.Request.Headers.Authorization == expected ? 200 : 401
                : 200;
            return Task.CompletedTask;
        });
        await app.StartAsync(ct);
        tool.BaseAddress = app.Urls.First().TrimEnd('/');
        return tool;
    }

    /// <summary>The loopback git server: <c>/</c> answers 200, <c>info/refs</c> 200 for the bench credential, else 401.</summary>
    internal sealed class ToolServer(WebApplication app) : IAsyncDisposable
    {
        public long RequestCount;

        public string BaseAddress { get; set; } = string.Empty;

        public long Requests => Interlocked.Read(ref RequestCount);

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }

    /// <summary>Follows the Connectors watch and keeps which ones are Ready=True.</summary>
    private sealed class ReadyTracker(KubeClient client)
    {
        private readonly ConcurrentDictionary<string, bool> _ready = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public int ReadyCount => _ready.Count(p => p.Value);

        public IEnumerable<string> Keys => _ready.Keys;

        public bool IsReady(string key) => _ready.TryGetValue(key, out var ready) && ready;

        public async Task RunAsync(CancellationToken ct)
        {
            var list = (await client.ListAsync<Connector>(null, null, ct)).GetValueOrThrow();
            foreach (var connector in list.Items)
            {
                Record(connector);
            }

            var version = list.Metadata.ResourceVersion ?? string.Empty;
            _started.TrySetResult();
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await foreach (var change in client.WatchAsync<Connector>(null, version, new ListOptions { TimeoutSeconds = 3600 }, ct))
                    {
                        if (change.Object is { } connector)
                        {
                            Record(connector);
                            version = connector.Metadata.ResourceVersion ?? version;
                        }
                    }
                }
                catch (Exception e) when (e is KubeException or HttpRequestException or IOException && !ct.IsCancellationRequested)
                {
                    Console.Error.WriteLine("bench watch restarted: " + e.Message);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        public async Task WaitAsync(Func<bool> condition, CancellationToken ct)
        {
            while (!condition())
            {
                await Task.Delay(10, ct);
            }
        }

        private void Record(Connector connector)
        {
            var ready = connector.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Status == ConditionStatus.True;
            _ready[$"{connector.Metadata.Namespace}/{connector.Metadata.Name}"] = ready;
        }
    }

    /// <summary>Samples VmRSS of the controller process; VmHWM gives the peak.</summary>
    private sealed class RssSampler(int pid)
    {
        public double CurrentMiB { get; private set; }

        public double PeakMiB { get; private set; }

        public async Task RunAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    foreach (var line in await File.ReadAllLinesAsync($"/proc/{pid}/status", ct))
                    {
                        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                        {
                            CurrentMiB = Kib(line) / 1024.0;
                        }
                        else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        {
                            PeakMiB = Kib(line) / 1024.0;
                        }
                    }

                    await Task.Delay(250, ct);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                    return;
                }
            }
        }

        private static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
