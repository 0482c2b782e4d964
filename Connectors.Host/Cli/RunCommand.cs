using System.CommandLine;
using System.Runtime.InteropServices;
using Connectors.Host.Roles;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog.Extensions.Logging;

namespace Connectors.Host.Cli;

/// <summary><c>connectors run --role controller|proxy|csi-node|all</c>: runs one or more roles until SIGTERM.</summary>
internal static class RunCommand
{
    /// <summary>Flags every role reads.</summary>
    public static readonly IReadOnlyList<Flag> CommonFlags =
    [
        new("--health-listen", "Observability:HealthListen", "Address of /healthz, /readyz and /metrics", "0.0.0.0:9090"),
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

        using var logger = LoggingSetup.Create(logging);
        var (embeddedMode, failed) = await EmbeddedMode.TryStartAsync(parse, embedded.Options, embedded.Flags, roles, settings, logger, cancellationToken);
        if (failed is { } exitCode)
        {
            return exitCode;
        }

        await using var embeddedApi = embeddedMode;
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Configuration = new ConfigurationManager(),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger));
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        // A failed start is reported below as one line; the host's own error log would add a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = grace);
        builder.Services.AddObservability();
        foreach (var role in roles)
        {
            role.AddServices(builder.Services, builder.Configuration);
        }

        IHostApplicationLifetime? lifetime = null;
        try
        {
            using var host = builder.Build();
            lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            await host.RunAsync(cancellationToken);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || lifetime?.ApplicationStopping.IsCancellationRequested == true)
        {
            // Stopped (SIGTERM, SIGINT) while still starting: as clean as a stop after the start.
            return 0;
        }
        catch (Exception e) when (e is OptionsValidationException or FormatException or StartupException or IOException or Modules.Kube.KubeConfigException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("connectors: " + FirstLine(e.Message));
            return 1;
        }
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline];
    }
}
