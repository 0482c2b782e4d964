using Connectors.Modules.Csi;
using Connectors.Modules.Csi.V1;
using Connectors.Tests.Support;
using Grpc.Core;

namespace Connectors.Tests.Csi;

[TestFixture]
public sealed class VolumeRequestParserTests
{
    private static readonly string[] ListedConfigurations = ["gitconfig", "kubeconfig"];
    private static readonly string[] ListedExclusions = ["ca.cert"];

    private const string Target = "/var/lib/kubelet/pods/uid-1/volumes/kubernetes.io~csi/config/mount";

    [Test]
    public void Parse_KubeletInlineRequest_ReadsEveryAttribute()
    {
        var request = CsiRequests.Publish(Target,
            ("connectors", "gitlab, other/k8s ,gitlab"),
            ("configuration.names", "gitconfig,!ca.cert,kubeconfig"),
            ("configuration.params", """{"kubeconfig":{"context":"dev"}}"""),
            ("token.expiration", "1h30m"));
        var volume = VolumeRequestParser.Parse(request, new CsiOptions());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(volume.TargetPath, Is.EqualTo(Target));
            Assert.That(volume.Connectors, Is.EqualTo(new[] { new ConnectorRef("team", "gitlab"), new ConnectorRef("other", "k8s") }));
            Assert.That(volume.Configurations, Is.EqualTo(ListedConfigurations));
            Assert.That(volume.Exclusions, Is.EquivalentTo(ListedExclusions));
            Assert.That(volume.Params["kubeconfig"]!["context"]!.GetValue<string>(), Is.EqualTo("dev"));
            Assert.That(volume.TokenExpiration, Is.EqualTo(TimeSpan.FromMinutes(90)));
            Assert.That(volume.Pod, Is.EqualTo(new PodIdentity("team", "pod-1", "0b6c1f44-5a5e-4c52-9d7c-3d1a6c7e0001", "builder")));
            Assert.That(volume.KubeletTokens, Is.Null);
        }
    }

    [TestCase("", "team")]
    [TestCase("tools", "tools")]
    public void Parse_OlderConnectorNameForm_DefaultsNamespaceToPod(string ns, string expected)
    {
        var request = CsiRequests.Publish(Target, ("connector.name", "git"), ("connector.namespace", ns));
        var volume = VolumeRequestParser.Parse(request, new CsiOptions());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(volume.Connectors, Is.EqualTo(new[] { new ConnectorRef(expected, "git") }));
            Assert.That(volume.TokenExpiration, Is.EqualTo(TimeSpan.FromMinutes(30)));
        }
    }

    [TestCase(null, null, "connectors or connector.name is required")]
    [TestCase("connectors", "Bad_Name", "invalid connector \"Bad_Name\"")]
    [TestCase("configuration.names", "a,!../x", "invalid exclusion \"!../x\"")]
    [TestCase("configuration.params", "[1]", "want a JSON object keyed by configuration name")]
    [TestCase("configuration.params", "{\"a\":1}", "want a JSON object keyed by configuration name")]
    [TestCase("configuration.params", "{bad", "is not valid JSON")]
    [TestCase("configuration.params", "{\"zzz\":{}}", "names configuration \"zzz\", which is not in configuration.names")]
    [TestCase("token.expiration", "5m", "out of range: want from 10m to 24h")]
    [TestCase("token.expiration", "30", "want a Go duration")]
    [TestCase("token.expiration", "25h", "out of range")]
    [TestCase("token.expiration", "2562047h", "out of range")]
    [TestCase("token.expiration", "2562048h", "want a Go duration")]
    [TestCase("token.expiration", "99999999999999999999h", "want a Go duration")]
    [TestCase("csi.storage.k8s.io/pod.namespace", "", "pod.namespace is required")]
    public void Parse_BadAttribute_IsInvalidArgument(string? key, string? value, string message)
    {
        var request = CsiRequests.Publish(Target, ("configuration.names", "a"));
        if (key is not null)
        {
            request.VolumeContext["connectors"] = "git";
            request.VolumeContext[key] = value;
        }

        var error = Assert.Throws<RpcException>(() => VolumeRequestParser.Parse(request, new CsiOptions()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(error.Status.Detail, Does.Contain(message));
        }
    }

    [Test]
    public void Parse_ReadonlyFalse_IsInvalidArgument()
    {
        var request = CsiRequests.Publish(Target, ("connectors", "git"));
        request.Readonly = false;
        var error = Assert.Throws<RpcException>(() => VolumeRequestParser.Parse(request, new CsiOptions()));
        Assert.That(error!.Status.Detail, Does.StartWith("readonly must be true"));
    }

    [Test]
    public void Parse_BlockVolume_IsInvalidArgument()
    {
        var request = CsiRequests.Publish(Target, ("connectors", "git"));
        request.VolumeCapability.Block = new VolumeCapability.Types.BlockVolume();
        var error = Assert.Throws<RpcException>(() => VolumeRequestParser.Parse(request, new CsiOptions()));
        Assert.That(error!.Status.Detail, Does.Contain("block volumes are not supported"));
    }

    [TestCase("relative/mount")]
    [TestCase("/var/lib/../etc")]
    [TestCase("/")]
    public void Parse_BadTargetPath_IsInvalidArgument(string target)
    {
        var error = Assert.Throws<RpcException>(() => VolumeRequestParser.Parse(CsiRequests.Publish(target, ("connectors", "git")), new CsiOptions()));
        Assert.That(error!.Status.Detail, Does.StartWith("invalid target_path"));
    }

    [Test]
    public void Parse_OversizedParams_IsInvalidArgumentNamingTheLimit()
    {
        var big = "{\"a\":{\"v\":\"" + new string('x', 70_000) + "\"}}";
        var request = CsiRequests.Publish(Target, ("connectors", "git"), ("configuration.names", "a"), ("configuration.params", big));
        var error = Assert.Throws<RpcException>(() => VolumeRequestParser.Parse(request, new CsiOptions()));
        Assert.That(error!.Status.Detail, Is.EqualTo("configuration.params has 70014 bytes, more than the limit of 65536"));
    }

    [Test]
    public void Parse_MoreConnectorsThanTheLimit_IsInvalidArgumentNamingTheLimit()
    {
        // Each named Connector costs a SubjectAccessReview per publish (denials are not remembered, and kubelet retries):
        // a pod spec may list every Connector of the cluster.
        var atLimit = string.Join(',', Enumerable.Range(0, VolumeRequestParser.MaxConnectors).Select(i => $"c{i}"));
        var overLimit = atLimit + ",one-more";

        var volume = VolumeRequestParser.Parse(CsiRequests.Publish(Target, ("connectors", atLimit)), new CsiOptions());
        var error = Assert.Throws<RpcException>(() => VolumeRequestParser.Parse(CsiRequests.Publish(Target, ("connectors", overLimit)), new CsiOptions()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(volume.Connectors, Has.Count.EqualTo(VolumeRequestParser.MaxConnectors));
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(error.Status.Detail, Is.EqualTo($"connectors names more than {VolumeRequestParser.MaxConnectors} connectors, the limit per volume"));
        }
    }

    [Test]
    public void Parse_SeveralConnectorsWhenDisabled_IsInvalidArgument()
    {
        var request = CsiRequests.Publish(Target, ("connectors", "a,b"));
        var error = Assert.Throws<RpcException>(() => VolumeRequestParser.Parse(request, new CsiOptions { MultiConnector = false }));
        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }
}
