using System.CommandLine;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Host.Cli;

/// <summary>
/// <c>connectors token create --namespace NS --service-account SA [--duration 30m] [--audience A]...</c>: asks the API
/// in use (embedded or real) for a ServiceAccount token and prints just the token, like <c>kubectl create token</c>.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(IReadOnlyList<(Flag Flag, Option<string?> Option)> globals)
    {
        var ns = new Option<string?>("--namespace", "-n") { Description = "Namespace of the ServiceAccount; the kubeconfig context's namespace when empty", HelpName = "ns" };
        var serviceAccount = new Option<string>("--service-account") { Description = "Name of the ServiceAccount", Required = true, HelpName = "name" };
        var duration = new Option<string?>("--duration") { Description = "Requested lifetime (Go duration, for example 30m or 1h); the server's default when empty", HelpName = "duration" };
        var audiences = new Option<string[]>("--audience") { Description = "Intended audience of the token; repeat for several", HelpName = "audience", AllowMultipleArgumentsPerToken = false };
        var create = new Command("create", "Request a ServiceAccount token and print it") { ns, serviceAccount, duration, audiences };
        create.SetAction(async (parse, cancellationToken) =>
        {
            long? seconds = null;
            if (parse.GetValue(duration) is { Length: > 0 } text)
            {
                try
                {
                    seconds = (long)Math.Ceiling(Durations.Parse(text).TotalSeconds);
                }
                catch (FormatException e)
                {
                    return ConnectorsCommandLine.UsageError(parse, "--duration: " + e.Message);
                }
            }

            var options = new KubeOptions
            {
                Kubeconfig = Global(parse, globals, "--kubeconfig"),
                Context = Global(parse, globals, "--context"),
            };
            var request = new TokenRequest { Spec = new TokenRequestSpec { ExpirationSeconds = seconds, Audiences = parse.GetValue(audiences) is { Length: > 0 } a ? [.. a] : null } };
            return await RunAsync(parse, options, parse.GetValue(ns), parse.GetValue(serviceAccount)!, request, cancellationToken);
        });
        return new Command("token", "ServiceAccount tokens") { create };
    }

    private static async Task<int> RunAsync(ParseResult parse, KubeOptions options, string? ns, string serviceAccount, TokenRequest request, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            using var client = KubeClient.Create(options, TimeProvider.System, NullLoggerFactory.Instance);
            ns = string.IsNullOrEmpty(ns) ? client.DefaultNamespace : ns;
            var result = await client.RequestTokenAsync(ns, serviceAccount, request, cancellationToken);
            if (result.Value?.Status?.Token is { Length: > 0 } token)
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(token);
                return 0;
            }

            var why = result.Outcome switch
            {
                KubeOutcome.Ok => "the API returned no token",
                KubeOutcome.Unauthorized => $"the API rejected the credentials of {client.Source}: {result.Message}",
                _ => result.Message,
            };
            await error.WriteLineAsync($"connectors: cannot create a token for serviceaccount {ns}/{serviceAccount} at {client.Server}: {why}");
            return 1;
        }
        catch (KubeConfigException e)
        {
            await error.WriteLineAsync("connectors: " + e.Message);
            return 1;
        }
    }

    private static string? Global(ParseResult parse, IReadOnlyList<(Flag Flag, Option<string?> Option)> globals, string name) =>
        globals.Where(g => g.Flag.Name == name).Select(g => parse.GetValue(g.Option)).FirstOrDefault();
}
