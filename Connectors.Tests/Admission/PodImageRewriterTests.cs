using System.Text.Json.Nodes;
using Connectors.Modules.Admission;

namespace Connectors.Tests.Admission;

[TestFixture]
public sealed class PodImageRewriterTests
{
    private static readonly Uri Registry = new("https://registry.example.com");

    [Test]
    public void Rewrite_ContainersAndInitContainersOfTheRegistry_RewrittenOthersLeft()
    {
        var pod = JsonNode.Parse("""
            {"spec":{"initContainers":[{"name":"i","image":"registry.example.com/team/init:1"}],
                     "containers":[{"name":"a","image":"registry.example.com/team/app@sha256:abc"},{"name":"b","image":"busybox"}]}}
            """)!.AsObject();
        var (patch, rewritten, left) = PodImageRewriter.Rewrite(pod, Registry, "team", "reg", "10.96.0.9:80");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(patch.ToJsonString(), Is.EqualTo(
                """[{"op":"replace","path":"/spec/initContainers/0/image","value":"10.96.0.9:80/namespaces/team/connectors/reg/team/init:1"},""" +
                """{"op":"replace","path":"/spec/containers/0/image","value":"10.96.0.9:80/namespaces/team/connectors/reg/team/app@sha256:abc"}]"""));
            Assert.That(rewritten, Has.Count.EqualTo(2));
            Assert.That(left, Is.EqualTo(new[] { "spec.containers[1] (b): image \"busybox\" is not from the Connector's registry registry.example.com; left unchanged" }));
        }
    }

    [Test]
    public void Rewrite_AlreadyUnderTheProxy_Unchanged()
    {
        var pod = JsonNode.Parse("""{"spec":{"containers":[{"name":"a","image":"10.96.0.9:80/namespaces/team/connectors/reg/team/app:v1"}]}}""")!.AsObject();
        var (patch, rewritten, left) = PodImageRewriter.Rewrite(pod, Registry, "team", "reg", "10.96.0.9:80");
        Assert.That(patch.Count + rewritten.Count + left.Count, Is.Zero);
    }

    [Test]
    public void AddPullSecret_NoList_AddsListAppendsOrKeeps()
    {
        var none = JsonNode.Parse("""{"spec":{}}""")!.AsObject();
        var some = JsonNode.Parse("""{"spec":{"imagePullSecrets":[{"name":"x"}]}}""")!.AsObject();
        var present = JsonNode.Parse("""{"spec":{"imagePullSecrets":[{"name":"s"}]}}""")!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PodImageRewriter.AddPullSecret(none, "s")!.ToJsonString(), Is.EqualTo("""{"op":"add","path":"/spec/imagePullSecrets","value":[{"name":"s"}]}"""));
            Assert.That(PodImageRewriter.AddPullSecret(some, "s")!.ToJsonString(), Is.EqualTo("""{"op":"add","path":"/spec/imagePullSecrets/-","value":{"name":"s"}}"""));
            Assert.That(PodImageRewriter.AddPullSecret(present, "s"), Is.Null);
        }
    }
}
