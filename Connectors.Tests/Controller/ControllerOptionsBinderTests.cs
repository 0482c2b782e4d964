using Connectors.Modules.Controller;
using Connectors.Modules.Probes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class ControllerOptionsBinderTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Test]
    public void Bind_FlagValues_GoDurationsAndNumbers()
    {
        var options = new ControllerOptions();
        ControllerOptionsBinder.Bind(Config(("Controller:ProbeInterval", "1m30s"), ("Controller:Workers", "8"), ("Controller:LeaderElect", "false"), ("Components:Namespace", "tools")), options);
        Assert.That((options.ProbeInterval, options.Workers, options.LeaderElect, options.ComponentsNamespace),
            Is.EqualTo((TimeSpan.FromSeconds(90), 8, false, "tools")));
    }

    [Test]
    public void Bind_Nothing_Defaults()
    {
        var options = new ControllerOptions();
        ControllerOptionsBinder.Bind(Config(), options);
        Assert.That((options.ProbeInterval, options.Workers, options.LeaderElect, options.ComponentsNamespace),
            Is.EqualTo((TimeSpan.FromMinutes(5), 4, true, "connectors-system")));
    }

    [Test]
    public void Bind_BadWorkers_FormatExceptionNamingTheKey()
    {
        var error = Assert.Throws<FormatException>(() => ControllerOptionsBinder.Bind(Config(("Controller:Workers", "many")), new ControllerOptions()));
        Assert.That(error!.Message, Does.StartWith("Controller:Workers: \"many\" is not valid"));
    }

    [Test]
    public void JitteredProbeInterval_Always_WithinTenPercentAbove()
    {
        var options = new ControllerOptions { ProbeInterval = TimeSpan.FromMinutes(5) };
        var samples = Enumerable.Range(0, 200).Select(_ => options.JitteredProbeInterval()).ToList();
        Assert.That(samples, Has.All.InRange(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5.5)));
    }

    [TestCase("10s", 10_000)]
    [TestCase("250ms", 250)]
    [TestCase("00:00:03", 3_000)]
    public void AddProbes_TimeoutFlag_GoDurationOrTimeSpan(string value, int milliseconds)
    {
        using var provider = new ServiceCollection().AddSingleton(Config(("Probes:Timeout", value))).AddLogging().AddProbes().BuildServiceProvider();
        Assert.That(provider.GetRequiredService<IOptions<ProbeOptions>>().Value.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Test]
    public void AddProbes_BadTimeout_FormatExceptionNamingTheKey()
    {
        using var provider = new ServiceCollection().AddSingleton(Config(("Probes:Timeout", "soon"))).AddLogging().AddProbes().BuildServiceProvider();
        var error = Assert.Throws<FormatException>(() => _ = provider.GetRequiredService<IOptions<ProbeOptions>>().Value);
        Assert.That(error!.Message, Does.StartWith("Probes:Timeout: \"soon\" is not a duration"));
    }
}
