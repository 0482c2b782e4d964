using System.Net;
using System.Net.Sockets;
using Connectors.Modules.Csi;
using Connectors.Modules.Csi.V1;
using Connectors.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Connectors.Tests.Csi;

[TestFixture]
public sealed class CsiServerTests
{
    [Test, CancelAfter(20_000)]
    public async Task Identity_AllMethods_AnswerAsCsiSpecifies(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        var info = await driver.Identity.GetPluginInfoAsync(new GetPluginInfoRequest(), cancellationToken: cancellationToken);
        var capabilities = await driver.Identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest(), cancellationToken: cancellationToken);
        var probe = await driver.Identity.ProbeAsync(new ProbeRequest(), cancellationToken: cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.Name, Is.EqualTo("connectors-csi"));
            Assert.That(info.VendorVersion, Does.Match(@"^\d+\.\d+\.\d+"));
            Assert.That(capabilities.Capabilities, Is.Empty);
            Assert.That(probe.Ready, Is.True);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Node_InfoAndCapabilities_AnswerNodeIdAndNoStaging(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        var info = await driver.Node.NodeGetInfoAsync(new NodeGetInfoRequest(), cancellationToken: cancellationToken);
        var capabilities = await driver.Node.NodeGetCapabilitiesAsync(new NodeGetCapabilitiesRequest(), cancellationToken: cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.NodeId, Is.EqualTo("node-1"));
            Assert.That(capabilities.Capabilities, Is.Empty);
        }
    }

    [TestCase("csi.v1.Controller", "CreateVolume")]
    [TestCase("csi.v1.Node", "NodeStageVolume")]
    [CancelAfter(20_000)]
    public async Task Call_UnknownMethod_IsUnimplemented(string service, string method, CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        var marshaller = Marshallers.Create(m => m.ToByteArray(), Empty.Parser.ParseFrom);
        var call = new Method<Empty, Empty>(MethodType.Unary, service, method, marshaller, marshaller);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            driver.Channel.CreateCallInvoker().AsyncUnaryCall(call, null, new CallOptions(cancellationToken: cancellationToken), new Empty()).ResponseAsync);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
            Assert.That(error.Status.Detail, Is.EqualTo($"unknown method /{service}/{method}"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Call_HandlerFails_IsInternalNamingOnlyTheExceptionType(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        driver.Kube.Fault = new InvalidOperationException("a detail that must stay in the driver's log");
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            driver.PublishAsync(CsiRequests.Publish(driver.Directory.Combine("pod", "mount"), ("connectors", "git")), cancellationToken));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.Internal));
            Assert.That(error.Status.Detail, Is.EqualTo("internal error: InvalidOperationException"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Call_MessageOverTheLimit_IsResourceExhausted(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken, new Dictionary<string, string?> { ["Csi:MaxMessageBytes"] = "1024" });
        var request = CsiRequests.Publish(driver.Directory.Combine("pod", "mount"), ("connectors", "git"), ("padding", new string('x', 2048)));
        var error = await Assert.ThrowsAsync<RpcException>(() => driver.PublishAsync(request, cancellationToken));
        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted), error.Status.Detail);
    }

    [TestCase("plain text", "plain text")]
    [TestCase("100% done", "100%25 done")]
    [TestCase("line\nbreak", "line%0Abreak")]
    [TestCase("café", "caf%C3%A9")]
    public void PercentEncode_Text_EncodesAsGrpcMessageWants(string text, string encoded) =>
        Assert.That(CsiGrpcApplication.PercentEncode(text), Is.EqualTo(encoded));

    [Test, CancelAfter(20_000)]
    public async Task Probe_CachesNotSynced_AnswersNotReady(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        driver.Kube.HasSynced = false;
        var probe = await driver.Identity.ProbeAsync(new ProbeRequest(), cancellationToken: cancellationToken);
        Assert.That(probe.Ready, Is.False);
    }

    [Test, CancelAfter(20_000)]
    public async Task StartAsync_StaleSocketFile_ReplacesIt(CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("stale.sock");
        // What a crashed driver leaves behind: the socket's file with nobody listening (.NET removes the file of a
        // socket it disposes, so write the leftover directly).
        await File.WriteAllBytesAsync(path, [], cancellationToken);
        Assert.That(File.Exists(path), Is.True, "the stale socket file exists before the driver starts");
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken, new Dictionary<string, string?> { ["Csi:Endpoint"] = "unix://" + path });
        using var client = new CsiDriverClient("unix://" + path, TimeSpan.FromSeconds(5));
        var info = await client.GetInfoAsync(cancellationToken);
        Assert.That(info.Name, Is.EqualTo("connectors-csi"));
    }

    [Test, CancelAfter(20_000)]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task StartAsync_Socket_IsOnlyForItsOwner(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        Assert.That(File.GetUnixFileMode(driver.SocketPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test, CancelAfter(20_000)]
    public async Task Call_NotGrpcContentType_Answers415(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(driver.SocketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/csi.v1.Identity/GetPluginInfo")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }
}
