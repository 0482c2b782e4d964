using System.Text.Json.Nodes;
using Connectors.Modules.Controller;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class ConnectorValidatorTests
{
    [Test]
    public void Validate_CanonicalGitConnector_NoProblems()
    {
        var problems = ConnectorValidator.Validate(Fixtures.GitConnector("ns", "c", "https://git.example.com"), Fixtures.GitClass());
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Validate_UndeclaredAuthName_NamesTheDeclaredOnes()
    {
        var connector = Fixtures.GitConnector("ns", "c", "https://git.example.com");
        connector.Spec.Auth!.Name = "tokenAuth";
        var problems = ConnectorValidator.Validate(connector, Fixtures.GitClass());
        Assert.That(problems, Is.EqualTo(new List<string> { "spec.auth.name \"tokenAuth\" is not declared by connectorclass \"git\": want one of \"basicAuth\"" }));
    }

    [Test]
    public void Validate_ParamNestedBeyondTheLimit_ReportedAndTheLimitItselfStillRenders()
    {
        // The API server stores any depth; the Connector is serialized again for its templates at 64 levels.
        static JsonNode Nested(int depth)
        {
            JsonNode node = JsonValue.Create("x");
            for (var i = 0; i < depth; i++)
            {
                node = i % 2 == 0 ? new JsonObject { ["a"] = node } : new JsonArray(node);
            }

            return node;
        }

        var atLimit = Fixtures.GitConnector("ns", "c", "https://git.example.com");
        atLimit.Spec.Auth!.Params!.Add(new NamedValue { Name = "deep", Value = Nested(ConnectorValidator.MaxValueDepth) });
        var beyond = Fixtures.GitConnector("ns", "c", "https://git.example.com");
        beyond.Spec.Params = [new NamedValue { Name = "deep", Value = Nested(5000) }];
        var builder = new Connectors.Modules.Probes.ProbeBuilder(new Connectors.Modules.Templates.TemplateEngine());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ConnectorValidator.Validate(atLimit, Fixtures.GitClass()), Is.Empty);
            Assert.That(() => builder.Build(new HttpProbeSpec { Path = "/" }, atLimit, null), Throws.Nothing, "the limit leaves room for the envelope");
            Assert.That(ConnectorValidator.Validate(beyond, Fixtures.GitClass()),
                Is.EqualTo(new List<string> { $"spec.params \"deep\" nests arrays and objects more than {ConnectorValidator.MaxValueDepth} levels deep" }));
        }
    }

    [Test]
    public void Validate_MissingAuthProbeParam_NamesIt()
    {
        var connector = Fixtures.GitConnector("ns", "c", "https://git.example.com");
        connector.Spec.Auth!.Params = null;
        var problems = ConnectorValidator.Validate(connector, Fixtures.GitClass());
        Assert.That(problems, Is.EqualTo(new List<string> { "spec.auth.params \"repository\" is required by the connectorclass" }));
    }

    [Test]
    public void Validate_MissingRequiredParamWithoutDefault_Reported()
    {
        var connectorClass = Fixtures.GitClass();
        connectorClass.Spec.Params = [new ParamSpec { Name = "sslVerify", Default = "true" }, new ParamSpec { Name = "region" }];
        var problems = ConnectorValidator.Validate(Fixtures.GitConnector("ns", "c", "https://git.example.com"), connectorClass);
        Assert.That(problems, Is.EqualTo(new List<string> { "spec.params \"region\" is required by the connectorclass" }));
    }

    [TestCase("", "spec.address is required")]
    [TestCase("git.example.com", "spec.address \"git.example.com\" is not an http or https URL")]
    [TestCase("ftp://git.example.com", "spec.address \"ftp://git.example.com\" is not an http or https URL")]
    public void Validate_BadAddress_Reported(string address, string expected)
    {
        var problems = ConnectorValidator.Validate(Fixtures.GitConnector("ns", "c", address), Fixtures.GitClass());
        Assert.That(problems, Is.EqualTo(new List<string> { expected }));
    }

    [Test]
    public void Validate_AddressExtensions_AllWebhookRules()
    {
        var connectorClass = Fixtures.GitClass();
        connectorClass.Spec.AddressExtensions =
        [
            new ParamSpec { Name = "api" },
            new ParamSpec { Name = "registry" },
            new ParamSpec { Name = "web", Default = "https://web.example.com" },
            new ParamSpec { Name = "docs", Default = "https://docs.example.com" },
        ];
        var connector = Fixtures.GitConnector("ns", "c", "https://git.example.com");
        connector.Spec.AddressExtensions =
        [
            new NamedValue { Name = "api", Value = "https://api.example.com" },
            new NamedValue { Name = "api", Value = "https://api2.example.com" },
            new NamedValue { Name = "web", Value = "https://git.example.com" },
            new NamedValue { Name = "docs", Value = "https://api.example.com" },
            new NamedValue { Name = "extra", Value = "https://x.example.com" },
            new NamedValue { Name = "registry", Value = new JsonObject { ["url"] = "x" } },
        ];
        var problems = ConnectorValidator.Validate(connector, connectorClass);
        Assert.That(problems, Is.EqualTo(new List<string>
        {
            "spec.addressExtensions \"api\" is given more than once",
            "spec.addressExtensions \"web\" must differ from spec.address",
            "spec.addressExtensions \"docs\" has the same URL as \"api\"",
            "spec.addressExtensions \"extra\" is not declared by the connectorclass: want one of \"api\", \"registry\", \"web\", \"docs\"",
            "spec.addressExtensions \"registry\" must be an http or https URL, got {\"url\":\"x\"}",
        }));
    }

    [Test]
    public void Validate_RequiredExtensionMissing_Reported()
    {
        var connectorClass = Fixtures.GitClass();
        connectorClass.Spec.AddressExtensions = [new ParamSpec { Name = "api" }];
        var problems = ConnectorValidator.Validate(Fixtures.GitConnector("ns", "c", "https://git.example.com"), connectorClass);
        Assert.That(problems, Is.EqualTo(new List<string> { "spec.addressExtensions \"api\" is required by the connectorclass" }));
    }

    [Test]
    public void Problem_SecretOfWrongType_NamesBothTypes()
    {
        var secret = Fixtures.BasicAuthSecret("ns", "creds", "u", "p");
        secret.Type = SecretTypes.Opaque;
        var problem = SecretCheck.Problem(secret, Fixtures.GitClass().Spec.Auth!.Types![0]);
        Assert.That(problem, Is.EqualTo("secret \"creds\" has type \"Opaque\", auth type \"basicAuth\" wants \"kubernetes.io/basic-auth\""));
    }

    [Test]
    public void Problem_SecretWithoutPassword_NamesTheKey()
    {
        var secret = Fixtures.BasicAuthSecret("ns", "creds", "u", "p");
        secret.Data!.Remove("password");
        var problem = SecretCheck.Problem(secret, Fixtures.GitClass().Spec.Auth!.Types![0]);
        Assert.That(problem, Is.EqualTo("secret \"creds\" has no key \"password\", required by auth type \"basicAuth\""));
    }

    [Test]
    public void Problem_OpaqueWithDeclaredParams_ChecksParamKeys()
    {
        var authType = new AuthType { Name = "patAuth", SecretType = "Opaque", Params = [new ParamSpec { Name = "token" }] };
        var secret = new Secret { Metadata = new ObjectMeta { Name = "pat" }, Type = "kubernetes.io/opaque", Data = new() { ["other"] = [1] } };
        Assert.That(SecretCheck.Problem(secret, authType), Is.EqualTo("secret \"pat\" has no key \"token\", required by auth type \"patAuth\""));
    }
}
