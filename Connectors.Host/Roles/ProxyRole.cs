using Connectors.Host.Cli;
using Connectors.Modules.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Host.Roles;

/// <summary><c>--role proxy</c>: the credential-injecting reverse and forward proxy.</summary>
internal sealed class ProxyRole : IRole
{
    public string Name => "proxy";

    public IReadOnlyList<Flag> Flags { get; } =
    [
        new("--proxy-listen", "Proxy:Listen", "Address of the proxy's plain-HTTP listener", "0.0.0.0:8080"),
        new("--proxy-allow-ttl", "ProxyDurations:AllowTtl", "How long an allowed token review is reused (Go duration or seconds)", "2m"),
        new("--proxy-deny-ttl", "ProxyDurations:DenyTtl", "How long a denied token review is reused (Go duration or seconds)", "30s"),
        new("--proxy-review-cache-size", "Proxy:ReviewCacheSize", "Most token review results kept", "10000"),
        new("--proxy-allow-blind-tunnels", "Proxy:AllowBlindTunnels", "CONNECT to a host no listed Connector matches becomes a plain tunnel without credentials instead of 403 (true|false)", "false"),
        new("--proxy-connect-timeout", "ProxyDurations:ConnectTimeout", "Upper bound for opening an upstream connection (Go duration or seconds)", "10s"),
        new("--proxy-idle-timeout", "ProxyDurations:IdleTimeout", "Idle client connections are closed after this (Go duration or seconds)", "2m"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        foreach (var key in (string[])["ProxyDurations:AllowTtl", "ProxyDurations:DenyTtl", "ProxyDurations:ConnectTimeout", "Proxy:IdleTimeout"])
        {
            // Options bind TimeSpan as hh:mm:ss; the command line speaks Go durations.
            if (configuration[key] is { Length: > 0 } text)
            {
                configuration[key] = Durations.Parse(text).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        services.AddProxy();
    }
}
