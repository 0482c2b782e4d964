using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Tests.Model;

/// <summary>Our CRDs stay compatible with the original schemas, and the C# model carries every field they declare.</summary>
[TestFixture]
public sealed class CrdCompatibilityTests
{
    private static readonly string[] Files = ["connectors.alauda.io_connectors.yaml", "connectors.alauda.io_connectorclasses.yaml"];

    [TestCaseSource(nameof(Files))]
    public void OurCrd_ComparedWithReference_HasEveryFieldPathWithTheSameType(string file)
    {
        var reference = CrdSchema.Paths(CrdSchema.Load("TestData", "reference", "crds", file));
        var ours = CrdSchema.Paths(CrdSchema.Load("manifests", "crds", file));

        var missing = reference.Keys.Where(p => !ours.ContainsKey(p)).ToArray();
        var changed = reference.Where(p => ours.TryGetValue(p.Key, out var t) && t != p.Value).Select(p => $"{p.Key}: {p.Value} -> {ours[p.Key]}").ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reference, Has.Count.GreaterThan(40), "the reference schema was not read");
            Assert.That(missing, Is.Empty, "field paths our CRD lacks");
            Assert.That(changed, Is.Empty, "field paths whose type changed");
        }
    }

    [TestCaseSource(nameof(Files))]
    public void OurCrd_ComparedWithReference_KeepsNamesScopePrinterColumnsAndStatus(string file)
    {
        var reference = CrdSchema.Load("TestData", "reference", "crds", file);
        var ours = CrdSchema.Load("manifests", "crds", file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ours["metadata"]!["name"]!.ToJsonString(), Is.EqualTo(reference["metadata"]!["name"]!.ToJsonString()));
            foreach (var key in new[] { "group", "names", "scope" })
            {
                Assert.That(JsonNode.DeepEquals(ours["spec"]![key], reference["spec"]![key]), Is.True, key);
            }

            var ourVersion = CrdSchema.Version(ours);
            var referenceVersion = CrdSchema.Version(reference);
            foreach (var key in new[] { "name", "served", "storage", "subresources", "additionalPrinterColumns" })
            {
                Assert.That(JsonNode.DeepEquals(ourVersion[key], referenceVersion[key]), Is.True, key);
            }
        }
    }

    [Test]
    public void ConnectorCrd_PrinterColumns_AreClassAddressReadyReasonAge()
    {
        var columns = CrdSchema.Version(CrdSchema.Load("manifests", "crds", Files[0]))["additionalPrinterColumns"]!.AsArray();
        Assert.That(columns.Select(c => c!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "Class", "Address", "Ready", "Reason", "Age" }));
    }

    [Test]
    public void ConnectorModel_SampleWithEveryCrdField_RoundTripsUnchanged()
    {
        var sample = Sample(Files[0], "Connector");
        var back = ModelJson.ToNode(ModelJson.FromNode<Connector>(sample));
        Assert.That(JsonNode.DeepEquals(sample, back), Is.True, $"{sample.ToJsonString()}\n{back.ToJsonString()}");
    }

    [Test]
    public void ConnectorClassModel_SampleWithEveryCrdField_RoundTripsUnchanged()
    {
        var sample = Sample(Files[1], "ConnectorClass");
        var back = ModelJson.ToNode(ModelJson.FromNode<ConnectorClass>(sample));
        Assert.That(JsonNode.DeepEquals(sample, back), Is.True, $"{sample.ToJsonString()}\n{back.ToJsonString()}");
    }

    private static JsonObject Sample(string file, string kind)
    {
        var sample = CrdSchema.Sample(CrdSchema.OpenApi(CrdSchema.Load("manifests", "crds", file)), string.Empty)!.AsObject();
        sample["apiVersion"] = ApiGroups.ConnectorsApiVersion;
        sample["kind"] = kind;
        return sample;
    }
}
