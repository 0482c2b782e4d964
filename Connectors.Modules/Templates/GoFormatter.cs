using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>
/// Go's fmt package for the values a template can hold: Sprint, Sprintln, Sprintf with verbs
/// <c>v s q d x X o O b c U e E f F g G t T %</c>, flags <c>+ - # 0 space</c>, width, precision, <c>*</c> and
/// <c>[n]</c> argument indexes, and Go's error forms (<c>%!d(string=x)</c>, <c>%!s(MISSING)</c>, <c>%!(EXTRA ...)</c>).
/// </summary>
internal sealed partial class GoFormatter
{
    private readonly StringBuilder _buf;
    private FormatFlags _f;

    private GoFormatter(StringBuilder buf) => _buf = buf;

    /// <summary>fmt.Sprint: operands separated by a space when neither side is a string.</summary>
    public static void Sprint(StringBuilder sb, ReadOnlySpan<object?> args)
    {
        var p = new GoFormatter(sb);
        var prevString = false;
        for (var i = 0; i < args.Length; i++)
        {
            var isString = args[i] is string;
            if (i > 0 && !isString && !prevString)
            {
                sb.Append(' ');
            }

            p._f = default;
            p.PrintArg(args[i], 'v', 0);
            prevString = isString;
        }
    }

    public static string Sprint(ReadOnlySpan<object?> args)
    {
        var sb = new StringBuilder();
        Sprint(sb, args);
        return sb.ToString();
    }

    /// <summary>fmt.Sprintln: operands always separated by a space, then a newline.</summary>
    public static void Sprintln(StringBuilder sb, ReadOnlySpan<object?> args)
    {
        var p = new GoFormatter(sb);
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            p._f = default;
            p.PrintArg(args[i], 'v', 0);
        }

