using System.CommandLine;
using Connectors.Host.Doctor;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Templates;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Host.Cli;

/// <summary>
/// <c>connectors doctor --namespace NS --service-account SA --connector NAME [--target URL] [--proxy-url URL]</c>:
/// checks each link a pipeline using the Connector depends on and prints one line per step (see
/// <see cref="Diagnosis"/>). Exit 0 when every step passes, 1 when one fails, 2 on a usage error.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(IReadOnlyList<(Flag Flag, Option<string?> Option)> globals)
    {
        var ns = new Option<string?>("--namespace", "-n") { Description = "Namespace of the Connector and the ServiceAccount; the kubeconfig context's namespace when empty", HelpName = "ns" };
        var serviceAccount = new Option<string>("--service-account") { Description = "ServiceAccount the workload runs as", Required = true, HelpName = "name" };
        var connector = new Option<string>("--connector") { Description = "The Connector the workload uses: NAME or NS/NAME", Required = true, HelpName = "[NS/]NAME" };
        var target = new Option<string?>("--target") { Description = "A URL the workload fetches through the Connector (checked against its addresses)", HelpName = "URL" };
        var proxyUrl = new Option<string?>("--proxy-url") { Description = "Reach the proxy here instead of at the Connector's proxy address (e.g. a kubectl port-forward of the proxy Service)", HelpName = "URL" };
        var doctor = new Command("doctor", "Check each link a pipeline using a Connector depends on: Connector, class, proxy Service, RBAC, token, proxy, target, configurations")
        {
            ns, serviceAccount, connector, target, proxyUrl,
        };
        doctor.SetAction(async (parse, cancellationToken) =>
        {
            var (connectorNs, name) = SplitConnector(parse.GetValue(connector)!);
            var givenNs = parse.GetValue(ns);
            if (connectorNs is not null && givenNs is { Length: > 0 } && givenNs != connectorNs)
            {
                return ConnectorsCommandLine.UsageError(parse, $"--connector {connectorNs}/{name} and --namespace {givenNs} name different namespaces");
            }

            if (name.Length == 0)
            {
                return ConnectorsCommandLine.UsageError(parse, "--connector: want NAME or NS/NAME");
            }

            if (!TryHttpUrl(parse.GetValue(target), out var targetUrl))
            {
                return ConnectorsCommandLine.UsageError(parse, "--target: want an absolute http or https URL, e.g. https://git.example.com/group/repo.git");
            }

            if (!TryHttpUrl(parse.GetValue(proxyUrl), out var viaUrl))
            {
                return ConnectorsCommandLine.UsageError(parse, "--proxy-url: want an absolute http or https URL, e.g. http://127.0.0.1:8080");
            }

            var options = new KubeOptions { Kubeconfig = Global(parse, globals, "--kubeconfig"), Context = Global(parse, globals, "--context") };
            var components = Global(parse, globals, "--components-namespace") is { Length: > 0 } c ? c : WellKnown.DefaultComponentsNamespace;
            return await RunAsync(parse, options, givenNs ?? connectorNs, (parse.GetValue(serviceAccount)!, name, targetUrl, components, viaUrl), cancellationToken);
        });
        return doctor;
    }

    private static async Task<int> RunAsync(
        ParseResult parse, KubeOptions options, string? ns, (string ServiceAccount, string Connector, Uri? Target, string Components, Uri? ProxyUrl) args, CancellationToken cancellationToken)
    {
        try
        {
            using var client = KubeClient.Create(options, TimeProvider.System, NullLoggerFactory.Instance);
            var request = new DoctorRequest(string.IsNullOrEmpty(ns) ? client.DefaultNamespace : ns, args.ServiceAccount, args.Connector, args.Target, args.Components, args.ProxyUrl);
            // No environment proxy (HTTP_PROXY would send the check elsewhere) and no redirects: the answer is the proxy's.
            using var http = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(5) });
            var report = new DoctorReport(parse.InvocationConfiguration.Output);
            await new Diagnosis(client, http, TemplateEngine.Shared, report).RunAsync(request, cancellationToken);
            if (report.Summary() is { } summary)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("connectors: doctor: " + summary);
                return 1;
            }

            return 0;
        }
        catch (KubeConfigException e)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("connectors: " + e.Message);
            return 1;
        }
    }

    private static (string? Namespace, string Name) SplitConnector(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, value.Trim()) : (value[..slash].Trim(), value[(slash + 1)..].Trim());
    }

    private static bool TryHttpUrl(string? text, out Uri? url)
    {
        url = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
    }

    private static string? Global(ParseResult parse, IReadOnlyList<(Flag Flag, Option<string?> Option)> globals, string name) =>
        globals.Where(g => g.Flag.Name == name).Select(g => parse.GetValue(g.Option)).FirstOrDefault();
}
