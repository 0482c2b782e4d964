using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Tests.Model;

[TestFixture]
public sealed class KubeYamlTests
{
    [Test]
    public void LoadDocuments_PlainScalars_ResolveLikeKubectl()
    {
        var doc = KubeYaml.LoadDocuments("a: 8080\nb: \"8080\"\nc: true\nd: on\ne: ~\nf: 1.5\ng: 0x1F\nh: hello\ni: '1.5'\nj: 12345678901\n").Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc["a"]!.GetValue<long>(), Is.EqualTo(8080));
            Assert.That(doc["b"]!.GetValue<string>(), Is.EqualTo("8080"));
            Assert.That(doc["c"]!.GetValue<bool>(), Is.True);
            Assert.That(doc["d"]!.GetValue<bool>(), Is.True, "YAML 1.1 'on' is a boolean for sigs.k8s.io/yaml");
            Assert.That(doc.AsObject().ContainsKey("e") && doc["e"] is null, Is.True);
            Assert.That(doc["f"]!.GetValue<double>(), Is.EqualTo(1.5));
            Assert.That(doc["g"]!.GetValue<long>(), Is.EqualTo(31));
            Assert.That(doc["h"]!.GetValue<string>(), Is.EqualTo("hello"));
            Assert.That(doc["i"]!.GetValue<string>(), Is.EqualTo("1.5"));
            Assert.That(doc["j"]!.GetValue<long>(), Is.EqualTo(12345678901));
        }
    }

    [Test]
    public void LoadDocuments_BlockScalars_KeepTextExactly()
    {
        var doc = KubeYaml.LoadDocuments("literal: |\n  [http]\n      extraHeader = x\nfolded: >-\n  {{- if .Secret }}Basic\n  x {{- end }}\n").Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc["literal"]!.GetValue<string>(), Is.EqualTo("[http]\n    extraHeader = x\n"));
            Assert.That(doc["folded"]!.GetValue<string>(), Is.EqualTo("{{- if .Secret }}Basic x {{- end }}"));
        }
    }

    [Test]
    public void LoadDocuments_MultipleDocuments_KeepsOrderAndSkipsEmpty()
    {
        var docs = KubeYaml.LoadDocuments("kind: A\n---\n---\nkind: B\n");

        Assert.That(docs.Select(d => d["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "A", "B" }));
    }

    [Test]
    public void LoadDocuments_InvalidYaml_ThrowsFormatExceptionWithLine()
    {
        var error = Assert.Throws<FormatException>(() => KubeYaml.LoadDocuments("a: b\n  c: [\n"));

        Assert.That(error!.Message, Does.StartWith("invalid YAML at line"));
    }

    [Test]
    public void Load_SecretWithStringData_MapsToModel()
    {
        var secret = KubeYaml.Load<Secret>("apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: n}\ntype: connectors.cpaas.io/gitlab-pat-auth\nstringData:\n  token: glpat-x\n");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(secret.Metadata.Name, Is.EqualTo("s"));
            Assert.That(secret.Type, Is.EqualTo(SecretTypes.GitLabPatAuth));
            Assert.That(secret.StringData!["token"], Is.EqualTo("glpat-x"));
        }
    }

    [Test]
    public void Load_WrongShape_ThrowsFormatExceptionNamingTheKind()
    {
        var error = Assert.Throws<FormatException>(() => KubeYaml.Load<Connector>("spec: [1, 2]\n"));

        Assert.That(error!.Message, Does.StartWith("not a valid Connector"));
    }

    [Test]
    public void SecretData_SerialisedAsBase64_LikeKubernetes()
    {
        var json = ModelJson.Serialize(new Secret { Data = new() { ["password"] = "s3cr3t"u8.ToArray() } });

        Assert.That(JsonNode.Parse(json)!["data"]!["password"]!.GetValue<string>(), Is.EqualTo("czNjcjN0"));
    }
}
