using WireMock.Logging;
using WireMock.Server;
using WireMock.Settings;

namespace Connectors.Tests.Support;

/// <summary>
/// A tool that only gives canned answers (WireMock.Net on 127.0.0.1): for tests where the answer, not the tool's
/// behaviour, is the point. Tools whose behaviour matters (slow, TLS, refusing) stay <see cref="ToolServer"/>.
/// </summary>
internal static class CannedTool
{
    public static WireMockServer Start() =>
        WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort.Next()}"], StartAdminInterface = false });

    /// <summary><c>http://127.0.0.1:port/</c> (WireMock's own <c>Url</c> says localhost).</summary>
    public static Uri BaseAddress(this WireMockServer server) => new($"http://127.0.0.1:{server.Port}/");

    /// <summary>The one request the server received.</summary>
    public static ILogEntry SingleRequest(this WireMockServer server) => server.LogEntries.Single();
}