        sb.Append('\n');
    }

    /// <summary>Appends one value as fmt.Print would (the %v form).</summary>
    public static void PrintValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case string s:
                sb.Append(s);
                return;
            case double d:
                if (d == Math.Floor(d) && Math.Abs(d) < 1e6 && !(d == 0 && double.IsNegative(d)))
                {
                    // %v of an integral float64 below 1e6 prints as an integer (no exponent, no point).
                    sb.Append((long)d);
                    return;
                }

                GoFloat.Append(sb, d, 'g', -1);
                return;
            case long l:
                sb.Append(l);
                return;
            case bool b:
                sb.Append(b ? "true" : "false");
                return;
            case GoStruct { Pointer: true } st:
                // text/template dereferences a pointer before printing it.
                value = new GoStruct(st.TypeName, false, st.Fields);
                break;
        }

        new GoFormatter(sb).PrintArg(value, 'v', 0);
    }

    public static string Sprintf(string format, ReadOnlySpan<object?> args)
    {
        var sb = new StringBuilder(format.Length + 16);
        new GoFormatter(sb).DoPrintf(format, args);
        return sb.ToString();
    }

    private void DoPrintf(string format, ReadOnlySpan<object?> args)
    {
        var argNum = 0;
        var afterIndex = false;
        var reordered = false;
        var end = format.Length;
        for (var i = 0; i < end;)
        {
            var lasti = i;
            while (i < end && format[i] != '%')
            {
                i++;
            }

            if (i > lasti)
            {
                _buf.Append(format, lasti, i - lasti);
            }

            if (i >= end)
            {
                break;
            }

            i++;
            _f = default;
            for (; i < end; i++)
            {
                var c = format[i];
                switch (c)
                {
                    case '#': _f.Sharp = true; continue;
                    case '0': _f.Zero = !_f.Minus; continue;
                    case '+': _f.Plus = true; continue;
                    case '-': _f.Minus = true; _f.Zero = false; continue;
                    case ' ': _f.Space = true; continue;
                }

                break;
            }

            (argNum, i, afterIndex) = ArgNumber(argNum, format, i, args.Length, ref reordered);
            if (i < end && format[i] == '*')
            {
                i++;
                (_f.Wid, _f.WidPresent, argNum) = IntFromArg(args, argNum);
                if (!_f.WidPresent)
                {
                    _buf.Append("%!(BADWIDTH)");
                }

                if (_f.Wid < 0)
                {
                    _f.Wid = -_f.Wid;
                    _f.Minus = true;
                    _f.Zero = false;
                }

                afterIndex = false;
            }
            else
            {
                (_f.Wid, _f.WidPresent, i) = ParseNum(format, i, end);
                if (afterIndex && _f.WidPresent)
                {
                    reordered = true; // Go: "%[3]2d" is a bad argument index
                }
            }

            if (i + 1 <= end && i < end && format[i] == '.')
            {
                i++;
                if (afterIndex)
                {
                    reordered = true;
                }

                (argNum, i, afterIndex) = ArgNumber(argNum, format, i, args.Length, ref reordered);
                if (i < end && format[i] == '*')
                {
                    i++;
                    (_f.Prec, _f.PrecPresent, argNum) = IntFromArg(args, argNum);
                    if (_f.Prec < 0)
                    {
                        _f.Prec = 0;
                        _f.PrecPresent = false;
                    }

                    if (!_f.PrecPresent)
                    {
                        _buf.Append("%!(BADPREC)");
                    }

                    afterIndex = false;
                }
                else
                {
                    (_f.Prec, _f.PrecPresent, i) = ParseNum(format, i, end);
                    if (!_f.PrecPresent)
                    {
                        _f.Prec = 0;
                        _f.PrecPresent = true;
                    }
                }
            }

            if (!afterIndex)
            {
                (argNum, i, afterIndex) = ArgNumber(argNum, format, i, args.Length, ref reordered);
            }

            if (i >= end)
            {
                _buf.Append("%!(NOVERB)");
                break;
            }

            var verb = (int)format[i];
            var size = 1;
            if (char.IsHighSurrogate(format[i]) && i + 1 < end)
            {
                verb = char.ConvertToUtf32(format[i], format[i + 1]);
                size = 2;
            }

            i += size;
            if (verb == '%')
            {
                _buf.Append('%');
                continue;
            }

            if (_badArgNum)
            {
                _buf.Append("%!").Append(char.ConvertFromUtf32(verb)).Append("(BADINDEX)");
                _badArgNum = false;
                continue;
            }

            if (argNum >= args.Length)
            {
                _buf.Append("%!").Append(char.ConvertFromUtf32(verb)).Append("(MISSING)");
                continue;
            }

            if (verb == 'v')
            {
                if (_f.Sharp)
                {
                    _f.Sharp = false;
                    _f.SharpV = true;
                }

                if (_f.Plus)
                {
                    _f.Plus = false;
                    _f.PlusV = true;
                }
            }

            PrintArg(args[argNum], verb, 0);
            argNum++;
        }

        if (!reordered && argNum < args.Length)
        {
            _f = default;
            _buf.Append("%!(EXTRA ");
            for (var k = argNum; k < args.Length; k++)
            {
                if (k > argNum)
                {
                    _buf.Append(", ");
                }

                var arg = args[k];
                if (arg is null)
                {
                    _buf.Append("<nil>");
                }
                else
                {
                    _buf.Append(GoTypes.TypeName(arg)).Append('=');
                    PrintArg(arg, 'v', 0);
                }
            }

            _buf.Append(')');
        }
    }

    private bool _badArgNum;

    private (int ArgNum, int I, bool Found) ArgNumber(int argNum, string format, int i, int numArgs, ref bool reordered)
    {
        if (i >= format.Length || format[i] != '[')
        {
            return (argNum, i, false);
        }

        reordered = true;
        for (var j = i + 1; j < format.Length; j++)
        {
            if (format[j] == ']')
            {
                var (width, ok, newi) = ParseNum(format, i + 1, j);
                if (!ok || newi != j)
                {
                    _badArgNum = true;
                    return (argNum, j + 1, true);
                }

                var index = width - 1;
                if (index >= 0 && index < numArgs)
                {
                    return (index, j + 1, true);
                }

                _badArgNum = true;
                return (argNum, j + 1, true);
            }
        }

        _badArgNum = true;
        return (argNum, i + 1, false);
    }

    private static (int Num, bool IsNum, int NewI) ParseNum(string s, int start, int end)
    {
        if (start >= end)
        {
            return (0, false, end);
        }

        var num = 0;
        var isNum = false;
        var i = start;
        for (; i < end && s[i] >= '0' && s[i] <= '9'; i++)
        {
            if (num > 1_000_000)
            {
                return (0, false, end);
            }

            num = (num * 10) + (s[i] - '0');
            isNum = true;
        }

        return (num, isNum, i);
    }

    private static (int Num, bool IsInt, int NewArgNum) IntFromArg(ReadOnlySpan<object?> args, int argNum)
    {
        if (argNum >= args.Length)
        {
            return (0, false, argNum);
        }

        var arg = args[argNum];
        var (num, isInt) = arg switch
        {
            long l when l is >= -1_000_000 and <= 1_000_000 => ((int)l, true),
            GoInt64 l when l.Value is >= -1_000_000 and <= 1_000_000 => ((int)l.Value, true),
            byte b => (b, true),
            _ => (0, false),
        };
        return (num, isInt, argNum + 1);
    }
}
