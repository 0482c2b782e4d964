using Connectors.Modules.Model;
using Connectors.Tests.Support;
using static Connectors.Tests.Controller.ControllerTestBed;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class CaCertReconcileTests
{
    private ControllerTestBed _bed = null!;
    private TestCertificates _toolCa = null!;
    private ToolServer _tlsTool = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _bed = await ControllerTestBed.StartAsync(timeout.Token);
        _toolCa = new TestCertificates("private tool CA");
        _tlsTool = await ToolServer.StartAsync(context =>
        {
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        }, _toolCa.Server(), timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _tlsTool.DisposeAsync();
        await _bed.DisposeAsync();
        _toolCa.Dispose();
    }

    [Test, CancelAfter(30_000)]
    public async Task ReconcileAsync_ToolWithPrivateCa_ProbesTrustTheCaCertSecretRefBundle(CancellationToken cancellationToken)
    {
        var address = _tlsTool.BaseAddress.ToString().TrimEnd('/');
        var (ns, _) = await _bed.GitConnectorAsync("untrusted", cancellationToken, changeConnector: c => c.Spec.Address = address);
        var untrusted = await _bed.WaitForConditionAsync(ns, "untrusted", ConditionTypes.LivenessReady, ConditionStatus.False, cancellationToken);

        await _bed.Controller.CreateAsync(Secrets.Of("tool-ca", "Opaque", ("tool.pem", _toolCa.CaPem), ("note", "ignored")).WithNamespace(ns), cancellationToken);
        await _bed.Controller.UpdateAsync<Connector>(ns, "untrusted", c => c.Spec.CaCertSecretRef = new LocalObjectReference { Name = "tool-ca" }, cancellationToken);
        var trusted = await _bed.WaitForConditionAsync(ns, "untrusted", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);

        var liveness = Find(untrusted.Status!.Conditions, ConditionTypes.LivenessReady)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(liveness.Reason, Is.EqualTo(ConditionReasons.ConnectionFailed));
            Assert.That(liveness.Message, Does.Contain("certificate"));
            Assert.That(Find(trusted.Status!.Conditions, ConditionTypes.AuthReady)!.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That(_tlsTool.Requests.Any(r => r.Headers.ContainsKey("Authorization")), Is.True, "the auth probe reached the TLS tool");
        }
    }

    [Test, CancelAfter(40_000)]
    public async Task ReconcileAsync_CustomCaFlag_CACertReadyInfoConditionEventsAndRemovalWhenOff(CancellationToken cancellationToken)
    {
        var ns = await _bed.NamespaceAsync(cancellationToken);
        await _bed.Controller.CreateAsync(Secrets.Of("good-ca", "Opaque", ("ca.crt", _toolCa.CaPem)).WithNamespace(ns), cancellationToken);
        await _bed.Controller.CreateAsync(Secrets.Of("bad-ca", "Opaque", ("ca.crt", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")).WithNamespace(ns), cancellationToken);
        var className = _bed.ClassName();
        await _bed.Controller.CreateAsync(Fixtures.GitClass(className), cancellationToken);
        await _bed.Controller.CreateAsync(Fixtures.BasicAuthSecret(ns, "git-creds", User, Password), cancellationToken);
        foreach (var (name, ca) in new[] { ("plain", (string?)null), ("good", "good-ca"), ("missing", "no-such-ca"), ("bad", "bad-ca") })
        {
            var connector = Fixtures.GitConnector(ns, name, _bed.Tool.BaseAddress.ToString().TrimEnd('/'), className: className);
            connector.Spec.CaCertSecretRef = ca is null ? null : new LocalObjectReference { Name = ca };
            await _bed.Controller.CreateAsync(connector, cancellationToken);
        }

        await _bed.WaitForConditionAsync(ns, "missing", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        await SetFlagAsync(true, cancellationToken);

        var plain = await _bed.WaitForConditionAsync(ns, "plain", ConditionTypes.CACertReady, ConditionStatus.True, cancellationToken);
        var good = await _bed.WaitForConditionAsync(ns, "good", ConditionTypes.CACertReady, ConditionStatus.True, cancellationToken);
        var missing = await _bed.WaitForConditionAsync(ns, "missing", ConditionTypes.CACertReady, ConditionStatus.False, cancellationToken);
        var bad = await _bed.WaitForConditionAsync(ns, "bad", ConditionTypes.CACertReady, ConditionStatus.False, cancellationToken);
        var events = await EventsAsync(ns, e => e.Reason is "CACertSecretNotFound" or "InvalidCACert", 2, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Summary(plain), Is.EqualTo((ConditionReasons.NoCACert, "no spec.caCertSecretRef: the system CAs only", "Info")));
            Assert.That(Summary(good), Is.EqualTo((ConditionReasons.Valid, "CA certificate loaded from secret \"good-ca\"", "Info")));
            Assert.That(Summary(missing), Is.EqualTo((ConditionReasons.SecretNotFound, $"CA certificate secret \"no-such-ca\" not found in namespace \"{ns}\"", "Info")));
            Assert.That(Summary(bad).Reason, Is.EqualTo(ConditionReasons.InvalidPem));
            Assert.That(Summary(bad).Message, Does.StartWith("Secret \"bad-ca\" contains invalid PEM data: "));
            Assert.That(Find(missing.Status!.Conditions, ConditionTypes.Ready)!.Status, Is.EqualTo(ConditionStatus.True), "CACertReady is Info: never blocks Ready");
            Assert.That(missing.Status.Conditions!.Last().Type, Is.EqualTo(ConditionTypes.CACertReady));
            Assert.That(events.Select(e => (e.Type, e.Reason, e.InvolvedObject!.Name)), Is.EquivalentTo(new[] { ("Warning", "CACertSecretNotFound", "missing"), ("Warning", "InvalidCACert", "bad") }));
        }

        await SetFlagAsync(false, cancellationToken);
        var off = await _bed.Controller.WaitForAsync<Connector>(ns, "good", c => Find(c.Status?.Conditions, ConditionTypes.CACertReady) is null, cancellationToken);
        Assert.That(Find(off.Status!.Conditions, ConditionTypes.Ready)!.Status, Is.EqualTo(ConditionStatus.True));
    }

    [Test, CancelAfter(40_000)]
    public async Task ReconcileAsync_LabelledPoolSecret_TrustedForEveryConnectorOnlyWhileFlagOn(CancellationToken cancellationToken)
    {
        var address = _tlsTool.BaseAddress.ToString().TrimEnd('/');
        var (ns, _) = await _bed.GitConnectorAsync("pooled", cancellationToken, changeConnector: c => c.Spec.Address = address);
        var pool = Secrets.Of("corporate-ca", "Opaque", ("corporate.pem", _toolCa.CaPem)).WithNamespace(WellKnown.DefaultComponentsNamespace);
        pool.Metadata.Labels = new() { [WellKnown.CaCertLabel] = "true" };
        await _bed.Controller.CreateAsync(pool, cancellationToken);
        await _bed.WaitForConditionAsync(ns, "pooled", ConditionTypes.LivenessReady, ConditionStatus.False, cancellationToken);

        await SetFlagAsync(true, cancellationToken);
        var trusted = await _bed.WaitForConditionAsync(ns, "pooled", ConditionTypes.Ready, ConditionStatus.True, cancellationToken);
        await SetFlagAsync(false, cancellationToken);
        await _bed.WaitForConditionAsync(ns, "pooled", ConditionTypes.LivenessReady, ConditionStatus.False, cancellationToken);
        await _bed.Controller.Client.DeleteAsync<Secret>(WellKnown.DefaultComponentsNamespace, "corporate-ca", cancellationToken);

        Assert.That(Summary(trusted), Is.EqualTo((ConditionReasons.NoCACert, "no spec.caCertSecretRef: the system CAs only", "Info")),
            "the pool is not the Connector's own reference");
    }

    private async Task SetFlagAsync(bool on, CancellationToken cancellationToken)
    {
        var value = on ? "true" : "false";
        if ((await _bed.Controller.Client.GetAsync<ConfigMap>(WellKnown.DefaultComponentsNamespace, WellKnown.ConfigMapName, cancellationToken)).IsOk)
        {
            await _bed.Controller.UpdateAsync<ConfigMap>(WellKnown.DefaultComponentsNamespace, WellKnown.ConfigMapName, c => c.Data!["enable-custom-ca-certs"] = value, cancellationToken);
        }
        else
        {
            await _bed.Controller.CreateAsync(new ConfigMap
            {
                Metadata = new ObjectMeta { Name = WellKnown.ConfigMapName, Namespace = WellKnown.DefaultComponentsNamespace },
                Data = new() { ["enable-custom-ca-certs"] = value },
            }, cancellationToken);
        }
    }

    private static (string? Reason, string? Message, string? Severity) Summary(Connector connector)
    {
        var condition = Find(connector.Status!.Conditions, ConditionTypes.CACertReady)!;
        return (condition.Reason, condition.Message, condition.Severity);
    }

    private async Task<List<Modules.Model.Event>> EventsAsync(string ns, Func<Modules.Model.Event, bool> match, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var events = (await _bed.Controller.Client.ListAsync<Modules.Model.Event>(ns, null, cancellationToken)).GetValueOrThrow();
            var found = events.Items.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
