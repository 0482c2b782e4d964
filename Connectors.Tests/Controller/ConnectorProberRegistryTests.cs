using Connectors.Modules.Controller;
using Connectors.Modules.Model;
using Connectors.Modules.Probes;
using Connectors.Modules.Templates;
using Connectors.Tests.Support;

namespace Connectors.Tests.Controller;

/// <summary>The prober asks for the registry token flow exactly when the Connector's class is in registry mode.</summary>
[TestFixture]
public sealed class ConnectorProberRegistryTests
{
    private sealed class RecordingProbe : IProbe
    {
        public List<ProbeRequest> Requests { get; } = [];

        public Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new ProbeResult(ProbeOutcome.Succeeded, 200, "status code 200"));
        }
    }

    [TestCase(null, false)]
    [TestCase("registry", true)]
    [TestCase(" Registry ", true)]
    [TestCase("plain", false)]
    public async Task AuthAsync_ClassProxyMode_SetsRegistryTokenFlow(string? mode, bool expected)
    {
        var probe = new RecordingProbe();
        using var metrics = new ControllerMetrics();
        using var prober = new ConnectorProber(probe, new ProbeBuilder(new TemplateEngine()), metrics, new ControllerOptions { ProbeConcurrency = 1 });
        var connectorClass = Fixtures.GitClass();
        if (mode is not null)
        {
            connectorClass.Metadata.Annotations ??= [];
            connectorClass.Metadata.Annotations[WellKnown.ProxyModeAnnotation] = mode;
        }

        var connector = Fixtures.GitConnector("ns", "reg", "https://registry.example.com");
        var secret = Secrets.Basic("creds", "u", "p");

        var state = await prober.AuthAsync(connector, connectorClass, secret, null, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(state.IsTrue, Is.True);
            Assert.That(probe.Requests.Select(r => r.RegistryTokenFlow), Is.EqualTo(new[] { expected }));
        }
    }

    // A liveness probe carries no credential: no token flow in either mode (that a registry's 401 is alive is the oci
    // class's response.cel, RegistryProbeTests).
    [TestCase(null)]
    [TestCase("registry")]
    public async Task LivenessAsync_ClassProxyMode_NeverTheTokenFlow(string? mode)
    {
        var probe = new RecordingProbe();
        using var metrics = new ControllerMetrics();
        using var prober = new ConnectorProber(probe, new ProbeBuilder(new TemplateEngine()), metrics, new ControllerOptions { ProbeConcurrency = 1 });
        var connectorClass = Fixtures.GitClass();
        if (mode is not null)
        {
            connectorClass.Metadata.Annotations ??= [];
            connectorClass.Metadata.Annotations[WellKnown.ProxyModeAnnotation] = mode;
        }

        await prober.LivenessAsync(Fixtures.GitConnector("ns", "reg", "https://registry.example.com"), connectorClass, null, null, CancellationToken.None);

        Assert.That(probe.Requests.Select(r => r.RegistryTokenFlow), Is.EqualTo(new[] { false }));
    }
}
