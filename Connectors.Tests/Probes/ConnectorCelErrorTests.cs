using System.Text;
using Connectors.Modules.Model;
using Connectors.Tests.Controller;
using Connectors.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connectors.Tests.Probes;

/// <summary>
/// A class whose <c>response.cel</c> fails on the tool's answer, under the real controller, the tool echoing the
/// Connector's token in its body and a header: the auth condition says the expression could not be evaluated
/// and never carry the token (the <c>Cel</c> package's conversion errors quote the whole value).
/// </summary>
[TestFixture]
public sealed class ConnectorCelErrorTests
{
    private const string Pat = "glpat-echoed-by-the-tool-0123456789";
    private ControllerTestBed _bed = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _bed = await ControllerTestBed.StartAsync(timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _bed.DisposeAsync();

    [Test, CancelAfter(30_000)]
    public async Task ReconcileAsync_CelFailsOnAnEchoedToken_StatusDoesNotCarryIt(CancellationToken cancellationToken)
    {
        using var tool = CannedTool.Start();
        tool.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("X-Echo", Pat).WithBody($"{{\"token\":\"{Pat}\",\"note\":\"it's {Pat}\"}}"));

        var ns = await _bed.NamespaceAsync(cancellationToken);
        var gitlab = KubeYaml.Load<ConnectorClass>(TestData.Read("manifests", "connectorclasses", "gitlab.yaml"));
        gitlab.Metadata.Name = _bed.ClassName("gitlab");
        gitlab.Spec.LivenessProbe!.Http!.Response = new ProbeResponse { Cel = "statusCode == 200 && headers['X-Echo'][0] != ''" };
        gitlab.Spec.AuthProbes!.Single(p => p.AuthName == "patAuth").Probe!.Http!.Response = new ProbeResponse { Cel = "int(bodyString) > 0" };
        await _bed.Controller.CreateAsync(gitlab, cancellationToken);
        await _bed.Controller.CreateAsync(
            new Secret
            {
                Metadata = new ObjectMeta { Name = "gitlab-pat", Namespace = ns },
                Type = SecretTypes.GitLabPatAuth,
                Data = new() { ["token"] = Encoding.UTF8.GetBytes(Pat) },
            },
            cancellationToken);
        await _bed.Controller.CreateAsync(
            new Connector
            {
                Metadata = new ObjectMeta { Name = "gitlab", Namespace = ns },
                Spec = new ConnectorSpec
                {
                    ConnectorClassName = gitlab.Metadata.Name,
                    Address = tool.BaseAddress().ToString().TrimEnd('/'),
                    Auth = new ConnectorAuth { Name = "patAuth", SecretRef = new ObjectReference { Name = "gitlab-pat" } },
                },
            },
            cancellationToken);

        var connector = await _bed.WaitForConditionAsync(ns, "gitlab", ConditionTypes.AuthReady, ConditionStatus.False, cancellationToken);
        var conditions = connector.Status!.Conditions!;
        var liveness = ControllerTestBed.Find(conditions, ConditionTypes.LivenessReady)!;
        var auth = ControllerTestBed.Find(conditions, ConditionTypes.AuthReady)!;
        TestContext.Out.WriteLine(liveness.Message);
        TestContext.Out.WriteLine(auth.Message);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(liveness.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That(auth.Message, Does.Contain("could not be evaluated: Could not convert '…'").And.EndWith(" to Int."));
            Assert.That(conditions.Select(c => c.Message ?? string.Empty), Has.None.Contain("0123456789").And.None.Contain("echoed"));
        }
    }
}
