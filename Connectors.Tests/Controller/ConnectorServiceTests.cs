using Connectors.Modules.Controller;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class ConnectorServiceTests
{
    [Test]
    public void Desired_GitConnector_ExternalNameToProxyPort80OwnedByConnector()
    {
        var connector = Fixtures.GitConnector("team-a", "gitlab", "https://git.example.com");
        var service = ConnectorService.Desired(connector, "connectors-proxy-service.connectors-system.svc.cluster.local");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(service.Metadata.Name, Is.EqualTo("c-gitlab"));
            Assert.That(service.Metadata.Namespace, Is.EqualTo("team-a"));
            Assert.That(service.Spec!.Type, Is.EqualTo("ExternalName"));
            Assert.That(service.Spec.ExternalName, Is.EqualTo("connectors-proxy-service.connectors-system.svc.cluster.local"));
            Assert.That(service.Spec.Ports!.Single().Port, Is.EqualTo(80));
            Assert.That(service.Metadata.OwnerReferences!.Single().Uid, Is.EqualTo(connector.Metadata.Uid));
            Assert.That(service.Metadata.OwnerReferences!.Single().Controller, Is.True);
        }
    }

    [Test]
    public void NeedsUpdate_SameServiceOrOtherExternalName_FalseThenTrue()
    {
        var connector = Fixtures.GitConnector("ns", "c", "https://git.example.com");
        var actual = ConnectorService.Desired(connector, "a.svc");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ConnectorService.NeedsUpdate(actual, ConnectorService.Desired(connector, "a.svc")), Is.False);
            Assert.That(ConnectorService.NeedsUpdate(actual, ConnectorService.Desired(connector, "b.svc")), Is.True);
        }
    }

    [Test]
    public void ProxyUrl_HostAndPathResolvers_DocumentedForms()
    {
        var connector = Fixtures.GitConnector("team-a", "harbor", "https://harbor.example.com");
        var connectorClass = Fixtures.GitClass();
        var host = ConnectorService.ProxyUrl(connector, connectorClass, "http://connectors-proxy-service.connectors-system.svc.cluster.local");
        connectorClass.Metadata.Annotations = new() { [WellKnown.ProxyResolverAnnotation] = "path" };
        var path = ConnectorService.ProxyUrl(connector, connectorClass, "http://connectors-proxy-service.connectors-system.svc.cluster.local");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(host, Is.EqualTo("http://c-harbor.team-a.svc.cluster.local"));
            Assert.That(path, Is.EqualTo("http://connectors-proxy-service.connectors-system.svc.cluster.local/namespaces/team-a/connectors/harbor"));
        }
    }

    [TestCase("ok-name", null)]
    [TestCase("dotted.name", "Service name \"c-dotted.name\" is not a DNS label (lower-case letters, digits and '-')")]
    public void NameProblem_ConnectorNames_OnlyDnsLabelsPass(string name, string? expected) =>
        Assert.That(ConnectorService.NameProblem(name), Is.EqualTo(expected));

    [Test]
    public void NameProblem_TooLong_Reported() =>
        Assert.That(ConnectorService.NameProblem(new string('a', 62)), Does.Contain("longer than 63 characters"));

    [Test]
    public void Resolve_ServiceRefWithPrefix_KnativeFormWithPrefix()
    {
        var service = new Service { Metadata = new ObjectMeta { Name = "git-api", Namespace = "tools" }, Spec = new ServiceSpec { Ports = [new ServicePort { Port = 8080 }] } };
        var resolved = EndpointResolver.Resolve("spec.api", new ServiceRef { Kind = "Service", Name = "git-api" }, "api/", "tools",
            (ns, name) => ns == "tools" && name == "git-api" ? service : null, ConditionReasons.ConnectionFailed);
        Assert.That((resolved.Url, resolved.Host), Is.EqualTo(("http://git-api.tools.svc.cluster.local:8080/api", "git-api.tools.svc.cluster.local")));
    }

    [Test]
    public void Resolve_MissingService_NotFoundWithOriginalMessage()
    {
        var resolved = EndpointResolver.Resolve("spec.proxy", new ServiceRef { Kind = "Service", Name = WellKnown.ProxyServiceName, Namespace = "connectors-system" },
            null, "x", (_, _) => null, ConditionReasons.ProxyServiceNotFound);
        Assert.That((resolved.Reason, resolved.Problem), Is.EqualTo((ConditionReasons.ProxyServiceNotFound, "Service connectors-proxy-service not found in namespace connectors-system")));
    }

    [Test]
    public void Resolve_AbsoluteUri_TakenAsIs()
    {
        var resolved = EndpointResolver.Resolve("spec.proxy", null, "https://proxy.example.com/", "x", (_, _) => null, ConditionReasons.ProxyServiceNotFound);
        Assert.That((resolved.Url, resolved.Host), Is.EqualTo(("https://proxy.example.com", "proxy.example.com")));
    }
}
