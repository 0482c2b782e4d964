using System.CommandLine;
using System.Net;
using System.Net.Sockets;
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
/// components namespace and the Service <c>connectors-proxy-service</c>; with the controller role, its admission
/// webhooks, reached on loopback, registered after <c>--apply</c>). Listeners default to 127.0.0.1.
/// </summary>
internal sealed class EmbeddedMode : IAsyncDisposable
{
    public const string DefaultKubeconfig = ".connectors/kubeconfig";

    private readonly EmbeddedPlan _plan;
    private readonly ILoggerFactory _loggerFactory;
    private readonly EmbeddedApiServer _server;
    private int _applied;
    private string? _publishExample;

    public EmbeddedMode(EmbeddedPlan plan, Serilog.ILogger logger)
    {
        _plan = plan;
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(new SerilogLoggerProvider(logger)).SetMinimumLevel(LogLevel.Trace));
        _server = new EmbeddedApiServer(new EmbeddedApiOptions { Listen = plan.Listen }, _loggerFactory);
    }

    /// <summary>The <c>--embedded</c>, <c>--embedded-listen</c>, <c>--embedded-kubeconfig</c> and <c>--apply</c> options.</summary>
    public sealed record Options(Option<bool> Embedded, Option<string?> Listen, Option<string?> Kubeconfig, Option<string[]> Apply)
    {
        public IEnumerable<Option> All => [Embedded, Listen, Kubeconfig, Apply];

        public static Options Create() => new(
            new Option<bool>("--embedded") { Description = "Run against an embedded Kubernetes-compatible API on 127.0.0.1 instead of a cluster" },
            new Option<string?>("--embedded-listen") { Description = "Listen address of the embedded API [default: 127.0.0.1:0, a free port]", HelpName = "value" },
            new Option<string?>("--embedded-kubeconfig") { Description = $"Where to write the embedded API's kubeconfig once every role has started [default: {DefaultKubeconfig}]", HelpName = "path" },
            new Option<string[]>("--apply") { Description = "Manifest file or folder to create-or-update at start (embedded mode; repeatable)", HelpName = "path", AllowMultipleArgumentsPerToken = false });
    }

    /// <summary>
    /// Reads the embedded options and adjusts <paramref name="settings"/> for a laptop (loopback listeners, the CSI
    /// socket next to the kubeconfig, a known proxy port), starting nothing. Null plan without <c>--embedded</c>;
    /// a usage error (one line) for options that need it or a bad address.
    /// </summary>
    public static (EmbeddedPlan? Plan, string? Usage) Plan(
        ParseResult parse,
        Options options,
        IReadOnlyList<(Flag Flag, Option<string?> Option)> flags,
        IReadOnlyList<IRole> roles,
        Dictionary<string, string?> settings)
    {
        var applies = parse.GetValue(options.Apply) ?? [];
        if (!parse.GetValue(options.Embedded))
        {
            return applies.Length == 0 && parse.GetValue(options.Listen) is null && parse.GetValue(options.Kubeconfig) is null
                ? (null, null)
                : (null, "--apply, --embedded-listen and --embedded-kubeconfig need --embedded");
        }

        var listen = parse.GetValue(options.Listen) ?? "127.0.0.1:0";
        try
        {
            _ = ListenAddress.Parse(listen);
            DefaultListenersToLoopback(parse, flags, settings);
        }
        catch (FormatException e)
        {
            return (null, "--embedded-listen: " + e.Message);
        }

        var kubeconfig = Path.GetFullPath(parse.GetValue(options.Kubeconfig) ?? DefaultKubeconfig);
        if (roles.Any(r => r is CsiNodeRole) && !flags.Any(f => f.Flag.ConfigKey == "Csi:Endpoint" && parse.GetValue(f.Option) is not null))
        {
            // /csi/csi.sock is the DaemonSet's path; on a laptop the socket lives next to the kubeconfig.
            settings["Csi:Endpoint"] = "unix://" + Path.Combine(Path.GetDirectoryName(kubeconfig)!, "csi.sock");
        }

        if (roles.Any(r => r is CsiNodeRole) && !flags.Any(f => f.Flag.ConfigKey == "Csi:KubeletPodsDir" && parse.GetValue(f.Option) is not null))
        {
            // No kubelet here: `connectors csi publish --target DIR` names any directory (still without symbolic links).
            settings["Csi:AnyTarget"] = "true";
        }

        if (roles.Any(r => r is ProxyRole))
        {
            PinPort(settings, "Proxy:Listen", "127.0.0.1:8080");
        }

        if (roles.Any(r => r is ControllerRole) && !string.IsNullOrEmpty(settings.GetValueOrDefault("Admission:Listen")))
        {
            // The webhook Service names the listener's port: a free one unless --webhook-listen gave one.
            if (!flags.Any(f => f.Flag.ConfigKey == "Admission:Listen" && parse.GetValue(f.Option) is not null))
            {
                settings["Admission:Listen"] = "127.0.0.1:0";
            }

            PinPort(settings, "Admission:Listen", "127.0.0.1:0");
        }

        // The roles read a kubeconfig of this process's own; the user's file is written once every listener is bound,
        // so a second instance that fails to start never points kubectl at its dead API.
        var own = Path.Combine(Path.GetDirectoryName(kubeconfig)!, $".kubeconfig-{Environment.ProcessId}");
        settings["Kube:Kubeconfig"] = own;
        settings["Kube:Context"] = null;
        return (new EmbeddedPlan(listen, kubeconfig, own, applies), null);
    }

    /// <summary>
    /// Starts the embedded API, writes the roles' kubeconfig, creates what an install would (the components
    /// namespace and proxy Service) and applies <c>--apply</c>.
    /// </summary>
    public async Task StartAsync(IReadOnlyList<IRole> roles, Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        await _server.StartAsync(cancellationToken);
        await _server.WriteKubeconfigAsync(_plan.RolesKubeconfig, cancellationToken);
        using var client = new HttpClient(_server.CreateHandler()) { BaseAddress = _server.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", _server.AdminToken);
        var applier = new ManifestApplier(client);
        var components = settings["Components:Namespace"] ?? WellKnown.DefaultComponentsNamespace;
        // What an install creates first: the controller's Lease and the proxy CA live in the components namespace.
        await applier.ApplyOneAsync(
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = components } },
            "embedded components namespace",
            cancellationToken);
        if (roles.Any(r => r is ProxyRole))
        {
            await EnsureProxyServiceAsync(applier, components, LocalProxyUrl(settings), cancellationToken);
        }

        _applied = await applier.ApplyAsync(_plan.Applies, cancellationToken);
        _publishExample = PublishExample(applier.Applied);
        if (WebhookPort(roles, settings) is { } port)
        {
            // After --apply, as on a cluster where those objects predate the webhook (the reconciler still checks
            // them): the controller's listener only starts with the roles.
            foreach (var obj in EmbeddedWebhooks.Objects(components, port))
            {
                await applier.ApplyOneAsync(obj, "embedded admission webhooks", cancellationToken);
            }
        }
    }

    /// <summary>
    /// The roles have started: with the controller role, waits until its webhooks have their caBundle, so every
    /// request made with the kubeconfig that <see cref="PublishAsync"/> writes goes through them.
    /// </summary>
    public async Task WaitForWebhooksAsync(IReadOnlyList<IRole> roles, Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        if (WebhookPort(roles, settings) is null)
        {
            return;
        }

        using var client = new HttpClient(_server.CreateHandler()) { BaseAddress = _server.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", _server.AdminToken);
        await WaitForCaBundleAsync(client, cancellationToken);
    }

    /// <summary>Every role has started: writes the user's kubeconfig and prints what to try next.</summary>
    public async Task PublishAsync(TextWriter output, IReadOnlyList<IRole> roles, Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        await _server.WriteKubeconfigAsync(_plan.Kubeconfig, cancellationToken);
        await output.WriteLineAsync($"connectors: embedded Kubernetes API at {_server.BaseUrl} (kubeconfig: {_plan.Kubeconfig}; {_applied} manifest objects applied)");
        await output.WriteLineAsync($"connectors: try: kubectl --kubeconfig {_plan.Kubeconfig} get connectors -A");
        await WriteNextStepsAsync(output, roles, settings);
        await output.WriteLineAsync("connectors: ready; stop with Ctrl-C (or SIGTERM)");
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            File.Delete(_plan.RolesKubeconfig);
        }
        catch (IOException)
        {
            // Best effort: the directory may be gone.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort.
        }

        _loggerFactory.Dispose();
    }

    private async Task WriteNextStepsAsync(TextWriter output, IReadOnlyList<IRole> roles, Dictionary<string, string?> settings)
    {
        if (roles.Any(r => r is ProxyRole))
        {
            var proxy = LocalProxyUrl(settings);
            await output.WriteLineAsync($"connectors: proxy at {proxy}; a Connector's address is {proxy}/namespaces/<namespace>/connectors/<name>");
        }

        if (roles.Any(r => r is CsiNodeRole) && settings.GetValueOrDefault("Csi:Endpoint") is { } endpoint)
        {
            var self = CommandName();
            if (_publishExample is null)
            {
                // No Connector to name: a command with placeholders would not run as printed.
                await output.WriteLineAsync($"connectors: CSI driver at {endpoint}; apply a Connector (--apply, or kubectl apply) to see the files a pod would get with `{self} csi publish`");
                return;
            }

            await output.WriteLineAsync($"connectors: CSI driver at {endpoint}; see the files a pod would get with ({WhoMayPublish(settings)}):");
            await output.WriteLineAsync($"connectors:   {self} csi publish --endpoint {endpoint} --target /tmp/connectors-demo {_publishExample}");
            await output.WriteLineAsync($"connectors: the volume stays mounted (also after Ctrl-C here) until: {self} csi unpublish --endpoint {endpoint} --target /tmp/connectors-demo");
        }
    }

    /// <summary>
    /// Who can run the printed <c>csi publish</c>: the socket is its owner's only. Root is not needed: without it the
    /// driver writes plain files instead of mounting a tmpfs (<c>--csi-tmpfs auto</c>).
    /// </summary>
    internal static string WhoMayPublish(Dictionary<string, string?> settings)
    {
        var tmpfs = settings.GetValueOrDefault("Csi:Tmpfs") switch
        {
            "true" => true,
            "false" => false,
            _ => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess,
        };
        var owner = Environment.IsPrivilegedProcess ? "root" : Environment.UserName;
        return tmpfs
            ? $"as {owner}, the socket's owner; the files live on a tmpfs"
            : $"as {owner}, the socket's owner; plain files, no tmpfs (--csi-tmpfs)";
    }

    /// <summary>
    /// The <c>csi publish</c> flags of a command that runs as printed: the first applied Connector, the first configuration
    /// of its class (when that class was applied too) and the first ServiceAccount applied in its namespace (else
    /// <c>default</c>). Null when no Connector was applied.
    /// </summary>
    internal static string? PublishExample(IReadOnlyList<JsonObject> applied)
    {
        var connector = applied.FirstOrDefault(o => IsConnectorsKind(o, "Connector"));
        if (connector is null)
        {
            return null;
        }

        var ns = (string?)connector["metadata"]?["namespace"] ?? "default";
        var className = (string?)connector["spec"]?["connectorClassName"];
        var configuration = applied
            .Where(o => IsConnectorsKind(o, "ConnectorClass") && (string?)o["metadata"]?["name"] == className)
            .Select(o => (string?)(o["spec"]?["configurations"] as JsonArray)?.FirstOrDefault()?["name"])
            .FirstOrDefault(n => !string.IsNullOrEmpty(n));
        var serviceAccount = applied
            .Where(o => (string?)o["apiVersion"] == "v1" && (string?)o["kind"] == "ServiceAccount" && ((string?)o["metadata"]?["namespace"] ?? "default") == ns)
            .Select(o => (string?)o["metadata"]?["name"])
            .FirstOrDefault() ?? "default";
        return $"--connector {ns}/{(string?)connector["metadata"]?["name"]}"
            + (configuration is null ? "" : $" --configurations {configuration}")
            + $" --pod-namespace {ns} --service-account {serviceAccount}";
    }

    private static bool IsConnectorsKind(JsonObject obj, string kind) =>
        (string?)obj["kind"] == kind && ((string?)obj["apiVersion"])?.StartsWith(ApiGroups.Connectors + "/", StringComparison.Ordinal) == true;

    /// <summary>How to call this executable again from a shell: its path (<c>connectors</c> is usually not on PATH).</summary>
    private static string CommandName()
    {
        var path = Environment.ProcessPath;
        if (path is null || !Path.GetFileNameWithoutExtension(path).Equals("connectors", StringComparison.Ordinal))
        {
            return "connectors";
        }

        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : "./" + relative;
    }

    /// <summary>
    /// A listener on port 0 gets a free port chosen now, so what names it (Connectors and the banner for the proxy,
    /// the webhook Service for the controller) has the address it will really have.
    /// </summary>
    private static void PinPort(Dictionary<string, string?> settings, string key, string fallback)
    {
        IPEndPoint endpoint;
        try
        {
            endpoint = ListenAddress.Parse(settings.GetValueOrDefault(key) ?? fallback);
        }
        catch (FormatException)
        {
            return;   // reported with the flag's name by the listen-address check that follows
        }

        if (endpoint.Port != 0)
        {
            return;
        }

        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(endpoint);
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        settings[key] = new IPEndPoint(endpoint.Address, port).ToString();
    }

    private static int? WebhookPort(IReadOnlyList<IRole> roles, Dictionary<string, string?> settings) =>
        roles.Any(r => r is ControllerRole) && settings.GetValueOrDefault("Admission:Listen") is { Length: > 0 } listen
            ? EmbeddedWebhooks.PortOf(listen)
            : null;

    /// <summary>The controller writes the caBundle once it serves its certificate; up to 30 s.</summary>
    private static async Task WaitForCaBundleAsync(HttpClient client, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 300; i++)
        {
            using var response = await client.GetAsync("apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/connectors-webhook", cancellationToken);
            if (response.IsSuccessStatusCode
                && JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))?["webhooks"] is JsonArray webhooks
                && webhooks.All(w => (string?)w?["clientConfig"]?["caBundle"] is { Length: > 0 }))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new StartupException("the controller's admission webhooks did not get their certificate within 30 s (see the log)");
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

    /// <summary>Where a client on this machine reaches the proxy (<c>http://127.0.0.1:8080</c>).</summary>
    /// <remarks>The port is never 0 here: <see cref="PinPort"/> chose one in <see cref="Plan"/>.</remarks>
    private static string LocalProxyUrl(Dictionary<string, string?> settings)
    {
        var endpoint = ListenAddress.Parse(settings.GetValueOrDefault("Proxy:Listen") ?? "127.0.0.1:8080");
        var host = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : endpoint.Address;
        return $"http://{new IPEndPoint(host, endpoint.Port)}";
    }

    private static async Task EnsureProxyServiceAsync(ManifestApplier applier, string ns, string externalUrl, CancellationToken cancellationToken)
    {
        var labels = new JsonObject { ["app.kubernetes.io/name"] = "connectors", ["app.kubernetes.io/component"] = "proxy" };
        // Cluster DNS names (c-<name>.<ns>.svc.cluster.local) do not resolve on this machine: connector proxy
        // addresses use the path form under the local proxy URL instead.
        var annotations = new JsonObject { [WellKnown.ExternalUrlAnnotation] = externalUrl };
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
