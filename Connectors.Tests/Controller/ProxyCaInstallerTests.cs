using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class ProxyCaInstallerTests
{
    [Test, CancelAfter(30_000)]
    public async Task Start_NoCaSecret_CreatesTlsCaOnceAndNeverRotates(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var settings = new Dictionary<string, string?> { ["Components:Namespace"] = "comp" };
        Secret first;
        await using (var controller = await ControllerHarness.StartAsync(api, cancellationToken, settings))
        {
            await controller.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "comp" } }, cancellationToken);
            first = await controller.WaitForAsync<Secret>("comp", WellKnown.ProxyCaSecretName, _ => true, cancellationToken);
        }

        await using var restarted = await ControllerHarness.StartAsync(api, cancellationToken, settings);
        await restarted.WaitForAsync<Secret>("comp", WellKnown.ProxyCaSecretName, _ => restarted.Controller.IsLeading, cancellationToken);
        await Task.Delay(1000, cancellationToken); // time for a (wrong) second creation or rotation to show up
        var after = (await restarted.Client.GetAsync<Secret>("comp", WellKnown.ProxyCaSecretName, cancellationToken)).GetValueOrThrow();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Type, Is.EqualTo(SecretTypes.Tls));
            Assert.That(first.Data!.Keys, Is.EquivalentTo(new List<string> { "tls.crt", "tls.key" }));
            Assert.That(after.Data!["tls.crt"], Is.EqualTo(first.Data["tls.crt"]));
            Assert.That(after.Metadata.ResourceVersion, Is.EqualTo(first.Metadata.ResourceVersion));
        }
    }
}
