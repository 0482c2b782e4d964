using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Connectors.Tests.Support;

namespace Connectors.Tests.Embedded;

[TestFixture]
public sealed class EmbeddedApiServerTests
{
    [Test, CancelAfter(10_000)]
    public async Task Get_DefaultNamespaces_ExistFromTheStart(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var http = api.CreateClient();
        var list = await http.GetFromJsonAsync<JsonObject>("api/v1/namespaces", cancellationToken);
        var names = list!["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ToList();
        Assert.That(names, Is.EqualTo((string[])["default", "kube-public", "kube-system"]));
    }

    [Test, CancelAfter(10_000)]
    public async Task Get_WithoutToken_IsUnauthorized(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var http = api.CreateClient(token: "");
        using var response = await http.GetAsync("api/v1/namespaces", cancellationToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
