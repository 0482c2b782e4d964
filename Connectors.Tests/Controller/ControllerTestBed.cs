using System.Text;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Controller;

/// <summary>
/// One embedded API, one controller and one fake git server shared by a fixture: the git server answers
/// <c>/</c> with 200 and the smart-HTTP <c>info/refs</c> probe with 200 only for <c>alice:s3cret</c>, else 401.
/// The proxy Service <c>connectors-proxy-service</c> exists in <c>connectors-system</c>.
/// </summary>
internal sealed class ControllerTestBed : IAsyncDisposable
{
    public const string User = "alice";
    public const string Password = "s3cret";
    private int _counter;

    private ControllerTestBed(EmbeddedApi api, ControllerHarness controller, ToolServer tool)
    {
        Api = api;
        Controller = controller;
        Tool = tool;
    }

    public EmbeddedApi Api { get; }

    public ControllerHarness Controller { get; }

    public ToolServer Tool { get; }

    public static string ExpectedAuthorization => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));

    public static async Task<ControllerTestBed> StartAsync(CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var api = await EmbeddedApi.StartAsync(cancellationToken);
        var tool = await ToolServer.StartAsync(GitServer, cancellationToken);
        var controller = await ControllerHarness.StartAsync(api, cancellationToken, settings);
        var bed = new ControllerTestBed(api, controller, tool);
        await bed.NamespaceAsync("connectors-system", cancellationToken);
        await controller.CreateAsync(ProxyService("connectors-system"), cancellationToken);
        return bed;
    }

    public static Service ProxyService(string ns) => new()
    {
        Metadata = new ObjectMeta { Name = WellKnown.ProxyServiceName, Namespace = ns },
        Spec = new ServiceSpec { Type = "ClusterIP", Ports = [new ServicePort { Name = "http", Port = 80 }] },
    };

    /// <summary>A fresh namespace with a unique name.</summary>
    public async Task<string> NamespaceAsync(CancellationToken cancellationToken) =>
        await NamespaceAsync($"t{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}"[..20], cancellationToken);

    public async Task<string> NamespaceAsync(string name, CancellationToken cancellationToken)
    {
        await Controller.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } }, cancellationToken);
        return name;
    }

    /// <summary>A unique class name.</summary>
    public string ClassName(string prefix = "git") => $"{prefix}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}"[..24].TrimEnd('-');

    /// <summary>Creates a git class, a valid Secret and a Connector pointing at the fake git server.</summary>
    public async Task<(string Ns, string ClassName)> GitConnectorAsync(string name, CancellationToken cancellationToken, Action<ConnectorClass>? changeClass = null, Action<Connector>? changeConnector = null)
    {
        var ns = await NamespaceAsync(cancellationToken);
        var className = ClassName();
        var connectorClass = Fixtures.GitClass(className);
        changeClass?.Invoke(connectorClass);
        await Controller.CreateAsync(connectorClass, cancellationToken);
        await Controller.CreateAsync(Fixtures.BasicAuthSecret(ns, "git-creds", User, Password), cancellationToken);
        var connector = Fixtures.GitConnector(ns, name, Tool.BaseAddress.ToString().TrimEnd('/'), className: className);
        changeConnector?.Invoke(connector);
        await Controller.CreateAsync(connector, cancellationToken);
        return (ns, className);
    }

    public Task<Connector> WaitForConditionAsync(string ns, string name, string type, string status, CancellationToken cancellationToken, string? reason = null) =>
        Controller.WaitForAsync<Connector>(ns, name, c => Find(c.Status?.Conditions, type) is { } x && x.Status == status && (reason is null || x.Reason == reason), cancellationToken);

    public static Condition? Find(IEnumerable<Condition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await Tool.DisposeAsync();
        await Api.DisposeAsync();
    }

    private static Task GitServer(HttpContext context)
    {
        if (context.Request.Path.Value!.EndsWith("/info/refs", StringComparison.Ordinal))
        {
            var ok = context.Request.Query["service"] == "git-upload-pack" && context.Request.Headers.Authorization == ExpectedAuthorization;
            context.Response.StatusCode = ok ? 200 : 401;
        }
        else
        {
            context.Response.StatusCode = context.Request.Path == "/" || context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) ? 200 : 404;
        }

        return Task.CompletedTask;
    }
}
