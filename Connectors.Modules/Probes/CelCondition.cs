using Cel;

namespace Connectors.Modules.Probes;

/// <summary>
/// A probe's <c>http.response.cel</c>, parsed once (per class generation, see the controller's cache) and evaluated
/// per response over the variables of <see cref="CelResponse"/>. Evaluation is the <c>Cel</c> package's
/// (cel-spec semantics: heterogeneous numeric equality, <c>has()</c>, macros, string functions); the expression must
/// yield a bool. An evaluation error's message is the package's, without the response's values (the package quotes the
/// values it fails on, e.g. the whole body for <c>int(bodyString)</c>; see <see cref="CelErrorText"/>). An expression
/// is compiled only within <see cref="CelLimits"/> (the package's parser and evaluator recurse without a bound).
/// </summary>
public sealed class CelCondition
{
    // The environment holds the registered functions; Compile only reads them, Invoke is re-entrant.
    private static readonly CelEnvironment Environment = CreateEnvironment();
    private static readonly Lock CompileLock = new();
    private readonly CelProgramDelegate _program;

    /// <summary>The package's environment, with <c>matches</c> replaced: cel-spec defines it as RE2, and the package's own
    /// runs .NET's backtracking engine with no timeout over the tool's body. Ours is the template engine's RE2
    /// translation with a 1 s match timeout (RegexMatchTimeoutException, an evaluation error).</summary>
    private static CelEnvironment CreateEnvironment()
    {
        var environment = new CelEnvironment(null, null);
        environment.RegisterFunction("matches", [typeof(string), typeof(string)], args =>
            Templates.GoRegexCompiler.Compile((string)args[1]!).Regex.IsMatch((string)args[0]!));
        return environment;
    }

    private CelCondition(string expression, CelProgramDelegate program)
    {
        Expression = expression;
        _program = program;
        ReadsBody = CelBodyUse.ReadsBody(expression);
    }

    /// <summary>The expression as the class wrote it.</summary>
    public string Expression { get; }

    /// <summary>
    /// Whether the expression can see the body (<see cref="CelBodyUse"/>): when not, a probe evaluates it without reading
    /// the body, over the variables of an empty one.
    /// </summary>
    public bool ReadsBody { get; }

    /// <summary>Parses <paramref name="expression"/>; on a syntax error returns null and the parser's message.</summary>
    public static (CelCondition? Condition, string? Error) Compile(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (string.IsNullOrWhiteSpace(expression))
        {
            return (null, "the expression is empty");
        }

        if (CelLimits.Check(expression) is { } beyond)
        {
            return (null, beyond);
        }

        try
        {
            CelProgramDelegate program;
            lock (CompileLock)
            {
                program = Environment.Compile(expression);
            }

            return (new CelCondition(expression, program), null);
        }
        catch (CelException e)
        {
            return (null, FirstLine(e.Message));
        }
    }

    /// <summary>
    /// Evaluates the condition: <c>(true|false, null)</c>, or <c>(null, why)</c> when evaluation fails (no such key,
    /// no such overload, division by zero) or the result is not a bool.
    /// </summary>
    public (bool? Value, string? Error) Evaluate(IDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        object? result;
        try
        {
            result = _program.Invoke(variables!);
        }
        catch (CelException e)
        {
            return (null, CelErrorText.Redact(FirstLine(e.Message), Expression, variables));
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or NullReferenceException or InvalidOperationException or FormatException or OverflowException or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // The package lets a few runtime faults through untranslated; they are still evaluation errors.
            return (null, CelErrorText.Redact(e.GetType().Name + ": " + FirstLine(e.Message), Expression, variables));
        }

        return result is bool value ? (value, null) : (null, $"the expression yields {TypeName(result)}, not a bool");
    }

    private static string TypeName(object? value) => value switch
    {
        null => "null",
        string => "a string",
        long or int => "an int",
        ulong => "a uint",
        double => "a double",
        System.Collections.IDictionary => "a map",
        System.Collections.IEnumerable => "a list",
        _ => "a " + value.GetType().Name,
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');
}
