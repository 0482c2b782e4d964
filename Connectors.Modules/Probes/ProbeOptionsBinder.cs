using System.Globalization;
using Connectors.Modules.Templates;
using Microsoft.Extensions.Configuration;

namespace Connectors.Modules.Probes;

/// <summary>Binds <see cref="ProbeOptions"/> so the timeout may be a Go duration (<c>10s</c>, <c>1m30s</c>) as <c>--probe-timeout</c> gives it.</summary>
internal static class ProbeOptionsBinder
{
    /// <exception cref="FormatException">A value is malformed; the message names the key.</exception>
    public static void Bind(IConfiguration configuration, ProbeOptions options)
    {
        var section = configuration.GetSection(ProbeOptions.SectionName);
        if (section["Timeout"] is { Length: > 0 } timeout)
        {
            options.Timeout = GoDuration.TryParse(timeout.Trim(), out var parsed)
                || TimeSpan.TryParse(timeout, CultureInfo.InvariantCulture, out parsed)
                ? parsed
                : throw new FormatException($"{ProbeOptions.SectionName}:Timeout: \"{timeout}\" is not a duration (10s, 1m30s, 00:00:10)");
        }

        if (section["MaxRedirects"] is { Length: > 0 } redirects)
        {
            options.MaxRedirects = int.TryParse(redirects, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
                ? count
                : throw new FormatException($"{ProbeOptions.SectionName}:MaxRedirects: \"{redirects}\" is not a number");
        }
    }
}
