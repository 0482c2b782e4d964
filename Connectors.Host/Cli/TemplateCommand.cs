using System.CommandLine;
using System.Text;
using System.Text.Json;
using Connectors.Modules.Templates;

namespace Connectors.Host.Cli;

/// <summary>
/// <c>connectors template render --template FILE|- --data FILE.json [--option missingkey=error] [--engine go|handlebars]</c>:
/// prints the output exactly (no added newline), or one error line on stderr and exit 1. The hidden
/// <c>template batch</c> and <c>template bench</c> read JSON-lines cases on stdin (the conformance suite and benchmark).
/// </summary>
internal static class TemplateCommand
{
    public static Command Create()
    {
        var command = new Command("template", "Render Go (text/template + sprig) or Handlebars templates");
        command.Subcommands.Add(CreateRender());
        command.Subcommands.Add(CreateBatch());
        command.Subcommands.Add(CreateBench());
        return command;
    }

    private static Command CreateRender()
    {
        var template = new Option<string>("--template") { Description = "Template file, or - for stdin", Required = true, HelpName = "FILE|-" };
        var data = new Option<string?>("--data") { Description = "JSON data file (default: no data)", HelpName = "FILE.json" };
        var options = new Option<string[]>("--option") { Description = "Go template option, e.g. missingkey=error", HelpName = "missingkey=default|invalid|zero|error" };
        var engine = new Option<string>("--engine") { Description = "Template engine", DefaultValueFactory = _ => "go", HelpName = "go|handlebars" };
        var name = new Option<string?>("--name") { Description = "Template name used in errors (default: the file name)" };
        var allowNondeterministic = new Option<bool>("--allow-nondeterministic") { Description = "Allow now, rand*, uuidv4, gen*, bcrypt ... (disabled by default)" };
        var allowEnv = new Option<bool>("--allow-env") { Description = "Allow env and expandenv (disabled by default)" };
        var command = new Command("render", "Render one template to stdout") { template, data, options, engine, name, allowNondeterministic, allowEnv };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderOptions = RenderOptions.Default;
            var kind = TemplateEngineAnnotation.Parse(parse.GetValue(engine) ?? "go");
            if (kind is null)
            {
                return ConnectorsCommandLine.UsageError(parse, $"unknown engine {parse.GetValue(engine)}: want go or handlebars");
            }

            try
            {
                foreach (var o in parse.GetValue(options) ?? [])
                {
                    renderOptions = renderOptions.WithOption(o);
                }
            }
            catch (ArgumentException e)
            {
                return ConnectorsCommandLine.UsageError(parse, e.Message.Split(" (Parameter", 2)[0]);
            }

            renderOptions = renderOptions with
            {
                Engine = kind.Value,
                AllowNondeterministicFunctions = parse.GetValue(allowNondeterministic),
                AllowEnvironmentFunctions = parse.GetValue(allowEnv),
            };
            var error = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(template)!;
            string text;
            TemplateValue value;
            try
            {
                text = await ReadTemplateAsync(path, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"connectors: --template {path}: {FileProblem(e)}");
                return 1;
            }

            var dataPath = parse.GetValue(data);
            try
            {
                value = dataPath is null ? TemplateValue.Null : TemplateValue.ParseJson(await File.ReadAllTextAsync(dataPath, cancellationToken));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                await error.WriteLineAsync($"connectors: --data {dataPath}: {FileProblem(e)}");
                return 1;
            }

            var templateName = parse.GetValue(name) ?? (path == "-" ? "stdin" : Path.GetFileName(path));
            var result = TemplateEngine.Shared.Render(templateName, text, value, renderOptions, cancellationToken);
            if (!result.Succeeded)
            {
                await error.WriteLineAsync(result.Error!.ReplaceLineEndings(" "));
                return 1;
            }

            await parse.InvocationConfiguration.Output.WriteAsync(result.Output);
            await parse.InvocationConfiguration.Output.FlushAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command CreateBatch()
    {
        var command = new Command("batch", "Render JSON-lines cases from stdin; one JSON result line per case") { Hidden = true };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var cases = await TemplateBatch.ReadCasesAsync(Console.In, cancellationToken);
            await TemplateBatch.RenderAllAsync(cases, parse.InvocationConfiguration.Output, cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command CreateBench()
    {
        var iterations = new Argument<int>("iterations") { Description = "How many times to render the corpus" };
        var command = new Command("bench", "Render JSON-lines cases from stdin N times and print the throughput") { Hidden = true };
        command.Arguments.Add(iterations);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var cases = await TemplateBatch.ReadCasesAsync(Console.In, cancellationToken);
            var line = TemplateBatch.Bench(cases, parse.GetValue(iterations), cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync(line);
            return 0;
        });
        return command;
    }

    /// <summary>What is wrong with a file named by a flag, in words that do not repeat its path.</summary>
    private static string FileProblem(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        JsonException => "not valid JSON: " + e.Message.ReplaceLineEndings(" "),
        _ => e.Message.ReplaceLineEndings(" "),
    };

    /// <summary>The template's text with a leading byte-order mark kept, as Go keeps it (it is text of the template,
    /// and Go prints it); File.ReadAllText and Console.In would drop it.</summary>
    private static async Task<string> ReadTemplateAsync(string path, CancellationToken cancellationToken)
    {
        if (path != "-")
        {
            return Encoding.UTF8.GetString(await File.ReadAllBytesAsync(path, cancellationToken));
        }

        using var buffer = new MemoryStream();
        await using var stdin = Console.OpenStandardInput();
        await stdin.CopyToAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
