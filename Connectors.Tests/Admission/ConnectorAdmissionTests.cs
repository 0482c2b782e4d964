using System.Text.Json.Nodes;
using Connectors.Modules.Admission;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Admission;

[TestFixture]
public sealed class ConnectorAdmissionTests
{
    [Test]
    public void ReviewConnector_Valid_Allowed()
    {
        var decision = ConnectorAdmission.ReviewConnector(Request("CREATE", Connector()), Classes);
        Assert.That(decision.Allowed, Is.True);
    }

    [TestCase("""{"name":"tokenAuth","params":[{"name":"repository","value":"a/b.git"}]}""", "spec.auth.name \"tokenAuth\" is not declared by connectorclass \"git\": want one of \"basicAuth\"", TestName = "ReviewConnector_UndeclaredAuthName_DeniedNamingField")]
    [TestCase("""{"name":"basicAuth"}""", "spec.auth.params \"repository\" is required by the connectorclass", TestName = "ReviewConnector_MissingRequiredParam_DeniedNamingField")]
    public void ReviewConnector_BadAuth_Denied(string auth, string message)
    {
        var connector = Connector();
        connector["spec"]!["auth"] = JsonNode.Parse(auth);
        var decision = ConnectorAdmission.ReviewConnector(Request("CREATE", connector), Classes);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Allowed, Is.False);
            Assert.That(decision.Message, Is.EqualTo(message));
        }
    }

    [TestCase("""[{"name":"foo","value":"https://x.example.com"}]""", "spec.addressExtensions \"foo\" is not declared by the connectorclass, which declares no address extensions", TestName = "ReviewConnector_UndeclaredExtension_Denied")]
    [TestCase("""[{"name":"api","value":"ftp://x"}]""", "spec.addressExtensions \"api\" must be an http or https URL, got \"ftp://x\"", TestName = "ReviewConnector_ExtensionNotHttp_Denied")]
    public void ReviewConnector_BadExtensions_Denied(string extensions, string message)
    {
        var connector = Connector();
        connector["spec"]!["addressExtensions"] = JsonNode.Parse(extensions);
        Func<string, ConnectorClass?> classes = extensions.Contains("api", StringComparison.Ordinal) ? ClassWithApiExtension : Classes;
        var decision = ConnectorAdmission.ReviewConnector(Request("CREATE", connector), classes);
        Assert.That(decision.Message, Is.EqualTo(message));
    }

    [Test]
    public void ReviewConnector_NoClassName_Denied()
    {
        var connector = Connector();
        connector["spec"]!.AsObject().Remove("connectorClassName");
        Assert.That(ConnectorAdmission.ReviewConnector(Request("CREATE", connector), Classes).Message, Is.EqualTo("spec.connectorClassName is required"));
    }

    [Test]
    public void ReviewConnector_ClassMissing_AllowedWithWarning()
    {
        var decision = ConnectorAdmission.ReviewConnector(Request("CREATE", Connector()), _ => null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Allowed, Is.True);
            Assert.That(decision.Warnings, Is.EqualTo(new[] { "connectorclass.connectors.alauda.io \"git\" not found: the Connector is not Ready until it exists" }));
        }
    }

    [Test]
    public void ReviewConnector_UpdateLeavingInvalidSpecAlone_Allowed()
    {
        var invalid = Connector();
        invalid["spec"]!["auth"] = JsonNode.Parse("""{"name":"nope"}""");
        var relabelled = invalid.DeepClone().AsObject();
        relabelled["metadata"]!["labels"] = new JsonObject { ["a"] = "b" };
        var request = Request("UPDATE", relabelled);
        request["oldObject"] = invalid;
        Assert.That(ConnectorAdmission.ReviewConnector(request, Classes).Allowed, Is.True);
    }

    [Test]
    public void ReviewConnector_UpdateChangingSpecToInvalid_Denied()
    {
        var invalid = Connector();
        invalid["spec"]!["auth"] = JsonNode.Parse("""{"name":"nope"}""");
        var request = Request("UPDATE", invalid);
        request["oldObject"] = Connector();
        Assert.That(ConnectorAdmission.ReviewConnector(request, Classes).Allowed, Is.False);
    }

    [Test]
    public void ReviewConnector_BeingDeleted_Allowed()
    {
        var invalid = Connector();
        invalid["spec"]!["auth"] = JsonNode.Parse("""{"name":"nope"}""");
        invalid["metadata"]!["deletionTimestamp"] = "2026-01-01T00:00:00Z";
        Assert.That(ConnectorAdmission.ReviewConnector(Request("UPDATE", invalid), Classes).Allowed, Is.True);
    }

    [Test]
    public void ReviewConnector_OfInvalidClass_DeniedNamingTheClass()
    {
        var broken = Fixtures.GitClass();
        broken.Spec.Configurations = [new ConfigurationSpec(), new ConfigurationSpec { Name = "x" }];
        var decision = ConnectorAdmission.ReviewConnector(Request("CREATE", Connector()), _ => broken);
        Assert.That(decision.Message, Is.EqualTo("connectorclass \"git\" is invalid: spec.configurations[0].name: Required value"));
    }

    [Test]
    public void ReviewConnectorClass_DuplicateAuthTypes_Denied()
    {
        var connectorClass = ModelJson.ToNode(Fixtures.GitClass());
        connectorClass["spec"]!["auth"]!["types"]!.AsArray().Add((JsonNode)new JsonObject { ["name"] = "basicAuth" });
        var decision = ConnectorAdmission.ReviewConnectorClass(Request("CREATE", connectorClass));
        Assert.That(decision.Message, Is.EqualTo("spec.auth.types[1].name: Duplicate value: \"basicAuth\""));
    }

    [Test]
    public void ReviewConnectorClass_CelBeyondTheLimits_Denied()
    {
        var connectorClass = Fixtures.GitClass();
        connectorClass.Spec.LivenessProbe!.Http!.Response = new ProbeResponse { Cel = "bodyJSON.a.all(x, bodyJSON.a.all(y, bodyJSON.a.all(z, x == z)))" };
        var decision = ConnectorAdmission.ReviewConnectorClass(Request("CREATE", ModelJson.ToNode(connectorClass)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Allowed, Is.False);
            Assert.That(decision.Message, Is.EqualTo(
                "spec.livenessProbe.http.response.cel: the expression nests comprehensions (all, exists, exists_one, map, filter) more than 2 deep at character 51"));
        }
    }

    [Test]
    public void ReviewConnectorClass_Shipped_Allowed()
    {
        var decision = ConnectorAdmission.ReviewConnectorClass(Request("CREATE", ModelJson.ToNode(Fixtures.GitClass())));
        Assert.That(decision.Allowed, Is.True);
    }

    private static ConnectorClass? Classes(string name) => name == "git" ? Fixtures.GitClass() : null;

    private static ConnectorClass? ClassWithApiExtension(string name)
    {
        var connectorClass = Fixtures.GitClass();
        connectorClass.Spec.AddressExtensions = [new ParamSpec { Name = "api" }];
        return connectorClass;
    }

    private static JsonObject Connector() => ModelJson.ToNode(Fixtures.GitConnector("ns", "c", "https://git.example.com"));

    private static JsonObject Request(string operation, JsonObject obj) => new()
    {
        ["uid"] = "u1",
        ["operation"] = operation,
        ["object"] = obj,
    };
}
