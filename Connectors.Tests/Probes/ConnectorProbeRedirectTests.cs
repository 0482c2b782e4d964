using System.Text;
using Connectors.Modules.Model;
using Connectors.Tests.Controller;
using Connectors.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Connectors.Tests.Probes;

/// <summary>
/// The published gitlab ConnectorClass under the real controller, its tool redirecting the probes to a foreign
/// server: the PAT never reaches that server and the Connector is not ready, with a message naming where the
/// redirect pointed.
/// </summary>
[TestFixture]
public sealed class ConnectorProbeRedirectTests
{
    private const string Pat = "glpat-redirect-test-0123456789";
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
    public async Task ReconcileAsync_AuthProbeRedirectedToForeignOrigin_AuthReadyFalseAndNoTokenSent(CancellationToken cancellationToken)
    {
        using var foreign = CannedTool.Start();
        foreign.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(200));
        using var tool = CannedTool.Start();
        tool.Given(Request.Create().WithPath("/api/v4/user")).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", foreign.BaseAddress() + "stolen/api/v4/user"));
        tool.Given(Request.Create()).AtPriority(10).RespondWith(Response.Create().WithStatusCode(200));

        var ns = await GitLabConnectorAsync("gitlab", tool, cancellationToken);
        var connector = await _bed.WaitForConditionAsync(ns, "gitlab", ConditionTypes.AuthReady, ConditionStatus.False, cancellationToken);

        var auth = ControllerTestBed.Find(connector.Status!.Conditions, ConditionTypes.AuthReady)!;
        var probed = tool.LogEntries.First(r => r.RequestMessage.Path == "/api/v4/user").RequestMessage;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(foreign.LogEntries, Is.Empty);
            Assert.That(probed.Headers?["Private-Token"].ToString(), Is.EqualTo(Pat));
            Assert.That(ControllerTestBed.Find(connector.Status.Conditions, ConditionTypes.LivenessReady)!.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That((auth.Reason, auth.Message), Is.EqualTo((ConditionReasons.AuthenticationFailed,
                $"Authentication failed: status code 302: redirect to another origin http://127.0.0.1:{foreign.BaseAddress().Port} not followed (probe headers are only sent to http://127.0.0.1:{tool.BaseAddress().Port})")));
            Assert.That(ControllerTestBed.Find(connector.Status.Conditions, ConditionTypes.Ready)!.Status, Is.EqualTo(ConditionStatus.False));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task ReconcileAsync_LivenessProbeRedirectedToForeignOrigin_LivenessReadyFalse(CancellationToken cancellationToken)
    {
        using var foreign = CannedTool.Start();
        foreign.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(200));
        using var tool = CannedTool.Start();
        tool.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", foreign.BaseAddress() + "elsewhere"));

        var ns = await GitLabConnectorAsync("gitlab-live", tool, cancellationToken);
        var connector = await _bed.WaitForConditionAsync(ns, "gitlab-live", ConditionTypes.LivenessReady, ConditionStatus.False, cancellationToken);

        var liveness = ControllerTestBed.Find(connector.Status!.Conditions, ConditionTypes.LivenessReady)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(foreign.LogEntries, Is.Empty);
            Assert.That((liveness.Reason, liveness.Message), Is.EqualTo((ConditionReasons.ConnectionFailed,
                $"Liveness probe failed: status code 302: redirect to another origin http://127.0.0.1:{foreign.BaseAddress().Port} not followed (probe headers are only sent to http://127.0.0.1:{tool.BaseAddress().Port})")));
        }
    }

    /// <summary>The gitlab class of <c>manifests/connectorclasses</c> (unique name), a PAT Secret and a Connector at <paramref name="tool"/>.</summary>
    private async Task<string> GitLabConnectorAsync(string name, WireMockServer tool, CancellationToken cancellationToken)
    {
        var ns = await _bed.NamespaceAsync(cancellationToken);
        var gitlab = KubeYaml.Load<ConnectorClass>(TestData.Read("manifests", "connectorclasses", "gitlab.yaml"));
        gitlab.Metadata.Name = _bed.ClassName("gitlab");
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
                Metadata = new ObjectMeta { Name = name, Namespace = ns },
                Spec = new ConnectorSpec
                {
                    ConnectorClassName = gitlab.Metadata.Name,
                    Address = tool.BaseAddress().ToString().TrimEnd('/'),
                    Auth = new ConnectorAuth { Name = "patAuth", SecretRef = new ObjectReference { Name = "gitlab-pat" } },
                },
            },
            cancellationToken);
        return ns;
    }
}
