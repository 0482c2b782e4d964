using Microsoft.AspNetCore.Http.Features;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Kestrel's upgrade feature, with the upgraded client connection (WebSocket, SPDY) wrapped in a
/// <see cref="CountingStream"/>: what YARP reads from it went upstream, what it writes came back.
/// </summary>
internal sealed class CountingUpgradeFeature(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    public CountingStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new CountingStream(await inner.UpgradeAsync());
        return Stream;
    }
}
