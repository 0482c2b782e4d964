using System.CommandLine;
using System.Runtime.InteropServices;
using Connectors.Host.Roles;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;

namespace Connectors.Host.Cli;

/// <summary><c>connectors run --role controller|proxy|csi-node|all</c>: runs one or more roles until SIGTERM.</summary>
internal static class RunCommand
{
    /// <summary>Flags every role reads.</summary>
    public static readonly IReadOnlyList<Flag> CommonFlags =
    [
        new("--health-listen", "Observability:HealthListen", "Address of /healthz, /readyz and /metrics", "0.0.0.0:9090"),
        new("--otlp-endpoint", "Observability:OtlpEndpoint", "OTLP endpoint for spans of reconciles, CSI publishes and proxied requests (gRPC, or HTTP with a /v1/traces path); none when empty"),
        new("--shutdown-grace", "Host:ShutdownGrace", "How long in-flight work may take to finish after SIGTERM (Go duration or seconds)", "25s"),
        .. KubeFlags.All,
    ];

    public static Command Create(IReadOnlyList<(Flag Flag, Option<string?> Option)> globals)
    {
        var roleOption = new Option<string[]>("--role")
        {
            Description = $"Roles to run: {RoleCatalog.Names}; repeat the flag or give a comma list",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
            HelpName = "role",
        };
        var command = new Command("run", "Run the controller, proxy and/or csi-node roles") { roleOption };
        var embedded = EmbeddedMode.Options.Create();
        foreach (var option in embedded.All)
        {
            command.Options.Add(option);
        }

        var flags = new List<(Flag Flag, Option<string?> Option)>(globals);
        foreach (var flag in CommonFlags.Concat(RoleCatalog.All.SelectMany(r => r.Flags)).DistinctBy(f => f.Name))
        {
            var option = flag.CreateOption();
            command.Options.Add(option);
            flags.Add((flag, option));
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var (roles, error) = RoleCatalog.Resolve(parse.GetValue(roleOption) ?? []);
            if (error is not null)
            {
                return ConnectorsCommandLine.UsageError(parse, error);
            }

            // Two flags may feed one key (a role alias of a common flag): a given value wins over defaults.
            var settings = flags.GroupBy(f => f.Flag.ConfigKey, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Select(f => parse.GetValue(f.Option)).LastOrDefault(v => v is not null) ?? g.First().Flag.DefaultValue, StringComparer.OrdinalIgnoreCase);
            CsiNodeRole.DefaultIdleMemoryRelease(roles, settings,
                flags.Any(f => f.Flag.ConfigKey == "Csi:ReleaseIdleMemory" && parse.GetValue(f.Option) is not null));
            // SIGTERM and SIGINT stop the run from the first moment: before the generic host exists (embedded API,
            // --apply) nothing else would see them, and the runtime does not end the process by itself then.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            try
            {
                return await RunAsync(parse, roles, settings, (embedded, flags), stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return 0;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parse,
        IReadOnlyList<IRole> roles,
        Dictionary<string, string?> settings,
        (EmbeddedMode.Options Options, IReadOnlyList<(Flag Flag, Option<string?> Option)> Flags) embedded,
        CancellationToken cancellationToken)
    {
        var logging = new LoggingOptions { Level = settings["Logging:Level"] ?? "info", Format = settings["Logging:Format"] ?? "auto" };
        TimeSpan grace;
        try
        {
            _ = LoggingSetup.ParseLevel(logging.Level);
            _ = LoggingSetup.IsJson(logging.Format);
            grace = Durations.Parse(settings["Host:ShutdownGrace"] ?? "25s");
        }
        catch (FormatException e)
        {
            return ConnectorsCommandLine.UsageError(parse, e.Message);
        }

        var (plan, usage) = EmbeddedMode.Plan(parse, embedded.Options, embedded.Flags, roles, settings);
        if (usage is not null)
        {
            return ConnectorsCommandLine.UsageError(parse, usage);
        }

        if (CheckListenAddresses(embedded.Flags, settings) is { } badAddress)
        {
            return ConnectorsCommandLine.UsageError(parse, badAddress);
        }

        var startup = new StartupLogGate();
        // A failed start is reported below as one line; the host's own records of it (a stack trace, "hosting failed
        // to start", a background service cancelled by the failed start) are dropped until the start has succeeded.
        using var logger = LoggingSetup.Create(logging, out var logLines, include: startup.Includes);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Configuration = new ConfigurationManager(),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(logger, dispose: false);
        if (logLines is not null)
        {
            // JSON lines formatted by their callers (the proxy's access log) go to the same output, in order.
            builder.Services.AddSingleton(logLines);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = grace);
        builder.Services.AddObservability();
        foreach (var role in roles)
        {
            role.AddServices(builder.Services, builder.Configuration);
        }

        using var host = builder.Build();
        try
        {
            // Every flag is checked before anything starts or is written (the embedded API, its kubeconfig).
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (e is OptionsValidationException or FormatException)
        {
            return ConnectorsCommandLine.UsageError(parse, FlagNames(FirstLine(e.Message), embedded.Flags));
        }

        await using var embeddedMode = plan is null ? null : new EmbeddedMode(plan, logger);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        try
        {
            if (embeddedMode is not null)
            {
                await embeddedMode.StartAsync(roles, settings, cancellationToken);
            }

            await host.StartAsync(cancellationToken);
            if (embeddedMode is not null)
            {
                await embeddedMode.WaitForWebhooksAsync(roles, settings, cancellationToken);
            }

            startup.Open();
            if (embeddedMode is not null)
            {
                // Only now, with every listener bound, does the user's kubeconfig point at this instance.
                await embeddedMode.PublishAsync(parse.InvocationConfiguration.Output, roles, settings, cancellationToken);
            }

            await host.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped (SIGTERM, SIGINT) while still starting: as clean as a stop after the start.
            await StopQuietlyAsync(host);
            return 0;
        }
        catch (Exception e) when (IsExpected(e))
        {
            var line = FlagNames(FirstLine(e.Message), embedded.Flags);
            await parse.InvocationConfiguration.Error.WriteLineAsync("connectors: " + line + PortInUseHint(line, embedded.Flags, settings, plan));
            await StopQuietlyAsync(host);
            return 1;
        }
    }

    private static bool IsExpected(Exception e) =>
        e is OptionsValidationException or FormatException or StartupException or IOException or UnauthorizedAccessException or HttpRequestException
            or Modules.Kube.KubeConfigException;

    /// <summary>Stops what a failed or cancelled start left running (a background service, a bound listener).</summary>
    private static async Task StopQuietlyAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await host.StopAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or AggregateException or IOException or ObjectDisposedException)
        {
            // The process is exiting with the start's own error already printed.
        }
        catch (ArgumentNullException)
        {
            // The start failed while the host resolved its hosted services (no kubeconfig, an unreadable one): the host
            // then has none and its StopAsync throws on the missing list. Nothing was started, so nothing to stop.
        }
    }

    /// <summary>Every <c>--*-listen</c> value is an address before anything starts: the error names the flag.</summary>
    private static string? CheckListenAddresses(IReadOnlyList<(Flag Flag, Option<string?> Option)> flags, Dictionary<string, string?> settings)
    {
        foreach (var (flag, _) in flags.Where(f => f.Flag.Name.EndsWith("-listen", StringComparison.Ordinal)))
        {
            if (settings.GetValueOrDefault(flag.ConfigKey) is { Length: > 0 } value)
            {
                try
                {
                    _ = ListenAddress.Parse(value);
                }
                catch (FormatException e)
                {
                    return $"{flag.Name}: {e.Message}";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Kestrel's <c>Failed to bind to address URL: address already in use.</c> says what, not what to do: names the flag
    /// that chose the port (another <c>connectors run</c>, often a second <c>make run</c>, is the usual holder).
    /// </summary>
    internal static string PortInUseHint(string message, IReadOnlyList<(Flag Flag, Option<string?> Option)> flags, Dictionary<string, string?> settings, EmbeddedPlan? plan)
    {
        const string Prefix = "Failed to bind to address ";
        var end = message.IndexOf(": address already in use", StringComparison.Ordinal);
        if (!message.StartsWith(Prefix, StringComparison.Ordinal) || end < 0
            || !Uri.TryCreate(message[Prefix.Length..end], UriKind.Absolute, out var url))
        {
            return "";
        }

        var listeners = flags.Where(f => f.Flag.Name.EndsWith("-listen", StringComparison.Ordinal))
            .Select(f => (f.Flag.Name, Value: settings.GetValueOrDefault(f.Flag.ConfigKey)));
        if (plan is not null)
        {
            listeners = listeners.Append(("--embedded-listen", plan.Listen));
        }

        var flag = listeners.FirstOrDefault(l => l.Value is { Length: > 0 } value && PortOf(value) == url.Port).Name;
        return $" Stop what listens there (another connectors run?) or pass another {flag ?? "port"}.";
    }

    private static int? PortOf(string listen)
    {
        try
        {
            return ListenAddress.Parse(listen).Port;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Messages of options validation name configuration keys; the user typed flags.</summary>
    private static string FlagNames(string message, IReadOnlyList<(Flag Flag, Option<string?> Option)> flags)
    {
        foreach (var (flag, _) in flags.OrderByDescending(f => f.Flag.ConfigKey.Length))
        {
            message = message.Replace(flag.ConfigKey, flag.Name, StringComparison.OrdinalIgnoreCase);
        }

        return message;
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline];
    }
}
