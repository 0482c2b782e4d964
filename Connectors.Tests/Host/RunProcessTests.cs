using System.Net;
using Connectors.Tests.Support;

namespace Connectors.Tests.Host;

[TestFixture]
public sealed class RunProcessTests
{
    [Test, CancelAfter(60_000)]
    public async Task RunProxy_HealthMetricsThenSigterm_ServesAndExitsZero(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        using var directory = new TempDirectory();
        await using var process = ConnectorsProcess.Start("run", "--role", "proxy", "--embedded", "--embedded-kubeconfig", directory.Combine("kubeconfig"),
            "--proxy-listen", "127.0.0.1:0", "--health-listen", $"127.0.0.1:{port}", "--log-format", "json");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var healthz = await PollAsync(process, http, "/healthz", cancellationToken);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        process.Terminate();
        var code = await process.WaitAsync(cancellationToken);

        var families = PrometheusText.Parse(metrics);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(healthz, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(families["process_resident_memory_bytes"].Samples.Single().Value, Is.GreaterThan(1_000_000));
            Assert.That(families, Does.ContainKey("process_cpu_seconds_total"));
            Assert.That(code, Is.Zero, process.Stderr);
        }
    }

    [TestCase(0)]
    [TestCase(150)]
    [TestCase(400)]
    [CancelAfter(60_000)]
    public async Task RunProxy_SigtermWhileStarting_ExitsZero(int delayMs, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        await using var process = ConnectorsProcess.Start("run", "--role", "proxy", "--embedded", "--embedded-kubeconfig", directory.Combine("kubeconfig"),
            "--proxy-listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0", "--log-format", "json");
        while (!process.Stderr.Contains("Embedded Kubernetes API listening", StringComparison.Ordinal) && !process.HasExited)
        {
            await Task.Delay(10, cancellationToken);
        }

        await Task.Delay(delayMs, cancellationToken);
        process.Terminate();
        var code = await process.WaitAsync(cancellationToken);

        Assert.That(code, Is.Zero, process.Stderr);
    }

    private static async Task<HttpStatusCode> PollAsync(ConnectorsProcess process, HttpClient http, string path, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
                return response.StatusCode;
            }
            catch (HttpRequestException) when (attempt < 200 && !process.HasExited)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
