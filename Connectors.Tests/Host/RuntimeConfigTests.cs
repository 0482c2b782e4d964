using System.Text.Json;

namespace Connectors.Tests.Host;

/// <summary>
/// The runtime settings the host ships in <c>connectors.runtimeconfig.json</c> (the copy next to the tests is the one
/// the process tests run with): the garbage collector's mode decides how the proxy's memory grows with connections
/// (docs/decisions.md, "Garbage collector").
/// </summary>
[TestFixture]
public sealed class RuntimeConfigTests
{
    [Test]
    public void HostRuntimeConfig_GarbageCollector_IsWorkstationWithBackgroundCollection()
    {
        var properties = ConfigProperties();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(properties.GetProperty("System.GC.Server").GetBoolean(), Is.False);
            Assert.That(properties.GetProperty("System.GC.Concurrent").GetBoolean(), Is.True);
        }
    }

    private static JsonElement ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "connectors.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
