using Connectors.Modules.Kube;
using Microsoft.Extensions.Configuration;

namespace Connectors.Tests.Kube;

[TestFixture]
public sealed class KubeOptionsBinderTests
{
    [TestCase("15s", 15_000)]
    [TestCase("250ms", 250)]
    [TestCase("1m30s", 90_000)]
    [TestCase("2", 2_000)]
    [TestCase("00:00:05", 5_000)]
    public void ParseDuration_ValidText_ReturnsSpan(string text, int milliseconds) =>
        Assert.That(KubeOptionsBinder.ParseDuration(text), Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));

    [TestCase("15x")]
    [TestCase("s")]
    [TestCase("0s")]
    public void ParseDuration_InvalidText_ThrowsFormatException(string text) =>
        Assert.That(() => KubeOptionsBinder.ParseDuration(text), Throws.TypeOf<FormatException>());

    [Test]
    public void Bind_FlagsAsConfiguration_SetsOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kube:Qps"] = "60",
            ["Kube:Burst"] = "80",
            ["Kube:LeaderElection:LeaseDuration"] = "30s",
            ["Components:Namespace"] = "ops",
        }).Build();
        var options = new KubeOptions();
        KubeOptionsBinder.Bind(configuration, options);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.Qps, Is.EqualTo(60));
            Assert.That(options.Burst, Is.EqualTo(80));
            Assert.That(options.LeaderElection.LeaseDuration, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(options.LeaderElection.LeaseNamespace, Is.EqualTo("ops"));
            Assert.That(options.LeaderElection.RetryPeriod, Is.EqualTo(TimeSpan.FromSeconds(2)));
        }
    }

    [Test]
    public void Bind_InvalidQps_NamesTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Kube:Qps"] = "fast" }).Build();
        Assert.That(() => KubeOptionsBinder.Bind(configuration, new KubeOptions()), Throws.TypeOf<FormatException>().With.Message.Contains("Kube:Qps"));
    }

    [Test]
    public void Validate_RenewDeadlineNotBelowLeaseDuration_Fails()
    {
        var options = new KubeOptions { LeaderElection = { LeaseDuration = TimeSpan.FromSeconds(10), RenewDeadline = TimeSpan.FromSeconds(10) } };
        var result = new KubeOptionsValidator().Validate(null, options);
        Assert.That(result.FailureMessage, Does.Contain("renew deadline"));
    }

    [Test]
    public void Validate_Defaults_Succeeds() =>
        Assert.That(new KubeOptionsValidator().Validate(null, new KubeOptions()).Succeeded, Is.True);
}
