using System.Collections.Concurrent;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>
/// The module's renderer: Go text/template + sprig, or Handlebars, per <see cref="RenderOptions.Engine"/>.
/// Templates are parsed once and cached by (engine, name, text); a render walks the cached tree over data
/// already converted to Go-shaped values, so the hot path uses no reflection.
/// </summary>
public sealed class TemplateEngine : ITemplateRenderer
{
    private const int MaxCachedTemplates = 2048;
    private static readonly IReadOnlySet<FunctionEffect>[] EffectSets = BuildEffectSets();
    private readonly ConcurrentDictionary<(TemplateEngineKind Engine, string Name, string Text), object> _cache = new();

    // Callers usually pass the same string instance for a class's template; this finds it without hashing the text.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, CacheEntry> _byReference = new();
    private readonly TimeProvider _clock;

    // RenderOptions are immutable records; callers reuse a few instances, so their settings are built once.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<RenderOptions, ExecSettings> _settings = new();

    [ThreadStatic]
    private static StringBuilder? _threadBuilder;

    public TemplateEngine()
        : this(TimeProvider.System)
    {
    }

    public TemplateEngine(TimeProvider clock) => _clock = clock;

    /// <summary>A process-wide engine for callers without dependency injection (the CLI, tests).</summary>
    public static TemplateEngine Shared { get; } = new();

    public RenderResult Render(string name, string text, TemplateValue data, RenderOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var parsed = GetOrParse(options.Engine, name, text);
        if (parsed is string parseError)
        {
            return RenderResult.Failure(parseError);
        }

        try
        {
            if (parsed is HandlebarsTemplate hbs)
            {
                return hbs.Render(data, options);
            }

            var output = _threadBuilder ?? new StringBuilder(1024);
            _threadBuilder = null;
            try
            {
                TemplateExecutor.Execute((ParsedTemplate)parsed, data.Root, _settings.GetValue(options, Settings), output, cancellationToken);
                return RenderResult.Success(output.ToString());
            }
            finally
            {
                // Reuse one builder per thread; drop huge ones so a 1 MiB render does not pin memory.
                output.Clear();
                if (output.Capacity <= 64 * 1024)
                {
                    _threadBuilder = output;
                }
            }
        }
        catch (TemplateException e)
        {
            return RenderResult.Failure(e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return RenderResult.Failure($"template: {name}: render canceled");
        }
        catch (InsufficientExecutionStackException)
        {
            return RenderResult.Failure($"template: {name}: template nesting too deep");
        }
    }

    private ExecSettings Settings(RenderOptions options)
    {
        var effects = EffectSets[(options.AllowNondeterministicFunctions ? 1 : 0) | (options.AllowEnvironmentFunctions ? 2 : 0) | (options.AllowNetworkFunctions ? 4 : 0)];

        return new ExecSettings
        {
            MissingKey = options.MissingKey,
            MaxOutputLength = options.MaxOutputBytes,
            MaxRangeIterations = options.MaxRangeIterations,
            MaxTemplateDepth = options.MaxTemplateDepth,
            Timeout = options.Timeout,
            AllowedEffects = effects,
            Clock = _clock,
        };
    }

    /// <summary>The cached parse of a template: a ParsedTemplate, a HandlebarsTemplate, or the parse error text.</summary>
    private object GetOrParse(TemplateEngineKind engine, string name, string text)
    {
        if (_byReference.TryGetValue(text, out var entry) && entry.Engine == engine && entry.Name == name)
        {
            return entry.Parsed;
        }

        var key = (engine, name, text);
        if (_cache.TryGetValue(key, out var cached))
        {
            _byReference.AddOrUpdate(text, new CacheEntry(engine, name, cached));
            return cached;
        }

        object parsed;
        try
        {
            parsed = engine == TemplateEngineKind.Handlebars
                ? HandlebarsTemplate.Compile(name, text)
                : TemplateParser.Parse(name, text, FunctionTable.Standard);
        }
        catch (TemplateException e)
        {
            parsed = e.Message;
        }
        catch (InsufficientExecutionStackException)
        {
            parsed = $"template: {name}: template nesting too deep";
        }

        if (_cache.Count >= MaxCachedTemplates)
        {
            _cache.Clear();
        }

        _cache.TryAdd(key, parsed);
        return parsed;
    }

    private static IReadOnlySet<FunctionEffect>[] BuildEffectSets()
    {
        var sets = new IReadOnlySet<FunctionEffect>[8];
        for (var i = 0; i < 8; i++)
        {
            var set = new HashSet<FunctionEffect>();
            if ((i & 1) != 0)
            {
                set.Add(FunctionEffect.Nondeterministic);
            }

            if ((i & 2) != 0)
            {
                set.Add(FunctionEffect.Environment);
            }

            if ((i & 4) != 0)
            {
                set.Add(FunctionEffect.Network);
            }

            sets[i] = set;
        }

        return sets;
    }

    private sealed record CacheEntry(TemplateEngineKind Engine, string Name, object Parsed);

    /// <summary>The names of every function a Go template may call (builtins and sprig).</summary>
    public static IReadOnlyCollection<string> GoFunctionNames() => [.. FunctionTable.Standard.Names.Order(StringComparer.Ordinal)];
}
