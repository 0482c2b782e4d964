using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Connectors.Modules.Kube;

/// <summary>
/// Binds <see cref="KubeOptions"/> from configuration by hand, so durations may be written the Go way
/// (<c>15s</c>, <c>1m30s</c>) as the command-line flags give them, as well as <c>hh:mm:ss</c>.
/// </summary>
internal static class KubeOptionsBinder
{
    /// <exception cref="FormatException">A value is not a number or a duration; the message names the key.</exception>
    public static void Bind(IConfiguration configuration, KubeOptions options)
    {
        var section = configuration.GetSection(KubeOptions.SectionName);
        options.Kubeconfig = Text(section, "Kubeconfig") ?? options.Kubeconfig;
        options.Context = Text(section, "Context") ?? options.Context;
        options.Qps = Number(section, "Qps", double.Parse) ?? options.Qps;
        options.Burst = Number(section, "Burst", int.Parse) ?? options.Burst;
        options.RequestTimeout = Duration(section, "RequestTimeout") ?? options.RequestTimeout;
        options.StartupTimeout = Duration(section, "StartupTimeout") ?? options.StartupTimeout;
        options.VerifyOnStart = Number(section, "VerifyOnStart", (s, _) => bool.Parse(s)) ?? options.VerifyOnStart;
        var election = section.GetSection("LeaderElection");
        var target = options.LeaderElection;
        target.LeaseName = Text(election, "LeaseName") ?? target.LeaseName;
        target.LeaseNamespace = Text(election, "LeaseNamespace") ?? Text(configuration.GetSection("Components"), "Namespace") ?? target.LeaseNamespace;
        target.Identity = Text(election, "Identity") ?? target.Identity;
        target.LeaseDuration = Duration(election, "LeaseDuration") ?? target.LeaseDuration;
        target.RenewDeadline = Duration(election, "RenewDeadline") ?? target.RenewDeadline;
        target.RetryPeriod = Duration(election, "RetryPeriod") ?? target.RetryPeriod;
    }

    /// <summary>Reads <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>, plain seconds, or <c>hh:mm:ss</c>.</summary>
    /// <exception cref="FormatException">Not a duration.</exception>
    public static TimeSpan ParseDuration(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        var total = TimeSpan.Zero;
        var rest = text.AsSpan().Trim();
        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            var unit = digits;
            while (unit < rest.Length && char.IsAsciiLetter(rest[unit]))
            {
                unit++;
            }

            if (digits == 0 || unit == digits || !double.TryParse(rest[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"\"{text}\" is not a duration: want for example 250ms, 15s, 1m or 1h30m");
            }

            total += rest[digits..unit] switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => throw new FormatException($"\"{text}\" is not a duration: unknown unit \"{rest[digits..unit]}\""),
            };
            rest = rest[unit..];
        }

        return total > TimeSpan.Zero ? total : throw new FormatException($"\"{text}\" is not a positive duration");
    }

    private static string? Text(IConfiguration section, string key) => section[key] is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>A number of the section (invariant culture); null when absent.</summary>
    /// <exception cref="FormatException">Not such a number; the message names the key and the value.</exception>
    internal static T? Number<T>(IConfigurationSection section, string key, Func<string, IFormatProvider, T> parse)
        where T : struct
    {
        if (Text(section, key) is not { } text)
        {
            return null;
        }

        try
        {
            return parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException($"invalid {section.Path}:{key} \"{text}\": {e.Message}", e);
        }
    }

    /// <summary>A duration of the section (<see cref="ParseDuration"/>); null when absent.</summary>
    /// <exception cref="FormatException">Not a duration; the message names the key.</exception>
    internal static TimeSpan? Duration(IConfigurationSection section, string key)
    {
        if (Text(section, key) is not { } text)
        {
            return null;
        }

        try
        {
            return ParseDuration(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"invalid {section.Path}:{key}: {e.Message}", e);
        }
    }
}
