using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Connectors.Tests.Probes;

/// <summary>
/// The CEL corpus evaluated by a second implementation, <c>@marcbachmann/cel-js</c> on Node (installed by
/// <c>npm install --prefix e2e/cel</c>, which .ci/run does): both must give each case's expected outcome, and so
/// agree, except where the corpus records a known divergence (<c>oracle</c>). Without node or the package the test
/// is inconclusive, never silently green.
/// </summary>
[TestFixture]
public sealed class CelDifferentialTests
{
    [Test, CancelAfter(60_000)]
    public async Task Corpus_AgreesWithCelJs(CancellationToken cancellationToken)
    {
        var root = RepoRoot();
        var script = Path.Combine(root, "e2e", "cel", "eval.mjs");
        if (!Directory.Exists(Path.Combine(root, "e2e", "cel", "node_modules", "@marcbachmann", "cel-js")))
        {
            Assert.Inconclusive("run `npm install --prefix e2e/cel` first: the second CEL implementation is not installed");
        }

        var corpus = CelCorpus.Load();
        var start = new ProcessStartInfo("node", [script, Support.TestData.Path("TestData", "cel", "corpus.jsonl")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync(cancellationToken);
        await node.WaitForExitAsync(cancellationToken);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(corpus.Count), await node.StandardError.ReadToEndAsync(cancellationToken));

        var disagreements = new List<string>();
        for (var i = 0; i < corpus.Count; i++)
        {
            var js = JsonNode.Parse(lines[i])!;
            var jsResult = js["result"]?.GetValue<bool>();
            var ours = CelCorpus.Evaluate(corpus[i]);
            var expectedJs = corpus[i].OracleErrors ? null : corpus[i].OracleWant;
            if (jsResult != expectedJs || ours.Result != corpus[i].Want)
            {
                disagreements.Add($"{corpus[i].Expression}: cel-js {lines[i]}, ours {ours.Result?.ToString() ?? ours.Error}");
            }
        }

        Assert.That(disagreements, Is.Empty);
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Connectors.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Connectors.slnx not found above " + AppContext.BaseDirectory);
    }
}
