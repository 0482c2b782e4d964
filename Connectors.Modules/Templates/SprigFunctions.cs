using System.Globalization;

namespace Connectors.Modules.Templates;

/// <summary>
/// Sprig 3.2.3's TxtFuncMap, reimplemented with sprig's semantics (parameter types, conversions through
/// spf13/cast, panics reported as errors). Families live in the Sprig*.cs files beside this one.
/// </summary>
internal static partial class SprigFunctions
{
    private const ParamKind A = ParamKind.Any;
    private const ParamKind S = ParamKind.String;
    private const ParamKind I = ParamKind.Int;
    private const ParamKind M = ParamKind.Map;

    public static void Register(FunctionTable t)
    {
        RegisterStrings(t);
        RegisterLists(t);
        RegisterDicts(t);
        RegisterMath(t);
        RegisterEncoding(t);
        RegisterRegex(t);
        RegisterUrlsAndPaths(t);
        RegisterReflection(t);
        RegisterDates(t);
        RegisterSemver(t);
        RegisterCrypto(t);
        RegisterCertificates(t);
    }

    private static void Add(FunctionTable t, string name, ParamKind[] parameters, ParamKind? variadic, Func<object?[], object?> body, FunctionEffect effect = FunctionEffect.None) =>
        t.Add(new TemplateFunction(name, parameters, variadic, (_, a) => body(a)) { Effect = effect });

    private static void AddWithContext(FunctionTable t, string name, ParamKind[] parameters, ParamKind? variadic, Func<FunctionContext, object?[], object?> body, FunctionEffect effect = FunctionEffect.None) =>
        t.Add(new TemplateFunction(name, parameters, variadic, body) { Effect = effect });

    /// <summary>Registers name and mustName: the first panics (an error in the template) like sprig's non-must form.</summary>
    private static void AddPair(FunctionTable t, string name, ParamKind[] parameters, ParamKind? variadic, Func<object?[], object?> body)
    {
        Add(t, name, parameters, variadic, body);
        Add(t, "must" + char.ToUpperInvariant(name[0]) + name[1..], parameters, variadic, body);
    }

    private static string Str(object? v) => (string)v!;

    private static long Int(object? v) => (long)v!;

    /// <summary>sprig's strval: strings as is, Stringers through String(), anything else as %v.</summary>
    internal static string StrVal(object? v) => v switch
    {
        string s => s,
        IGoStringer g => g.GoString(),
        _ => GoFormatter.Sprint([v]),
    };

    /// <summary>spf13/cast ToInt64: numbers truncate, strings parse with Go's base prefixes, failures give 0.</summary>
    internal static long ToInt64(object? v)
    {
        switch (v)
        {
            case long l: return l;
            case GoInt64 l: return l.Value;
            case GoNamedInt n: return n.Value;
            case byte b: return b;
            case double d: return double.IsNaN(d) ? long.MinValue : d >= 9.2233720368547758e18 || d < -9.2233720368547758e18 ? long.MinValue : (long)d;
            case bool b: return b ? 1 : 0;
            case string s:
                return TemplateNumbers.TryParseInteger(TrimZeroDecimal(s), out var big) && big >= long.MinValue && big <= long.MaxValue ? (long)big : 0;
            default: return 0;
        }
    }

    private static string TrimZeroDecimal(string s)
    {
        var foundZero = false;
        for (var i = s.Length; i > 0; i--)
        {
            switch (s[i - 1])
            {
                case '.':
                    if (foundZero)
                    {
                        return s[..(i - 1)];
                    }

                    break;
                case '0':
                    foundZero = true;
                    break;
                default:
                    return s;
            }
        }

        return s;
    }

    /// <summary>spf13/cast ToFloat64: strings through strconv.ParseFloat, failures give 0.</summary>
    internal static double ToFloat64(object? v) => v switch
    {
        double d => d,
        long l => l,
        GoInt64 l => l.Value,
        GoNamedInt n => n.Value,
        byte b => b,
        bool b => b ? 1 : 0,
        string s => ParseGoFloat(s, out var f) ? f : 0,
        _ => 0,
    };

    internal static bool ParseGoFloat(string s, out double value)
    {
        var t = s.ToLowerInvariant().TrimStart('+', '-');
        if (t is "inf" or "infinity")
        {
            value = s.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (t == "nan")
        {
            value = double.NaN;
            return true;
        }

        value = 0;
        if (s.Length == 0 || s.Contains('_', StringComparison.Ordinal) || s.AsSpan().ContainsAny(" \t\n\r,"))
        {
            return false;
        }

        return double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>sprig's empty: nil, zero numbers, false, and empty strings, lists and maps.</summary>
    internal static bool Empty(object? v) => v switch
    {
        null or GoNil or GoTypedNil => true,
        string s => s.Length == 0,
        bool b => !b,
        long l => l == 0,
        GoInt64 l => l.Value == 0,
        byte b => b == 0,
        double d => d == 0,
        GoList l => l.Count == 0,
        GoMap m => m.Count == 0,
        _ => false,
    };

    /// <summary>Items of a slice argument, or null when the value is not a slice.</summary>
    internal static object?[]? Items(object? v) => v is GoList l ? l.Items : null;

    /// <summary>sprig's strslice: a list as strings (nil items dropped), a scalar as a one-item list.</summary>
    internal static List<string> StrSlice(object? v)
    {
        if (v is GoList list)
        {
            var result = new List<string>(list.Count);
            foreach (var item in list.Items)
            {
                if (item is not null)
                {
                    result.Add(StrVal(item));
                }
            }

            return result;
        }

        return v is null ? [] : [StrVal(v)];
    }

    /// <summary>reflect.TypeOf(x).Kind() as sprig's list functions report it in errors.</summary>
    internal static string KindForError(object? v) =>
        v is null ? throw new FunctionCallException("runtime error: invalid memory address or nil pointer dereference") : GoTypes.KindName(v);
}
