using Connectors.Modules.Controller;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class ConnectorClassValidatorTests
{
    [Test]
    public void Validate_ShippedAndReferenceClasses_NoProblems()
    {
        var files = TestData.Files("*.yaml", "manifests", "connectorclasses").Concat(TestData.Files("*connectorclass*.yaml", "TestData", "reference", "examples"));
        var problems = new List<string>();
        foreach (var file in files)
        {
            foreach (var document in KubeYaml.LoadDocuments(File.ReadAllText(file)).Where(d => (string?)d["kind"] == "ConnectorClass"))
            {
                problems.AddRange(ConnectorClassValidator.Validate(ModelJson.FromNode<ConnectorClass>(document)).Select(p => $"{Path.GetFileName(file)}: {p}"));
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Validate_DuplicateAndMissingNames_NameFieldIndexAndRule()
    {
        var connectorClass = Fixtures.GitClass();
        connectorClass.Spec.Auth!.Types!.Add(new AuthType { Name = "basicAuth" });
        connectorClass.Spec.Params = [new ParamSpec { Name = "a" }, new ParamSpec()];
        var problems = ConnectorClassValidator.Validate(connectorClass);
        Assert.That(problems, Is.EqualTo(new List<string>
        {
            "spec.params[1].name: Required value",
            "spec.auth.types[1].name: Duplicate value: \"basicAuth\"",
        }));
    }

    [Test]
    public void Validate_AuthProbeOfUndeclaredType_Reported()
    {
        var connectorClass = Fixtures.GitClass();
        connectorClass.Spec.AuthProbes = [new AuthProbe { AuthName = "tokenAuth" }];
        var problems = ConnectorClassValidator.Validate(connectorClass);
        Assert.That(problems, Is.EqualTo(new List<string> { "spec.authProbes[0].authName: \"tokenAuth\" is not declared in spec.auth.types" }));
    }

    [Test]
    public void Validate_DuplicateConfigurationNames_Reported()
    {
        var connectorClass = Fixtures.GitClass();
        connectorClass.Spec.Configurations = [new ConfigurationSpec { Name = "gitconfig" }, new ConfigurationSpec { Name = "gitconfig" }];
        var problems = ConnectorClassValidator.Validate(connectorClass);
        Assert.That(problems, Is.EqualTo(new List<string> { "spec.configurations[1].name: Duplicate value: \"gitconfig\"" }));
    }
}
