using Connectors.Host.Cli;
using Connectors.Modules.Credentials;
using Connectors.Modules.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Host.Roles;

/// <summary><c>--role proxy</c>: the credential-injecting reverse and forward proxy.</summary>
internal sealed class ProxyRole : IRole
{
    /// <summary>Duration flags land here as text and are parsed as Go durations (options would want hh:mm:ss).</summary>
    private const string DurationSection = "ProxyDurations";

    public string Name => "proxy";

    public IReadOnlyList<Flag> Flags { get; } =
    [
        new("--proxy-listen", "Proxy:Listen", "Address of the proxy's plain-HTTP listener", "0.0.0.0:8080"),
        new("--proxy-allow-ttl", DurationSection + ":AllowTtl", "How long an allowed token review is reused (Go duration or seconds)", "2m"),
        new("--proxy-deny-ttl", DurationSection + ":DenyTtl", "How long a denied token review is reused (Go duration or seconds)", "30s"),
        new("--proxy-review-cache-size", "Proxy:ReviewCacheSize", "Most token review results kept", "10000"),
        new("--proxy-allow-blind-tunnels", "Proxy:AllowBlindTunnels",
            "Forward requests and CONNECTs to an origin no listed Connector has pass without credentials (CONNECT as a plain tunnel) instead of 403 (true|false)", "false"),
        new("--proxy-access-log", "Proxy:AccessLog", "Write one access-log line per request (true|false)", "true"),
        new("--proxy-connect-timeout", DurationSection + ":ConnectTimeout", "Upper bound for opening an upstream connection (Go duration or seconds)", "10s"),
        new("--proxy-idle-timeout", DurationSection + ":IdleTimeout", "Idle client connections are closed after this (Go duration or seconds)", "2m"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddProxy();
        services.AddSingleton<IHeaderTemplateRenderer, TemplateHeaderRenderer>();
        // A bad duration fails the start with one line (FormatException), like every other flag.
        services.AddOptions<ProxyOptions>().Configure(options =>
        {
            options.AllowTtl = Duration(configuration, "AllowTtl") ?? options.AllowTtl;
            options.DenyTtl = Duration(configuration, "DenyTtl") ?? options.DenyTtl;
            options.ConnectTimeout = Duration(configuration, "ConnectTimeout") ?? options.ConnectTimeout;
            options.IdleTimeout = Duration(configuration, "IdleTimeout") ?? options.IdleTimeout;
        });
    }

    private static TimeSpan? Duration(IConfiguration configuration, string name)
    {
        var text = configuration[DurationSection + ":" + name];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return Durations.Parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"--proxy-{Kebab(name)}: {e.Message}", e);
        }
    }

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
