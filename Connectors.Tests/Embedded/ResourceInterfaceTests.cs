using System.Net;
using System.Text.Json.Nodes;
using Connectors.Modules.Embedded;
using Connectors.Modules.Model;
using Connectors.Tests.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Embedded;

/// <summary>The ResourceInterface CRD (original §8.6) is installed and served: stored as written, no controller behaviour.</summary>
[TestFixture]
public sealed class ResourceInterfaceTests
{
    private const string Sample = """
        {"apiVersion":"connectors.alauda.io/v1alpha1","kind":"ResourceInterface",
         "metadata":{"name":"gitcoderepository","labels":{"resourceinterface.connectors.cpaas.io/category":"GitCodeRepository"}},
         "spec":{"params":[{"name":"repository","type":"string"}],
          "attributes":[{"name":"url","type":"string","expression":"{connector.spec.address + '/' + params.repository}","parameterize":{"name":"url","disable":false},"dependsOn":["repository"]}],
          "workspaces":[{"name":"git-source","workspaceMapping":{"name":"source"},"value":{"csi":{"driver":"connectors-csi","readOnly":true,"volumeAttributes":{"connector.name":"git"}}}}],
          "configurations":{"multipleMergeConnectors":{"enabled":true,"description":"several Connectors in one volume"}}}}
        """;

    [Test, CancelAfter(10_000)]
    public async Task Create_ResourceInterface_IsStoredAsWrittenAndListed(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);

        var (created, _) = await api.SendAsync(HttpMethod.Post, "apis/connectors.alauda.io/v1alpha1/resourceinterfaces", Sample, cancellationToken);
        var (_, read) = await api.SendAsync(HttpMethod.Get, "apis/connectors.alauda.io/v1alpha1/resourceinterfaces/gitcoderepository", null, cancellationToken);
        var (_, list) = await api.SendAsync(HttpMethod.Get, "apis/connectors.alauda.io/v1alpha1/resourceinterfaces", null, cancellationToken);
        var (namespaced, _) = await api.SendAsync(HttpMethod.Get, "apis/connectors.alauda.io/v1alpha1/namespaces/default/resourceinterfaces", null, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(JsonNode.DeepEquals(read["spec"], JsonNode.Parse(Sample)!["spec"]), Is.True, read.ToJsonString());
            Assert.That(read["status"], Is.Null);
            Assert.That(list["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]), Is.EqualTo(new[] { "gitcoderepository" }));
            Assert.That(namespaced, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test]
    public void Crd_NamesAndScope_MatchWhatTheEmbeddedApiServes()
    {
        var crd = CrdSchema.Load("manifests", "crds", "connectors.alauda.io_resourceinterfaces.yaml");
        var type = ResourceRegistry.ResourceInterfaces;
        var paths = CrdSchema.Paths(crd);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)crd["metadata"]!["name"], Is.EqualTo(type.QualifiedName));
            Assert.That((string?)crd["spec"]!["group"], Is.EqualTo(ApiGroups.Connectors));
            Assert.That((string?)crd["spec"]!["names"]!["kind"], Is.EqualTo(type.Kind));
            Assert.That((string?)crd["spec"]!["names"]!["plural"], Is.EqualTo(type.Plural));
            Assert.That((string?)crd["spec"]!["scope"], Is.EqualTo("Cluster"));
            Assert.That(CrdSchema.Version(crd)["additionalPrinterColumns"], Is.Null);
            Assert.That(paths, Does.ContainKey(".spec.params[].default").And.ContainKey(".spec.attributes[].parameterize.disable")
                .And.ContainKey(".spec.workspaces[].workspaceMapping.name").And.ContainKey(".spec.configurations.multipleMergeConnectors.enabled"));
            Assert.That(paths[".spec.workspaces[].value"], Is.EqualTo("object+preserve"));
        }
    }
}
