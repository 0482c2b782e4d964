using System.Net;
using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Proxy;

/// <summary>
/// The proxy's allowed addresses include an address extension the Connector omits but its class defaults (github's
/// <c>api</c> = <c>https://api.github.com</c>): a real request through the forward proxy gets the credential there.
/// </summary>
[TestFixture]
public sealed class ClassDefaultsProxyTests
{
    private const string Token = "sa-token-defaults";
    private const string User = "system:serviceaccount:team:builder";

    [Test, CancelAfter(20_000)]
    public async Task Forward_ExtensionOnlyInClassDefault_IsAnAllowedAddressAndGetsTheCredential(CancellationToken cancellationToken)
    {
        await using var web = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("web", ctx.RequestAborted), cancellationToken);
        await using var api = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("api", ctx.RequestAborted), cancellationToken);
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.Directory.Put(new ConnectorClass
        {
            Metadata = new ObjectMeta { Name = "hub" },
            Spec = new ConnectorClassSpec { AddressExtensions = [new ParamSpec { Name = "api", Default = JsonValue.Create(api.BaseAddress.ToString()) }] },
        });
        proxy.AddConnector("team", "gh", web.BaseAddress.ToString(), Secrets.Bearer("gh-token", "real-api-token"), className: "hub");
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "gh");
        using var client = new HttpClient(new SocketsHttpHandler
        {
            Proxy = new WebProxy(proxy.Address) { Credentials = new NetworkCredential("team/gh", Token), BypassProxyOnLocal = false },
            UseProxy = true,
        });

        using var response = await client.GetAsync(new Uri(api.BaseAddress, "/user"), cancellationToken);

        var seen = api.Seen.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(seen, Has.Length.EqualTo(1));
            Assert.That(seen[0].Headers.GetValueOrDefault("Authorization"), Is.EqualTo("Bearer real-api-token"));
            Assert.That(proxy.Logs, Does.Not.Contain("real-api-token").And.Not.Contain(Token));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Reverse_ConnectorWithClass_ClassLookedUpOncePerRequest(CancellationToken cancellationToken)
    {
        await using var web = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("web", ctx.RequestAborted), cancellationToken);
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.Directory.Put(new ConnectorClass { Metadata = new ObjectMeta { Name = "hub" }, Spec = new ConnectorClassSpec() });
        proxy.AddConnector("team", "gh", web.BaseAddress.ToString(), Secrets.Bearer("gh-token", "real-api-token"), className: "hub");
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "gh");
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Address, "/namespaces/team/connectors/gh/user"));
        request.Headers.Authorization = new("Bearer", Token);
        var before = proxy.Directory.ClassLookups;

        using var response = await client.SendAsync(request, cancellationToken);

        // Once, before the token is read (its extractor); the access check, registry mode and the auth type read the
        // same class object (AccessCheck.Class), not the cache again.
        var lookups = proxy.Directory.ClassLookups - before;
        var seen = web.Seen.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(seen, Has.Length.EqualTo(1));
            Assert.That(seen[0].Headers.GetValueOrDefault("Authorization"), Is.EqualTo("Bearer real-api-token"));
            Assert.That(lookups, Is.EqualTo(1));
        }
    }
}
