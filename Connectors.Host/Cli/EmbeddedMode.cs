using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Connectors.Host.Embedded;
using Connectors.Host.Roles;
using Connectors.Modules.Embedded;
using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Connectors.Host.Cli;

/// <summary>
/// <c>connectors run --embedded</c>: starts the embedded Kubernetes-compatible API before the host, writes a
/// kubeconfig for it and points <c>Kube:Kubeconfig</c> at it (every role then talks to it over HTTP as to a real
/// cluster), applies <c>--apply</c> manifests, and with the proxy role creates what an install would (the
/// components namespace and the Service <c>connectors-proxy-service</c>). Listeners default to 127.0.0.1.
/// </summary>
internal sealed class EmbeddedMode : IAsyncDisposable
{
    public const string DefaultKubeconfig = ".connectors/kubeconfig";

    private readonly EmbeddedApiServer _server;
    private readonly ILoggerFactory _loggerFactory;

    private EmbeddedMode(EmbeddedApiServer server, ILoggerFactory loggerFactory, string kubeconfig)
    {
        _server = server;
        _loggerFactory = loggerFactory;
        KubeconfigPath = kubeconfig;
    }

    public string KubeconfigPath { get; }

    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>The <c>--embedded</c>, <c>--embedded-listen</c>, <c>--embedded-kubeconfig</c> and <c>--apply</c> options.</summary>
    public sealed record Options(Option<bool> Embedded, Option<string?> Listen, Option<string?> Kubeconfig, Option<string[]> Apply)
    {
        public IEnumerable<Option> All => [Embedded, Listen, Kubeconfig, Apply];

        public static Options Create() => new(
            new Option<bool>("--embedded") { Description = "Run against an embedded Kubernetes-compatible API on 127.0.0.1 instead of a cluster" },
            new Option<string?>("--embedded-listen") { Description = "Listen address of the embedded API [default: 127.0.0.1:0, a free port]", HelpName = "value" },
            new Option<string?>("--embedded-kubeconfig") { Description = $"Where to write the embedded API's kubeconfig [default: {DefaultKubeconfig}]", HelpName = "path" },
            new Option<string[]>("--apply") { Description = "Manifest file or folder to create-or-update at start (embedded mode; repeatable)", HelpName = "path", AllowMultipleArgumentsPerToken = false });
    }

