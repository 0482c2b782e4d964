using System.Text;
using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Connectors.Tests.Controller;
using Connectors.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Connectors.Tests.Manifests;

/// <summary>
/// The shipped harbor and oci ConnectorClasses under the real controller against stand-ins. Harbor API:
/// <c>/api/v2.0/ping</c> answers <c>Pong</c>, <c>/api/v2.0/users/current</c> answers 200 for the right Basic
/// credentials and 401 otherwise. Distribution registry with anonymous <c>/v2/</c>: a repository's tag list answers 200
/// for the right Basic credentials and 401 otherwise.
/// </summary>
[TestFixture]
public sealed class RegistryStandInTests
{
    private const string User = "robot$ci";
    private const string Password = "harbor-s3cret-0123";
    private ControllerTestBed _bed = null!;
    private WireMockServer _harbor = null!;
    private WireMockServer _registry = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _bed = await ControllerTestBed.StartAsync(timeout.Token);
        _harbor = CannedTool.Start();
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        _harbor.Given(Request.Create().WithPath("/api/v2.0/ping").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("Pong"));
        _harbor.Given(Request.Create().WithPath("/api/v2.0/users/current").UsingGet().WithHeader("Authorization", basic))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody($$"""{"user_id":3,"username":"{{User}}"}"""));
        _harbor.Given(Request.Create().WithPath("/api/v2.0/users/current")).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json").WithBody("""{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}"""));

        _registry = CannedTool.Start();
        _registry.Given(Request.Create().WithPath("/v2/").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        _registry.Given(Request.Create().WithPath("/v2/testing/busybox/tags/list").UsingGet().WithHeader("Authorization", basic))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name":"testing/busybox","tags":["latest"]}"""));
        _registry.Given(Request.Create().WithPath("/v2/*")).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("WWW-Authenticate", "Basic realm=\"registry\"").WithBody("""{"errors":[{"code":"UNAUTHORIZED"}]}"""));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _harbor.Dispose();
        _registry.Dispose();
        await _bed.DisposeAsync();
    }

    [Test, CancelAfter(30_000)]
    public async Task Reconcile_RightCredentials_ConnectorReady(CancellationToken cancellationToken)
    {
        var ns = await HarborConnectorAsync("harbor-ok", Password, cancellationToken);

        var connector = await _bed.WaitForConditionAsync(ns, "harbor-ok", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);

        var probed = _harbor.LogEntries.Last(e => e.RequestMessage.Path == "/api/v2.0/users/current").RequestMessage;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ControllerTestBed.Find(connector.Status!.Conditions, ConditionTypes.AuthReady)!.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That(ControllerTestBed.Find(connector.Status.Conditions, ConditionTypes.LivenessReady)!.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That(probed.Headers!["Authorization"].ToString(), Does.StartWith("Basic "));
            Assert.That(connector.Status.Proxy?.HttpAddress?.Url, Does.EndWith($"/namespaces/{ns}/connectors/harbor-ok"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Reconcile_WrongPassword_AuthFailedWithoutThePasswordInStatus(CancellationToken cancellationToken)
    {
        var ns = await HarborConnectorAsync("harbor-bad", "wrong-password-987", cancellationToken);

        var connector = await _bed.WaitForConditionAsync(ns, "harbor-bad", ConditionTypes.AuthReady, ConditionStatus.False, cancellationToken);

        var auth = ControllerTestBed.Find(connector.Status!.Conditions, ConditionTypes.AuthReady)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(auth.Reason, Is.EqualTo(ConditionReasons.AuthenticationFailed));
            Assert.That(auth.Message, Does.Contain("401"));
            Assert.That(ModelJson.ToNode(connector).ToJsonString(), Does.Not.Contain("wrong-password-987"));
            Assert.That(ControllerTestBed.Find(connector.Status.Conditions, ConditionTypes.LivenessReady)!.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That(ControllerTestBed.Find(connector.Status.Conditions, ConditionTypes.Ready)!.Status, Is.EqualTo(ConditionStatus.False));
        }
    }

    [TestCase(Password, ConditionStatus.True)]
    [TestCase("wrong-password-987", ConditionStatus.False)]
    [CancelAfter(30_000)]
    public async Task Reconcile_OciConnectorWithRepository_AuthProbeReadsItsTagList(string password, string expected, CancellationToken cancellationToken)
    {
        var ns = await _bed.NamespaceAsync(cancellationToken);
        var oci = KubeYaml.Load<ConnectorClass>(TestData.Read("manifests", "connectorclasses", "oci.yaml"));
        oci.Metadata.Name = _bed.ClassName("oci");
        await _bed.Controller.CreateAsync(oci, cancellationToken);
        await _bed.Controller.CreateAsync(Secrets.Of("registry-creds", SecretTypes.DistributionRegistryToken, ("username", User), ("password", password)).WithNamespace(ns), cancellationToken);
        await _bed.Controller.CreateAsync(
            new Connector
            {
                Metadata = new ObjectMeta { Name = "oci", Namespace = ns },
                Spec = new ConnectorSpec
                {
                    ConnectorClassName = oci.Metadata.Name,
                    Address = _registry.BaseAddress().ToString().TrimEnd('/'),
                    Auth = new ConnectorAuth
                    {
                        Name = "tokenAuth",
                        SecretRef = new ObjectReference { Name = "registry-creds" },
                        Params = [new NamedValue { Name = "repository", Value = JsonValue.Create("testing/busybox") }],
                    },
                },
            },
            cancellationToken);

        var connector = await _bed.WaitForConditionAsync(ns, "oci", ConditionTypes.AuthReady, expected, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ControllerTestBed.Find(connector.Status!.Conditions, ConditionTypes.LivenessReady)!.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That(ControllerTestBed.Find(connector.Status.Conditions, ConditionTypes.Ready)!.Status, Is.EqualTo(expected));
            Assert.That(_registry.LogEntries.Select(e => e.RequestMessage.Path), Does.Contain("/v2/testing/busybox/tags/list"));
            Assert.That(connector.Status.Proxy?.HttpAddress?.Url, Does.EndWith($"/namespaces/{ns}/connectors/oci"));
        }
    }

    /// <summary>The harbor class of <c>manifests/connectorclasses</c> (unique name), a basic-auth Secret and a Connector at the stand-in.</summary>
    private async Task<string> HarborConnectorAsync(string name, string password, CancellationToken cancellationToken)
    {
        var ns = await _bed.NamespaceAsync(cancellationToken);
        var harbor = KubeYaml.Load<ConnectorClass>(TestData.Read("manifests", "connectorclasses", "harbor.yaml"));
        harbor.Metadata.Name = _bed.ClassName("harbor");
        await _bed.Controller.CreateAsync(harbor, cancellationToken);
        await _bed.Controller.CreateAsync(Secrets.Basic("harbor-creds", User, password).WithNamespace(ns), cancellationToken);
        await _bed.Controller.CreateAsync(
            new Connector
            {
                Metadata = new ObjectMeta { Name = name, Namespace = ns },
                Spec = new ConnectorSpec
                {
                    ConnectorClassName = harbor.Metadata.Name,
                    Address = _harbor.BaseAddress().ToString().TrimEnd('/'),
                    Auth = new ConnectorAuth { Name = "basicAuth", SecretRef = new ObjectReference { Name = "harbor-creds" } },
                },
            },
            cancellationToken);
        return ns;
    }
}
