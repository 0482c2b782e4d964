using System.Text.Json.Nodes;
using Connectors.Modules.Admission;
using Connectors.Modules.Controller;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Connectors.Tests.Controller.ControllerTestBed;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class ConnectorClassReconcilerTests
{
    private ControllerTestBed _bed = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _bed = await ControllerTestBed.StartAsync(timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _bed.DisposeAsync();

    private Task<ConnectorClass> WaitForAsync(string name, string type, string status, CancellationToken cancellationToken) =>
        _bed.Controller.WaitForAsync<ConnectorClass>(null, name, c => Find(c.Status?.Conditions, type)?.Status == status, cancellationToken);

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_BuiltInProxyNoApi_ReadyWithProxyAddress(CancellationToken cancellationToken)
    {
        var name = _bed.ClassName();
        await _bed.Controller.CreateAsync(Fixtures.GitClass(name), cancellationToken);
        var connectorClass = await WaitForAsync(name, ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Find(connectorClass.Status!.Conditions, ConditionTypes.ApiReady)!.Reason, Is.EqualTo(ConditionReasons.NonApi));
            Assert.That(Find(connectorClass.Status.Conditions, ConditionTypes.ProxyReady)!.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That(connectorClass.Status.Proxy!.HttpAddress!.Url, Is.EqualTo("http://connectors-proxy-service.connectors-system.svc.cluster.local"));
            Assert.That(connectorClass.Status.Api, Is.Null);
            Assert.That(connectorClass.Status.ObservedGeneration, Is.EqualTo(connectorClass.Metadata.Generation));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_NoProxy_NonProxy(CancellationToken cancellationToken)
    {
        var name = _bed.ClassName();
        await _bed.Controller.CreateAsync(Fixtures.GitClass(name, withProxy: false), cancellationToken);
        var connectorClass = await WaitForAsync(name, ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        Assert.That(Find(connectorClass.Status!.Conditions, ConditionTypes.ProxyReady)!.Reason, Is.EqualTo(ConditionReasons.NonProxy));
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ProxyServiceMissingThenCreated_FalseThenTrue(CancellationToken cancellationToken)
    {
        var name = _bed.ClassName();
        var ns = await _bed.NamespaceAsync(cancellationToken);
        await _bed.Controller.CreateAsync(Fixtures.GitClass(name, proxyNamespace: ns), cancellationToken);
        var missing = await WaitForAsync(name, ConditionTypes.ProxyReady, ConditionStatus.False, cancellationToken);
        var proxy = Find(missing.Status!.Conditions, ConditionTypes.ProxyReady)!;
        Assert.That((proxy.Reason, proxy.Message), Is.EqualTo((ConditionReasons.ProxyServiceNotFound, $"Service connectors-proxy-service not found in namespace {ns}")));
        await _bed.Controller.CreateAsync(ProxyService(ns), cancellationToken);
        await WaitForAsync(name, ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ApiAbsoluteUri_TriedAndResolved(CancellationToken cancellationToken)
    {
        var name = _bed.ClassName();
        var connectorClass = Fixtures.GitClass(name);
        connectorClass.Spec.Api = new ConnectorClassApi { Uri = _bed.Tool.BaseAddress + "api" };
        await _bed.Controller.CreateAsync(connectorClass, cancellationToken);
        var ready = await WaitForAsync(name, ConditionTypes.ApiReady, ConditionStatus.True, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ready.Status!.Api!.Address!.Url, Is.EqualTo(_bed.Tool.BaseAddress + "api"));
            Assert.That(_bed.Tool.Requests.Any(r => r.PathAndQuery == "/api"), Is.True, "the API was tried (its 404 is ignored)");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ApiServiceRefUnreachable_ConnectionFailed(CancellationToken cancellationToken)
    {
        var name = _bed.ClassName();
        var connectorClass = Fixtures.GitClass(name);
        connectorClass.Spec.Api = new ConnectorClassApi { Ref = new ServiceRef { Kind = "Service", Name = WellKnown.ProxyServiceName }, Uri = "/api" };
        await _bed.Controller.CreateAsync(connectorClass, cancellationToken);
        var failed = await WaitForAsync(name, ConditionTypes.ApiReady, ConditionStatus.False, cancellationToken);
        var api = Find(failed.Status!.Conditions, ConditionTypes.ApiReady)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(api.Reason, Is.EqualTo(ConditionReasons.ConnectionFailed));
            Assert.That(api.Message, Does.StartWith("Get \"http://connectors-proxy-service.connectors-system.svc.cluster.local/api\": "));
            Assert.That(Find(failed.Status.Conditions, ConditionTypes.Ready)!.Status, Is.EqualTo(ConditionStatus.False));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_RegoAndValidCel_RegoUnsupportedCelParsed(CancellationToken cancellationToken)
    {
        var name = _bed.ClassName();
        var connectorClass = Fixtures.GitClass(name);
        connectorClass.Spec.Proxy!.AuthExtractor = new AuthExtractor { Rego = "package proxy" };
        connectorClass.Spec.LivenessProbe!.Http!.Response = new ProbeResponse { Cel = "statusCode == 200" };
        await _bed.Controller.CreateAsync(connectorClass, cancellationToken);
        var failed = await WaitForAsync(name, ConditionTypes.ProxyReady, ConditionStatus.False, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Find(failed.Status!.Conditions, ConditionTypes.ProxyReady)!.Reason, Is.EqualTo(ConditionReasons.Unsupported));
            Assert.That(Find(failed.Status.Conditions, ConditionTypes.ProbesReady)!.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That(failed.Status.Annotations?.GetValueOrDefault(ConnectorClassReconciler.UnsupportedAnnotation) ?? string.Empty, Does.Not.Contain("cel"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_CelThatDoesNotParse_ProbesReadyFalseOnTheClass(CancellationToken cancellationToken)
    {
        var name = _bed.ClassName();
        var connectorClass = Fixtures.GitClass(name);
        connectorClass.Spec.AuthProbes![0].Probe!.Http!.Response = new ProbeResponse { Cel = "statusCode ==" };
        await _bed.Controller.CreateAsync(connectorClass, cancellationToken);
        var failed = await WaitForAsync(name, ConditionTypes.Ready, ConditionStatus.False, cancellationToken);
        var probes = Find(failed.Status!.Conditions, ConditionTypes.ProbesReady)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((probes.Status, probes.Reason), Is.EqualTo((ConditionStatus.False, ConditionReasons.InvalidCel)));
            Assert.That(probes.Message, Does.StartWith("spec.authProbes[basicAuth].http.response.cel: line 1:13 ").IgnoreCase);
            Assert.That(Find(failed.Status.Conditions, ConditionTypes.Ready)!.Reason, Is.EqualTo(ConditionReasons.InvalidCel));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_CelOf4000NestedParentheses_InvalidCelInsteadOfAStackOverflow(CancellationToken cancellationToken)
    {
        // The parser recursed once per parenthesis: this class ended the controller process (StackOverflowException).
        var name = _bed.ClassName();
        var connectorClass = Fixtures.GitClass(name);
        var nested = new string('(', 4000) + "statusCode == 200" + new string(')', 4000);
        connectorClass.Spec.LivenessProbe!.Http!.Response = new ProbeResponse { Cel = nested };
        connectorClass.Spec.AuthProbes![0].Probe!.Http!.Response = new ProbeResponse { Cel = new string('!', 40) + "true" };
        await _bed.Controller.CreateAsync(connectorClass, cancellationToken);
        var failed = await WaitForAsync(name, ConditionTypes.ProbesReady, ConditionStatus.False, cancellationToken);
        var probes = Find(failed.Status!.Conditions, ConditionTypes.ProbesReady)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(probes.Reason, Is.EqualTo(ConditionReasons.InvalidCel));
            Assert.That(probes.Message, Is.EqualTo(
                "spec.livenessProbe.http.response.cel: the expression is 8017 characters long, the most is 1024; "
                + "spec.authProbes[basicAuth].http.response.cel: the expression nests brackets, unary operators and conditionals more than 32 levels deep at character 33"));
            Assert.That(ConnectorAdmission.ReviewConnectorClass(new JsonObject { ["operation"] = "CREATE", ["object"] = ModelJson.ToNode(connectorClass) }).Message,
                Is.EqualTo(probes.Message), "the webhook refuses the class with the same words");
            Assert.That(Find(failed.Status.Conditions, ConditionTypes.SpecValid), Is.Null, "CEL problems are ProbesReady's alone");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ProbeOfUndeclaredAuthTypeThenFixed_SpecValidFalseThenGone(CancellationToken cancellationToken)
    {
        // Without the admission webhook (failurePolicy Ignore, or not installed) such a class is stored: it must not look Ready.
        var name = _bed.ClassName();
        var connectorClass = Fixtures.GitClass(name);
        connectorClass.Spec.AuthProbes![0].AuthName = "tokenAuth";
        await _bed.Controller.CreateAsync(connectorClass, cancellationToken);
        var invalid = await WaitForAsync(name, ConditionTypes.Ready, ConditionStatus.False, cancellationToken);
        var spec = Find(invalid.Status!.Conditions, ConditionTypes.SpecValid)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((spec.Status, spec.Reason), Is.EqualTo((ConditionStatus.False, ConditionReasons.InvalidSpec)));
            Assert.That(spec.Message, Is.EqualTo("spec.authProbes[0].authName: \"tokenAuth\" is not declared in spec.auth.types"));
            Assert.That(Find(invalid.Status.Conditions, ConditionTypes.Ready)!.Reason, Is.EqualTo(ConditionReasons.InvalidSpec));
            Assert.That(Find(invalid.Status.Conditions, ConditionTypes.ProxyReady)!.Status, Is.EqualTo(ConditionStatus.True));
        }

        await _bed.Controller.UpdateAsync<ConnectorClass>(null, name, c => c.Spec.AuthProbes![0].AuthName = "basicAuth", cancellationToken);
        var fixedClass = await WaitForAsync(name, ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        Assert.That(Find(fixedClass.Status!.Conditions, ConditionTypes.SpecValid), Is.Null);
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ClassWithoutCel_HasNoProbesReadyCondition(CancellationToken cancellationToken)
    {
        var name = _bed.ClassName();
        await _bed.Controller.CreateAsync(Fixtures.GitClass(name), cancellationToken);
        var ready = await WaitForAsync(name, ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        Assert.That(Find(ready.Status!.Conditions, ConditionTypes.ProbesReady), Is.Null);
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ClassWithCelDeleted_ItsConditionsAreForgotten(CancellationToken cancellationToken)
    {
        var name = _bed.ClassName();
        var connectorClass = Fixtures.GitClass(name);
        connectorClass.Spec.LivenessProbe!.Http!.Response = new ProbeResponse { Cel = "statusCode == 200" };
        await _bed.Controller.CreateAsync(connectorClass, cancellationToken);
        await WaitForAsync(name, ConditionTypes.ProbesReady, ConditionStatus.True, cancellationToken);
        var cel = _bed.Controller.Services.GetRequiredService<ClassCelConditions>();
        var before = cel.Count;

        await _bed.Controller.Client.DeleteAsync<ConnectorClass>(null, name, cancellationToken);
        while (cel.Count >= before)
        {
            await Task.Delay(20, cancellationToken);
        }

        Assert.That(cel.Count, Is.EqualTo(before - 1));
    }
}
