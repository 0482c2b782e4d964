using System.Globalization;
using Connectors.Modules.Kube;
using Microsoft.Extensions.Configuration;

namespace Connectors.Modules.Controller;

/// <summary>Binds <see cref="ControllerOptions"/> by hand so durations may be Go-style (<c>5m</c>, <c>250ms</c>) as flags give them.</summary>
internal static class ControllerOptionsBinder
{
    /// <exception cref="FormatException">A value is malformed; the message names the key.</exception>
    public static void Bind(IConfiguration configuration, ControllerOptions options)
    {
        var section = configuration.GetSection(ControllerOptions.SectionName);
        options.ProbeInterval = Read(section, "ProbeInterval", KubeOptionsBinder.ParseDuration) ?? options.ProbeInterval;
        options.RetryBaseDelay = Read(section, "RetryBaseDelay", KubeOptionsBinder.ParseDuration) ?? options.RetryBaseDelay;
        options.RetryMaxDelay = Read(section, "RetryMaxDelay", KubeOptionsBinder.ParseDuration) ?? options.RetryMaxDelay;
        options.Workers = Read(section, "Workers", s => int.Parse(s, CultureInfo.InvariantCulture)) ?? options.Workers;
        options.ProbeConcurrency = Read(section, "ProbeConcurrency", s => int.Parse(s, CultureInfo.InvariantCulture)) ?? options.ProbeConcurrency;
        options.LeaderElect = Read(section, "LeaderElect", bool.Parse) ?? options.LeaderElect;
        options.CreateProxyCa = Read(section, "CreateProxyCa", bool.Parse) ?? options.CreateProxyCa;
        options.RecordEvents = Read(section, "RecordEvents", bool.Parse) ?? options.RecordEvents;
        var ns = configuration["Components:Namespace"];
        options.ComponentsNamespace = string.IsNullOrWhiteSpace(ns) ? options.ComponentsNamespace : ns;
    }

    private static T? Read<T>(IConfigurationSection section, string key, Func<string, T> parse)
        where T : struct
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return parse(text.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException($"{ControllerOptions.SectionName}:{key}: \"{text}\" is not valid ({e.Message})", e);
        }
    }
}
