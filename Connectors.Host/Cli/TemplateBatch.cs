using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectors.Modules.Templates;

namespace Connectors.Host.Cli;

/// <summary>JSON-lines cases for the conformance suite and the benchmark, in the Go oracle's format.</summary>
internal static class TemplateBatch
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal sealed record Case(string Id, string Name, string Template, TemplateValue Data, RenderOptions Options, string? DataError);

    public static async Task<List<Case>> ReadCasesAsync(TextReader input, CancellationToken cancellationToken)
    {
        var cases = new List<Case>();
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var node = JsonNode.Parse(line)!.AsObject();
            var options = RenderOptions.Default;
            string? dataError = null;
            foreach (var o in node["options"]?.AsArray() ?? [])
            {
                try
                {
                    options = options.WithOption(o!.GetValue<string>());
                }
                catch (ArgumentException e)
                {
                    dataError = e.Message;
                }
            }

            var probe = node["probe"]?.GetValue<bool>() == true;
            var dataNode = node["data"];
            TemplateValue data;
            if (probe)
            {
                var secret = dataNode?["secret"] as JsonObject;
                data = TemplateValue.ForProbe(dataNode?["connector"], secret?.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? string.Empty));
            }
            else
            {
                data = dataNode is null ? TemplateValue.Null : TemplateValue.ParseJson(dataNode.ToJsonString());
            }

            var name = node["name"]?.GetValue<string>() is { Length: > 0 } n ? n : "tpl";
            cases.Add(new Case(node["id"]?.GetValue<string>() ?? string.Empty, name, node["template"]?.GetValue<string>() ?? string.Empty, data, options, dataError));
        }

        return cases;
    }

    public static async Task RenderAllAsync(List<Case> cases, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var c in cases)
        {
            var result = c.DataError is null ? TemplateEngine.Shared.Render(c.Name, c.Template, c.Data, c.Options, cancellationToken) : RenderResult.Failure(c.DataError);
            var line = new JsonObject { ["id"] = c.Id, ["output"] = result.Output ?? string.Empty };
            if (!result.Succeeded)
            {
                line["error"] = result.Error;
            }

            await output.WriteLineAsync(line.ToJsonString(Relaxed));
        }

        await output.FlushAsync(cancellationToken);
    }

    public static string Bench(List<Case> cases, int iterations, CancellationToken cancellationToken)
    {
        // Warm up (parse every template, call every function often enough for tiered JIT to promote it), wait for
        // the background tier-1 compilations, then measure the steady state a long-running driver sees.
        var warmup = Stopwatch.GetTimestamp();
        for (var i = 0; i < 50 || Stopwatch.GetElapsedTime(warmup) < TimeSpan.FromSeconds(3); i++)
        {
            foreach (var c in cases)
            {
                TemplateEngine.Shared.Render(c.Name, c.Template, c.Data, c.Options, cancellationToken);
            }
        }

        Thread.Sleep(1000);
        long renders = 0, bytes = 0;
        using var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            foreach (var c in cases)
            {
                var result = TemplateEngine.Shared.Render(c.Name, c.Template, c.Data, c.Options, cancellationToken);
                renders++;
                bytes += result.Output?.Length ?? 0;
            }
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"engine\":\"csharp\",\"renders\":{renders},\"bytes\":{bytes},\"seconds\":{seconds:F6},\"rendersPerSecond\":{renders / seconds:F0},\"cpuSeconds\":{cpu:F6},\"rendersPerCpuSecond\":{renders / cpu:F0}}}");
    }
}
