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

    [Test, CancelAfter(10_000)]
    public async Task Lease_UpdateFromTwoHolders_SecondGetsConflict(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        const string Leases = "apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
        var (created, lease) = await api.SendAsync(HttpMethod.Post, Leases, """{"metadata":{"name":"connectors-controller"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15,"renewTime":"2025-01-01T00:00:00.000000Z"}}""", cancellationToken);
        var first = lease.DeepClone().AsObject();
        first["spec"]!["holderIdentity"] = "b";
        var second = lease.DeepClone().AsObject();
        second["spec"]!["holderIdentity"] = "c";
        var (won, _) = await api.SendAsync(HttpMethod.Put, Leases + "/connectors-controller", first.ToJsonString(), cancellationToken);
        var (lost, _) = await api.SendAsync(HttpMethod.Put, Leases + "/connectors-controller", second.ToJsonString(), cancellationToken);
        var (_, stored) = await api.SendAsync(HttpMethod.Get, Leases + "/connectors-controller", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((created, won, lost), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict)));
            Assert.That((string?)stored["spec"]!["holderIdentity"], Is.EqualTo("b"));
            Assert.That((string?)stored["spec"]!["renewTime"], Is.EqualTo("2025-01-01T00:00:00.000000Z"), "MicroTime is stored as given");
            Assert.That(stored["metadata"]!["generation"], Is.Null, "leases have no generation");
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Start_WithoutTls_ServesPlainHttpAndKubeconfigHasNoCa(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken, o => o.Tls = false);
        using var http = api.CreateClient();
        using var response = await http.GetAsync("api/v1/namespaces/default", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(api.BaseUrl.Scheme, Is.EqualTo("http"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(api.Server.KubeconfigYaml(), Does.Not.Contain("certificate-authority-data"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Watch_AsTable_StreamsOneRowTablesWithColumnsFirst(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var http = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/namespaces/default/configmaps?watch=true&resourceVersion={api.Server.ResourceVersion}");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", """{"metadata":{"name":"a"},"data":{"k":"v"}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Delete, "api/v1/namespaces/default/configmaps/a", null, cancellationToken);
        var added = JsonNode.Parse((await reader.ReadLineAsync(cancellationToken))!)!;
        var deleted = JsonNode.Parse((await reader.ReadLineAsync(cancellationToken))!)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)added["type"], Is.EqualTo("ADDED"));
            Assert.That((string?)added["object"]!["kind"], Is.EqualTo("Table"));
            Assert.That(added["object"]!["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]), Is.EqualTo((string[])["Name", "Data", "Age"]));
            Assert.That((string?)added["object"]!["rows"]![0]!["cells"]![0], Is.EqualTo("a"));
            Assert.That((string?)deleted["type"], Is.EqualTo("DELETED"));
            Assert.That(deleted["object"]!["columnDefinitions"]!.AsArray(), Is.Empty);
        }
    }
}
