using Connectors.Modules.Proxy;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Tests.Registry;

/// <summary>The registry path form's access check, as the reverse route's: the token read in place, its hash memoised per connection.</summary>
[TestFixture]
public sealed class RegistryRoutesTests
{
    [TestCase("HTTP/1.1", true)]
    [TestCase("HTTP/2", false)]
    [CancelAfter(10_000)]
    public async Task ConnectorAsync_BearerToken_HashRememberedOnHttp1Connections(string protocol, bool remembered, CancellationToken cancellationToken)
    {
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        var routes = proxy.Services.GetRequiredService<RegistryRoutes>();
        var items = new Dictionary<object, object?>();
        var context = new DefaultHttpContext();
        context.Features.Set<IConnectionItemsFeature>(new ConnectionItems(items));
        context.Request.Protocol = protocol;
        context.Request.Headers.Authorization = "Bearer not-a-known-token";
        context.Response.Body = new MemoryStream();

        var route = ProxyRoute.Registry(new ConnectorKey("team", "reg"), "/v2/demo/manifests/v1", "/v2/namespaces/team/connectors/reg", false);
        var exchange = await routes.ConnectorAsync(context, route, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exchange.Result.Status, Is.EqualTo(StatusCodes.Status401Unauthorized));
            Assert.That(items.Values.OfType<TokenHashMemo>().Select(m => m.Hash),
                remembered ? Is.EqualTo(new[] { AccessReviewer.Hash("not-a-known-token") }) : Is.Empty);
        }
    }

    private sealed class ConnectionItems(IDictionary<object, object?> items) : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = items;
    }
}
