using Connectors.Modules.Csi;
using Connectors.Modules.Csi.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Tests.Support;

/// <summary>The real CSI driver on a temp unix socket, over an in-memory cluster, with a client that calls it as kubelet does.</summary>
internal sealed class CsiTestDriver : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly CsiServer _server;

    private CsiTestDriver(ServiceProvider provider, CsiServer server, TempDirectory directory, InMemoryCsiKube kube)
    {
        _provider = provider;
        _server = server;
        Directory = directory;
        Kube = kube;
        Channel = CsiChannel.ForUnixSocket(server.SocketPath!);
        Identity = new Identity.IdentityClient(Channel);
        Node = new Node.NodeClient(Channel);
    }

    public TempDirectory Directory { get; }

    public InMemoryCsiKube Kube { get; }

    /// <summary>A channel to the socket, as kubelet dials it (Grpc.Net.Client, <c>:authority: localhost</c>).</summary>
    public GrpcChannel Channel { get; }

    public Identity.IdentityClient Identity { get; }

    public Node.NodeClient Node { get; }

    public string SocketPath => _server.SocketPath!;

    public IServiceProvider Services => _provider;

    public static async Task<CsiTestDriver> StartAsync(CancellationToken cancellationToken, IDictionary<string, string?>? settings = null)
    {
        var directory = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Csi:Endpoint"] = "unix://" + directory.Combine("csi.sock"),
            ["Csi:Tmpfs"] = "false",
            ["Csi:NodeId"] = "node-1",
            ["Csi:KubeletPodsDir"] = directory.Path,
            ["Components:Namespace"] = "connectors-system",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var kube = new InMemoryCsiKube();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<ICsiKube>(kube);
        services.AddCsi();
        var provider = services.BuildServiceProvider();
        var server = provider.GetRequiredService<CsiServer>();
        await server.StartAsync(cancellationToken);
        return new CsiTestDriver(provider, server, directory, kube);
    }

    public Task<NodePublishVolumeResponse> PublishAsync(NodePublishVolumeRequest request, CancellationToken cancellationToken) =>
        Node.NodePublishVolumeAsync(request, cancellationToken: cancellationToken).ResponseAsync;

    public Task<NodeUnpublishVolumeResponse> UnpublishAsync(string volumeId, string target, CancellationToken cancellationToken) =>
        Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = volumeId, TargetPath = target }, cancellationToken: cancellationToken).ResponseAsync;

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _server.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
        Directory.Dispose();
    }
}
