using Connectors.Modules.Model;
using Connectors.Tests.Support;
using static Connectors.Tests.Controller.ControllerTestBed;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class ConnectorReconcilerTests
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

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ValidGitConnector_AllConditionsTrueAndProxyAllocated(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("gitlab", cancellationToken);
        var connector = await _bed.WaitForConditionAsync(ns, "gitlab", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        var service = (await _bed.Controller.Client.GetAsync<Service>(ns, "c-gitlab", cancellationToken)).GetValueOrThrow();
        var probe = _bed.Tool.Requests.Last(r => r.PathAndQuery.StartsWith("/org/repo.git/", StringComparison.Ordinal) && r.Headers.ContainsKey("Authorization"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(connector.Status!.Conditions!.Select(c => (c.Type, c.Status, c.Reason)), Is.EqualTo(new List<(string, string, string?)>
            {
                (ConditionTypes.ConnectorClassReady, ConditionStatus.True, null),
                (ConditionTypes.SecretReady, ConditionStatus.True, null),
                (ConditionTypes.LivenessReady, ConditionStatus.True, null),
                (ConditionTypes.AuthReady, ConditionStatus.True, null),
                (ConditionTypes.ProxyServiceReady, ConditionStatus.True, null),
                (ConditionTypes.Ready, ConditionStatus.True, null),
            }));
            Assert.That(connector.Status.Conditions!.All(c => c.LastTransitionTime is not null), Is.True);
            Assert.That(connector.Status.ObservedGeneration, Is.EqualTo(connector.Metadata.Generation));
            Assert.That(connector.Status.Proxy!.HttpAddress!.Url, Is.EqualTo($"http://c-gitlab.{ns}.svc.cluster.local"));
            Assert.That(service.Spec!.Type, Is.EqualTo("ExternalName"));
            Assert.That(service.Spec.ExternalName, Is.EqualTo("connectors-proxy-service.connectors-system.svc.cluster.local"));
            Assert.That(service.Spec.Ports!.Single().Port, Is.EqualTo(80));
            Assert.That(service.Metadata.OwnerReferences!.Single().Uid, Is.EqualTo(connector.Metadata.Uid));
            Assert.That(probe.PathAndQuery, Is.EqualTo("/org/repo.git/info/refs?service=git-upload-pack"));
            Assert.That(probe.Headers["Authorization"], Is.EqualTo(ExpectedAuthorization));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task ReconcileAsync_SecretRotated_AuthReadyFlipsWithoutResync(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("rotate", cancellationToken);
        await _bed.WaitForConditionAsync(ns, "rotate", ConditionTypes.AuthReady, ConditionStatus.True, cancellationToken);

        var started = DateTimeOffset.UtcNow;
        await _bed.Controller.UpdateAsync<Secret>(ns, "git-creds", s => s.Data!["password"] = "wrong"u8.ToArray(), cancellationToken);
        var failed = await _bed.WaitForConditionAsync(ns, "rotate", ConditionTypes.AuthReady, ConditionStatus.False, cancellationToken);
        var toFalse = DateTimeOffset.UtcNow - started;

        started = DateTimeOffset.UtcNow;
        await _bed.Controller.UpdateAsync<Secret>(ns, "git-creds", s => s.Data!["password"] = System.Text.Encoding.UTF8.GetBytes(Password), cancellationToken);
        var fixedAgain = await _bed.WaitForConditionAsync(ns, "rotate", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        var toTrue = DateTimeOffset.UtcNow - started;
        var auth = Find(failed.Status!.Conditions, ConditionTypes.AuthReady)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((auth.Reason, auth.Message), Is.EqualTo((ConditionReasons.AuthenticationFailed, "Authentication failed: status code 401")));
            Assert.That(Find(failed.Status.Conditions, ConditionTypes.Ready)!.Reason, Is.EqualTo(ConditionReasons.AuthenticationFailed));
            Assert.That(toFalse, Is.LessThan(TimeSpan.FromSeconds(3)), "the probe interval is 5 minutes: only the Secret trigger can explain this");
            Assert.That(toTrue, Is.LessThan(TimeSpan.FromSeconds(3)));
            Assert.That(Find(fixedAgain.Status!.Conditions, ConditionTypes.AuthReady)!.Status, Is.EqualTo(ConditionStatus.True));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task ReconcileAsync_SameFailureTwice_OneEventCountedTwice(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("flapping", cancellationToken);
        await _bed.WaitForConditionAsync(ns, "flapping", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        for (var round = 0; round < 2; round++)
        {
            await _bed.Controller.UpdateAsync<Secret>(ns, "git-creds", s => s.Data!["password"] = "wrong"u8.ToArray(), cancellationToken);
            await _bed.WaitForConditionAsync(ns, "flapping", ConditionTypes.AuthReady, ConditionStatus.False, cancellationToken);
            await _bed.Controller.UpdateAsync<Secret>(ns, "git-creds", s => s.Data!["password"] = System.Text.Encoding.UTF8.GetBytes(Password), cancellationToken);
            await _bed.WaitForConditionAsync(ns, "flapping", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        }

        List<Modules.Model.Event> failures;
        do
        {
            await Task.Delay(50, cancellationToken);
            var events = (await _bed.Controller.Client.ListAsync<Modules.Model.Event>(ns, null, cancellationToken)).GetValueOrThrow();
            failures = [.. events.Items.Where(e => e.InvolvedObject?.Name == "flapping" && e.Message?.StartsWith("AuthReady is False", StringComparison.Ordinal) == true)];
        }
        while (failures.Count != 1 || failures[0].Count != 2);

        Assert.That(failures[0].LastTimestamp, Is.GreaterThanOrEqualTo(failures[0].FirstTimestamp!.Value));
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ClassDeleted_ConnectorClassNotFound(CancellationToken cancellationToken)
    {
        var (ns, className) = await _bed.GitConnectorAsync("orphan", cancellationToken);
        await _bed.WaitForConditionAsync(ns, "orphan", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        await _bed.Controller.Client.DeleteAsync<ConnectorClass>(null, className, cancellationToken);
        var connector = await _bed.WaitForConditionAsync(ns, "orphan", ConditionTypes.ConnectorClassReady, ConditionStatus.False, cancellationToken);
        var condition = Find(connector.Status!.Conditions, ConditionTypes.ConnectorClassReady)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((condition.Reason, condition.Message), Is.EqualTo((ConditionReasons.ConnectorClassNotFound, $"connectorclass.connectors.alauda.io \"{className}\" not found")));
            Assert.That(Find(connector.Status.Conditions, ConditionTypes.Ready)!.Status, Is.EqualTo(ConditionStatus.False));
            Assert.That(Find(connector.Status.Conditions, ConditionTypes.AuthReady)!.Status, Is.EqualTo(ConditionStatus.Unknown));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_SecretMissingThenCreated_SecretNotFoundThenReady(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("nosecret", cancellationToken, changeConnector: c => c.Spec.Auth!.SecretRef!.Name = "later");
        var connector = await _bed.WaitForConditionAsync(ns, "nosecret", ConditionTypes.SecretReady, ConditionStatus.False, cancellationToken);
        var secret = Find(connector.Status!.Conditions, ConditionTypes.SecretReady)!;
        Assert.That((secret.Reason, secret.Message), Is.EqualTo((ConditionReasons.SecretNotFound, "secrets \"later\" not found")));
        await _bed.Controller.CreateAsync(Fixtures.BasicAuthSecret(ns, "later", User, Password), cancellationToken);
        await _bed.WaitForConditionAsync(ns, "nosecret", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_SecretOfWrongTypeOrMissingKey_SecretNotFoundNamingIt(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("badsecret", cancellationToken);
        await _bed.Controller.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "opaque", Namespace = ns }, Type = "Opaque", Data = new() { ["token"] = [1] } }, cancellationToken);
        await _bed.Controller.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "nopass", Namespace = ns }, Type = SecretTypes.BasicAuth, Data = new() { ["username"] = [1] } }, cancellationToken);
        await _bed.Controller.UpdateAsync<Connector>(ns, "badsecret", c => c.Spec.Auth!.SecretRef!.Name = "opaque", cancellationToken);
        var wrongType = await _bed.Controller.WaitForAsync<Connector>(ns, "badsecret", c => Find(c.Status?.Conditions, ConditionTypes.SecretReady)?.Message?.Contains("opaque", StringComparison.Ordinal) == true, cancellationToken);
        await _bed.Controller.UpdateAsync<Connector>(ns, "badsecret", c => c.Spec.Auth!.SecretRef!.Name = "nopass", cancellationToken);
        var missingKey = await _bed.Controller.WaitForAsync<Connector>(ns, "badsecret", c => Find(c.Status?.Conditions, ConditionTypes.SecretReady)?.Message?.Contains("nopass", StringComparison.Ordinal) == true, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Find(wrongType.Status!.Conditions, ConditionTypes.SecretReady)!.Message, Is.EqualTo("secret \"opaque\" has type \"Opaque\", auth type \"basicAuth\" wants \"kubernetes.io/basic-auth\""));
            Assert.That(Find(missingKey.Status!.Conditions, ConditionTypes.SecretReady)!.Message, Is.EqualTo("secret \"nopass\" has no key \"password\", required by auth type \"basicAuth\""));
            Assert.That(Find(missingKey.Status.Conditions, ConditionTypes.SecretReady)!.Reason, Is.EqualTo(ConditionReasons.SecretNotFound));
            Assert.That(Find(missingKey.Status.Conditions, ConditionTypes.AuthReady)!.Status, Is.EqualTo(ConditionStatus.Unknown));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_OptionalAuthWithoutSecret_SecretOptionalAndProbeWithoutCredential(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("anonymous", cancellationToken, changeConnector: c => c.Spec.Auth!.SecretRef = null);
        var connector = await _bed.WaitForConditionAsync(ns, "anonymous", ConditionTypes.AuthReady, ConditionStatus.False, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Find(connector.Status!.Conditions, ConditionTypes.SecretReady)!.Reason, Is.EqualTo(ConditionReasons.SecretOptional));
            Assert.That(Find(connector.Status.Conditions, ConditionTypes.AuthReady)!.Reason, Is.EqualTo(ConditionReasons.AuthenticationFailed));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ClassWithoutProbesOrProxy_NonReasonsAndReady(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("plain", cancellationToken, changeClass: c =>
        {
            c.Spec.LivenessProbe = null;
            c.Spec.AuthProbes = null;
            c.Spec.Proxy = null;
        });
        var connector = await _bed.WaitForConditionAsync(ns, "plain", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Find(connector.Status!.Conditions, ConditionTypes.LivenessReady)!.Reason, Is.EqualTo(ConditionReasons.NonLivenessProbe));
            Assert.That(Find(connector.Status.Conditions, ConditionTypes.AuthReady)!.Reason, Is.EqualTo(ConditionReasons.NonAuthProbe));
            Assert.That(Find(connector.Status.Conditions, ConditionTypes.ProxyServiceReady)!.Reason, Is.EqualTo(ConditionReasons.NonProxy));
            Assert.That(connector.Status.Proxy, Is.Null);
            Assert.That((await _bed.Controller.Client.GetAsync<Service>(ns, "c-plain", cancellationToken)).Outcome, Is.EqualTo(Modules.Kube.KubeOutcome.NotFound));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ProbeUrlCarriesSecretValue_StatusMessageMasksIt(CancellationToken cancellationToken)
    {
        using var refusing = new RefusingPort();
        var port = refusing.Port;

        var (ns, _) = await _bed.GitConnectorAsync("leaky", cancellationToken,
            changeConnector: c => c.Spec.Address = $"http://127.0.0.1:{port}",
            changeClass: c => c.Spec.LivenessProbe = new Probe { Http = new HttpProbeSpec { Path = "/health?key={{ .Secret.StringData.password }}" } });
        var connector = await _bed.WaitForConditionAsync(ns, "leaky", ConditionTypes.LivenessReady, ConditionStatus.False, cancellationToken);
        var liveness = Find(connector.Status!.Conditions, ConditionTypes.LivenessReady)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(liveness.Message, Does.StartWith($"Get \"http://127.0.0.1:{port}/health?key=[redacted]\": dial tcp"));
            Assert.That(ModelJson.Serialize(connector), Does.Not.Contain(ControllerTestBed.Password));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ToolDown_ConnectionFailedWithGoError(CancellationToken cancellationToken)
    {
        using var refusing = new RefusingPort();
        var port = refusing.Port;

        var (ns, _) = await _bed.GitConnectorAsync("down", cancellationToken, changeConnector: c => c.Spec.Address = $"http://127.0.0.1:{port}/git");
        var connector = await _bed.WaitForConditionAsync(ns, "down", ConditionTypes.LivenessReady, ConditionStatus.False, cancellationToken);
        var liveness = Find(connector.Status!.Conditions, ConditionTypes.LivenessReady)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((liveness.Reason, liveness.Message), Is.EqualTo((ConditionReasons.ConnectionFailed, $"Get \"http://127.0.0.1:{port}/\": dial tcp 127.0.0.1:{port}: connect: connection refused")));
            Assert.That(Find(connector.Status.Conditions, ConditionTypes.Ready)!.Reason, Is.EqualTo(ConditionReasons.ConnectionFailed));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ProxyServiceMissing_ProxyServiceNotFound(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("noproxy", cancellationToken, changeClass: c => c.Spec.Proxy!.Ref!.Namespace = "elsewhere");
        var connector = await _bed.WaitForConditionAsync(ns, "noproxy", ConditionTypes.ProxyServiceReady, ConditionStatus.False, cancellationToken);
        var proxy = Find(connector.Status!.Conditions, ConditionTypes.ProxyServiceReady)!;
        Assert.That((proxy.Reason, proxy.Message), Is.EqualTo((ConditionReasons.ProxyServiceNotFound, "Service connectors-proxy-service not found in namespace elsewhere")));

        await _bed.NamespaceAsync("elsewhere", cancellationToken);
        await _bed.Controller.CreateAsync(ProxyService("elsewhere"), cancellationToken);
        var ready = await _bed.WaitForConditionAsync(ns, "noproxy", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        Assert.That(ready.Status!.Proxy!.HttpAddress!.Url, Is.EqualTo($"http://c-noproxy.{ns}.svc.cluster.local"));
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ClassWithDuplicateAuthTypes_InvalidSpecNamingTheClass(CancellationToken cancellationToken)
    {
        var (ns, className) = await _bed.GitConnectorAsync("badclass", cancellationToken, changeClass: c => c.Spec.Auth!.Types!.Add(new AuthType { Name = "basicAuth" }));
        var connector = await _bed.WaitForConditionAsync(ns, "badclass", ConditionTypes.ConnectorClassReady, ConditionStatus.False, cancellationToken);
        var condition = Find(connector.Status!.Conditions, ConditionTypes.ConnectorClassReady)!;
        Assert.That((condition.Reason, condition.Message), Is.EqualTo((ConditionReasons.InvalidSpec, $"connectorclass \"{className}\" is invalid: spec.auth.types[1].name: Duplicate value: \"basicAuth\"")));
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_UndeclaredAuthName_InvalidSpecWithMessage(CancellationToken cancellationToken)
    {
        var (ns, className) = await _bed.GitConnectorAsync("badauth", cancellationToken, changeConnector: c => c.Spec.Auth!.Name = "oauth");
        var connector = await _bed.WaitForConditionAsync(ns, "badauth", ConditionTypes.ConnectorClassReady, ConditionStatus.False, cancellationToken);
        var condition = Find(connector.Status!.Conditions, ConditionTypes.ConnectorClassReady)!;
        Assert.That((condition.Reason, condition.Message), Is.EqualTo((ConditionReasons.InvalidSpec, $"spec.auth.name \"oauth\" is not declared by connectorclass \"{className}\": want one of \"basicAuth\"")));
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_PathResolverClass_PathFormProxyUrl(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("oci", cancellationToken, changeClass: c => c.Metadata.Annotations = new() { [WellKnown.ProxyResolverAnnotation] = "path" });
        var connector = await _bed.WaitForConditionAsync(ns, "oci", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        Assert.That(connector.Status!.Proxy!.HttpAddress!.Url, Is.EqualTo($"http://connectors-proxy-service.connectors-system.svc.cluster.local/namespaces/{ns}/connectors/oci"));
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_Settled_NoFurtherStatusWrites(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("quiet", cancellationToken);
        var ready = await _bed.WaitForConditionAsync(ns, "quiet", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        // A spec change (generation 2) is reconciled; conditions keep their transition times, nothing loops.
        await _bed.Controller.UpdateAsync<Connector>(ns, "quiet", c => c.Spec.Params = [new NamedValue { Name = "sslVerify", Value = "false" }], cancellationToken);
        var observed = await _bed.Controller.WaitForAsync<Connector>(ns, "quiet", c => c.Status?.ObservedGeneration == 2, cancellationToken);
        await Task.Delay(1500, cancellationToken);
        var later = (await _bed.Controller.Client.GetAsync<Connector>(ns, "quiet", cancellationToken)).GetValueOrThrow();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(later.Metadata.ResourceVersion, Is.EqualTo(observed.Metadata.ResourceVersion));
            Assert.That(later.Status!.Conditions!.Select(c => c.LastTransitionTime), Is.EqualTo(ready.Status!.Conditions!.Select(c => c.LastTransitionTime)));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ConnectorDeleted_ServiceRemoved(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("gone", cancellationToken);
        await _bed.WaitForConditionAsync(ns, "gone", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        await _bed.Controller.Client.DeleteAsync<Connector>(ns, "gone", cancellationToken);

        // Eventually consistent: a reconcile that ran on a cache that had not yet seen the delete may put the Service
        // back for a moment (as on a cluster, until the delete event arrives); what counts is that it ends gone.
        var goneReads = 0;
        while (goneReads < 10)
        {
            var read = await _bed.Controller.Client.GetAsync<Service>(ns, "c-gone", cancellationToken);
            goneReads = read.Outcome == Modules.Kube.KubeOutcome.NotFound ? goneReads + 1 : 0;
            await Task.Delay(50, cancellationToken);
        }

        Assert.That((await _bed.Controller.Client.GetAsync<Service>(ns, "c-gone", cancellationToken)).Outcome, Is.EqualTo(Modules.Kube.KubeOutcome.NotFound));
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ConditionTurnsFalse_WarningEventAndProbeMetrics(CancellationToken cancellationToken)
    {
        var probes = new List<(string Class, string Probe, string Outcome)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Connectors.Controller" && instrument.Name == "connectors.controller.probes")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var map = new Dictionary<string, string?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value?.ToString();
            }

            lock (probes)
            {
                probes.Add((map["class"]!, map["probe"]!, map["outcome"]!));
            }
        });
        listener.Start();

        var (ns, className) = await _bed.GitConnectorAsync("noisy", cancellationToken, changeConnector: c => c.Spec.Auth!.Params = [new NamedValue { Name = "repository", Value = "x" }]);
        await _bed.Controller.UpdateAsync<Secret>(ns, "git-creds", s => s.Data!["password"] = "nope"u8.ToArray(), cancellationToken);
        await _bed.WaitForConditionAsync(ns, "noisy", ConditionTypes.AuthReady, ConditionStatus.False, cancellationToken);
        Modules.Model.Event? warning = null;
        while (warning is null)
        {
            var events = (await _bed.Controller.Client.ListAsync<Modules.Model.Event>(ns, null, cancellationToken)).GetValueOrThrow();
            // Ready turning False records an event with the same reason: pick AuthReady's own.
            warning = events.Items.FirstOrDefault(e => e.Reason == ConditionReasons.AuthenticationFailed && e.InvolvedObject?.Name == "noisy"
                && e.Message?.StartsWith("AuthReady ", StringComparison.Ordinal) == true);
            await Task.Delay(50, cancellationToken);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(warning.Type, Is.EqualTo("Warning"));
            Assert.That(warning.Message, Is.EqualTo("AuthReady is False: Authentication failed: status code 401"));
            Assert.That(warning.InvolvedObject!.Kind, Is.EqualTo("Connector"));
            lock (probes)
            {
                Assert.That(probes, Does.Contain((className, "liveness", "succeeded")));
                Assert.That(probes, Does.Contain((className, "auth", "rejected")));
            }
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ApiLivenessProbe_SentThroughTheClassApiAddress(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("viaapi", cancellationToken, changeClass: c =>
        {
            c.Spec.Api = new ConnectorClassApi { Uri = _bed.Tool.BaseAddress + "api" };
            c.Spec.LivenessProbe = new Probe { Api = new ApiProbeSpec { Path = "/health/{{ .Connector.Name }}" } };
        });
        var connector = await _bed.WaitForConditionAsync(ns, "viaapi", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_bed.Tool.Requests.Any(r => r.PathAndQuery == "/api/health/viaapi"), Is.True);
            Assert.That(connector.Status!.Api!.Path, Is.EqualTo($"/connectors/v1alpha1/{ns}/viaapi/path"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_ForeignServiceWithTheName_ProxyServiceNotFoundNotOverwritten(CancellationToken cancellationToken)
    {
        var ns = await _bed.NamespaceAsync(cancellationToken);
        await _bed.Controller.CreateAsync(new Service { Metadata = new ObjectMeta { Name = "c-taken", Namespace = ns }, Spec = new ServiceSpec { Ports = [new ServicePort { Port = 8080 }] } }, cancellationToken);
        var className = _bed.ClassName();
        await _bed.Controller.CreateAsync(Fixtures.GitClass(className), cancellationToken);
        await _bed.Controller.CreateAsync(Fixtures.BasicAuthSecret(ns, "git-creds", User, Password), cancellationToken);
        await _bed.Controller.CreateAsync(Fixtures.GitConnector(ns, "taken", _bed.Tool.BaseAddress.ToString(), className: className), cancellationToken);
        var connector = await _bed.WaitForConditionAsync(ns, "taken", ConditionTypes.ProxyServiceReady, ConditionStatus.False, cancellationToken);
        var service = (await _bed.Controller.Client.GetAsync<Service>(ns, "c-taken", cancellationToken)).GetValueOrThrow();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Find(connector.Status!.Conditions, ConditionTypes.ProxyServiceReady)!.Message,
                Is.EqualTo($"Service c-taken already exists in namespace {ns} and is not managed by the connectors controller"));
            Assert.That(service.Spec!.Ports!.Single().Port, Is.EqualTo(8080));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReconcileAsync_RequiredAuthWithoutSecretRef_SecretNotFound(CancellationToken cancellationToken)
    {
        var (ns, _) = await _bed.GitConnectorAsync("needsecret", cancellationToken,
            changeClass: c => c.Spec.Auth!.Types![0].Optional = false,
            changeConnector: c => c.Spec.Auth!.SecretRef = null);
        var connector = await _bed.WaitForConditionAsync(ns, "needsecret", ConditionTypes.SecretReady, ConditionStatus.False, cancellationToken);
        var secret = Find(connector.Status!.Conditions, ConditionTypes.SecretReady)!;
        Assert.That((secret.Reason, secret.Message), Is.EqualTo((ConditionReasons.SecretNotFound, "spec.auth.secretRef is required: auth type \"basicAuth\" is not optional")));
    }
}
