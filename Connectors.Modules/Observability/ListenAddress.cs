using System.Globalization;
using System.Net;

namespace Connectors.Modules.Observability;

/// <summary>Parses listen addresses written as <c>host:port</c>, <c>:port</c> or <c>[v6]:port</c>.</summary>
public static class ListenAddress
{
    /// <summary>Parses <paramref name="text"/>; an empty host means all interfaces.</summary>
    /// <exception cref="FormatException">The text is not a valid listen address.</exception>
    public static IPEndPoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new FormatException($"invalid listen address \"{text}\": want host:port, for example 127.0.0.1:8080");
        }

        var host = text[..colon].Trim('[', ']');
        if (host.Length == 0)
        {
            return new IPEndPoint(IPAddress.Any, port);
        }

        if (host == "localhost")
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            throw new FormatException($"invalid listen address \"{text}\": the host must be an IP address");
        }

        return new IPEndPoint(address, port);
    }
}
