using System.Net;
using System.Net.Sockets;
using Connectors.Modules.Csi;
using Connectors.Modules.Csi.V1;
using Connectors.Tests.Support;
using Google.Protobuf.WellKnownTypes;

namespace Connectors.Tests.Csi;

[TestFixture]
public sealed class CsiServerTests
{
    [Test, CancelAfter(20_000)]
    public async Task Identity_AllMethods_AnswerAsCsiSpecifies(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        var info = await driver.Client.CallAsync(CsiMethods.GetPluginInfo, new GetPluginInfoRequest(), GetPluginInfoResponse.Parser, cancellationToken);
        var capabilities = await driver.Client.CallAsync(CsiMethods.GetPluginCapabilities, new GetPluginCapabilitiesRequest(), GetPluginCapabilitiesResponse.Parser, cancellationToken);
        var probe = await driver.Client.CallAsync(CsiMethods.Probe, new ProbeRequest(), ProbeResponse.Parser, cancellationToken);
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
        var info = await driver.Client.CallAsync(CsiMethods.NodeGetInfo, new NodeGetInfoRequest(), NodeGetInfoResponse.Parser, cancellationToken);
        var capabilities = await driver.Client.CallAsync(CsiMethods.NodeGetCapabilities, new NodeGetCapabilitiesRequest(), NodeGetCapabilitiesResponse.Parser, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.NodeId, Is.EqualTo("node-1"));
            Assert.That(capabilities.Capabilities, Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Call_UnknownMethod_IsUnimplemented(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            driver.Client.CallAsync("/csi.v1.Controller/CreateVolume", new Empty(), Empty.Parser, cancellationToken));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Status, Is.EqualTo(GrpcStatusCode.Unimplemented));
            Assert.That(error.Message, Is.EqualTo("unknown method /csi.v1.Controller/CreateVolume"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Probe_CachesNotSynced_AnswersNotReady(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        driver.Kube.HasSynced = false;
        var probe = await driver.Client.CallAsync(CsiMethods.Probe, new ProbeRequest(), ProbeResponse.Parser, cancellationToken);
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
        using var client = new GrpcUnixClient(path, TimeSpan.FromSeconds(5));
        var info = await client.CallAsync(CsiMethods.GetPluginInfo, new GetPluginInfoRequest(), GetPluginInfoResponse.Parser, cancellationToken);
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
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost" + CsiMethods.GetPluginInfo)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }
}
