using Connectors.Modules.Probes;

namespace Connectors.Tests.Probes;

[TestFixture]
public sealed class ProbeRequestTests
{
    [Test]
    public void DisplayUrl_RenderedOrRedirected_QueryShownOnlyForTheRenderedUrl()
    {
        var rendered = new ProbeRequest("GET", new Uri("https://user:pw@tool.example/api/v4/user?per_page=1"), [], true);
        var redirected = rendered with { Url = new Uri("https://tool.example/login?session=s3cr3t"), Redirected = true };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rendered.DisplayUrl, Is.EqualTo("https://tool.example/api/v4/user?per_page=1"));
            Assert.That(redirected.DisplayUrl, Is.EqualTo("https://tool.example/login"));
            Assert.That(redirected.LogUrl, Is.EqualTo("https://tool.example/login"));
        }
    }
}
