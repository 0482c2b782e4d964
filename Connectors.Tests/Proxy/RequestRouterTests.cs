using Connectors.Modules.Proxy;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class RequestRouterTests
{
    [TestCase("c-git.team.svc", "team", "git")]
    [TestCase("c-git.team.svc.cluster.local", "team", "git")]
    [TestCase("C-Git.Team.SVC.cluster.local.", "team", "git")]
    [TestCase("c-my-tool.ns-1.svc:8080", "ns-1", "my-tool")]
    public void Route_ConnectorHost_Reverse(string host, string ns, string name)
    {
        var route = RequestRouter.Route("/repo.git/info/refs?service=x", host, "http", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(route.Kind, Is.EqualTo(RouteKind.Reverse));
            Assert.That(route.Connector, Is.EqualTo(new ConnectorKey(ns, name)));
            Assert.That(route.PathAndQuery, Is.EqualTo("/repo.git/info/refs?service=x"));
            Assert.That(route.ProxyBase, Is.EqualTo("http://" + host));
        }
    }

    [TestCase("c-git.team.svc.example.com")]
    [TestCase("git.team.svc")]
    [TestCase("c-.team.svc")]
    [TestCase("c-git.svc")]
    [TestCase("proxy.example")]
    public void Route_OtherHostOriginForm_Invalid(string host)
    {
        Assert.That(RequestRouter.Route("/x", host, "http", null).Kind, Is.EqualTo(RouteKind.Invalid));
    }

    [TestCase("/namespaces/team/connectors/git/a/b?q=1", "/a/b?q=1")]
    [TestCase("/namespaces/team/connectors/git", "")]
    [TestCase("/namespaces/team/connectors/git?q=1", "?q=1")]
    [TestCase("/namespaces/team/connectors/git/", "/")]
    public void Route_PathForm_StripsPrefix(string target, string rest)
    {
        var route = RequestRouter.Route(target, "connectors-proxy-service.connectors-system.svc", "http", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(route.Kind, Is.EqualTo(RouteKind.Reverse));
            Assert.That(route.Connector, Is.EqualTo(new ConnectorKey("team", "git")));
            Assert.That(route.PathAndQuery, Is.EqualTo(rest));
            Assert.That(route.ProxyBase, Is.EqualTo("http://connectors-proxy-service.connectors-system.svc/namespaces/team/connectors/git"));
        }
    }

    [Test]
    public void Route_AbsoluteForm_ForwardUnlessConnectorHost()
    {
        var forward = RequestRouter.Route("http://git.example:8080/repo.git?x=1", "git.example:8080", "http", null);
        var reverse = RequestRouter.Route("http://c-git.team.svc/repo.git", "c-git.team.svc", "http", null);
        var bad = RequestRouter.Route("ftp://x/", "x", "http", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(forward.Kind, Is.EqualTo(RouteKind.Forward));
            Assert.That(forward.Target!.AbsoluteUri, Is.EqualTo("http://git.example:8080/repo.git?x=1"));
            Assert.That(reverse.Kind, Is.EqualTo(RouteKind.Reverse));
            Assert.That(reverse.PathAndQuery, Is.EqualTo("/repo.git"));
            Assert.That(bad.Kind, Is.EqualTo(RouteKind.Invalid));
        }
    }

    [Test]
    public void Route_InsideTunnel_ForwardToTunnelAuthority()
    {
        var tunnel = new TunnelTarget("kube.example", 6443, new ProxyCredential([new("team", "k8s")], "t"));

        var route = RequestRouter.Route("/api/v1/pods?watch=1", "c-git.team.svc", "http", tunnel);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(route.Kind, Is.EqualTo(RouteKind.Forward));
            Assert.That(route.Target!.AbsoluteUri, Is.EqualTo("https://kube.example:6443/api/v1/pods?watch=1"));
            Assert.That(route.Tunnel, Is.SameAs(tunnel));
        }
    }
}
