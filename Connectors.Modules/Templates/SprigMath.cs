using System.Globalization;

namespace Connectors.Modules.Templates;

// Sprig's integer and float math (numeric.go, functions.go). Integer functions go through cast.ToInt64 and
// return int64; the *f functions go through shopspring/decimal (emulated with System.Decimal).
internal static partial class SprigFunctions
{
    private static void RegisterMath(FunctionTable t)
    {
        Add(t, "atoi", [S], null, a => long.TryParse(Str(a[0]).StartsWith('+') ? Str(a[0])[1..] : Str(a[0]), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && !Str(a[0]).StartsWith("+-", StringComparison.Ordinal) ? v : 0L);
        Add(t, "int64", [A], null, a => new GoInt64(ToInt64(a[0])));
        Add(t, "int", [A], null, a => ToInt64(a[0]));
        Add(t, "float64", [A], null, a => ToFloat64(a[0]));
        Add(t, "toDecimal", [A], null, a => new GoInt64(ToDecimal(a[0])));
        Add(t, "add1", [A], null, a => new GoInt64(unchecked(ToInt64(a[0]) + 1)));
        Add(t, "add", [], A, a => new GoInt64(a.Aggregate(0L, (s, x) => unchecked(s + ToInt64(x)))));
        Add(t, "sub", [A, A], null, a => new GoInt64(unchecked(ToInt64(a[0]) - ToInt64(a[1]))));
        Add(t, "div", [A, A], null, a => new GoInt64(IntDiv(ToInt64(a[0]), ToInt64(a[1]), false)));
        Add(t, "mod", [A, A], null, a => new GoInt64(IntDiv(ToInt64(a[0]), ToInt64(a[1]), true)));
        Add(t, "mul", [A], A, a => new GoInt64(a[1..].Aggregate(ToInt64(a[0]), (s, x) => unchecked(s * ToInt64(x)))));
        Add(t, "max", [A], A, a => new GoInt64(a[1..].Aggregate(ToInt64(a[0]), (s, x) => Math.Max(s, ToInt64(x)))));
        Add(t, "biggest", [A], A, a => new GoInt64(a[1..].Aggregate(ToInt64(a[0]), (s, x) => Math.Max(s, ToInt64(x)))));
        Add(t, "min", [A], A, a => new GoInt64(a[1..].Aggregate(ToInt64(a[0]), (s, x) => Math.Min(s, ToInt64(x)))));
        Add(t, "maxf", [A], A, a => a[1..].Aggregate(ToFloat64(a[0]), (s, x) => GoMax(s, ToFloat64(x))));
        Add(t, "minf", [A], A, a => a[1..].Aggregate(ToFloat64(a[0]), (s, x) => GoMin(s, ToFloat64(x))));
        Add(t, "floor", [A], null, a => Math.Floor(ToFloat64(a[0])));
        Add(t, "ceil", [A], null, a => Math.Ceiling(ToFloat64(a[0])));
        Add(t, "round", [A, I], ParamKind.Float64, a => Round(ToFloat64(a[0]), Int(a[1]), a.Length > 2 ? (double)a[2]! : 0.5));
        Add(t, "add1f", [A], null, a => DecimalOp(a[0], [1L], (x, y) => x + y));
        Add(t, "addf", [], A, a => DecimalOp(0.0, a, (x, y) => x + y));
        Add(t, "subf", [A], A, a => DecimalOp(a[0], a[1..], (x, y) => x - y));
        Add(t, "mulf", [A], A, a => DecimalOp(a[0], a[1..], (x, y) => x * y));
        Add(t, "divf", [A], A, a => DecimalOp(a[0], a[1..], DecimalDiv));
        Add(t, "randInt", [I, I], null, a => (long)Random.Shared.NextInt64(Int(a[0]), Int(a[1])), FunctionEffect.Nondeterministic);
    }

    private static long IntDiv(long a, long b, bool mod)
    {
        if (b == 0)
        {
            throw new FunctionCallException("runtime error: integer divide by zero");
        }

        if (b == -1)
        {
            return mod ? 0 : unchecked(-a);
        }

        return mod ? a % b : a / b;
    }

    private static long ToDecimal(object? v)
    {
        var s = GoFormatter.Sprint([v]);
        return TemplateNumbers.TryParseInteger(s.StartsWith('0') || s.StartsWith("-0", StringComparison.Ordinal) || s.StartsWith("+0", StringComparison.Ordinal) ? s : ToOctalLiteral(s), out var big)
            && big >= long.MinValue && big <= long.MaxValue && IsOctal(s) ? (long)big : 0;
    }

    private static bool IsOctal(string s)
    {
        var body = s.TrimStart('+', '-');
        return body.Length > 0 && body.All(c => c is >= '0' and <= '7') && s.Count(c => c is '+' or '-') <= 1;
    }

    private static string ToOctalLiteral(string s) => s.StartsWith('-') ? "-0" + s[1..] : s.StartsWith('+') ? "+0" + s[1..] : "0" + s;

    private static double GoMax(double x, double y) => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Max(x, y);

    private static double GoMin(double x, double y) => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Min(x, y);

    private static double Round(double val, long places, double roundOn)
    {
        var pow = Math.Pow(10, places);
        var digit = pow * val;
        var div = digit - Math.Truncate(digit);
        var round = div >= roundOn ? Math.Ceiling(digit) : Math.Floor(digit);
        return round / pow;
    }

    private static decimal DecimalDiv(decimal x, decimal y)
    {
        if (y == 0)
        {
            throw new FunctionCallException("decimal division by 0");
        }

        return Math.Round(x / y, 16, MidpointRounding.AwayFromZero);
    }

    /// <summary>sprig's execDecimalOp: decimal.NewFromFloat of each operand, the operation, then Float64().</summary>
    private static double DecimalOp(object? first, object?[] rest, Func<decimal, decimal, decimal> op)
    {
        try
        {
            var acc = ToDecimalValue(ToFloat64(first));
            foreach (var x in rest)
            {
                acc = op(acc, ToDecimalValue(ToFloat64(x)));
            }

            return double.Parse(acc.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            throw new FunctionCallException("decimal overflow");
        }
    }

    private static decimal ToDecimalValue(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            throw new FunctionCallException($"Cannot create a Decimal from {GoFloat.Format(d, 'g', -1)}");
        }

        return decimal.Parse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
