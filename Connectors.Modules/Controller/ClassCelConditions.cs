using System.Collections.Concurrent;
using Connectors.Modules.Model;
using Connectors.Modules.Probes;

namespace Connectors.Modules.Controller;

/// <summary>
/// The compiled <c>response.cel</c> conditions of each ConnectorClass, parsed once per class generation (and again only
/// when an expression text changes, for objects without a generation) and shared by the class reconciler, which reports
/// parse errors on the class, and the prober, which evaluates them for every Connector of the class.
/// </summary>
internal sealed class ClassCelConditions
{
    private readonly ConcurrentDictionary<string, Compiled> _byClass = new(StringComparer.Ordinal);

    /// <summary>How many expressions were parsed since start (a test reads it to prove once per generation).</summary>
    public int Compilations => _compilations;

    private int _compilations;

    /// <summary>The class's conditions, keyed by field (<c>spec.livenessProbe</c>, <c>spec.authProbes[basicAuth]</c>), and its parse errors.</summary>
    public Compiled For(ConnectorClass connectorClass)
    {
        ArgumentNullException.ThrowIfNull(connectorClass);
        var declared = Declared(connectorClass);
        var name = connectorClass.Metadata.Name ?? string.Empty;
        var generation = connectorClass.Metadata.Generation;
        if (_byClass.TryGetValue(name, out var cached) && cached.Generation == generation && cached.SameExpressions(declared))
        {
            return cached;
        }

        var conditions = new Dictionary<string, CelCondition>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, expression) in declared)
        {
            Interlocked.Increment(ref _compilations);
            var (condition, error) = CelCondition.Compile(expression);
            if (condition is not null)
            {
                conditions[field] = condition;
            }
            else
            {
                errors[field] = error!;
            }
        }

        var compiled = new Compiled(generation, declared, conditions, errors);
        _byClass[name] = compiled;
        return compiled;
    }

    /// <summary>Drops a deleted class's conditions.</summary>
    public void Forget(string className) => _byClass.TryRemove(className, out _);

    /// <summary>How many classes have conditions cached.</summary>
    public int Count => _byClass.Count;

    /// <summary>The key of a liveness probe's condition.</summary>
    public const string Liveness = "spec.livenessProbe";

    /// <summary>The key of an auth probe's condition.</summary>
    public static string Auth(string authName) => $"spec.authProbes[{authName}]";

    /// <summary>The class's <c>response.cel</c> expressions, keyed by field as in <see cref="For"/>.</summary>
    internal static Dictionary<string, string> Declared(ConnectorClass connectorClass)
    {
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        if (connectorClass.Spec.LivenessProbe?.Http?.Response?.Cel is { Length: > 0 } liveness)
        {
            declared[Liveness] = liveness;
        }

        foreach (var probe in connectorClass.Spec.AuthProbes ?? [])
        {
            if (probe.Probe?.Http?.Response?.Cel is { Length: > 0 } auth)
            {
                declared[Auth(probe.AuthName)] = auth;
            }
        }

        return declared;
    }

    /// <summary>One class generation's conditions.</summary>
    internal sealed record Compiled(
        long? Generation,
        IReadOnlyDictionary<string, string> Expressions,
        IReadOnlyDictionary<string, CelCondition> Conditions,
        IReadOnlyDictionary<string, string> Errors)
    {
        /// <summary>The class's <c>ProbesReady</c>: null when it declares no CEL, else True or False/InvalidCEL naming each bad expression.</summary>
        public ConditionState? State => Expressions.Count == 0
            ? null
            : Errors.Count == 0
                ? ConditionState.True()
                : ConditionState.False(ConditionReasons.InvalidCel, string.Join("; ", Errors.Select(e => $"{e.Key}.http.response.cel: {e.Value}")));

        public bool SameExpressions(IReadOnlyDictionary<string, string> declared) =>
            declared.Count == Expressions.Count && declared.All(d => Expressions.TryGetValue(d.Key, out var e) && e == d.Value);
    }
}
