using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Connectors.Modules.Proxy;

/// <summary>The 101 Switching Protocols half of <see cref="Forwarder"/>.</summary>
internal sealed partial class Forwarder
{
    private static async Task<(long In, long Out)> PumpUpgradeAsync(HttpContext context, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var upgrade = context.Features.GetRequiredFeature<IHttpUpgradeFeature>();
        await using var upstream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var client = await upgrade.UpgradeAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = PumpAsync(client, upstream, stop.Token);
        var down = PumpAsync(upstream, client, stop.Token);
        // When one side ends the exchange is over: stop the other direction too.
        await Task.WhenAny(up, down);
        await stop.CancelAsync();
        return (await up, await down);
    }

    private static async Task<long> PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        long total = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await to.FlushAsync(cancellationToken);
                total += read;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The other direction ended or a side went away.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return total;
    }
}
