using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Connectors.Modules.Proxy;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class ConnectorAddressesTests
{
    private static ConnectorAddresses Of(string address, params string[] extensions) => ConnectorAddresses.Of(new Connector
    {
        Spec = new ConnectorSpec
        {
            Address = address,
            AddressExtensions = [.. extensions.Select((e, i) => new NamedValue { Name = "x" + i, Value = JsonValue.Create(e) })],
        },
    });

    [TestCase("https://git.example/gitlab", "https://git.example/gitlab/group/repo.git", true)]
    [TestCase("https://git.example/gitlab", "https://git.example/gitlab", true)]
    [TestCase("https://git.example/gitlab/", "https://git.example/gitlab/x", true)]
    [TestCase("https://git.example/gitlab", "https://git.example/gitlabx/repo", false)]
    [TestCase("https://git.example/gitlab", "https://git.example/other", false)]
    [TestCase("https://git.example", "https://GIT.example:443/anything", true)]
    [TestCase("https://git.example", "http://git.example/anything", false)]
    [TestCase("https://git.example", "https://git.example:8443/", false)]
    [TestCase("https://git.example", "https://evil.example/", false)]
    [TestCase("http://127.0.0.1:8080", "http://127.0.0.1:8080/x", true)]
    public void Matches_Target(string address, string target, bool expected)
    {
        Assert.That(Of(address).Matches(new Uri(target)), Is.EqualTo(expected));
    }

    [Test]
    public void Matches_AddressExtension_AlsoAllowed()
    {
        var addresses = Of("https://git.example", "https://registry.git.example", "not a url");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(addresses.Matches(new Uri("https://registry.git.example/v2/")), Is.True);
            Assert.That(addresses.All, Has.Count.EqualTo(2));
            Assert.That(addresses.MatchesTunnel("registry.git.example", 443), Is.True);
            Assert.That(addresses.MatchesTunnel("git.example", 80), Is.False);
        }
    }

    [Test]
    public void LocationRewrite_OnlyConnectorAddress_Rewritten()
    {
        var rewrite = new ReverseRewrite(new Uri("https://git.example/gitlab"), "http://c-git.team.svc", string.Empty);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rewrite.Rewrite("https://git.example/gitlab/group/repo.git/?a=1"), Is.EqualTo("http://c-git.team.svc/group/repo.git/?a=1"));
            Assert.That(rewrite.Rewrite("https://git.example/other"), Is.EqualTo("https://git.example/other"));
            Assert.That(rewrite.Rewrite("/relative/path"), Is.EqualTo("/relative/path"));
        }
    }
}
