using System.Text.Json;
using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Connectors.Tests.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Manifests;

/// <summary>
/// Every ConnectorClass file of <c>manifests/connectorclasses</c>: valid against the ConnectorClass CRD schema (a real
/// API server would reject or prune what is not), and Ready once <c>connectors run --embedded</c> applies them.
/// </summary>
[TestFixture]
public sealed class ShippedClassesTests
{
    private static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(TestData.Path("manifests", "connectorclasses"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(Files))]
    public void ShippedClass_ComparedWithCrdSchema_EveryFieldDeclaredWithItsTypeAndRequiredFieldsPresent(string file)
    {
        var schema = CrdSchema.OpenApi(CrdSchema.Load("manifests", "crds", "connectors.alauda.io_connectorclasses.yaml"));
        var connectorClass = KubeYaml.LoadDocuments(TestData.Read("manifests", "connectorclasses", file)).Single();
        var problems = new List<string>();

        Validate(connectorClass["spec"], schema["properties"]!["spec"]!.AsObject(), ".spec", problems);

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Validate_FieldTheSchemaLacks_IsReported()
    {
        // The check above cannot pass vacuously: a misspelt field and a wrong type are both found.
        var schema = CrdSchema.OpenApi(CrdSchema.Load("manifests", "crds", "connectors.alauda.io_connectorclasses.yaml"))["properties"]!["spec"]!.AsObject();
        var problems = new List<string>();

        Validate(JsonNode.Parse("""{"address":{"name":"a"},"livenessProbe":{"http":{"pathh":"/"}},"auth":{"types":[{"name":"b","optional":"yes"}]}}"""), schema, ".spec", problems);

        Assert.That(problems, Is.EquivalentTo(new[]
        {
            ".spec.livenessProbe.http.pathh: not in the schema",
            ".spec.livenessProbe.http: required path missing",
            ".spec.auth.types[0].optional: String, schema says boolean",
        }));
    }

    [Test, CancelAfter(60_000)]
    public async Task RunEmbedded_ShippedClasses_AllApplyAndBecomeReady(CancellationToken cancellationToken)
    {
        var names = Files().Select(f => KubeYaml.Load<ConnectorClass>(TestData.Read("manifests", "connectorclasses", f)).Metadata.Name).ToArray();
        await using var run = await EmbeddedRun.StartAsync(cancellationToken);

        foreach (var name in names)
        {
            while (true)
            {
                var read = await run.Client.GetAsync<ConnectorClass>(null, name!, cancellationToken);
                Assert.That(read.IsOk, Is.True, () => $"{name}: {read.Outcome} {read.Message}");
                if (read.Value!.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready) is { Status: ConditionStatus.True })
                {
                    break;
                }

                await Task.Delay(50, cancellationToken);
            }
        }

        Assert.That(names, Is.SupersetOf(new[] { "git", "gitlab", "github", "k8s", "oci", "harbor", "pypi", "npm" }));
    }

    private static void Validate(JsonNode? value, JsonObject schema, string path, List<string> problems)
    {
        if (value is null || schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true)
        {
            return;
        }

        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        var matches = type switch
        {
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "integer" or "number" => kind == JsonValueKind.Number,
            _ => true,
        };
        if (!matches)
        {
            problems.Add($"{path}: {kind}, schema says {type}");
            return;
        }

        if (value is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, $"{path}[{i}]", problems);
            }
        }

        if (value is not JsonObject obj)
        {
            return;
        }

        foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
        {
            if (!obj.ContainsKey(required))
            {
                problems.Add($"{path}: required {required} missing");
            }
        }

        foreach (var (name, child) in obj)
        {
            if (schema["properties"]?[name] is JsonObject property)
            {
                Validate(child, property, $"{path}.{name}", problems);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Validate(child, additional, $"{path}.{name}", problems);
            }
            else
            {
                problems.Add($"{path}.{name}: not in the schema");
            }
        }
    }
}