    /// <summary>
    /// Starts embedded mode when <c>--embedded</c> is given (null otherwise). Failures are printed as one line;
    /// the exit code is then returned instead.
    /// </summary>
    public static async Task<(EmbeddedMode? Mode, int? ExitCode)> TryStartAsync(
        ParseResult parse,
        Options options,
        IReadOnlyList<(Flag Flag, Option<string?> Option)> flags,
        IReadOnlyList<IRole> roles,
        Dictionary<string, string?> settings,
        Serilog.ILogger logger,
        CancellationToken cancellationToken)
    {
        var applies = parse.GetValue(options.Apply) ?? [];
        if (!parse.GetValue(options.Embedded))
        {
            return applies.Length == 0 && parse.GetValue(options.Listen) is null && parse.GetValue(options.Kubeconfig) is null
                ? (null, null)
                : (null, ConnectorsCommandLine.UsageError(parse, "--apply, --embedded-listen and --embedded-kubeconfig need --embedded"));
        }

        DefaultListenersToLoopback(parse, flags, settings);
        if (roles.Any(r => r is CsiNodeRole) && !flags.Any(f => f.Flag.ConfigKey == "Csi:Endpoint" && parse.GetValue(f.Option) is not null))
        {
            // /csi/csi.sock is the DaemonSet's path; on a laptop the socket lives next to the kubeconfig.
            settings["Csi:Endpoint"] = "unix://" + Path.GetFullPath(Path.Combine(Path.GetDirectoryName(DefaultKubeconfig)!, "csi.sock"));
        }

        if (roles.Any(r => r is CsiNodeRole) && !flags.Any(f => f.Flag.ConfigKey == "Csi:KubeletPodsDir" && parse.GetValue(f.Option) is not null))
        {
            // No kubelet here: `connectors csi publish --target DIR` names any directory (still without symbolic links).
            settings["Csi:AnyTarget"] = "true";
        }

        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new SerilogLoggerProvider(logger)).SetMinimumLevel(LogLevel.Trace));
        EmbeddedApiServer? server = null;
        try
        {
            var listen = parse.GetValue(options.Listen) ?? "127.0.0.1:0";
            _ = ListenAddress.Parse(listen);
            server = new EmbeddedApiServer(new EmbeddedApiOptions { Listen = listen }, loggerFactory);
            await server.StartAsync(cancellationToken);
            var kubeconfig = Path.GetFullPath(parse.GetValue(options.Kubeconfig) ?? DefaultKubeconfig);
            await server.WriteKubeconfigAsync(kubeconfig, cancellationToken);
            settings["Kube:Kubeconfig"] = kubeconfig;
            settings["Kube:Context"] = null;
            var mode = new EmbeddedMode(server, loggerFactory, kubeconfig);
            using var client = new HttpClient(server.CreateHandler()) { BaseAddress = server.BaseUrl };
            client.DefaultRequestHeaders.Authorization = new("Bearer", server.AdminToken);
            var applier = new ManifestApplier(client);
            if (roles.Any(r => r is ProxyRole))
            {
                await EnsureProxyServiceAsync(applier, settings["Components:Namespace"] ?? WellKnown.DefaultComponentsNamespace, LocalProxyUrl(settings), cancellationToken);
            }

            var applied = await applier.ApplyAsync(applies, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"connectors: embedded Kubernetes API at {server.BaseUrl} (kubeconfig: {kubeconfig}; {applied} manifest objects applied)");
            await parse.InvocationConfiguration.Output.WriteLineAsync($"connectors: try: kubectl --kubeconfig {kubeconfig} get connectors -A");
            await WriteNextStepsAsync(parse.InvocationConfiguration.Output, roles, settings);
            return (mode, null);
        }
        catch (Exception e) when (e is StartupException or IOException or FormatException or UnauthorizedAccessException or HttpRequestException
            || (e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            loggerFactory.Dispose();
            if (e is OperationCanceledException)
            {
                return (null, 0);
            }

            await parse.InvocationConfiguration.Error.WriteLineAsync("connectors: " + e.Message.Split('\n')[0]);
            return (null, 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _loggerFactory.Dispose();
    }

    private static async Task WriteNextStepsAsync(TextWriter output, IReadOnlyList<IRole> roles, Dictionary<string, string?> settings)
    {
        if (roles.Any(r => r is ProxyRole) && LocalProxyUrl(settings) is { } proxy)
        {
            await output.WriteLineAsync($"connectors: proxy at {proxy}; a Connector's address is {proxy}/namespaces/<namespace>/connectors/<name>");
        }

        if (roles.Any(r => r is CsiNodeRole) && settings.GetValueOrDefault("Csi:Endpoint") is { } endpoint)
        {
            await output.WriteLineAsync($"connectors: CSI driver at {endpoint}; see the files a pod would get with:");
            await output.WriteLineAsync($"connectors:   connectors csi publish --endpoint {endpoint} --target /tmp/connectors-demo --connector <namespace>/<name> --configurations gitconfig --pod-namespace <namespace> --service-account <sa>");
        }
    }

    /// <summary>Every listen flag the user did not give binds to 127.0.0.1 instead of all interfaces.</summary>
    private static void DefaultListenersToLoopback(ParseResult parse, IReadOnlyList<(Flag Flag, Option<string?> Option)> flags, Dictionary<string, string?> settings)
    {
        foreach (var (flag, option) in flags)
        {
            if (parse.GetValue(option) is not null || flag.DefaultValue is not { } value || !flag.Name.EndsWith("-listen", StringComparison.Ordinal))
            {
                continue;
            }

            var endpoint = ListenAddress.Parse(value);
            if (endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                settings[flag.ConfigKey] = $"127.0.0.1:{endpoint.Port}";
            }
        }
    }

    /// <summary>
    /// Where a client on this machine reaches the proxy (<c>http://127.0.0.1:8080</c>); null when the port is
    /// chosen at start (0) and so not known yet.
    /// </summary>
    private static string? LocalProxyUrl(Dictionary<string, string?> settings)
    {
        var endpoint = ListenAddress.Parse(settings.GetValueOrDefault("Proxy:Listen") ?? "127.0.0.1:8080");
        var host = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : endpoint.Address;
        return endpoint.Port == 0 ? null : $"http://{new IPEndPoint(host, endpoint.Port)}";
    }

    private static async Task EnsureProxyServiceAsync(ManifestApplier applier, string ns, string? externalUrl, CancellationToken cancellationToken)
    {
        var labels = new JsonObject { ["app.kubernetes.io/name"] = "connectors", ["app.kubernetes.io/component"] = "proxy" };
        // Cluster DNS names (c-<name>.<ns>.svc.cluster.local) do not resolve on this machine: connector proxy
        // addresses use the path form under the local proxy URL instead.
        var annotations = externalUrl is null ? null : new JsonObject { [WellKnown.ExternalUrlAnnotation] = externalUrl };
        await applier.ApplyOneAsync(
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } },
            "embedded components namespace",
            cancellationToken);
        await applier.ApplyOneAsync(
            new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Service",
                ["metadata"] = new JsonObject { ["name"] = WellKnown.ProxyServiceName, ["namespace"] = ns, ["labels"] = labels, ["annotations"] = annotations },
                ["spec"] = new JsonObject
                {
                    ["type"] = "ClusterIP",
                    ["selector"] = labels.DeepClone(),
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = "http", ["protocol"] = "TCP" }),
                },
            },
            "embedded proxy Service",
            cancellationToken);
    }
}
