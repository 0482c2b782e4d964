using Connectors.Host.Roles;

namespace Connectors.Tests.Host;

[TestFixture]
public sealed class CsiNodeRoleTests
{
    [TestCase("csi-node", false, "true")]
    [TestCase("all", false, "false")]
    [TestCase("proxy,csi-node", false, "false")]
    [TestCase("all", true, "true")]
    public void DefaultIdleMemoryRelease_Roles_OnlyAloneUnlessGiven(string role, bool given, string expected)
    {
        var (roles, error) = RoleCatalog.Resolve([role]);
        var settings = new Dictionary<string, string?> { ["Csi:ReleaseIdleMemory"] = "true" };
        CsiNodeRole.DefaultIdleMemoryRelease(roles, settings, given);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(settings["Csi:ReleaseIdleMemory"], Is.EqualTo(expected));
        }
    }
}
