using System.Text.Json.Nodes;
using Connectors.Modules.Admission;
using Connectors.Modules.Model;

namespace Connectors.Tests.Admission;

[TestFixture]
public sealed class ProxyExposureTests
{
    [TestCase("ClusterIP", "10.96.0.9:80")]
    [TestCase("NodePort", "localhost:30080")]
    public void Resolve_Exposure_HostAndPort(string exposure, string expected) =>
        Assert.That(ProxyExposure.Resolve(Service(), exposure).Host, Is.EqualTo(expected));

    [Test]
    public void Resolve_ExternalUrlAnnotation_Wins()
    {
        var service = Service();
        service.Metadata.Annotations = new() { [WellKnown.ExternalUrlAnnotation] = "http://127.0.0.1:18080" };
        Assert.That(ProxyExposure.Resolve(service, "NodePort").Host, Is.EqualTo("127.0.0.1:18080"));
    }

    [Test]
    public void Resolve_NodePortWithoutNodePort_ExplainsIt()
    {
        var service = Service();
        service.Spec!.Ports![0].NodePort = null;
        Assert.That(ProxyExposure.Resolve(service, "NodePort").Problem, Is.EqualTo("Service connectors-proxy-service has no nodePort (exposure NodePort needs spec.type NodePort)"));
    }

    [Test]
    public void Resolve_NoService_ExplainsIt() =>
        Assert.That(ProxyExposure.Resolve(null, "ClusterIP").Problem, Is.EqualTo("Service connectors-proxy-service not found in the components namespace"));

    private static Service Service() => new()
    {
        Metadata = new ObjectMeta { Name = WellKnown.ProxyServiceName, Namespace = WellKnown.DefaultComponentsNamespace },
        Spec = new ServiceSpec
        {
            ClusterIP = "10.96.0.9",
            Ports = [new ServicePort { Name = "http", Port = 80, NodePort = 30080, TargetPort = JsonValue.Create("http") }],
        },
    };
}
