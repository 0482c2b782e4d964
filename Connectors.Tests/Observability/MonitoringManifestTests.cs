using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Observability;

/// <summary>
/// manifests/monitoring: every metric the PrometheusRule alerts on and the Grafana dashboard plots is a family the
/// real executable exports on /metrics (a renamed metric would otherwise leave an alert that can never fire).
/// </summary>
[TestFixture]
public sealed partial class MonitoringManifestTests
{
    [Test, CancelAfter(120_000)]
    public async Task RulesAndDashboard_EveryQueriedMetric_IsExportedByARunningInstance(CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        var health = FreePort.Next();
        await using var process = ConnectorsProcess.Start(
            "run", "--role", "all", "--embedded", "--embedded-kubeconfig", directory.Combine("kubeconfig"),
            "--apply", TestData.Path("manifests", "connectorclasses"), "--apply", TestData.Path("examples", "quickstart"),
            "--proxy-listen", "127.0.0.1:0", "--health-listen", $"127.0.0.1:{health}", "--csi-endpoint", "unix://" + directory.Combine("csi.sock"),
            "--log-format", "json");
        while (!process.Stdout.Contains("connectors: ready", StringComparison.Ordinal))
        {
            Assert.That(process.HasExited, Is.False, process.Stderr);
            await Task.Delay(50, cancellationToken);
        }

        // Traffic that makes each family appear: a forwarded request with a body both ways (to a git Connector on a
        // loopback tool), a refused one, a refused CSI publish, and the probes of the Connectors.
        await using var tool = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("pong", ctx.RequestAborted), cancellationToken);
        var connector = $"apiVersion: connectors.alauda.io/v1alpha1\nkind: Connector\nmetadata: {{name: local, namespace: quickstart}}\nspec: {{connectorClassName: git, address: '{tool.BaseAddress}', auth: {{name: basicAuth, params: [{{name: repository, value: a/b.git}}]}}}}\n";
        var kubectl = await RunAsync("/usr/lib/google-cloud-sdk/bin/kubectl.1.33", connector, cancellationToken, "--kubeconfig", directory.Combine("kubeconfig"), "apply", "-f", "-");
        Assert.That(kubectl, Is.Zero);
        var (tokenCode, token, _) = await ConnectorsProcess.RunAsync(
            ["token", "create", "--kubeconfig", directory.Combine("kubeconfig"), "--namespace", "quickstart", "--service-account", "builder"], cancellationToken);
        Assert.That(tokenCode, Is.Zero);
        var proxy = ProxyUrl(process.Stdout);
        using (var client = new HttpClient())
        {
            (await client.GetAsync(new Uri(proxy, "/namespaces/quickstart/connectors/github/"), cancellationToken)).Dispose();
            for (var attempt = 0; ; attempt++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(proxy, "/namespaces/quickstart/connectors/local/ping")) { Content = new StringContent("ping") };
                request.Headers.Authorization = new("Bearer", token.Trim());
                using var response = await client.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode || attempt == 100)
                {
                    Assert.That(response.IsSuccessStatusCode, Is.True, $"{(int)response.StatusCode}: the proxy forwards to the tool");
                    break;
                }

                await Task.Delay(100, cancellationToken);   // until the proxy's cache has the new Connector
            }
        }

        var (publish, _, _) = await ConnectorsProcess.RunAsync(
            ["csi", "publish", "--endpoint", "unix://" + directory.Combine("csi.sock"), "--target", directory.Combine("pod"), "--connector", "quickstart/none",
                "--pod-namespace", "quickstart", "--service-account", "builder"], cancellationToken);
        Assert.That(publish, Is.EqualTo(1), "the publish of a missing Connector is refused (and counted)");

        var wanted = QueriedMetrics();
        Dictionary<string, PrometheusText.Family> families = [];
        using (var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{health}") })
        {
            // Probes and reconciles run in the background: wait until every queried family has appeared (at most 30 s).
            for (var attempt = 0; attempt < 120; attempt++)
            {
                families = PrometheusText.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken));
                if (wanted.All(m => Exported(families, m)))
                {
                    break;
                }

                await Task.Delay(250, cancellationToken);
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(wanted, Has.Count.GreaterThan(15));
            Assert.That(wanted.Where(m => !Exported(families, m)), Is.Empty);
        }
    }

    [Test]
    public void Manifests_Monitoring_NamesOnlyTheProductsMetricsAndDocumentedAlerts()
    {
        var rules = KubeYaml.LoadDocuments(TestData.Read("manifests", "monitoring", "prometheusrule.yaml"))[0];
        var alerts = (rules["spec"]!["groups"]![0]!["rules"] as JsonArray)!.Select(r => (string?)r!["alert"]).ToArray();

        Assert.That(alerts, Is.EquivalentTo(new[]
        {
            "ConnectorsProxyErrorRatio", "ConnectorsTokenReviewsFailing", "ConnectorsNotReady", "ConnectorsCsiPublishErrors", "ConnectorsKubernetesApiUnreachable",
        }));
    }

    /// <summary>Metric names in every PromQL expression of the rules and the dashboard.</summary>
    private static HashSet<string> QueriedMetrics()
    {
        var expressions = new List<string>();
        var rules = KubeYaml.LoadDocuments(TestData.Read("manifests", "monitoring", "prometheusrule.yaml"))[0];
        expressions.AddRange((rules["spec"]!["groups"] as JsonArray)!.SelectMany(g => (g!["rules"] as JsonArray)!).Select(r => (string)r!["expr"]!));
        var dashboard = JsonNode.Parse(TestData.Read("manifests", "monitoring", "connectors-dashboard.json"))!;
        expressions.AddRange((dashboard["panels"] as JsonArray)!.SelectMany(p => (p!["targets"] as JsonArray)!).Select(t => (string)t!["expr"]!));
        return [.. expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value))];
    }

    private static async Task<int> RunAsync(string program, string stdin, CancellationToken cancellationToken, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    private static bool Exported(Dictionary<string, PrometheusText.Family> families, string metric) =>
        families.ContainsKey(metric)
        || (Regex.Replace(metric, "_(bucket|sum|count)$", "") is var family && families.TryGetValue(family, out var f) && f.Type == "histogram");

    private static Uri ProxyUrl(string stdout)
    {
        var line = stdout.Split('\n').Single(l => l.StartsWith("connectors: proxy at ", StringComparison.Ordinal));
        return new Uri(line["connectors: proxy at ".Length..line.IndexOf(';', StringComparison.Ordinal)]);
    }

    [GeneratedRegex(@"\b(connectors|process|dotnet|kestrel|http_client|dns)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
