using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Model;

/// <summary>Every Connector and ConnectorClass example of the reference documents loads and serialises back unchanged.</summary>
[TestFixture]
public sealed class ReferenceExamplesTests
{
    private static IEnumerable<string> Examples() => TestData.Files("*.yaml", "TestData", "reference", "examples").Select(System.IO.Path.GetFileName)!;

    [Test]
    public void Examples_Present_AtLeastTwentyFromTheSeeds()
    {
        Assert.That(Examples().Count(), Is.GreaterThanOrEqualTo(20));
    }

    [TestCaseSource(nameof(Examples))]
    public void Example_LoadAndSerialise_KeepsEveryField(string file)
    {
        var original = Normalize(KubeYaml.LoadDocuments(TestData.Read("TestData", "reference", "examples", file)).Single());
        var kind = original["kind"]!.GetValue<string>();

        JsonNode back = kind switch
        {
            "Connector" => ModelJson.ToNode(ModelJson.FromNode<Connector>(original)),
            "ConnectorClass" => ModelJson.ToNode(ModelJson.FromNode<ConnectorClass>(original)),
            _ => throw new AssertionException($"unexpected kind {kind}"),
        };

        if (original["apiVersion"] is null)
        {
            // Snippets that omit apiVersion get the model's default; everything else must be identical.
            back.AsObject().Remove("apiVersion");
        }

        if (original["spec"] is null && back["spec"] is JsonObject { Count: 0 })
        {
            back.AsObject().Remove("spec");
        }

        Assert.That(JsonNode.DeepEquals(original, back), Is.True, $"round trip changed {file}:\n{original.ToJsonString()}\n{back.ToJsonString()}");
    }

    /// <summary>
    /// What the API server does before storing: a field set to null is the same as an absent field, and a
    /// condition status written as a YAML boolean is its string form.
    /// </summary>
    private static JsonNode Normalize(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToArray())
                {
                    obj.Remove(key);
                }

                if (obj["type"] is not null && obj["status"] is JsonValue status && status.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
                {
                    obj["status"] = status.GetValue<bool>() ? "True" : "False";
                }

                foreach (var (_, child) in obj)
                {
                    Normalize(child!);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Normalize(child!);
                }

                break;
        }

        return node;
    }
}
