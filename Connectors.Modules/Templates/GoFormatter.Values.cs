using System.Text;

namespace Connectors.Modules.Templates;

// Per-type printing (fmt's printArg/printValue and the fmt struct's padding), split from the printf driver.
internal sealed partial class GoFormatter
{
    private const string LowerHex = "0123456789abcdefx";
    private const string UpperHex = "0123456789ABCDEFX";

    private void PrintArg(object? arg, int verb, int depth)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (arg is GoNil)
        {
            arg = null;
        }

        if (arg is null && depth > 0)
        {
            _buf.Append(_f.SharpV ? "interface {}(nil)" : "<nil>");
            return;
        }

        if (arg is null)
        {
            if (verb is 'T' or 'v')
            {
                Pad(depth > 0 && _f.SharpV ? "interface {}(nil)" : "<nil>");
            }
            else
            {
                BadVerb(verb, null);
            }

            return;
        }

        if (verb == 'T')
        {
            Pad(GoTypes.TypeName(arg));
            return;
        }

        switch (arg)
        {
            case bool b:
                if (verb is 't' or 'v')
                {
                    Pad(b ? "true" : "false");
                }
                else
                {
                    BadVerb(verb, arg);
                }

                return;
            case double d:
                FmtFloat(d, verb, arg);
                return;
            case long l:
                FmtInteger(unchecked((ulong)l), true, verb, arg);
                return;
            case GoInt64 l:
                FmtInteger(unchecked((ulong)l.Value), true, verb, arg);
                return;
            case byte u:
                FmtInteger(u, false, verb, arg);
                return;
            case string s:
                FmtString(s, verb, arg);
                return;
            case GoList list:
                PrintList(list, verb, depth);
                return;
            case GoMap map:
                PrintMap(map, verb, depth);
                return;
            case GoStruct st:
                PrintStruct(st, verb, depth);
                return;
            case GoTypedNil tn:
                if (verb == 'v')
                {
                    Pad(_f.SharpV ? "(" + tn.TypeName + ")(nil)" : "<nil>");
                }
                else
                {
                    BadVerb(verb, arg);
                }

                return;
            case GoNamedInt named when verb is not ('v' or 's' or 'x' or 'X' or 'q'):
                FmtInteger(unchecked((ulong)named.Value), true, verb, arg);
                return;
            case IGoStringer stringer when verb is 'v' or 's' or 'x' or 'X' or 'q':
                FmtString(stringer.GoString(), verb == 'v' && _f.SharpV ? 's' : verb, arg);
                return;
            default:
                Pad(arg.ToString() ?? string.Empty);
                return;
        }
    }

    private void BadVerb(int verb, object? arg)
    {
        _buf.Append("%!").Append(char.ConvertFromUtf32(verb)).Append('(');
        if (arg is null)
        {
            _buf.Append("<nil>");
        }
        else
        {
            _buf.Append(GoTypes.TypeName(arg)).Append('=');
            PrintArg(arg, 'v', 0);
        }

        _buf.Append(')');
    }

    private void PrintList(GoList list, int verb, int depth)
    {
        if (_f.SharpV && list.IsNil)
        {
            _buf.Append(list.TypeName).Append("(nil)");
            return;
        }

        if (_f.SharpV)
        {
            _buf.Append(list.TypeName).Append('{');
            for (var i = 0; i < list.Items.Length; i++)
            {
                if (i > 0)
                {
                    _buf.Append(", ");
                }

                PrintArg(list.Items[i], verb, depth + 1);
            }

            _buf.Append('}');
            return;
        }

        _buf.Append('[');
        for (var i = 0; i < list.Items.Length; i++)
        {
            if (i > 0)
            {
                _buf.Append(' ');
            }

            PrintArg(list.Items[i], verb, depth + 1);
        }

        _buf.Append(']');
    }

    private void PrintMap(GoMap map, int verb, int depth)
    {
        _buf.Append(_f.SharpV ? map.TypeName + "{" : "map[");
        var first = true;
        foreach (var key in map.SortedKeys)
        {
            if (!first)
            {
                _buf.Append(_f.SharpV ? ", " : " ");
            }

            first = false;
            PrintArg(key, verb, depth + 1);
            _buf.Append(':');
            PrintArg(map.Entries[key], verb, depth + 1);
        }

        _buf.Append(_f.SharpV ? '}' : ']');
    }

    private void PrintStruct(GoStruct st, int verb, int depth)
    {
        if (st.Pointer)
        {
            if (depth > 0)
            {
                _buf.Append("0xc000010000");
                return;
            }

            _buf.Append('&');
        }

        if (_f.SharpV)
        {
            _buf.Append(st.TypeName);
        }

        _buf.Append('{');
        for (var i = 0; i < st.Fields.Count; i++)
        {
            if (i > 0)
            {
                _buf.Append(_f.SharpV ? ", " : " ");
            }

            if (_f.PlusV || _f.SharpV)
            {
                _buf.Append(st.Fields[i].Name).Append(':');
            }

            PrintArg(st.Fields[i].Value, verb, depth + 1);
        }

        _buf.Append('}');
    }

    private void FmtString(string s, int verb, object arg)
    {
        switch (verb)
        {
            case 'v':
                if (_f.SharpV)
                {
                    Pad(GoQuote.Quote(s));
                }
                else
                {
                    Pad(Truncate(s));
                }

                return;
            case 's':
                Pad(Truncate(s));
                return;
            case 'x' or 'X':
                FmtHexString(Truncate(s), verb == 'X' ? UpperHex : LowerHex);
                return;
            case 'q':
                s = Truncate(s);
                if (_f.Sharp && CanBackquote(s))
                {
                    Pad("`" + s + "`");
                }
                else
                {
                    Pad(GoQuote.Quote(s, '"', _f.Plus));
                }

                return;
            default:
                BadVerb(verb, arg);
                return;
        }
    }

    private string Truncate(string s)
    {
        if (!_f.PrecPresent)
        {
            return s;
        }

        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (n == _f.Prec)
            {
                return s[..i];
            }

            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length)
            {
                i++;
            }

            n++;
        }

        return s;
    }

    private static bool CanBackquote(string s)
    {
        foreach (var c in s)
        {
            if ((c < ' ' && c != '\t') || c == '`' || c == '\u007f' || c == '\uFEFF' || c == '\uFFFD')
            {
                return false;
            }
        }

        return true;
    }

    private void FmtHexString(string s, string digits)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var sb = new StringBuilder(bytes.Length * 2);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (_f.Space && i > 0)
            {
                sb.Append(' ');
            }

            if (_f.Sharp && (_f.Space || i == 0))
            {
                sb.Append('0').Append(digits[16]);
            }

            sb.Append(digits[bytes[i] >> 4]).Append(digits[bytes[i] & 0xF]);
        }

        Pad(sb.ToString());
    }

    private void Pad(string s)
    {
        if (!_f.WidPresent || _f.Wid == 0)
        {
            _buf.Append(s);
            return;
        }

        var width = _f.Wid - CountRunes(s);
        if (!_f.Minus)
        {
            WritePadding(width);
            _buf.Append(s);
        }
        else
        {
            _buf.Append(s);
            WritePadding(width);
        }
    }

    private static int CountRunes(string s)
    {
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsLowSurrogate(s[i]))
            {
                n++;
            }
        }

        return n;
    }

    private void WritePadding(int n)
    {
        if (n > 0)
        {
            _buf.Append(_f.Zero ? '0' : ' ', n);
        }
    }
}
